#!/usr/bin/env bash
# rsyslogd stopped and restarted in the middle of a ship: auditship notices
# (a failed write or the closed connection), backs off, reconnects, resends
# what the old connection may not have delivered, and once rsyslogd is
# back every line is there (duplicates allowed, SPEC §3.1: at least once).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/syslog_rsyslogd.bash"

# A receiver slow enough (about 30k messages/s) that the ship is surely
# still running when it is stopped: a small main queue dequeued slowly.
RS_EXTRA='main_queue(queue.size="2000" queue.dequeueBatchSize="32" queue.dequeueSlowdown="1000" queue.timeoutShutdown="5000")'

for transport in tcp tls; do
	RS_DIR=$T/rs-$transport; RS_PORT=$(free_port)
	if [ "$transport" = tls ]; then
		CERTS=$T/certs; syslog_certs "$CERTS"; rs_start tls
		syslog_setup "transport = tls" "address = 127.0.0.1:$RS_PORT" "ca_file = $CERTS/ca.pem"
	else
		rs_start tcp
		syslog_setup "transport = tcp" "address = 127.0.0.1:$RS_PORT"
	fi
	rm -rf "$STATE" "$SRC"; mkdir -p "$SRC"
	D=$(utc_day yesterday)
	gen_day "$SRC/$D.jsonl" 60000 31
	backdate "$SRC/$D.jsonl"

	"$AUDITSHIP" -c "$CONF" ship >"$T/ship.out" 2>"$T/ship.err" &
	ship=$!
	on_exit "kill $ship"
	rs_wait_count 10000 30
	kill -0 "$ship" 2>/dev/null || fail "$transport: ship finished before rsyslogd could be stopped"
	rs_stop
	at_stop=$(rs_count)
	sleep 2
	kill -0 "$ship" 2>/dev/null || fail "$transport: ship gave up while rsyslogd was down: $(cat "$T/ship.err")"
	rs_restart
	set +e; wait "$ship"; rc=$?; set -e
	assert_eq "$rc" 0 "$transport: ship across a restart ($(cat "$T/ship.err"))"
	grep -q "retrying" "$T/ship.err" || fail "$transport: the outage went unnoticed: $(cat "$T/ship.err")"
	rs_wait_count 60000 60
	syslog_check "$RS_OUT" "$SRC/$D.jsonl" --at-least-once >"$T/c" || fail "$transport restart: $(cat "$T/c")"
	pass "$transport: stopped at $at_stop of 60000, restarted: $(cat "$T/c")"
	grep -m1 -E "resent|reconnect" "$T/ship.err" || true
	rs_stop
done

# --- follow mode: rsyslogd restarted while `auditship run` is idle between
# appends.  The closed connection is noticed before the next write (not by
# writing into a dead socket) and, as rsyslogd read everything before it
# closed in order, nothing is resent: exactly once.
RS_DIR=$T/rs-follow; RS_PORT=$(free_port); RS_EXTRA=
rs_start tcp
syslog_setup "transport = tcp" "address = 127.0.0.1:$RS_PORT"
rm -rf "$STATE" "$SRC"; mkdir -p "$SRC"
TODAY=$(utc_day)
"$AUDITSHIP" -c "$CONF" run >"$T/run.out" 2>"$T/run.err" &
follower=$!
on_exit "kill $follower"
gen_day "$SRC/$TODAY.jsonl" 500 41
rs_wait_count 500 20
rs_stop
rs_restart
gen_day "$SRC/$TODAY.jsonl" 500 42
rs_wait_count 1000 30
kill -TERM "$follower"
set +e; wait "$follower"; rc=$?; set -e
assert_eq "$rc" 0 "run stops cleanly on SIGTERM ($(cat "$T/run.err"))"
grep -q "peer closed the connection; reconnecting" "$T/run.err" ||
	fail "the closed connection was not noticed before writing: $(cat "$T/run.err")"
syslog_check "$RS_OUT" "$SRC/$TODAY.jsonl" >"$T/c" || fail "follow restart: $(cat "$T/c")"
pass "run across an idle restart: $(cat "$T/c")"
