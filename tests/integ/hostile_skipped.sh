#!/usr/bin/env bash
# Issue 17 #8: day-file names that match the pattern but are a FIFO, a
# socket, a dangling or a looping symlink are reported once per run as a
# warning and listed by `status`; a source dir that is a symlink loop is
# reported as one, not as "does not exist".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
core_setup
D1=$(utc_day '2 days ago')
gen_day "$SRC/$D1.jsonl" 5 1; backdate "$SRC/$D1.jsonl"
mkfifo "$SRC/$(utc_day '3 days ago').jsonl"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$SRC/$(utc_day '4 days ago').jsonl"
ln -s "$T/nowhere" "$SRC/$(utc_day '5 days ago').jsonl"
ln -s "$(utc_day '6 days ago').jsonl" "$SRC/$(utc_day '6 days ago').jsonl"
run timeout 30 "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship ($ERR)"
for why in "a FIFO" "a socket" "a dangling symlink" "a symlink loop"; do
	[ "$(grep -c "is $why, not a regular file" <<<"$ERR")" -eq 1 ] || fail "warned once about $why: $ERR"
done
run "$AUDITSHIP" -c "$CONF" status
assert_eq "$RC" 0 "status"
[ "$(grep -c '^  skipped: ' <<<"$OUT")" -eq 4 ] || fail "status lists the four: $OUT"
assert_contains "$OUT" "skipped: $(utc_day '3 days ago').jsonl: a FIFO" "FIFO listed"
run "$AUDITSHIP" -c "$CONF" status --json
printf '%s' "$OUT" | python3 -c '
import json, sys
s = json.load(sys.stdin)["streams"][0]["skipped"]
assert sorted(x["why"] for x in s) == sorted(["a FIFO", "a socket", "a dangling symlink", "a symlink loop"]), s
' || fail "status --json lists them: $OUT"
pass "skipped day-file names warned once and listed in status"

# a source dir that is a symlink loop
ln -s "$T/loop" "$T/loop"
sed -i "s|^dir = .*|dir = $T/loop|" "$CONF"
run timeout 30 "$AUDITSHIP" -c "$CONF" ship
assert_contains "$ERR" "symlink loop" "a looping source dir is named as such"
assert_not_contains "$ERR" "does not exist" "not reported as missing"
pass "a looping source dir is reported as a symlink loop"
