#!/usr/bin/env bash
# `auditship verify --fast` (SPEC §7) against tests/integ/fake_s3.py, which
# keeps and returns x-amz-checksum-sha256 as AWS does (Ceph 16's RGW keeps
# none: seal_rgw.sh proves the fallback there):
#   1. with checksum = sha256 every object and seal is stored with its
#      full-object checksum; --fast verifies them all with HEAD
#      (x-amz-checksum-mode: ENABLED) and no GetObject of a day object, and
#      says how many it trusted (text and --json);
#   2. with checksum = md5 the server keeps no SHA-256: --fast downloads
#      every object and says so;
#   3. an object whose stored checksum is a multipart composite ("...-N")
#      is downloaded (that one only) and verified in full;
#   4. an object replaced under its key (so its stored checksum is another)
#      fails --fast, naming day, stream and key, still without a GetObject;
#   5. dir: --fast hashes the stored files without decompressing; a changed
#      stored file fails;
#   6. with Object Lock and legal hold checked, --fast makes one HEAD per
#      object (its answer holds both the checksum and the lock), and a hold
#      turned off behind auditship's back is still reported by key.
. "$(dirname "$0")/lib.sh"

PORT=$(free_port)
AK=FAKEACCESSKEY000001
SK=fakeSecretKey0000000000000000000000000001
python3 "$SRC_DIR/tests/integ/fake_s3.py" --port "$PORT" --access-key "$AK" --secret-key "$SK" \
	--bucket sums --bucket plain --lock-bucket locked >"$T/fake.log" 2>&1 &
FAKE_PID=$!
on_exit "kill $FAKE_PID"
EP="http://127.0.0.1:$PORT"
wait_for "fake S3" 10 curl -sf "$EP/_admin/state"
state() { curl -sf "$EP/_admin/state"; }
# gets/heads BUCKET: GetObject/HeadObject requests of the bucket's day
# objects (not seals)
count() {
	state | python3 -c "import json,sys; g=json.load(sys.stdin)['$1']
print(sum(n for k, n in g.items() if k.startswith('$2/') and '.seal.' not in k))"
}
gets() { count gets "$1"; }
heads() { count heads "$1"; }
# s3_dest NAME: an s3 destination of bucket NAME on the fake
s3_dest() {
	printf '[destination %s]\ntype = s3\nbucket = %s\nregion = us-east-1\nendpoint = %s\n' "$1" "$1" "$EP"
	printf 'access_key_id = %s\nsecret_access_key = %s\n' "$AK" "$SK"
}

