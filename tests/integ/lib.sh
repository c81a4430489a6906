# tests/integ/lib.sh - shared helpers for integration tests (sourced).
#
# Each test script: `. "$(dirname "$0")/lib.sh"`, then uses $AUDITSHIP (the
# binary, set by ctest), a private $T directory removed at exit, and the
# assertions below.  A failed assertion prints what differed and exits 1.
# Servers a test starts are registered with `on_exit "command"` so they are
# stopped whatever happens.
set -euo pipefail

: "${AUDITSHIP:?AUDITSHIP must point at the binary (ctest sets it)}"
: "${SRC_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
FIXTURES_DIR="$SRC_DIR/tests/fixtures"

T=$(mktemp -d "${TMPDIR:-/tmp}/auditship-test.XXXXXX")
chmod 700 "$T"
_on_exit_cmds=()
on_exit() { _on_exit_cmds+=("$1"); }
_cleanup() {
	local rc=$? i
	for ((i=${#_on_exit_cmds[@]}-1; i>=0; i--)); do
		eval "${_on_exit_cmds[$i]}" >/dev/null 2>&1 || true
	done
	if [ "$rc" -eq 0 ] || [ -z "${KEEP_TMP:-}" ]; then rm -rf "$T"; else echo "kept $T" >&2; fi
}
trap _cleanup EXIT

# Isolate from the user's environment: HOME and XDG dirs inside $T.
export HOME="$T/home" XDG_STATE_HOME="$T/home/.local/state" XDG_DATA_HOME="$T/home/.local/share"
mkdir -p "$HOME"
unset AUDITSHIP_CONFIG

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }
assert_eq() { [ "$1" == "$2" ] || fail "$3: expected [$2], got [$1]"; }
assert_contains() { grep -qF -- "$2" <<<"$1" || fail "$3: [$2] not found in: $1"; }
assert_not_contains() { ! grep -qF -- "$2" <<<"$1" || fail "$3: [$2] must not appear in: $1"; }
assert_file_contains() { grep -qF -- "$2" "$1" || fail "$3: [$2] not in $1"; }

# run_as VAR_RC VAR_OUT VAR_ERR -- cmd...: capture exit code, stdout, stderr.
run() {
	set +e
	"$@" >"$T/.out" 2>"$T/.err"
	RC=$?
	set -e
	OUT=$(cat "$T/.out")
	ERR=$(cat "$T/.err")
}

# A free TCP port on 127.0.0.1 (bind port 0, as curl's servers.pm does).
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for "description" seconds command...: poll until command succeeds.
wait_for() {
	local what=$1 secs=$2 i
	shift 2
	for ((i=0; i<secs*10; i++)); do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.1
	done
	fail "timed out after ${secs}s waiting for $what"
}

# gen_day FILE N [SEED]: N realistic audit lines appended to FILE.
gen_day() {
	python3 "$SRC_DIR/tests/integ/gen_audit.py" --lines "$2" --seed "${3:-1}" >>"$1"
}

# today/yesterday in UTC, as daily file names use by default.
utc_day() { date -u -d "${1:-now}" +%Y-%m-%d; }
