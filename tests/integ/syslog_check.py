#!/usr/bin/env python3
"""Check what a real rsyslogd received against the audit day files.

RECEIVED holds one raw message per line (rsyslog's %rawmsg%).  Each RFC 5424
message is parsed back field by field (PRI, VERSION, TIMESTAMP, HOSTNAME,
APP-NAME, the [auditship@32473 user= file= offset=] SD with RFC 5424 §6.3.3
escapes, MSG) and matched to the line of the day file it names; MSG must be
that line as auditship carries it (SPEC §3.2/§3.3).  By default every
non-empty line must arrive exactly once.

usage: syslog_check.py RECEIVED DAYFILE... [--at-least-once] [--rfc3164]
       [--pri N] [--host H] [--user U] [--app A] [--max-len N] [--expect-count N]

HOSTNAME must be --host and SD user= the owner of the day file (or --user):
host, user, file and offset are the event's identity (SPEC 3.2).
"""
import argparse, json, os, pwd, re, sys
from datetime import datetime

def carried(line):
    """The MSG auditship sends for a line, and whether it is valid JSON."""
    try:
        text = line.decode("utf-8", "strict")
        obj = json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
        if isinstance(obj, dict):
            return bytes(b if b >= 0x20 else 0x20 for b in line), True, obj
    except ValueError:
        pass
    out = bytearray()
    i = 0
    while i < len(line):
        c = line[i]
        n = utf8_len(line, i)
        if c >= 0x80 and n:
            out += line[i:i + n]; i += n; continue
        if c == 0x5c: out += b"\\\\"
        elif c == 0x0a: out += b"\\n"
        elif c == 0x0d: out += b"\\r"
        elif c == 0x09: out += b"\\t"
        elif c < 0x20 or c == 0x7f or c >= 0x80: out += b"\\x%02x" % c
        else: out.append(c)
        i += 1
    return bytes(out), False, None

def utf8_len(b, i):
    c = b[i]
    n = 2 if 0xc2 <= c <= 0xdf else 3 if 0xe0 <= c <= 0xef else 4 if 0xf0 <= c <= 0xf4 else 0
    if not n:
        return 0
    try:
        b[i:i + n].decode("utf-8", "strict")
        return n if i + n <= len(b) else 0
    except UnicodeDecodeError:
        return 0

RFC3339 = re.compile(rb"^(\d{4}-\d\d-\d\d)[Tt ](\d\d:\d\d:\d\d)(\.\d+)?([Zz]|[+-]\d\d:\d\d)$")

def norm_ts(ts):
    m = RFC3339.match(ts)
    if not m:
        return None
    try:   # a real calendar date, no leap second (RFC 5424 §6.2.3)
        datetime.strptime((m.group(1) + b" " + m.group(2)).decode(), "%Y-%m-%d %H:%M:%S")
        z = m.group(4)
        if z not in (b"Z", b"z") and (int(z[1:3]) > 23 or int(z[4:6]) > 59):
            return None
    except ValueError:
        return None
    frac = (m.group(3) or b"")[:7]
    zone = b"Z" if m.group(4) in (b"Z", b"z") else m.group(4)
    return m.group(1) + b"T" + m.group(2) + frac + zone

def parse_sd(s):
    """[ID k="v" ...] with \\" \\\\ \\] escapes -> (id, {k: v}, rest)."""
    if not s.startswith(b"["):
        raise ValueError("no SD element")
    i = 1
    j = s.index(b" ", i)
    sdid = s[i:j]; i = j
    params = {}
    while s[i:i + 1] == b" ":
        eq = s.index(b"=", i)
        name = s[i + 1:eq]
        if s[eq + 1:eq + 2] != b'"':
            raise ValueError("param value not quoted")
        i = eq + 2
        val = bytearray()
        while s[i:i + 1] != b'"':
            if s[i:i + 1] == b"\\" and s[i + 1:i + 2] in (b'"', b"\\", b"]"):
                val += s[i + 1:i + 2]; i += 2
            else:
                val += s[i:i + 1]; i += 1
        params[name.decode()] = bytes(val)
        i += 1
    if s[i:i + 1] != b"]":
        raise ValueError("SD element not closed")
    return sdid, params, s[i + 1:]

