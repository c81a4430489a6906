#!/usr/bin/env bash
# The azblob destination against a real Azure Blob implementation:
# Microsoft's emulator Azurite (tests/fixtures/azurite.sh), booted once for
# the cases below.  Blobs are listed and downloaded with the Azure SDK for
# JavaScript (tests/integ/az_tool.js), independent of our code.
#   1. Shared Key, chunk mode: a corpus of days round trips byte for byte;
#      an append is a second blob; metadata and Content-MD5 on each
#   2. a lost commit: the rerun finds its blobs and writes none again
#   3. SAS token auth, daily mode, a large day as Put Block + Put Block
#      List (1 MiB blocks); the token never appears in -v output
#   4. If-None-Match on a retried upload: a blob already at the name with
#      other content is never replaced (exit 1, named)
#   5. a write-only SAS (no read): the retried upload is refused by the
#      service's If-None-Match check, and the blob stays as it was
#   6. a wrong account key: exit 1, the 403 and its code named, key not shown
#   7. check --connect: container properties; a missing container named
#   8. seals (SPEC §7): every closed day of case 1 has its seal blob next
#      to its blobs; `auditship verify` over the container passes, and
#      names a blob with one flipped byte
. "$(dirname "$0")/lib.sh"

AZ="$T/azurite"
on_exit "'$FIXTURES_DIR/azurite.sh' stop '$AZ'"
eval "$("$FIXTURES_DIR/azurite.sh" start "$AZ")"
export AZ_ENDPOINT AZ_ACCOUNT AZ_KEY NODE_PATH="$AZ_NODE_PATH"
AZT() { node "$SRC_DIR/tests/integ/az_tool.js" "$@"; }
verify() { python3 "$SRC_DIR/tests/integ/verify_archive.py" "$@"; }
AZT mkcontainer logs
AZT mkcontainer big
AZT mkcontainer taken
AZT mkcontainer wonly

SRC="$T/audit"; mkdir -p "$SRC"
# az_conf NAME CONTAINER EXTRA...: a config with one azblob destination.
az_conf() {
	local name=$1 cont=$2; shift 2
	CONF="$T/$name.ini"
	{
		printf '[auditship]\nstate_dir = %s\nhostname = testhost\nsettle = 1s\n\n' "$T/state-$name"
		printf '[source]\ndir = %s\n\n' "${AZ_SRC:-$SRC}"
		printf '[destination %s]\ntype = azblob\naccount = %s\ncontainer = %s\n' "$name" "$AZ_ACCOUNT" "$cont"
		printf 'endpoint = %s\n' "$AZ_ENDPOINT"
		printf '%s\n' "$@"
	} >"$CONF"
	chmod 600 "$CONF"
}

D1=$(utc_day '3 days ago'); D2=$(utc_day '2 days ago'); TODAY=$(utc_day)
gen_day "$SRC/$D1.jsonl" 800 11
gen_day "$SRC/$D2.jsonl" 1200 12
gen_day "$SRC/$TODAY.jsonl" 300 13
touch -d '1 hour ago' "$SRC/$D1.jsonl" "$SRC/$D2.jsonl"

# --- 1. Shared Key, chunk mode ---------------------------------------------
az_conf sk logs "account_key = $AZ_KEY"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "chunk ship ($ERR)"
gen_day "$SRC/$TODAY.jsonl" 100 14
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "append ship ($ERR)"
AZT fetch logs "$T/got1"
verify "$T/got1" "$SRC" --expect-complete >"$T/v1" || fail "round trip: $(cat "$T/v1")"
assert_contains "$(cat "$T/v1")" "ok $TODAY: 2 objects" "append is a second blob"
AZT list logs >"$T/l1"
python3 - "$T/l1" <<'PY' || fail "blob properties: $(cat "$T/l1")"
import json, sys
allr = [json.loads(l) for l in open(sys.argv[1])]
recs = [r for r in allr if r["name"].endswith(".jsonl.gz")]
assert len(recs) == 4, len(recs)
assert len(allr) - len(recs) == 3, "seals: 2 days + yesterday's empty one"
for r in recs:
    assert r["type"] == "application/gzip", r
    assert len(r["md5"]) == 24, r                       # Content-MD5 stored
    assert len(r["meta"]["auditship_sha256"]) == 64, r
    assert r["meta"]["auditship_range"].endswith("-%d" % int(r["name"].split("-")[-1].split(".")[0])), r
PY
pass "Shared Key: chunk round trip of 3 days and an append, Content-MD5 and metadata on each blob"

# --- 2. a lost commit: the rerun writes no blob again ----------------------
cp -p "$T/state-sk/state" "$T/state.before"
gen_day "$SRC/$TODAY.jsonl" 50 15
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship before the lost commit ($ERR)"
AZT list logs >"$T/l2a"
cp -p "$T/state.before" "$T/state-sk/state"
run "$AUDITSHIP" -c "$CONF" -v ship
assert_eq "$RC" 0 "rerun after the lost commit ($ERR)"
AZT list logs >"$T/l2b"
cmp -s "$T/l2a" "$T/l2b" || fail "the rerun changed the container: $(diff "$T/l2a" "$T/l2b")"
assert_not_contains "$ERR" "> PUT " "the rerun uploaded nothing"
pass "lost commit: the rerun finds its blob by Get Blob Properties and puts nothing"

