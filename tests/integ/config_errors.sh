#!/usr/bin/env bash
# config_errors.sh - `auditship -c FILE check` on bad configuration files:
# each exits 2 with "auditship: error: FILE:LINE: [section] key: reason"
# (SPEC §2), and a good one prints the resolved configuration with every
# secret masked - the secret appears nowhere in stdout or stderr.
. "$(dirname "$0")/lib.sh"

C="$T/conf"
mkdir -p "$C"

# bad NAME LINE-OR-EMPTY "[section] key: reason" <<< ini text
# The expected stderr line is "auditship: error: $C/NAME.ini:LINE: REASON".
bad() {
	local name=$1 line=$2 reason=$3 f="$C/$1.ini" want
	cat >"$f"
	chmod 600 "$f"
	if [ -n "$line" ]; then want="auditship: error: $f:$line: $reason"
	else want="auditship: error: $f: $reason"; fi
	run "$AUDITSHIP" -c "$f" check
	assert_eq "$RC" 2 "$name: exit status (stderr: $ERR)"
	assert_contains "$ERR" "$want" "$name: message"
	pass "$name"
}

bad unknown-section 1 "[foo]: unknown section (expected [auditship], [source] or [destination NAME])" <<'EOF'
[foo]
[destination d]
type = dir
path = /srv/a
EOF

bad unknown-key 3 "[auditship] bogus: unknown key" <<'EOF'
[auditship]
settle = 10s
bogus = 1
[destination d]
type = dir
path = /srv/a
EOF

bad unknown-key-for-type 4 "[destination d] url: unknown key for type dir (it is a key of type http)" <<'EOF'
[destination d]
type = dir
path = /srv/a
url = https://x.test/
EOF

bad bad-size 5 '[destination h] max_batch_bytes: "5X" is not a size' <<'EOF'
[destination h]
type = http
url = https://x.test/api
auth = none
max_batch_bytes = 5X
EOF

bad bad-duration 2 '[auditship] settle: "5 minutes" is not a duration' <<'EOF'
[auditship]
settle = 5 minutes
[destination d]
type = dir
path = /srv/a
EOF

bad bad-bool 5 '[destination h] verify: "maybe" is not a boolean (true/false, yes/no, on/off, 1/0)' <<'EOF'
[destination h]
type = http
url = https://x.test/api
auth = none
verify = maybe
EOF

bad bad-enum 3 '[destination s] transport: "sctp" must be one of: udp|tcp|tls|unix' <<'EOF'
[destination s]
type = syslog
transport = sctp
EOF

bad int-out-of-range 4 "[destination b] compress_level: 0 is out of range (1 to 9)" <<'EOF'
[destination b]
type = dir
path = /srv/a
compress_level = 0
EOF

bad http-without-url 1 "[destination h] url: missing (required for http)" <<'EOF'
[destination h]
type = http
auth = none
EOF

bad http-without-api-key 1 "[destination h] api_key: missing: set api_key, api_key_env or api_key_file (or auth = none)" <<'EOF'
[destination h]
type = http
url = https://x.test/api
EOF

bad s3-without-bucket 2 "[destination b] bucket: missing (required for s3)" <<'EOF'

[destination b]
type = s3
region = eu-west-1
EOF

bad s3-without-region 1 "[destination b] region: missing (required for s3)" <<'EOF'
[destination b]
type = s3
bucket = audit
EOF

bad dir-without-path 1 "[destination d] path: missing (required for dir)" <<'EOF'
[destination d]
type = dir
EOF

bad destination-without-type 1 "[destination d] type: missing (one of syslog, http, s3, dir, azblob, otlp, relp)" <<'EOF'
[destination d]
path = /srv/a
EOF

bad unknown-type 2 '[destination k] type: unknown destination type "kafka" (one of syslog, http, s3, dir, azblob, otlp, relp)' <<'EOF'
[destination k]
type = kafka
EOF

bad unset-var 3 "[destination d] path: environment variable AUDITSHIP_TEST_UNSET is not set" <<'EOF'
[destination d]
type = dir
path = ${AUDITSHIP_TEST_UNSET}/archive
EOF

bad duplicate-destination 4 "[destination d]: destination name appears twice (first on line 1)" <<'EOF'
[destination d]
type = dir
path = /srv/a
[destination d]
type = dir
path = /srv/b
EOF

bad duplicate-key 4 "[destination d] path: duplicate key (first set on line 3)" <<'EOF'
[destination d]
type = dir
path = /srv/a
path = /srv/b
EOF