SRC="$T/audit"; mkdir -p "$SRC"
CONF="$T/c.ini"
cat >"$CONF" <<EOC
[auditship]
state_dir = $T/state
hostname = testhost
settle = 1s
[source]
dir = $SRC
$(s3_dest sums)
checksum = sha256
$(s3_dest plain)
$(s3_dest locked)
checksum = sha256
object_lock_mode = GOVERNANCE
object_lock_retain_days = 1
legal_hold = true
[destination arch]
type = dir
path = $T/arch
EOC
chmod 600 "$CONF"
U=$(stat -c %U "$SRC")
D1=$(utc_day '3 days ago'); D2=$(utc_day '2 days ago'); D3=$(utc_day yesterday)
gen_day "$SRC/$D1.jsonl" 200 1
# D2: no file: an empty seal
gen_day "$SRC/$D3.jsonl" 300 3
touch -d '1 hour ago' "$SRC"/*
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "first ship ($ERR)"
gen_day "$SRC/$D3.jsonl" 50 4; touch -d '1 hour ago' "$SRC/$D3.jsonl"   # a second object, a .seal.2
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "second ship ($ERR)"

# 1. every object and seal in "sums" carries its full-object checksum
state >"$T/s1"
NOBJ=$(python3 - "$T/s1" <<'PY' || fail "checksums not stored: $(cat "$T/s1")"
import base64, json, sys
st = json.load(open(sys.argv[1]))
objs = {k: o for k, o in st["objects"].items() if k.startswith("sums/")}
assert len(objs) >= 6, sorted(objs)
for k, o in objs.items():
    c = o["checksum"]
    assert c and base64.b64decode(c).hex() == o["sha256"], (k, o)
for k, o in st["objects"].items():
    if k.startswith("plain/"):
        assert o["checksum"] is None, (k, o)
print(sum(1 for k in objs if ".seal." not in k))
PY
)
pass "checksum = sha256: every object and seal stored with its x-amz-checksum-sha256 ($NOBJ day objects)"

run "$AUDITSHIP" -c "$CONF" verify --dest sums --fast
assert_eq "$RC" 0 "fast verify, clean ($OUT $ERR)"
assert_contains "$OUT" "--fast: dest sums: trusting the server's stored x-amz-checksum-sha256" "says what it trusts"
assert_contains "$OUT" "ok    testhost/$U $D1: 1 seal, 1 objects" "D1 ok"
assert_contains "$OUT" "ok    testhost/$U $D2: 1 seal, 0 objects" "D2 (empty) ok"
assert_contains "$OUT" "ok    testhost/$U $D3: 2 seals, 2 objects" "D3 ok"
assert_contains "$OUT" "(2 by stored checksum)" "per-day count of trusted objects"
assert_contains "$OUT" "--fast: $NOBJ objects checked by the server's stored checksum (not downloaded), 0 by their stored bytes' hash only (dir, not decompressed), 0 downloaded" "summary says what was trusted"
assert_eq "$(gets sums)" 0 "no GetObject of a day object"
run "$AUDITSHIP" -c "$CONF" verify --dest sums --fast --json
assert_eq "$RC" 0 "fast --json ($ERR)"
python3 -c "import json,sys; s=json.loads(sys.argv[1])['summary']; f=s['fast']
assert f == {'by_stored_checksum': $NOBJ, 'stored_hash_only': 0, 'downloaded': 0}, s
assert s['problems'] == 0 and s['objects'] == $NOBJ, s" "$OUT" || fail "fast json: $OUT"
assert_eq "$(gets sums)" 0 "still no GetObject of a day object"
pass "--fast on s3 with stored checksums: HEAD only, no download, clean, and says so"

# 2. no SHA-256 kept (Content-MD5 uploads): everything downloaded
run "$AUDITSHIP" -c "$CONF" verify --dest plain --fast
assert_eq "$RC" 0 "fast verify on md5 uploads ($OUT $ERR)"
assert_contains "$OUT" "--fast: 0 objects checked by the server's stored checksum (not downloaded), 0 by their stored bytes' hash only (dir, not decompressed), $NOBJ downloaded and verified in full" "falls back and says so"
assert_eq "$(gets plain)" "$NOBJ" "every day object downloaded once"
pass "--fast without stored checksums downloads and verifies every object"

# 3. a composite checksum is not a hash of the object: download that one
ck=$(python3 -c "import json,sys; print(sorted(k[5:] for k in json.load(open(sys.argv[1]))['objects'] if k.startswith('sums/testhost/') and '$D3.0' in k)[0])" "$T/s1")
curl -sf -X POST --data-binary "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=-2" "$EP/_admin/checksum?bucket=sums&key=$ck" ||
	fail "admin checksum"
run "$AUDITSHIP" -c "$CONF" verify --dest sums --fast
assert_eq "$RC" 0 "composite: downloaded, clean ($OUT $ERR)"
assert_contains "$OUT" "$((NOBJ - 1)) objects checked by the server's stored checksum (not downloaded), 0 by their stored bytes' hash only (dir, not decompressed), 1 downloaded" "one downloaded"
assert_eq "$(gets sums)" 1 "only the composite one was fetched"
pass "--fast downloads an object whose stored checksum is a multipart composite"

# 4. an object replaced under its key: its stored checksum is another
tk=$(python3 -c "import json,sys; print(sorted(k[5:] for k in json.load(open(sys.argv[1]))['objects'] if k.startswith('sums/testhost/') and '$D1.0' in k)[0])" "$T/s1")
printf '{"forged":1}\n' | gzip | curl -sf -X PUT --data-binary @- "$EP/_admin/put?bucket=sums&key=$tk&checksum=1" ||
	fail "admin put"
run "$AUDITSHIP" -c "$CONF" verify --dest sums --fast
assert_eq "$RC" 1 "a replaced object fails --fast ($OUT)"
assert_contains "$OUT" "FAIL  testhost/$U $D1: $tk: stored bytes changed: the server's x-amz-checksum-sha256" "named by day, stream and key"
assert_contains "$OUT" "ok    testhost/$U $D3" "other days still ok"
assert_eq "$(gets sums)" 2 "no GetObject of the replaced object (only the composite one again)"
run "$AUDITSHIP" -c "$CONF" verify --dest sums
assert_eq "$RC" 1 "the full verify agrees"
assert_contains "$OUT" "FAIL  testhost/$U $D1: $tk: stored bytes changed" "full verify names it too"
pass "--fast reports an object whose stored checksum differs from the seal's, by day, stream and key, without downloading it"

# 5. dir: stored files hashed, not decompressed
run "$AUDITSHIP" -c "$CONF" verify --dest arch --fast
assert_eq "$RC" 0 "dir fast ($OUT $ERR)"
assert_contains "$OUT" "--fast: dest arch: each stored file is hashed against the seal's stored_sha256 without decompressing" "dir note"
assert_contains "$OUT" "--fast: 0 objects checked by the server's stored checksum (not downloaded), $NOBJ by their stored bytes' hash only" "dir summary"
f=$(cd "$T/arch" && find . -name "$D3.0*" | sort | head -1)
printf 'x' >>"$T/arch/$f"
run "$AUDITSHIP" -c "$CONF" verify --dest arch --fast
assert_eq "$RC" 1 "dir fast catches a changed file ($OUT)"
assert_contains "$OUT" "FAIL  testhost/$U $D3: ${f#./}: stored bytes changed" "dir: named by key"
pass "--fast on a dir hashes each stored file without decompressing and catches a changed one"

# 6. Object Lock checked under --fast: one HEAD per object
h0=$(heads locked)
run "$AUDITSHIP" -c "$CONF" verify --dest locked --fast
assert_eq "$RC" 0 "fast verify with lock checks, clean ($OUT $ERR)"
assert_contains "$OUT" "--fast: $NOBJ objects checked by the server's stored checksum (not downloaded)" "trusted by checksum"
assert_eq "$(( $(heads locked) - h0 ))" "$NOBJ" "one HEAD per day object, not one for the checksum and one for the lock"
assert_eq "$(gets locked)" 0 "no GetObject of a day object"
lk=$(python3 -c "import json,sys; print(sorted(k[7:] for k in json.load(sys.stdin)['objects'] if k.startswith('locked/testhost/') and '$D3.0' in k)[0])" <<<"$(state)")
curl -sf -X POST --data-binary OFF "$EP/_admin/hold?bucket=locked&key=$lk" || fail "admin hold"
h0=$(heads locked)
run "$AUDITSHIP" -c "$CONF" verify --dest locked --fast
assert_eq "$RC" 1 "a hold turned off fails --fast ($OUT)"
assert_contains "$OUT" "FAIL  testhost/$U $D3: $lk: Object Lock: legal hold is OFF (legal_hold = true)" "named by day, stream and key"
assert_contains "$OUT" "ok    testhost/$U $D1" "other days still ok"
assert_eq "$(( $(heads locked) - h0 ))" "$NOBJ" "still one HEAD per day object"
pass "--fast with Object Lock and legal hold checked: one HEAD per object, a hold turned off reported by key"
