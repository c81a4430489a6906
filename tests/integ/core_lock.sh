#!/usr/bin/env bash
# SPEC 5: one auditship per state_dir; a second ship exits 75 at once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
core_setup
D1=$(utc_day '2 days ago')
gen_day "$SRC/$D1.jsonl" 50 1; backdate "$SRC/$D1.jsonl"
mkdir -p "$STATE"
# hold the lock from outside, as a running auditship would
exec 9>"$STATE/lock"
flock -n 9 || fail "could not take the lock for the test"
start=$(date +%s%N)
run "$AUDITSHIP" -c "$CONF" ship
ms=$(( ($(date +%s%N) - start) / 1000000 ))
assert_eq "$RC" 75 "second instance exit code"
assert_contains "$ERR" "lock" "message says why"
[ "$ms" -lt 2000 ] || fail "locked ship must exit immediately (took ${ms} ms)"
[ -z "$(find "$T" -name '*.jsonl.gz')" ] || fail "locked ship shipped something"
run "$AUDITSHIP" -c "$CONF" run
assert_eq "$RC" 75 "run while locked"
exec 9>&-
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship once the lock is free"
pass "lock contention exits 75; status works without the lock"
run "$AUDITSHIP" -c "$CONF" status
assert_eq "$RC" 0 "status"
