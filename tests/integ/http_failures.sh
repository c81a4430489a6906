#!/usr/bin/env bash
# http destination under a hostile intake (SPEC §3.5): 429 with Retry-After
# (delay-seconds and HTTP-date), 500/503 bursts, a connection reset in the
# middle of the body, a stalled server (timeout), 413 (scripted, and a real
# one from a payload over Datadog's 5 MB), and a 400 for one poisoned
# event.  Each case ends with every line delivered exactly once (the 400
# case: all but the refused event, which is reported).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_env.inc"

start_intake fail
DAY=$(utc_day yesterday)
n=0

# scenario NAME LINES [config lines...]: a fresh audit dir and state with
# LINES generated lines, intake logs emptied; runs ship once.
scenario() {
	local name=$1 lines=$2
	shift 2
	n=$((n + 1))
	SRC="$T/audit$n"; mkdir -p "$SRC"
	gen_day "$SRC/$DAY.jsonl" "$lines" 1
	touch -d '1 hour ago' "$SRC/$DAY.jsonl"
	http_conf "$T/c$n.ini" "$@"
	sed -i "s|^state_dir = .*|state_dir = $T/state$n|" "$T/c$n.ini"
	: >"$INTAKE_REC"; : >"$INTAKE_REC.requests"
	local t0=$(date +%s%N)
	run "$AUDITSHIP" -c "$T/c$n.ini" ship
	ELAPSED_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "-- $name: rc=$RC ${ELAPSED_MS}ms, $(requests_count) requests"
}

intake_script '[{"status":429,"retry_after":"2"}]'
scenario 429-seconds 2500
assert_eq "$RC" 0 "429 seconds ($ERR)"
assert_contains "$ERR" "429" "429 reported"
assert_contains "$ERR" "retrying in 2000 ms" "Retry-After seconds honoured"
[ "$ELAPSED_MS" -ge 2000 ] || fail "429: waited only ${ELAPSED_MS}ms"
http_check >"$T/v" || fail "429: $(cat "$T/v")"
pass "429 with Retry-After: 2 -> waited, all delivered once"

intake_script "[{\"status\":429,\"retry_after\":\"$(date -u -d '+3 sec' '+%a, %d %b %Y %H:%M:%S GMT')\"}]"
scenario 429-date 2500
assert_eq "$RC" 0 "429 date ($ERR)"
[ "$ELAPSED_MS" -ge 1000 ] || fail "429 date: waited only ${ELAPSED_MS}ms"
grep -Eq "retrying in [123][0-9]{3} ms" <<<"$ERR" || fail "HTTP-date Retry-After not honoured: $ERR"
http_check >"$T/v" || fail "429 date: $(cat "$T/v")"
pass "429 with an HTTP-date Retry-After"

intake_script '[{"status":503,"count":2},{"status":500},{"status":502}]'
scenario 5xx-burst 2500
assert_eq "$RC" 0 "5xx burst ($ERR)"
assert_eq "$(req_field status | awk "NR<=4" | tr '\n' ' ')" "503 503 500 502 " "burst answers"
http_check >"$T/v" || fail "5xx: $(cat "$T/v")"
pass "500/503 burst retried, all delivered once"

intake_script '[{"action":"reset"}]'
scenario reset 2500
assert_eq "$RC" 0 "reset ($ERR)"
grep -Eqi "reset|recv failure|send failure|empty reply" <<<"$ERR" || fail "reset not reported: $ERR"
http_check >"$T/v" || fail "reset: $(cat "$T/v")"
pass "connection reset mid-body retried"

intake_script '[{"action":"stall","seconds":6}]'
scenario stall 2500 "timeout = 2s"
assert_eq "$RC" 0 "stall ($ERR)"
assert_contains "$ERR" "timed out" "timeout reported"
http_check >"$T/v" || fail "stall: $(cat "$T/v")"
pass "stalled intake times out, retried"

