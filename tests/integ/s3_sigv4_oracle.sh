#!/usr/bin/env bash
# Our SigV4 signer against botocore's on random S3 requests (a fresh seed
# each run, printed so a failure can be replayed:
#   /usr/bin/python3 tests/integ/sigv4_oracle.py build/test_sigv4 2000 SEED).
. "$(dirname "$0")/lib.sh"
: "${BUILD_DIR:?BUILD_DIR must point at the build directory (ctest sets it)}"
[ -x "$BUILD_DIR/test_sigv4" ] || fail "$BUILD_DIR/test_sigv4 not built"
/usr/bin/python3 -c 'import botocore' || fail "python3-botocore is missing (scripts/test installs it)"
run /usr/bin/python3 "$SRC_DIR/tests/integ/sigv4_oracle.py" "$BUILD_DIR/test_sigv4" 2000
echo "$OUT"
assert_eq "$RC" 0 "signatures differ from botocore's ($ERR)"
assert_contains "$OUT" "2000 requests, 0 mismatches" "oracle summary"
pass "2000 random requests signed exactly as botocore signs them"
