#!/usr/bin/env bash
# `auditship run` with one destination down (issue 11 item 1, SPEC 2.3): an
# http destination that works and an s3 destination at a closed port with a
# closed past day to upload.  The s3 one backs off (its retries are due
# times, never sleeps in the loop), so: every line appended (one each 2 s)
# reaches the intake within 5 s, SIGHUP is acted on within 1 s, SIGTERM
# ends the process within 1 s; the s3 destination was retrying meanwhile.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_env.inc"

start_intake live
SRC="$T/audit"; mkdir -p "$SRC"
PAST=$(utc_day '2 days ago'); TODAY=$(utc_day)
gen_day "$SRC/$PAST.jsonl" 200 7
touch -d '1 hour ago' "$SRC/$PAST.jsonl"
: >"$SRC/$TODAY.jsonl"
CLOSED=$(free_port)		# nothing listens there
http_conf "$T/c.ini"
cat >>"$T/c.ini" <<EOC

[destination arch]
type = s3
bucket = archive
region = us-east-1
endpoint = http://127.0.0.1:$CLOSED
access_key_id = FAKEACCESSKEY000001
secret_access_key = fakeSecretKey0000000000000000000000000001
retry_max = 30
retry_max_time = 10m
EOC

ms() { date +%s%3N; }
"$AUDITSHIP" -c "$T/c.ini" run 2>"$T/run.err" &
RUNPID=$!
on_exit "kill -9 $RUNPID"
wait_for "the past day at the intake" 10 sh -c "[ \$(wc -l <'$INTAKE_REC') -ge 200 ]"
wait_for "s3 backing off" 10 grep -q "dest arch: .*retrying in" "$T/run.err"

python3 "$SRC_DIR/tests/integ/append_latency.py" "$SRC/$TODAY.jsonl" "$INTAKE_REC" \
	1 8 2 5 >"$T/lat1" || fail "while s3 backs off: $(cat "$T/lat1")"
pass "8 lines appended every 2 s, each at the intake within 5 s ($(cat "$T/lat1"))"

n0=$(grep -c "configuration reloaded" "$T/run.err" || true)
t0=$(ms)
kill -HUP "$RUNPID"
wait_for "SIGHUP reload" 5 sh -c "[ \$(grep -c 'configuration reloaded' '$T/run.err') -gt $n0 ]"
dt=$(( $(ms) - t0 ))
[ "$dt" -le 1000 ] || fail "SIGHUP took $dt ms to act on"
pass "SIGHUP acted on in $dt ms while s3 backs off"

python3 "$SRC_DIR/tests/integ/append_latency.py" "$SRC/$TODAY.jsonl" "$INTAKE_REC" \
	9 7 2 5 >"$T/lat2" || fail "after SIGHUP: $(cat "$T/lat2")"
pass "7 more lines after the reload, each within 5 s ($(cat "$T/lat2"))"

retries=$(grep -c "dest arch: .*retrying in" "$T/run.err" || true)
[ "$retries" -ge 3 ] || fail "s3 retried only $retries times: $(tail -5 "$T/run.err")"
assert_not_contains "$(cat "$T/run.err")" "dest dd:" "the http destination had trouble"

t0=$(ms)
kill -TERM "$RUNPID"
for ((i = 0; i < 50; i++)); do kill -0 "$RUNPID" 2>/dev/null || break; sleep 0.02; done
dt=$(( $(ms) - t0 ))
kill -0 "$RUNPID" 2>/dev/null && fail "run still alive 1 s after SIGTERM"
set +e; wait "$RUNPID"; rc=$?; set -e
assert_eq "$rc" 0 "run exit status on SIGTERM"
[ "$dt" -le 1000 ] || fail "SIGTERM took $dt ms"
pass "SIGTERM ended run in $dt ms (s3 retried $retries times meanwhile)"

http_check >"$T/v" || fail "intake vs audit files: $(cat "$T/v")"
pass "every line at the intake exactly once: $(cat "$T/v")"
