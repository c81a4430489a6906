#!/usr/bin/env bash
# auditship report (SPEC §8) over a generated trail with known contents:
#   1. the local trail: report --format json gives exactly the figures the
#      generator wrote (sessions, calls per tool, failures, p50/p95,
#      denials, one call of each risky rule, an unmatched PreToolUse, a
#      session without end, invalid and truncated lines, a redacted
#      secret, foreign hook shapes, a missing day)
#   2. the same days shipped to a dir archive (auditship ship): --dest
#      gives the same figures, sealed per the seal objects present and
#      verified by verify's code; a tampered object unverifies its day
#   3. text: aligned, within 100 columns, names every rule; --help lists
#      the rule table; -o FILE (0600); --user filters; the default range;
#      a day prune deleted is "pruned", not a gap
#   4. errors: a corrupt gzip object in the archive, a corrupt .gz local
#      day, a dangling day file: counted in the report and on stderr,
#      exit 1, the other days still right
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
core_setup
GEN() { python3 "$SRC_DIR/tests/integ/report_gen.py" "$@"; }
CHECK() { python3 "$SRC_DIR/tests/integ/report_check.py" "$@"; }

D=(); for i in 6 5 4 3 2; do D+=("$(utc_day "$i days ago")"); done
FROM=${D[0]}; TO=${D[4]}; GAP=${D[2]}
GEN trail "$SRC" --days "$(IFS=,; echo "${D[*]}")" --skip "$GAP" --expect "$T/expect.json" --fragment
for f in "$SRC"/*; do backdate "$f"; done
user=$(stat -c %U "$SRC")

# --- 1. local trail ---------------------------------------------------------
run "$AUDITSHIP" -c "$CONF" report --from "$FROM" --to "$TO" --format json
assert_eq "$RC" 0 "report json ($ERR)"
printf '%s\n' "$OUT" >"$T/local.json"
CHECK "$T/expect.json" "$T/local.json" || fail "local figures differ"
python3 - "$T/local.json" "$FROM" "$TO" "$user" <<'PY' || fail "json shape"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["from"] == sys.argv[2] and d["to"] == sys.argv[3], (d["from"], d["to"])
assert all(r["user"] == sys.argv[4] and r["host"] == "testhost" for r in d["days"])
assert all(r["sealed"] is None for r in d["days"])
risky = {r["rule"]: r for r in d["risky"]}
assert risky["rm-recursive"]["first"][0]["command"] == "rm -rf build/"
assert risky["credential-file"]["first"][0]["command"] == "/home/dev/shop/.env"
assert d["unmatched_calls"]["first"][0]["tool"] == "WebFetch"
assert d["open_sessions"]["first"][0]["session"].endswith("-2")
PY
pass "local trail: every figure as generated"

# --- 2. the same days from a dir archive -----------------------------------
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "ship ($ERR)"
run "$AUDITSHIP" -c "$CONF" report --from "$FROM" --to "$TO" --format json --dest archive
assert_eq "$RC" 0 "report --dest ($ERR)"
printf '%s\n' "$OUT" >"$T/dir.json"
sealed=$(python3 - "$ARCH" "${D[@]}" <<'PY'
import glob, json, sys
arch, days = sys.argv[1], sys.argv[2:]
print(json.dumps({d: bool(glob.glob("%s/*/*/*/*/*/%s.seal*.json" % (arch, d))) for d in days}))
PY
)
CHECK "$T/expect.json" "$T/dir.json" --sealed "$sealed" || fail "dir archive figures differ"
assert_contains "$(cat "$T/dir.json")" '"dest":"archive"' "dest named"
python3 - "$T/dir.json" <<'PY' || fail "seals verified by verify's code"
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["days"]:
    assert r["verified"] is r["sealed"], r      # every seal present verifies
assert d["seal_problems"]["count"] == 0, d["seal_problems"]
PY
pass "dir archive: the same figures, seals checked ($sealed)"

