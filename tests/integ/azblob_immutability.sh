#!/usr/bin/env bash
# azblob with version-level immutability, against tests/integ/fake_azblob.py
# (Azurite implements no immutability policies).  The server checks every
# Shared Key signature itself, answers Azure's XML errors, and records what
# each upload carried.
#   1. immutability_mode = locked, legal_hold: every Put Blob and Put Block
#      List carries x-ms-immutability-policy-until-date (now + days, RFC
#      1123), -mode Locked and x-ms-legal-hold: true, and If-None-Match: *;
#      Get Blob Properties reads them back
#   2. a locked blob refuses overwrite and delete: 409
#      BlobImmutableDueToPolicy, and it stays as it was
#   3. a blob found without its policy (an upload that did not carry it)
#      gets it set after: ?comp=immutabilityPolicies and ?comp=legalhold
#   4. 503 ServerBusy is retried (SPEC §3.5) and the upload completes
#   5. a block upload whose Put Block List failed (500) resumes: Get Block
#      List shows the blocks already there, none is sent again
#   6. every request we sent is signed exactly as the Azure SDK for
#      JavaScript signs it (its own Shared Key policy re-signs the log)
. "$(dirname "$0")/lib.sh"

ACCOUNT=auditacct
KEY=$(python3 -c 'import base64; print(base64.b64encode(bytes(range(64))).decode())')
PORT=$(free_port)
python3 "$SRC_DIR/tests/integ/fake_azblob.py" --port "$PORT" --account "$ACCOUNT" --key "$KEY" \
	--container vault --container plain --container resume --container retry --log "$T/requests.jsonl" 2>"$T/fake.log" &
on_exit "kill $!"
wait_for "fake azblob server" 10 curl -sf "http://127.0.0.1:$PORT/_admin/state"
state() { curl -sf "http://127.0.0.1:$PORT/_admin/state"; }