bad object-lock-without-days 5 "[destination b] object_lock_mode: needs object_lock_retain_days" <<'EOF'
[destination b]
type = s3
bucket = audit
region = eu-west-1
object_lock_mode = COMPLIANCE
EOF

export AUDITSHIP_TEST_DD_KEY=dd-0123456789abcdef-env
bad api-key-and-api-key-env 5 "[destination h] api_key_env: api_key is set too (line 4): set only one of api_key, api_key_env, api_key_file" <<'EOF'
[destination h]
type = http
url = https://x.test/api
api_key = dd-0123456789abcdef-inline
api_key_env = AUDITSHIP_TEST_DD_KEY
EOF
assert_not_contains "$ERR$OUT" "0123456789abcdef" "api-key-and-api-key-env: no secret"

bad key-format-unknown-variable 5 "[destination b] key_format: unknown variable {month}" <<'EOF'
[destination b]
type = s3
bucket = audit
region = eu-west-1
key_format = {host}/{month}/{date}.gz
EOF

bad no-destination "" "no [destination NAME] section" <<'EOF'
[auditship]
settle = 10s
EOF

bad syntax-error 3 'syntax error: expected "[section]", "key = value" or a comment' <<'EOF'
[destination d]
type = dir
path /srv/a
EOF

# inih's default line limit is 200 bytes: a 3000-byte value loads, a line
# over LIM_CONF_LINE (8192) is refused by line number.
long=$(head -c 3000 /dev/zero | tr '\0' 'a')
printf '[destination d]\ntype = dir\npath = /srv/%s\n' "$long" >"$C/long-ok.ini"
run "$AUDITSHIP" -c "$C/long-ok.ini" check
assert_eq "$RC" 0 "long value: exit status (stderr: $ERR)"
assert_contains "$OUT" "path = /srv/$long" "long value printed whole"
pass "long-value"
huge=$(head -c 9000 /dev/zero | tr '\0' 'b')
{ printf '[destination d]\ntype = dir\n; %s\npath = /srv/a\n' "$huge"; } >"$C/long-line.ini"
run "$AUDITSHIP" -c "$C/long-line.ini" check
assert_eq "$RC" 2 "long line: exit status"
assert_contains "$ERR" "auditship: error: $C/long-line.ini:3: line too long (the limit is 8192 bytes)" "long line message"
pass "long-line"

# An inline secret in a group/other-readable file is refused (like ssh);
# the same file at 0600, or a 0644 file taking it from *_env / *_file, is
# fine.  The secret never appears in any output.
SECRET=s3cr3t-api-key-4f9a2c1e
cat >"$C/inline.ini" <<EOF
[destination h]
type = http
url = https://x.test/api
api_key = $SECRET
EOF
chmod 644 "$C/inline.ini"
run "$AUDITSHIP" -c "$C/inline.ini" check
assert_eq "$RC" 2 "0644 inline secret: exit status"
assert_contains "$ERR" "auditship: error: $C/inline.ini:4: [destination h] api_key: $C/inline.ini is readable by group/others (mode 644) and holds api_key; chmod 600 it or use api_key_env/api_key_file" "0644 inline secret message"
assert_not_contains "$OUT$ERR" "$SECRET" "0644 inline secret: no secret"
pass "group-readable-inline-secret"

printf '%s\n' "$SECRET" >"$C/dd.key"
chmod 600 "$C/dd.key"
cat >"$C/keyfile.ini" <<EOF
[destination h]
type = http
url = https://x.test/api
api_key_file = $C/dd.key

[destination lake]
type = s3
bucket = audit
region = eu-west-1
endpoint = http://127.0.0.1:9
access_key_id = AKIAEXAMPLE
secret_access_key_env = AUDITSHIP_TEST_S3_SECRET
EOF
chmod 644 "$C/keyfile.ini"
export AUDITSHIP_TEST_S3_SECRET=s3-secret-key-7d1e0b55aa

rm "$C/dd.key"
run "$AUDITSHIP" -c "$C/keyfile.ini" check
assert_eq "$RC" 2 "missing api_key_file: exit status"
assert_contains "$ERR" "auditship: error: $C/keyfile.ini:4: [destination h] api_key_file: open $C/dd.key: No such file or directory" "missing api_key_file message"
pass "missing-api-key-file"