# a tampered object: that day's seal no longer verifies, the others do
obj=$(ls "$ARCH"/testhost/*/*/*/*/"${D[0]}".*.jsonl.gz | head -1)
cp "$obj" "$T/obj.bak"
zcat "$T/obj.bak" | sed 's/rm -rf build/rm -rf BUILD/' | gzip >"$obj"
run "$AUDITSHIP" -c "$CONF" report --from "$FROM" --to "$TO" --format json --dest archive
assert_eq "$RC" 0 "report over a tampered archive still reports"
python3 - "$OUT" "${D[0]}" <<'PY' || fail "tampered day"
import json, sys
d = json.loads(sys.argv[1])
rows = {r["date"]: r for r in d["days"]}
assert rows[sys.argv[2]]["sealed"] is True and rows[sys.argv[2]]["verified"] is False, rows[sys.argv[2]]
assert all(r["verified"] for k, r in rows.items() if k != sys.argv[2] and r["sealed"]), rows
assert d["seal_problems"]["count"] >= 1 and d["seal_problems"]["first"][0]["date"] == sys.argv[2]
PY
run "$AUDITSHIP" -c "$CONF" report --from "$FROM" --to "$TO" --dest archive
assert_contains "$OUT" "seal problems" "text names seal problems"
cp "$T/obj.bak" "$obj"
pass "a tampered object: sealed, not verified, the problem named"

# --- 3. text, --help, -o, --user, default range ----------------------------
run "$AUDITSHIP" -c "$CONF" report --from "$FROM" --to "$TO"
assert_eq "$RC" 0 "text"
wide=$(awk 'length($0) > 100' <<<"$OUT" | wc -l)
assert_eq "$wide" 0 "text lines within 100 columns"
for rule in rm-recursive force-push curl-pipe-sh chmod-777 sudo credential-file hooks-settings audit-trail; do
	assert_contains "$OUT" "$rule" "text names rule $rule"
done
assert_contains "$OUT" "no file" "text shows the gap"
run "$AUDITSHIP" report --help
assert_eq "$RC" 0 "report --help"
for rule in rm-recursive force-push curl-pipe-sh chmod-777 sudo credential-file hooks-settings audit-trail; do
	assert_contains "$OUT" "$rule" "--help lists rule $rule"
done
run "$AUDITSHIP" -c "$CONF" report --from "$FROM" --to "$TO" --format html -o "$T/r.html"
assert_eq "$RC" 0 "-o"
assert_eq "$(stat -c %a "$T/r.html")" 600 "report file mode"
assert_file_contains "$T/r.html" "<svg" "html written"
run "$AUDITSHIP" -c "$CONF" report --from "$FROM" --to "$TO" --format json --user nobody-here
assert_eq "$RC" 0 "--user"
assert_contains "$OUT" '"days":[]' "--user filters streams"
run "$AUDITSHIP" -c "$CONF" report --format json --user "$user"
assert_eq "$RC" 0 "default range"
python3 - "$OUT" "$(utc_day '7 days ago')" "$(utc_day)" "$(utc_day yesterday)" <<'PY' || fail "default range"
import json, sys
d = json.loads(sys.argv[1])
assert d["from"] == sys.argv[2] and d["to"] == sys.argv[3], (d["from"], d["to"])
days = {r["date"]: r for r in d["days"]}
assert days[sys.argv[4]]["gap"] and days[sys.argv[3]]["gap"], days.keys()
assert sys.argv[2] not in days          # before the stream's first day: no gap
PY
run "$AUDITSHIP" -c "$CONF" report --format pdf
assert_eq "$RC" 2 "bad format is a usage error"
run "$AUDITSHIP" -c "$CONF" report --from 2026-13-01
assert_eq "$RC" 2 "bad date is a usage error"
run "$AUDITSHIP" -c "$CONF" report --dest nosuch
assert_eq "$RC" 2 "unknown destination"
pass "text, --help, -o, --user, default range, usage errors"

# a day prune deleted (recorded in STATE_DIR/pruned) is not a gap
printf '%s\t%s.jsonl\t%s\t100\t0\n' "$SRC" "$GAP" "$GAP" >>"$STATE/pruned"
run "$AUDITSHIP" -c "$CONF" report --from "$FROM" --to "$TO" --format json
assert_eq "$RC" 0 "report with a pruned day"
python3 - "$OUT" "$GAP" <<'PY' || fail "pruned day"
import json, sys
rows = {r["date"]: r for r in json.loads(sys.argv[1])["days"]}
assert rows[sys.argv[2]]["pruned"] is True and rows[sys.argv[2]]["gap"] is False, rows[sys.argv[2]]
assert all(r["pruned"] is False for d, r in rows.items() if d != sys.argv[2])
PY
rm -f "$STATE/pruned"
pass "a pruned day is shown as pruned, not as a gap"

# --- 4. errors are counted, reported, never fatal ---------------------------
obj=$(ls "$ARCH"/testhost/*/*/*/*/"${D[1]}".*.jsonl.gz | head -1)
dir=$(dirname "$(dirname "$obj")")/${GAP:8:2}
mkdir -p "$dir"
head -c $(( $(stat -c %s "$obj") / 2 )) "$obj" >"$dir/$GAP.000000000000-000000009999.jsonl.gz"   # truncated gzip
run "$AUDITSHIP" -c "$CONF" report --from "$FROM" --to "$TO" --format json --dest archive
assert_eq "$RC" 1 "a corrupt object: exit 1"
assert_contains "$ERR" "$GAP.000000000000-000000009999.jsonl.gz" "stderr names the object"
python3 - "$OUT" "$GAP" "$T/expect.json" <<'PY' || fail "corrupt object report"
import json, sys
d = json.loads(sys.argv[1]); exp = json.load(open(sys.argv[3]))
assert d["errors"]["count"] == 1, d["errors"]
assert sys.argv[2] in d["errors"]["first"][0]["message"]
rows = {r["date"]: r for r in d["days"]}
assert rows[sys.argv[2]]["errors"] == 1 and not rows[sys.argv[2]]["gap"]
for e in exp["days"]:
    if e["date"] != sys.argv[2]:
        assert rows[e["date"]]["events"] == e["events"], e
PY
run "$AUDITSHIP" -c "$CONF" report --from "$FROM" --to "$TO" --dest archive
assert_eq "$RC" 1 "text over a corrupt object: exit 1"
assert_eq "$(awk 'length($0) > 100' <<<"$OUT" | wc -l)" 0 "text with an error day within 100 columns"
assert_contains "$OUT" "could not be read" "text flags the day"
rm -f "$dir/$GAP.000000000000-000000009999.jsonl.gz"

printf 'not gzip at all\n' >"$SRC/$GAP.jsonl.gz"
ln -s "$T/missing" "$SRC/$(utc_day '8 days ago').jsonl"
run "$AUDITSHIP" -c "$CONF" report --from "$(utc_day '8 days ago')" --to "$TO" --format json
assert_eq "$RC" 1 "corrupt local day: exit 1"
assert_contains "$ERR" "$GAP.jsonl.gz" "stderr names the local file"
python3 - "$OUT" "$T/expect.json" <<'PY' || fail "corrupt local day report"
import json, sys
d = json.loads(sys.argv[1]); exp = json.load(open(sys.argv[2]))
assert d["errors"]["count"] >= 1, d["errors"]
rows = {r["date"]: r for r in d["days"]}
for e in exp["days"]:
    if not e["gap"]:
        assert rows[e["date"]]["events"] == e["events"], e
PY
pass "corrupt object, corrupt .gz day, dangling file: counted, named, not fatal"
