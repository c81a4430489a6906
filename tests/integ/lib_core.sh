# tests/integ/lib_core.sh - helpers for the core (dir destination) tests.

# core_setup: an audit dir, an archive, a state dir and a config using them.
core_setup() {
	SRC="$T/audit"; ARCH="$T/archive"; STATE="$T/state"
	mkdir -p "$SRC"
	CONF="$T/auditship.ini"
	cat >"$CONF" <<EOC
[auditship]
state_dir = $STATE
hostname = testhost
settle = ${CORE_SETTLE:-1s}
${CORE_EXTRA_GLOBAL:-}

[source]
dir = $SRC

[destination archive]
type = dir
path = $ARCH
${CORE_EXTRA_DEST:-}
EOC
	chmod 600 "$CONF"
}

# backdate FILE: make a past day's file look settled.
backdate() { touch -d '1 hour ago' "$1"; }

verify() { python3 "$SRC_DIR/tests/integ/verify_archive.py" "$@"; }

count_objects() { find "$1" -name '*.jsonl.gz' | wc -l; }
