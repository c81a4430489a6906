#!/usr/bin/env bash
# syslog over TLS (RFC 5425) into a real rsyslogd (ossl driver), with a CA
# and certificates made here by the openssl CLI: delivery with the server
# verified by IP SAN and by DNS name, check --connect, a wrong CA and a
# wrong server name fail at once with OpenSSL's reason and ship nothing,
# verify = false ships with a loud warning; mutual TLS: a client with a
# certificate ships, one without is rejected and ships nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/syslog_rsyslogd.bash"

CERTS="$T/certs"
syslog_certs "$CERTS"
rs_start tls
syslog_setup "transport = tls" "address = 127.0.0.1:$RS_PORT" "ca_file = $CERTS/ca.pem"

D1=$(utc_day yesterday); D2=$(utc_day '2 days ago'); D3=$(utc_day '3 days ago')
gen_day "$SRC/$D1.jsonl" 2000 11
backdate "$SRC/$D1.jsonl"

run "$AUDITSHIP" -c "$CONF" check --connect
assert_eq "$RC" 0 "check --connect over TLS ($ERR)"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship over TLS ($ERR)"
rs_wait_count 2000 20
syslog_check "$RS_OUT" "$SRC/$D1.jsonl" >"$T/c" || fail "tls delivery: $(cat "$T/c")"
pass "tls, server verified by IP SAN: $(cat "$T/c")"

# DNS name verification; a second day
sed -i "s/^address = .*/address = localhost:$RS_PORT/" "$CONF"
gen_day "$SRC/$D2.jsonl" 300 12
backdate "$SRC/$D2.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship over TLS to localhost ($ERR)"
rs_wait_count 2300 20
syslog_check "$RS_OUT" "$SRC/$D1.jsonl" "$SRC/$D2.jsonl" >"$T/c" || fail "tls by name: $(cat "$T/c")"
pass "tls, server verified by DNS name"

# wrong CA: clear error, exit 1, nothing shipped
gen_day "$SRC/$D3.jsonl" 100 13
backdate "$SRC/$D3.jsonl"
sed -i "s|^ca_file = .*|ca_file = $CERTS/other-ca.pem|" "$CONF"
run "$AUDITSHIP" -c "$CONF" check --connect
assert_eq "$RC" 1 "check --connect with the wrong CA"
assert_contains "$ERR" "TLS handshake: certificate verify failed: " "wrong CA reason"
start=$(date +%s)
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 1 "ship with the wrong CA"
assert_contains "$ERR" "certificate verify failed" "ship says why"
[ $(( $(date +%s) - start )) -lt 10 ] || fail "a certificate failure must not be retried for minutes"
sleep 0.3
assert_eq "$(rs_count)" 2300 "nothing shipped with the wrong CA"
pass "wrong CA: $(grep -m1 'verify failed' <<<"$ERR")"

# right CA, wrong server name (certificate for elsewhere.example)
sed -i "s|^ca_file = .*|ca_file = $CERTS/ca.pem|" "$CONF"
rs_stop
RS_SERVER_CERT=wrong
rs_restart
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 1 "ship to a server with another name"
assert_contains "$ERR" "certificate verify failed: hostname mismatch" "hostname mismatch reason"
sleep 0.3
assert_eq "$(rs_count)" 2300 "nothing shipped on a name mismatch"
pass "hostname mismatch: $(grep -m1 'verify failed' <<<"$ERR")"

# verify = false: ships anyway, with a loud warning
printf 'verify = false\n' >>"$CONF"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship with verify = false ($ERR)"
assert_contains "$ERR" "NOT checked" "verify = false warns"
rs_wait_count 2400 20
syslog_check "$RS_OUT" "$SRC/$D1.jsonl" "$SRC/$D2.jsonl" "$SRC/$D3.jsonl" >"$T/c" || fail "verify=false: $(cat "$T/c")"
pass "verify = false ships, warned"
rs_stop

# mutual TLS: rsyslogd demands a client certificate signed by the CA
RS_DIR=$T/rs-mutual RS_PORT=$(free_port) RS_SERVER_CERT=server
rs_start tls-mutual
STATE2=$T/state2
sed -e "s|^state_dir = .*|state_dir = $STATE2|" -e "s/^address = .*/address = 127.0.0.1:$RS_PORT/" \
	-e '/^verify = false$/d' "$CONF" >"$T/mutual.ini"
chmod 600 "$T/mutual.ini"
run "$AUDITSHIP" -c "$T/mutual.ini" ship
assert_eq "$RC" 1 "a client without a certificate is rejected"
assert_contains "$ERR" "server refused the connection" "rejection is explained"
sleep 0.3
assert_eq "$(rs_count)" 0 "nothing shipped without a client certificate"
pass "mutual TLS, no client cert: $(grep -m1 refused <<<"$ERR")"

printf 'cert_file = %s\nkey_file = %s\n' "$CERTS/client.pem" "$CERTS/client.key" >>"$T/mutual.ini"
run "$AUDITSHIP" -c "$T/mutual.ini" check --connect
assert_eq "$RC" 0 "check --connect with a client certificate ($ERR)"
run "$AUDITSHIP" -c "$T/mutual.ini" ship
assert_eq "$RC" 0 "ship with a client certificate ($ERR)"
rs_wait_count 2400 20
syslog_check "$RS_OUT" "$SRC/$D1.jsonl" "$SRC/$D2.jsonl" "$SRC/$D3.jsonl" >"$T/c" || fail "mutual: $(cat "$T/c")"
pass "mutual TLS with a client certificate: $(cat "$T/c")"

# a CA file that does not exist is a configuration error (exit 2) naming it
sed "s|^ca_file = .*|ca_file = $T/nope.pem|" "$T/mutual.ini" >"$T/bad.ini"; chmod 600 "$T/bad.ini"
run "$AUDITSHIP" -c "$T/bad.ini" ship
assert_eq "$RC" 2 "missing ca_file"
assert_contains "$ERR" "ca_file $T/nope.pem: No such file or directory" "missing ca_file is named"
pass "missing ca_file: $ERR"
