#!/usr/bin/env bash
# examples_check.sh - every configuration shipped as an example
# (conf/examples/*.ini, installed under /usr/share/doc/auditship/examples),
# the default configuration (conf/auditship.ini, /etc/auditship/auditship.ini
# in the package) and every ```ini block of the README is accepted by
# `auditship check` as written; the managed-settings example is exactly
# what `auditship install-hook --managed` writes.
. "$(dirname "$0")/lib.sh"
: "${AUDITSHIP_HOOK:?ctest sets AUDITSHIP_HOOK}"
# The Datadog examples name their key by variable (api_key_env): the
# service has it from /etc/auditship/env; give check one.
export DD_API_KEY=0123456789abcdef0123456789abcdef
# (Azurite's published development key: base64, as Azure's are.)
export AZURE_STORAGE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
n=0
for f in "$SRC_DIR"/conf/examples/*.ini "$SRC_DIR/conf/auditship.ini"; do
	run "$AUDITSHIP" -c "$f" check
	assert_eq "$RC" 0 "check $(basename "$f"): $ERR"
	n=$((n + 1))
done
[ "$n" -ge 5 ] || fail "only $n example files"
for t in datadog-eu s3-object-lock syslog-tls dir azblob-immutable relp-rsyslog otlp-collector; do
	[ -f "$SRC_DIR/conf/examples/$t.ini" ] || fail "missing example $t.ini"
done
grep -q '^object_lock_mode = COMPLIANCE' "$SRC_DIR/conf/examples/s3-object-lock.ini" || fail "s3 example without COMPLIANCE"
grep -q '^url = https://http-intake.logs.datadoghq.eu/' "$SRC_DIR/conf/examples/datadog-eu.ini" || fail "datadog example not on the EU site"
grep -q '^transport = tls' "$SRC_DIR/conf/examples/syslog-tls.ini" || fail "syslog example not over TLS"
pass "$n example configurations pass auditship check"

# The README's ini blocks, saved as an operator would save a config that
# may hold a credential header: mode 0600.
(umask 077; python3 - "$SRC_DIR/README.md" "$T/readme" <<'PY'
import os, re, sys
text = open(sys.argv[1]).read()
os.makedirs(sys.argv[2])
for i, b in enumerate(re.findall(r"```ini\n(.*?)```", text, re.S)):
    open(os.path.join(sys.argv[2], "%02d.ini" % i), "w").write(b)
PY
)
m=0
for f in "$T"/readme/*.ini; do
	[ -e "$f" ] || break
	run "$AUDITSHIP" -c "$f" check
	assert_eq "$RC" 0 "README ini block $(basename "$f"): $ERR
$(cat "$f")"
	m=$((m + 1))
done
[ "$m" -ge 3 ] || fail "only $m ini blocks in the README"
pass "$m README configuration blocks pass auditship check"

# The managed drop-in offered as an example = what install-hook writes.
mkdir -p "$T/bin"
cp "$AUDITSHIP_HOOK" "$T/bin/auditship-hook"
run "$AUDITSHIP" install-hook --managed --root "$T/root" --hook "$T/bin/auditship-hook"
assert_eq "$RC" 0 "install-hook --managed: $ERR"
sed "s|@AUDITSHIP_BINDIR@|$T/bin|" "$SRC_DIR/packaging/managed-settings/50-auditship.json.in" >"$T/want.json"
cmp -s "$T/want.json" "$T/root/etc/claude-code/managed-settings.d/50-auditship.json" ||
	fail "packaging/managed-settings/50-auditship.json.in differs from install-hook --managed"
pass "the managed-settings example is what install-hook --managed writes"
