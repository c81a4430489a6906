#!/usr/bin/env bash
# The s3 destination against a real S3: Ceph RGW from the shared fixture,
# booted once for all cases below.  Objects are read back with boto3
# (tests/integ/s3_tool.py), an implementation independent of ours.
#   1. chunk mode into an Object Lock bucket (COMPLIANCE + legal hold):
#      every byte exactly once, retention and hold read back per object
#   2. a lost commit: the rerun finds the objects (HEAD first) and writes
#      no second version (RGW ignores If-None-Match, so this is our check)
#  2b. a shrunk file goes up again under .reset1; the locked original stays
#   3. daily mode as multipart (threshold 5M): parts, md5-of-md5s ETag,
#      retention applied after Complete (RGW drops it on Create)
#   4. virtual-hosted addressing (BUCKET.localhost) and checksum = sha256
#   5. check --connect reports Object Lock; a lock mode on a plain bucket
#      is refused
#   6. a wrong secret: exit 1, a clear credentials message, no secret shown
. "$(dirname "$0")/lib.sh"

RGW="$T/rgw"
on_exit "'$FIXTURES_DIR/ceph-rgw.sh' stop '$RGW'"
set -a
eval "$("$FIXTURES_DIR/ceph-rgw.sh" start "$RGW")"
set +a
S3T() { /usr/bin/python3 "$SRC_DIR/tests/integ/s3_tool.py" "$@"; }
verify() { python3 "$SRC_DIR/tests/integ/verify_archive.py" "$@"; }
S3T mkbucket locked --lock
S3T mkbucket plain
S3T mkbucket daily --lock
S3T mkbucket vhost

SRC="$T/audit"; mkdir -p "$SRC"
# s3_conf NAME BUCKET EXTRA...: a config with one s3 destination.
s3_conf() {
	local name=$1 bucket=$2; shift 2
	CONF="$T/$name.ini"
	{
		printf '[auditship]\nstate_dir = %s\nhostname = testhost\nsettle = 1s\n\n' "$T/state-$name"
		printf '[source]\ndir = %s\n\n' "$SRC"
		printf '[destination %s]\ntype = s3\nbucket = %s\nregion = %s\n' "$name" "$bucket" "$S3_REGION"
		# These cases count objects and requests: seals (SPEC §7) have
		# their own test, tests/integ/seal_rgw.sh.
		printf 'seal = false\n'
		printf 'endpoint = %s\naccess_key_id = %s\nsecret_access_key = %s\n' "$S3_ENDPOINT" "$S3_ACCESS_KEY" "$S3_SECRET_KEY"
		printf '%s\n' "$@"
	} >"$CONF"
	chmod 600 "$CONF"
}

D1=$(utc_day '3 days ago'); D2=$(utc_day '2 days ago'); TODAY=$(utc_day)
gen_day "$SRC/$D1.jsonl" 800 11
gen_day "$SRC/$D2.jsonl" 1200 12
gen_day "$SRC/$TODAY.jsonl" 300 13
touch -d '1 hour ago' "$SRC/$D1.jsonl" "$SRC/$D2.jsonl"

# --- 1. chunk mode, Object Lock COMPLIANCE + legal hold --------------------
s3_conf locked locked 'object_lock_mode = COMPLIANCE' 'object_lock_retain_days = 2' 'legal_hold = true'
t0=$(date +%s)
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "chunk ship ($ERR)"
gen_day "$SRC/$TODAY.jsonl" 100 14
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "append ship ($ERR)"
S3T fetch locked "$T/got1"
verify "$T/got1" "$SRC" --expect-complete >"$T/v1" || fail "round trip: $(cat "$T/v1")"
assert_contains "$(cat "$T/v1")" "ok $TODAY: 2 objects" "append is a second object"
S3T inspect locked >"$T/i1"
python3 - "$T/i1" "$t0" <<'PY' || fail "lock read-back: $(cat "$T/i1")"
import json, sys, time
t0 = int(sys.argv[2])
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 4, len(recs)
for r in recs:
    assert r["mode"] == "COMPLIANCE", r
    assert t0 + 2 * 86400 - 5 <= r["until"] <= int(time.time()) + 2 * 86400 + 5, r
    assert r["hold"] == "ON", r
    assert r["versions"] == 1, r
    assert len(r["meta"]["auditship-sha256"]) == 64, r
    assert "-" not in r["etag"], r      # single PUT: the MD5 we sent
PY
pass "chunk mode round trip into Object Lock bucket; COMPLIANCE retention and legal hold on every object"

# --- 2. a lost commit: rerun must not write a second version ---------------
cp -p "$T/state-locked/state" "$T/state.before"
gen_day "$SRC/$TODAY.jsonl" 50 15
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "third ship ($ERR)"
cp -p "$T/state.before" "$T/state-locked/state"     # as if the commit never happened
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "rerun after lost commit ($ERR)"
S3T inspect locked >"$T/i2"
python3 - "$T/i2" <<'PY' || fail "second versions after rerun: $(cat "$T/i2")"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 5, len(recs)
assert all(r["versions"] == 1 for r in recs), recs
PY
rm -rf "$T/got1"; S3T fetch locked "$T/got1"
verify "$T/got1" "$SRC" --expect-complete >/dev/null || fail "after rerun"
pass "rerun of an uncommitted range finds the object (HEAD) and writes no second version"

