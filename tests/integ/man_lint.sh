#!/usr/bin/env bash
# man_lint.sh - the man pages are clean for mandoc (no warning), render
# with man(1), and are complete: every command and option of SPEC §1 is in
# auditship(1), and every key the configuration tables accept (read from
# the binary: `auditship check --list-keys`) is documented in
# auditship.ini(5) under its own section or destination type.
. "$(dirname "$0")/lib.sh"
command -v mandoc >/dev/null || fail "mandoc missing (scripts/test installs it)"
M="$SRC_DIR/man"
for p in auditship.1 auditship-hook.1 auditship.ini.5; do
	[ -f "$M/$p" ] || fail "missing man/$p"
	run mandoc -T lint -W warning "$M/$p"
	assert_eq "$RC" 0 "mandoc -T lint $p: $OUT$ERR"
	assert_eq "$OUT$ERR" "" "mandoc -T lint $p prints nothing"
	run env MANWIDTH=80 man -l "$M/$p"
	assert_eq "$RC" 0 "man -l $p"
	assert_eq "$ERR" "" "man -l $p: no warning"
done
pass "mandoc -T lint: clean; man -l renders"

# The checks below must be able to fail: a page missing a command or a key
# is caught (run them on a copy with one item removed).
check_pages() { # check_pages DIR_OF_PAGES: prints what is missing
	python3 - "$1" "$SRC_DIR/docs/SPEC.md" "$T/keys" <<'PY'
import re, sys
man, spec, keys = sys.argv[1:]
page = open(man + "/auditship.1").read()
missing = []
# SPEC §1's command block.
sec = spec_text = open(spec).read()
block = re.search(r"## 1\. Command line\n+```\n(.*?)```", spec_text, re.S).group(1)
items = [l for l in re.findall(r"^\.It Cm (\S+)", page, re.M)]
for line in block.splitlines():
    line = line.split("#")[0]
    m = re.match(r"auditship (?:\[-c FILE\] )?(\S+)", line)
    if not m or m.group(1).startswith("-"):
        continue
    cmd = m.group(1)
    if cmd.replace("-", "\\-") not in items:
        missing.append("command " + cmd)
    for opt in re.findall(r"(--[a-z-]+|-o)\b", line):
        if "Fl " + opt[1:].replace("-", "\\-") not in page:
            missing.append("option %s of %s" % (opt, cmd))
for opt in ("--version", "--help", "-c"):
    if "Fl " + opt[1:].replace("-", "\\-") not in page:
        missing.append("option " + opt)
# Keys: each in an .It line of its own section.
ini = open(man + "/auditship.ini.5").read()
def part(title):
    m = re.search(r"^\.S[hs] " + re.escape(title) + r"\n(.*?)(?=^\.S[hs] )", ini, re.S | re.M)
    return m.group(1) if m else ""
def documented(text, key):
    for l in re.findall(r"^\.It (.*)$", text, re.M):
        toks = re.split(r"[\s,|]+", l.replace("\\-", "-"))
        if key in toks:
            return True
    return False
common = part("DESTINATIONS")
for line in open(keys):
    section, key = line.split()[:2]
    if section == "auditship":
        text = part("THE [auditship] SECTION")
    elif section == "source":
        text = part("THE [source] SECTION")
    else:
        text = part("type = " + section.split(":", 1)[1])
        if key in ("type", "seal") and re.search(r"\bCm %s\b" % key, common):
            continue
    if not documented(text, key):
        missing.append("key [%s] %s" % (section, key))
print("\n".join(missing))
PY
}
"$AUDITSHIP" check --list-keys >"$T/keys"
[ "$(wc -l <"$T/keys")" -gt 40 ] || fail "check --list-keys listed too few keys"
grep -q '^auditship prune_after ' "$T/keys" || fail "prune_after is not a key"
run check_pages "$M"
assert_eq "$RC" 0 "checker ran"
assert_eq "$OUT" "" "missing from the man pages"
pass "every SPEC §1 command and option in auditship(1), every key in auditship.ini(5)"

mkdir -p "$T/cut"
cp "$M"/* "$T/cut/"
sed -i '/^\.It Cm prune$/d' "$T/cut/auditship.1"
sed -i 's/^\.It Cm multipart_threshold No.*$/.It Cm something_else/' "$T/cut/auditship.ini.5"
run check_pages "$T/cut"
assert_contains "$OUT" "command prune" "a missing command is caught"
assert_contains "$OUT" "key [destination:s3] multipart_threshold" "a missing key is caught"
pass "the completeness check catches a missing command and a missing key"
