#!/usr/bin/env bash
# relp destination, receiver killed (SIGKILL) and restarted 5 times in the
# middle of a ship: nothing lost, and duplicates only of frames that were
# sent but not yet acknowledged (librelp resends exactly those on the new
# session), counted and bounded: at most one window (32) per kill, plus one
# run (4096 records) for a kill that lands on a session's close.  Then the
# receiver stalled with SIGSTOP: back-pressure (auditship waits within its
# timeout, the window bounds what is in flight), nothing lost, no
# duplicates.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/relp_rsyslogd.bash"

relp_start plain
DAY=$(utc_day yesterday)
relp_setup "address = 127.0.0.1:$RS_PORT" "window = 32" "timeout = 20s" "retry_max = 50"
gen_day "$SRC/$DAY.jsonl" 60000 11
backdate "$SRC/$DAY.jsonl"
total=$(count_lines "$SRC/$DAY.jsonl")

t0=$(date +%s)
"$AUDITSHIP" -c "$CONF" ship >"$T/ship.out" 2>"$T/ship.err" &
SHIP=$!
on_exit "kill $SHIP"
# Each kill: auditship runs in short bursts (SIGCONT, 20 ms, SIGSTOP) until
# 300 more messages arrived, so it is frozen whenever the count is read and
# a slow poll on a loaded machine can never let it race to the end of the
# 60,000 lines before the fifth kill; a busier machine only means less
# progress per burst.  Then the receiver is killed with frames in flight
# and restarted, and auditship goes on (SIGCONT) into the broken session.
ship_stopped() { [ "$(ps -o state= -p "$SHIP" | tr -d ' ')" = T ]; }
kill -STOP "$SHIP"
wait_for "auditship frozen" 10 ship_stopped
got=0
for k in 1 2 3 4 5; do
	want=$(( got + 300 ))
	for ((i = 0; i < 3000; i++)); do
		[ "$(rs_count)" -ge "$want" ] && break
		kill -0 "$SHIP" 2>/dev/null || fail "ship ended before kill $k ($(rs_count) of $total)"
		kill -CONT "$SHIP"
		sleep 0.02	# one burst of work, not a wait for a condition
		kill -STOP "$SHIP" 2>/dev/null || fail "ship ended before kill $k"
		wait_for "auditship frozen" 10 ship_stopped
	done
	got=$(rs_count)
	[ "$got" -lt "$total" ] || fail "kill $k came too late"
	relp_kill
	echo "kill $k at $got of $total messages"
	relp_restart
done
kill -CONT "$SHIP"
wait "$SHIP" && rc=0 || rc=$?
echo "shipped in $(( $(date +%s) - t0 )) s"
ERR=$(cat "$T/ship.err")
assert_eq "$rc" 0 "ship across 5 kills ($ERR)"
assert_contains "$ERR" "RELP session" "the broken sessions are reported"
run syslog_check "$RS_OUT" "$SRC/$DAY.jsonl" --at-least-once
echo "$OUT"
assert_eq "$RC" 0 "nothing lost across 5 kills"
dups=$(sed -n 's/.* \([0-9]*\) duplicates$/\1/p' <<<"$OUT")
[ "$dups" -le $(( 5 * (32 + 4096) )) ] || fail "$dups duplicates: more than frames in flight"
pass "5 SIGKILLs of the receiver mid-ship: 0 lost, $dups duplicates (frames sent, not yet acknowledged)"

# Stalled receiver: SIGSTOP for 3 s, then SIGCONT (a fresh receiver and
# state).
relp_kill
RS_DIR="$T/rsyslog2"; RS_PORT=$(free_port)
relp_start plain
sed -i "s/^address = .*/address = 127.0.0.1:$RS_PORT/" "$CONF"
rm -rf "$STATE"
"$AUDITSHIP" -c "$CONF" ship >"$T/ship.out" 2>"$T/ship.err" &
SHIP=$!
at_least() { [ "$(rs_count)" -ge "$1" ]; }
wait_for "first messages" 20 at_least 5000
kill -STOP "$RS_PID"
stopped() { [ "$(ps -o state= -p "$RS_PID" | tr -d ' ')" = T ]; }
wait_for "rsyslogd stopped" 10 stopped
a=$(rs_count)
sleep 3	# the stall itself, not a wait for a condition
b=$(rs_count)
assert_eq "$b" "$a" "nothing written while stopped"
kill -0 "$SHIP" 2>/dev/null || fail "ship did not wait for the stalled receiver"
kill -CONT "$RS_PID"
wait "$SHIP" && rc=0 || rc=$?
assert_eq "$rc" 0 "ship after the stall ($(cat "$T/ship.err"))"
run syslog_check "$RS_OUT" "$SRC/$DAY.jsonl"
echo "$OUT"
assert_eq "$RC" 0 "stall: every line exactly once"
pass "stalled receiver: auditship waited (back-pressure), 0 lost, 0 duplicates"
