#!/usr/bin/env bash
# auditship report --dest over a real Azure Blob container (Microsoft's
# emulator Azurite, tests/fixtures/azurite.sh): the generated trail of
# report_local.sh shipped with `auditship ship` to an azblob destination,
# then read back from the container alone (listed, downloaded, gunzipped
# as a stream, one day at a time): report --format json gives exactly
# the generator's figures, every day sealed and its seal verified.
. "$(dirname "$0")/lib.sh"

AZ="$T/azurite"
on_exit "'$FIXTURES_DIR/azurite.sh' stop '$AZ'"
eval "$("$FIXTURES_DIR/azurite.sh" start "$AZ")"
export AZ_ENDPOINT AZ_ACCOUNT AZ_KEY NODE_PATH="$AZ_NODE_PATH"
node "$SRC_DIR/tests/integ/az_tool.js" mkcontainer trail

SRC="$T/audit"; mkdir -p "$SRC"
CONF="$T/az.ini"
{
	printf '[auditship]\nstate_dir = %s\nhostname = testhost\nsettle = 1s\n\n' "$T/state"
	printf '[source]\ndir = %s\n\n' "$SRC"
	printf '[destination az]\ntype = azblob\naccount = %s\ncontainer = trail\n' "$AZ_ACCOUNT"
	printf 'endpoint = %s\naccount_key = %s\n' "$AZ_ENDPOINT" "$AZ_KEY"
} >"$CONF"
chmod 600 "$CONF"

D=(); for i in 6 5 4 3 2; do D+=("$(utc_day "$i days ago")"); done
python3 "$SRC_DIR/tests/integ/report_gen.py" trail "$SRC" --days "$(IFS=,; echo "${D[*]}")" \
	--skip "${D[2]}" --expect "$T/expect.json" --fragment
for f in "$SRC"/*; do touch -d '1 hour ago' "$f"; done

run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship to azblob ($ERR)"
run "$AUDITSHIP" -c "$CONF" report --from "${D[0]}" --to "${D[4]}" --format json --dest az
assert_eq "$RC" 0 "report --dest az ($ERR)"
printf '%s\n' "$OUT" >"$T/az.json"
sealed=$(python3 -c 'import json,sys; print(json.dumps({d: True for d in sys.argv[1:]}))' "${D[@]}")
python3 "$SRC_DIR/tests/integ/report_check.py" "$T/expect.json" "$T/az.json" --sealed "$sealed" ||
	fail "azblob archive figures differ"
python3 - "$T/az.json" <<'PY' || fail "seals over the container"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["dest"] == "az"
assert all(r["verified"] is True for r in d["days"]), d["days"]
assert d["seal_problems"]["count"] == 0 and d["errors"]["count"] == 0
PY
pass "azblob container: the generator's figures, every day sealed and verified"
