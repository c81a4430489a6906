#!/usr/bin/env bash
# upload = daily: one object per closed day, final fragment included and
# nothing for the open day; a settled past day counts as closed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
CORE_EXTRA_DEST="upload = daily"
CORE_SETTLE=60s   # D2 below must stay unsettled however slow the machine
core_setup
D1=$(utc_day '2 days ago'); D2=$(utc_day yesterday); TODAY=$(utc_day)
gen_day "$SRC/$D1.jsonl" 100 1
printf '{"fragment":true' >>"$SRC/$D1.jsonl"     # a crashed writer left this
gen_day "$SRC/$D2.jsonl" 100 2
gen_day "$SRC/$TODAY.jsonl" 100 3
backdate "$SRC/$D1.jsonl"; touch "$SRC/$D2.jsonl"  # D2 changed just now: not settled
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "daily ship"
ls "$ARCH"/testhost/*/*/*/*/"$D1.jsonl.gz" >/dev/null || fail "daily object for the closed day"
[ -z "$(find "$ARCH" -name "$D2*")" ] || fail "unsettled day shipped"
[ -z "$(find "$ARCH" -name "$TODAY*")" ] || fail "open day shipped in daily mode"
zcat "$ARCH"/testhost/*/*/*/*/"$D1.jsonl.gz" | cmp - "$SRC/$D1.jsonl" || fail "daily object differs from the file"
pass "daily: closed day whole (fragment included), open and unsettled days held"
backdate "$SRC/$D2.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
ls "$ARCH"/testhost/*/*/*/*/"$D2.jsonl.gz" >/dev/null || fail "settled day shipped on the next run"
assert_eq "$(count_objects "$ARCH")" 2 "one object per closed day"
pass "daily: settled day goes on the next run"
