#!/usr/bin/env bash
# The progress line of `ship` (issue 11 item 8, SPEC 1): on a terminal (a
# pty) it moves during one big day, from bytes acknowledged: at least 4
# updates per destination, no gap over 1 s, bytes never go back, the last
# figure is the whole day; each destination's total is the day's size, not
# a sum over destinations.  The intake answers each request 0.2 s late (a
# server-side delay, so the ship takes seconds).  On a pipe: no progress.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_env.inc"

start_intake prog --script '[{"action": "delay", "seconds": 0.2, "count": -1}]'
SRC="$T/audit"; mkdir -p "$SRC"
DAY=$(utc_day '2 days ago')
gen_day "$SRC/$DAY.jsonl" 1600 5
touch -d '1 hour ago' "$SRC/$DAY.jsonl"
MIB=$(python3 -c "import os,sys; print('%.1f' % (os.path.getsize(sys.argv[1]) / 1048576))" "$SRC/$DAY.jsonl")
http_conf "$T/c.ini" "max_batch_events = 100"
# a second http destination to the same intake
sed -n '/^\[destination dd\]/,$p' "$T/c.ini" | sed 's/^\[destination dd\]/[destination dd2]/' >>"$T/c.ini"

python3 "$SRC_DIR/tests/integ/pty_progress.py" "$T/p.json" -- "$AUDITSHIP" -c "$T/c.ini" ship
python3 - "$T/p.json" "$MIB" <<'PY' || fail "progress on a terminal: $(cat "$T/p.json" | head -c 1500)"
import json, sys
r = json.load(open(sys.argv[1])); mib = float(sys.argv[2])
assert r["rc"] == 0, "rc %r" % r["rc"]
ups = r["updates"]
for dest in ("dd", "dd2"):
    u = [x for x in ups if x["dest"] == dest]
    assert len(u) >= 4, "%s: only %d updates" % (dest, len(u))
    done = [x["done"] for x in u]
    assert done == sorted(done), "%s: bytes went back: %r" % (dest, done)
    assert all(x["total"] == mib for x in u), "%s: total not the day's %.1f MiB: %r" % (dest, mib, u)
    assert done[-1] == mib, "%s: last figure %r, not %.1f" % (dest, done[-1], mib)
    gaps = [b["t"] - a["t"] for a, b in zip(u, u[1:])]
    assert max(gaps) <= 1.0, "%s: a gap of %.2f s between updates" % (dest, max(gaps))
    print("%s: %d updates over %.1f s, largest gap %.2f s" % (dest, len(u), u[-1]["t"] - u[0]["t"], max(gaps)))
PY
python3 - "$T/p.json" <<'PY' >"$T/summary"
import json, sys
r = json.load(open(sys.argv[1]))
print(len(r["updates"]), "updates")
PY
pass "progress on a pty: $(cat "$T/summary")"

# On a pipe (stderr not a terminal): nothing but diagnostics.
: >"$INTAKE_REC"
sed -i "s|^state_dir = .*|state_dir = $T/state2|" "$T/c.ini"
run "$AUDITSHIP" -c "$T/c.ini" ship
assert_eq "$RC" 0 "ship on a pipe"
assert_not_contains "$ERR" "shipped" "progress on a pipe"
assert_not_contains "$ERR" $'\r' "carriage return on a pipe"
pass "no progress line on a pipe"
