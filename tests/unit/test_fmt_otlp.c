/*
 * test_fmt_otlp.c - OTLP logs requests and responses: exact bytes of
 * OTLP/JSON and protobuf requests, the event time, and the response
 * parser on good, partial and hostile bodies.
 */
#include <stdlib.h>
#include <string.h>

#include "fmt_otlp.h"
#include "jsonl.h"
#include "test.h"

static const struct fmt_otlp_meta meta = {
	"h1", "alice", "claude-code", "2026-11-20.jsonl", "0.1.0"
};

#define J_HEAD	"{\"resourceLogs\":[{\"resource\":{\"attributes\":[" \
	"{\"key\":\"host.name\",\"value\":{\"stringValue\":\"h1\"}}," \
	"{\"key\":\"service.name\",\"value\":{\"stringValue\":\"claude-code\"}}," \
	"{\"key\":\"user.name\",\"value\":{\"stringValue\":\"alice\"}}," \
	"{\"key\":\"auditship.host\",\"value\":{\"stringValue\":\"h1\"}}," \
	"{\"key\":\"auditship.user\",\"value\":{\"stringValue\":\"alice\"}}," \
	"{\"key\":\"auditship.file\",\"value\":{\"stringValue\":\"2026-11-20.jsonl\"}}]}," \
	"\"scopeLogs\":[{\"scope\":{\"name\":\"auditship\",\"version\":\"0.1.0\"}," \
	"\"logRecords\":["
#define J_TAIL	"]}]}]}"
/* A record's own identity: its offset (host, user, file: the resource). */
#define J_ID(off) "{\"key\":\"auditship.offset\",\"value\":{\"intValue\":\"" off "\"}}"
#define J_INVALID ",{\"key\":\"auditship.invalid_json\",\"value\":{\"boolValue\":true}}"
#define J_FRAG	",{\"key\":\"auditship.fragment\",\"value\":{\"boolValue\":true}}"
#define J_OBS	"\"observedTimeUnixNano\":\"7\",\"severityNumber\":9,\"severityText\":\"INFO\","

struct rec_case {
	const char	*name;
	enum fmt_otlp_body body;
	const char	*line;
	size_t		 len;		/* 0: strlen(line) */
	uint64_t	 offset;
	unsigned	 flags;
	int		 invalid;
	const char	*want;		/* the one record */
};

