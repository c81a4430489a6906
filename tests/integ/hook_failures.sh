#!/usr/bin/env bash
# hook_failures.sh - the hook never gets in the agent's way (SPEC §6): an
# unwritable directory, a full disk (tmpfs), a file size limit
# (RLIMIT_FSIZE) and a closed stderr all end in exit 0 with at most one
# line on stderr, and never leave a torn line behind for the next writer.
. "$(dirname "$0")/lib.sh"

FIX="$SRC_DIR/tests/integ/hook_fixtures"
day=$(date -u +%F)

[ "$(id -u)" -eq 0 ] || fail "this test needs root (tmpfs mount, setpriv)"

# one_error: exit 0 and exactly one diagnostic line naming the cause.
one_error() {
	assert_eq "$RC" 0 "$1: exit status"
	assert_eq "$(printf '%s\n' "$ERR" | wc -l)" 1 "$1: one stderr line"
	assert_contains "$ERR" "auditship: error: hook: " "$1: diagnostic format"
	assert_contains "$ERR" "$2" "$1: cause"
}

valid_lines() {
	python3 -c '
import json, sys
n = 0
for raw in open(sys.argv[1], "rb"):
    assert raw.endswith(b"\n"), "torn last line"
    json.loads(raw); n += 1
print(n)' "$1"
}

# --- unwritable directory, as an unprivileged user (root ignores modes).
chmod 711 "$T"
mkdir -p "$T/ro"
chmod 555 "$T/ro"
run setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$AUDITSHIP" hook --dir "$T/ro" <"$FIX/pre_bash.json"
one_error "unwritable dir" "open $T/ro/$day.jsonl: Permission denied"
run setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$AUDITSHIP" hook --dir "$T/ro/sub/deeper" <"$FIX/pre_bash.json"
one_error "uncreatable dir" "mkdir $T/ro/sub: Permission denied"
# A path through a regular file, as root.
: >"$T/plainfile"
run "$AUDITSHIP" hook --dir "$T/plainfile/audit" <"$FIX/pre_bash.json"
one_error "dir under a file" "Not a directory"
# The diagnostic never carries payload secrets.
assert_not_contains "$ERR" "7f3k9Qz1" "no secret on stderr"
pass "unwritable / uncreatable directory: exit 0, one line on stderr"

# --- full disk: a 64 KiB tmpfs.
mkdir -p "$T/small"
mount -t tmpfs -o size=64k,mode=0700 tmpfs "$T/small" || fail "cannot mount a tmpfs"
on_exit "umount '$T/small'"
A="$T/small/audit"
run "$AUDITSHIP" hook --dir "$A" <"$FIX/stop.json"
assert_eq "$RC$ERR" 0 "first line fits"
# Fill the disk completely: a line needing a new page cannot be written.
python3 -c 'import json; print(json.dumps({"hook_event_name":"PostToolUse","tool_input":{"content":"z"*20000}}))' >"$T/20k.json"
dd if=/dev/zero of="$T/small/filler" bs=4k 2>/dev/null || true
run "$AUDITSHIP" hook --dir "$A" <"$T/20k.json"
# (the rest of the file's last page still takes a piece: a short write)
one_error "disk full" "write $A/$day.jsonl"
grep -qE 'No space left on device|short write' <<<"$ERR" || fail "disk full: cause: $ERR"
# Leave 4 KiB free and write a 20 KiB line: a short write, cleaned up.
rm -f "$T/small/filler"
sz=$(( $(stat -f -c '%a*%S' "$T/small") ))
dd if=/dev/zero of="$T/small/filler" bs=4096 count=$(( sz / 4096 - 1 )) 2>/dev/null
run "$AUDITSHIP" hook --dir "$A" <"$T/20k.json"
one_error "disk nearly full" "short write"
# Space comes back: the next line starts on a line boundary.
rm -f "$T/small/filler"
run "$AUDITSHIP" hook --dir "$A" <"$FIX/session_start.json"
assert_eq "$RC$ERR" 0 "after space returns"
assert_eq "$(valid_lines "$A/$day.jsonl")" 2 "no torn line left behind"
pass "full disk (tmpfs): exit 0, one line, no fragment left"

# --- RLIMIT_FSIZE: the kernel's SIGXFSZ must not kill the hook.
B="$T/fsize"
run "$AUDITSHIP" hook --dir "$B" <"$FIX/stop.json"
python3 -c 'import json; print(json.dumps({"hook_event_name":"PostToolUse","tool_input":{"content":"q"*9000}}))' >"$T/9k.json"
set +e
( ulimit -f 8; exec "$AUDITSHIP" hook --dir "$B" <"$T/9k.json" ) 2>"$T/fsize.err"
RC=$?
set -e
ERR=$(cat "$T/fsize.err")
one_error "RLIMIT_FSIZE" "short write"
( ulimit -f 8; exec "$AUDITSHIP" hook --dir "$B" <"$FIX/stop.json" ) 2>/dev/null ||
	fail "second call under the limit"
assert_eq "$(valid_lines "$B/$day.jsonl")" 2 "file still line-clean under RLIMIT_FSIZE"
pass "RLIMIT_FSIZE: exit 0 (no SIGXFSZ death), one line, no fragment"

# --- closed stdin / stdout / stderr are not failures either, and a
# diagnostic never lands in the audit file that took fd 2's place.
set +e
"$AUDITSHIP" hook --dir "$T/plainfile/x" <"$FIX/stop.json" 2>&-
rc=$?
"$AUDITSHIP" hook --dir "$T/closed" <&- 2>"$T/closed.err"
rc2=$?
dd if=/dev/zero of="$T/small/filler" bs=4k 2>/dev/null
"$AUDITSHIP" hook --dir "$A" <"$T/20k.json" >&- 2>&-
rc3=$?
rm -f "$T/small/filler"
set -e
assert_eq "$rc" 0 "closed stderr"
assert_eq "$rc2" 0 "closed stdin"
assert_eq "$(cat "$T/closed.err")" "" "closed stdin is an empty payload"
assert_contains "$(cat "$T/closed/$day.jsonl")" '"invalid_json":true,"payload":""' "closed stdin recorded"
assert_eq "$rc3" 0 "closed stdout+stderr on a full disk"
assert_eq "$(valid_lines "$A/$day.jsonl")" 2 "no diagnostic in the audit file"
pass "closed stdin / stdout / stderr: exit 0, nothing misdirected"

# --- a writer that never closes stdin: the hook gives up after 10 s in all,
# records what it got (flagged), says so once, exits 0.
mkfifo "$T/fifo"
( printf '{"hook_event_name":"Stop",'; while :; do sleep 1; printf ' '; done ) >"$T/fifo" &
writer=$!
on_exit "kill $writer"
start=$(date +%s)
run "$AUDITSHIP" hook --dir "$T/stall" <"$T/fifo"
took=$(( $(date +%s) - start ))
kill "$writer" 2>/dev/null || true
[ "$took" -ge 9 ] && [ "$took" -le 13 ] || fail "stalled writer: hook took ${took}s, want ~10s"
one_error "stalled writer" "no end of payload after 10 s"
assert_contains "$(cat "$T/stall/$day.jsonl")" '"payload_truncated":true,"invalid_json":true' "stalled payload recorded"
pass "a writer that never closes stdin: recorded after 10 s, exit 0"
