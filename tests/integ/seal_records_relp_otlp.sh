#!/usr/bin/env bash
# Seal records at the relp and otlp destinations (SPEC §7 "What (syslog
# and http)"): after a closed day's last line, one more record carries the
# statement and its signature.  relp: into a real rsyslogd with imrelp, the
# syslog seal record ([auditship@32473 seal="1" sig="…"], the statement as
# MSG).  otlp: into the strict OTLP receiver, one more logRecord (body = the
# statement, auditship.seal = true, auditship.sig, the identity attributes,
# auditship.offset = the day's size), as OTLP/JSON and as protobuf.
# Asserted each time: one seal record per closed day (an empty one for a
# day without a file), lines/bytes/sha256 match the day file, signatures
# verify with `openssl pkeyutl -verify -rawin` and the .pub key, the chain's
# prev links, a no-op ship sends nothing, late lines get a further seal; a
# day is not sealed while its bytes are not all acknowledged (receiver
# down, or answering 400), and seal = false sends none.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/relp_rsyslogd.bash"
. "$(dirname "$0")/otlp_env.bash"

D3=$(utc_day '3 days ago')
D2=$(utc_day '2 days ago')	# no file: an empty seal
D1=$(utc_day yesterday)
CHECK="$SRC_DIR/tests/integ/seal_check.py"

# seal_ok KIND RECORD DAYFILE WANT: seal_check.py, and its summary says WANT.
seal_ok() {
	local out
	mkdir -p "$T/w"
	out=$(python3 "$CHECK" "$1" "$2" "$3" "$STATE/signing.key.pub" "$T/w" 2>&1) ||
		fail "$1 seal of $(basename "$3"): $out"
	assert_contains "$out" "$4" "$1 seals of $(basename "$3")"
	echo "$out"
}

# --- relp into rsyslogd imrelp ---------------------------------------------
relp_start plain
RELP_SEAL=true relp_setup "address = 127.0.0.1:$RS_PORT" "retry_max = 1" "retry_max_time = 1s"
gen_day "$SRC/$D3.jsonl" 200 3
gen_day "$SRC/$D1.jsonl" 300 5
backdate "$SRC/$D3.jsonl"; backdate "$SRC/$D1.jsonl"

# Receiver down: nothing acknowledged, so nothing sealed.
relp_kill
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 1 "relp ship with the receiver down fails"
relp_restart
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "relp ship with seal = true ($ERR)"
n=$(count_lines "$SRC/$D3.jsonl" "$SRC/$D1.jsonl")
rs_wait_count "$((n + 3))" 20
assert_eq "$(grep -c 'auditship@32473 seal="1"' "$RS_OUT")" 3 \
	"relp: three seal records (two days, one empty day between)"
python3 - "$RS_OUT" "$D3" "$D2" "$D1" <<'PY' || fail "relp: seal order"
import json, sys
out, days = sys.argv[1], sys.argv[2:]
seen = []   # (date, kind) in arrival order
for raw in open(out, "rb").read().split(b"\n"):
    if not raw:
        continue
    if b'seal="1"' in raw:
        st = json.loads(raw[raw.index(b'"] ') + 3:])
        seen.append((st["date"], st["state"]))
    else:
        f = raw.split(b'file="')[1].split(b'"')[0].decode()
        seen.append((f[:10], "line"))
seals = [s for s in seen if s[1] != "line"]
assert seals == [(days[0], "sealed"), (days[1], "empty"), (days[2], "sealed")], seals
# Each day's seal comes after every one of its lines.
for d in (days[0], days[2]):
    last_line = max(i for i, s in enumerate(seen) if s == (d, "line"))
    assert seen.index((d, "sealed")) > last_line, d
PY
seal_ok syslog "$RS_OUT" "$SRC/$D3.jsonl" "1 seals, last seq 1" >/dev/null
c=$(seal_ok syslog "$RS_OUT" "$SRC/$D1.jsonl" "1 seals, last seq 1, ")
assert_contains "$c" "(3 in the chain)" "relp chain: three seals"
pass "relp: after a failed ship, $c"

