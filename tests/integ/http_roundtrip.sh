#!/usr/bin/env bash
# http destination round trip (SPEC §2.3 type = http, §3.2, §3.3): a large
# corpus plus nasty lines through gzip and HTTPS into the Datadog-faithful
# test intake; every line arrives exactly once, byte-faithful, findable by
# file and offset; invalid lines travel as messages; an oversize line is
# reported and counted without holding back the ones behind it; one
# keep-alive connection per run; the API key never printed, even at -v.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_env.inc"

SRC="$T/audit"; mkdir -p "$SRC"
start_intake rt
D1=$(utc_day '2 days ago'); D2=$(utc_day yesterday)
python3 "$SRC_DIR/tests/integ/gen_audit.py" --bytes 6000000 --seed 7 --day "$D1" >"$SRC/$D1.jsonl"
python3 - "$SRC/$D2.jsonl" <<'PY'
import sys
lines = [
    b'{"ts":"2026-11-20T10:00:00Z","ok":1}',
    b'{"a":',                                   # truncated write
    b'{"nul":"a\x00b"}',                        # raw NUL
    b'{"s":"\xff\xfe bad utf-8"}',              # invalid UTF-8
    b'',                                        # empty: skipped
    b'[1,2,3]',                                 # JSON, not an object
    b'{"crlf":true}\r',                         # CRLF line ending
    b'{"big":"' + b'x' * (2 << 20) + b'"}',     # 2 MiB: over max_event_bytes
    b'{"near_1mb":"' + b'y' * 1010000 + b'"}',  # < 1 MiB, > Datadog's 1,000,000
    b'{"after_big":"still shipped","emoji":"\xf0\x9f\x98\x80","esc":"\\u00e9\\n"}',
    b'  {"padded" : [ {} , "x" ] }  ',
    b'\x01\x02 binary junk \x7f',
]
with open(sys.argv[1], "wb") as f:
    f.write(b"\n".join(lines) + b"\n")
    f.write(b'{"final":"fragment without newline"')  # closed day: shipped, flagged
PY
touch -d '1 hour ago' "$SRC"/*.jsonl
http_conf "$T/c.ini"

run "$AUDITSHIP" -v -c "$T/c.ini" ship
assert_eq "$RC" 0 "ship exit code ($(tail -5 <<<"$ERR"))"
http_check --max-event 1000000 >"$T/v" || fail "$(cat "$T/v")"
assert_contains "$(cat "$T/v")" "6 invalid, 2 oversize, 0 duplicates" "nasty lines"
pass "round trip: $(cat "$T/v")"

assert_contains "$ERR" "offset" "oversize line reported"
assert_contains "$ERR" "over max_event_bytes" "oversize reason"
assert_not_contains "$ERR$OUT" "$API_KEY" "API key in output"
assert_contains "$ERR" "DD-API-KEY: ****" "debug shows the key header masked"
pass "oversize reported; key masked in debug output"

# One run, one TCP connection (keep-alive), gzip, no Expect: 100-continue.
assert_eq "$(req_field conn | sort -u | wc -l)" 1 "connections in one run"
assert_eq "$(req_field gzip | sort -u)" "True" "every request gzip"
assert_eq "$(req_field expect | sort -u)" "None" "no Expect header"
assert_eq "$(req_field status | sort -u)" "202" "all accepted"
# Every request within Datadog's limits (the intake would 413 otherwise).
python3 - "$INTAKE_REC.requests" <<'PY' || fail "batch limits"
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    assert r["events"] <= 1000 and r["bytes"] <= 5_000_000, r
PY
pass "keep-alive, gzip, limits"

# status counts the invalid and oversize lines for the day.
run "$AUDITSHIP" -c "$T/c.ini" status --json
assert_eq "$RC" 0 "status"
python3 - "$OUT" "$D2" <<'PY' || fail "status counts: $OUT"
import json, sys
doc = json.loads(sys.argv[1])
day = [d for d in doc["streams"][0]["days"] if d["date"] == sys.argv[2]][0]
dd = day["destinations"][0]
assert dd["invalid_lines"] == 6 and dd["oversize_lines"] == 2, dd
PY
pass "status counts invalid and oversize"

# A second run sends nothing.
n=$(requests_count)
run "$AUDITSHIP" -c "$T/c.ini" ship
assert_eq "$RC" 0 "second ship"
assert_eq "$(requests_count)" "$n" "no-op run sends no request"
pass "second run is a no-op"
