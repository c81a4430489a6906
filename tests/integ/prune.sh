#!/usr/bin/env bash
# prune.sh - local retention (SPEC §2.1 prune_after, `auditship prune`):
# a day acknowledged whole by every destination is deleted (and logged),
# a day one destination has not finished is kept, an unsealed day is kept
# where the destination seals, --dry-run deletes nothing and says why for
# each day, `ship` prunes too, and `status` shows pruned days as pruned,
# never as gaps.  (Variables d10, d9, d8 name the oldest three days; the
# days are consecutive so that no real gap hides a false one.)
. "$(dirname "$0")/lib.sh"

A="$T/audit"
mkdir -p "$A"
d10=$(utc_day "4 days ago"); d9=$(utc_day "3 days ago"); d8=$(utc_day "2 days ago")
d1=$(utc_day "1 day ago")
for d in "$d10" "$d9" "$d8" "$d1"; do
	gen_day "$A/$d.jsonl" 20 "${d//-/}"
done
# Closed days: not written for longer than settle.
old_mtime() { touch -d "2 hours ago" "$@"; }
old_mtime "$A"/*.jsonl

cat >"$T/c.ini" <<EOF
[auditship]
state_dir = $T/state
settle = 1s
prune_after = 1d
[source]
dir = $A
[destination a]
type = dir
path = $T/arch-a
seal = false
[destination b]
type = dir
path = $T/arch-b
seal = false
EOF
AS() { "$AUDITSHIP" -c "$T/c.ini" "$@"; }
# The same without prune_after, to set the scene (ship prunes too).
sed 's/^prune_after/#prune_after/' "$T/c.ini" >"$T/noprune.ini"
NP() { "$AUDITSHIP" -c "$T/noprune.ini" "$@"; }

# a has every day; b has d9 and d8 only (d10 never shipped to b).
NP ship --dest a >/dev/null 2>&1 || fail "ship to a"
NP ship --dest b --day "$d9" >/dev/null 2>&1 || fail "ship d9 to b"
NP ship --dest b --day "$d8" >/dev/null 2>&1 || fail "ship d8 to b"
# d8 grows after it was shipped: not every byte acknowledged any more.
gen_day "$A/$d8.jsonl" 1 99
old_mtime "$A/$d8.jsonl"

# --- --dry-run: deletes nothing, says for each day what and why.
sum() { sha256sum "$A"/* | sort; }
before=$(sum)
run AS prune --dry-run
assert_eq "$RC" 0 "dry-run: $ERR"
assert_eq "$(sum)" "$before" "--dry-run deleted or changed nothing"
assert_contains "$OUT" "keep          $d10  $A/$d10.jsonl: never shipped [dest b]" "d10 kept: b never had it"
assert_contains "$OUT" "would delete  $d9  $A/$d9.jsonl" "d9 would go"
assert_contains "$OUT" "keep          $d8  $A/$d8.jsonl: not every byte acknowledged [dest a]" "d8 kept: grew"
assert_contains "$OUT" "keep          $d1  $A/$d1.jsonl: not older than prune_after" "d1 kept: young"
assert_eq "$(grep -c . <<<"$OUT")" 4 "one verdict per day"
assert_contains "$ERR" "would delete 1 day" "summary"
[ ! -e "$T/state/pruned" ] || fail "--dry-run recorded a deletion"
pass "--dry-run deletes nothing and says why each day is kept"

# --- status before any prune: a day removed by hand IS a gap (the check
# below can fail), then put it back.
cp "$A/$d9.jsonl" "$T/d9.save"; touch -r "$A/$d9.jsonl" "$T/d9.save"
rm "$A/$d9.jsonl"
run AS status
assert_contains "$OUT" "gap: no file for $d9" "a missing day is a gap"
cp -p "$T/d9.save" "$A/$d9.jsonl"
# cp -p keeps the bytes and the mtime, perhaps even the inode number, but
# not the ctime: it is not the file that was shipped, and it is kept.
run AS prune --dry-run
assert_contains "$OUT" "keep          $d9  $A/$d9.jsonl: " "replaced file kept"
assert_not_contains "$OUT" "would delete  $d9" "replaced file not deleted"
pass "a day removed by hand is a gap; a replaced file is not pruned"

# Reset the scene: a fresh state where a has everything, b has d9 only.
rm -rf "$T/state" "$T/arch-a" "$T/arch-b" "$A"
mkdir -p "$A"
for d in "$d10" "$d9" "$d8" "$d1"; do gen_day "$A/$d.jsonl" 20 "${d//-/}"; done
old_mtime "$A"/*.jsonl
NP ship --dest a >/dev/null 2>&1 || fail "ship a"
NP ship --dest b --day "$d9" >/dev/null 2>&1 || fail "ship b d9"

# --- prune: only the day both destinations have whole goes; logged.
run AS prune
assert_eq "$RC" 0 "prune: $ERR"
[ ! -e "$A/$d9.jsonl" ] || fail "d9 (acknowledged by all) not deleted"
for d in "$d10" "$d8" "$d1"; do [ -e "$A/$d.jsonl" ] || fail "$d deleted"; done
assert_contains "$ERR" "prune: deleted $A/$d9.jsonl ($d9" "deletion logged"
assert_contains "$ERR" "acknowledged whole by all 2 destinations" "log says why"
assert_eq "$(cut -f3 "$T/state/pruned")" "$d9" "recorded as pruned"
pass "prune deletes a day acknowledged by all destinations, keeps the others"

# --- status: the pruned day is pruned, not a gap (d10 .. d8 around it).
run AS status
assert_eq "$RC" 0 "status"
assert_not_contains "$OUT" "gap:" "no false gap"
assert_contains "$OUT" "pruned: 1 day deleted locally" "pruned shown"
run AS status --json
printf '%s' "$OUT" >"$T/status.json"
python3 - "$d9" "$T/status.json" <<'PY' || fail "status --json pruned/gaps"
import json, sys
s = json.load(open(sys.argv[2]))
st = s["streams"][0]
assert st["gaps"] == [], st["gaps"]
assert st["pruned"] == [sys.argv[1]], st["pruned"]
PY
pass "status shows the pruned day as pruned, not as a gap"

# --- ship prunes too: once b has d10 and d8, ship deletes them.
run AS ship
assert_eq "$RC" 0 "ship: $ERR"
[ ! -e "$A/$d10.jsonl" ] && [ ! -e "$A/$d8.jsonl" ] || fail "ship did not prune d10/d8"
[ -e "$A/$d1.jsonl" ] || fail "ship pruned a young day"
assert_contains "$ERR" "prune: deleted $A/$d10.jsonl" "ship logs its deletions"
run AS status --json
python3 <<<"$OUT" -c 'import json,sys; st=json.load(sys.stdin)["streams"][0]; assert st["gaps"]==[] and len(st["pruned"])==3, st' ||
	fail "status after ship-prune"
pass "ship prunes what every destination acknowledged"

# --- a destination that seals: its days are kept until the seal is stored.
rm -rf "$T/s2"; mkdir -p "$T/s2/audit"
gen_day "$T/s2/audit/$d10.jsonl" 5 1
old_mtime "$T/s2/audit/$d10.jsonl"
cat >"$T/seal.ini" <<EOF
[auditship]
state_dir = $T/s2/state
settle = 1s
[source]
dir = $T/s2/audit
[destination sealed]
type = dir
path = $T/s2/arch
EOF
# A signing key readable by others is refused: the day ships but is not sealed.
"$AUDITSHIP" -c "$T/seal.ini" keygen >/dev/null || fail "keygen (seal.ini)"
chmod 640 "$T/s2/state/signing.key"
run "$AUDITSHIP" -c "$T/seal.ini" ship
assert_eq "$RC" 1 "ship with a refused key fails ($ERR)"
assert_contains "$ERR" "nothing is sealed until the key is fixed" "says why nothing is sealed"
sed -i 's/^settle = 1s$/settle = 1s\nprune_after = 1d/' "$T/seal.ini"
run "$AUDITSHIP" -c "$T/seal.ini" prune --dry-run
assert_contains "$OUT" "keep          $d10  $T/s2/audit/$d10.jsonl: its seal is not stored [dest sealed]" "unsealed kept"
run "$AUDITSHIP" -c "$T/seal.ini" prune
[ -e "$T/s2/audit/$d10.jsonl" ] || fail "an unsealed day was deleted"
pass "an unsealed day is kept where the destination seals"
# Once the key is fixed the day is sealed, and then it may go.
chmod 600 "$T/s2/state/signing.key"
run "$AUDITSHIP" -c "$T/seal.ini" ship
assert_eq "$RC" 0 "ship seals ($ERR)"
ls "$T/s2/arch"/*/*/*/*/*/"$d10.seal.json" >/dev/null || fail "day not sealed"
run "$AUDITSHIP" -c "$T/seal.ini" prune
assert_eq "$RC" 0 "prune (seal.ini)"
[ ! -e "$T/s2/audit/$d10.jsonl" ] || fail "a sealed day was kept"
pass "a sealed day is pruned"

# --- no prune_after: `prune` refuses (exit 2) and deletes nothing.
run "$AUDITSHIP" -c "$T/noprune.ini" prune
assert_eq "$RC" 2 "prune without prune_after"
assert_contains "$ERR" "prune_after is not set" "says why"
pass "prune without prune_after is a usage error"
