#!/usr/bin/env bash
# A read-only archive directory: exit 1 with a clear message naming the
# destination and the path, nothing committed; once writable, all ships.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
core_setup
D1=$(utc_day '2 days ago')
gen_day "$SRC/$D1.jsonl" 80 1; backdate "$SRC/$D1.jsonl"
mkdir -p "$ARCH"
if [ "$(id -u)" -eq 0 ]; then
	# root ignores mode bits: make it a read-only mount in a private namespace
	run unshare --mount bash -c "mount --bind '$ARCH' '$ARCH' && mount -o remount,bind,ro '$ARCH' && exec '$AUDITSHIP' -c '$CONF' ship"
else
	chmod 555 "$ARCH"
	run "$AUDITSHIP" -c "$CONF" ship
	chmod 755 "$ARCH"
fi
assert_eq "$RC" 1 "read-only archive exit code"
assert_contains "$ERR" "dest archive:" "message names the destination"
assert_contains "$ERR" "$ARCH" "message names the path"
assert_not_contains "$ERR" "retrying" "a read-only dir is not retried"
[ -z "$(find "$ARCH" -type f)" ] || fail "something was written"
run "$AUDITSHIP" -c "$CONF" status --json
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); x=d["streams"][0]["days"][0]["destinations"][0]; assert x["shipped_bytes"]==0, x; assert d["destinations"][0]["last_error"], d' "$OUT" || fail "status after failure"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship once writable"
verify "$ARCH" "$SRC" --expect-complete >/dev/null || fail "archive complete afterwards"
pass "read-only archive: exit 1, clear message, nothing lost"
