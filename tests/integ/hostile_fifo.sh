#!/usr/bin/env bash
# Issue 17 #2: a config file, a *_file secret, the state, the journal, the
# lock or the hook's day file that is a FIFO is refused at once with a
# clear error; nothing hangs (SPEC §6: the hook never blocks).  Every
# command runs under `timeout 20`: a hang fails the test (rc 124).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
core_setup
D=$(utc_day '2 days ago')
gen_day "$SRC/$D.jsonl" 5 1; backdate "$SRC/$D.jsonl"

mkfifo "$T/c.fifo"
run timeout 20 "$AUDITSHIP" -c "$T/c.fifo" check
assert_eq "$RC" 2 "check on a FIFO config: exit 2, no hang"
assert_contains "$ERR" "not a regular file (a FIFO)" "clear error"
pass "FIFO config refused"

mkdir -p "$T/h"
set +e
echo '{"hook_event_name":"PreToolUse"}' | AUDITSHIP_CONFIG="$T/c.fifo" timeout 20 \
	"$AUDITSHIP" hook --dir "$T/h" 2>"$T/hook.err"
rc=$?
set -e
assert_eq "$rc" 0 "hook with a FIFO config: exit 0, no hang"
assert_eq "$(cat "$T"/h/*.jsonl | wc -l)" 1 "event still recorded"
pass "hook does not block on a FIFO config"

# the hook's own day file a FIFO
rm -f "$T"/h/*.jsonl
mkfifo "$T/h/$(utc_day).jsonl"
set +e
echo '{"hook_event_name":"PreToolUse"}' | timeout 20 "$AUDITSHIP" hook --dir "$T/h" 2>"$T/hook.err"
rc=$?
set -e
[ "$rc" -ne 124 ] || fail "hook hung on a FIFO day file"
assert_file_contains "$T/hook.err" "not a regular file" "hook says why"
if [ -n "${AUDITSHIP_HOOK:-}" ]; then
	set +e
	echo '{}' | timeout 20 "$AUDITSHIP_HOOK" --dir "$T/h" 2>"$T/hook.err"
	rc=$?
	set -e
	[ "$rc" -ne 124 ] || fail "auditship-hook hung on a FIFO day file"
fi
pass "hook does not block on a FIFO day file"

# a *_file secret that is a FIFO
cat >"$T/s.ini" <<EOC
[auditship]
state_dir = $STATE
[source]
dir = $SRC
[destination dd]
type = http
url = http://127.0.0.1:9/
format = ndjson
api_key_file = $T/c.fifo
EOC
chmod 600 "$T/s.ini"
run timeout 20 "$AUDITSHIP" -c "$T/s.ini" check
assert_eq "$RC" 2 "FIFO secret file: exit 2"
assert_contains "$ERR" "not a regular file (a FIFO)" "secret FIFO named"
pass "FIFO secret file refused"

# state, journal, lock
for f in state state.journal lock; do
	rm -rf "$STATE"; mkdir -p "$STATE"
	mkfifo "$STATE/$f"
	run timeout 20 "$AUDITSHIP" -c "$CONF" ship
	[ "$RC" -ne 124 ] || fail "ship hung on a FIFO $f"
	assert_eq "$RC" 1 "ship with a FIFO $f: exit 1"
	assert_contains "$ERR" "not a regular file (a FIFO)" "FIFO $f named"
	if [ "$f" = state ]; then
		run timeout 20 "$AUDITSHIP" -c "$CONF" status
		[ "$RC" -ne 124 ] || fail "status hung on a FIFO state"
		assert_eq "$RC" 1 "status with a FIFO state: exit 1"
	fi
done
pass "FIFO state, journal and lock refused"
