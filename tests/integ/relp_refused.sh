#!/usr/bin/env bash
# relp destination, a receiver that answers "500" to one frame (a strict
# fake RELP receiver, tests/integ/relp_fake.py: rsyslogd does not refuse on
# demand): the refusal is reported, the run is retried (SPEC §3.5) and
# every line arrives; librelp drops a refused frame from its resend list,
# so the whole run goes again: duplicates are counted, nothing is lost.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/relp_rsyslogd.bash"

PORT=$(free_port)
REC="$T/fake.log"
python3 "$SRC_DIR/tests/integ/relp_fake.py" "$PORT" --record "$REC" --fail 700 &
FAKE=$!
on_exit "kill $FAKE"
listening_fake() { [ -n "$(ss -Hlt "sport = :$PORT" 2>/dev/null)" ]; }
wait_for "relp_fake on $PORT" 10 listening_fake

DAY=$(utc_day yesterday)
relp_setup "address = 127.0.0.1:$PORT"
gen_day "$SRC/$DAY.jsonl" 2000 9
backdate "$SRC/$DAY.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship after a refusal ($ERR)"
assert_contains "$ERR" "rsp 500" "the refusal is reported"
assert_contains "$ERR" "will be sent again" "and the resend"
[ ! -s "$REC.violations" ] || fail "RELP protocol violations: $(cat "$REC.violations")"
run syslog_check "$REC" "$SRC/$DAY.jsonl" --at-least-once
echo "$OUT"
assert_eq "$RC" 0 "every line arrived"
pass "a frame refused with 500: reported, the run retried, 0 lost ($(sed -n 's/.* \([0-9]*\) duplicates$/\1/p' <<<"$OUT") duplicates)"
