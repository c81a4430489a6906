#!/usr/bin/env bash
# SPEC §3.1 for azblob, against Azurite: kill -9 at moments spread over a
# ship of six closed days (each one blob of several 1 MiB blocks) and a
# growing open day, then a clean run.  After every kill and at the end the
# container (listed and downloaded with the Azure SDK) must hold no two
# blobs covering the same bytes; at the end it holds every byte exactly
# once.  A killed block upload resumes from Get Block List.
. "$(dirname "$0")/lib.sh"

AZ="$T/azurite"
on_exit "'$FIXTURES_DIR/azurite.sh' stop '$AZ'"
eval "$("$FIXTURES_DIR/azurite.sh" start "$AZ")"
export AZ_ENDPOINT AZ_ACCOUNT AZ_KEY NODE_PATH="$AZ_NODE_PATH"
AZT() { node "$SRC_DIR/tests/integ/az_tool.js" "$@"; }
verify() { python3 "$SRC_DIR/tests/integ/verify_archive.py" "$@"; }
AZT mkcontainer crash

SRC="$T/audit"; mkdir -p "$SRC"
for i in 1 2 3 4 5 6; do
	d=$(utc_day "$((i + 1)) days ago")
	python3 "$SRC_DIR/tests/integ/gen_audit.py" --bytes $((8 << 20)) --seed "$i" --day "$d" >"$SRC/$d.jsonl"
	touch -d '1 hour ago' "$SRC/$d.jsonl"
done
today=$(utc_day); gen_day "$SRC/$today.jsonl" 3000 9
CONF="$T/c.ini"
cat >"$CONF" <<EOF
[auditship]
state_dir = $T/state
hostname = crashhost
settle = 1s

[source]
dir = $SRC

[destination az]
type = azblob
account = $AZ_ACCOUNT
container = crash
endpoint = $AZ_ENDPOINT
account_key = $AZ_KEY
block_threshold = 1M
EOF
chmod 600 "$CONF"

check_container() {
	rm -rf "$T/got"; mkdir -p "$T/got"
	AZT fetch crash "$T/got"
	verify "$T/got" "$SRC" "$@" >"$T/v" || fail "$1 after kill -9 at ${delay}s: $(cat "$T/v")"
}
for delay in 0.05 0.15 0.3 0.5 0.8; do
	"$AUDITSHIP" -c "$CONF" ship 2>>"$T/killed.log" &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	gen_day "$SRC/$today.jsonl" 100 "$RANDOM"   # the open day keeps growing
	check_container --allow-tmp
done
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "clean ship after the kills ($ERR)"
delay=final
check_container --expect-complete
lines_src=$(cat "$SRC"/*.jsonl | wc -l)
lines_got=$(find "$T/got" -name '*.jsonl.gz' -exec zcat {} + | wc -l)
assert_eq "$lines_got" "$lines_src" "every line exactly once"
nblobs=$(AZT list crash | wc -l)
nfiles=$(find "$T/got" -type f | wc -l)
assert_eq "$nblobs" "$nfiles" "listed blobs are the downloaded ones"
pass "kill -9 five times mid-ship: nothing lost, no two blobs over the same bytes ($lines_src lines, $nblobs blobs)"
