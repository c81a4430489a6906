#!/usr/bin/env bash
# Seals at an s3 destination on the real Ceph RGW, Object-Lock bucket (SPEC
# §7): several days (one empty, one .jsonl.gz, one with a late line after
# its seal, one reset); every seal is stored with the objects' COMPLIANCE
# retention and legal hold; RGW refuses to delete a seal or an object; the
# bucket, fetched as it is with boto3, verifies clean with `auditship
# verify` as a dir archive, and so does the bucket itself read by `verify`
# (ListObjectsV2 paged, GetObject streamed); a tampered object is reported by
# day, stream and key, and an orphan object added under a day's prefix with
# boto3 (RGW permits it) by `verify` on the bucket.
. "$(dirname "$0")/lib.sh"

RGW="$T/rgw"
on_exit "'$FIXTURES_DIR/ceph-rgw.sh' stop '$RGW'"
set -a
eval "$("$FIXTURES_DIR/ceph-rgw.sh" start "$RGW")"
set +a
S3T() { /usr/bin/python3 "$SRC_DIR/tests/integ/s3_tool.py" "$@"; }
S3T mkbucket sealed --lock

SRC="$T/audit"; mkdir -p "$SRC"
CONF="$T/s3.ini"
cat >"$CONF" <<EOC
[auditship]
state_dir = $T/state
hostname = testhost
settle = 1s
[source]
dir = $SRC
[destination vault]
type = s3
bucket = sealed
region = $S3_REGION
endpoint = $S3_ENDPOINT
access_key_id = $S3_ACCESS_KEY
secret_access_key = $S3_SECRET_KEY
object_lock_mode = COMPLIANCE
object_lock_retain_days = 1
legal_hold = true
EOC
chmod 600 "$CONF"
U=$(stat -c %U "$SRC")
D1=$(utc_day '5 days ago'); D2=$(utc_day '4 days ago'); D3=$(utc_day '3 days ago')
D4=$(utc_day '2 days ago'); D5=$(utc_day yesterday)
gen_day "$SRC/$D1.jsonl" 200 1
# D2: no file: an empty seal
gen_day "$SRC/$D3.jsonl" 150 3; gzip "$SRC/$D3.jsonl"
gen_day "$SRC/$D4.jsonl" 300 4
gen_day "$SRC/$D5.jsonl" 100 5
for f in "$SRC"/*; do touch -d '1 hour ago' "$f"; done

run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship ($ERR)"
gen_day "$SRC/$D1.jsonl" 3 9; touch -d '1 hour ago' "$SRC/$D1.jsonl"        # a late line
head -c 1000 "$SRC/$D4.jsonl" >"$T/d4"; mv "$T/d4" "$SRC/$D4.jsonl"         # a reset (shrank)
touch -d '1 hour ago' "$SRC/$D4.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "second ship ($ERR)"
assert_contains "$ERR" "$D4.jsonl shrank" "reset reported"

S3T inspect sealed >"$T/i"
python3 - "$T/i" "$U" "$D1" "$D2" "$D3" "$D4" "$D5" <<'PY' || fail "seal objects: $(grep seal "$T/i")"
import json, sys
recs = {r["key"]: r for r in map(json.loads, open(sys.argv[1]))}
u, days = sys.argv[2], sys.argv[3:]
def k(d, n=""):
    return "testhost/%s/%s/%s/%s/%s.seal%s.json" % (u, d[:4], d[5:7], d[8:10], d, n)
want = [k(d) for d in days] + [k(days[0], ".2"), k(days[3], ".2")]
for w in want:
    assert w in recs, (w, sorted(recs))
seals = [r for key, r in recs.items() if ".seal" in key]
assert len(seals) == len(want), sorted(r["key"] for r in seals)
for r in recs.values():       # objects and seals alike
    assert r["mode"] == "COMPLIANCE" and r["hold"] == "ON" and r["versions"] == 1, r
PY
pass "every day sealed in the bucket (empty, gz, late line -> .seal.2, reset -> .seal.2), each COMPLIANCE + legal hold, one version"

seal="testhost/$U/${D2:0:4}/${D2:5:2}/${D2:8:2}/$D2.seal.json"
obj=$(grep -o "\"key\": \"testhost/$U/${D5:0:4}/${D5:5:2}/${D5:8:2}/$D5\.0[^\"]*\"" "$T/i" | cut -d'"' -f4 | head -1)
set +e
S3T delete sealed "$seal" >"$T/del1"; r1=$?
S3T delete sealed "$obj" >"$T/del2"; r2=$?
set -e
assert_eq "$r1" 3 "RGW refuses to delete a locked seal ($(cat "$T/del1"))"
assert_eq "$r2" 3 "RGW refuses to delete a locked object ($(cat "$T/del2"))"
pass "Object Lock: deleting a seal or an object is refused"

# verify reading the bucket itself.
run "$AUDITSHIP" -c "$CONF" verify
assert_eq "$RC" 0 "verify on the bucket ($OUT $ERR)"
for d in $D1 $D2 $D3 $D4 $D5; do assert_contains "$OUT" "ok    testhost/$U $d" "ok $d (s3)"; done
pass "verify reads the s3 destination directly: every day ok, every object and seal locked COMPLIANCE (HEAD)"

# Object Lock checked against the config: COMPLIANCE objects satisfy
# GOVERNANCE; retained 1 day falls short of a config asking for 30.
sed 's/^object_lock_mode = .*/object_lock_mode = GOVERNANCE/' "$CONF" >"$T/gov.ini"; chmod 600 "$T/gov.ini"
run "$AUDITSHIP" -c "$T/gov.ini" verify
assert_eq "$RC" 0 "COMPLIANCE locks satisfy GOVERNANCE ($OUT $ERR)"
sed 's/^object_lock_retain_days = .*/object_lock_retain_days = 30/' "$CONF" >"$T/long.ini"; chmod 600 "$T/long.ini"
run "$AUDITSHIP" -c "$T/long.ini" verify
assert_eq "$RC" 1 "a lock shorter than configured fails"
assert_contains "$OUT" "FAIL  testhost/$U $D2: $seal: Object Lock: retained until" "short retention reported per key"
pass "verify checks each key's Object Lock mode and retention against the config"

