#!/usr/bin/env bash
# hook_rollover.sh - the day file follows the clock of each call (SPEC §6,
# §2.1 day_boundary = utc): the last call before midnight UTC goes to that
# day's file, the first after it to the new one, whatever TZ says.  The
# clock is moved with libfaketime (Debian's faketime); day_boundary = local
# is covered by test_hookjson (hookjson_day_file with a fixed instant).
. "$(dirname "$0")/lib.sh"

FIX="$SRC_DIR/tests/integ/hook_fixtures"
A="$T/audit"
command -v faketime >/dev/null || fail "faketime is not installed (scripts/test installs it)"
# ASan must tolerate libfaketime being preloaded in front of it.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

at() {	# at "YYYY-MM-DD HH:MM:SS" TZ FIXTURE
	TZ=$2 faketime "$1 UTC" "$AUDITSHIP" hook --dir "$A" <"$FIX/$3" ||
		fail "hook under faketime $1"
}

# A zone 14 h ahead of UTC and one 12 h behind: neither moves the file.
at "2026-11-20 23:59:58" XXX-14 pre_bash.json
at "2026-11-20 23:59:58" YYY+12 post_bash.json
at "2026-11-21 00:00:00" XXX-14 post_read.json
at "2026-11-21 00:00:01" YYY+12 stop.json

assert_eq "$(ls "$A" | tr '\n' ' ')" "2026-11-20.jsonl 2026-11-21.jsonl " "day files"
assert_eq "$(wc -l <"$A/2026-11-20.jsonl")" 2 "before midnight"
assert_eq "$(wc -l <"$A/2026-11-21.jsonl")" 2 "after midnight"
python3 - "$A" <<'EOF'
import json, os, sys
d = sys.argv[1]
for name in os.listdir(d):
    for l in open(os.path.join(d, name)):
        o = json.loads(l)
        assert o["ts"].startswith(name[:10] + "T"), (name, o["ts"])
        assert o["ts"].endswith("Z")
EOF
pass "midnight UTC rollover: 23:59:58 -> old file, 00:00:00 -> new file, TZ ignored"

# day_boundary = local: the local calendar names the file.  In a zone 14 h
# ahead, noon UTC on the 20th is already the 21st; local midnight there is
# 10:00 UTC.  Set in the config (main.c passes it on) or with the option.
rm -rf "$A"
printf '[auditship]\nday_boundary = local\n[destination archive]\ntype = dir\npath = %s\n' \
	"$T/archive" >"$T/local.ini"
"$AUDITSHIP" -c "$T/local.ini" check >/dev/null || fail "test config does not load"
TZ=XXX-14 faketime "2026-11-20 09:59:58 UTC" \
	"$AUDITSHIP" -c "$T/local.ini" hook --dir "$A" <"$FIX/stop.json" || fail "config local"
TZ=XXX-14 faketime "2026-11-20 10:00:00 UTC" \
	"$AUDITSHIP" -c "$T/local.ini" hook --dir "$A" <"$FIX/stop.json" || fail "config local 2"
TZ=XXX-14 faketime "2026-11-20 12:00:00 UTC" \
	"$AUDITSHIP" hook --day-boundary local --dir "$A" <"$FIX/stop.json" || fail "option local"
TZ=XXX-14 faketime "2026-11-20 12:00:00 UTC" \
	"$AUDITSHIP" -c "$T/local.ini" hook --day-boundary utc --dir "$A" <"$FIX/stop.json" || fail "option utc"
assert_eq "$(wc -l <"$A/2026-11-20.jsonl")" 2 "local 23:59:58 and the utc override"
assert_eq "$(wc -l <"$A/2026-11-21.jsonl")" 2 "local 00:00:00 and --day-boundary local"
# The timestamp itself stays UTC.
assert_contains "$(head -1 "$A/2026-11-21.jsonl")" '"ts":"2026-11-20T10:00:0' "ts in UTC"
pass "day_boundary = local (config or --day-boundary): local midnight rolls the file"

# Without a fake clock: the file is today's UTC date at the time of the call.
rm -rf "$A"
for _ in 1 2 3; do
	before=$(date -u +%F)
	"$AUDITSHIP" hook --dir "$A" <"$FIX/stop.json"
	after=$(date -u +%F)
	[ "$before" = "$after" ] && break	# retry across a real midnight
	rm -rf "$A"
done
assert_eq "$(ls "$A")" "$before.jsonl" "file named after date -u +%F"
pass "real clock: file is \$(date -u +%F).jsonl"