static const struct rec_case json_cases[] = {
	{ "raw-claude-event", FMT_OTLP_BODY_RAW,
	    "{\"ts\":\"2026-11-20T15:04:05.123Z\",\"hook_event_name\":\"PreToolUse\","
	    "\"session_id\":\"s1\",\"tool_name\":\"Bash\",\"tool_use_id\":\"tu_1\"}",
	    0, 1234, 0, 0,
	    "{\"timeUnixNano\":\"1795187045123000000\"," J_OBS
	    "\"body\":{\"stringValue\":\"{\\\"ts\\\":\\\"2026-11-20T15:04:05.123Z\\\","
	    "\\\"hook_event_name\\\":\\\"PreToolUse\\\",\\\"session_id\\\":\\\"s1\\\","
	    "\\\"tool_name\\\":\\\"Bash\\\",\\\"tool_use_id\\\":\\\"tu_1\\\"}\"},"
	    "\"attributes\":[{\"key\":\"session.id\",\"value\":{\"stringValue\":\"s1\"}},"
	    "{\"key\":\"tool_use_id\",\"value\":{\"stringValue\":\"tu_1\"}},"
	    "{\"key\":\"tool.name\",\"value\":{\"stringValue\":\"Bash\"}}," J_ID("1234")
	    "],\"eventName\":\"PreToolUse\"}" },
	{ "raw-no-fields", FMT_OTLP_BODY_RAW, "{\"a\":1}", 0, 0, 0, 0,
	    "{" J_OBS "\"body\":{\"stringValue\":\"{\\\"a\\\":1}\"},"
	    "\"attributes\":[" J_ID("0") "]}" },
	{ "raw-escapes-kept", FMT_OTLP_BODY_RAW,
	    "{\"session_id\":\"a\\\"b\\u00e9\"}", 0, 3, 0, 0,
	    "{" J_OBS "\"body\":{\"stringValue\":\"{\\\"session_id\\\":\\\"a\\\\\\\"b\\\\u00e9\\\"}\"},"
	    "\"attributes\":[{\"key\":\"session.id\",\"value\":{\"stringValue\":\"a\\\"b\\u00e9\"}},"
	    J_ID("3") "]}" },
	{ "raw-whitespace-utf8-long-string", FMT_OTLP_BODY_RAW,
	    "{\t\"a\" : \"0123456789abcdef0123456789\\\"q\\\" \xc3\xa9 \\\\ end\",\r\n\"b\":[\"x\"]}",
	    0, 8, 0, 0,
	    "{" J_OBS "\"body\":{\"stringValue\":\"{\\t\\\"a\\\" : \\\"0123456789abcdef"
	    "0123456789\\\\\\\"q\\\\\\\" \xc3\xa9 \\\\\\\\ end\\\",\\r\\n\\\"b\\\":"
	    "[\\\"x\\\"]}\"},\"attributes\":[" J_ID("8") "]}" },
	/* Escapes at the edges of 16-byte blocks, back to back, and in
	 * the tail; a valid final fragment; eventName. */
	{ "raw-escapes-at-block-edges-fragment", FMT_OTLP_BODY_RAW,
	    "{\"hook_event_name\":\"Stop\",\"k\":\"\\\\\\\"x\"}\t", 0, 5,
	    FMT_OTLP_FRAGMENT, 0,
	    "{" J_OBS "\"body\":{\"stringValue\":\"{\\\"hook_event_name\\\":"
	    "\\\"Stop\\\",\\\"k\\\":\\\"\\\\\\\\\\\\\\\"x\\\"}\\t\"},"
	    "\"attributes\":[" J_ID("5") J_FRAG "],\"eventName\":\"Stop\"}" },
	{ "ts-wins-over-timestamp", FMT_OTLP_BODY_RAW,
	    "{\"timestamp\":\"2026-11-20T00:00:01Z\",\"ts\":\"2026-11-20T00:00:02Z\"}",
	    0, 0, 0, 0,
	    "{\"timeUnixNano\":\"1795132802000000000\"," J_OBS
	    "\"body\":{\"stringValue\":\"{\\\"timestamp\\\":\\\"2026-11-20T00:00:01Z\\\","
	    "\\\"ts\\\":\\\"2026-11-20T00:00:02Z\\\"}\"},\"attributes\":[" J_ID("0") "]}" },
	{ "timestamp-offset-nanos", FMT_OTLP_BODY_RAW,
	    "{\"timestamp\":\"2026-11-20T01:00:01.1234567891+01:00\"}", 0, 0, 0, 0,
	    "{\"timeUnixNano\":\"1795132801123456789\"," J_OBS
	    "\"body\":{\"stringValue\":\"{\\\"timestamp\\\":\\\"2026-11-20T01:00:01.1234567891+01:00\\\"}\"},"
	    "\"attributes\":[" J_ID("0") "]}" },
	{ "ts-not-rfc3339", FMT_OTLP_BODY_RAW, "{\"ts\":\"yesterday\"}", 0, 0, 0, 0,
	    "{" J_OBS "\"body\":{\"stringValue\":\"{\\\"ts\\\":\\\"yesterday\\\"}\"},"
	    "\"attributes\":[" J_ID("0") "]}" },
	{ "ts-before-1970", FMT_OTLP_BODY_RAW, "{\"ts\":\"1969-12-31T23:59:59Z\"}", 0, 0, 0, 0,
	    "{" J_OBS "\"body\":{\"stringValue\":\"{\\\"ts\\\":\\\"1969-12-31T23:59:59Z\\\"}\"},"
	    "\"attributes\":[" J_ID("0") "]}" },
	{ "ts-not-a-string", FMT_OTLP_BODY_RAW, "{\"ts\":12,\"tool_name\":7}", 0, 0, 0, 0,
	    "{" J_OBS "\"body\":{\"stringValue\":\"{\\\"ts\\\":12,\\\"tool_name\\\":7}\"},"
	    "\"attributes\":[" J_ID("0") "]}" },
	{ "invalid-truncated-fragment", FMT_OTLP_BODY_RAW, "{\"a\":\"tru", 0, 99,
	    FMT_OTLP_FRAGMENT, 1,
	    "{" J_OBS "\"body\":{\"stringValue\":\"{\\\"a\\\":\\\"tru\"},"
	    "\"attributes\":[" J_ID("99") J_INVALID J_FRAG "]}" },
	{ "invalid-utf8-and-controls", FMT_OTLP_BODY_RAW, "\xff\x01\tx", 0, 1, 0, 1,
	    "{" J_OBS "\"body\":{\"stringValue\":\"\\ufffd\\u0001\\tx\"},"
	    "\"attributes\":[" J_ID("1") J_INVALID "]}" },
	{ "invalid-stays-string-with-body-json", FMT_OTLP_BODY_JSON, "[1]", 0, 1, 0, 1,
	    "{" J_OBS "\"body\":{\"stringValue\":\"[1]\"},"
	    "\"attributes\":[" J_ID("1") J_INVALID "]}" },
	{ "json-kvlist-every-kind", FMT_OTLP_BODY_JSON,
	    " {\"s\":\"x\\n\",\"i\":-9223372036854775808,\"big\":9223372036854775808,"
	    "\"d\":1.5e3,\"t\":true,\"f\":false,\"z\":null,\"a\":[1, [] ,{}],\"o\":{\"k\":0}} ",
	    0, 2, 0, 0,
	    "{" J_OBS "\"body\":{\"kvlistValue\":{\"values\":["
	    "{\"key\":\"s\",\"value\":{\"stringValue\":\"x\\n\"}},"
	    "{\"key\":\"i\",\"value\":{\"intValue\":\"-9223372036854775808\"}},"
	    "{\"key\":\"big\",\"value\":{\"doubleValue\":9223372036854775808}},"
	    "{\"key\":\"d\",\"value\":{\"doubleValue\":1.5e3}},"
	    "{\"key\":\"t\",\"value\":{\"boolValue\":true}},"
	    "{\"key\":\"f\",\"value\":{\"boolValue\":false}},"
	    "{\"key\":\"z\",\"value\":{}},"
	    "{\"key\":\"a\",\"value\":{\"arrayValue\":{\"values\":[{\"intValue\":\"1\"},"
	    "{\"arrayValue\":{\"values\":[]}},{\"kvlistValue\":{\"values\":[]}}]}}},"
	    "{\"key\":\"o\",\"value\":{\"kvlistValue\":{\"values\":["
	    "{\"key\":\"k\",\"value\":{\"intValue\":\"0\"}}]}}}]}},"
	    "\"attributes\":[" J_ID("2") "]}" },
	{ "json-minus-zero", FMT_OTLP_BODY_JSON, "{\"n\":-0}", 0, 2, 0, 0,
	    "{" J_OBS "\"body\":{\"kvlistValue\":{\"values\":["
	    "{\"key\":\"n\",\"value\":{\"intValue\":\"0\"}}]}},"
	    "\"attributes\":[" J_ID("2") "]}" },
};

