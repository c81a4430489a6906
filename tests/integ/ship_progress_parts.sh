#!/usr/bin/env bash
# The progress line during one object uploaded in parts (issue 11 item 8):
# an `upload = daily` destination against a fake whose gate holds the
# answer of every part until the test releases it -- s3 multipart
# (tests/integ/fake_s3.py parts_gate) and azblob blocks
# (tests/integ/fake_azblob.py /_admin/gate).  Parts are released one by
# one (tests/integ/progress_parts.py); after each, the line's figure rises
# before the object is complete, never beyond what the answered parts
# decompress to, while no offset is committed; then the object completes
# and the last figure is the whole day.  No timing bets: each step waits
# on a condition (a part waiting at the server, a new figure on the line).
. "$(dirname "$0")/lib.sh"

# A day that gzips poorly (random base64): ~24 MB of lines is 4 s3 parts
# of 5 MiB, 5 azblob blocks of 4 MiB, at compress_level 1.
SRC="$T/audit"; mkdir -p "$SRC"
DAY=$(utc_day '2 days ago')
python3 - "$SRC/$DAY.jsonl" <<'PY'
import base64, json, random, sys
rnd = random.Random(11)
with open(sys.argv[1], "w") as f:
    for i in range(24000):
        f.write(json.dumps({"n": i, "blob": base64.b64encode(rnd.randbytes(740)).decode()}) + "\n")
PY
touch -d '1 hour ago' "$SRC/$DAY.jsonl"
# conf DIR LINES...: DIR/c.ini with one destination "obj", state in DIR/state
conf() {
	local dir=$1; shift
	mkdir -p "$dir"
	{
		printf '[auditship]\nstate_dir = %s/state\nhostname = testhost\nsettle = 1s\n\n' "$dir"
		printf '[source]\ndir = %s\n\n[destination obj]\n' "$SRC"
		printf '%s\n' "$@" 'upload = daily' 'compress_level = 1' 'seal = false'
	} >"$dir/c.ini"
	chmod 600 "$dir/c.ini"
}

# --- s3 multipart ----------------------------------------------------------
PORT=$(free_port)
AK=FAKEACCESSKEY000001
SK=fakeSecretKey0000000000000000000000000001
python3 "$SRC_DIR/tests/integ/fake_s3.py" --port "$PORT" --access-key "$AK" --secret-key "$SK" \
	--bucket daily >"$T/fake_s3.log" 2>&1 &
on_exit "kill $!"
EP="http://127.0.0.1:$PORT"
wait_for "fake S3" 10 curl -sf "$EP/_admin/state"
curl -sf -X POST -d '{"parts_gate": 0}' "$EP/_admin/config" >/dev/null
conf "$T/s3" 'type = s3' 'bucket = daily' 'region = us-east-1' "endpoint = $EP" \
	"access_key_id = $AK" "secret_access_key = $SK" 'multipart_threshold = 5M'
python3 "$SRC_DIR/tests/integ/progress_parts.py" s3 "$EP" "$T/s3" "$SRC/$DAY.jsonl" "$AUDITSHIP" \
	>"$T/s3.out" 2>&1 || fail "s3 multipart progress: $(cat "$T/s3.out")"
cat "$T/s3.out"
pass "s3 multipart: the progress line rises with every answered part, offsets only at the end"

# --- azblob blocks ---------------------------------------------------------
ACCOUNT=progacct
KEY=$(python3 -c 'import base64; print(base64.b64encode(bytes(range(64))).decode())')
PORT=$(free_port)
python3 "$SRC_DIR/tests/integ/fake_azblob.py" --port "$PORT" --account "$ACCOUNT" --key "$KEY" \
	--container daily 2>"$T/fake_az.log" &
on_exit "kill $!"
EP="http://127.0.0.1:$PORT"
wait_for "fake azblob" 10 curl -sf "$EP/_admin/state"
curl -sf -X POST "$EP/_admin/gate?n=0" >/dev/null
conf "$T/az" 'type = azblob' "account = $ACCOUNT" 'container = daily' "endpoint = $EP" \
	"account_key = $KEY" 'block_threshold = 4M'
python3 "$SRC_DIR/tests/integ/progress_parts.py" azblob "$EP" "$T/az" "$SRC/$DAY.jsonl" "$AUDITSHIP" \
	>"$T/az.out" 2>&1 || fail "azblob block progress: $(cat "$T/az.out")"
cat "$T/az.out"
pass "azblob blocks: the progress line rises with every answered block, offsets only at the end"
