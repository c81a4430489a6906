/*
 * fuzz_fmt_http.c - fmt_http.c in its three formats.  Oracles: every
 * record is one valid JSON object; it holds no raw CR or LF (NDJSON
 * readers split on them) but the NDJSON record's final "\n"; a record
 * is flagged invalid exactly when the line is not an object.
 */
#include "fuzz.h"
#include "fmt_http.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum fmt_http_format fmts[] = {
		FMT_HTTP_DATADOG, FMT_HTTP_JSON_ARRAY, FMT_HTTP_NDJSON,
	};
	struct fmt_http_meta m = {
		.source = "claude\"code", .service = "svc\n", .hostname = "h\x7f",
		.tags = "env:prod", .file = "2026-11-20.jsonl",
	};
	const char *p = (const char *)data;
	struct fmt_http f;
	struct err e = { 0, "" };
	struct buf b;
	size_t k, len;
	int invalid;

	for (k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
		FUZZ_CHECK(fmt_http_init(&f, fmts[k], &m, &e) == 0, "init");
		buf_init(&b, 6 * size + 1024);
		FUZZ_CHECK(fmt_http_record(&f, &b, p, size, size * 31ull,
		    size & 1 ? FMT_HTTP_FRAGMENT : 0, &invalid) == 0, "record fits");
		FUZZ_CHECK(invalid == !jsonl_is_object(p, size), "invalid flag");
		len = b.len;
		if (fmts[k] == FMT_HTTP_NDJSON) {
			FUZZ_CHECK(len > 0 && b.p[len - 1] == '\n', "NDJSON ends in LF");
			len--;
		}
		FUZZ_CHECK(memchr(b.p, '\n', len) == NULL, "no raw LF");
		FUZZ_CHECK(memchr(b.p, '\r', len) == NULL, "no raw CR");
		FUZZ_CHECK(jsonl_is_object(b.p, len), "record is a JSON object");
		buf_free(&b);
		fmt_http_free(&f);
	}
	return 0;
}
