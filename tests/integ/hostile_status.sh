#!/usr/bin/env bash
# Issue 17 #9: `status` escapes control bytes of directory names in text
# (no escape sequence reaches the terminal, no spoofed line) and keeps
# invalid UTF-8 recoverable in JSON (\u00XX per byte, not U+FFFD).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
core_setup
U1=$(printf 'eve\033[2J\nstream fake (user root): 9 day files\r')
U2=$(printf 'bad\377name')
for u in "$U1" "$U2" alice; do
	mkdir -p "$T/homes/$u/audit"
	gen_day "$T/homes/$u/audit/$(utc_day '2 days ago').jsonl" 3 1
	backdate "$T/homes/$u/audit/$(utc_day '2 days ago').jsonl"
done
sed -i "s|^dir = .*|dir = $T/homes/*/audit|" "$CONF"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship ($ERR)"
run "$AUDITSHIP" -c "$CONF" status
assert_eq "$RC" 0 "status"
printf '%s' "$OUT" | grep -q $'\033' && fail "an escape byte reached the terminal"
printf '%s' "$OUT" | grep -q $'\r' && fail "a CR reached the terminal"
[ "$(printf '%s\n' "$OUT" | grep -c '^stream ')" -eq 3 ] || fail "a name spoofed a stream line: $OUT"
assert_contains "$OUT" 'eve\x1b[2J\nstream fake' "the name is shown escaped"
assert_contains "$OUT" 'bad\xffname' "invalid UTF-8 shown as \\xNN"
run "$AUDITSHIP" -c "$CONF" status --json
assert_eq "$RC" 0 "status --json"
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
dirs = [s["dir"] for s in d["streams"]]
raw = [x.encode("latin-1") if all(ord(c) < 256 for c in x) and any(0x80 <= ord(c) < 0x100 for c in x) else x.encode() for x in dirs]
want = sys.argv[1].encode("utf-8", "surrogateescape")
assert any(r.endswith(b"/bad\xffname/audit") for r in raw), dirs
assert not any("\ufffd" in x for x in dirs), "U+FFFD: the byte is lost"
' "$T/homes/bad" || fail "JSON keeps the bytes of an invalid UTF-8 name"
pass "status escapes names in text and keeps their bytes in JSON"
