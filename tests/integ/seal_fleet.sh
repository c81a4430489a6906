#!/usr/bin/env bash
# A fleet archive (SPEC §7): 20 hosts x 3 users x 30 days in one dir
# destination, made by running auditship with 20 hostname values (each its
# own state and key), verified in one call with a directory of public
# keys; with one host's key missing, that host alone is reported.
# The archive is made with 20 x 1800 fsyncs: on tmpfs, where they are free
# (this test is about verify, not durability; core_crash tests that).
[ -w /dev/shm ] && export TMPDIR=/dev/shm
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || fail "needs root to give the three streams three owners"
ARCH="$T/archive"; mkdir -p "$T/src" "$T/keys"
users=(daemon bin nobody)
for u in "${users[@]}"; do mkdir -p "$T/src/$u"; done
for i in $(seq 1 30); do
	d=$(utc_day "$i days ago")
	for u in "${users[@]}"; do
		[ "$u" = bin ] && [ "$i" = 15 ] && continue     # one empty day
		printf '{"ts":"%sT10:00:00Z","user":"%s","n":%d}\n' "$d" "$u" "$i" >"$T/src/$u/$d.jsonl"
		touch -d '1 hour ago' "$T/src/$u/$d.jsonl"
	done
done
for u in "${users[@]}"; do chown -R "$u" "$T/src/$u"; done
for h in $(seq -w 1 20); do
	cat >"$T/h$h.ini" <<EOC
[auditship]
state_dir = $T/state/h$h
hostname = host$h
settle = 1s
[source]
dir = $T/src/*
[destination archive]
type = dir
path = $ARCH
EOC
	run "$AUDITSHIP" -c "$T/h$h.ini" ship
	assert_eq "$RC" 0 "ship host$h ($ERR)"
	cp "$T/state/h$h/signing.key.pub" "$T/keys/host$h.pub"
done
assert_eq "$(find "$ARCH" -name '*.seal.json' | wc -l)" 1800 "one seal per stream-day"
pass "fleet archive: 20 hosts x 3 users x 30 days, 1800 seals"

start=$(date +%s%N)
run "$AUDITSHIP" -c "$T/h01.ini" verify --key "$T/keys" --to "$(utc_day yesterday)"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
assert_eq "$RC" 0 "fleet verify ($(grep -v '^ok' <<<"$OUT" | head -5))"
assert_contains "$OUT" "verified 1800 days of 60 streams: 1780 objects" "fleet summary"
assert_eq "$(grep -c '^trusting key' <<<"$OUT")" 20 "20 trusted keys printed"
echo "fleet verify: 1800 seals in $ms ms"
pass "one verify call over the fleet with --key DIR"

rm "$T/keys/host07.pub"
run "$AUDITSHIP" -c "$T/h01.ini" verify --key "$T/keys"
assert_eq "$RC" 1 "a host without a trusted key fails"
fails=$(grep '^FAIL' <<<"$OUT")
assert_eq "$(grep -c . <<<"$fails")" 90 "every day of host07's 3 streams reported"
assert_eq "$(grep -vc '^FAIL  host07/' <<<"$fails" || true)" 0 "only host07 is reported"
assert_contains "$fails" "which is not trusted" "says the key is not trusted"
assert_eq "$(grep -c '^ok ' <<<"$OUT")" 1710 "every other stream-day ok"
pass "one host's key missing: that host alone is reported"

run "$AUDITSHIP" -c "$T/h01.ini" verify --key "$T/keys" --host host03 --user bin --json
assert_eq "$RC" 0 "--host/--user select one stream"
python3 -c 'import json,sys; d=json.load(sys.stdin); s=d["summary"]; assert s["streams"]==1 and s["days"]==30 and s["problems"]==0, s' <<<"$OUT" ||
	fail "--host --user --json"
pass "--host/--user/--json"
