#!/usr/bin/env bash
# http destination over HTTP/2 (issue 4: "HTTP/2 where the server offers
# it"): Debian's nginx terminates TLS, offers h2 by ALPN and proxies to the
# test intake; the round trip must be complete and libcurl must have used
# HTTP/2 on one connection.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_env.inc"

SRC="$T/audit"; mkdir -p "$SRC"
start_intake h2 --plain
start_nginx_h2 "$INTAKE_PORT"
DAY=$(utc_day yesterday)
gen_day "$SRC/$DAY.jsonl" 3500 5
touch -d '1 hour ago' "$SRC/$DAY.jsonl"
http_conf "$T/c.ini" "url = $NGINX_URL"

run "$AUDITSHIP" -v -c "$T/c.ini" ship
assert_eq "$RC" 0 "ship over h2 ($(tail -3 <<<"$ERR"))"
grep -Eq "using HTTP/2|ALPN: server accepted h2" <<<"$ERR" || fail "HTTP/2 not negotiated: $(grep -i alpn <<<"$ERR")"
assert_eq "$(grep -c 'Connected to 127.0.0.1' <<<"$ERR")" 1 "one connection for every batch"
assert_not_contains "$ERR" "$API_KEY" "key printed"
http_check >"$T/v" || fail "$(cat "$T/v")"
pass "HTTP/2 round trip through nginx: $(cat "$T/v")"

# An HTTP/2 server that answers before reading the body (nginx `return`,
# or an intake refusing on the headers alone) must not leave us waiting for
# flow-control window until the timeout.
start_nginx_h2 ""
rm -rf "$T/state"
http_conf "$T/c2.ini" "url = $NGINX_URL" "timeout = 20s" "compress = none"
t0=$(date +%s)
run "$AUDITSHIP" -c "$T/c2.ini" ship
assert_eq "$RC" 0 "early answers ($(tail -3 <<<"$ERR"))"
[ $(( $(date +%s) - t0 )) -lt 10 ] || fail "early HTTP/2 answers took $(( $(date +%s) - t0 ))s"
assert_not_contains "$ERR" "timed out" "no timeout"
pass "early HTTP/2 answers taken at once"