static void
test_json(void)
{
	struct fmt_otlp f;
	struct buf out, want;
	struct err e = { 0 };
	size_t i;
	int inv;

	for (i = 0; i < sizeof(json_cases) / sizeof(json_cases[0]); i++) {
		const struct rec_case *c = &json_cases[i];
		size_t len = c->len ? c->len : strlen(c->line);

		T_CHECK(fmt_otlp_init(&f, FMT_OTLP_JSON, c->body, &meta, &e) == 0,
		    c->name);
		buf_init(&out, 1 << 20);
		buf_init(&want, 1 << 20);
		T_CHECK(fmt_otlp_begin(&f, &out) == 0, c->name);
		inv = -1;
		T_CHECK(fmt_otlp_record(&f, &out, c->line, len, c->offset,
		    c->flags, 7, &inv) == 0, c->name);
		T_CHECK(inv == c->invalid, c->name);
		T_CHECK(fmt_otlp_finish(&f, &out) == 0, c->name);
		buf_adds(&want, J_HEAD);
		buf_adds(&want, c->want);
		buf_adds(&want, J_TAIL);
		T_STREQ(out.p, want.p, c->name);
		T_CHECK(jsonl_is_object(out.p, out.len), c->name);
		buf_free(&out);
		buf_free(&want);
		fmt_otlp_free(&f);
	}
}