# --- 2b. a shrunk file: shipped again under .reset1, the evidence kept -------
head -n 10 "$SRC/$D1.jsonl" >"$T/short"; cat "$T/short" >"$SRC/$D1.jsonl"; touch -d '1 hour ago' "$SRC/$D1.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship after shrink ($ERR)"
assert_contains "$ERR" "shrank" "shrink reported"
S3T inspect locked >"$T/i2b"
python3 - "$T/i2b" "$D1" "$T/short" <<'PY' || fail "reset objects: $(cat "$T/i2b")"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
d1 = [r for r in recs if "/%s." % sys.argv[2] in r["key"]]
assert len(d1) == 2, d1
new = [r for r in d1 if r["key"].endswith(".reset1.jsonl.gz")]
assert len(new) == 1, d1
assert all(r["versions"] == 1 and r["mode"] == "COMPLIANCE" for r in d1), d1
PY
rm -rf "$T/got2b"; S3T fetch locked "$T/got2b"
zcat "$T/got2b"/testhost/*/*/*/*/"$D1".*.reset1.jsonl.gz | cmp -s - "$T/short" || fail "reset object content"
assert_eq "$(zcat "$(ls "$T/got2b"/testhost/*/*/*/*/"$D1".0*-*.jsonl.gz | grep -v reset)" | wc -l)" 800 "original object kept whole"
pass "a shrunk file goes up again under a .reset1 key; the locked original stays"

# --- 3. daily mode, multipart ----------------------------------------------
DSRC="$T/audit-daily"; mkdir -p "$DSRC"
DD=$(utc_day '4 days ago')
python3 "$SRC_DIR/tests/integ/gen_audit.py" --bytes 48000000 --seed 42 --day "$DD" >"$DSRC/$DD.jsonl"
touch -d '1 hour ago' "$DSRC/$DD.jsonl"
s3_conf daily daily 'upload = daily' 'multipart_threshold = 5M' 'object_lock_mode = GOVERNANCE' 'object_lock_retain_days = 1'
sed -i "s|^dir = .*|dir = $DSRC|" "$CONF"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "daily multipart ship ($ERR)"
S3T fetch daily "$T/got3"
verify "$T/got3" "$DSRC" --expect-complete >"$T/v3" || fail "daily round trip: $(cat "$T/v3")"
S3T inspect daily >"$T/i3"
python3 - "$T/i3" <<'PY' || fail "multipart object: $(cat "$T/i3")"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 1, recs
r = recs[0]
assert r["key"].endswith(".jsonl.gz") and "-0000" not in r["key"], r
n = int(r["etag"].split("-")[1])
assert n >= 2 and r["size"] > 5 * 2**20, r
assert r["mode"] == "GOVERNANCE" and r["versions"] == 1, r
PY
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "daily no-op"
assert_eq "$(S3T inspect daily | wc -l)" 1 "daily no-op adds nothing"
pass "daily mode as multipart: parts, ETag md5-of-md5s, retention set after Complete"

# --- 4. virtual-hosted addressing, checksum = sha256 -----------------------
port=${S3_ENDPOINT##*:}
s3_conf vhost vhost 'path_style = false' 'checksum = sha256'
sed -i "s|^endpoint = .*|endpoint = http://localhost:$port|" "$CONF"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "virtual-hosted ship ($ERR)"
S3T fetch vhost "$T/got4"
verify "$T/got4" "$SRC" --expect-complete >/dev/null || fail "virtual-hosted round trip"
pass "virtual-hosted addressing (vhost.localhost) with x-amz-checksum-sha256"

# --- 5. check --connect ------------------------------------------------------
s3_conf locked locked 'object_lock_mode = COMPLIANCE' 'object_lock_retain_days = 2'
run "$AUDITSHIP" -c "$CONF" check --connect
assert_eq "$RC" 0 "check --connect ($ERR)"
assert_contains "$ERR$OUT" "Object Lock enabled" "probe reports Object Lock"
s3_conf plain plain 'object_lock_mode = COMPLIANCE' 'object_lock_retain_days = 2'
run "$AUDITSHIP" -c "$CONF" check --connect
assert_eq "$RC" 1 "check --connect on a bucket without Object Lock"
assert_contains "$ERR" "has no Object Lock" "probe refuses lock mode on a plain bucket"
assert_eq "$(S3T inspect plain | wc -l)" 0 "probe writes nothing"
pass "check --connect: HEAD bucket + Object Lock status, nothing written"

# --- 6. wrong secret ---------------------------------------------------------
WRONG=wrongSecretKey0000000000000000000000000x
s3_conf wrong plain
sed -i "s|^secret_access_key = .*|secret_access_key = $WRONG|" "$CONF"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 1 "wrong secret exit code"
assert_contains "$ERR" "SignatureDoesNotMatch" "wrong secret names the S3 code"
assert_contains "$ERR" "secret access key is wrong" "wrong secret hint"
assert_not_contains "$ERR$OUT" "$WRONG" "secret never printed"
assert_not_contains "$ERR$OUT" "$S3_SECRET_KEY" "real secret never printed"
assert_eq "$(S3T inspect plain | wc -l)" 0 "nothing stored with a wrong secret"
echo "$ERR" >&2
pass "wrong secret: exit 1 with a clear credentials error, secret not shown"
