#!/usr/bin/env bash
# The progress line during one multipart object (issue 11 item 8): an
# `upload = daily` s3 destination against tests/integ/fake_s3.py, whose
# parts_gate holds the answer of every UploadPart until the test releases
# it.  Parts are released one by one; after each, the line's figure rises
# before the object is complete, never beyond what the answered parts
# decompress to, while no offset is committed; the object completes, the
# last figure is the whole day.  No timing bets: each step waits on a
# condition (a part waiting at the server, a new figure on the line).
. "$(dirname "$0")/lib.sh"

PORT=$(free_port)
AK=FAKEACCESSKEY000001
SK=fakeSecretKey0000000000000000000000000001
python3 "$SRC_DIR/tests/integ/fake_s3.py" --port "$PORT" --access-key "$AK" --secret-key "$SK" \
	--bucket daily >"$T/fake.log" 2>&1 &
FAKE_PID=$!
on_exit "kill $FAKE_PID"
EP="http://127.0.0.1:$PORT"
wait_for "fake S3" 10 curl -sf "$EP/_admin/state"
curl -sf -X POST -d '{"parts_gate": 0}' "$EP/_admin/config" >/dev/null

# A day that gzips poorly (random base64), so 5 MiB parts are few: ~24 MB
# of lines is 4 parts at compress_level 1.
SRC="$T/audit"; mkdir -p "$SRC"
DAY=$(utc_day '2 days ago')
python3 - "$SRC/$DAY.jsonl" <<'PY'
import base64, json, random, sys
rnd = random.Random(11)
with open(sys.argv[1], "w") as f:
    for i in range(24000):
        f.write(json.dumps({"n": i, "blob": base64.b64encode(rnd.randbytes(740)).decode()}) + "\n")
PY
touch -d '1 hour ago' "$SRC/$DAY.jsonl"
cat >"$T/c.ini" <<EOF
[auditship]
state_dir = $T/state
hostname = testhost
settle = 1s

[source]
dir = $SRC

[destination daily]
type = s3
bucket = daily
region = us-east-1
endpoint = $EP
access_key_id = $AK
secret_access_key = $SK
upload = daily
multipart_threshold = 5M
compress_level = 1
seal = false
EOF
chmod 600 "$T/c.ini"

python3 - "$EP" "$T" "$SRC/$DAY.jsonl" "$SRC_DIR/tests/integ/pty_progress.py" "$AUDITSHIP" <<'PY' || fail "progress of a multipart upload"
import json, os, re, subprocess, sys, time, urllib.request, zlib
ep, tmp, day, pty_progress, auditship = sys.argv[1:]
live = os.path.join(tmp, "live.jsonl")
open(live, "w").close()
size = os.path.getsize(day)
MiB = 1048576.0

def state():
    return json.load(urllib.request.urlopen(ep + "/_admin/state"))

def release(n):
    rq = urllib.request.Request(ep + "/_admin/config", data=json.dumps({"parts_gate": n}).encode(), method="POST")
    urllib.request.urlopen(rq).read()

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
        until("part %d at the server" % (k + 1),
              lambda: state()["counters"]["parts_waiting"] == 1)
        st = state()
        assert st["counters"]["completes"] == 0, "completed with a part unanswered"
        assert committed() == 0, "an offset was committed before the object (%d)" % committed()
        k += 1
        release(k)
        cur = until("a figure above %.1f MiB after part %d" % (shown, k),
                    lambda: [u for u in updates() if u["done"] > shown])[-1]
        ok_bytes = readable()
        assert cur["done"] <= ok_bytes / MiB + 0.05, \
            "part %d: shows %.1f MiB, the answered parts hold %.2f MiB" % (k, cur["done"], ok_bytes / MiB)
        assert abs(cur["total"] - size / MiB) <= 0.051, "total %r" % cur["total"]
        shown = cur["done"]
        st = state()
        print("part %d answered: line shows %.1f of %.1f MiB (parts hold %.2f MiB), completes %d" %
              (k, cur["done"], cur["total"], ok_bytes / MiB, st["counters"]["completes"]))
        if cur["done"] >= cur["total"]:
            break
        assert st["counters"]["completes"] == 0, "object completed before the line reached the total"
        assert k < 20, "too many parts"
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
st = state()
assert st["counters"]["completes"] == 1 and len(st["objects"]) == 1, st["counters"]
assert committed() == size, "committed %d of %d" % (committed(), size)
print("%d parts, %d updates, figures %r" % (k, len(done), sorted(set(done))))
PY
pass "multipart: the progress line rises with every answered part, offsets only at the end"
