#!/usr/bin/env bash
# syslog over udp and local sockets into a real rsyslogd: every line that
# fits arrives exactly once; lines over max_message on udp are reported,
# counted in status and not sent, and the lines behind them keep flowing;
# RFC 3164; unix datagram (imuxsock) and unix stream (imptcp) sockets.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/syslog_rsyslogd.bash"

D1=$(utc_day yesterday); D2=$(utc_day '2 days ago'); D3=$(utc_day '3 days ago')

# --- udp, default max_message 2048: the ~3% big lines are over it
rs_start udp
syslog_setup "transport = udp" "address = 127.0.0.1:$RS_PORT"
gen_day "$SRC/$D1.jsonl" 400 21
printf 'junk \x01 line\n' >>"$SRC/$D1.jsonl"
gen_day "$SRC/$D1.jsonl" 100 22
backdate "$SRC/$D1.jsonl"
big=$(python3 -c 'import sys; print(sum(1 for l in open(sys.argv[1], "rb") if len(l) > 1800))' "$SRC/$D1.jsonl")
[ "$big" -gt 3 ] || fail "corpus should hold big lines ($big)"

run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "udp ship ($ERR)"
assert_contains "$ERR" "longer than max_message = 2048 bytes" "oversize is reported"
assert_contains "$ERR" "NOT sent" "oversize says it was not sent"
sleep 1
syslog_check "$RS_OUT" "$SRC/$D1.jsonl" --max-len 2048 >"$T/c" || fail "udp delivery: $(cat "$T/c")"
sent=$(rs_count)
pass "udp: $(cat "$T/c"); $(grep -m1 'NOT sent' <<<"$ERR" | cut -c1-120)..."

run "$AUDITSHIP" -c "$CONF" status --json
python3 - "$OUT" "$((501 - sent))" <<'PY' || fail "status oversize count: $OUT"
import json, sys
doc, want = json.loads(sys.argv[1]), int(sys.argv[2])
got = doc["destinations"][0]["oversize_lines"]
assert got == want, (got, want)
assert doc["streams"][0]["days"][0]["destinations"][0]["oversize_lines"] == want
PY
pass "status counts $((501 - sent)) oversize lines"

# --- udp with max_message = 64K: every line goes, RFC 3164 this time
: >"$RS_OUT"
rm -rf "$STATE"
printf 'max_message = 64K\nformat = rfc3164\n' >>"$CONF"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "udp ship with max_message = 64K ($ERR)"
assert_not_contains "$ERR" "NOT sent" "nothing over 64K"
rs_wait_count 501 10
syslog_check "$RS_OUT" "$SRC/$D1.jsonl" --rfc3164 >"$T/c" || fail "udp rfc3164: $(cat "$T/c")"
pass "udp, max_message 64K, RFC 3164: $(cat "$T/c")"
rs_stop

# --- unix datagram socket (imuxsock)
RS_DIR=$T/rs-unix
rs_start unix
syslog_setup "transport = unix" "address = $RS_SOCK"
rm -rf "$STATE"
gen_day "$SRC/$D2.jsonl" 1000 23
backdate "$SRC/$D2.jsonl"
run "$AUDITSHIP" -c "$CONF" check --connect
assert_eq "$RC" 0 "check --connect on a unix socket ($ERR)"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "unix ship ($ERR)"
rs_wait_count "$(count_lines "$SRC"/*.jsonl)" 10
syslog_check "$RS_OUT" "$SRC"/*.jsonl >"$T/c" || fail "unix delivery: $(cat "$T/c")"
pass "unix datagram: $(cat "$T/c")"
rs_stop
run "$AUDITSHIP" -c "$CONF" check --connect
assert_eq "$RC" 1 "check --connect on a socket nobody reads"
pass "unix, receiver gone: $(head -1 <<<"$ERR")"

# --- unix stream socket (imptcp path=): octet counting on a stream
RS_DIR=$T/rs-unix-stream
rs_start unix-stream
rm -rf "$STATE"
sed -i "s|^address = .*|address = $RS_SOCK|" "$CONF"
gen_day "$SRC/$D3.jsonl" 1000 24
backdate "$SRC/$D3.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "unix stream ship ($ERR)"
rs_wait_count "$(count_lines "$SRC"/*.jsonl)" 10
syslog_check "$RS_OUT" "$SRC"/*.jsonl >"$T/c" || fail "unix stream delivery: $(cat "$T/c")"
pass "unix stream: $(cat "$T/c")"
