#!/usr/bin/env python3
"""Compare what otlp_receiver.py recorded with the daily files.

usage: otlp_check.py RECORD --host H --user U [--body raw|json]
                     [--allow-missing OFFSETS] DAYFILE...

Every non-empty line of every day file must be there exactly once, by its
identity (the resource's auditship.file and the record's auditship.offset),
with the resource's auditship.host/user and its other attributes
(host.name, service.name, user.name, and no others), and its body: the line itself, byte for byte (body =
raw; a line that is not valid UTF-8 with U+FFFD for each bad byte), or the
parsed object (body = json).  eventName, timeUnixNano, session.id,
tool.name and tool_use_id must be the event's own.  Prints a summary;
exit 1 on any difference.
"""
import argparse, datetime, json, os, re, sys


def rfc3339_ns(s):
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", s or "")
    if not m:
        return 0
    base = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")
    z = m.group(3)
    off = 0 if z == "Z" else (1 if z[0] == "+" else -1) * (int(z[1:3]) * 3600 + int(z[4:6]) * 60)
    sec = int((base - datetime.datetime(1970, 1, 1)).total_seconds()) - off
    frac = (m.group(2) or "")[:9].ljust(9, "0")
    return sec * 10**9 + int(frac) if sec >= 0 else 0


def lines_of(path):
    off = 0
    with open(path, "rb") as f:
        data = f.read()
    for raw in data.split(b"\n")[:-1] if data.endswith(b"\n") else data.split(b"\n"):
        line = raw[:-1] if raw.endswith(b"\r") else raw
        if line:
            yield off, line
        off += len(raw) + 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("record")
    ap.add_argument("days", nargs="+")
    ap.add_argument("--host", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--service", default="claude-code")
    ap.add_argument("--body", default="raw")
    ap.add_argument("--allow-missing", default="", help="comma-separated file:offset")
    a = ap.parse_args()
    allowed = set(x for x in a.allow_missing.split(",") if x)
    seen = {}
    bad = []
    with open(a.record, encoding="utf-8") as f:
        for n, l in enumerate(f, 1):
            r = json.loads(l)
            seen.setdefault((r["file"], r["offset"]), []).append(r)
    total = dup = missing = 0
    for p in a.days:
        name = os.path.basename(p)
        if name.endswith(".gz"):
            name = name[:-3]
        for off, line in lines_of(p):
            total += 1
            rs = seen.pop((name, off), [])
            if not rs:
                if "%s:%d" % (name, off) not in allowed:
                    missing += 1
                    if missing <= 5:
                        bad.append("missing %s offset %d" % (name, off))
                continue
            if len(rs) > 1:
                dup += len(rs) - 1
            r = rs[0]
            try:
                ev = json.loads(line.decode("utf-8"))
                if not isinstance(ev, dict):
                    ev = None
            except (UnicodeDecodeError, ValueError):
                ev = None
            text = line.decode("utf-8", errors="replace")
            want_res = {"host.name": a.host, "service.name": a.service,
                        "user.name": a.user, "auditship.host": a.host,
                        "auditship.user": a.user, "auditship.file": name}
            want_attrs = {"auditship.offset": off}
            if ev is None:
                want_attrs["auditship.invalid_json"] = True
                want_body, want_kind = text, "string"
            elif a.body == "json":
                want_body, want_kind = ev, "kvlist"
            else:
                want_body, want_kind = text, "string"
            if ev is not None:
                for src, dst in (("session_id", "session.id"), ("tool_use_id", "tool_use_id"),
                                 ("tool_name", "tool.name")):
                    if isinstance(ev.get(src), str):
                        want_attrs[dst] = ev[src]
            why = []
            if r["body"] != want_body or r["body_kind"] != want_kind:
                why.append("body differs")
            if r["attrs"] != want_attrs:
                why.append("attributes %r, want %r" % (r["attrs"], want_attrs))
            if r["res"] != want_res:
                why.append("resource attributes %r, want %r" % (r["res"], want_res))
            ts = ev.get("ts", ev.get("timestamp")) if ev else None
            if r["time"] != rfc3339_ns(ts if isinstance(ts, str) else None):
                why.append("timeUnixNano %d for ts %r" % (r["time"], ts))
            want_event = ev.get("hook_event_name") if ev else None
            if r["event"] != (want_event if isinstance(want_event, str) else ""):
                why.append("eventName %r" % r["event"])
            if r["sev"] != 9 or r["sevtext"] != "INFO" or r["observed"] == 0:
                why.append("severity/observed")
            if why:
                bad.append("%s offset %d: %s" % (name, off, "; ".join(why)))
    extra = sum(len(v) for v in seen.values())
    if extra:
        bad.append("%d records that match no line (e.g. %r)" % (extra, next(iter(seen))))
    print("otlp check: %d lines, %d missing, %d duplicates, %d extra, %d problems" % (
        total, missing, dup, extra, len(bad)))
    for b in bad[:10]:
        print("  " + b)
    sys.exit(1 if bad or dup else 0)


if __name__ == "__main__":
    main()
