#!/usr/bin/env bash
# packaging_deb.sh - the Debian package: scripts/package builds
# auditship_VERSION_ARCH.deb, lintian finds no error, `dpkg -i` installs it
# on this machine and the installed product works (binary, man pages,
# units, config, examples, bash completion, install-hook --managed on a
# scratch root); `dpkg -r` keeps only the conffile and the state, and
# `dpkg --purge` leaves nothing.  It installs into the real /usr and /etc,
# so it refuses to run over an auditship it did not install, and purges
# the package at exit whatever happens.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || fail "needs root (dpkg -i)"
for t in dpkg-buildpackage dh lintian fakeroot systemd-analyze man; do
	command -v "$t" >/dev/null || fail "$t missing (scripts/test installs it)"
done
if dpkg-query -W -f='${Status}' auditship 2>/dev/null | grep -q 'ok installed\|config-files'; then
	fail "an auditship package is already installed here; not touching it"
fi
for f in /usr/bin/auditship /usr/bin/auditship-hook /etc/auditship /var/lib/auditship; do
	[ ! -e "$f" ] || fail "$f exists and is not from the package; not touching it"
done

# --- build: one Release build from a copy of the tree.  The normal and
# the ASan test runs would build the very same package (it does not use
# the binary under test): it is kept under build/package-cache/, keyed by
# the hash of every file scripts/package copies, and built once per tree.
t0=$(date +%s)
tree_hash=$(cd "$SRC_DIR" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 sha256sum 2>/dev/null | sha256sum | cut -c1-16)
cache="$SRC_DIR/build/package-cache/$tree_hash"
if ! ls "$cache"/auditship_*.deb >/dev/null 2>&1; then
	rm -rf "$SRC_DIR/build/package-cache"
	run "$SRC_DIR/scripts/package" "$cache"
	assert_eq "$RC" 0 "scripts/package: $ERR"
fi
deb=$(ls "$cache"/auditship_*.deb)
version=$(dpkg-parsechangelog -l "$SRC_DIR/debian/changelog" -S Version)
assert_eq "$(basename "$deb")" "auditship_${version}_$(dpkg-architecture -qDEB_HOST_ARCH).deb" "package file name"
[ -z "$(git -C "$SRC_DIR" status --porcelain --ignored=no -- debian 2>/dev/null | grep -v '^??' || true)" ] ||
	fail "the package build changed files under debian/"
echo "built $(basename "$deb") in $(( $(date +%s) - t0 )) s"

run lintian --fail-on error "$deb"
assert_eq "$RC" 0 "lintian errors: $OUT"
assert_not_contains "$OUT" "E: " "lintian: no error"
pass "scripts/package builds $(basename "$deb"); lintian: no error ($(grep -c '^W: ' <<<"$OUT" || true) warnings)"

# libcurl and librelp are dlopen()ed (src/io/lazylib.h): the package must
# still depend on them, and dpkg-shlibdeps cannot see them.
deps=$(dpkg-deb -f "$deb" Depends)
assert_contains "$deps" "libcurl4" "Depends names libcurl4"
assert_contains "$deps" "librelp0" "Depends names librelp0"
assert_contains "$deps" "libssl3" "and the linked libraries (shlibs)"

# --- install on this machine; purged at exit whatever happens.
on_exit "dpkg --purge auditship"
run dpkg -i "$deb"
assert_eq "$RC" 0 "dpkg -i: $ERR"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|; s|/$||' | grep -v '^$' >"$T/files"
assert_eq "$(/usr/bin/auditship --version)" "auditship $version" "installed auditship --version"
assert_eq "$(/usr/bin/auditship-hook --version </dev/null)" "auditship-hook $version" "installed auditship-hook --version"
for p in auditship auditship-hook; do
	assert_eq "$(man -w "$p")" "/usr/share/man/man1/$p.1.gz" "man -w $p"
done
assert_eq "$(man -w 5 auditship.ini)" "/usr/share/man/man5/auditship.ini.5.gz" "man -w 5 auditship.ini"
run env MANWIDTH=80 man 5 auditship.ini
assert_contains "$OUT" "prune_after" "man auditship.ini renders"
pass "installed: auditship --version, auditship-hook --version, man -w"

unitdir=$(pkg-config systemd --variable=systemdsystemunitdir)
for u in auditship.service auditship.timer auditship-follow.service; do
	[ -f "$unitdir/$u" ] || fail "$unitdir/$u not installed"
