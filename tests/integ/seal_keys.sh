#!/usr/bin/env bash
# Signing keys (SPEC §7): keygen/key, refusal to replace, the key id is the
# first 16 bytes of SHA-256 of the raw public key, a group-readable, corrupt
# or missing key is refused with a clear message, the private key is never
# printed.
. "$(dirname "$0")/lib.sh"
CONF="$T/a.ini"
cat >"$CONF" <<EOC
[auditship]
state_dir = $T/state
[destination a]
type = dir
path = $T/arch
EOC
KEY="$T/state/signing.key"

run "$AUDITSHIP" -c "$CONF" key
assert_eq "$RC" 1 "key without a key"
assert_contains "$ERR" "keygen creates one" "key says how to make one"

run "$AUDITSHIP" -c "$CONF" keygen
assert_eq "$RC" 0 "keygen ($ERR)"
assert_contains "$OUT" "-----BEGIN PUBLIC KEY-----" "keygen prints the public key"
assert_not_contains "$OUT" "PRIVATE" "keygen never prints the private key"
assert_eq "$(stat -c %a "$KEY")" 600 "private key mode"
[ -f "$KEY.pub" ] || fail "no .pub beside the key"
id=$(sed -n 's/^key id: //p' <<<"$OUT")
# key id = hex of the first 16 bytes of SHA-256 over the raw 32-byte public key
raw_id=$(openssl pkey -pubin -in "$KEY.pub" -outform DER | tail -c 32 | sha256sum | cut -c1-32)
assert_eq "$id" "$raw_id" "key id definition"
openssl pkey -in "$KEY" -noout 2>/dev/null || fail "openssl cannot read the private key"
openssl pkey -in "$KEY" -text -noout | grep -q ED25519 || fail "not an Ed25519 key"
pass "keygen: Ed25519 PEM 0600, .pub beside it, key id as SPEC §7"

run "$AUDITSHIP" -c "$CONF" key
assert_eq "$RC" 0 "key"
assert_contains "$OUT" "key id: $id" "key prints the same id"
assert_not_contains "$OUT" "PRIVATE" "key never prints the private key"

sum=$(sha256sum <"$KEY")
run "$AUDITSHIP" -c "$CONF" keygen
assert_eq "$RC" 2 "keygen refuses to replace a key"
assert_contains "$ERR" "--force" "refusal names --force"
assert_eq "$(sha256sum <"$KEY")" "$sum" "key untouched"
run "$AUDITSHIP" -c "$CONF" keygen --force
assert_eq "$RC" 0 "keygen --force"
assert_not_contains "$OUT" "key id: $id" "--force made a new key"
pass "keygen refuses to replace without --force"

chmod 640 "$KEY"
run "$AUDITSHIP" -c "$CONF" key
assert_eq "$RC" 1 "group-readable key refused"
assert_contains "$ERR" "readable or writable by group or others" "says why"
chmod 600 "$KEY"
echo "garbage" >"$KEY"
run "$AUDITSHIP" -c "$CONF" key
assert_eq "$RC" 1 "corrupt key refused"
assert_contains "$ERR" "corrupt" "says corrupt"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$KEY" 2>/dev/null
chmod 600 "$KEY"
run "$AUDITSHIP" -c "$CONF" key
assert_eq "$RC" 1 "non-Ed25519 key refused"
assert_contains "$ERR" "not an Ed25519 key" "says which"
pass "bad keys refused: group-readable, corrupt, wrong algorithm"

# check shows the signing key by path and key id, never its bytes.
chmod 600 "$KEY"
rm -f "$KEY" "$KEY.pub"
run "$AUDITSHIP" -c "$CONF" check
assert_eq "$RC" 0 "check without a key"
assert_contains "$OUT" "signing key: $KEY (not created yet" "check: no key yet"
"$AUDITSHIP" -c "$CONF" keygen >"$T/kg"
id=$(sed -n 's/^key id: //p' "$T/kg")
run "$AUDITSHIP" -c "$CONF" check
assert_contains "$OUT" "signing key: $KEY (key id $id, public key $KEY.pub)" "check: path and key id"
assert_not_contains "$OUT" "PRIVATE" "check never prints the key"
assert_not_contains "$OUT" "$(sed -n 2p "$KEY")" "check never prints the key bytes"
pass "check shows the signing key as its path and key id"
