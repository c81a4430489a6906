#!/usr/bin/env bash
# hook_basic.sh - `auditship hook` on payloads shaped like Claude Code's
# (SPEC §6): one line per call in DIR/<UTC day>.jsonl, dir 0700, file 0600,
# ts/host/user first and the payload's members after in order, secrets
# redacted, bad payloads kept and flagged, tool_response and stdin cut.
. "$(dirname "$0")/lib.sh"

FIX="$SRC_DIR/tests/integ/hook_fixtures"
A="$T/audit"

# jsonl_check FILE: every line is one JSON object; prints the line count.
jsonl_check() {
	python3 - "$1" <<'EOF'
import json, sys
n = 0
with open(sys.argv[1], "rb") as f:
    for raw in f:
        assert raw.endswith(b"\n"), "line without newline"
        o = json.loads(raw)
        assert isinstance(o, dict), "not an object"
        n += 1
print(n)
EOF
}

# --- every fixture, default directory (~/.claude/audit, created on demand)
umask 000	# the modes must not depend on the caller's umask
for f in "$FIX"/*.json; do
	run "$AUDITSHIP" hook <"$f"
	assert_eq "$RC" 0 "exit status for $(basename "$f")"
	assert_eq "$ERR" "" "stderr for $(basename "$f")"
done
umask 022
day=$(date -u +%F)
file="$HOME/.claude/audit/$day.jsonl"
[ -f "$file" ] || fail "no $file (day file must use the UTC date)"
assert_eq "$(stat -c %a "$HOME/.claude/audit")" 700 "audit dir mode"
assert_eq "$(stat -c %a "$HOME/.claude")" 700 "created parent mode"
assert_eq "$(stat -c %a "$file")" 600 "day file mode"
nfix=$(ls "$FIX"/*.json | wc -l)
assert_eq "$(jsonl_check "$file")" "$nfix" "one valid line per call"
pass "fixtures recorded, modes 0700/0600"

# No secret of the fixtures reaches the disk; look-alikes do.
while IFS= read -r s; do
	[ -n "$s" ] || continue
	! grep -qF -- "$s" "$file" || fail "secret leaked: $s"
done <"$FIX/secrets.txt"
assert_file_contains "$file" "3f786850e387550fdab836ed7e6dc881de23001b" "commit id kept"
assert_file_contains "$file" "8c35adc1-4b2e-4f1a-9c3d-2e5f6a7b8c9d" "uuid kept"
assert_file_contains "$file" "each token of output counts" "prose kept"
assert_file_contains "$file" '"content":"<REDACTED:private_key>\n"' "pem redacted"
assert_file_contains "$file" 'Authorization: Bearer <REDACTED:bearer>' "bearer redacted"
pass "secrets redacted, look-alikes kept"

# ts, host, user first; payload members after, in the payload's order.
python3 - "$file" "$FIX" "$(hostname)" "$(id -un)" <<'EOF'
import json, os, re, sys
path, fix, host, user = sys.argv[1:5]
lines = [json.loads(l) for l in open(path)]
events = {}
for l in lines:
    keys = list(l)
    assert keys[:3] == ["ts", "host", "user"], keys[:3]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", l["ts"]), l["ts"]
    assert l["host"] == host, (l["host"], host)
    assert l["user"] == user, (l["user"], user)
    events[l.get("hook_event_name")] = l
for name in sorted(os.listdir(fix)):
    if not name.endswith(".json"):
        continue
    p = json.load(open(os.path.join(fix, name)))
    match = [l for l in lines if l.get("tool_use_id") == p.get("tool_use_id")
             and l.get("hook_event_name") == p["hook_event_name"]]
    assert match, name
    assert list(match[0])[3:] == list(p), (name, list(match[0])[3:], list(p))
assert "SessionStart" in events and events["SessionStart"]["source"] == "startup"
assert "Stop" in events
EOF
pass "line layout: ts, host, user, payload members in order"

# --- --dir, and a payload that is not JSON: kept, escaped, flagged.
run "$AUDITSHIP" hook --dir "$A" <<<'not json: password=hunter2 "quoted" \ back'
assert_eq "$RC" 0 "non-JSON exit"
l=$(cat "$A/$day.jsonl")
assert_contains "$l" '"invalid_json":true' "flag"
assert_contains "$l" '"payload":"not json: password=<REDACTED:password> \"quoted\" \\ back\n"' "escaped text"
assert_eq "$(jsonl_check "$A/$day.jsonl")" 1 "valid line"

# Binary junk and an empty stdin are recorded too.
head -c 300 /dev/urandom >"$T/junk"
run "$AUDITSHIP" hook --dir "$A" <"$T/junk"
assert_eq "$RC" 0 "junk exit"
run "$AUDITSHIP" hook --dir "$A" </dev/null
assert_eq "$RC" 0 "empty exit"
assert_eq "$(jsonl_check "$A/$day.jsonl")" 3 "junk and empty recorded as valid JSON"
assert_contains "$(tail -1 "$A/$day.jsonl")" '"invalid_json":true,"payload":""' "empty payload"
pass "non-JSON, binary and empty payloads kept and flagged"

# --- --max-response: a big tool_response is cut with a marker.
python3 - >"$T/big.json" <<'EOF'
import json
print(json.dumps({"session_id": "s", "hook_event_name": "PostToolUse", "tool_name": "Bash",
    "tool_input": {"command": "cat big.log"},
    "tool_response": {"stdout": "line of build output\n" * 5000, "stderr": "", "interrupted": False, "isImage": False}}))
EOF
rm -rf "$A"
run "$AUDITSHIP" hook --dir "$A" <"$T/big.json"
assert_eq "$RC" 0 "big exit"
python3 - "$A/$day.jsonl" 16384 <<'EOF'
import json, sys
l = json.loads(open(sys.argv[1]).read())
tr = json.dumps(l["tool_response"], separators=(",", ":"), ensure_ascii=False)
assert len(tr) <= int(sys.argv[2]) + 64, len(tr)
assert "[auditship: cut " in l["tool_response"]["stdout"]
assert l["tool_response"]["interrupted"] is False
assert l["tool_response_cut_bytes"] > 80000, l["tool_response_cut_bytes"]
EOF
rm -rf "$A"
run "$AUDITSHIP" hook --dir "$A" --max-response 1K <"$T/big.json"
python3 -c 'import json,sys; l=json.loads(open(sys.argv[1]).read()); assert len(l["tool_response"]["stdout"]) < 1024' "$A/$day.jsonl"
rm -rf "$A"
run "$AUDITSHIP" hook --dir "$A" --max-response 0 <"$T/big.json"
python3 -c 'import json,sys; l=json.loads(open(sys.argv[1]).read()); assert "tool_response_cut_bytes" not in l and len(l["tool_response"]["stdout"]) == 105000' "$A/$day.jsonl"
pass "--max-response cuts tool_response with a marker (16K default, 1K, 0 = never)"

# --- the stdin cap: a larger payload is cut and flagged, never dropped.
rm -rf "$A"
run "$AUDITSHIP" hook --dir "$A" --max-payload 1000 <"$T/big.json"
assert_eq "$RC" 0 "capped exit"
l=$(cat "$A/$day.jsonl")
assert_contains "$l" '"payload_truncated":true,"invalid_json":true' "cut flagged"
assert_eq "$(jsonl_check "$A/$day.jsonl")" 1 "capped line valid"
# The default cap is 8 MiB: a 9 MiB payload from a pipe is cut there.
rm -rf "$A"
python3 -c 'import sys; sys.stdout.write("{\"tool_input\":{\"content\":\"" + "x" * (9 << 20) + "\"}}")' |
	"$AUDITSHIP" hook --dir "$A" 2>"$T/err" || fail "9 MiB exit status"
python3 - "$A/$day.jsonl" <<'EOF'
import json, sys
l = json.loads(open(sys.argv[1]).read())
assert l["payload_truncated"] is True and l["invalid_json"] is True
assert 8 << 20 <= len(l["payload"]) <= (8 << 20) + 64, len(l["payload"])
EOF
pass "stdin read bounded (--max-payload, default 8 MiB), cut payload flagged"

# --- bad options are reported but the event is still recorded; --help.
rm -rf "$A"
run "$AUDITSHIP" hook --dir "$A" --bogus --max-response lots <"$FIX/stop.json"
assert_eq "$RC" 0 "bad option exit"
assert_contains "$ERR" "auditship: warning: hook: unknown option --bogus" "bad option named"
assert_contains "$ERR" "not a size" "bad size named"
assert_eq "$(jsonl_check "$A/$day.jsonl")" 1 "recorded despite bad options"
run "$AUDITSHIP" hook --help </dev/null
assert_eq "$RC" 0 "help exit"
assert_contains "$OUT" "usage: auditship hook" "help text"
pass "bad options warned, event still recorded; --help"
