#!/usr/bin/env bash
# hook_minimal.sh - `auditship hook --minimal` records less and leaks
# nothing (SPEC §6): only ts, host, user, hook_event_name, session_id,
# tool_name, the command's program name and its exit status; no argument
# of any command, no path, no output.
. "$(dirname "$0")/lib.sh"

FIX="$SRC_DIR/tests/integ/hook_fixtures"
A="$T/audit"
day=$(date -u +%F)

# The fixtures plus commands whose every argument is distinctive.
python3 - "$T/cmds" <<'EOF'
import json, os, sys
d = sys.argv[1]
os.makedirs(d)
cmds = [
    "git commit -m 'rotate the prod database password' --author 'Ann <ann@corp.example>'",
    "PGPASSWORD=hunter2 psql -h db.internal -U billing -c 'select card_number from payments'",
    "/usr/local/bin/terraform apply -var db_password=Tr0ub4dor -auto-approve",
    "(cd /srv/secret-project && make deploy ENV=production)",
    "kubectl --context prod-eu get secret stripe-keys -o yaml | base64 -d",
    "curl -u admin:Sup3rS3cret https://internal.example/api/export?customer=ACME-4711",
    "ssh deploy@10.20.30.40 'sudo systemctl restart payments'",
    "echo 'a quoted phrase with spaces' > /tmp/notes-from-meeting.txt",
]
for n, c in enumerate(cmds):
    p = {"session_id": "sess-%d" % n, "transcript_path": "/home/dev/.claude/projects/x/sess.jsonl",
         "cwd": "/home/dev/secret-project", "hook_event_name": "PostToolUse", "tool_name": "Bash",
         "tool_input": {"command": c, "description": "step %d of the confidential plan" % n},
         "tool_response": {"stdout": "confidential output %d" % n, "stderr": "", "interrupted": False,
                           "isImage": False, "exit_code": n % 3}}
    json.dump(p, open(os.path.join(d, "c%d.json" % n), "w"))
EOF
for f in "$FIX"/*.json "$T"/cmds/*.json; do
	run "$AUDITSHIP" hook --minimal --dir "$A" <"$f"
	assert_eq "$RC$ERR" 0 "minimal $(basename "$f")"
done
echo 'not json at all: --password hunter2' | "$AUDITSHIP" hook --minimal --dir "$A"

python3 - "$A/$day.jsonl" "$FIX" "$T/cmds" <<'EOF'
import json, os, re, shlex, sys
path, *dirs = sys.argv[1:]
lines = [json.loads(l) for l in open(path)]
raw = open(path).read()
allowed = ["ts", "host", "user", "hook_event_name", "session_id", "tool_name", "program", "exit_status"]
payloads = []
for d in dirs:
    for name in sorted(os.listdir(d)):
        if name.endswith(".json"):
            payloads.append(json.load(open(os.path.join(d, name))))
assert len(lines) == len(payloads) + 1, (len(lines), len(payloads))
for l in lines[:-1]:
    keys = list(l)
    assert keys == [k for k in allowed if k in l], keys
assert lines[-1] == {k: lines[-1][k] for k in ("ts", "host", "user")} | {"invalid_json": True}, lines[-1]
assert "hunter2" not in raw

checked = 0
for p in payloads:
    cmd = p.get("tool_input", {}).get("command")
    if not cmd:
        continue
    words = re.findall(r"[A-Za-z0-9_./:@=-]{3,}", cmd)
    # No word of any command but the program names themselves.
    progs = {l.get("program") for l in lines}
    for w in words:
        base = w.rsplit("/", 1)[-1]
        if base in progs or w in progs:
            continue
        assert w not in raw, "argument %r of %r leaked" % (w, cmd)
        checked += 1
    for k in ("cwd", "transcript_path", "description"):
        v = p.get(k) or p.get("tool_input", {}).get(k)
        assert v is None or v not in raw, (k, v)
assert checked > 40, checked
for l in lines:
    if l.get("tool_name") == "Bash":
        assert "program" in l, l
progs = sorted({l["program"] for l in lines if "program" in l})
assert progs == sorted({"curl", "git", "psql", "terraform", "cd", "kubectl", "ssh", "echo", "cat"}), progs
statuses = [l.get("exit_status") for l in lines if l.get("session_id", "").startswith("sess-")]
assert statuses == [n % 3 for n in range(len(statuses))], statuses
print("%d lines, %d argument words checked absent" % (len(lines), checked))
EOF
pass "--minimal: allow-list only, no command argument, path or output recorded"
