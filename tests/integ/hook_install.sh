#!/usr/bin/env bash
# hook_install.sh - scripts/install-hook merges the auditship hook into
# Claude Code's settings.json: creates it when missing, keeps every other
# setting and hook, is idempotent, backs up what it replaces, refuses a
# file it cannot parse, and the command it installs really records.
. "$(dirname "$0")/lib.sh"

IH="$SRC_DIR/scripts/install-hook"
FIX="$SRC_DIR/tests/integ/hook_fixtures"
S="$HOME/.claude/settings.json"
BIN=$(cd "$(dirname "$AUDITSHIP")" && pwd)/$(basename "$AUDITSHIP")

# ours FILE: per event, the auditship commands (python prints a summary).
ours() {
	python3 - "$1" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
for ev in ("PreToolUse", "PostToolUse", "SessionStart", "Stop"):
    cmds = [h["command"] for g in s["hooks"].get(ev, []) for h in g["hooks"]
            if "auditship" in h.get("command", "")]
    matchers = [g.get("matcher") for g in s["hooks"].get(ev, [])
                if any("auditship" in h.get("command", "") for h in g["hooks"])]
    print(ev, len(cmds), cmds[0] if cmds else "-", matchers)
EOF
}

# --- no settings yet: created, 0600, one entry per event, matcher "".
run "$IH" --bin "$BIN" --dir "$T/audit"
assert_eq "$RC" 0 "fresh install"
[ -f "$S" ] || fail "settings.json not created"
assert_eq "$(stat -c %a "$S")" 600 "new settings mode"
want_cmd="$BIN hook --dir $T/audit"
assert_eq "$(ours "$S")" "PreToolUse 1 $want_cmd ['']
PostToolUse 1 $want_cmd ['']
SessionStart 1 $want_cmd ['']
Stop 1 $want_cmd ['']" "fresh entries"
assert_eq "$(ls "$HOME/.claude" | grep -c bak || true)" 0 "no backup of nothing"

# --- idempotent: a second run changes nothing, writes no backup.
cp "$S" "$T/first"
run "$IH" --bin "$BIN" --dir "$T/audit"
assert_eq "$RC" 0 "second run"
assert_contains "$OUT" "nothing to do" "second run says so"
cmp -s "$S" "$T/first" || fail "second run changed the file"
assert_eq "$(ls "$HOME/.claude" | grep -c bak || true)" 0 "no backup on a no-op"
pass "fresh install and idempotent re-run"

# --- the installed command records, as Claude Code would run it (sh -c).
cmd=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hooks"]["PostToolUse"][0]["hooks"][0]["command"])' "$S")
sh -c "$cmd" <"$FIX/post_bash.json" || fail "installed command failed"
assert_eq "$(cat "$T/audit"/*.jsonl | wc -l)" 1 "installed command wrote a line"
pass "the installed command records a payload"

# --- an existing file with other settings and hooks: all kept, backed up.
mkdir -p "$T/proj/.claude"
P="$T/proj/.claude/settings.json"
cat >"$P" <<'EOF'
{
  "model": "claude-sonnet-4-5",
  "permissions": {"allow": ["Bash(npm test:*)"], "deny": ["Read(./.env)"]},
  "hooks": {
    "PreToolUse": [
      {"matcher": "Bash", "hooks": [{"type": "command", "command": "~/.claude/guard.sh", "timeout": 5}]}
    ],
    "Notification": [
      {"matcher": "", "hooks": [{"type": "command", "command": "notify-send Claude"}]}
    ]
  },
  "env": {"DISABLE_TELEMETRY": "1"}
}
EOF
chmod 644 "$P"
cp "$P" "$T/orig"
run "$IH" --project "$T/proj" --bin "$BIN"
assert_eq "$RC" 0 "merge into existing"
assert_contains "$OUT" "backup:" "backup announced"
bak=$(ls "$T/proj/.claude/" | grep '^settings.json.bak-')
cmp -s "$T/proj/.claude/$bak" "$T/orig" || fail "backup differs from the original"
assert_eq "$(stat -c %a "$P")" 644 "mode kept"
python3 - "$P" "$T/orig" "$BIN hook" <<'EOF'
import json, sys
new, old, cmd = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
# Everything that was there is there, in the same order, unchanged.
assert list(new)[:4] == list(old), (list(new), list(old))
for k in ("model", "permissions", "env"):
    assert new[k] == old[k], k
