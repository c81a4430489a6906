#!/usr/bin/env bash
# `auditship run`: a pass that inotify triggers visits only the files the
# events named (and each stream's today file), the periodic full pass
# everything else.  With the full pass pushed out of the test's reach
# (AUDITSHIP_RESCAN_MS=600000), lines appended to a closed, sealed day of
# the second stream and a new day file created there while run runs must
# still reach a real rsyslogd within seconds: from their events alone.
# Then, with full passes every second, what only a full pass does: the
# further seal of the day that changed after its seal, and a new stream.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/syslog_rsyslogd.bash"
[ "$(id -u)" -eq 0 ] || { echo "skip: needs root (each stream its own owner)"; exit 0; }

rs_start tcp
H=$T/home; ARCH=$T/archive; STATE=$T/state; CONF=$T/auditship.ini
D3=$(utc_day '3 days ago'); D2=$(utc_day '2 days ago'); D1=$(utc_day yesterday)
TODAY=$(utc_day)
for u in 1 2; do
	mkdir -p "$H/u$u/audit"
	gen_day "$H/u$u/audit/$D3.jsonl" 20 "$u"
	gen_day "$H/u$u/audit/$D2.jsonl" 10 "$((u + 10))"
	: >"$H/u$u/audit/$TODAY.jsonl"
	chown -R $((60010 + u)):$((60010 + u)) "$H/u$u"
done
find "$H" -name '*.jsonl' ! -name "$TODAY.jsonl" -exec touch -d '2 hours ago' {} +
cat >"$CONF" <<EOC
[auditship]
state_dir = $STATE
hostname = testhost
settle = 1s

[source]
dir = $H/*/audit

[destination archive]
type = dir
path = $ARCH

[destination syslog]
type = syslog
transport = tcp
address = 127.0.0.1:$RS_PORT
seal = false
EOC
chmod 600 "$CONF"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "first ship ($ERR)"
rs_wait_count 60 20
u2=$ARCH/testhost/60012
[ -f "$u2/${D3//-//}/$D3.seal.json" ] || fail "first ship sealed $D3 of the second stream"
[ -f "$u2/${D1//-//}/$D1.seal.json" ] || fail "first ship: an empty seal for $D1"

marks() { grep -c "$1" "$RS_OUT" 2>/dev/null || true; }
marks_eq() { [ "$(marks "$1")" -eq "$2" ]; }

AUDITSHIP_RESCAN_MS=600000 "$AUDITSHIP" -c "$CONF" run 2>"$T/run.err" &
RUNPID=$!
on_exit "kill -9 $RUNPID 2>/dev/null"
# Watches are set before the catch-up pass: once a line appended now has
# arrived, that pass is over and every later append is seen as an event.
printf '{"ts":"%sT09:00:00Z","probe":"probe-u1"}\n' "$TODAY" >>"$H/u1/audit/$TODAY.jsonl"
wait_for "run's first pass" 10 marks_eq probe-u1 1
for i in 1 2 3; do
	printf '{"ts":"%sT10:00:0%dZ","late":"late-line-u2-%d"}\n' "$D3" "$i" "$i" \
		>>"$H/u2/audit/$D3.jsonl"
done
wait_for "late lines of a closed day of the second stream (inotify only)" 10 \
	marks_eq late-line-u2 3
pass "lines appended to a sealed day of the second stream ship from their event"

printf '{"ts":"%sT09:00:00Z","new":"new-file-u2"}\n' "$D1" >"$H/u2/audit/$D1.jsonl"
chown 60012:60012 "$H/u2/audit/$D1.jsonl"
printf '{"ts":"%sT09:00:00Z","today":"today-u1"}\n' "$TODAY" >>"$H/u1/audit/$TODAY.jsonl"
wait_for "a new day file of the second stream (inotify only)" 10 marks_eq new-file-u2 1
wait_for "today's line of the first stream" 10 marks_eq today-u1 1
pass "a new day file and today's lines ship from their events"
# A targeted pass seals nothing: the changed day waits for a full pass.
[ -z "$(find "$u2" -name "$D3.seal.2.json")" ] || fail "a targeted pass sealed $D3 again"
kill -TERM "$RUNPID"
rc=0; wait "$RUNPID" || rc=$?
assert_eq "$rc" 0 "run exits 0 on SIGTERM ($(cat "$T/run.err"))"

# Full passes every second: the further seal of the changed day, a
# stream that appeared (no watch for it yet), the events' days sealed.
mkdir -p "$H/u3/audit"
printf '{"ts":"%sT08:00:00Z","u3":"new-stream-u3"}\n' "$TODAY" >"$H/u3/audit/$TODAY.jsonl"
chown -R 60013:60013 "$H/u3"
AUDITSHIP_RESCAN_MS=1000 "$AUDITSHIP" -c "$CONF" run 2>"$T/run2.err" &
RUNPID=$!
on_exit "kill -9 $RUNPID 2>/dev/null"
wait_for "the further seal of $D3 (a full pass)" 15 \
	sh -c "find '$u2' -name '$D3.seal.2.json' | grep -q ."
mkdir -p "$H/u4/audit"
printf '{"ts":"%sT08:00:00Z","u4":"new-stream-u4"}\n' "$TODAY" >"$H/u4/audit/$TODAY.jsonl"
chown -R 60014:60014 "$H/u4"
wait_for "a stream that appeared while run runs (the rescan)" 10 marks_eq new-stream-u4 1
assert_eq "$(marks new-stream-u3)" 1 "the stream that appeared between runs"
wait_for "the new day of the second stream sealed (after its empty seal)" 15 \
	sh -c "find '$u2' -name '$D1.seal.2.json' | grep -q ."
kill -TERM "$RUNPID"
rc=0; wait "$RUNPID" || rc=$?
assert_eq "$rc" 0 "second run exits 0 ($(cat "$T/run2.err"))"
for m in late-line-u2 new-file-u2 today-u1; do
	[ "$(marks $m)" -ge 1 ] || fail "$m lost"
done
assert_eq "$(marks late-line-u2)" 3 "late lines once each"
run "$AUDITSHIP" -c "$CONF" verify
assert_eq "$RC" 0 "verify after the runs ($OUT $ERR)"
pass "full passes: the further seal, a new stream, verify clean"
