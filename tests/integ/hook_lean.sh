#!/usr/bin/env bash
# auditship-hook (the appender alone, libc only) writes the same line as
# `auditship hook`, takes the same options, and loads neither libcurl nor
# OpenSSL (the reason it exists: Claude Code starts it on every tool call).
. "$(dirname "$0")/lib.sh"
: "${AUDITSHIP_HOOK:?ctest sets AUDITSHIP_HOOK}"
libs=$(ldd "$AUDITSHIP_HOOK")
assert_not_contains "$libs" "libcurl" "auditship-hook links no libcurl"
assert_not_contains "$libs" "libcrypto" "auditship-hook links no libcrypto"
payload='{"session_id":"s1","hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{"command":"export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY; ls"},"tool_response":{"stdout":"a\nb","exit_code":0}}'
printf '%s' "$payload" | "$AUDITSHIP" hook --dir "$T/full"
printf '%s' "$payload" | "$AUDITSHIP_HOOK" --dir "$T/lean"
day=$(date -u +%F)
strip_ts() { sed 's/"ts":"[^"]*"//' "$1"; }
assert_eq "$(strip_ts "$T/lean/$day.jsonl")" "$(strip_ts "$T/full/$day.jsonl")" "same line from both"
assert_not_contains "$(cat "$T/lean/$day.jsonl")" "wJalrXUtnFEMI" "secret redacted"
printf '%s' "$payload" | "$AUDITSHIP_HOOK" --dir "$T/min" --minimal
assert_not_contains "$(cat "$T/min/$day.jsonl")" "AWS_SECRET_ACCESS_KEY" "--minimal drops arguments"
assert_eq "$(stat -c %a "$T/lean")/$(stat -c %a "$T/lean/$day.jsonl")" "700/600" "modes"
pass "auditship-hook: same line, same options, libc only"
