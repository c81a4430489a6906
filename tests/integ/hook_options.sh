#!/usr/bin/env bash
# hook_options.sh - no option of the appender writes a record: only a
# payload on stdin does.  `auditship-hook --version` / `--help` print and
# end without reading stdin (a pipe kept open would make a reader wait)
# and without creating the audit directory; a terminal on stdin records
# nothing.  `auditship hook` says once on stderr when it cannot read the
# configuration for day_boundary, and still appends (exit 0).
. "$(dirname "$0")/lib.sh"
: "${AUDITSHIP_HOOK:?ctest sets AUDITSHIP_HOOK}"
FIX="$SRC_DIR/tests/integ/hook_fixtures"
A="$HOME/.claude/audit"

# stdin: a FIFO with a writer that never closes it (fd 3 holds it open).
mkfifo "$T/fifo"
exec 3<>"$T/fifo"
printf '%s' '{"hook_event_name":"Stop","session_id":"s"}' >&3
for bin in "$AUDITSHIP_HOOK" "$AUDITSHIP hook"; do
	for opt in --version --help "--dir $T/d --version" "--minimal --help"; do
		run timeout 5 $bin $opt <"$T/fifo"
		assert_eq "$RC" 0 "$bin $opt: exits 0 at once (124 = it waited on stdin)"
		[ -n "$OUT" ] || fail "$bin $opt printed nothing"
		[ ! -e "$A" ] && [ ! -e "$T/d" ] || fail "$bin $opt created an audit directory"
	done
done
run "$AUDITSHIP_HOOK" --version </dev/null
assert_eq "$OUT" "auditship-hook $("$AUDITSHIP" --version | awk '{print $2}')" "version text"
assert_contains "$("$AUDITSHIP_HOOK" --help </dev/null)" "reads no config" "help says it reads no config"
exec 3>&-
pass "--version and --help print, read no stdin, write nothing"

# A terminal on stdin: nothing recorded, no wait (script(1) gives a pty).
if command -v script >/dev/null; then
	run timeout 5 script -qec "$AUDITSHIP_HOOK --dir $T/tty" /dev/null
	assert_eq "$RC" 0 "terminal: exit 0"
	[ ! -e "$T/tty" ] || fail "a terminal on stdin created a record"
	pass "a terminal on stdin records nothing and does not wait"
else
	fail "script(1) missing (util-linux)"
fi

# A config it cannot read: one warning, the line still appended (UTC day).
day=$(date -u +%F)
printf '[auditship]\nday_boundary = local\nnot_a_key = 1\n' >"$T/bad.ini"
run "$AUDITSHIP" -c "$T/bad.ini" hook --dir "$T/w" <"$FIX/stop.json"
assert_eq "$RC" 0 "unreadable config: exit 0"
assert_eq "$(grep -c 'cannot read the configuration for day_boundary' <<<"$ERR")" 1 "warned once"
assert_contains "$ERR" "UTC day" "says what it does instead"
assert_eq "$(wc -l <"$T/w/$day.jsonl")" 1 "still appended, UTC file"
run "$AUDITSHIP" -c "$T/missing.ini" hook --dir "$T/w" <"$FIX/stop.json"
assert_eq "$(grep -c 'cannot read the configuration' <<<"$ERR")" 1 "missing config: warned once"
assert_eq "$(wc -l <"$T/w/$day.jsonl")" 2 "missing config: still appended"
# --day-boundary given: the config is not needed, so no warning.
run "$AUDITSHIP" -c "$T/missing.ini" hook --dir "$T/w" --day-boundary utc <"$FIX/stop.json"
assert_eq "$ERR" "" "no warning when --day-boundary is given"
# A readable config: silent.
printf '[auditship]\nday_boundary = utc\n[destination a]\ntype = dir\npath = %s\n' "$T/arch" >"$T/good.ini"
run "$AUDITSHIP" -c "$T/good.ini" hook --dir "$T/w" <"$FIX/stop.json"
assert_eq "$ERR" "" "readable config: silent"
assert_eq "$(wc -l <"$T/w/$day.jsonl")" 4 "all appended"
pass "auditship hook warns once on an unreadable config and still appends"
