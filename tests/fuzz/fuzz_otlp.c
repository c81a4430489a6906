/*
 * fuzz_otlp.c - OTLP logs (fmt_otlp.c).  Input: bytes used twice.
 *  1. As a server's ExportLogsServiceResponse, JSON and protobuf: never
 *     reads out of bounds; a success says a count within int64, and its
 *     message is NUL-terminated printable text (no control byte reaches a
 *     log line); a failure leaves the result zeroed.
 *  2. As an audit line, encoded into a request in each encoding and body
 *     mode: the OTLP/JSON request is one valid JSON object; with a buffer
 *     too small for the record, record() fails cleanly, leaves the buffer
 *     as it was, and the request still closes into valid JSON.
 */
#include "fuzz.h"
#include "fmt_otlp.h"
#include "jsonl.h"

static void
check_response(enum fmt_otlp_encoding enc, const uint8_t *data, size_t size)
{
	struct fmt_otlp_response r;
	size_t i, n;

	if (fmt_otlp_response_parse(enc, (const char *)data, size, &r) == 0) {
		FUZZ_CHECK(r.rejected <= INT64_MAX, "rejected within int64");
		n = strlen(r.message);
		FUZZ_CHECK(n < sizeof(r.message), "message terminated");
		for (i = 0; i < n; i++)
			FUZZ_CHECK((unsigned char)r.message[i] >= 0x20 &&
			    r.message[i] != 0x7f, "message printable");
	} else
		FUZZ_CHECK(r.rejected == 0 && r.message[0] == '\0',
		    "failure leaves the result zeroed");
}

static void
check_request(enum fmt_otlp_encoding enc, enum fmt_otlp_body body,
    const uint8_t *data, size_t size, size_t max)
{
	static const struct fmt_otlp_meta m = { "h\"1", "u\\ser", "svc",
	    "2026-11-20.jsonl", "0.1" };
	struct fmt_otlp f;
	struct err e = { 0, "" };
	struct buf out;
	size_t before;
	int inv, rc;

	FUZZ_CHECK(fmt_otlp_init(&f, enc, body, &m, &e) == 0, "init");
	buf_init(&out, max);
	FUZZ_CHECK(fmt_otlp_begin(&f, &out) == 0 || max < 4096, "begin");
	before = out.len;
	rc = fmt_otlp_record(&f, &out, (const char *)data, size, size * 7,
	    size & 1 ? FMT_OTLP_FRAGMENT : 0, 1796000000000000000ull, &inv);
	if (rc == -1)
		FUZZ_CHECK(out.len == before, "a failed record leaves out as it was");
	FUZZ_CHECK(out.len <= max, "never past max");
	out.max += FMT_OTLP_FINISH_MAX;
	FUZZ_CHECK(fmt_otlp_finish(&f, &out) == 0, "finish");
	if (enc == FMT_OTLP_JSON)
		FUZZ_CHECK(jsonl_is_object(out.p, out.len), "request is JSON");
	buf_free(&out);
	fmt_otlp_free(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_response(FMT_OTLP_JSON, data, size);
	check_response(FMT_OTLP_PROTOBUF, data, size);
	check_request(FMT_OTLP_JSON, FMT_OTLP_BODY_RAW, data, size, 1 << 20);
	check_request(FMT_OTLP_JSON, FMT_OTLP_BODY_JSON, data, size, 1 << 20);
	check_request(FMT_OTLP_PROTOBUF, FMT_OTLP_BODY_JSON, data, size, 1 << 20);
	check_request(FMT_OTLP_JSON, FMT_OTLP_BODY_JSON, data, size, 4096 + size / 2);
	return 0;
}
