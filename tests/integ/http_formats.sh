#!/usr/bin/env bash
# http destination formats and request shape (SPEC §2.3, §3.2): json_array
# and ndjson carry auditship.{host,file,offset}; compress = none; tags ->
# ddtags; header.NAME extras; secret-looking extra headers masked in debug
# output like the key.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_env.inc"

start_intake fmt
DAY=$(utc_day yesterday)
n=0
# fmt_case FORMAT [config lines...]
fmt_case() {
	local fmt=$1
	shift
	n=$((n + 1))
	SRC="$T/audit$n"; mkdir -p "$SRC"
	gen_day "$SRC/$DAY.jsonl" 1500 "$n"
	printf 'not json\n{"after":"bad"}\n' >>"$SRC/$DAY.jsonl"
	touch -d '1 hour ago' "$SRC/$DAY.jsonl"
	http_conf "$T/c$n.ini" "format = $fmt" "$@"
	sed -i "s|^state_dir = .*|state_dir = $T/state$n|" "$T/c$n.ini"
	: >"$INTAKE_REC"; : >"$INTAKE_REC.requests"
	run "$AUDITSHIP" -v -c "$T/c$n.ini" ship
	assert_eq "$RC" 0 "$fmt ship ($(tail -3 <<<"$ERR"))"
	http_check --format "$fmt" >"$T/v" || fail "$fmt: $(cat "$T/v")"
}

fmt_case json_array
assert_eq "$(req_field ctype | sort -u)" "application/json" "json_array content type"
pass "json_array: $(cat "$T/v")"

fmt_case ndjson "compress = none"
assert_eq "$(req_field ctype | sort -u)" "application/x-ndjson" "ndjson content type"
assert_eq "$(req_field gzip | sort -u)" "False" "compress = none"
pass "ndjson, uncompressed: $(cat "$T/v")"

fmt_case datadog "tags = env:test,team:sec" "header.X-Test = hello" \
	"header.X-Api-Token = tok-secret-987654" "compress_level = 1" \
	"header.Accept = application/json"
http_check --tags "env:test,team:sec" >"$T/v" || fail "ddtags: $(cat "$T/v")"
assert_eq "$(req_field x_test | sort -u)" "hello" "header.X-Test sent"
assert_contains "$(req_field ua | sort -u)" "auditship/" "User-Agent"
# Issue 17 item 10: every header.NAME is a secret but a short allow-list.
assert_contains "$ERR" "Accept: application/json" "allow-listed extra header in debug output"
assert_contains "$ERR" "X-Test: ****" "any other extra header masked"
assert_not_contains "$ERR" "hello" "its value nowhere in the output"
assert_contains "$ERR" "X-Api-Token: ****" "secret-looking header masked"
assert_not_contains "$ERR" "tok-secret-987654" "extra secret header value printed"
assert_not_contains "$ERR" "$API_KEY" "key printed"
pass "datadog with tags and extra headers: $(cat "$T/v")"

# SPEC 3.2: the identity is host, user, file and offset.  Two users' files of
# one name both start at offset 0; only auditship.user tells them apart.
SRC="$T/users"
mkdir -p "$SRC/alice" "$SRC/bob"
printf '{"who":"alice"}\n' >"$SRC/alice/$DAY.jsonl"
printf '{"who":"bob"}\n' >"$SRC/bob/$DAY.jsonl"
chown -R nobody "$SRC/bob"
touch -d '1 hour ago' "$SRC/alice/$DAY.jsonl" "$SRC/bob/$DAY.jsonl"
http_conf "$T/cu.ini"
sed -i -e "s|^state_dir = .*|state_dir = $T/stateu|" -e "s|^dir = .*|dir = $SRC/*|" "$T/cu.ini"
: >"$INTAKE_REC"; : >"$INTAKE_REC.requests"
run "$AUDITSHIP" -c "$T/cu.ini" ship
assert_eq "$RC" 0 "two users ship ($(tail -3 <<<"$ERR"))"
got=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e = json.loads(l); a = e["auditship"]
    print(e["who"], a["host"], a["user"], a["file"], a["offset"])' "$INTAKE_REC" | sort)
assert_eq "$got" "alice testhost $(id -un) $DAY.jsonl 0
bob testhost nobody $DAY.jsonl 0" "identity of two users' events"
pass "two users, one file name: identities differ by auditship.user"
