#!/usr/bin/env bash
# hook_install.sh - `auditship install-hook` (SPEC §6) registers the
# appender auditship-hook for every audit event: absolute path, matcher ""
# on tool events, "timeout": 5; merges with other settings and hooks,
# idempotent, keeps a backup, writes through a symlink, refuses files it
# cannot parse and a missing appender (exit 2, nothing written); --managed
# writes the policy drop-in 0644 in a 0755 directory (under --root);
# --uninstall removes exactly what it added, restoring the original bytes.
. "$(dirname "$0")/lib.sh"
: "${AUDITSHIP_HOOK:?ctest sets AUDITSHIP_HOOK}"
FIX="$SRC_DIR/tests/integ/hook_fixtures"
S="$HOME/.claude/settings.json"
HOOK=$(cd "$(dirname "$AUDITSHIP_HOOK")" && pwd)/$(basename "$AUDITSHIP_HOOK")
EVENTS="SessionStart SessionEnd UserPromptSubmit PreToolUse PostToolUse PostToolUseFailure PermissionDenied SubagentStart SubagentStop Stop PreCompact Notification ConfigChange"

# ours FILE: per event, "EVENT count command matchers timeouts types".
ours() {
	python3 - "$1" "$EVENTS" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
for ev in sys.argv[2].split():
    groups = [g for g in s.get("hooks", {}).get(ev, [])
              if any("auditship" in h.get("command", "") for h in g["hooks"])]
    hs = [h for g in groups for h in g["hooks"] if "auditship" in h.get("command", "")]
    print(ev, len(hs), hs[0]["command"] if hs else "-",
          [g.get("matcher") for g in groups], [h.get("timeout") for h in hs],
          [h.get("type") for h in hs])
PY
}
want_lines() { # want_lines COMMAND: ours() output for one entry per event
	local ev m
	for ev in $EVENTS; do
		case $ev in PreToolUse|PostToolUse|PostToolUseFailure|PermissionDenied) m="['']";; *) m="[None]";; esac
		echo "$ev 1 $1 $m [5] ['command']"
	done
}

# --- no settings yet: created 0600, one entry per event, the appender
# found beside the running binary (the build tree).
run "$AUDITSHIP" install-hook
assert_eq "$RC" 0 "fresh install: $ERR"
[ -f "$S" ] || fail "settings.json not created"
assert_eq "$(stat -c %a "$S")" 600 "new settings mode"
assert_eq "$(ours "$S")" "$(want_lines "$HOOK")" "fresh entries"
assert_contains "$OUT" "13 events" "says how many events"
cp "$S" "$T/first"
run "$AUDITSHIP" install-hook
assert_eq "$RC" 0 "second run"
assert_contains "$OUT" "nothing to do" "second run says so"
cmp -s "$S" "$T/first" || fail "second run changed the file"
assert_eq "$(ls -A "$HOME/.claude" | grep -c backup || true)" 0 "no backup of nothing"
pass "fresh install with every event, idempotent re-run"

# --- the installed command records, as Claude Code runs it (sh -c).
cmd=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hooks"]["PostToolUseFailure"][0]["hooks"][0]["command"])' "$S")
(cd "$T" && sh -c "$cmd") <"$FIX/post_bash.json" || fail "installed command failed"
assert_eq "$(cat "$HOME/.claude/audit"/*.jsonl | wc -l)" 1 "installed command wrote a line"
run "$AUDITSHIP" install-hook --uninstall
assert_eq "$RC" 0 "uninstall of a file auditship created"
[ ! -e "$S" ] || fail "a settings file only auditship wrote is removed again"
pass "the installed command records; uninstall removes a file only we wrote"

