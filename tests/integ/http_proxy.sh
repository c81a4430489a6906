#!/usr/bin/env bash
# http destination through a forward proxy (issue 4: "proxy from the usual
# https_proxy/no_proxy variables"): Debian's tinyproxy, started by the test
# with Basic auth, tunnels HTTPS to the test intake with CONNECT.  Every
# line arrives once, the proxy logged the tunnel, no_proxy bypasses it, and
# the proxy password never reaches any output, even at -v.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_env.inc"

SRC="$T/audit"; mkdir -p "$SRC"
start_intake px
DAY=$(utc_day yesterday)
gen_day "$SRC/$DAY.jsonl" 3000 1
touch -d '1 hour ago' "$SRC/$DAY.jsonl"

PROXY_PORT=$(free_port)
PROXY_PASS="px-secret-9d8c7b6a"
cat >"$T/tinyproxy.conf" <<EOC
Port $PROXY_PORT
Listen 127.0.0.1
Timeout 30
LogFile "$T/tinyproxy.log"
LogLevel Connect
MaxClients 20
Allow 127.0.0.1
BasicAuth auditor $PROXY_PASS
ConnectPort $INTAKE_PORT
EOC
[ "$(id -u)" -eq 0 ] && printf 'User root\nGroup root\n' >>"$T/tinyproxy.conf"
tinyproxy -d -c "$T/tinyproxy.conf" 2>"$T/tinyproxy.stderr" &
on_exit "kill $!"
proxy_up() { [ "$(curl -s -o /dev/null -w '%{http_code}' -x "http://127.0.0.1:$PROXY_PORT" http://127.0.0.1:1/)" != 000 ]; }
wait_for tinyproxy 10 proxy_up
tunnels() { grep -c "CONNECT 127.0.0.1:$INTAKE_PORT" "$T/tinyproxy.log" || true; }

http_conf "$T/c.ini"

# 1. Through the proxy: the tunnel is logged, everything arrives once.
run env https_proxy="http://auditor:$PROXY_PASS@127.0.0.1:$PROXY_PORT" no_proxy= NO_PROXY= \
	"$AUDITSHIP" -v -c "$T/c.ini" ship
assert_eq "$RC" 0 "ship through the proxy ($(tail -3 <<<"$ERR"))"
[ "$(tunnels)" -ge 1 ] || fail "the proxy saw no CONNECT to the intake: $(tail -5 "$T/tinyproxy.log")"
http_check >"$T/v" || fail "through the proxy: $(cat "$T/v")"
assert_not_contains "$OUT$ERR" "$PROXY_PASS" "proxy password in output"
pass "https_proxy: tunnelled through tinyproxy, every line once, password never printed"

# 2. A wrong proxy password: the proxy refuses (407), nothing ships, the
# run fails, and the password is not printed either.
echo "{\"late\":1}" >>"$SRC/$DAY.jsonl"
touch -d '1 hour ago' "$SRC/$DAY.jsonl"
before=$(wc -l <"$INTAKE_REC")
http_conf "$T/c2.ini" "retry_max = 1" "retry_max_time = 3s"
# (a quote inside it: curl's text quotes the URL with the same character)
WRONG="wr'ong-$PROXY_PASS"
run env https_proxy="http://auditor:$WRONG@127.0.0.1:$PROXY_PORT" no_proxy= NO_PROXY= \
	"$AUDITSHIP" -v -c "$T/c2.ini" ship
[ "$RC" -ne 0 ] || fail "a proxy that refuses us must fail the run"
assert_eq "$(wc -l <"$INTAKE_REC")" "$before" "nothing shipped past a refusing proxy"
assert_not_contains "$OUT$ERR" "$PROXY_PASS" "wrong proxy password in output"
assert_not_contains "$OUT$ERR" "ong-px" "any part of the wrong proxy password in output"
pass "proxy refuses: run fails (rc=$RC), nothing shipped, password never printed"

# 3. no_proxy names the intake: straight there, the proxy sees nothing new.
n_before=$(tunnels)
run env https_proxy="http://auditor:$PROXY_PASS@127.0.0.1:$PROXY_PORT" no_proxy=127.0.0.1 \
	"$AUDITSHIP" -c "$T/c.ini" ship
assert_eq "$RC" 0 "ship with no_proxy ($ERR)"
assert_eq "$(tunnels)" "$n_before" "no_proxy: tunnels through the proxy"
http_check >"$T/v" || fail "with no_proxy: $(cat "$T/v")"
pass "no_proxy=127.0.0.1: the proxy is bypassed, the late line delivered once"
