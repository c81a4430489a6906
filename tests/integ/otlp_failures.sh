#!/usr/bin/env bash
# otlp destination: each answer of the OTLP/HTTP specification handled as
# it says.  429/503 with Retry-After and 502/504: retried after the wait,
# every line once.  200 with partialSuccess.rejectedLogRecords: reported
# with the server's message, counted as rejected, exit 1, never resent, and
# the next run goes on.  400 and 500: not retried, body quoted, nothing
# lost (the next run sends it).  401: stops at once.  The api key travels
# in auth_header, header.NAME beside it, and never in any output.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/otlp_env.bash"

KEY="otlp-secret-key-8c1d2e3f"
export OTLP_TEST_KEY="$KEY"

# scenario SCRIPT LINES [dest lines...]: a fresh receiver answering SCRIPT,
# a fresh corpus, one ship; ELAPSED_MS.
scenario() {
	local script=$1 lines=$2
	shift 2
	[ -n "${OTLP_PID:-}" ] && otlp_stop
	otlp_start --script "$script" --log-header Authorization --log-header X-Scope-OrgID
	otlp_setup "$lines" "max_batch_events = 500" "$@"
	local t0=$(date +%s%N)
	run "$AUDITSHIP" -c "$CONF" ship
	ELAPSED_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}

scenario '[{"status":503,"retry_after":"1"},{"status":429,"retry_after":"2"},{"status":502},{"status":504}]' 1200
assert_eq "$RC" 0 "retryable answers ($ERR)"
assert_eq "$(otlp_requests status | awk "NR<=5" | tr '\n' ' ')" "503 429 502 504 200 " "answers in order"
assert_contains "$ERR" "receiver answered 503" "503 reported"
[ "$ELAPSED_MS" -ge 3000 ] || fail "Retry-After 1 + 2 s not honoured: ${ELAPSED_MS}ms"
run otlp_check
assert_eq "$RC" 0 "after retries: $OUT"
pass "429/502/503/504 retried (Retry-After honoured), every line once"

scenario '[{"status":200},{"partial":2,"message":"timestamp too old"}]' 1200
assert_eq "$RC" 1 "partial success exits 1"
assert_contains "$ERR" "REJECTED 2 of 500 log records" "rejection reported loudly"
assert_contains "$ERR" "timestamp too old" "the server's message quoted"
assert_eq "$(otlp_requests status | tr '\n' ' ')" "200 200 " "not retried, the run stopped there"
run "$AUDITSHIP" -c "$CONF" status --json
assert_contains "$OUT" '"rejected_lines":2' "counted as rejected in status"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "the next run goes on ($ERR)"
assert_eq "$(wc -l <"$OTLP_REC.requests")" 3 "the rejected batch was not resent"
# The receiver drops the first 2 records of the 2nd request: lines 500, 501.
missing=$(python3 - "$SRC/$DAY.jsonl" <<'PY'
import sys
off, n, out = 0, 0, []
for raw in open(sys.argv[1], "rb").read().split(b"\n")[:-1]:
    if raw:
        if n in (500, 501):
            out.append("%s:%d" % (sys.argv[1].rsplit("/", 1)[1], off))
        n += 1
    off += len(raw) + 1
print(",".join(out))
PY
)
run otlp_check --allow-missing "$missing"
assert_eq "$RC" 0 "all but the 2 rejected delivered once: $OUT"
pass "partial success: reported, counted, exit 1, never resent"

scenario '[{"status":400,"body":"bad field timeUnixNano"}]' 300
assert_eq "$RC" 1 "400 exits 1"
assert_contains "$ERR" "receiver answered 400 (not retried)" "400 reported"
assert_contains "$ERR" "bad field timeUnixNano" "400 body quoted"
assert_eq "$(wc -l <"$OTLP_REC.requests")" 1 "400 not retried"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "next run ($ERR)"
run otlp_check
assert_eq "$RC" 0 "nothing lost after a 400: $OUT"
pass "400: not retried, body quoted, nothing lost"

scenario '[{"status":500}]' 300
assert_eq "$RC" 1 "500 exits 1 (OTLP: not retryable)"
assert_eq "$(wc -l <"$OTLP_REC.requests")" 1 "500 not retried"
pass "500: not retried"

scenario '[{"status":401,"count":5}]' 300 "api_key_env = OTLP_TEST_KEY"
assert_eq "$RC" 1 "401 exits 1"
assert_contains "$ERR" "receiver answered 401: the key was not accepted" "401 names the key"
assert_eq "$(wc -l <"$OTLP_REC.requests")" 1 "401: one request, no retry storm"
pass "401: stops at once"

scenario '[]' 300 "api_key_env = OTLP_TEST_KEY" "header.X-Scope-OrgID = tenant-7" "auth_header = Authorization"
assert_eq "$RC" 0 "with a key ($ERR)"
python3 - "$OTLP_REC.requests" "$KEY" <<'PY' || fail "headers on the wire"
import json, sys
for l in open(sys.argv[1]):
    h = json.loads(l)["headers"]
    assert h["Authorization"] == sys.argv[2], h
    assert h["X-Scope-OrgID"] == "tenant-7", h
PY
run "$AUDITSHIP" -c "$CONF" -v ship 2>/dev/null || true
run "$AUDITSHIP" -c "$CONF" status --json
assert_not_contains "$OUT$ERR" "$KEY" "the key never printed"
pass "api key in auth_header, header.NAME sent, key never printed"