/* A long line in a buffer with room for exactly its record: it fits (the
 * escapes are counted when twice the line does not fit), one byte less
 * and it does not. */
static void
test_json_exact_room(void)
{
	struct fmt_otlp f;
	struct buf out, ref;
	struct err e = { 0 };
	char line[600];
	size_t i;
	int inv;

	line[0] = '{';
	line[1] = '"';
	for (i = 2; i < sizeof(line) - 2; i++)
		line[i] = i % 50 == 0 ? ' ' : 'a' + (char)(i % 26);
	line[sizeof(line) - 2] = '"';
	line[sizeof(line) - 1] = '}';
	memcpy(line + 100, "\":\"", 3);
	T_CHECK(jsonl_is_object(line, sizeof(line)), "exact-room line");
	T_CHECK(fmt_otlp_init(&f, FMT_OTLP_JSON, FMT_OTLP_BODY_RAW, &meta, &e) == 0,
	    "exact-room init");
	buf_init(&ref, 1 << 20);
	T_CHECK(fmt_otlp_begin(&f, &ref) == 0 && fmt_otlp_record(&f, &ref, line,
	    sizeof(line), 1, 0, 7, &inv) == 0, "exact-room reference");
	buf_init(&out, ref.len);
	T_CHECK(fmt_otlp_begin(&f, &out) == 0 && fmt_otlp_record(&f, &out, line,
	    sizeof(line), 1, 0, 7, &inv) == 0, "exact-room fits");
	T_STREQ(out.p, ref.p, "exact-room same bytes");
	buf_free(&out);
	buf_init(&out, ref.len - 1);
	T_CHECK(fmt_otlp_begin(&f, &out) == 0, "exact-room-1 begin");
	i = out.len;
	T_CHECK(fmt_otlp_record(&f, &out, line, sizeof(line), 1, 0, 7, &inv) == -1,
	    "exact-room-1 does not fit");
	T_CHECK(out.len == i, "exact-room-1 leaves out as it was");
	buf_free(&out);
	buf_free(&ref);
	fmt_otlp_free(&f);
}

/* Two records, and a record that does not fit leaves the request whole. */
static void
test_json_batch(void)
{
	struct fmt_otlp f;
	struct buf out;
	struct err e = { 0 };
	char big[300];
	size_t before;
	int inv;

	T_CHECK(fmt_otlp_init(&f, FMT_OTLP_JSON, FMT_OTLP_BODY_RAW, &meta, &e) == 0,
	    "batch init");
	buf_init(&out, 1024);
	T_CHECK(fmt_otlp_begin(&f, &out) == 0, "batch begin");
	T_CHECK(fmt_otlp_record(&f, &out, "{}", 2, 0, 0, 7, &inv) == 0, "batch 1");
	T_CHECK(fmt_otlp_record(&f, &out, "{}", 2, 3, 0, 7, &inv) == 0, "batch 2");
	before = out.len;
	memset(big, 'x', sizeof(big));
	T_CHECK(fmt_otlp_record(&f, &out, big, sizeof(big), 6, 0, 7, &inv) == -1,
	    "batch full");
	T_CHECK(out.len == before, "batch full leaves out as it was");
	T_CHECK(fmt_otlp_finish(&f, &out) == 0, "batch finish");
	T_STREQ(out.p, J_HEAD
	    "{" J_OBS "\"body\":{\"stringValue\":\"{}\"},\"attributes\":[" J_ID("0") "]},"
	    "{" J_OBS "\"body\":{\"stringValue\":\"{}\"},\"attributes\":[" J_ID("3") "]}"
	    J_TAIL, "batch bytes");
	buf_free(&out);
	fmt_otlp_free(&f);
}

