#!/usr/bin/env bash
# `auditship run`: lines appended are shipped within seconds; the local
# midnight rollover is followed without a restart (TZ chosen so local
# midnight falls a few seconds into the test, day_boundary = local); the
# closed day's final fragment goes once it settles; SIGHUP with a bad
# config keeps the old one; SIGTERM exits 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
CORE_EXTRA_GLOBAL="day_boundary = local"
CORE_EXTRA_DEST="flush_interval = 1s"
core_setup

# A POSIX TZ whose local midnight is LEAD seconds from now.
LEAD=12
now=$(date +%s)
off=$(( (86400 - (now + LEAD) % 86400) % 86400 ))   # local = UTC + off
if [ "$off" -gt 43200 ]; then off=$((off - 86400)); fi
abs=${off#-}; sign=-; [ "$off" -lt 0 ] && sign=+
export TZ=$(printf 'AUD%s%02d:%02d:%02d' "$sign" $((abs / 3600)) $((abs % 3600 / 60)) $((abs % 60)))
A=$(date +%F)
B=$(date -d "@$((now + LEAD + 5))" +%F)
[ "$A" != "$B" ] || fail "test setup: TZ=$TZ does not roll over"

lines_in() { find "$ARCH" -name "$1.*.jsonl.gz" -exec zcat {} + 2>/dev/null | wc -l; }
lines_eq() { [ "$(lines_in "$1")" -eq "$2" ]; }

gen_day "$SRC/$A.jsonl" 50 1
"$AUDITSHIP" -c "$CONF" run 2>"$T/run.err" &
RUNPID=$!
on_exit "kill -9 $RUNPID"
wait_for "first lines shipped" 8 lines_eq "$A" 50
gen_day "$SRC/$A.jsonl" 30 2
printf '{"tail":"fragment without newline"' >>"$SRC/$A.jsonl"
wait_for "appended lines shipped" 8 lines_eq "$A" 80
pass "run ships appended lines within seconds"

# wait for local midnight, then the hook starts the new day's file
while [ "$(date +%F)" = "$A" ]; do sleep 0.2; done
gen_day "$SRC/$B.jsonl" 20 3
wait_for "new day's lines after midnight" 10 lines_eq "$B" 20
# the closed day's fragment follows once settled (settle = 1s)
wait_for "closed day's fragment" 10 sh -c "find '$ARCH' -name '$A.*' -exec zcat {} + | grep -c 'fragment without newline' >/dev/null"
verify "$ARCH" "$SRC" --expect-complete >"$T/v" || fail "archive after rollover: $(cat "$T/v")"
pass "midnight rollover followed without a restart ($A -> $B)"

# SIGHUP with a broken config: reported, old config kept
cp "$CONF" "$T/good.ini"
echo "bogus_key = 1" >>"$CONF"
kill -HUP "$RUNPID"
wait_for "reload error reported" 5 grep -q "keeping the running configuration" "$T/run.err"
gen_day "$SRC/$B.jsonl" 5 4
wait_for "still shipping after a bad reload" 8 lines_eq "$B" 25
cp "$T/good.ini" "$CONF"
kill -HUP "$RUNPID"
wait_for "reload" 5 grep -q "configuration reloaded" "$T/run.err"
pass "SIGHUP: bad config kept the old one; good config reloaded"

kill -TERM "$RUNPID"
rc=0; wait "$RUNPID" || rc=$?
assert_eq "$rc" 0 "run exits 0 on SIGTERM"
verify "$ARCH" "$SRC" --expect-complete >/dev/null || fail "archive complete at exit"
pass "SIGTERM: clean exit 0"