unset AUDITSHIP_TEST_S3_SECRET
printf '%s\n' "$SECRET" >"$C/dd.key"
# Issue 11 item 6 (SPEC §4): only the running service needs the secret.
# check without --connect warns; check --connect and ship fail (exit 2);
# status reads no secret at all.
run "$AUDITSHIP" -c "$C/keyfile.ini" check
assert_eq "$RC" 0 "unset secret env, check: exit status ($ERR)"
assert_contains "$ERR" "auditship: warning: $C/keyfile.ini:12: [destination lake] secret_access_key_env: environment variable AUDITSHIP_TEST_S3_SECRET is not set" "unset secret env: a warning"
assert_contains "$OUT" "configuration ok" "unset secret env: check passes"
for cmd in "check --connect" ship; do
	run "$AUDITSHIP" -c "$C/keyfile.ini" $cmd
	assert_eq "$RC" 2 "unset secret env, $cmd: exit status"
	assert_contains "$ERR" "auditship: error: $C/keyfile.ini:12: [destination lake] secret_access_key_env: environment variable AUDITSHIP_TEST_S3_SECRET is not set" "unset secret env, $cmd: message"
done
rm "$C/dd.key"
run "$AUDITSHIP" -c "$C/keyfile.ini" status
assert_eq "$RC" 0 "status with the secrets unset and the key file gone ($ERR)"
pass "unset-secret-env"

# A missing file named with -c is an error, never the embedded default.
run "$AUDITSHIP" -c "$C/nonexistent.ini" check
assert_eq "$RC" 2 "missing file: exit status"
assert_contains "$ERR" "auditship: error: open $C/nonexistent.ini: No such file or directory" "missing file message"
pass "missing-file"

# $AUDITSHIP_CONFIG is the second place looked at (SPEC §1).
AUDITSHIP_CONFIG="$C/duplicate-key.ini" run "$AUDITSHIP" check
assert_eq "$RC" 2 "AUDITSHIP_CONFIG: exit status"
assert_contains "$ERR" "$C/duplicate-key.ini:4:" "AUDITSHIP_CONFIG is read"
pass "auditship-config-env"

# No file at all: the embedded default (SPEC §2.4).
if [ ! -e /etc/auditship/auditship.ini ]; then
	run "$AUDITSHIP" check
	assert_eq "$RC" 0 "embedded default: exit status (stderr: $ERR)"
	assert_contains "$OUT" "[destination archive]" "embedded default archive"
	assert_contains "$OUT" "path = $XDG_DATA_HOME/auditship/archive" "embedded archive path"
	assert_contains "$OUT" "dir = $HOME/.claude/audit" "embedded source dir"
	pass "embedded-default"
fi

# A bad config stops `ship` before anything ships.
mkdir -p "$HOME/.claude/audit"
gen_day "$HOME/.claude/audit/$(utc_day).jsonl" 5
cat >"$C/ship-bad.ini" <<EOF
[source]
dir = $HOME/.claude/audit
[destination d]
type = dir
path = $T/archive
upload = sometimes
EOF
run "$AUDITSHIP" -c "$C/ship-bad.ini" ship
assert_eq "$RC" 2 "ship with a bad config: exit status"
assert_contains "$ERR" "$C/ship-bad.ini:6: [destination d] upload: \"sometimes\" must be one of: chunk|daily" "ship with a bad config: message"
[ ! -e "$T/archive" ] || fail "ship with a bad config created $T/archive"
pass "bad-config-ships-nothing"

# `check` prints the resolved configuration with every secret masked.
# These need the http and s3 destinations' open() (check opens each one).
chmod 600 "$C/inline.ini"
run "$AUDITSHIP" -c "$C/inline.ini" check
assert_eq "$RC" 0 "0600 inline secret: exit status (stderr: $ERR)"
assert_contains "$OUT" "[destination h]" "check prints the destination"
assert_contains "$OUT" "api_key = ********" "check masks api_key"
assert_contains "$OUT" "auth_header = DD-API-KEY" "check prints defaults"
assert_contains "$OUT" "; default" "check marks defaults"
assert_not_contains "$OUT$ERR" "$SECRET" "0600 inline secret: no secret"
pass "check-masks-inline-secret"

printf '%s\n' "$SECRET" >"$C/dd.key"
export AUDITSHIP_TEST_S3_SECRET=s3-secret-key-7d1e0b55aa
run "$AUDITSHIP" -c "$C/keyfile.ini" check
assert_eq "$RC" 0 "0644 with *_file/*_env: exit status (stderr: $ERR)"
assert_contains "$OUT" "api_key_file = $C/dd.key" "check prints api_key_file"
assert_contains "$OUT" "secret_access_key_env = AUDITSHIP_TEST_S3_SECRET" "check prints the env name"
assert_not_contains "$OUT$ERR" "$SECRET" "api_key_file: no secret"
assert_not_contains "$OUT$ERR" "s3-secret-key-7d1e0b55aa" "secret_access_key_env: no secret"
pass "secrets-from-env-and-file"