run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "second relp ship ($ERR)"
gen_day "$T/late" 7 9
cat "$T/late" >>"$SRC/$D1.jsonl"
backdate "$SRC/$D1.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "relp ship of late lines ($ERR)"
n=$(count_lines "$SRC/$D3.jsonl" "$SRC/$D1.jsonl")
rs_wait_count "$((n + 4))" 20
relp_kill	# Direct queue: all it answered is written
assert_eq "$(rs_count)" "$((n + 4))" "relp records: lines + four seals (none from the no-op ship)"
c=$(seal_ok syslog "$RS_OUT" "$SRC/$D1.jsonl" "2 seals, last seq 2")
pass "relp: no seal on a no-op ship; late lines: $c"

# --- otlp (OTLP/JSON) into the strict receiver -----------------------------
otlp_start --script '[{"status": 400}]'
OTLP_SEAL=true otlp_setup 250 "compress = none"
gen_day "$SRC/$D3.jsonl" 120 4
backdate "$SRC/$D3.jsonl"; backdate "$SRC/$D1.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 1 "otlp ship answered 400 fails"
assert_eq "$(grep -c '"auditship.seal":true' "$OTLP_REC")" 0 "otlp: 400: nothing sealed"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "otlp ship with seal = true ($ERR)"
python3 - "$OTLP_REC" "$D3" "$D2" "$D1" <<'PY' || fail "otlp: seal records"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
days = sys.argv[2:]
seals = [r for r in recs if r["attrs"].get("auditship.seal") is True]
got = [(json.loads(r["body"])["date"], json.loads(r["body"])["state"]) for r in seals]
assert got == [(days[0], "sealed"), (days[1], "empty"), (days[2], "sealed")], got
for r in seals:
    assert r["host"] == "testhost" and r["sevtext"] == "INFO" and r["observed"], r
    assert r["attrs"]["auditship.sig"].split(" ")[0] == json.loads(r["body"])["key_id"], r
for d in (days[0], days[2]):
    idx = [i for i, r in enumerate(recs) if r["file"] == d + ".jsonl"]
    assert recs[idx[-1]]["attrs"].get("auditship.seal") is True, d   # last of its day
    assert all(recs[i]["attrs"].get("auditship.seal") is not True for i in idx[:-1]), d
PY
seal_ok otlp "$OTLP_REC" "$SRC/$D3.jsonl" "1 seals, last seq 1" >/dev/null
c=$(seal_ok otlp "$OTLP_REC" "$SRC/$D1.jsonl" "1 seals, last seq 1, ")
assert_contains "$c" "(3 in the chain)" "otlp chain: three seals"
nreq=$(wc -l <"$OTLP_REC.requests")
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "second otlp ship ($ERR)"
assert_eq "$(wc -l <"$OTLP_REC.requests")" "$nreq" "otlp: a no-op ship sends nothing"
gen_day "$T/late2" 5 11
cat "$T/late2" >>"$SRC/$D1.jsonl"
backdate "$SRC/$D1.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "otlp ship of late lines ($ERR)"
c=$(seal_ok otlp "$OTLP_REC" "$SRC/$D1.jsonl" "2 seals, last seq 2")
pass "otlp json: after a 400, $c; no-op ship sends nothing"
otlp_stop

# --- otlp protobuf, gzip, body = json: the statement is still a string ----
otlp_start
OTLP_SEAL=true otlp_setup 80 "encoding = protobuf" "body = json"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "otlp protobuf ship ($ERR)"
c=$(seal_ok otlp "$OTLP_REC" "$SRC/$DAY.jsonl" "1 seals, last seq 1")
assert_eq "$(grep -c '"auditship.seal":true' "$OTLP_REC")" 1 "otlp protobuf: one seal record"
pass "otlp protobuf: $c"
otlp_stop

# --- seal = false: no seal record -----------------------------------------
otlp_start
OTLP_SEAL=false otlp_setup 40
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "otlp ship with seal = false ($ERR)"
assert_eq "$(wc -l <"$OTLP_REC")" "$(count_lines "$SRC/$DAY.jsonl")" "seal = false: only the lines"
assert_eq "$(grep -c 'auditship.seal' "$OTLP_REC")" 0 "seal = false: no seal record"
otlp_stop
pass "seal = false sends no seal record"
