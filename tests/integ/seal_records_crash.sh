#!/usr/bin/env bash
# Seal records and crashes (SPEC §3.1, §7): a seal record at an http
# destination is never counted as delivered before the intake acknowledged
# it.  The intake holds the seal's request (condition: it logged it as
# "held"); while it is held the day is not sealed in `status`; auditship is
# killed with -9 right then; the intake then either answers the orphaned
# request (it records the seal) or drops it.  After kill -9 the day is still
# unsealed; a clean rerun delivers the seal record again (at-least-once:
# the intake holds it twice, byte-identical, or once; never zero), marks the
# day sealed only then, and a further run sends nothing.  No line is
# duplicated: they were acknowledged before the seal was sent.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_env.inc"

D1=$(utc_day yesterday)
SRC="$T/audit"

held() { [ "$(req_status_count held)" -ge 1 ]; }
# req_status_count S: requests the intake logged with status S
req_status_count() {
	[ -f "$INTAKE_REC.requests" ] || { echo 0; return; }
	python3 -c 'import json,sys
print(sum(1 for l in open(sys.argv[1]) if str(json.loads(l).get("status")) == sys.argv[2]))' \
		"$INTAKE_REC.requests" "$1"
}
settled() { [ "$(req_status_count "$1")" -ge 1 ]; }
seal_records() { grep -c '"seal":{' "$INTAKE_REC" || true; }
recorded() { [ "$(seal_records)" -ge 1 ]; }
# day_sealed CONF: the "sealed" of D1 at dd in `status --json`
day_sealed() {
	"$AUDITSHIP" -c "$1" status --json | python3 -c 'import json,sys
doc = json.load(sys.stdin)
hits = []
def walk(o, day=None):
    if isinstance(o, dict):
        day = o.get("date", o.get("day", day))
        if "sealed" in o and day is not None and sys.argv[1] in str(day):
            hits.append(o["sealed"])
        for v in o.values():
            walk(v, day)
    elif isinstance(o, list):
        for v in o:
            walk(v, day)
walk(doc)
assert hits, doc
print("true" if all(h is True for h in hits) else "false")' "$D1"
}

# crash_case NAME VERDICT WANT: VERDICT what the intake does with the held
# seal request after the kill ("answer" or "drop"); WANT seal records in
# the end.
crash_case() {
	local name=$1 verdict=$2 want=$3 conf="$T/$1.ini" pid n
	rm -rf "$SRC" "$T/state"; mkdir -p "$SRC"
	start_intake "$name"
	http_conf "$conf" "seal = true" "timeout = 60s"
	gen_day "$SRC/$D1.jsonl" 300 7
	touch -d '1 hour ago' "$SRC/$D1.jsonl"
	intake_script '[{"action":"hold","match":"\"seal\":{"}]'
	"$AUDITSHIP" -c "$conf" ship >"$T/$name.ship1" 2>&1 &
	pid=$!
	on_exit "kill -9 $pid"
	wait_for "the seal record held at the intake ($name)" 30 held
	assert_eq "$(seal_records)" 0 "$name: the seal is not recorded while held"
	assert_eq "$(day_sealed "$conf")" false "$name: in flight, the day is not sealed"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null || true
	printf '%s\n' "$verdict" >"$INTAKE_CTL.release"
	if [ "$verdict" == answer ]; then
		wait_for "the orphaned seal request answered" 10 settled 202
		wait_for "the seal recorded" 10 recorded
	else
		wait_for "the held seal request dropped" 10 settled dropped
	fi
	assert_eq "$(day_sealed "$conf")" false "$name: after kill -9 the day is still not sealed"
	n=$(count_lines "$SRC/$D1.jsonl")
	assert_eq "$(($(wc -l <"$INTAKE_REC") - $(seal_records)))" "$n" "$name: every line delivered once before the seal"
	intake_script '[]'
	run "$AUDITSHIP" -c "$conf" ship
	assert_eq "$RC" 0 "$name: clean rerun ($ERR)"
	assert_eq "$(seal_records)" "$want" "$name: seal records after the rerun"
	assert_eq "$(day_sealed "$conf")" true "$name: sealed after the rerun"
	mkdir -p "$T/$name.w"
	python3 "$SRC_DIR/tests/integ/seal_check.py" http "$INTAKE_REC" "$SRC/$D1.jsonl" \
		"$T/state/signing.key.pub" "$T/$name.w" --dedup >"$T/$name.c" || fail "$name: $(cat "$T/$name.c")"
	assert_contains "$(cat "$T/$name.c")" "1 seals ($want records), last seq 1" "$name: one seal, identical copies"
	assert_eq "$(($(wc -l <"$INTAKE_REC") - $(seal_records)))" "$n" "$name: no line resent"
	n=$(requests_count)
	run "$AUDITSHIP" -c "$conf" ship
	assert_eq "$RC" 0 "$name: third run"
	assert_eq "$(requests_count)" "$n" "$name: nothing more sent once sealed"
	kill "$INTAKE_PID"
	pass "$name: kill -9 with the seal record in flight, intake ${verdict}s it: $(cat "$T/$name.c")"
}

count_lines() { grep -c . "$1"; }
crash_case answered answer 2
crash_case dropped drop 1
