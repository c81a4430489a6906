#!/usr/bin/env bash
# relp destination against a real rsyslogd with imrelp: a corpus (with an
# invalid line and an empty one) arrives exactly once, every field parsed
# back (syslog_check.py: PRI, TIMESTAMP, HOSTNAME, APP-NAME, the SPEC §3.2
# SD, MSG byte for byte), in RFC 5424 and RFC 3164; a rerun sends nothing;
# check --connect opens and closes a RELP session, and names a dead one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/relp_rsyslogd.bash"

relp_start plain
DAY=$(utc_day yesterday)
relp_setup "address = 127.0.0.1:$RS_PORT" "window = 64"
gen_day "$SRC/$DAY.jsonl" 9000 3
printf '{"ts":"2026-11-20T00:00:00Z","truncated\n\n\xff\x01 binary\n' >>"$SRC/$DAY.jsonl"
gen_day "$SRC/$DAY.jsonl" 10 4
backdate "$SRC/$DAY.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship ($ERR)"
total=$(count_lines "$SRC/$DAY.jsonl")
rs_wait_count "$total" 10
run syslog_check "$RS_OUT" "$SRC/$DAY.jsonl" --pri 134
echo "$OUT"
assert_eq "$RC" 0 "rfc5424 round trip"
run "$AUDITSHIP" -c "$CONF" status --json
assert_contains "$OUT" '"invalid_lines":2' "invalid lines counted"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "rerun ($ERR)"
assert_eq "$(rs_count)" "$total" "rerun sent nothing"
pass "rfc5424: $total lines once each, every field parsed back"

# RFC 3164, another facility and severity, a new state.
: >"$RS_OUT"
relp_setup "address = 127.0.0.1:$RS_PORT" "format = rfc3164" "facility = auth" \
	"severity = notice" "app_name = agent-audit"
rm -rf "$STATE"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "rfc3164 ship ($ERR)"
rs_wait_count "$total" 10
run syslog_check "$RS_OUT" "$SRC/$DAY.jsonl" --rfc3164 --pri 37 --app agent-audit
echo "$OUT"
assert_eq "$RC" 0 "rfc3164 round trip"
pass "rfc3164: facility, severity, app_name as configured"

run "$AUDITSHIP" -c "$CONF" check --connect
assert_eq "$RC" 0 "check --connect ($ERR)"
assert_contains "$OUT" "rl: ok" "check --connect reports the session"
relp_kill
run "$AUDITSHIP" -c "$CONF" check --connect
assert_eq "$RC" 1 "check --connect, receiver down"
assert_contains "$OUT$ERR" "rl" "the destination is named"
assert_contains "$OUT$ERR" "127.0.0.1:$RS_PORT" "the address is named"
pass "check --connect opens and closes a RELP session"