# --- an existing file with other settings, permissions and hooks: all
# kept, backed up; uninstall restores the original bytes exactly.
mkdir -p "$T/proj/.claude"
P="$T/proj/.claude/settings.json"
cat >"$P" <<'JSON'
{"model": "claude-sonnet-4-5",
 "permissions": {"allow": ["Bash(npm test:*)"], "deny": ["Read(./.env)"]},
 "hooks": {
   "PreToolUse": [
     {"matcher": "Bash", "hooks": [{"type": "command", "command": "~/.claude/guard.sh", "timeout": 5}]}
   ],
   "Notification": [
     {"matcher": "", "hooks": [{"type": "command", "command": "notify-send Claude"}]}
   ]
 },
 "env": {"DISABLE_TELEMETRY": "1", "RATE": 1.50e2, "NAME": "caf\u00e9"}
}
JSON
chmod 644 "$P"
cp "$P" "$T/orig"
run "$AUDITSHIP" install-hook --settings "$P"
assert_eq "$RC" 0 "merge into existing: $ERR"
assert_contains "$OUT" "kept as $P.auditship-backup" "backup announced"
cmp -s "$P.auditship-backup" "$T/orig" || fail "backup differs from the original"
assert_eq "$(stat -c %a "$P")" 644 "mode kept"
python3 - "$P" "$T/orig" "$HOOK" <<'PY'
import json, sys
new, old, cmd = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
assert list(new) == list(old), (list(new), list(old))
for k in ("model", "permissions", "env"):
    assert new[k] == old[k], k
ours = {"type": "command", "command": cmd, "timeout": 5}
assert new["hooks"]["Notification"][0] == old["hooks"]["Notification"][0]
assert new["hooks"]["Notification"][1] == {"hooks": [ours]}
assert new["hooks"]["PreToolUse"][0] == old["hooks"]["PreToolUse"][0]
assert new["hooks"]["PreToolUse"][1] == {"matcher": "", "hooks": [ours]}
assert new["hooks"]["PostToolUseFailure"] == [{"matcher": "", "hooks": [ours]}]
assert new["hooks"]["Stop"] == [{"hooks": [ours]}]
PY
pass "merge keeps other settings, permissions, hooks, order, mode; backup written"

# --- other options: the entry is updated in place, never duplicated; the
# backup still holds the file as it was before auditship.
run "$AUDITSHIP" install-hook --settings "$P" --minimal --day-boundary local
assert_eq "$RC" 0 "update"
assert_eq "$(ours "$P")" "$(want_lines "$HOOK --minimal --day-boundary local")" "updated in place"
assert_eq "$(ours "$P" | awk '{print $2}' | sort -u)" 1 "still one entry per event"
cmp -s "$P.auditship-backup" "$T/orig" || fail "update replaced the backup"
run "$AUDITSHIP" install-hook --settings "$P" --uninstall
assert_eq "$RC" 0 "uninstall"
assert_contains "$OUT" "original bytes restored" "says so"
cmp -s "$P" "$T/orig" || fail "uninstall did not restore the original bytes"
[ ! -e "$P.auditship-backup" ] || fail "backup left after a restore"
assert_eq "$(stat -c %a "$P")" 644 "mode after restore"
pass "re-install updates in place; --uninstall restores the original bytes"

# --- something else changed meanwhile: uninstall takes out only ours.
run "$AUDITSHIP" install-hook --settings "$P"
python3 - "$P" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); s["theme"] = "dark"
json.dump(s, open(sys.argv[1], "w"), indent=2)
PY
run "$AUDITSHIP" install-hook --settings "$P" --uninstall
assert_eq "$RC" 0 "uninstall after another edit"
python3 - "$P" "$T/orig" <<'PY'
import json, sys
new, old = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert new.pop("theme") == "dark"
assert new == old, json.dumps(new, indent=1)
PY
pass "--uninstall after another edit removes exactly our entries"

# --- a symlinked settings file (dotfiles repo): written through the link.
mkdir -p "$T/dotfiles" "$HOME/.claude"
printf '{"model": "x"}\n' >"$T/dotfiles/settings.json"
ln -s "$T/dotfiles/settings.json" "$S"
run "$AUDITSHIP" install-hook
assert_eq "$RC" 0 "symlinked install: $ERR"
[ -L "$S" ] || fail "the symlink was replaced by a file"
assert_eq "$(ours "$T/dotfiles/settings.json" | grep -c ' 1 ')" 13 "written into the link's target"
run "$AUDITSHIP" install-hook --uninstall
[ -L "$S" ] || fail "uninstall replaced the symlink"
assert_eq "$(cat "$T/dotfiles/settings.json")" '{"model": "x"}' "target restored"
rm -f "$S"
ln -s "$T/nowhere/settings.json" "$S"
run "$AUDITSHIP" install-hook
assert_eq "$RC" 2 "dangling symlink refused"
[ ! -e "$T/nowhere" ] || fail "dangling link target created"
rm -f "$S"
pass "a symlinked settings file is written through the link"