# --- 3. SAS, daily mode, blocks --------------------------------------------
BIG="$T/bigsrc"; mkdir -p "$BIG"
python3 "$SRC_DIR/tests/integ/gen_audit.py" --bytes $((24 << 20)) --seed 21 --day "$D1" >"$BIG/$D1.jsonl"
touch -d '1 hour ago' "$BIG/$D1.jsonl"
SAS=$(AZT sas big racwl)
SIG=$(sed 's/.*sig=//; s/&.*//' <<<"$SAS")
AZ_SRC=$BIG az_conf sas big "sas_token = $SAS" "upload = daily" "block_threshold = 1M"
run "$AUDITSHIP" -c "$CONF" -v ship
assert_eq "$RC" 0 "SAS daily ship ($ERR)"
assert_not_contains "$ERR$OUT" "$SIG" "SAS signature in the output"
nblocks=$(grep -c '> PUT .*comp=block&blockid=' <<<"$ERR" || true)
[ "$nblocks" -ge 2 ] || fail "expected several Put Block requests, saw $nblocks"
assert_contains "$ERR" "comp=blocklist" "Put Block List sent"
AZT fetch big "$T/got3"
verify "$T/got3" "$BIG" --expect-complete >"$T/v3" || fail "SAS blocks round trip: $(cat "$T/v3")"
pass "SAS token: a 24 MiB day as $nblocks blocks + Put Block List round trips; the token is never shown"

# --- 4. If-None-Match: a foreign blob at our name is never replaced --------
AZ_SRC=$BIG az_conf taken taken "account_key = $AZ_KEY" "upload = daily"
NAME="testhost/$(id -un)/${D1:0:4}/${D1:5:2}/${D1:8:2}/$D1.jsonl.gz"
printf 'not ours\n' >"$T/foreign"
AZT put taken "$NAME" "$T/foreign"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 1 "a foreign blob at the name"
assert_contains "$ERR" "already exists with other content" "named"
AZT fetch taken "$T/got4"
cmp -s "$T/got4/$NAME" "$T/foreign" || fail "the foreign blob was replaced"
pass "a foreign blob at our name: exit 1, named, left untouched"

# --- 5. write-only SAS: the service's If-None-Match keeps the blob ---------
AZ_SRC=$BIG az_conf wo wonly "account_key = $AZ_KEY" "upload = daily"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "first upload into wo ($ERR)"
AZT list wonly >"$T/l5a"
rm -rf "$T/state-wo"
WSAS=$(AZT sas wonly cw)
AZ_SRC=$BIG az_conf wo wonly "sas_token = $WSAS" "upload = daily" "block_threshold = 1M"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 1 "retried upload without read permission"
assert_contains "$ERR" "BlobAlreadyExists" "the service refused the replacement"
AZT list wonly >"$T/l5b"
cmp -s "$T/l5a" "$T/l5b" || fail "the blob changed: $(diff "$T/l5a" "$T/l5b")"
pass "write-only SAS: If-None-Match made the service refuse the second upload (409 BlobAlreadyExists); blob unchanged"

# --- 6. a wrong account key ------------------------------------------------
BADKEY=$(python3 -c 'import base64; print(base64.b64encode(b"w" * 64).decode())')
az_conf bad logs "account_key = $BADKEY"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 1 "wrong key"
assert_contains "$ERR" "dest bad" "names the destination"
assert_contains "$ERR" "HTTP 403 Auth" "names Azure's error code"
assert_contains "$ERR" "account key is wrong" "says what to fix"
assert_not_contains "$ERR$OUT" "$BADKEY" "the key is never shown"
pass "wrong account key: exit 1 at the first request, 403 and its code named, key not shown"

# --- 7. check --connect ----------------------------------------------------
az_conf sk logs "account_key = $AZ_KEY"
run "$AUDITSHIP" -c "$CONF" check --connect
assert_eq "$RC" 0 "check --connect ($ERR)"
assert_contains "$ERR" "container logs: reachable" "container properties read"
az_conf none nosuch "account_key = $AZ_KEY"
run "$AUDITSHIP" -c "$CONF" check --connect
assert_eq "$RC" 1 "check --connect on a missing container"
assert_contains "$ERR" "ContainerNotFound" "missing container named"
pass "check --connect reads the container's properties; a missing container is named"

# --- 8. seals ----------------------------------------------------------------
AZT list logs >"$T/l8"
for d in "$D1" "$D2" "$(utc_day yesterday)"; do
	grep -qF "\"name\":\"testhost/$(id -un)/${d:0:4}/${d:5:2}/${d:8:2}/$d.seal.json\"" "$T/l8" ||
		fail "no seal blob for $d: $(cat "$T/l8")"
done
# verify reads the container itself: List Blobs, Get Blob.
az_conf sk logs "account_key = $AZ_KEY"
run "$AUDITSHIP" -c "$CONF" verify --to "$D2"
assert_eq "$RC" 0 "verify over the container ($OUT $ERR)"
assert_contains "$OUT" "testhost/$(id -un) $D1: 1 seal" "day 1 verified"
assert_contains "$OUT" "verified 2 days of 1 streams: 2 objects" "every day and object read"
assert_contains "$OUT" ", 0 problems" "no problem"
# One flipped byte of one blob (Azurite has no immutability to refuse it).
NAME8=$(grep -o "testhost/[^\"]*/$D1\.[0-9]*-[0-9]*\.jsonl\.gz" "$T/l8" | head -1)
rm -rf "$T/got8"; AZT fetch logs "$T/got8"
python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 1; open(p, "wb").write(b)' "$T/got8/$NAME8"
AZT put logs "$NAME8" "$T/got8/$NAME8"
run "$AUDITSHIP" -c "$CONF" verify --to "$D2"
assert_eq "$RC" 1 "verify of a tampered blob"
assert_contains "$OUT" "$NAME8" "names the tampered blob"
pass "seals: one seal blob per closed day next to its blobs; verify over the container (List Blobs, Get Blob) passes, and names a blob with one flipped byte"
