# tests/integ/otlp_env.bash - helpers for the otlp destination tests
# (sourced after lib.sh; not a test itself).
#
# otlp_start [receiver options...]: the strict receiver (otlp_receiver.py)
#   on a free port; sets OTLP_PORT, OTLP_URL (no path: the destination adds
#   /v1/logs), OTLP_REC (records), OTLP_PID.  otlp_stop stops it.
# otlp_setup LINES [DEST_LINES...]: an audit dir with a closed day of LINES
#   generated lines plus an invalid and an empty line, a state dir, and a
#   config with one [destination otlp] pointing at the receiver (seal =
#   false unless OTLP_SEAL=true).
# otlp_check [options...]: otlp_check.py against the day files.
OTLP_PY="$SRC_DIR/tests/integ/otlp_receiver.py"

otlp_start() {
	OTLP_PORT=$(free_port)
	OTLP_REC="$T/otlp.$OTLP_PORT.jsonl"
	: >"$OTLP_REC"
	python3 "$OTLP_PY" --port "$OTLP_PORT" --record "$OTLP_REC" "$@" \
		2>"$T/otlp.$OTLP_PORT.stderr" &
	OTLP_PID=$!
	on_exit "kill $OTLP_PID"
	OTLP_URL="http://127.0.0.1:$OTLP_PORT"
	wait_for "otlp receiver" 10 curl -sf "$OTLP_URL/ready"
}

otlp_stop() { kill "$OTLP_PID" 2>/dev/null || true; wait "$OTLP_PID" 2>/dev/null || true; }

otlp_setup() {
	local lines=$1
	shift
	SRC="$T/audit"; STATE="$T/state"; CONF="$T/auditship.ini"
	rm -rf "$SRC" "$STATE"
	mkdir -p "$SRC"
	DAY=$(utc_day yesterday)
	gen_day "$SRC/$DAY.jsonl" "$lines" 7
	# A truncated write, invalid UTF-8 and an empty line (SPEC §3.3).
	printf '{"ts":"2026-11-20T00:00:00Z","tool_na\n\xff\xfeoops\n\n{"k":"\\u00e9\\ud83d\\ude00"}\n' >>"$SRC/$DAY.jsonl"
	touch -d '1 hour ago' "$SRC/$DAY.jsonl"
	{
		printf '[auditship]\nstate_dir = %s\nhostname = testhost\nsettle = 1s\n\n' "$STATE"
		printf '[source]\ndir = %s\n\n[destination otel]\ntype = otlp\nurl = %s\n' "$SRC" "$OTLP_URL"
		# These tests count exact records; seal records (SPEC §7) are
		# tested by seal_records_relp_otlp.sh (OTLP_SEAL=true).
		printf 'seal = %s\n' "${OTLP_SEAL:-false}"
		printf '%s\n' "$@"
	} >"$CONF"
	chmod 600 "$CONF"
}

otlp_check() {
	python3 "$SRC_DIR/tests/integ/otlp_check.py" "$OTLP_REC" --host testhost \
		--user "$(id -un)" "$@" "$SRC/$DAY.jsonl"
}

# otlp_requests FIELD: that field of every logged request, one per line.
otlp_requests() {
	python3 -c 'import json,sys
for l in open(sys.argv[1]): print(json.loads(l).get(sys.argv[2]))' "$OTLP_REC.requests" "$1"
}