SRC="$T/audit"; mkdir -p "$SRC"
D1=$(utc_day '3 days ago'); D2=$(utc_day '2 days ago')
gen_day "$SRC/$D1.jsonl" 600 31
python3 "$SRC_DIR/tests/integ/gen_audit.py" --bytes $((16 << 20)) --seed 32 --day "$D2" >"$SRC/$D2.jsonl"
touch -d '1 hour ago' "$SRC"/*.jsonl
az_conf() {
	local name=$1 cont=$2; shift 2
	CONF="$T/$name.ini"
	{
		printf '[auditship]\nstate_dir = %s\nhostname = vhost\nsettle = 1s\n\n' "$T/state-$name"
		printf '[source]\ndir = %s\n\n' "$SRC"
		printf '[destination %s]\ntype = azblob\naccount = %s\ncontainer = %s\n' "$name" "$ACCOUNT" "$cont"
		printf 'endpoint = http://127.0.0.1:%s\naccount_key = %s\n' "$PORT" "$KEY"
		printf '%s\n' "$@"
	} >"$CONF"
	chmod 600 "$CONF"
}

# --- 1. every upload carries the policy and the hold -----------------------
az_conf v vault 'immutability_mode = locked' 'immutability_days = 3' 'legal_hold = true' \
	'upload = daily' 'block_threshold = 1M'
t0=$(date +%s)
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "locked ship ($ERR)"
state >"$T/s1"
python3 - "$T/s1" "$t0" <<'PY' || fail "policy on the uploads: $(cat "$T/s1")"
import json, sys, time
s = json.load(open(sys.argv[1])); t0 = int(sys.argv[2])
ups = s["uploads"]
objs = [u for u in ups if not u["name"].endswith(".seal.json")]
seals = [u for u in ups if u["name"].endswith(".seal.json")]
assert len(objs) == 2, ups
assert {u["kind"] for u in objs} == {"put", "blocks"}, ups     # small day: Put Blob; big: blocks
assert len(seals) == 3, ups     # SPEC §7: the two days, and yesterday's "empty" seal
for u in ups:                                                  # objects and seals alike
    assert u["mode"] == "Locked", u
    assert t0 + 3 * 86400 - 5 <= u["until"] <= time.time() + 3 * 86400 + 5, u
    assert u["hold"] == "true", u
    assert u["if_none_match"] == "*", u
for name, b in s["blobs"]["vault"].items():
    assert b["mode"] == "Locked" and b["hold"] is True, (name, b)
assert s["counters"]["auth_failures"] == 0, s["counters"]
assert s["counters"]["blocks"] >= 2, s["counters"]
PY
pass "immutability_mode = locked + legal_hold: every Put Blob and Put Block List, seals included, carries until-date (+3 days), mode Locked, legal hold, If-None-Match"

# --- 2. a locked blob refuses overwrite and delete -------------------------
NAME=$(python3 -c 'import json,sys; print(sorted(json.load(open(sys.argv[1]))["blobs"]["vault"])[0])' "$T/s1")
python3 - "$PORT" "$ACCOUNT" "$KEY" "$NAME" <<'PY' || fail "locked blob"
# A client of our own, signing with the same documented algorithm.
import base64, email.utils, hashlib, hmac, http.client, sys, time, urllib.parse
sys.path.insert(0, __import__("os").environ["SRC_DIR"] + "/tests/integ")
import fake_azblob as f
port, acct, key, name = int(sys.argv[1]), sys.argv[2], base64.b64decode(sys.argv[3]), sys.argv[4]
def req(method, body=b"", extra=None):
    path = "/vault/" + urllib.parse.quote(name)
    h = {"x-ms-date": email.utils.formatdate(time.time(), usegmt=True), "x-ms-version": "2021-08-06"}
    h.update(extra or {})
    if method == "PUT":
        h["Content-Length"] = str(len(body))
    class HV(dict):
        def get(self, k, d=""):
            for kk, v in self.items():
                if kk.lower() == k.lower():
                    return v
            return d
    sts = f.string_to_sign(method, HV(h), acct, path, "")
    h["Authorization"] = "SharedKey %s:%s" % (acct, base64.b64encode(hmac.new(key, sts.encode(), hashlib.sha256).digest()).decode())
    c = http.client.HTTPConnection("127.0.0.1", port)
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    return r.status, r.getheader("x-ms-error-code"), r.read()
st, code, _ = req("PUT", b"tampered", {"x-ms-blob-type": "BlockBlob"})
assert (st, code) == (409, "BlobImmutableDueToPolicy"), (st, code)
st, code, body = req("DELETE")
assert (st, code) == (409, "BlobImmutableDueToPolicy"), (st, code)
assert b"<Code>BlobImmutableDueToPolicy</Code>" in body, body
st, code, body = req("GET")
assert st == 200 and body[:2] == b"\x1f\x8b", (st, body[:10])
PY
pass "a locked blob refuses overwrite and delete with 409 BlobImmutableDueToPolicy and keeps its bytes"

# --- 3. a blob found without its policy gets it set after ------------------
# seal = false: a lost state means new seals, which never replace the old.
az_conf p plain 'upload = daily' 'seal = false'
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "plain ship ($ERR)"
rm -rf "$T/state-p"
az_conf p plain 'upload = daily' 'seal = false' 'immutability_mode = unlocked' 'immutability_days = 1' 'legal_hold = true'
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "rerun with a policy ($ERR)"
assert_contains "$ERR" "setting the immutability policy and legal hold" "says it set them"
state >"$T/s3"
python3 - "$T/s3" <<'PY' || fail "policy set after: $(cat "$T/s3")"
import json, sys
s = json.load(open(sys.argv[1]))
bl = s["blobs"]["plain"]
assert len(bl) == 2, bl
for name, b in bl.items():
    assert b["mode"] == "Unlocked" and b["hold"] is True and b["until"], (name, b)
assert sum(1 for u in s["uploads"] if u["container"] == "plain") == 2, "no second upload"
PY
pass "blobs found without a policy: Set Blob Immutability Policy and Set Blob Legal Hold applied, read back, no re-upload"

# --- 4. 503 ServerBusy is retried ------------------------------------------
gen_day "$SRC/$(utc_day).jsonl" 200 33
curl -sf -X POST "http://127.0.0.1:$PORT/_admin/fail?n=2&status=503" >/dev/null
az_conf t retry 'immutability_mode = locked' 'immutability_days = 3' 'legal_hold = true'
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship through two 503s ($ERR)"
state >"$T/s4"
python3 - "$T/s4" <<'PY' || fail "retry: $(cat "$T/s4")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["counters"]["injected"] == 2, s["counters"]
assert len([n for n in s["blobs"]["retry"] if n.endswith(".jsonl.gz")]) == 3, s["blobs"]["retry"]
PY
pass "503 ServerBusy twice: retried with backoff, the upload completed"

# --- 5. a failed Put Block List resumes from Get Block List --------------
before=$(state | python3 -c 'import json,sys; print(json.load(sys.stdin)["counters"]["blocks"])')
curl -sf -X POST "http://127.0.0.1:$PORT/_admin/fail?n=1&status=500&op=blocklist" >/dev/null
az_conf r resume 'upload = daily' 'block_threshold = 1M'
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship through a failed Put Block List ($ERR)"
assert_contains "$ERR" "blocks already there" "resumed from Get Block List"
state >"$T/s5"
python3 - "$T/s5" "$before" <<'PY' || fail "resume: $(cat "$T/s5")"
import json, sys
s = json.load(open(sys.argv[1])); before = int(sys.argv[2])
big = [u for u in s["uploads"] if u["container"] == "resume" and u["kind"] == "blocks"]
assert len(big) == 1, big
nblocks = -(-big[0]["bytes"] // (1 << 20))
assert s["counters"]["blocks"] - before == nblocks, (s["counters"]["blocks"], before, nblocks)
PY
pass "Put Block List failed once: the retry asked Get Block List and sent no block twice"

# --- 6. our signatures are the SDK's ---------------------------------------
NODE_PATH=$("$FIXTURES_DIR/azurite.sh" node-path)
export NODE_PATH
n=$(wc -l <"$T/requests.jsonl")
run node "$SRC_DIR/tests/integ/az_tool.js" resign "$ACCOUNT" "$KEY" "$T/requests.jsonl"
assert_eq "$RC" 0 "SDK re-signing ($OUT $ERR)"
assert_contains "$OUT" "ok " "re-signed"
[ "${OUT#ok }" -ge 20 ] || fail "only ${OUT#ok } requests re-signed of $n"
pass "all ${OUT#ok } Shared Key requests we sent match the Azure SDK's own signatures"
