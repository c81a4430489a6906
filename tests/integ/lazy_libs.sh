#!/usr/bin/env bash
# libcurl and librelp (and the 25 libraries they bring) are opened at their
# first use, not at start (src/io/lazylib.h): a ship to a dir destination
# loads neither; an http destination loads libcurl and still delivers; a
# relp destination loads librelp and still delivers.  The dynamic loader
# itself tells (LD_DEBUG=files lists every object it opens).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_env.inc"
. "$(dirname "$0")/relp_rsyslogd.bash"

loaded() { grep -o 'file=[^ ]*' "$1" | sed 's/^file=//' | sort -u | tr '\n' ' '; }

# 1. dir: neither library is opened.
DAY=$(utc_day yesterday)
mkdir -p "$T/audit"
gen_day "$T/audit/$DAY.jsonl" 50 3
touch -d '2 days ago' "$T/audit/$DAY.jsonl"
printf '[auditship]\nstate_dir = %s\nhostname = h\nsettle = 1s\n\n[source]\ndir = %s\n\n[destination a]\ntype = dir\npath = %s\n' \
	"$T/state-dir" "$T/audit" "$T/archive" >"$T/dir.ini"
chmod 600 "$T/dir.ini"
LD_DEBUG=files "$AUDITSHIP" -c "$T/dir.ini" ship 2>"$T/dir.ld" || fail "ship to dir failed: $(grep -v 'file=\|^ *[0-9]*:' "$T/dir.ld")"
libs=$(loaded "$T/dir.ld")
assert_contains "$libs" "libcrypto" "the loader's list is read (libcrypto is linked)"
assert_not_contains "$libs" "libcurl" "a dir ship opens no libcurl"
assert_not_contains "$libs" "librelp" "a dir ship opens no librelp"
assert_not_contains "$libs" "libgnutls" "nor what they bring"
assert_eq "$(find "$T/archive" -name '*.jsonl.gz' | wc -l)" 1 "the day was archived"

# 2. http: libcurl is opened at the first client and the events arrive.
start_intake dd
SRC="$T/audit"
http_conf "$T/http.ini" "ca_file = $T/certs/ca.pem"
sed -i "s#^dir = .*#dir = $T/audit#; s#^state_dir = .*#state_dir = $T/state-http#" "$T/http.ini"
LD_DEBUG=files "$AUDITSHIP" -c "$T/http.ini" ship 2>"$T/http.ld" || fail "ship to http failed: $(grep -v '^ *[0-9]*:' "$T/http.ld")"
libs=$(loaded "$T/http.ld")
assert_contains "$libs" "libcurl.so" "an http ship opens libcurl"
assert_not_contains "$libs" "librelp" "but not librelp"
assert_eq "$(wc -l <"$INTAKE_REC")" 50 "every event reached the intake"

# 3. relp: librelp is opened by the destination and rsyslogd receives.
relp_start tcp
relp_setup "address = 127.0.0.1:$RS_PORT"
LD_DEBUG=files "$AUDITSHIP" -c "$CONF" ship 2>"$T/relp.ld" || fail "ship to relp failed: $(grep -v '^ *[0-9]*:' "$T/relp.ld")"
libs=$(loaded "$T/relp.ld")
assert_contains "$libs" "librelp.so" "a relp ship opens librelp"
assert_not_contains "$libs" "libcurl" "but not libcurl"
wait_for "50 lines at rsyslogd" 20 bash -c "[ \$(wc -l <'$RS_OUT' 2>/dev/null || echo 0) -ge 50 ]"
pass "libcurl and librelp opened only by the destinations that use them"
