#!/usr/bin/env python3
"""Drive `auditship ship` of one daily object uploaded in parts, releasing
the parts one by one at a fake server, and check the progress line.

usage: progress_parts.py s3|azblob ENDPOINT WORKDIR DAYFILE AUDITSHIP

WORKDIR holds c.ini (one destination, upload = daily) and the state dir
`state`.  The fake must start with its gate closed (fake_s3.py parts_gate
0, fake_azblob.py /_admin/gate?n=0).  For each part: wait until it is at
the server, unanswered; check nothing is complete nor committed; release
it; wait for a progress figure above the last one; check the figure is not
above what the answered parts decompress to.  At the end: ship exits 0,
the figures never went back, one object, the day committed in full.
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
import zlib

MIB = 1048576.0


class S3:
    def __init__(self, ep):
        self.ep = ep

    def state(self):
        return json.load(urllib.request.urlopen(self.ep + "/_admin/state"))

    def waiting(self):
        return self.state()["counters"]["parts_waiting"]

    def completes(self):
        return self.state()["counters"]["completes"]

    def objects(self):
        return len(self.state()["objects"])

    def release(self, n):
        rq = urllib.request.Request(self.ep + "/_admin/config", method="POST",
                                    data=json.dumps({"parts_gate": n}).encode())
        urllib.request.urlopen(rq).read()


class Azblob(S3):
    def waiting(self):
        return self.state()["counters"]["blocks_waiting"]

    def completes(self):
        return len([u for u in self.state()["uploads"] if u["kind"] == "blocks"])

    def objects(self):
        return len(self.state()["uploads"])

    def release(self, n):
        rq = urllib.request.Request(self.ep + "/_admin/gate?n=%d" % n, method="POST", data=b"")
        urllib.request.urlopen(rq).read()


def main():
    kind, ep, tmp, day, auditship = sys.argv[1:]
    srv = S3(ep) if kind == "s3" else Azblob(ep)
    pty_progress = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pty_progress.py")
    live = os.path.join(tmp, "live.jsonl")
    open(live, "w").close()
    size = os.path.getsize(day)

    def updates():
        with open(live) as f:
            return [json.loads(l) for l in f if l.endswith("\n")]

    def until(what, cond, secs=30):
        end = time.monotonic() + secs
        while time.monotonic() < end:
            v = cond()
            if v:
                return v
            if proc.poll() is not None and not cond():
                raise SystemExit("ship exited (rc %s) while waiting for %s" % (proc.returncode, what))
            time.sleep(0.05)
        raise SystemExit("timed out waiting for " + what)

    def committed():
        """Highest offset committed in the state file and its journal."""
        hi = 0
        for name in ("state", "state.journal"):
            try:
                text = open(os.path.join(tmp, "state", name)).read()
            except FileNotFoundError:
                continue
            hi = max([hi] + [int(m) for m in re.findall(r"\toff=(\d+)", text)])
        return hi

    def readable():
        """Bytes of the day the answered parts decompress to."""
        data = urllib.request.urlopen(ep + "/_admin/answered").read()
        return len(zlib.decompressobj(31).decompress(data))

    proc = subprocess.Popen([sys.executable, pty_progress, os.path.join(tmp, "p.json"), "--live", live,
                             "--", auditship, "-c", os.path.join(tmp, "c.ini"), "ship"])
    try:
        k, shown = 0, 0.0
        while True:
            until("part %d at the server" % (k + 1), lambda: srv.waiting() == 1)
            assert srv.completes() == 0, "completed with a part unanswered"
            assert committed() == 0, "an offset was committed before the object (%d)" % committed()
            k += 1
            srv.release(k)
            cur = until("a figure above %.1f MiB after part %d" % (shown, k),
                        lambda: [u for u in updates() if u["done"] > shown])[-1]
            ok_bytes = readable()
            assert cur["done"] <= ok_bytes / MIB + 0.05, \
                "part %d: shows %.1f MiB, the answered parts hold %.2f MiB" % (k, cur["done"], ok_bytes / MIB)
            assert abs(cur["total"] - size / MIB) <= 0.051, "total %r" % cur["total"]
            shown = cur["done"]
            print("%s part %d answered: the line shows %.1f of %.1f MiB (the parts hold %.2f MiB)" %
                  (kind, k, cur["done"], cur["total"], ok_bytes / MIB))
            if cur["done"] >= cur["total"]:
                break
            assert srv.completes() == 0, "object completed before the line reached the total"
            assert k < 40, "too many parts"
        assert k >= 3, "only %d parts: the test needs a larger day" % k
        rc = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert rc == 0, "pty_progress rc %r" % rc
    r = json.load(open(os.path.join(tmp, "p.json")))
    assert r["rc"] == 0, "ship rc %r: %s" % (r["rc"], r["text"][-800:])
    done = [u["done"] for u in r["updates"]]
    assert done == sorted(done), "the figure went back: %r" % done
    assert done[-1] == r["updates"][-1]["total"], "last figure %r" % done[-1]
    assert srv.completes() == 1 and srv.objects() == 1, srv.state()["counters"]
    assert committed() == size, "committed %d of %d" % (committed(), size)
    print("%s: %d parts, %d updates, figures %r" % (kind, k, len(done), sorted(set(done))))


if __name__ == "__main__":
    main()
