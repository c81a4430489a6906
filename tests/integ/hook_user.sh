#!/usr/bin/env bash
# hook_user.sh - the line's "user" is the login name of the hook's uid,
# read from /etc/passwd without NSS (no LDAP/sssd wait); a uid only a
# directory service knows falls back to $USER / $LOGNAME, then the number.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || fail "this test needs root (setpriv)"
chmod 711 "$T"
day=$(date -u +%F)

user_of() {	# user_of UID ENV... : the "user" the hook records
	local d="$T/u$1$RANDOM"
	mkdir -m 777 "$d"
	echo '{"hook_event_name":"Stop"}' |
		setpriv --reuid="$1" --regid="$1" --clear-groups env -u USER -u LOGNAME "${@:2}" \
		"$AUDITSHIP" hook --dir "$d/a" || fail "hook as uid $1"
	python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read())["user"])' "$d/a/$day.jsonl"
}

assert_eq "$(user_of 0)" "$(getent passwd 0 | cut -d: -f1)" "uid 0 from /etc/passwd"
assert_eq "$(user_of 65534 USER=spoofed)" "$(getent passwd 65534 | cut -d: -f1)" "/etc/passwd wins over \$USER"
assert_eq "$(user_of 54321 USER=ann.ldap)" "ann.ldap" "directory user: \$USER"
assert_eq "$(user_of 54321 LOGNAME=bob.ldap)" "bob.ldap" "directory user: \$LOGNAME"
assert_eq "$(user_of 54321)" "54321" "no name at all: the uid"
pass "user: /etc/passwd name, else \$USER/\$LOGNAME, else the uid"
