#!/usr/bin/env bash
# http destination: credentials and TLS (SPEC §2.3, §3.5).  A refused key
# stops the destination at once (one request per run, no retry storm) with
# a message about the key and without the key; a server certificate from
# an unknown CA fails clearly before any request; verify = false warns
# loudly; check --connect validates the key through validate_url or just
# connects.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_env.inc"

SRC="$T/audit"; mkdir -p "$SRC"
start_intake auth
DAY=$(utc_day yesterday)
gen_day "$SRC/$DAY.jsonl" 2500 1
touch -d '1 hour ago' "$SRC/$DAY.jsonl"
VALIDATE="https://127.0.0.1:$INTAKE_PORT/api/v1/validate"

# 403: a wrong key.  Stops after one request; a second run, one more.
http_conf "$T/c.ini"
for i in 1 2; do
	t0=$(date +%s)
	DD_TEST_KEY=wrong-key-0123456789 run "$AUDITSHIP" -c "$T/c.ini" ship
	assert_eq "$RC" 1 "wrong key exit code"
	[ $(( $(date +%s) - t0 )) -le 3 ] || fail "403 took too long: retried?"
	assert_eq "$(requests_count)" "$i" "requests after run $i with a wrong key"
done
assert_contains "$ERR" "403" "403 reported"
assert_contains "$ERR" "API key" "message about the key"
assert_not_contains "$ERR$OUT" "wrong-key-0123456789" "key printed"
pass "403 stops at once, one request per run: $(grep -m1 -o 'dest dd: .*' <<<"$ERR")"

# 401: auth = none to an intake that wants a key.
: >"$INTAKE_REC.requests"
http_conf "$T/c401.ini" "auth = none"
sed -i '/^api_key_env/d' "$T/c401.ini"
run "$AUDITSHIP" -c "$T/c401.ini" ship
assert_eq "$RC" 1 "401 exit code"
assert_contains "$ERR" "401" "401 reported"
assert_eq "$(requests_count)" 1 "401: one request"
pass "401 stops at once"

# Unknown CA: no ca_file, so the system CAs, which never signed ours.
: >"$INTAKE_REC.requests"
http_conf "$T/cca.ini"
sed -i '/^ca_file/d' "$T/cca.ini"
run "$AUDITSHIP" -c "$T/cca.ini" ship
assert_eq "$RC" 1 "unknown CA exit code"
assert_contains "$ERR" "TLS certificate verification failed" "TLS failure named"
assert_eq "$(requests_count)" 0 "no HTTP request without a trusted certificate"
run "$AUDITSHIP" -c "$T/cca.ini" check --connect
assert_eq "$RC" 1 "check --connect with unknown CA"
assert_contains "$ERR" "certificate" "check names the certificate"
pass "unknown CA fails clearly, nothing sent"

# A CA file that does not exist is a TLS error too, not a retry loop.
http_conf "$T/cbad.ini" "ca_file = $T/nonexistent.pem"
run "$AUDITSHIP" -c "$T/cbad.ini" ship
assert_eq "$RC" 1 "missing ca_file"
assert_contains "$ERR" "cannot use the CA file" "bad ca_file named"
pass "missing ca_file fails: $(grep -m1 -o 'dest dd: .*' <<<"$ERR" | cut -c1-120)"

# check --connect through validate_url: good key, wrong key.
http_conf "$T/cv.ini" "validate_url = $VALIDATE"
run "$AUDITSHIP" -c "$T/cv.ini" check --connect
assert_eq "$RC" 0 "validate good key ($ERR)"
DD_TEST_KEY=wrong-key-0123456789 run "$AUDITSHIP" -c "$T/cv.ini" check --connect
assert_eq "$RC" 1 "validate wrong key"
assert_contains "$ERR" "API key is not valid" "validate names the key"
assert_not_contains "$ERR$OUT" "wrong-key-0123456789" "key printed by check"
[ ! -s "$INTAKE_REC" ] || fail "check --connect stored events"
pass "check --connect validates the key, stores nothing"

# verify = false: loud warning, and it ships.
http_conf "$T/cnv.ini" "verify = false"
sed -i '/^ca_file/d' "$T/cnv.ini"
run "$AUDITSHIP" -c "$T/cnv.ini" ship
assert_eq "$RC" 0 "verify = false ships ($ERR)"
assert_contains "$ERR" "NOT checked" "verify = false warns"
http_check >"$T/v" || fail "$(cat "$T/v")"
pass "verify = false warns and ships"

# The key from a file (trailing newline stripped).
printf '%s\n' "$API_KEY" >"$T/key"; chmod 600 "$T/key"
: >"$INTAKE_REC"; rm -rf "$T/state"
http_conf "$T/cf.ini" "api_key_file = $T/key"
sed -i '/^api_key_env/d' "$T/cf.ini"
run "$AUDITSHIP" -c "$T/cf.ini" ship
assert_eq "$RC" 0 "api_key_file ($ERR)"
http_check >"$T/v" || fail "$(cat "$T/v")"
pass "api_key_file"
