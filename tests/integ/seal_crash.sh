#!/usr/bin/env bash
# kill -9 while days are being sealed (SPEC §7): whatever the moment, a
# clean run afterwards leaves every day sealed exactly once per key (no
# .seal.2.json for an unchanged day, never two different seals under one
# key), nothing left half-written, and `verify` clean.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
core_setup
NDAYS=60
for i in $(seq 1 $NDAYS); do
	[ $((i % 7)) = 3 ] && continue          # some empty days
	gen_day "$SRC/$(utc_day "$i days ago").jsonl" 20 "$i"
done
for f in "$SRC"/*; do backdate "$f"; done
"$AUDITSHIP" -c "$CONF" keygen >/dev/null
mkdir -p "$ARCH"

# Kill at spread moments: once the n-th seal exists (a condition, polled).
kills=0
for target in 1 5 9 17 23 31 38 44 52 57; do
	"$AUDITSHIP" -c "$CONF" ship >/dev/null 2>&1 &
	pid=$!
	on_exit "kill -9 $pid"
	for ((w = 0; w < 2000; w++)); do
		n=$(find "$ARCH" -name '*.seal*.json' 2>/dev/null | wc -l)
		[ "$n" -ge "$target" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.005
	done
	if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
	wait "$pid" 2>/dev/null || true
done
[ "$kills" -ge 3 ] || fail "only $kills runs were killed mid-way"

run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "clean run after the kills ($ERR)"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "second clean run"
assert_eq "$(find "$ARCH" -name '*.seal.json' | wc -l)" "$NDAYS" "every day sealed once"
assert_eq "$(find "$ARCH" -name '*.seal.*.json' | wc -l)" 0 "no day sealed twice"
assert_eq "$(find "$ARCH" -name '*.tmp.*' | wc -l)" 0 "nothing half-written left"
assert_eq "$(find "$STATE/seals" -name '*.pending' | wc -l)" 0 "every journaled seal uploaded"
run "$AUDITSHIP" -c "$CONF" verify
assert_eq "$RC" 0 "verify after the kills ($(grep -v '^ok' <<<"$OUT" | head -5))"
assert_contains "$OUT" "verified $NDAYS days of 1 streams" "every day verified"
pass "kill -9 at $kills moments while sealing: each day sealed exactly once, verify clean"
