#!/usr/bin/env bash
# Issue 17 #4: one unreadable daily file (mode 0000 in one user's directory
# under a glob source) is reported, counted in status, and the next day
# and the other streams still ship, on this run and the next; a corrupt
# .gz behaves the same way.  The offset of the unreadable day is kept (no
# reset), and it ships once it is readable again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"
core_setup
D1=$(utc_day '3 days ago'); D2=$(utc_day '2 days ago')
for u in alice bob; do
	mkdir -p "$T/homes/$u/audit"
	for d in "$D1" "$D2"; do
		gen_day "$T/homes/$u/audit/$d.jsonl" 10 "${#u}${d: -1}"
		backdate "$T/homes/$u/audit/$d.jsonl"
	done
done
sed -i "s|^dir = .*|dir = $T/homes/*/audit|" "$CONF"
# alice's first day unreadable; bob's first day a corrupt .gz
bad="$T/homes/alice/audit/$D1.jsonl"
chmod 000 "$bad"
on_exit "chmod 644 '$bad' 2>/dev/null"
# root reads a 0000 file: as root, run auditship as nobody over a tree
# nobody owns (what an unprivileged shipper meets)
AS=()
if [ "$(id -u)" -eq 0 ]; then
	chown -R 65534:65534 "$T"
	chown -R 1:1 "$T/homes/bob"	# another owner: streams keep their {user}
	chmod 711 "$T"
	AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
mv "$T/homes/bob/audit/$D1.jsonl" "$T/bob1"
head -c 300 "$T/bob1" | gzip -c | head -c 40 >"$T/homes/bob/audit/$D1.jsonl.gz"
backdate "$T/homes/bob/audit/$D1.jsonl.gz"

for run in 1 2; do
	run timeout 60 "${AS[@]}" "$AUDITSHIP" -c "$CONF" ship
	assert_eq "$RC" 1 "run $run: exit 1 (a file could not be read)"
	assert_contains "$ERR" "$bad" "run $run: the unreadable file is named"
	assert_contains "$ERR" "$D1.jsonl.gz" "run $run: the corrupt .gz is named"
	for f in "alice/audit/$D2" "bob/audit/$D2"; do
		n=$(zcat "$ARCH"/testhost/*/*/*/*/"$D2".*.jsonl.gz 2>/dev/null | wc -l)
		[ "$n" -eq 20 ] || fail "run $run: the next days of both streams shipped ($n of 20 lines)"
	done
done
run "${AS[@]}" "$AUDITSHIP" -c "$CONF" status --json
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)["destinations"][0]
assert d["errors"] >= 2, d
assert "skipped" in (d["last_error"] or ""), d
' || fail "status counts the unreadable files: $OUT"
pass "unreadable day and corrupt .gz reported and counted; the rest ships"

# readable again: it ships, from where it was (0), exactly once
chmod 644 "$bad"
rm "$T/homes/bob/audit/$D1.jsonl.gz"
run "${AS[@]}" "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "readable again ($ERR)"
n=$(zcat "$ARCH"/testhost/*/*/*/*/"$D1".*.jsonl.gz | wc -l)
assert_eq "$n" 10 "the day ships once readable"
pass "a day readable again ships"
