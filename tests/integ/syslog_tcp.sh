#!/usr/bin/env bash
# syslog over tcp into a real rsyslogd: every line exactly once, RFC 5424
# fields parse back (SD file/offset, event timestamps), bad input carried
# escaped, both framings, host names in address, a no-op second run,
# check --connect (reachable, then refused).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/syslog_rsyslogd.bash"

rs_start tcp
syslog_setup "transport = tcp" "address = localhost:$RS_PORT"

# syslog_corpus FILE N SEED: N generated lines plus every kind of bad input.
syslog_corpus() {
	gen_day "$1" "$2" "$3"
	{
		printf 'not json at all\n'
		printf '\x01\x02binary\x00junk\xff\xfe\x7f\n'
		printf '{"a":"\xc3\x28 invalid utf-8"}\n'
		printf '{"a":1,\r"b":\t2}\n'
		printf '{"crlf":true}\r\n'
		printf '{"ts":"2026-11-20T10:00:00Z","tool":"Ba\n'
		printf 'a "quoted" \\ back ] bracket\ttab\n'
		printf '\n'
		printf '{"ts":"2026-11-20T16:00:00.123456789+01:00","x":"caf\xc3\xa9 \xe2\x82\xac"}\n'
		printf '{"timestamp":"2026-11-20t15:00:00z","x":1}\n'
		printf '{"ts":"2026-02-30T00:00:00Z","bad":"date"}\n'
		python3 -c 'import json; print(json.dumps({"ts":"2026-11-20T12:00:00Z","big":"x"*150000}))'
	} >>"$1"
	gen_day "$1" 20 "$((3 + 1000))"
}

D1=$(utc_day yesterday); D2=$(utc_day '2 days ago')
syslog_corpus "$SRC/$D1.jsonl" 3000 7
backdate "$SRC/$D1.jsonl"
n1=$(count_lines "$SRC/$D1.jsonl")

run "$AUDITSHIP" -c "$CONF" check --connect
assert_eq "$RC" 0 "check --connect to a listening rsyslogd ($ERR)"

run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship over tcp ($ERR)"
rs_wait_count "$n1" 20
syslog_check "$RS_OUT" "$SRC/$D1.jsonl" >"$T/c1" || fail "tcp delivery: $(cat "$T/c1")"
pass "tcp, octet counting: $(cat "$T/c1")"

run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "second ship"
sleep 0.5
assert_eq "$(rs_count)" "$n1" "second ship sends nothing"
pass "second run is a no-op"

run "$AUDITSHIP" -c "$CONF" status --json
python3 - "$OUT" <<'PY' || fail "status counts invalid lines: $OUT"
import json, sys
doc = json.loads(sys.argv[1])
# not json, binary junk, invalid UTF-8, truncated, quoted/bracket/tab line
got = doc["destinations"][0]["invalid_lines"]
assert got == 5, got
PY
pass "status counts the lines carried escaped"

# newline framing (RFC 6587 §3.4.2) into the same listener, another day
sed -i 's/^transport = tcp$/transport = tcp\nframing = newline/' "$CONF"
syslog_corpus "$SRC/$D2.jsonl" 500 8
backdate "$SRC/$D2.jsonl"
n2=$(count_lines "$SRC/$D2.jsonl")
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship with newline framing ($ERR)"
rs_wait_count "$((n1 + n2))" 20
syslog_check "$RS_OUT" "$SRC/$D1.jsonl" "$SRC/$D2.jsonl" >"$T/c2" || fail "newline framing: $(cat "$T/c2")"
pass "tcp, newline framing: $(cat "$T/c2")"

rs_stop
run "$AUDITSHIP" -c "$CONF" check --connect
assert_eq "$RC" 1 "check --connect with rsyslogd stopped"
assert_contains "$ERR" "Connection refused" "check says refused"
pass "check --connect: refused is reported ($(grep -m1 refused <<<"$ERR"))"