def msg_len(key, body, valid, obj, a):
    """Exact length of the RFC 5424 message auditship builds for a line."""
    ts = None
    if valid:
        for k in ("ts", "timestamp"):
            if isinstance(obj.get(k), str):
                ts = norm_ts(obj[k].encode())
                break
    tslen = len(ts) if ts else 27
    sd = b' [auditship@32473 user="%s" file="%s" offset="%d"%s] ' % (
        a.owner[key[0]].encode(), key[0].encode(), key[1], b"" if valid else b' invalid_json="true"')
    return len(b"<%d>1 " % a.pri) + tslen + 1 + len(a.host) + 1 + len(a.app) + 4 + len(sd) + len(body)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("received")
    ap.add_argument("days", nargs="+")
    ap.add_argument("--at-least-once", action="store_true")
    ap.add_argument("--rfc3164", action="store_true")
    ap.add_argument("--pri", type=int, default=134)
    ap.add_argument("--host", default="testhost")
    ap.add_argument("--user")
    ap.add_argument("--app", default="claude-code")
    ap.add_argument("--max-len", type=int, default=0,
                    help="messages longer than this must NOT arrive (udp max_message)")
    ap.add_argument("--expect-count", type=int, default=-1)
    a = ap.parse_args()

    expected = {}          # (file, offset) -> (msg, valid, obj)
    a.owner = {}           # file -> the user its records must name
    for path in a.days:
        name = path.rsplit("/", 1)[-1]
        a.owner[name] = a.user if a.user is not None else pwd.getpwuid(os.stat(path).st_uid).pw_name
        data = open(path, "rb").read()
        off = 0
        for raw in data.split(b"\n")[:-1]:
            line = raw[:-1] if raw.endswith(b"\r") else raw
            if line:
                expected[(name, off)] = carried(line)
            off += len(raw) + 1
    errors = []
    seen = {}
    bodies3164 = []
    received = open(a.received, "rb").read().split(b"\n")[:-1]
    for n, m in enumerate(received, 1):
        try:
            if a.rfc3164:
                r = re.match(rb"^<(\d+)>([A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d) (\S+) (\S+): (.*)$", m, re.S)
                if not r:
                    raise ValueError("not RFC 3164")
                datetime.strptime(r.group(2).decode(), "%b %d %H:%M:%S")
                if int(r.group(1)) != a.pri or r.group(3).decode() != a.host or r.group(4).decode() != a.app:
                    raise ValueError("header fields %r" % (r.groups()[:4],))
                bodies3164.append(r.group(5))
                continue
            r = re.match(rb"^<(\d+)>1 (\S+) (\S+) (\S+) (\S+) (\S+) (.*)$", m, re.S)
            if not r:
                raise ValueError("not RFC 5424")
            pri, ts, host, app, procid, msgid, rest = r.groups()
            if int(pri) != a.pri: raise ValueError("PRI %s" % pri)
            if host.decode() != a.host: raise ValueError("HOSTNAME %r" % host)
            if app.decode() != a.app: raise ValueError("APP-NAME %r" % app)
            if procid != b"-" or msgid != b"-": raise ValueError("PROCID/MSGID")
            if norm_ts(ts) != ts or b" " in ts: raise ValueError("TIMESTAMP %r" % ts)
            sdid, params, rest = parse_sd(rest)
            if sdid != b"auditship@32473": raise ValueError("SD-ID %r" % sdid)
            if not rest.startswith(b" "): raise ValueError("no SP before MSG")
            body = rest[1:]
            key = (params["file"].decode(), int(params["offset"]))
            if key not in expected:
                raise ValueError("unknown line %s:%d" % key)
            want, valid, obj = expected[key]
            if params.get("user", b"").decode() != a.owner[key[0]]:
                raise ValueError("SD user=%r, want %r" % (params.get("user"), a.owner[key[0]]))
            if body != want:
                raise ValueError("MSG of %s:%d differs:\n  got  %r\n  want %r" % (key + (body[:200], want[:200])))
            if (params.get("invalid_json") == b"true") == valid:
                raise ValueError("invalid_json flag wrong for %s:%d" % key)
            if valid and isinstance(obj.get("ts"), str) and norm_ts(obj["ts"].encode()):
                if ts != norm_ts(obj["ts"].encode())[:len(ts)]:
                    raise ValueError("TIMESTAMP %r is not the event's ts %r" % (ts, obj["ts"]))
            if a.max_len and len(m) > a.max_len:
                raise ValueError("%d-byte message over max_message arrived" % len(m))
            seen[key] = seen.get(key, 0) + 1
        except (ValueError, KeyError, IndexError) as ex:
            errors.append("message %d: %s: %r" % (n, ex, m[:160]))
    if a.rfc3164:
        want = sorted(v[0] for v in expected.values())
        if sorted(bodies3164) != want:
            errors.append("RFC 3164 bodies differ: %d received, %d expected" % (len(bodies3164), len(want)))
    else:
        for key, (want, valid, obj) in expected.items():
            c = seen.get(key, 0)
            if a.max_len and msg_len(key, want, valid, obj, a) > a.max_len:
                if c:
                    errors.append("%s:%d over max_message but arrived" % key)
                continue
            if c == 0:
                errors.append("%s:%d never arrived" % key)
            elif c > 1 and not a.at_least_once:
                errors.append("%s:%d arrived %d times" % (key + (c,)))
    if a.expect_count >= 0 and len(received) != a.expect_count:
        errors.append("%d messages received, %d expected" % (len(received), a.expect_count))
    if errors:
        print("\n".join(errors[:15]))
        if len(errors) > 15:
            print("... %d more" % (len(errors) - 15))
        return 1
    dups = sum(c - 1 for c in seen.values())
    print("ok %d messages, %d lines, %d duplicates" % (len(received), len(expected), dups))
    return 0

sys.exit(main())
