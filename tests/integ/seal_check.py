#!/usr/bin/env python3
"""Seal records (SPEC §7) as a SIEM receives them: pick them out of an
rsyslogd %rawmsg% file or the test intake's event record, check each
statement against the day file and its signature with `openssl pkeyutl
-verify -rawin` and the .pub key.

seal_check.py syslog|http|otlp RECORD DAYFILE PUBKEY WORKDIR [--dedup]
(syslog also serves relp: the same records.  otlp: the otlp_receiver.py
record file, a seal being the logRecord with auditship.seal = true; its
host, user and file are the resource's attributes.)
Every seal record's signature verifies and each one's prev is the hash of
the one before (the stream's chain, empty days included).  Prints "N seals,
last seq S" for the seals of DAYFILE, after checking that they are numbered
1..N and that the last one covers DAYFILE as it is now.
--dedup: a seal record received more than once (at-least-once: resent
after a crash before its acknowledgement) counts once, if every copy is
byte-identical; prints "N seals (C records), last seq S".
"""
import base64, hashlib, json, os, subprocess, sys

kind, record, dayfile, pub, work = sys.argv[1:6]
seals = []  # (statement bytes, "KEYID B64")
if kind == "syslog":
    for raw in open(record, "rb").read().split(b"\n"):
        i = raw.find(b'[auditship@32473 seal="1" sig="')
        if i < 0:
            continue
        rest = raw[i + len(b'[auditship@32473 seal="1" sig="'):]
        j = rest.index(b'"] ')
        seals.append((rest[j + 3:], rest[:j].decode()))
elif kind == "otlp":
    for l in open(record, encoding="utf-8"):
        r = json.loads(l)
        a = r["attrs"]
        if a.get("auditship.seal") is not True:
            assert r["event"] != "auditship.seal", r
            continue
        assert r["event"] == "auditship.seal" and r["body_kind"] == "string", r
        st = json.loads(r["body"])
        assert r["host"] == st["host"] and r["res"]["auditship.host"] == st["host"], r
        assert r["user"] == st["user"] and r["res"]["auditship.user"] == st["user"], r
        assert r["offset"] == st["bytes"], (r["offset"], st["bytes"])
        assert r["file"] == (st["file"] or ""), (r["file"], st["file"])
        seals.append((r["body"].encode(), a["auditship.sig"]))
else:
    for l in open(record, encoding="utf-8"):
        ev = json.loads(l)
        a = ev.get("auditship", {})
        if "seal" in a:
            assert "message" not in ev, ev
            stmt = json.dumps(a["seal"], ensure_ascii=False, separators=(",", ":"))
            seals.append((stmt.encode(), a["sig"]))
assert seals, "no seal record"
nrec = len(seals)
if "--dedup" in sys.argv[6:]:
    seals = [x for i, x in enumerate(seals) if x not in seals[:i]]

data = open(dayfile, "rb").read()
prev = None
mine = []
for n, (stmt, sig) in enumerate(seals):
    s = json.loads(stmt)
    assert s["auditship_seal"] == 1, s
    assert s["objects"] == [], s
    if s["file"] == os.path.basename(dayfile):
        mine.append(s)
        assert s["seq"] == len(mine), s
    else:
        assert s["file"] is not None or (s["state"] == "empty" and
                                         s["bytes"] == 0 and s["seq"] == 1), s
    if prev is not None:
        assert s["prev"] == prev, (s["prev"], prev)
    key_id, b64 = sig.split(" ")
    assert s["key_id"] == key_id, (s["key_id"], key_id)
    p = os.path.join(work, "stmt%d" % n)
    open(p, "wb").write(stmt)
    open(p + ".sig", "wb").write(base64.b64decode(b64, validate=True))
    r = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub,
                        "-rawin", "-in", p, "-sigfile", p + ".sig"],
                       capture_output=True, text=True)
    assert r.returncode == 0, "signature of seal %d: %s%s" % (n + 1, r.stdout, r.stderr)
    # The seal object whose hash the next seal's prev names.
    prev = hashlib.sha256(stmt + b"\nsig " + sig.encode() + b"\n").hexdigest()
assert mine, "no seal of " + dayfile
last = mine[-1]
lines = sum(1 for x in data.split(b"\n")[:-1] if x.rstrip(b"\r")) + (1 if data and not data.endswith(b"\n") else 0)
assert last["bytes"] == len(data), (last["bytes"], len(data))
assert last["sha256"] == hashlib.sha256(data).hexdigest(), last
assert last["lines"] == lines, (last["lines"], lines)
assert last["file"] == os.path.basename(dayfile) and last["state"] == "sealed", last
print("%d seals%s, last seq %d, %d lines, %d bytes, signatures verify (%d in the chain)" %
      (len(mine), " (%d records)" % nrec if "--dedup" in sys.argv[6:] else "",
       last["seq"], last["lines"], last["bytes"], len(seals)))
