#!/usr/bin/env bash
# auditship report --dest over the real Ceph RGW (tests/fixtures/ceph-rgw.sh,
# an Object-Lock bucket): the generated trail of report_local.sh shipped
# with `auditship ship` to an s3 destination, then read back from the bucket
# alone (ListObjectsV2 paged, GetObject streamed and gunzipped one day at a
# time): report --format json gives exactly the generator's figures, every
# day sealed and its seal verified.
. "$(dirname "$0")/lib.sh"

RGW="$T/rgw"
on_exit "'$FIXTURES_DIR/ceph-rgw.sh' stop '$RGW'"
set -a
eval "$("$FIXTURES_DIR/ceph-rgw.sh" start "$RGW")"
set +a
/usr/bin/python3 "$SRC_DIR/tests/integ/s3_tool.py" mkbucket trail --lock

SRC="$T/audit"; mkdir -p "$SRC"
CONF="$T/s3.ini"
{
	printf '[auditship]\nstate_dir = %s\nhostname = testhost\nsettle = 1s\n\n' "$T/state"
	printf '[source]\ndir = %s\n\n' "$SRC"
	printf '[destination vault]\ntype = s3\nbucket = trail\nregion = %s\nendpoint = %s\n' "$S3_REGION" "$S3_ENDPOINT"
	printf 'access_key_id = %s\nsecret_access_key = %s\n' "$S3_ACCESS_KEY" "$S3_SECRET_KEY"
	printf 'object_lock_mode = COMPLIANCE\nobject_lock_retain_days = 1\n'
} >"$CONF"
chmod 600 "$CONF"

D=(); for i in 6 5 4 3 2; do D+=("$(utc_day "$i days ago")"); done
python3 "$SRC_DIR/tests/integ/report_gen.py" trail "$SRC" --days "$(IFS=,; echo "${D[*]}")" \
	--skip "${D[2]}" --expect "$T/expect.json" --fragment
for f in "$SRC"/*; do touch -d '1 hour ago' "$f"; done

run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship to s3 ($ERR)"
run "$AUDITSHIP" -c "$CONF" report --from "${D[0]}" --to "${D[4]}" --format json --dest vault
assert_eq "$RC" 0 "report --dest vault ($ERR)"
printf '%s\n' "$OUT" >"$T/s3.json"
sealed=$(python3 -c 'import json,sys; print(json.dumps({d: True for d in sys.argv[1:]}))' "${D[@]}")
python3 "$SRC_DIR/tests/integ/report_check.py" "$T/expect.json" "$T/s3.json" --sealed "$sealed" ||
	fail "s3 archive figures differ"
python3 - "$T/s3.json" <<'PY' || fail "seals over the bucket"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["dest"] == "vault"
assert all(r["verified"] is True for r in d["days"]), d["days"]
assert d["seal_problems"]["count"] == 0 and d["errors"]["count"] == 0
PY
pass "s3 bucket (RGW): the generator's figures, every day sealed and verified"