# legal_hold = true: every object and seal must be held.  The tampering
# step: the hold of one object turned OFF through the S3 API.
assert_eq "$(S3T hold sealed "$obj" OFF)" OFF "RGW turned the hold off"
run "$AUDITSHIP" -c "$CONF" verify
assert_eq "$RC" 1 "an object without legal hold fails ($OUT)"
assert_contains "$OUT" "FAIL  testhost/$U $D5: $obj: Object Lock: legal hold is OFF (legal_hold = true)" "reported by day, stream and key"
n=$(grep -c "FAIL" <<<"$OUT" || true)
assert_eq "$n" 1 "only that object fails"
for d in $D1 $D2 $D3 $D4; do assert_contains "$OUT" "ok    testhost/$U $d" "ok $d (hold off elsewhere)"; done
sed '/^legal_hold = /d' "$CONF" >"$T/nohold.ini"; chmod 600 "$T/nohold.ini"
run "$AUDITSHIP" -c "$T/nohold.ini" verify
assert_eq "$RC" 0 "without legal_hold configured the hold is not required ($OUT)"
assert_eq "$(S3T hold sealed "$obj" ON)" ON "RGW turned the hold back on"
run "$AUDITSHIP" -c "$CONF" verify
assert_eq "$RC" 0 "held again: clean ($OUT)"
pass "verify with legal_hold = true reports an object whose legal hold is OFF, by day, stream and key"

# --fast: Ceph 16's RGW keeps no x-amz-checksum-*: every object is
# downloaded, and verify says so.
run "$AUDITSHIP" -c "$CONF" verify --fast
assert_eq "$RC" 0 "fast verify on RGW ($OUT $ERR)"
assert_contains "$OUT" "--fast: dest vault: trusting the server's stored x-amz-checksum-sha256" "the note"
nobj=$(grep -o '"key": "[^"]*"' "$T/i" | grep -vc '\.seal\.' || true)
assert_contains "$OUT" "--fast: 0 objects checked by the server's stored checksum (not downloaded), 0 by their stored bytes' hash only (dir, not decompressed), $nobj downloaded and verified in full" "RGW: all downloaded, said so"
pass "--fast on RGW (no stored checksums) falls back to downloading every object and says so"

# The bucket as it is, checked by verify.
S3T fetch sealed "$T/copy"
cat >"$T/v.ini" <<EOC
[auditship]
state_dir = $T/state
hostname = testhost
[destination copy]
type = dir
path = $T/copy
EOC
run "$AUDITSHIP" -c "$T/v.ini" verify --local
assert_eq "$RC" 0 "the bucket verifies ($OUT)"
for d in $D1 $D2 $D3 $D4 $D5; do assert_contains "$OUT" "ok    testhost/$U $d" "ok $d"; done
grep -q '"lock":{"mode":"COMPLIANCE"' "$T/copy/$seal" || fail "the statement records the lock"
# seal bytes verify with openssl and the .pub
head -1 "$T/copy/$seal" | tr -d '\n' >"$T/stmt"
sed -n 2p "$T/copy/$seal" | cut -d' ' -f3 | base64 -d >"$T/sig"
openssl pkeyutl -verify -pubin -inkey "$T/state/signing.key.pub" -rawin -in "$T/stmt" -sigfile "$T/sig" >/dev/null ||
	fail "openssl rejects an s3 seal"
printf 'x' >>"$T/copy/$obj"
run "$AUDITSHIP" -c "$T/v.ini" verify
assert_eq "$RC" 1 "tampered copy fails"
assert_contains "$OUT" "FAIL  testhost/$U $D5: $obj: stored bytes changed" "reported by day, stream and key"
pass "the bucket's seals and objects verify; openssl accepts a seal; a changed object is reported"

# Orphan objects in the bucket, under a day's prefix (RGW lets anyone with
# write access add a key; Object Lock only protects what is there).  50 of
# them: with 40 keys a page, the listing spans pages.
pre="testhost/$U/${D3:0:4}/${D3:5:2}/${D3:8:2}/$D3"
printf 'forged\n' | gzip >"$T/forged.gz"
S3T putmany sealed "$pre.extra" 50 "$T/forged.gz"
run "$AUDITSHIP" -c "$CONF" verify
assert_eq "$RC" 1 "orphans in the bucket fail verify"
assert_contains "$OUT" "FAIL  testhost/$U $D3: $pre.extra07.jsonl.gz: orphan" "orphan reported by day, stream and key"
n=$(grep -c "FAIL  testhost/$U $D3: $pre\.extra[0-9]*\.jsonl\.gz: orphan" <<<"$OUT" || true)
assert_eq "$n" 50 "every orphan across the listing's pages reported"
assert_contains "$OUT" "FAIL  testhost/$U $D3: $pre.extra07.jsonl.gz: Object Lock: not locked (object_lock_mode = COMPLIANCE)" "an unlocked object reported"
n=$(grep -c "Object Lock" <<<"$OUT" || true)
assert_eq "$n" 50 "only the 50 unlocked orphans fail the lock check"
for d in $D1 $D2 $D4 $D5; do assert_contains "$OUT" "ok    testhost/$U $d" "ok $d (s3, orphans elsewhere)"; done
pass "verify on the bucket reports each orphan object (listing paged)"