static void
hex(const struct buf *b, char *out, size_t cap)
{
	size_t i;
	static const char d[] = "0123456789abcdef";

	for (i = 0; i < b->len && 2 * i + 2 < cap; i++) {
		out[2 * i] = d[(unsigned char)b->p[i] >> 4];
		out[2 * i + 1] = d[(unsigned char)b->p[i] & 15];
	}
	out[2 * i] = '\0';
}

static const struct fmt_otlp_meta meta_short = { "h", "u", "s", "f", "1" };

/* Resource{host.name=h, service.name=s, user.name=u, auditship.host=h,
 * auditship.user=u, auditship.file=f} */
#define P_RES	"0a7e0a100a09686f73742e6e616d6512030a01680a130a0c73657276696365" \
		"2e6e616d6512030a01730a100a09757365722e6e616d6512030a0175" \
		"0a150a0e6175646974736869702e686f737412030a0168" \
		"0a150a0e6175646974736869702e7573657212030a0175" \
		"0a150a0e6175646974736869702e66696c6512030a0166"
/* scope{name=auditship, version=1} */
#define P_SCOPE	"0a0e0a09617564697473686970120131"
/* severity_number=9, severity_text=INFO */
#define P_SEV	"10091a04494e464f"
/* observed_time_unix_nano=1 */
#define P_OBS	"590100000000000000"

struct pb_case {
	const char	*name;
	enum fmt_otlp_body body;
	const char	*line;
	size_t		 len;
	uint64_t	 offset;
	unsigned	 flags;
	const char	*want;
};

static const struct pb_case pb_cases[] = {
	/* Worked by hand: 0a c301 ResourceLogs(195) = 0a 7e Resource(126),
	 * 12 41 ScopeLogs(65) = 0a 0e scope, 12 2f LogRecord(47). */
	{ "pb-empty-object", FMT_OTLP_BODY_RAW, "{}", 2, 5, 0,
	    "0ac301" P_RES "1241" P_SCOPE "122f" P_SEV "2a040a027b7d"
	    "32160a106175646974736869702e6f66667365741202" "1805" P_OBS },
	{ "pb-event-name-time-attrs", FMT_OTLP_BODY_RAW,
	    "{\"ts\":\"1970-01-01T00:00:01Z\",\"hook_event_name\":\"E\",\"tool_name\":\"B\\u00e9\"}",
	    0, 300, 0,
	    "0aad02" P_RES "12aa01" P_SCOPE "129701"
	    "09" "00ca9a3b00000000" P_SEV
	    "2a4b0a49" "7b227473223a22313937302d30312d30315430303a30303a30315a222c22686f6f6b5f6576656e745f6e616d65223a2245222c22746f6f6c5f6e616d65223a2242" "5c7530306539" "227d"
	    "32120a09746f6f6c2e6e616d6512050a0342c3a9"
	    "32170a106175646974736869702e6f66667365741203" "18ac02" P_OBS
	    "6201" "45" },
	{ "pb-invalid-utf8-fragment", FMT_OTLP_BODY_RAW, "\xff{", 2, 0,
	    FMT_OTLP_FRAGMENT,
	    "0afd01" P_RES "127b" P_SCOPE "1269" P_SEV "2a060a04efbfbd7b"
	    "32160a106175646974736869702e6f66667365741202" "1800"
	    "321c0a166175646974736869702e696e76616c69645f6a736f6e12021001"
	    "32180a126175646974736869702e667261676d656e7412021001" P_OBS },
	{ "pb-body-json", FMT_OTLP_BODY_JSON,
	    "{\"a\":[true,null,-1,0.5],\"k\\\"\":{}}", 0, 1, 0,
	    "0af201" P_RES "1270" P_SCOPE "125e" P_SEV
	    "2a33" "3231"
	    /* KeyValue a: ArrayValue [bool true, empty, int -1, double 0.5] */
	    "0a250a0161" "1220" "2a1e" "0a021001" "0a00" "0a0b18ffffffffffffffffff01"
	    "0a0921000000000000e03f"
	    /* KeyValue k": kvlist [] */
	    "0a080a026b2212023200"
	    "32160a106175646974736869702e6f66667365741202" "1801" P_OBS },
};

