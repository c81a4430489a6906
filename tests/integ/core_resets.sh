#!/usr/bin/env bash
# SPEC 3.3: a daily file that shrinks, is rewritten in place or replaced by
# a new inode is reported, counted in status, and shipped again from 0;
# a file compressed by logrotate (same bytes, new inode) is not a reset.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
CORE_EXTRA_DEST="upload = chunk"
core_setup
D1=$(utc_day '2 days ago'); D2=$(utc_day '3 days ago')
gen_day "$SRC/$D1.jsonl" 100 1; backdate "$SRC/$D1.jsonl"
gen_day "$SRC/$D2.jsonl" 100 2; backdate "$SRC/$D2.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "first ship"

resets() { "$AUDITSHIP" -c "$CONF" status --json | python3 -c '
import json,sys
d=json.load(sys.stdin)
print(sum(x["destinations"][0]["resets"] for s in d["streams"] for x in s["days"] if x["date"]==sys.argv[1]))' "$1"; }

# shrink: truncated to fewer lines
head -n 10 "$SRC/$D1.jsonl" >"$T/short"; cat "$T/short" >"$SRC/$D1.jsonl"; backdate "$SRC/$D1.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship after shrink"
assert_contains "$ERR" "shrank" "shrink reported"
assert_contains "$ERR" "$D1.jsonl" "report names the file"
assert_eq "$(resets "$D1")" 1 "shrink counted"
ls "$ARCH"/testhost/*/*/*/*/"$D1".000000000000-*.jsonl.gz | wc -l | grep -qx 2 || fail "re-shipped from 0 as a new object"
# the evidence stays: the object first shipped is untouched, the new content
# goes under a .reset1 key
orig=$(find "$ARCH" -regextype posix-extended -regex ".*/$D1\.0{12}-[0-9]{12}\.jsonl\.gz")
assert_eq "$(zcat "$orig" | wc -l)" 100 "original object kept whole"
assert_eq "$(zcat "$ARCH"/testhost/*/*/*/*/"$D1".*.reset1.jsonl.gz | wc -l)" 10 "new content under .reset1"
pass "shrunk file reported, counted, shipped again from 0"

# replaced: a new inode with different content of the same length or longer
python3 "$SRC_DIR/tests/integ/gen_audit.py" --lines 120 --seed 99 >"$T/new"
mv "$T/new" "$SRC/$D1.jsonl"; backdate "$SRC/$D1.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_contains "$ERR" "replaced" "replacement reported"
assert_eq "$(resets "$D1")" 2 "replacement counted"
pass "replaced file reported and counted"

# rewritten in place (same inode, same size, other bytes)
python3 - "$SRC/$D1.jsonl" <<'PY'
import sys
p=sys.argv[1]; b=bytearray(open(p,'rb').read()); i=b.index(b'"ts"'); b[i+1:i+3]=b'TS'
open(p,'r+b').write(bytes(b))
PY
backdate "$SRC/$D1.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_contains "$ERR" "rewritten" "in-place rewrite reported"
assert_eq "$(resets "$D1")" 3 "rewrite counted"
pass "rewritten file reported and counted"

# logrotate-style compression: same bytes, new inode, NAME.gz: not a reset
before=$(count_objects "$ARCH")
gzip "$SRC/$D2.jsonl"; backdate "$SRC/$D2.jsonl.gz"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship after compression"
assert_not_contains "$ERR" "$D2" "compression is not reported"
assert_eq "$(resets "$D2")" 0 "compression is no reset"
assert_eq "$(count_objects "$ARCH")" "$before" "nothing re-shipped after compression"
pass "compressed day keeps its offset"
