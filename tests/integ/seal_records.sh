#!/usr/bin/env bash
# Seals at record destinations (SPEC §7 "What (syslog and http)"): after a
# closed day's last line one more record carries the statement and its
# signature, into a real rsyslogd (RFC 5424 SD seal="1" sig="…") and into
# the Datadog-faithful intake ("auditship":{…,"seal":{…},"sig":"…"}).  The
# statement's lines/bytes/sha256 match the day file and the signature
# verifies with `openssl pkeyutl -verify -rawin` and the .pub key; a second
# ship sends no second seal; late lines get a further seal (seq 2, prev =
# the first seal object's hash).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/syslog_rsyslogd.bash"
. "$(dirname "$0")/http_env.inc"

D1=$(utc_day yesterday)

# --- syslog, tcp, into rsyslogd -------------------------------------------
rs_start tcp
SYSLOG_SEAL=true syslog_setup "transport = tcp" "address = 127.0.0.1:$RS_PORT"
gen_day "$SRC/$D1.jsonl" 300 5
backdate "$SRC/$D1.jsonl"
n1=$(count_lines "$SRC/$D1.jsonl")
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship with seal = true ($ERR)"
assert_contains "$ERR" "created the signing key" "key created on first need"
rs_wait_count "$((n1 + 1))" 20
mkdir -p "$T/w1"
python3 "$SRC_DIR/tests/integ/seal_check.py" syslog "$RS_OUT" "$SRC/$D1.jsonl" \
	"$STATE/signing.key.pub" "$T/w1" >"$T/c1" || fail "syslog seal: $(cat "$T/c1")"
assert_contains "$(cat "$T/c1")" "1 seals, last seq 1" "one seal record"
pass "syslog: $(cat "$T/c1")"

run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "second ship ($ERR)"
gen_day "$T/late" 7 9
cat "$T/late" >>"$SRC/$D1.jsonl"
backdate "$SRC/$D1.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship of late lines ($ERR)"
n2=$(count_lines "$SRC/$D1.jsonl")
rs_wait_count "$((n2 + 2))" 20
rs_stop	# flushes its output: nothing more can arrive
assert_eq "$(rs_count)" "$((n2 + 2))" "records: lines + two seals (none from the second ship)"
mkdir -p "$T/w2"
python3 "$SRC_DIR/tests/integ/seal_check.py" syslog "$RS_OUT" "$SRC/$D1.jsonl" \
	"$STATE/signing.key.pub" "$T/w2" >"$T/c2" || fail "syslog further seal: $(cat "$T/c2")"
assert_contains "$(cat "$T/c2")" "2 seals, last seq 2" "further seal"
pass "syslog: no seal on a no-op ship; late lines: $(cat "$T/c2")"

# --- http (datadog) into the intake ---------------------------------------
rm -rf "$SRC" "$STATE"; mkdir -p "$SRC"
start_intake sr
http_conf "$T/h.ini" "seal = true"
gen_day "$SRC/$D1.jsonl" 300 6
backdate "$SRC/$D1.jsonl"
run "$AUDITSHIP" -c "$T/h.ini" ship
assert_eq "$RC" 0 "http ship with seal = true ($ERR)"
mkdir -p "$T/w3"
python3 "$SRC_DIR/tests/integ/seal_check.py" http "$INTAKE_REC" "$SRC/$D1.jsonl" \
	"$STATE/signing.key.pub" "$T/w3" >"$T/c3" || fail "http seal: $(cat "$T/c3")"
assert_contains "$(cat "$T/c3")" "1 seals, last seq 1" "one seal record"
nreq=$(requests_count)
run "$AUDITSHIP" -c "$T/h.ini" ship
assert_eq "$RC" 0 "second http ship ($ERR)"
assert_eq "$(requests_count)" "$nreq" "second ship sends nothing"
python3 - "$INTAKE_REC" "$(count_lines "$SRC/$D1.jsonl")" <<'PY' || fail "http records"
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
seals = [e for e in evs if "seal" in e["auditship"]]
assert len(seals) == 1 and len(evs) == int(sys.argv[2]) + 1, (len(seals), len(evs))
a = seals[0]["auditship"]
assert a["host"] == "testhost" and a["file"] == a["seal"]["file"], a
assert seals[0]["ddsource"] and a["offset"] == a["seal"]["bytes"], seals[0]
PY
pass "http: $(cat "$T/c3"); a second ship sends nothing"
