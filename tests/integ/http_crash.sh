#!/usr/bin/env bash
# http destination and SPEC §3.1: `kill -9` while a batch is in flight,
# then a clean run.  Nothing is lost; the only events the intake holds twice
# are the one batch that was in flight (the intake answered it after the
# client died), as one contiguous run of lines.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_env.inc"

SRC="$T/audit"; mkdir -p "$SRC"
start_intake crash
DAY=$(utc_day yesterday)
gen_day "$SRC/$DAY.jsonl" 12000 9
touch -d '1 hour ago' "$SRC/$DAY.jsonl"
http_conf "$T/c.ini"

# The 5th request is answered 4 s late: that is when the kill lands.
intake_script '[{"action":"pass","count":4},{"action":"delay","seconds":4}]'
"$AUDITSHIP" -c "$T/c.ini" ship >"$T/ship1.out" 2>&1 &
pid=$!
on_exit "kill -9 $pid"
wait_for "4 batches acknowledged" 20 reqs_at_least 4
sleep 1
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
n_before=$(wc -l <"$INTAKE_REC")
[ "$n_before" -ge 1 ] && [ "$n_before" -lt 12000 ] || fail "kill did not land mid-run ($n_before events)"
# Let the late answer land at the intake: it records the batch.
wait_for "the in-flight batch recorded" 10 reqs_at_least 5
pass "killed mid-run with $n_before events recorded"

run "$AUDITSHIP" -c "$T/c.ini" ship
assert_eq "$RC" 0 "clean run after kill -9 ($ERR)"
http_check --max-dups 1000 >"$T/v" || fail "$(cat "$T/v")"
pass "after kill -9 and a clean run: $(cat "$T/v")"
