#!/usr/bin/env bash
# Seals at a dir destination (SPEC §7, §3.3): several days (one empty, one
# .jsonl.gz, one with a late line after its seal, one reset by a same-size
# edit in the middle), `verify` clean and per day; openssl interop both
# ways; then each tampering is reported by day, stream and key, exit 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
CORE_EXTRA_GLOBAL="metrics_file = $T/m.prom"
core_setup
USER_=$(stat -c %U "$SRC")
S="testhost/$USER_"
D1=$(utc_day '6 days ago'); D2=$(utc_day '5 days ago'); D3=$(utc_day '4 days ago')
D4=$(utc_day '3 days ago'); D5=$(utc_day '2 days ago'); D6=$(utc_day yesterday)
dir_of() { echo "$ARCH/$S/${1:0:4}/${1:5:2}/${1:8:2}"; }
gen_day "$SRC/$D1.jsonl" 300 1
# D2: no file (an empty seal)
gen_day "$SRC/$D3.jsonl" 200 3; gzip "$SRC/$D3.jsonl"
gen_day "$SRC/$D4.jsonl" 400 4
gen_day "$SRC/$D5.jsonl" 100 5
# D6: no file either
for f in "$SRC"/*; do backdate "$f"; done

run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship ($ERR)"
assert_contains "$ERR" "created the signing key for seals, key id" "key created on first need, said once"
assert_contains "$ERR" "$STATE/signing.key.pub" "warning names the public key"
for d in $D1 $D2 $D3 $D4 $D5 $D6; do
	[ -f "$(dir_of $d)/$d.seal.json" ] || fail "no seal for $d"
done
grep -q '"state":"empty"' "$(dir_of $D2)/$D2.seal.json" || fail "D2 not an empty seal"
grep -q '"prev":null' "$(dir_of $D1)/$D1.seal.json" || fail "first seal has prev null"
prev=$(sha256sum <"$(dir_of $D1)/$D1.seal.json" | cut -c1-64)
grep -q "\"prev\":\"$prev\"" "$(dir_of $D2)/$D2.seal.json" || fail "D2 does not chain to D1"
assert_eq "$(wc -l <"$(dir_of $D1)/$D1.seal.json")" 2 "a seal is two lines"
pass "every day sealed, empty days included, chained"

run "$AUDITSHIP" -c "$CONF" status --json
python3 -c 'import json,sys; d=json.load(sys.stdin); v=[x["sealed"] for s in d["streams"] for day in s["days"] for x in day["destinations"]]; assert v and all(v), v' <<<"$OUT" ||
	fail "status --json: every day sealed"
run "$AUDITSHIP" -c "$CONF" status
assert_contains "$OUT" "sealed" "status text has a sealed column"
grep -q '^auditship_sealed_days{dest="archive",type="dir"} 6$' "$T/m.prom" || fail "metric sealed_days: $(grep sealed "$T/m.prom")"
grep -q '^auditship_unsealed_closed_days{dest="archive",type="dir"} 0$' "$T/m.prom" || fail "metric unsealed_closed_days"
pass "status (text, --json) and metrics show the days sealed"

# openssl verifies an auditship seal with the .pub file
seal="$(dir_of $D4)/$D4.seal.json"
head -1 "$seal" | tr -d '\n' >"$T/stmt"
sed -n 2p "$seal" | cut -d' ' -f3 | base64 -d >"$T/sig"
openssl pkeyutl -verify -pubin -inkey "$STATE/signing.key.pub" -rawin -in "$T/stmt" -sigfile "$T/sig" >/dev/null ||
	fail "openssl does not verify the seal"
pass "interop: openssl pkeyutl -verify -rawin accepts auditship's seal"

run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "no-op ship"
assert_eq "$(find "$ARCH" -name '*.seal*.json' | wc -l)" 6 "no-op ship adds no seal"

# A late line after the day was sealed: a further seal, chained.
gen_day "$SRC/$D1.jsonl" 5 11; backdate "$SRC/$D1.jsonl"
# A same-size edit in the middle, same inode (SPEC §3.3, issue 11 item 3).
size=$(stat -c %s "$SRC/$D4.jsonl"); ino=$(stat -c %i "$SRC/$D4.jsonl")
printf 'X' | dd of="$SRC/$D4.jsonl" bs=1 seek=$((size / 2)) conv=notrunc status=none
assert_eq "$(stat -c %s "$SRC/$D4.jsonl"):$(stat -c %i "$SRC/$D4.jsonl")" "$size:$ino" "edit kept size and inode"
backdate "$SRC/$D4.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship after late line and edit ($ERR)"
assert_contains "$ERR" "$D4.jsonl was rewritten" "middle edit reported"
[ -f "$(dir_of $D1)/$D1.seal.2.json" ] || fail "no further seal for the late line"
grep -q '"seq":2' "$(dir_of $D1)/$D1.seal.2.json" || fail "seq 2"
[ -f "$(dir_of $D4)/$D4.seal.2.json" ] || fail "no further seal after the reset"
ls "$(dir_of $D4)"/$D4.000000000000-*.reset1.jsonl.gz >/dev/null || fail "reset not shipped again from 0"
ls "$(dir_of $D4)"/$D4.000000000000-*[0-9].jsonl.gz >/dev/null || fail "old objects not kept"
grep -q '"resets":\[{"generation":0' "$(dir_of $D4)/$D4.seal.2.json" || fail "seal lists the old generation"
run "$AUDITSHIP" -c "$CONF" status --json
assert_contains "$OUT" '"resets":1' "the edit counts as a file reset"
assert_contains "$OUT" '"seals":2' "status counts the further seal"
pass "late line -> .seal.2.json; same-size middle edit (same inode) -> reset, reshipped, old objects kept"

run "$AUDITSHIP" -c "$CONF" verify
assert_eq "$RC" 0 "verify clean ($OUT $ERR)"
for d in $D1 $D2 $D3 $D4 $D5 $D6; do assert_contains "$OUT" "ok    $S $d" "verify says ok for $d"; done
assert_contains "$OUT" "verified 6 days of 1 streams:" "summary"
assert_contains "$OUT" ", 0 problems" "no problems"
assert_contains "$OUT" "trusting key" "prints the keys it trusts"
run "$AUDITSHIP" -c "$CONF" verify --json --local
assert_eq "$RC" 0 "verify --json --local"
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["summary"]["problems"]==0 and d["summary"]["days"]==6, d["summary"]' <<<"$OUT" || fail "json summary"
pass "verify: every day ok, --json, --local"

# A seal signed by openssl (another key, trusted with --key) verifies: the
# chain's last seal (the further seal of D4), re-signed.
openssl genpkey -algorithm ed25519 -out "$T/other.key" 2>/dev/null
mkdir -p "$T/keys"; openssl pkey -in "$T/other.key" -pubout -out "$T/keys/other.pub"
cp "$STATE/signing.key.pub" "$T/keys/mine.pub"
oid=$(openssl pkey -pubin -in "$T/keys/other.pub" -outform DER | tail -c 32 | sha256sum | cut -c1-32)
last="$(dir_of $D4)/$D4.seal.2.json"; cp "$last" "$T/last.orig"
head -1 "$last" | tr -d '\n' | sed "s/\"key_id\":\"[0-9a-f]*\"/\"key_id\":\"$oid\"/" >"$T/stmt2"
openssl pkeyutl -sign -inkey "$T/other.key" -rawin -in "$T/stmt2" -out "$T/sig2"
{ cat "$T/stmt2"; echo; echo "sig $oid $(base64 -w0 "$T/sig2")"; } >"$last"
run "$AUDITSHIP" -c "$CONF" verify --key "$T/keys"
assert_eq "$RC" 0 "seal signed by openssl verifies ($OUT)"
run "$AUDITSHIP" -c "$CONF" verify
assert_eq "$RC" 1 "untrusted key refused"
assert_contains "$OUT" "FAIL  $S $D4: ${last#$ARCH/}: signed by key $oid, which is not trusted" "re-signed by another key"
cp "$T/last.orig" "$last"
pass "interop: a seal signed by openssl verifies in auditship verify; another key is reported"

# Tampering, one at a time, each by day, stream and key.
tamper() {  # description, expected substring
	run "$AUDITSHIP" -c "$CONF" verify --local
	assert_eq "$RC" 1 "$1: exit 1"
	assert_contains "$OUT" "$2" "$1"
}
cp -a "$ARCH" "$T/arch.orig"
restore() { rm -rf "$ARCH"; cp -a "$T/arch.orig" "$ARCH"; }

obj=$(ls "$(dir_of $D5)"/$D5.0*.jsonl.gz | head -1)
printf 'x' >>"$obj"
tamper "object bytes changed" "FAIL  $S $D5: ${obj#$ARCH/}: stored bytes changed"
restore
rm "$obj"
tamper "object deleted" "FAIL  $S $D5: ${obj#$ARCH/}: object listed by the seal is missing"
restore
rm "$(dir_of $D2)/$D2.seal.json"
tamper "seal deleted in the middle" "FAIL  $S $D2: day has no seal"
assert_contains "$OUT" "FAIL  $S $D3: $S/${D3:0:4}/${D3:5:2}/${D3:8:2}/$D3.seal.json: chain: the previous seal" "chain break reported at the next day"
restore
mv "$(dir_of $D5)/$D5.seal.json" "$T/s5"; mv "$(dir_of $D3)/$D3.seal.json" "$(dir_of $D5)/$D5.seal.json"; mv "$T/s5" "$(dir_of $D3)/$D3.seal.json"
tamper "two days' seals swapped" "FAIL  $S $D5: $S/${D5:0:4}/${D5:5:2}/${D5:8:2}/$D5.seal.json: seal statement is for $S $D3"
assert_contains "$OUT" "FAIL  $S $D3: $S/${D3:0:4}/${D3:5:2}/${D3:8:2}/$D3.seal.json: seal statement is for $S $D5" "both days"
restore
cp "$obj" "$(dir_of $D5)/$D5.000000000000-000000000001.jsonl.gz"
tamper "orphan object" "FAIL  $S $D5: $S/${D5:0:4}/${D5:5:2}/${D5:8:2}/$D5.000000000000-000000000001.jsonl.gz: orphan"
restore
sed -i 's/"state":"empty"/"state":"sealed"/' "$(dir_of $D6)/$D6.seal.json"
tamper "statement edited" "FAIL  $S $D6: $S/${D6:0:4}/${D6:5:2}/${D6:8:2}/$D6.seal.json: signature does not verify"
restore
head -c 100 "$(dir_of $D6)/$D6.seal.json" >"$T/t"; cp "$T/t" "$(dir_of $D6)/$D6.seal.json"
tamper "truncated seal" "FAIL  $S $D6: $S/${D6:0:4}/${D6:5:2}/${D6:8:2}/$D6.seal.json: bad seal"
restore
rm "$(dir_of $D6)/$D6.seal.json"
tamper "an unsealed closed day" "FAIL  $S $D6: day has no seal"
restore
cp "$SRC/$D5.jsonl" "$T/d5"; printf 'Y' | dd of="$SRC/$D5.jsonl" bs=1 seek=10 conv=notrunc status=none
tamper "local file edited after shipping (--local)" "FAIL  $S $D5: $S/${D5:0:4}/${D5:5:2}/${D5:8:2}/$D5.seal.json: local file $SRC/$D5.jsonl changed after it was sealed"
cp "$T/d5" "$SRC/$D5.jsonl"
run "$AUDITSHIP" -c "$CONF" verify --local
assert_eq "$RC" 0 "clean again after restoring ($OUT)"
pass "tampering reported by day, stream and key: bytes, deletion, seal deleted, swapped, orphan, edited, truncated, unsealed, local edit"

# seal = false: nothing sealed.
rm -rf "$SRC" "$ARCH" "$STATE"
core_setup
sed -i 's/^type = dir/type = dir\nseal = false/' "$CONF"
gen_day "$SRC/$D1.jsonl" 10 1; backdate "$SRC/$D1.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship with seal = false"
assert_eq "$(find "$ARCH" -name '*.seal*.json' | wc -l)" 0 "seal = false seals nothing"
assert_not_contains "$ERR" "signing key" "no key made when nothing seals"
pass "seal = false disables sealing"
