#!/usr/bin/env bash
# otlp destination, encoding = protobuf: the request auditship sent is
# decoded again by the OpenTelemetry JavaScript SDK's generated types
# (@opentelemetry/otlp-transformer's protobufjs ExportLogsServiceRequest,
# tests/fixtures/otlp-transformer.sh), an independent decoder, and must say
# what the strict test receiver decoded, record by record: resource, scope,
# times, severity, body (raw string and json kvlist) and attributes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/otlp_env.bash"
NODE_PATH=$("$FIXTURES_DIR/otlp-transformer.sh" node-path) || fail "cannot install @opentelemetry/otlp-transformer"
export NODE_PATH

for body in raw json; do
	[ -n "${OTLP_PID:-}" ] && otlp_stop
	otlp_start --keep-first
	otlp_setup 400 "encoding = protobuf" "body = $body" "compress = none" "max_batch_events = 1000"
	run "$AUDITSHIP" -c "$CONF" ship
	assert_eq "$RC" 0 "$body: ship ($ERR)"
	assert_eq "$(wc -l <"$OTLP_REC.requests")" 1 "$body: one request"
	node - "$OTLP_REC.first" >"$T/sdk.json" <<'JS'
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root');
const fs = require('fs');
const T = root.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
const first = JSON.parse(fs.readFileSync(process.argv[2]));
const msg = T.decode(Buffer.from(first.body_hex, 'hex'));
const err = T.verify(msg);
if (err) { console.error('verify: ' + err); process.exit(1); }
const o = T.toObject(msg, { longs: String, defaults: false });
const plain = (v) => {
	if (v === undefined || Object.keys(v).length === 0) return null;
	if ('stringValue' in v) return v.stringValue;
	if ('boolValue' in v) return v.boolValue;
	if ('intValue' in v) return Number(v.intValue);
	if ('doubleValue' in v) return v.doubleValue;
	if ('arrayValue' in v) return (v.arrayValue.values || []).map(plain);
	if ('kvlistValue' in v) {
		const r = {};
		for (const kv of v.kvlistValue.values || []) r[kv.key] = plain(kv.value);
		return r;
	}
	throw new Error('AnyValue ' + JSON.stringify(v));
};
const out = [];
for (const rl of o.resourceLogs) {
	const ra = {};
	for (const kv of rl.resource.attributes) ra[kv.key] = plain(kv.value);
	for (const sl of rl.scopeLogs)
		for (const lr of sl.logRecords) {
			const at = {};
			for (const kv of lr.attributes || []) at[kv.key] = plain(kv.value);
			out.push({ host: ra['host.name'], user: ra['user.name'], service: ra['service.name'], res: ra,
				scope: [sl.scope.name, sl.scope.version], body: plain(lr.body),
				time: String(lr.timeUnixNano || '0'), observed: String(lr.observedTimeUnixNano),
				sev: lr.severityNumber, sevtext: lr.severityText, attrs: at });
		}
}
console.log(JSON.stringify(out));
JS
	[ "${PIPESTATUS[0]:-0}" -eq 0 ] || fail "$body: the SDK could not decode the request"
	run python3 - "$T/sdk.json" "$OTLP_REC" <<'PY'
import json, sys
sdk = json.load(open(sys.argv[1]))
ours = [json.loads(l) for l in open(sys.argv[2])]
if len(sdk) != len(ours):
    sys.exit("SDK decoded %d records, the receiver %d" % (len(sdk), len(ours)))
bad = 0
for a, b in zip(sdk, ours):
    for k in ("host", "user", "service", "res", "scope", "body", "time", "observed", "sev", "sevtext", "attrs"):
        # 64-bit times as decimal strings: JS numbers would round them.
        va, vb = a[k], b[k]
        if k in ("time", "observed"):
            vb = str(vb)
        if va != vb:
            bad += 1
            if bad < 5:
                print("offset %s: %s: SDK %r, receiver %r" % (b["offset"], k, va, vb))
print("%d records compared, %d differences" % (len(sdk), bad))
sys.exit(1 if bad else 0)
PY
	echo "$OUT"
	assert_eq "$RC" 0 "$body: the SDK's decoding agrees"
	pass "body = $body: the OpenTelemetry SDK decodes the request as the receiver does"
done
