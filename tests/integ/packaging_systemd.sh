#!/usr/bin/env bash
# packaging/systemd: the three units verify cleanly with systemd-analyze,
# their sandbox stays at the exposure level it was written for, ExecStart
# matches the CMake install prefix, and the one capability they keep
# (CAP_DAC_READ_SEARCH) is what root needs to ship other users' audit files
# - and enough for it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_core.sh"

UNITS="$SRC_DIR/packaging/systemd"
command -v systemd-analyze >/dev/null || fail "systemd-analyze missing (scripts/test installs the systemd package)"
for u in auditship.service auditship.timer auditship-follow.service; do
	[ -f "$UNITS/$u" ] || fail "missing $UNITS/$u"
done

# ExecStart names the binary where `cmake --install` puts it.
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD_DIR/CMakeCache.txt")
[ -n "$prefix" ] || fail "no CMAKE_INSTALL_PREFIX in $BUILD_DIR/CMakeCache.txt"
assert_eq "$(sed -n 's/^ExecStart=//p' "$UNITS/auditship.service")" "/usr/local/bin/auditship ship" "oneshot ExecStart"
assert_eq "$(sed -n 's/^ExecStart=//p' "$UNITS/auditship-follow.service")" "/usr/local/bin/auditship run" "follower ExecStart"
if [ "$prefix" = /usr/local ]; then
	pass "ExecStart matches the install prefix $prefix"
else
	echo "note: this build installs under $prefix; the units say /usr/local (README: override with a drop-in)"
fi

# verify needs ExecStart= to exist: point copies at the binary under test.
mkdir -p "$T/units"
cp "$UNITS"/auditship.service "$UNITS"/auditship.timer "$UNITS"/auditship-follow.service "$T/units/"
sed -i "s|/usr/local/bin/auditship|$AUDITSHIP|" "$T/units"/*.service
run systemd-analyze verify "$T/units/auditship.service" "$T/units/auditship.timer" \
	"$T/units/auditship-follow.service"
assert_eq "$RC" 0 "systemd-analyze verify ($ERR)"
assert_eq "$ERR$OUT" "" "systemd-analyze verify prints no warning"
pass "systemd-analyze verify: clean"

# The timer drives the oneshot every 5 minutes and catches up after downtime.
assert_file_contains "$UNITS/auditship.timer" "OnCalendar=*:0/5" "timer cadence"
assert_file_contains "$UNITS/auditship.timer" "Persistent=true" "timer persistence"
assert_file_contains "$UNITS/auditship.service" "SuccessExitStatus=75" "lock held is not a failure"
assert_file_contains "$UNITS/auditship-follow.service" 'ExecReload=/bin/kill -HUP $MAINPID' "reload is SIGHUP"

# The hardening must not erode: offline exposure at most 2.5 ("OK"; the
# --threshold scale is ten times the printed one).
for u in auditship.service auditship-follow.service; do
	run systemd-analyze security --offline=true --threshold=25 "$T/units/$u"
	level=$(grep -o "Overall exposure level for $u: .*" <<<"$OUT" || true)
	assert_eq "$RC" 0 "$u exposure over 2.5: $level"
	assert_contains "$level" " OK" "$u exposure"
	pass "$level"
done

# What the bounding set CapabilityBoundingSet=CAP_DAC_READ_SEARCH leaves
# root with, reproduced with setpriv: after execve root holds exactly the
# bounding set.  Only root can drop to it, and only root's run matters here.
if [ "$(id -u)" -ne 0 ]; then
	echo "note: not root: the capability check needs root and was not run"
	exit 0
fi
command -v setpriv >/dev/null || fail "setpriv missing (util-linux)"
core_setup
rmdir "$SRC"
sed -i "s|^dir = .*|dir = $T/home/*/.claude/audit|" "$CONF"
D=$(utc_day '2 days ago')
for u in 1 2; do
	a="$T/home/user$u/.claude/audit"
	mkdir -p "$a"
	gen_day "$a/$D.jsonl" 40 "$u"
	backdate "$a/$D.jsonl"
	# As auditship hook leaves them: dirs 0700, files 0600, the user's own.
	chmod 700 "$a" "$T/home/user$u" "$T/home/user$u/.claude"
	chmod 600 "$a/$D.jsonl"
	chown -R $((61000 + u)):$((61000 + u)) "$T/home/user$u"
done
chmod 755 "$T/home"

# Without it root cannot even search the users' 0700 directories: nothing
# ships.  (The exit status is left alone here: glob(3) skips directories it
# cannot search, so today that run exits 0 having found no stream.)
run setpriv --bounding-set=-all --inh-caps=-all --no-new-privs "$AUDITSHIP" -c "$CONF" ship
assert_eq "$(find "$T" -path "$ARCH/*" -name '*.jsonl.gz' | wc -l)" 0 \
	"root without any capability reads no other user's audit file (rc $RC, $ERR)"
run setpriv --bounding-set=-all,+dac_read_search --inh-caps=-all --no-new-privs "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 0 "root with CAP_DAC_READ_SEARCH only ships every user ($ERR)"
for u in 1 2; do
	n=$(zcat "$ARCH"/testhost/$((61000 + u))/*/*/*/"$D".*.jsonl.gz | wc -l)
	assert_eq "$n" 40 "user$u lines archived"
done
assert_eq "$(stat -c %a "$STATE/state")" 600 "state written 0600"
pass "CAP_DAC_READ_SEARCH is needed, and enough, to ship other users' files as root"
