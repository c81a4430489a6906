#!/usr/bin/env bash
# The shipped-bytes hash (SPEC §3.3, §7) is computed once per file per run,
# not once per destination: four destinations (otlp, dir chunk, dir daily,
# otlp with other batch boundaries) ship the same days and `ship -v` says
# how many bytes were hashed for the day hashes: exactly the days' bytes;
# after late lines, the day's earlier bytes once (a closed day that
# changed is checked against its hash, SPEC §3.3) and the late ones once.  Every destination's seal still
# states the day's true sha256 (both archives verify, both OTLP receivers'
# seal records check), and a same-size edit in the middle of a shipped day
# is still reported as a reset by every destination.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
. "$(dirname "$0")/otlp_env.bash"

core_setup
ARCH2="$T/archive2"
otlp_start; U1=$OTLP_URL; R1=$OTLP_REC; P1=$OTLP_PID
otlp_start; U2=$OTLP_URL; R2=$OTLP_REC
# o1 first: a record destination hashes as it commits; the others take
# its states (o2 commits at other offsets: 250-line batches).
python3 - "$CONF" "$U1" "$U2" "$ARCH2" <<'PY'
import sys
conf, u1, u2, arch2 = sys.argv[1:]
text = open(conf).read()
head, arch = text.split("[destination archive]")
open(conf, "w").write(head + "[destination o1]\ntype = otlp\nurl = %s\ncompress = none\n\n" % u1 +
    "[destination archive]" + arch + "\n[destination archive2]\ntype = dir\npath = %s\n"
    "\n[destination o2]\ntype = otlp\nurl = %s\nmax_batch_events = 250\n"
    % (arch2, u2))
PY
D3=$(utc_day '3 days ago'); D2=$(utc_day '2 days ago'); D1=$(utc_day yesterday)
gen_day "$SRC/$D3.jsonl" 1500 3
gen_day "$SRC/$D2.jsonl" 2100 4
gen_day "$SRC/$D1.jsonl" 900 5
for f in "$SRC"/*; do backdate "$f"; done
total=$(cat "$SRC"/*.jsonl | wc -c)

# hashed: the "N bytes hashed" of the last run's debug line.
hashed() { sed -n 's/.*shipped-bytes hash: \([0-9]*\) bytes hashed.*/\1/p' <<<"$ERR"; }

run "$AUDITSHIP" -v -c "$CONF" ship
assert_eq "$RC" 0 "ship to four destinations ($ERR)"
assert_eq "$(hashed)" "$total" "each day's bytes hashed once for four destinations"
run "$AUDITSHIP" -c "$CONF" verify
assert_eq "$RC" 0 "both archives verify ($OUT $ERR)"
mkdir -p "$T/w1" "$T/w2"
for d in $D3 $D2 $D1; do
	for r in "$R1" "$R2"; do
		python3 "$SRC_DIR/tests/integ/seal_check.py" otlp "$r" "$SRC/$d.jsonl" \
			"$STATE/signing.key.pub" "$T/w1" >"$T/c" || fail "otlp seal of $d: $(cat "$T/c")"
	done
done
for d in $D3 $D2 $D1; do
	want=$(sha256sum <"$SRC/$d.jsonl" | cut -c1-64)
	for a in "$ARCH" "$ARCH2"; do
		grep -q "\"sha256\":\"$want\"" "$(find "$a" -name "$d.seal.json")" ||
			fail "seal of $d in $a does not state the day's sha256"
	done
done
pass "four destinations, $total bytes hashed once; every seal states the true sha256"

gen_day "$T/late" 40 9
late=$(wc -c <"$T/late")
old=$(wc -c <"$SRC/$D1.jsonl")
cat "$T/late" >>"$SRC/$D1.jsonl"
backdate "$SRC/$D1.jsonl"
run "$AUDITSHIP" -v -c "$CONF" ship
assert_eq "$RC" 0 "ship of late lines ($ERR)"
assert_eq "$(hashed)" "$((old + late))" "the changed day checked once, the late lines hashed once"
run "$AUDITSHIP" -c "$CONF" verify
assert_eq "$RC" 0 "archives verify after the further seals ($OUT $ERR)"
for r in "$R1" "$R2"; do
	python3 "$SRC_DIR/tests/integ/seal_check.py" otlp "$r" "$SRC/$D1.jsonl" \
		"$STATE/signing.key.pub" "$T/w2" >"$T/c" || fail "otlp further seal: $(cat "$T/c")"
	assert_contains "$(cat "$T/c")" "2 seals, last seq 2" "further seal at each receiver"
done
pass "late lines: $late bytes hashed once, further seals true"

# A same-size edit in the middle of a shipped day: every destination resets.
python3 - "$SRC/$D2.jsonl" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
i = b.index(b'"', len(b) // 2)
b[i + 1] = ord("X") if b[i + 1] != ord("X") else ord("Y")
open(p, "wb").write(b)
PY
backdate "$SRC/$D2.jsonl"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship after the edit ($ERR)"
for d in o1 archive archive2 o2; do
	grep -q "dest $d: .*/$D2.jsonl was rewritten" <<<"$ERR" ||
		fail "destination $d did not report the edit: $ERR"
done
pass "a same-size edit in the middle is reported by all four destinations"
