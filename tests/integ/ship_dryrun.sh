#!/usr/bin/env bash
# `ship --dry-run` (issue 11 item 7; format in README "Dry run"): per
# destination and day what would go (range, bytes, lines, objects) and what
# is held back and why (a day waiting to settle or not over for upload =
# daily, an open day's fragment waiting for its newline), a total per
# destination, a note when its last run failed; with --from-start the days
# already shipped again from 0.  A dry run ships nothing and changes no state.
. "$(dirname "$0")/lib.sh"

SRC="$T/audit"; mkdir -p "$SRC"
PAST=$(utc_day '3 days ago'); RECENT=$(utc_day '1 day ago'); TODAY=$(utc_day)
gen_day "$SRC/$PAST.jsonl" 100 1
gen_day "$SRC/$RECENT.jsonl" 40 2
gen_day "$SRC/$TODAY.jsonl" 30 3
printf '{"tail":"no newline yet"' >>"$SRC/$TODAY.jsonl"
touch -d '3 hours ago' "$SRC/$PAST.jsonl"	# settled (settle = 1h)
touch -d '10 minutes ago' "$SRC/$RECENT.jsonl"	# over, not settled yet
CLOSED=$(free_port)
CONF="$T/c.ini"
cat >"$CONF" <<EOC
[auditship]
state_dir = $T/state
hostname = testhost
settle = 1h

[source]
dir = $SRC

[destination daily]
type = dir
path = $T/daily
upload = daily

[destination chunks]
type = dir
path = $T/chunks

[destination logs]
type = http
url = http://127.0.0.1:$CLOSED/api/v2/logs
api_key_env = DRY_TEST_KEY
retry_max = 1
retry_max_time = 1s
EOC
chmod 600 "$CONF"
export DRY_TEST_KEY=dry-test-key-0123456789
size() { stat -c %s "$1"; }
SP=$(size "$SRC/$PAST.jsonl"); SR=$(size "$SRC/$RECENT.jsonl"); ST=$(size "$SRC/$TODAY.jsonl")
FRAG=$(printf '{"tail":"no newline yet"' | wc -c); ET=$((ST - FRAG))
D=$SRC

run "$AUDITSHIP" -c "$CONF" ship --dry-run
assert_eq "$RC" 0 "dry run"
want="dry-run: dest daily: send $D/$PAST.jsonl bytes 0-$SP: $SP bytes, 100 lines, 1 daily object
dry-run: dest daily: hold $D/$RECENT.jsonl bytes 0-$SR: $SR bytes: upload = daily, the day waits to settle (3600 s after its last write)
dry-run: dest daily: hold $D/$TODAY.jsonl bytes 0-$ST: $ST bytes: upload = daily, the day is not over
dry-run: dest daily: total: send $SP bytes, 100 lines, 1 object from 1 file; hold $((SR + ST)) bytes
dry-run: dest chunks: send $D/$PAST.jsonl bytes 0-$SP: $SP bytes, 100 lines, 1 chunk object
dry-run: dest chunks: send $D/$RECENT.jsonl bytes 0-$SR: $SR bytes, 40 lines, 1 chunk object
dry-run: dest chunks: send $D/$TODAY.jsonl bytes 0-$ET: $ET bytes, 30 lines, 1 chunk object
dry-run: dest chunks: hold $D/$TODAY.jsonl bytes $ET-$ST: $FRAG bytes: a fragment waiting for its newline
dry-run: dest chunks: total: send $((SP + SR + ET)) bytes, 170 lines, 3 objects from 3 files; hold $FRAG bytes
dry-run: dest logs: send $D/$PAST.jsonl bytes 0-$SP: $SP bytes, 100 lines
dry-run: dest logs: send $D/$RECENT.jsonl bytes 0-$SR: $SR bytes, 40 lines
dry-run: dest logs: send $D/$TODAY.jsonl bytes 0-$ET: $ET bytes, 30 lines
dry-run: dest logs: hold $D/$TODAY.jsonl bytes $ET-$ST: $FRAG bytes: a fragment waiting for its newline
dry-run: dest logs: total: send $((SP + SR + ET)) bytes, 170 lines, 0 objects from 3 files; hold $FRAG bytes"
assert_eq "$OUT" "$want" "dry-run plan"
[ ! -e "$T/daily" ] && [ ! -e "$T/chunks" ] || [ -z "$(find "$T/daily" "$T/chunks" -type f 2>/dev/null)" ] ||
	fail "the dry run stored something"
pass "dry run: sends, holds with reasons, totals per destination"

# A real ship: the dir destinations store what they can; the http one is down.
run "$AUDITSHIP" -c "$CONF" ship
assert_eq "$RC" 1 "ship with the http destination down"
state_sum=$(find "$T/state" -type f -exec md5sum {} + | sort)
run "$AUDITSHIP" -c "$CONF" ship --dry-run
assert_eq "$RC" 0 "second dry run"
assert_eq "$(grep '^dry-run: dest chunks:' <<<"$OUT")" \
	"dry-run: dest chunks: hold $D/$TODAY.jsonl bytes $ET-$ST: $FRAG bytes: a fragment waiting for its newline
dry-run: dest chunks: total: send 0 bytes, 0 lines, 0 objects from 0 files; hold $FRAG bytes" "after the ship: only the fragment"
assert_contains "$OUT" "dry-run: dest logs: note: its last run failed at " "last failure noted"
assert_contains "$OUT" "dry-run: dest logs: send $D/$PAST.jsonl bytes 0-$SP: $SP bytes, 100 lines" "http still owes the past day"
pass "dry run after a ship: nothing left for chunks but the fragment; the http one's failure noted"

# --from-start --dry-run lists the shipped days again, from byte 0.
run "$AUDITSHIP" -c "$CONF" ship --from-start --dry-run --dest chunks
assert_eq "$RC" 0 "from-start dry run"
assert_contains "$OUT" "dry-run: dest chunks: send $D/$PAST.jsonl bytes 0-$SP: $SP bytes, 100 lines, 1 chunk object" "from-start lists the past day"
assert_contains "$OUT" "dry-run: dest chunks: total: send $((SP + SR + ET)) bytes, 170 lines, 3 objects from 3 files; hold $FRAG bytes" "from-start total"
run "$AUDITSHIP" -c "$CONF" ship --from-start --dry-run --day "$PAST" --dest daily
assert_eq "$OUT" "dry-run: dest daily: send $D/$PAST.jsonl bytes 0-$SP: $SP bytes, 100 lines, 1 daily object
dry-run: dest daily: total: send $SP bytes, 100 lines, 1 object from 1 file; hold 0 bytes" "from-start one day"
assert_eq "$(find "$T/state" -type f -exec md5sum {} + | sort)" "$state_sum" "a dry run changed the state"
pass "--from-start --dry-run lists every day again from 0; state untouched"
