#!/usr/bin/env bash
# Issue 17 #3: an intake that echoes a secret header back in its error
# ("you sent X-Custom-Token: ...") is masked on stderr AND in the state:
# neither `status` nor `status --json` nor the state file shows it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_env.inc"

start_intake echo --plain
SRC="$T/audit"; mkdir -p "$SRC"
DAY=$(utc_day yesterday)
gen_day "$SRC/$DAY.jsonl" 5 1; touch -d '1 hour ago' "$SRC/$DAY.jsonl"
SECRET="HDRSECRET-7f3a9c2e51"
export MY_TOKEN="$SECRET"
http_conf "$T/c.ini" 'header.X-Custom-Token = ${MY_TOKEN}' "retry_max = 0" "format = ndjson"
intake_script "[{\"status\":400,\"count\":-1,\"body\":\"{\\\"errors\\\":[\\\"you sent X-Custom-Token: $SECRET and api key $API_KEY\\\"]}\"}]"
run "$AUDITSHIP" -c "$T/c.ini" ship
[ "$RC" -ne 0 ] || fail "a refused batch is a failure"
assert_not_contains "$ERR" "$SECRET" "stderr masked"
[ "$(requests_count)" -ge 1 ] || fail "the intake was never asked"
! grep -rqF "$SECRET" "$T/state" || fail "secret stored in the state: $(grep -rhF "$SECRET" "$T/state")"
! grep -rqF "$API_KEY" "$T/state" || fail "api key stored in the state"
run "$AUDITSHIP" -c "$T/c.ini" status
assert_not_contains "$OUT$ERR" "$SECRET" "status masked"
run "$AUDITSHIP" -c "$T/c.ini" status --json
assert_not_contains "$OUT$ERR" "$SECRET" "status --json masked"
assert_contains "$OUT" "****" "the error is still there, masked"
pass "a secret echoed by the server is masked before it is stored"
