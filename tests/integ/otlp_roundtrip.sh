#!/usr/bin/env bash
# otlp destination: a corpus through the strict OTLP receiver in each
# encoding (OTLP/JSON and protobuf) and body mode (raw, json), gzip and
# plain: every line once by its identity, bodies byte for byte (body =
# raw), attributes and times the event's own; a rerun sends nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/otlp_env.bash"

otlp_start
for variant in "json raw gzip" "json json none" "protobuf raw gzip" "protobuf json gzip"; do
	set -- $variant
	: >"$OTLP_REC"; : >"$OTLP_REC.requests"
	otlp_setup 2500 "encoding = $1" "body = $2" "compress = $3" "max_batch_events = 700"
	run "$AUDITSHIP" -c "$CONF" ship
	assert_eq "$RC" 0 "$variant: ship ($ERR)"
	run otlp_check --body "$2"
	echo "$OUT"
	assert_eq "$RC" 0 "$variant: what the receiver decoded"
	want_ct=application/json
	[ "$1" = protobuf ] && want_ct=application/x-protobuf
	assert_eq "$(otlp_requests ctype | sort -u)" "$want_ct" "$variant: Content-Type"
	want_gz=True
	[ "$3" = none ] && want_gz=False
	assert_eq "$(otlp_requests gzip | sort -u)" "$want_gz" "$variant: Content-Encoding"
	# 2503 events in batches of at most 700 (the empty line is skipped).
	assert_eq "$(otlp_requests records | tr '\n' ' ')" "700 700 700 403 " "$variant: batches"
	run "$AUDITSHIP" -c "$CONF" status --json
	assert_contains "$OUT" '"invalid_lines":2' "$variant: invalid lines counted"
	n=$(wc -l <"$OTLP_REC.requests")
	run "$AUDITSHIP" -c "$CONF" ship
	assert_eq "$RC" 0 "$variant: rerun"
	assert_eq "$(wc -l <"$OTLP_REC.requests")" "$n" "$variant: rerun sent nothing"
	pass "$variant: 2503 events once each, bodies and attributes exact"
done

# check --connect reaches the receiver; a closed port is named.
otlp_setup 1
run "$AUDITSHIP" -c "$CONF" check --connect
assert_eq "$RC" 0 "check --connect ($ERR)"
otlp_stop
run "$AUDITSHIP" -c "$CONF" check --connect
assert_eq "$RC" 1 "check --connect with the receiver down"
assert_contains "$ERR" "otel" "the destination is named"
pass "check --connect"