intake_script '[{"status":413,"count":2}]'
scenario 413-scripted 2500
assert_eq "$RC" 0 "413 ($ERR)"
assert_eq "$(req_field status | awk "NR<=2" | tr '\n' ' ')" "413 413 " "413 answers"
http_check >"$T/v" || fail "413: $(cat "$T/v")"
pass "413 splits the batch, all delivered once"

# A real 413: max_batch_bytes above Datadog's 5 MB, events of ~400 KB.
intake_script '[]'
n=$((n + 1)); SRC="$T/audit$n"; mkdir -p "$SRC"
python3 -c '
import json, sys
for i in range(40):
    print(json.dumps({"i": i, "blob": "%06d" % i * 66000}))' >"$SRC/$DAY.jsonl"
touch -d '1 hour ago' "$SRC/$DAY.jsonl"
http_conf "$T/c$n.ini" "max_batch_bytes = 12M" "compress_level = 1"
sed -i "s|^state_dir = .*|state_dir = $T/state$n|" "$T/c$n.ini"
: >"$INTAKE_REC"; : >"$INTAKE_REC.requests"
run "$AUDITSHIP" -c "$T/c$n.ini" ship
assert_eq "$RC" 0 "real 413 ($ERR)"
req_field status | grep -cx 413 >/dev/null || fail "the intake never answered 413: $(req_field status | tr '\n' ' ')"
http_check >"$T/v" || fail "real 413: $(cat "$T/v")"
pass "payload over 5 MB: intake 413, split, all delivered once"

# The same events with the default max_batch_bytes: Datadog's limit is
# 5,000,000 bytes (not 5 MiB), so no request is ever refused as too large.
: >"$INTAKE_REC"; : >"$INTAKE_REC.requests"
http_conf "$T/c$n.ini" "compress_level = 1"
sed -i "s|^state_dir = .*|state_dir = $T/state$n-default|" "$T/c$n.ini"
run "$AUDITSHIP" -c "$T/c$n.ini" ship
assert_eq "$RC" 0 "default batch bytes ($ERR)"
assert_eq "$(req_field status | sort -u | tr '\n' ' ')" "202 " "every request accepted with the defaults"
big=$(req_field bytes | sort -n | tail -1)
[ "$big" -gt 4000000 ] && [ "$big" -le 5000000 ] || fail "largest payload $big bytes: not filled up to 5,000,000"
http_check >"$T/v" || fail "default batch bytes: $(cat "$T/v")"
pass "default max_batch_bytes: payloads up to $big bytes, no 413"

# 400 for one event: isolated by splitting, reported with the body, skipped.
SRC="$T/audit$((n + 1))"
poison=$(python3 -c '
import sys
d = open(sys.argv[1], "rb").read().split(b"\n")
print(sum(len(l) + 1 for l in d[:1700]))' "$T/audit1/$DAY.jsonl")
intake_script "$(python3 -c 'import json,sys
print(json.dumps([{"status":400,"count":-1,"match":"\"offset\":%s}" % sys.argv[1],
                   "body":"{\"errors\":[\"event refused: poison\"]}"}]))' "$poison")"
scenario 400-poison 2500
assert_eq "$RC" 0 "400 poison ($ERR)"
assert_contains "$ERR" "offset $poison: event refused by the intake (400)" "refused event reported"
assert_contains "$ERR" "event refused: poison" "response body quoted"
# Everything else arrived: compare against the file minus the refused line.
python3 - "$SRC/$DAY.jsonl" "$poison" <<'PY'
import sys
p, off = sys.argv[1], int(sys.argv[2])
d = open(p, "rb").read()
end = d.index(b"\n", off)
open(p, "wb").write(d[:off] + b"\n" * (end - off) + d[end:])
PY
http_check >"$T/v" || fail "400: $(cat "$T/v")"
pass "400 isolates the refused event, the rest delivered: $(cat "$T/v")"