static void
test_protobuf(void)
{
	struct fmt_otlp f;
	struct buf out;
	struct err e = { 0 };
	char got[4096];
	size_t i;
	int inv;

	for (i = 0; i < sizeof(pb_cases) / sizeof(pb_cases[0]); i++) {
		const struct pb_case *c = &pb_cases[i];

		T_CHECK(fmt_otlp_init(&f, FMT_OTLP_PROTOBUF, c->body, &meta_short,
		    &e) == 0, c->name);
		buf_init(&out, 1 << 20);
		T_CHECK(fmt_otlp_begin(&f, &out) == 0, c->name);
		T_CHECK(fmt_otlp_record(&f, &out, c->line, c->len ? c->len :
		    strlen(c->line), c->offset, c->flags, 1, &inv) == 0, c->name);
		T_CHECK(fmt_otlp_finish(&f, &out) == 0, c->name);
		hex(&out, got, sizeof(got));
		T_STREQ(got, c->want, c->name);
		buf_free(&out);
		fmt_otlp_free(&f);
	}
}

/* A record longer than 127 bytes: its length takes two varint bytes and
 * the content moves up; a request over 16 KiB needs three. */
static void
test_protobuf_lengths(void)
{
	struct fmt_otlp f;
	struct buf out;
	struct err e = { 0 };
	char *line;
	size_t n = 20000, i;
	const unsigned char *u;
	int inv;

	line = malloc(n);
	memset(line, 'x', n);
	line[0] = '"';
	line[n - 1] = '"';
	T_CHECK(fmt_otlp_init(&f, FMT_OTLP_PROTOBUF, FMT_OTLP_BODY_RAW,
	    &meta_short, &e) == 0, "pb-long");
	buf_init(&out, 1 << 20);
	fmt_otlp_begin(&f, &out);
	fmt_otlp_record(&f, &out, line, n, 0, 0, 1, &inv);
	fmt_otlp_finish(&f, &out);
	u = (const unsigned char *)out.p;
	/* 0a + 3-byte length: the whole rest. */
	T_CHECK(u[0] == 0x0a && (u[1] & 0x80) && (u[2] & 0x80) && !(u[3] & 0x80),
	    "pb-long three-byte length");
	i = (size_t)(u[1] & 0x7f) | (size_t)(u[2] & 0x7f) << 7 | (size_t)u[3] << 14;
	T_CHECK(i == out.len - 4, "pb-long length is the rest");
	buf_free(&out);
	fmt_otlp_free(&f);
	free(line);
}

struct resp_case {
	const char	*name;
	enum fmt_otlp_encoding enc;
	const char	*body;
	size_t		 len;
	int		 rc;
	uint64_t	 rejected;
	const char	*message;
};