done
assert_eq "$(sed -n 's/^ExecStart=//p' "$unitdir/auditship.service")" "/usr/bin/auditship -c /etc/auditship/auditship.ini ship" "installed ExecStart"
run systemd-analyze verify "$unitdir/auditship.service" "$unitdir/auditship.timer" "$unitdir/auditship-follow.service"
assert_eq "$RC" 0 "systemd-analyze verify: $ERR"
assert_eq "$OUT$ERR" "" "systemd-analyze verify prints nothing"
[ -L /etc/systemd/system/timers.target.wants/auditship.timer ] || fail "the timer is not enabled"
[ ! -e /etc/systemd/system/multi-user.target.wants/auditship-follow.service ] || fail "the follower was enabled"
pass "units in $unitdir verify; the timer is enabled, the follower is not"

assert_eq "$(stat -c %a /var/lib/auditship)" 700 "/var/lib/auditship mode"
dpkg-query --control-show auditship conffiles >"$T/conffiles" 2>/dev/null ||
	cat /var/lib/dpkg/info/auditship.conffiles >"$T/conffiles"
assert_contains "$(cat "$T/conffiles")" "/etc/auditship/auditship.ini" "the config is a conffile"
run /usr/bin/auditship check
assert_eq "$RC" 0 "auditship check on the installed config: $ERR"
assert_contains "$OUT" "/etc/auditship/auditship.ini" "check read /etc/auditship/auditship.ini"
export DD_API_KEY=0123456789abcdef0123456789abcdef
export AZURE_STORAGE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
n=0
for f in /usr/share/doc/auditship/examples/*.ini; do
	run /usr/bin/auditship -c "$f" check
	assert_eq "$RC" 0 "check $f: $ERR"
	n=$((n + 1))
done
[ "$n" -ge 4 ] || fail "only $n examples installed"
run bash -c '. /usr/share/bash-completion/completions/auditship && complete -p auditship auditship-hook'
assert_eq "$RC" 0 "bash completion loads: $ERR"
pass "config checks; $n examples check; bash completion loads"

# --- install-hook --managed on a scratch root: the installed appender,
# the same bytes as the example; --uninstall removes it.
run /usr/bin/auditship install-hook --managed --root "$T/root"
assert_eq "$RC" 0 "install-hook --managed: $ERR"
M="$T/root/etc/claude-code/managed-settings.d/50-auditship.json"
cmp -s "$M" /usr/share/doc/auditship/examples/50-auditship.json ||
	fail "install-hook --managed differs from the packaged example"
assert_contains "$(cat "$M")" '"/usr/bin/auditship-hook"' "the installed appender"
assert_eq "$(stat -c %a "$M")" 644 "managed drop-in mode"
run /usr/bin/auditship install-hook --managed --root "$T/root" --uninstall
assert_eq "$RC" 0 "install-hook --managed --uninstall"
[ ! -e "$M" ] || fail "--uninstall left the drop-in"
[ ! -e /etc/claude-code/managed-settings.d/50-auditship.json ] || fail "the real /etc was touched"
pass "install-hook --managed / --uninstall on a scratch root"

# --- state made by a real run, then remove: conffile and state stay.
run /usr/bin/auditship ship
assert_eq "$RC" 0 "ship with the installed config: $ERR"
[ -e /var/lib/auditship/state ] || [ -e /var/lib/auditship/lock ] || fail "ship left no state"
run dpkg -r auditship
assert_eq "$RC" 0 "dpkg -r: $ERR"
left=$(while read -r f; do if [ -e "$f" ] && [ ! -d "$f" ]; then echo "$f"; fi; done <"$T/files")
assert_eq "$left" "/etc/auditship/auditship.ini" "after dpkg -r only the conffile is left of the package's files"
[ -d /var/lib/auditship ] && [ -n "$(ls -A /var/lib/auditship)" ] || fail "dpkg -r removed the state"
[ ! -e /usr/bin/auditship ] || fail "/usr/bin/auditship left"
pass "dpkg -r keeps the conffile and the state, nothing else"

run dpkg --purge auditship
assert_eq "$RC" 0 "dpkg --purge: $ERR"
for f in /etc/auditship /var/lib/auditship /etc/systemd/system/timers.target.wants/auditship.timer; do
	[ ! -e "$f" ] && [ ! -L "$f" ] || fail "$f left after --purge"
done
left=$(while read -r f; do if [ -e "$f" ] && [ ! -d "$f" ]; then echo "$f"; fi; done <"$T/files")
assert_eq "$left" "" "after --purge no file of the package is left"
dpkg-query -W -f='${Status}' auditship 2>/dev/null | grep -q 'not-installed\|^$' ||
	[ -z "$(dpkg-query -W -f='${Status}' auditship 2>/dev/null)" ] || fail "dpkg still knows auditship"
pass "dpkg --purge leaves nothing"
