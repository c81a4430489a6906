#!/usr/bin/env python3
"""Check what the test intake recorded against the audit files (SPEC §3.2/3.3).

usage: http_verify.py EVENTS AUDIT_DIR [--format datadog|json_array|ndjson]
         [--hostname H] [--user U] [--max-event N] [--max-dups N] [--tags T]

Every non-empty line of every *.jsonl in AUDIT_DIR must be recorded with
its identity (auditship.host / .user / .file / .offset, SPEC 3.2: host the
--hostname, user the owner of AUDIT_DIR's files unless --user), exactly once
(or with at most --max-dups repeats, all from one contiguous run of lines:
the batch in flight at a crash).  A line that is a JSON object must come back
as the same object plus the added fields; any other line as
{"message": <the line>, "auditship": {..., "invalid_json": true}}.  Lines
longer than --max-event bytes must be absent (reported and counted
instead).  Prints one summary line; exits 1 on the first mismatch.
"""
import argparse
import glob
import json
import os
import pwd
import sys

ADDED = {"datadog": ("ddsource", "service", "hostname", "ddtags", "auditship"),
         "json_array": ("auditship",), "ndjson": ("auditship",)}


def die(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def is_object(raw):
    try:
        return isinstance(json.loads(raw.decode("utf-8")), dict)
    except Exception:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("events")
    ap.add_argument("audit_dir")
    ap.add_argument("--format", default="datadog")
    ap.add_argument("--hostname", default="testhost")
    ap.add_argument("--user")
    ap.add_argument("--tags")
    ap.add_argument("--max-event", type=int, default=1 << 20)
    ap.add_argument("--max-dups", type=int, default=0)
    a = ap.parse_args()

    got = {}
    dups = []
    with open(a.events, encoding="utf-8") as f:
        for ln in f:
            ev = json.loads(ln)
            meta = ev.get("auditship")
            if not isinstance(meta, dict):
                die("event without auditship object: %.200s" % ln)
            key = (meta.get("file"), meta.get("offset"))
            if key in got:
                dups.append(key)
            got[key] = ev

    n = invalid = oversize = 0
    index = {}
    for path in sorted(glob.glob(os.path.join(a.audit_dir, "*.jsonl"))):
        name = os.path.basename(path)
        data = open(path, "rb").read()
        off = 0
        while off < len(data):
            nl = data.find(b"\n", off)
            end = nl if nl >= 0 else len(data)
            raw = data[off:end]
            if raw.endswith(b"\r"):
                raw = raw[:-1]
            key = (name, off)
            off = end + 1
            if not raw:
                continue
            ev = got.pop(key, None)
            index[key] = len(index)
            if len(raw) > a.max_event:
                if ev is not None:
                    die("%s offset %d: oversize line (%d bytes) was sent" % (name, key[1], len(raw)))
                oversize += 1
                continue
            if ev is None:
                die("%s offset %d: line missing at the intake: %.120r" % (name, key[1], raw))
            n += 1
            meta = ev["auditship"]
            user = a.user if a.user is not None else pwd.getpwuid(os.stat(path).st_uid).pw_name
            if meta.get("host") != a.hostname or meta.get("user") != user:
                die("%s offset %d: auditship.host/user wrong (want %r/%r): %r"
                    % (name, key[1], a.hostname, user, meta))
            if a.format == "datadog":
                if ev.get("hostname") != a.hostname or ev.get("ddsource") != "claude-code" \
                        or ev.get("service") != "claude-code":
                    die("%s offset %d: datadog fields wrong: %.200s" % (name, key[1], ev))
                if a.tags is not None and ev.get("ddtags") != a.tags:
                    die("ddtags %r != %r" % (ev.get("ddtags"), a.tags))
            if is_object(raw):
                want = json.loads(raw.decode("utf-8"))
                mine = {k: v for k, v in ev.items() if k not in ADDED[a.format] or k in want}
                if mine != want or meta.get("invalid_json"):
                    die("%s offset %d: event differs:\n got  %.300s\n want %.300s" % (name, key[1], mine, want))
            else:
                invalid += 1
                if meta.get("invalid_json") is not True:
                    die("%s offset %d: invalid line not flagged: %.200s" % (name, key[1], ev))
                msg = ev.get("message")
                if not isinstance(msg, str) or \
                        msg.replace("\ufffd", "") != raw.decode("utf-8", "ignore").replace("\ufffd", ""):
                    die("%s offset %d: message differs: %.200r vs %.200r" % (name, key[1], msg, raw))
    if got:
        die("%d events the audit files do not hold, e.g. %r" % (len(got), next(iter(got))))
    if len(dups) > a.max_dups:
        die("%d duplicate events (at most %d allowed)" % (len(dups), a.max_dups))
    if dups:
        # One batch in flight: consecutive non-empty lines of one file.
        idx = sorted(index[k] for k in dups)
        if idx[-1] - idx[0] + 1 != len(idx) or len({k[0] for k in dups}) != 1:
            die("duplicates are not one contiguous batch: %r" % sorted(dups)[:10])
    print("ok %d events, %d invalid, %d oversize, %d duplicates" % (n, invalid, oversize, len(dups)))


main()