static const struct resp_case resp_cases[] = {
	{ "json-empty-body", FMT_OTLP_JSON, "", 0, 0, 0, "" },
	{ "json-empty-object", FMT_OTLP_JSON, " {} ", 0, 0, 0, "" },
	{ "json-empty-partial", FMT_OTLP_JSON, "{\"partialSuccess\":{}}", 0, 0, 0, "" },
	{ "json-null-partial", FMT_OTLP_JSON, "{\"partialSuccess\":null}", 0, 0, 0, "" },
	{ "json-rejected-string", FMT_OTLP_JSON,
	    "{\"partialSuccess\":{\"rejectedLogRecords\":\"3\","
	    "\"errorMessage\":\"too \\\"old\\\"\\n\\u00e9\"}}", 0, 0, 3, "too \"old\" \xc3\xa9" },
	{ "json-rejected-number", FMT_OTLP_JSON,
	    "{\"other\":[1,{\"x\":2}],\"partialSuccess\":{\"rejectedLogRecords\":12}}",
	    0, 0, 12, "" },
	{ "json-snake-case", FMT_OTLP_JSON,
	    "{\"partial_success\":{\"rejected_log_records\":1,\"error_message\":\"m\"}}",
	    0, 0, 1, "m" },
	{ "json-warning-only", FMT_OTLP_JSON,
	    "{\"partialSuccess\":{\"errorMessage\":\"slow down\"}}", 0, 0, 0, "slow down" },
	{ "json-negative", FMT_OTLP_JSON,
	    "{\"partialSuccess\":{\"rejectedLogRecords\":-1}}", 0, -1, 0, "" },
	{ "json-fraction", FMT_OTLP_JSON,
	    "{\"partialSuccess\":{\"rejectedLogRecords\":1.5}}", 0, -1, 0, "" },
	{ "json-partial-not-object", FMT_OTLP_JSON,
	    "{\"partialSuccess\":[]}", 0, -1, 0, "" },
	{ "json-not-json", FMT_OTLP_JSON, "<html>", 0, -1, 0, "" },
	{ "json-truncated", FMT_OTLP_JSON, "{\"partialSuccess\":{\"rej", 0, -1, 0, "" },
	{ "pb-empty", FMT_OTLP_PROTOBUF, "", 0, 0, 0, "" },
	{ "pb-rejected", FMT_OTLP_PROTOBUF, "\x0a\x07\x08\x03\x12\x03" "bad", 9, 0, 3, "bad" },
	{ "pb-unknown-fields", FMT_OTLP_PROTOBUF,
	    "\x10\x01\x0a\x0a\x1d\x01\x02\x03\x04\x08\x02\x19\x00\x00", 14, -1, 0, "" },
	{ "pb-unknown-fields-ok", FMT_OTLP_PROTOBUF,
	    "\x10\x01\x0a\x07\x1d\x01\x02\x03\x04\x08\x02", 11, 0, 2, "" },
	{ "pb-truncated-len", FMT_OTLP_PROTOBUF, "\x0a\x09\x08\x03", 4, -1, 0, "" },
	{ "pb-truncated-varint", FMT_OTLP_PROTOBUF, "\x0a\x02\x08\x83", 4, -1, 0, "" },
	{ "pb-group", FMT_OTLP_PROTOBUF, "\x0b\x0c", 2, -1, 0, "" },
	{ "pb-field-zero", FMT_OTLP_PROTOBUF, "\x00\x00", 2, -1, 0, "" },
	{ "pb-overlong-varint", FMT_OTLP_PROTOBUF,
	    "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12, -1, 0, "" },
	{ "pb-rejected-over-int64", FMT_OTLP_PROTOBUF,
	    "\x0a\x0b\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 13, -1, 0, "" },
};

static void
test_response(void)
{
	struct fmt_otlp_response r;
	size_t i;

	for (i = 0; i < sizeof(resp_cases) / sizeof(resp_cases[0]); i++) {
		const struct resp_case *c = &resp_cases[i];
		size_t len = c->len ? c->len : strlen(c->body);

		T_CHECK(fmt_otlp_response_parse(c->enc, c->body, len, &r) == c->rc,
		    c->name);
		T_CHECK(r.rejected == c->rejected, c->name);
		T_STREQ(r.message, c->message, c->name);
	}
}

static void
test_event_ns(void)
{
	const char *l = "{\"x\":{\"ts\":\"2001-01-01T00:00:00Z\"},"
	    "\"timestamp\":\"1970-01-01T00:00:00.5Z\"}";

	T_CHECK(fmt_otlp_event_ns(l, strlen(l)) == 500000000u, "nested ts ignored");
	T_CHECK(fmt_otlp_event_ns("{}", 2) == 0, "no ts");
}

/* The seal record (SPEC §7): JSON and protobuf, pinned; the statement
 * travels as its own bytes, escaped only as a JSON string needs. */
#define A_SEAL	"6175646974736869702e7365616c"	/* "auditship.seal" */
#define A_SIG	"6175646974736869702e736967"	/* "auditship.sig" */
static void
test_seal(void)
{
	struct fmt_otlp f;
	struct buf out;
	struct err e = { 0 };
	char got[4096];
	const char *stmt = "{\"auditship_seal\":1,\"x\":\"a\\\"b\"}";

	T_CHECK(fmt_otlp_init(&f, FMT_OTLP_JSON, FMT_OTLP_BODY_JSON, &meta,
	    &e) == 0, "seal json init");
	buf_init(&out, 1 << 20);
	T_CHECK(fmt_otlp_begin(&f, &out) == 0, "seal json begin");
	T_CHECK(fmt_otlp_seal(&f, &out, stmt, strlen(stmt), "k1 c2ln", 7, 1234,
	    7) == 0, "seal json");
	T_CHECK(fmt_otlp_finish(&f, &out) == 0, "seal json finish");
	T_STREQ(out.p, J_HEAD "{" J_OBS "\"body\":{\"stringValue\":"
	    "\"{\\\"auditship_seal\\\":1,\\\"x\\\":\\\"a\\\\\\\"b\\\"}\"},"
	    "\"attributes\":[" J_ID("1234") ","
	    "{\"key\":\"auditship.seal\",\"value\":{\"boolValue\":true}},"
	    "{\"key\":\"auditship.sig\",\"value\":{\"stringValue\":\"k1 c2ln\"}}],"
	    "\"eventName\":\"auditship.seal\"}" J_TAIL, "seal json bytes");
	T_CHECK(jsonl_is_object(out.p, out.len), "seal json is json");
	/* Full: out is left as it was. */
	out.max = out.len + 10;
	{
		size_t before = out.len;

		T_CHECK(fmt_otlp_seal(&f, &out, stmt, strlen(stmt), "k1 c2ln", 7,
		    1, 7) == -1 && out.len == before, "seal json full");
	}
	buf_free(&out);
	fmt_otlp_free(&f);

	/* Worked by hand: LogRecord(109) = sev 8, body 6, offset 24, seal
	 * 22, sig 24, observed 9, eventName 16; ScopeLogs(127) = scope 16 +
	 * 2 + 109; ResourceLogs(257) = Resource 128 + 2 + 127. */
	T_CHECK(fmt_otlp_init(&f, FMT_OTLP_PROTOBUF, FMT_OTLP_BODY_RAW,
	    &meta_short, &e) == 0, "seal pb init");
	buf_init(&out, 1 << 20);
	T_CHECK(fmt_otlp_begin(&f, &out) == 0 &&
	    fmt_otlp_seal(&f, &out, "{}", 2, "k s", 3, 5, 1) == 0 &&
	    fmt_otlp_finish(&f, &out) == 0, "seal pb");
	hex(&out, got, sizeof(got));
	T_STREQ(got, "0a8102" P_RES "127f" P_SCOPE "126d" P_SEV
	    "2a040a027b7d"
	    "32160a106175646974736869702e6f66667365741202" "1805"
	    "32140a0e" A_SEAL "12021001"
	    "32160a0d" A_SIG "12050a036b2073" P_OBS "620e" A_SEAL, "seal pb bytes");
	buf_free(&out);
	fmt_otlp_free(&f);
}

int
main(void)
{
	test_json();
	test_json_batch();
	test_json_exact_room();
	test_protobuf();
	test_protobuf_lengths();
	test_response();
	test_event_ns();
	test_seal();
	return t_done("fmt_otlp");
}
