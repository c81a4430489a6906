#!/usr/bin/env bash
# bench/hook_reference.sh - the usual bash + jq audit hook, as found in
# blog posts and dotfiles, for bench/hook to compare `auditship hook` with.
#
#   hook_reference.sh [DIR]    payload on stdin, appends to DIR/<UTC day>.jsonl
#
# Timestamp with date, pick fields with jq (four runs of it), redact a few
# well-known token shapes with sed, append with >>.  It is not what
# auditship does: it redacts only the shapes listed, does not bound its
# input, and its append is one write only while the line fits printf's
# buffer.
set -euo pipefail

dir=${1:-$HOME/.claude/audit}
mkdir -p "$dir"
payload=$(cat)
ts=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
event=$(jq -r '.hook_event_name // empty' <<<"$payload")
tool=$(jq -r '.tool_name // empty' <<<"$payload")
cmd=$(jq -r '.tool_input.command // empty' <<<"$payload")
code=$(jq -r '.tool_response.exit_code // empty' <<<"$payload")
line=$(jq -cn --arg ts "$ts" --arg host "$(hostname)" --arg user "$(id -un)" \
	--arg event "$event" --arg tool "$tool" --arg cmd "$cmd" --arg code "$code" \
	--argjson p "$payload" \
	'{ts: $ts, host: $host, user: $user, hook_event_name: $event, tool_name: $tool,
	  command: $cmd, exit_code: $code} + $p' |
	sed -E \
		-e 's/(gh[posur]_)[A-Za-z0-9]{20,}/<REDACTED:github>/g' \
		-e 's/sk-[A-Za-z0-9_-]{20,}/<REDACTED:sk>/g' \
		-e 's/AKIA[A-Z0-9]{16}/<REDACTED:aws>/g' \
		-e 's/([Bb]earer )[A-Za-z0-9._~+\/=-]+/\1<REDACTED:bearer>/g' \
		-e 's/((password|token|secret|api_key)=)[^&" ]+/\1<REDACTED>/g')
printf '%s\n' "$line" >>"$dir/$(date -u +%F).jsonl"
