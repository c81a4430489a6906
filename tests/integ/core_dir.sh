#!/usr/bin/env bash
# Core round trip through the dir destination: every line exactly once,
# no-op second run, appends, --day backfill, .jsonl.gz days, several users,
# --dry-run, status --json and the metrics file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
CORE_EXTRA_GLOBAL="metrics_file = $T/auditship.prom"
core_setup

D1=$(utc_day '3 days ago'); D2=$(utc_day '2 days ago'); D3=$(utc_day yesterday); TODAY=$(utc_day)
gen_day "$SRC/$D1.jsonl" 500 1
gen_day "$SRC/$D2.jsonl" 700 2
gen_day "$SRC/$D3.jsonl" 300 3
gzip "$SRC/$D3.jsonl"                       # an archived day, read through zlib
gen_day "$SRC/$TODAY.jsonl" 200 4
printf '{"partial":"no newline yet' >>"$SRC/$TODAY.jsonl"   # open day: fragment waits
for f in "$SRC"/*; do backdate "$f"; done
touch "$SRC/$TODAY.jsonl"

run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "first ship exit code ($ERR)"
verify "$ARCH" "$SRC" --expect-complete >"$T/v1" || fail "archive mismatch: $(cat "$T/v1")"
# the fragment of the open day was not shipped
n_today=$(zcat "$ARCH"/testhost/*/*/*/*/"$TODAY".*.jsonl.gz | wc -l)
assert_eq "$n_today" 200 "open day ships complete lines only"
zcat "$ARCH"/testhost/*/*/*/*/"$TODAY".*.jsonl.gz | grep -c partial >/dev/null && fail "fragment shipped while day open"
# key layout: host/user/yyyy/mm/dd/date.start-end.jsonl.gz
user=$(stat -c %U "$SRC")
y=${D1:0:4}; m=${D1:5:2}; d=${D1:8:2}
ls "$ARCH/testhost/$user/$y/$m/$d/$D1.000000000000-"*.jsonl.gz >/dev/null || fail "key layout"
pass "round trip, open-day fragment held back, key layout"

# second run is a no-op: no new objects, state unchanged
before=$(count_objects "$ARCH"); sum1=$(md5sum <"$STATE/state")
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "no-op ship"
assert_eq "$(count_objects "$ARCH")" "$before" "no-op ship adds no object"
assert_eq "$(md5sum <"$STATE/state")" "$sum1" "no-op ship leaves the state alone"
pass "second run is a no-op"

# append: the new lines go up as one new chunk starting where the last ended
gen_day "$SRC/$TODAY.jsonl" 50 5    # completes the fragment line and adds more
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "append ship"
verify "$ARCH" "$SRC" --expect-complete >"$T/v2" || fail "after append: $(cat "$T/v2")"
assert_contains "$(cat "$T/v2")" "ok $TODAY: 2 objects" "append is a second object"
pass "append shipped as the next chunk"

# state file: mode 0600, human readable
assert_eq "$(stat -c %a "$STATE/state")" 600 "state mode"
grep -q "^file	dest=archive" "$STATE/state" || fail "state not readable text"

# status --json reports every day, with gaps
run "$AUDITSHIP" -c "$CONF" status --json
assert_eq "$RC" 0 "status"
python3 - "$OUT" "$D1" "$TODAY" <<'PY' || fail "status --json content"
import json, sys
doc = json.loads(sys.argv[1])
s = doc["streams"][0]
days = {d["date"]: d for d in s["days"]}
assert sys.argv[2] in days and sys.argv[3] in days, days.keys()
for d in days.values():
    dest = d["destinations"][0]
    assert dest["name"] == "archive"
    assert dest["last_success"] is not None
assert s["gaps"] == [], s["gaps"]
assert doc["destinations"][0]["last_error"] is None
PY
run "$AUDITSHIP" -c "$CONF" status
assert_contains "$OUT" "destination archive (dir)" "status text"
pass "status"

# metrics file, Prometheus text format
grep -q '^auditship_shipped_lines_total{dest="archive",type="dir"} 1750$' "$T/auditship.prom" \
	|| fail "metrics: $(cat "$T/auditship.prom")"
grep -q '^auditship_last_success_timestamp_seconds{dest="archive",type="dir"} [1-9]' "$T/auditship.prom" || fail "metrics last success"
pass "metrics file"

# a gap is reported: a day missing between first and last
D0=$(utc_day '5 days ago')
gen_day "$SRC/$D0.jsonl" 10 6; backdate "$SRC/$D0.jsonl"
run "$AUDITSHIP" -c "$CONF" status --json
gap=$(python3 -c 'import json,sys; print(",".join(json.loads(sys.argv[1])["streams"][0]["gaps"]))' "$OUT")
assert_eq "$gap" "$(utc_day '4 days ago')" "gap listed"
pass "gaps"

# --dry-run prints the plan and ships nothing
run "$AUDITSHIP" -c "$CONF" ship --dry-run
assert_eq "$RC" 0 "dry run"
assert_contains "$OUT" "$D0.jsonl bytes 0-" "dry run names the file"
[ -z "$(find "$ARCH" -name "$D0.*")" ] || fail "dry run shipped"
pass "dry run"

# --day backfills only that day
run "$AUDITSHIP" -c "$CONF" ship --day "$D0"
assert_eq "$RC" 0 "--day"
[ -n "$(find "$ARCH" -name "$D0.*")" ] || fail "--day did not ship its day"
run "$AUDITSHIP" -c "$CONF" ship --day 2026-02-31
assert_eq "$RC" 2 "--day with an impossible date"
pass "--day"

# --from-start reships a day from 0 (daily key layout untouched)
run "$AUDITSHIP" -c "$CONF" ship --day "$D1" --from-start --dest archive
assert_eq "$RC" 0 "--from-start"
[ "$(find "$ARCH" -name "$D1.*" | wc -l)" -ge 1 ] || fail "from-start"
run "$AUDITSHIP" -c "$CONF" ship --dest nosuch
assert_eq "$RC" 2 "--dest with an unknown name"
assert_contains "$ERR" "nosuch" "--dest error names it"
pass "--from-start, --dest"

# several users' directories through a glob: one stream each, {user} = owner
mkdir -p "$T/homes/alice/audit" "$T/homes/bob/audit"
gen_day "$T/homes/alice/audit/$D1.jsonl" 40 7
gen_day "$T/homes/bob/audit/$D1.jsonl" 60 8
backdate "$T/homes/alice/audit/$D1.jsonl"; backdate "$T/homes/bob/audit/$D1.jsonl"
if [ "$(id -u)" -eq 0 ]; then chown nobody "$T/homes/bob/audit/$D1.jsonl"; fi  # files decide, not the dir
bob=$(stat -c %U "$T/homes/bob/audit/$D1.jsonl")
ARCH="$T/archive2"
sed -i -e "s|^dir = .*|dir = $T/homes/*/audit|" -e "s|^path = .*|path = $ARCH|" "$CONF"
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "glob ship"
a=$(zcat "$ARCH"/testhost/*/*/*/*/"$D1".*.jsonl.gz | wc -l)
assert_eq "$a" 100 "both users' lines, once"
[ -n "$(ls "$ARCH/testhost/$bob/${D1:0:4}/${D1:5:2}/${D1:8:2}/")" ] || fail "bob's stream under his name"
verify "$ARCH/testhost/$bob" "$T/homes/bob/audit" --expect-complete >/dev/null || fail "bob's archive"
pass "glob of users' dirs ($a lines of $D1 in total)"