assert new["hooks"]["Notification"] == old["hooks"]["Notification"]
assert new["hooks"]["PreToolUse"][0] == old["hooks"]["PreToolUse"][0]
assert new["hooks"]["PreToolUse"][1] == {"matcher": "", "hooks": [{"type": "command", "command": cmd}]}
for ev in ("PostToolUse", "SessionStart", "Stop"):
    assert new["hooks"][ev] == [{"matcher": "", "hooks": [{"type": "command", "command": cmd}]}], ev
EOF
pass "merge keeps other settings and hooks, order, mode; backup written"

# --- options change: the entry is updated in place, never duplicated.
run "$IH" --project "$T/proj" --bin "$BIN" --minimal
assert_eq "$RC" 0 "update"
assert_eq "$(ours "$P" | awk '{print $2}' | sort -u)" 1 "still one entry per event"
assert_contains "$(ours "$P")" "Stop 1 $BIN hook --minimal" "updated command"
assert_eq "$(ls "$T/proj/.claude/" | grep -c '^settings.json.bak-')" 2 "second backup"
pass "re-install with other options updates in place"

# --- files it cannot parse, or shaped unlike Claude Code's: refused, untouched.
for bad in '{"hooks": {"PreToolUse": [' '// comment
{"model": "x"}' '{"hooks": []}' '{"hooks": {"Stop": {"matcher": ""}}}' '["not", "an", "object"]'; do
	printf '%s' "$bad" >"$T/bad.json"
	cp "$T/bad.json" "$T/bad.orig"
	run "$IH" --settings "$T/bad.json" --bin "$BIN"
	assert_eq "$RC" 1 "refused: $bad"
	assert_contains "$ERR" "refusing to touch it" "refusal says why: $bad"
	cmp -s "$T/bad.json" "$T/bad.orig" || fail "refused file was changed: $bad"
	[ -z "$(ls "$T" | grep '^bad.json.bak' || true)" ] || fail "backup of a refused file"
done
pass "unparseable or oddly shaped settings refused, untouched"

# --- uninstall removes only ours.
run "$IH" --project "$T/proj" --uninstall
assert_eq "$RC" 0 "uninstall"
python3 - "$P" "$T/orig" <<'EOF'
import json, sys
new, old = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert new == old, json.dumps(new, indent=1)
EOF
pass "--uninstall restores the other hooks exactly"

# --- an auditship-hook on PATH is preferred, and counts as ours: switching
# between it and `auditship hook` replaces the entry, never adds one.
mkdir -p "$T/pathbin"
ln -s "$BIN" "$T/pathbin/auditship-hook"
rm -f "$S"
run env PATH="$T/pathbin:$PATH" "$IH" --day-boundary local
assert_eq "$RC" 0 "install with auditship-hook on PATH"
assert_contains "$(ours "$S")" "PreToolUse 1 $T/pathbin/auditship-hook --day-boundary local" "auditship-hook chosen"
run "$IH" --bin "$BIN"
assert_eq "$(ours "$S" | awk '{print $2}' | sort -u)" 1 "switch back: still one entry per event"
assert_contains "$(ours "$S")" "Stop 1 $BIN hook" "switched back to auditship hook"
pass "auditship-hook preferred when installed; switching replaces the entry"

# --- Debian's own python3 runs it too (the script is stdlib only).
[ -x /usr/bin/python3 ] || fail "/usr/bin/python3 missing (scripts/test installs python3)"
rm -f "$S"
run /usr/bin/python3 "$IH" --bin "$BIN"
assert_eq "$RC" 0 "/usr/bin/python3"
assert_contains "$(ours "$S")" "SessionStart 1 $BIN hook" "installed by /usr/bin/python3"
pass "works with /usr/bin/python3"
