#!/usr/bin/env bash
# `auditship ship` with one destination down (issue 11 item 1, SPEC 2.3): an
# s3 destination at a closed port, listed first, and an http destination
# that works.  While s3 backs off, http gets its turn: all its lines are at
# the intake within seconds, long before s3's retry budget is spent; then
# ship waits for s3 within that budget and exits 1 naming it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_env.inc"

start_intake sb
SRC="$T/audit"; mkdir -p "$SRC"
PAST=$(utc_day '2 days ago')
gen_day "$SRC/$PAST.jsonl" 300 9
touch -d '1 hour ago' "$SRC/$PAST.jsonl"
CLOSED=$(free_port)
# conf FILE BUDGET: s3 (first) then http.
conf() {
	http_conf "$1"
	python3 - "$1" "$CLOSED" "$2" <<'PY'
import sys
path, port, budget = sys.argv[1:]
text = open(path).read()
s3 = ("[destination arch]\ntype = s3\nbucket = archive\nregion = us-east-1\n"
      "endpoint = http://127.0.0.1:%s\naccess_key_id = FAKEACCESSKEY000001\n"
      "secret_access_key = fakeSecretKey0000000000000000000000000001\n"
      "retry_max = 50\nretry_max_time = %s\n\n" % (port, budget))
i = text.index("[destination dd]")
open(path, "w").write(text[:i] + s3 + text[i:])
PY
}
lines_at_intake() { [ "$(wc -l <"$INTAKE_REC")" -ge "$1" ]; }

# 1. a long budget: http is served while s3 waits; SIGTERM ends the wait.
conf "$T/long.ini" 60s
sed -i "s|^state_dir = .*|state_dir = $T/state1|" "$T/long.ini"
"$AUDITSHIP" -c "$T/long.ini" ship 2>"$T/long.err" &
SHIPPID=$!
on_exit "kill -9 $SHIPPID"
wait_for "http lines while s3 backs off" 4 lines_at_intake 300
kill -0 "$SHIPPID" 2>/dev/null || fail "ship ended before s3's budget: $(tail -3 "$T/long.err")"
assert_contains "$(cat "$T/long.err")" "dest arch: " "s3 retry reported"
kill -TERM "$SHIPPID"
for ((i = 0; i < 50; i++)); do kill -0 "$SHIPPID" 2>/dev/null || break; sleep 0.02; done
kill -0 "$SHIPPID" 2>/dev/null && fail "ship still waiting 1 s after SIGTERM"
set +e; wait "$SHIPPID"; rc=$?; set -e
assert_eq "$rc" 1 "interrupted ship"
http_check >"$T/v" || fail "intake: $(cat "$T/v")"
pass "ship: http shipped in full while s3 (listed first) backed off; SIGTERM ended the wait"

# 2. a short budget: ship retries s3 within it, then exits 1 naming it.
: >"$INTAKE_REC"
conf "$T/short.ini" 2s
sed -i "s|^state_dir = .*|state_dir = $T/state2|" "$T/short.ini"
run "$AUDITSHIP" -c "$T/short.ini" ship
assert_eq "$RC" 1 "ship with s3 down"
assert_contains "$ERR" "dest arch: giving up" "s3 gave up within its budget"
http_check >"$T/v" || fail "intake: $(cat "$T/v")"
pass "ship: s3 retried within its budget, then exit 1; http complete ($(cat "$T/v"))"
