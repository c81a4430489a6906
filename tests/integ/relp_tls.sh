#!/usr/bin/env bash
# relp destination over TLS (librelp's OpenSSL) to rsyslogd imrelp with a
# CA the test makes: a corpus arrives once each; with a CA that did not sign
# the receiver's certificate, or an address the certificate does not name,
# the run exits 1 at once, naming the destination and the certificate, and
# nothing is sent; verify = false connects (with a warning).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/relp_rsyslogd.bash"

CERTS="$T/certs"
syslog_certs "$CERTS"
relp_start tls
DAY=$(utc_day yesterday)
relp_setup "address = localhost:$RS_PORT" "tls = true" "ca_file = $CERTS/ca.pem"
gen_day "$SRC/$DAY.jsonl" 3000 5
backdate "$SRC/$DAY.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "tls ship ($ERR)"
rs_wait_count 3000 10
run syslog_check "$RS_OUT" "$SRC/$DAY.jsonl"
echo "$OUT"
assert_eq "$RC" 0 "tls round trip"
run "$AUDITSHIP" -c "$CONF" check --connect
assert_eq "$RC" 0 "tls check --connect ($ERR)"
pass "TLS: 3000 lines once each, certificate verified"

gen_day "$SRC/$DAY.jsonl" 50 6
backdate "$SRC/$DAY.jsonl"
before=$(rs_count)
# tls_refused WHAT DEST_LINES...: exit 1 at once, named, nothing sent.
tls_refused() {
	local what=$1 t0
	shift
	relp_setup "tls = true" "$@"
	t0=$(date +%s)
	run "$AUDITSHIP" -c "$CONF" ship
	assert_eq "$RC" 1 "$what: exit 1 ($ERR)"
	assert_contains "$ERR" "dest rl" "$what: the destination is named"
	assert_contains "$ERR" "TLS: the receiver's certificate was not accepted" "$what: the certificate is named"
	[ $(( $(date +%s) - t0 )) -lt 10 ] || fail "$what: retried instead of stopping"
	assert_eq "$(rs_count)" "$before" "$what: nothing sent"
	pass "TLS with $what: exit 1, named, nothing sent"
}
tls_refused "a wrong CA" "address = localhost:$RS_PORT" "ca_file = $CERTS/other-ca.pem"
# A receiver whose certificate (signed by our CA) names elsewhere.example,
# to a client with its own certificate (librelp then checks the name).
relp_kill
RS_SERVER_CERT=wrong relp_restart
tls_refused "a certificate for another name" "address = localhost:$RS_PORT" \
	"ca_file = $CERTS/ca.pem" "cert_file = $CERTS/client.pem" "key_file = $CERTS/client.key"
# librelp up to 1.13 checks the name only with a client certificate: say so.
relp_setup "address = localhost:$RS_PORT" "tls = true" "ca_file = $CERTS/ca.pem"
run "$AUDITSHIP" -c "$CONF" check
assert_contains "$ERR" "but not the name in it unless a client certificate is set" \
	"the librelp name-check limit is reported"
pass "without a client certificate, librelp's missing name check is reported"

relp_setup "address = localhost:$RS_PORT" "tls = true" "verify = false" \
	"ca_file = $CERTS/ca.pem" "cert_file = $CERTS/client.pem" "key_file = $CERTS/client.key"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "verify = false ($ERR)"
assert_contains "$ERR" "is NOT checked" "verify = false warns"
rs_wait_count "$((before + 50))" 10
pass "verify = false: the chain checked, the name not (with a warning)"
relp_setup "address = localhost:$RS_PORT" "tls = true"
run "$AUDITSHIP" -c "$CONF" check
assert_eq "$RC" 2 "tls without ca_file"
assert_contains "$ERR" "ca_file: required with tls = true" "ca_file named"
pass "tls = true needs ca_file"