# --- files it cannot parse, or shaped unlike Claude Code's: refused (2).
for bad in '{"hooks": {"PreToolUse": [' '// comment
{"model": "x"}' '{"hooks": []}' '{"hooks": {"Stop": {"matcher": ""}}}' '["not", "an", "object"]' '{"a": 1,}'; do
	printf '%s' "$bad" >"$T/bad.json"
	cp "$T/bad.json" "$T/bad.orig"
	run "$AUDITSHIP" install-hook --settings "$T/bad.json"
	assert_eq "$RC" 2 "refused: $bad"
	assert_contains "$ERR" "refusing to touch it" "refusal says why: $bad"
	cmp -s "$T/bad.json" "$T/bad.orig" || fail "refused file was changed: $bad"
	[ ! -e "$T/bad.json.auditship-backup" ] || fail "backup of a refused file"
done
pass "unparseable or oddly shaped settings refused (exit 2), untouched"

# --- a missing or non-executable appender: exit 2, nothing written.
run "$AUDITSHIP" install-hook --hook "$T/no-such-hook"
assert_eq "$RC" 2 "missing appender"
assert_contains "$ERR" "nothing written" "says nothing was written"
[ ! -e "$S" ] && [ ! -e "$HOME/.claude/settings.json" ] || fail "written despite a missing appender"
printf '#!/bin/sh\n' >"$T/noexec-hook"; chmod 644 "$T/noexec-hook"
run "$AUDITSHIP" install-hook --hook "$T/noexec-hook"
assert_eq "$RC" 2 "non-executable appender"
[ ! -e "$S" ] || fail "written despite a non-executable appender"
# Alone in a directory, with no auditship-hook beside it or on PATH, and
# none in /usr/bin: refused.  (With one in /usr/bin, that one is used.)
mkdir -p "$T/alone" "$T/emptypath"
cp "$AUDITSHIP" "$T/alone/auditship"
run env PATH="$T/emptypath" "$T/alone/auditship" install-hook --dry-run
if [ -x /usr/bin/auditship-hook ]; then
	assert_eq "$RC" 0 "falls back to /usr/bin"
	assert_contains "$OUT" '"/usr/bin/auditship-hook"' "the /usr/bin appender"
else
	assert_eq "$RC" 2 "no appender anywhere"
	assert_contains "$ERR" "not installed" "says it is not installed"
fi
# On PATH (not beside the binary): found there, absolute.
mkdir -p "$T/pathbin"
ln -s "$HOOK" "$T/pathbin/auditship-hook"
run env PATH="$T/emptypath:$T/pathbin" "$T/alone/auditship" install-hook --dry-run
assert_eq "$RC" 0 "found on PATH"
assert_contains "$OUT" "\"$T/pathbin/auditship-hook\"" "PATH appender, absolute"
[ ! -e "$S" ] || fail "--dry-run wrote"
pass "a missing appender is refused (exit 2, nothing written); PATH lookup"

# --- --managed under a scratch root: 0644 file in a 0755 directory; the
# drop-in is ours alone, so --uninstall removes it.
R="$T/root"
umask 077
run "$AUDITSHIP" install-hook --managed --root "$R"
umask 022
assert_eq "$RC" 0 "managed: $ERR"
M="$R/etc/claude-code/managed-settings.d/50-auditship.json"
assert_eq "$(stat -c %a "$M")" 644 "managed file mode"
assert_eq "$(stat -c %a "$R/etc/claude-code/managed-settings.d")" 755 "managed dir mode"
assert_eq "$(stat -c %a "$R/etc/claude-code")" 755 "parent dir mode"
assert_eq "$(ours "$M")" "$(want_lines "$HOOK")" "managed entries"
run "$AUDITSHIP" install-hook --managed --root "$R"
assert_contains "$OUT" "nothing to do" "managed idempotent"
run "$AUDITSHIP" install-hook --managed --root "$R" --uninstall
assert_eq "$RC" 0 "managed uninstall"
[ ! -e "$M" ] || fail "managed drop-in left after --uninstall"
run "$AUDITSHIP" install-hook --managed --settings "$T/x.json"
assert_eq "$RC" 2 "--managed with --settings is a usage error"
pass "--managed: world-readable drop-in under --root, removed by --uninstall"
