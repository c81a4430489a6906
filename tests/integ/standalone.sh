#!/usr/bin/env bash
# standalone.sh - the repository stands alone: nothing in it refers to the
# directory beside it or to the place the contract was first kept.  The
# patterns are built from pieces so that this file does not match itself;
# nothing else is excluded.
. "$(dirname "$0")/lib.sh"
command -v git >/dev/null || fail "git missing"
git -C "$SRC_DIR" rev-parse --git-dir >/dev/null 2>&1 || fail "$SRC_DIR is not a git checkout"
up='..'; sh='shared'; w='/work'
pat1="$up/$sh"
pat2="$w/$sh"
# Tracked files and files not yet committed (but not ignored ones).
run git -C "$SRC_DIR" grep -n -I -F --untracked -e "$pat1" -e "$pat2"
[ "$RC" -le 1 ] || fail "git grep failed: $ERR"
[ -z "$OUT" ] || fail "references outside the repository:
$OUT"
# The check itself can fail: a file that holds the pattern is found.
mkdir -p "$T/repo" && git -C "$T/repo" init -q
printf 'see %s/SPEC.md\n' "$pat1" >"$T/repo/x.md"
run git -C "$T/repo" grep -n -I -F --untracked -e "$pat1" -e "$pat2"
assert_contains "$OUT" "x.md:1" "the grep finds a planted reference"
pass "no reference to a path outside the repository"

# The committed tree alone, in an empty directory with nothing beside it,
# configures (every file CMake and the tests name is inside it).
mkdir -p "$T/empty/clone"
git -C "$SRC_DIR" archive HEAD | tar -x -C "$T/empty/clone"
run cmake -S "$T/empty/clone" -B "$T/empty/clone/build" -DCMAKE_BUILD_TYPE=Release
assert_eq "$RC" 0 "cmake configure of the tree alone: $ERR"
for f in scripts/test scripts/demo scripts/package tests/fixtures/ceph-rgw.sh docs/SPEC.md; do
	[ -e "$T/empty/clone/$f" ] || fail "$f is not in the committed tree"
done
pass "the committed tree configures alone in an empty directory"
