#!/usr/bin/env bash
# SPEC 3.1: kill -9 at any instant loses nothing and never leaves two
# objects covering the same bytes; the next ship completes the archive.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
core_setup
for i in 1 2 3 4 5 6; do
	d=$(utc_day "$((i + 1)) days ago")
	python3 "$SRC_DIR/tests/integ/gen_audit.py" --bytes $((6 * 1024 * 1024)) --seed "$i" --day "$d" >"$SRC/$d.jsonl"
	backdate "$SRC/$d.jsonl"
done
today=$(utc_day); gen_day "$SRC/$today.jsonl" 3000 9
for delay in 0.05 0.15 0.3 0.5 0.8; do
	"$AUDITSHIP" -c "$CONF" ship 2>/dev/null &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	gen_day "$SRC/$today.jsonl" 100 "$RANDOM"   # the open day keeps growing
	verify "$ARCH" "$SRC" --allow-tmp >"$T/v" || fail "after kill -9 at ${delay}s: $(cat "$T/v")"
done
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "clean ship after the kills ($ERR)"
verify "$ARCH" "$SRC" --expect-complete >"$T/v" || fail "final archive: $(cat "$T/v")"
lines_src=$(cat "$SRC"/*.jsonl | wc -l)
lines_arch=$(find "$ARCH" -name '*.jsonl.gz' -exec zcat {} + | wc -l)
assert_eq "$lines_arch" "$lines_src" "every line exactly once"
pass "kill -9 five times mid-ship: nothing lost, no overlapping objects ($lines_src lines)"
