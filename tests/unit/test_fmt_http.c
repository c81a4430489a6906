/*
 * test_fmt_http.c - records for HTTP intakes (SPEC §3.2, §3.3): exact
 * bytes for each format, and every output checked by a validating scanner.
 */
#include <stdlib.h>
#include <string.h>

#include "fmt_http.h"
#include "jsonl.h"
#include "test.h"

#define DD_PFX	"{\"ddsource\":\"claude-code\",\"service\":\"claude-code\"," \
		"\"hostname\":\"h1\",\"ddtags\":\"env:prod,team:sec\"," \
		"\"auditship\":{\"host\":\"h1\",\"user\":\"alice\"," \
		"\"file\":\"2026-11-20.jsonl\",\"offset\":"
#define JA_PFX	"{\"auditship\":{\"host\":\"h1\",\"user\":\"alice\",\"file\":\"2026-11-20.jsonl\",\"offset\":"

struct rec_case {
	const char	*name;
	enum fmt_http_format fmt;
	const char	*line;
	size_t		 len;		/* 0: strlen(line) */
	uint64_t	 offset;
	unsigned	 flags;
	int		 invalid;
	const char	*want;
};

static const struct rec_case rec_cases[] = {
	{ "dd-simple", FMT_HTTP_DATADOG, "{\"a\":1}", 0, 0, 0, 0,
	    DD_PFX "0},\"a\":1}" },
	{ "dd-empty-object", FMT_HTTP_DATADOG, "{}", 0, 42, 0, 0,
	    DD_PFX "42}}" },
	{ "dd-empty-object-ws", FMT_HTTP_DATADOG, "{ \t}", 0, 42, 0, 0,
	    DD_PFX "42} \t}" },
	{ "dd-leading-ws", FMT_HTTP_DATADOG, "  {\"a\":[1,2]} ", 0, 7, 0, 0,
	    DD_PFX "7},\"a\":[1,2]} " },
	{ "dd-verbatim-bytes", FMT_HTTP_DATADOG,
	    "{\"n\":1.50e3,\"s\":\"\\u00e9\\n\",\"z\":{}}", 0, 1, 0, 0,
	    DD_PFX "1},\"n\":1.50e3,\"s\":\"\\u00e9\\n\",\"z\":{}}" },
	{ "dd-fragment", FMT_HTTP_DATADOG, "{\"a\":1}", 0, 9, FMT_HTTP_FRAGMENT, 0,
	    DD_PFX "9,\"fragment\":true},\"a\":1}" },
	{ "dd-invalid-truncated", FMT_HTTP_DATADOG, "{\"a\":\"tru", 0, 100, 0, 1,
	    DD_PFX "100,\"invalid_json\":true},\"message\":\"{\\\"a\\\":\\\"tru\"}" },
	{ "dd-invalid-array", FMT_HTTP_DATADOG, "[1,2]", 0, 3, 0, 1,
	    DD_PFX "3,\"invalid_json\":true},\"message\":\"[1,2]\"}" },
	{ "dd-invalid-two-objects", FMT_HTTP_DATADOG, "{}{}", 0, 3, 0, 1,
	    DD_PFX "3,\"invalid_json\":true},\"message\":\"{}{}\"}" },
	{ "dd-invalid-nul", FMT_HTTP_DATADOG, "{\"a\":\0}", 7, 5, 0, 1,
	    DD_PFX "5,\"invalid_json\":true},\"message\":\"{\\\"a\\\":\\u0000}\"}" },
	{ "dd-invalid-utf8", FMT_HTTP_DATADOG, "{\"a\":\"\xff\xfe\"}", 0, 5, 0, 1,
	    DD_PFX "5,\"invalid_json\":true},\"message\":\"{\\\"a\\\":\\\"\\ufffd\\ufffd\\\"}\"}" },
	{ "dd-invalid-overlong", FMT_HTTP_DATADOG, "\xc0\xaf", 0, 5, 0, 1,
	    DD_PFX "5,\"invalid_json\":true},\"message\":\"\\ufffd\\ufffd\"}" },
	{ "dd-invalid-surrogate-utf8", FMT_HTTP_DATADOG, "{\"a\":\"\xed\xa0\x80\"}", 0, 5, 0, 1,
	    DD_PFX "5,\"invalid_json\":true},\"message\":\"{\\\"a\\\":\\\"\\ufffd\\ufffd\\ufffd\\\"}\"}" },
	{ "dd-invalid-binary", FMT_HTTP_DATADOG, "\x01\x1f\x7f\t\r", 0, 5, 0, 1,
	    DD_PFX "5,\"invalid_json\":true},\"message\":\"\\u0001\\u001f\\u007f\\t\\r\"}" },
	{ "dd-invalid-fragment", FMT_HTTP_DATADOG, "{\"a", 0, 5, FMT_HTTP_FRAGMENT, 1,
	    DD_PFX "5,\"fragment\":true,\"invalid_json\":true},\"message\":\"{\\\"a\"}" },
	{ "dd-big-offset", FMT_HTTP_DATADOG, "{}", 0, UINT64_MAX, 0, 0,
	    DD_PFX "18446744073709551615}}" },
	{ "ja-simple", FMT_HTTP_JSON_ARRAY, "{\"a\":1}", 0, 12, 0, 0,
	    JA_PFX "12},\"a\":1}" },
	{ "ja-invalid", FMT_HTTP_JSON_ARRAY, "plain text", 0, 12, 0, 1,
	    JA_PFX "12,\"invalid_json\":true},\"message\":\"plain text\"}" },
	{ "nd-simple", FMT_HTTP_NDJSON, "{\"a\":1}", 0, 12, 0, 0,
	    JA_PFX "12},\"a\":1}\n" },
	{ "nd-invalid", FMT_HTTP_NDJSON, "x\ny", 0, 12, 0, 1,
	    JA_PFX "12,\"invalid_json\":true},\"message\":\"x\\ny\"}\n" },
};

static void
init_fmt(struct fmt_http *f, enum fmt_http_format fmt)
{
	struct fmt_http_meta m = {
		.source = "claude-code", .service = "claude-code",
		.hostname = "h1", .tags = "env:prod,team:sec",
		.user = "alice", .file = "2026-11-20.jsonl",
	};
	struct err e = {0};

	T_CHECK(fmt_http_init(f, fmt, &m, &e) == 0, "init");
}

/* Wrap a payload as {"v":PAYLOAD} so the object validator checks it. */
static int
valid_json_value(const char *p, size_t len)
{
	struct buf w;
	int ok;

	buf_init(&w, len + 16);
	buf_adds(&w, "{\"v\":");
	buf_add(&w, p, len);
	buf_addc(&w, '}');
	ok = jsonl_is_object(w.p, w.len);
	buf_free(&w);
	return ok;
}

static void
test_records(void)
{
	size_t i;

	for (i = 0; i < sizeof(rec_cases) / sizeof(rec_cases[0]); i++) {
		const struct rec_case *c = &rec_cases[i];
		struct fmt_http f;
		struct buf out;
		size_t len = c->len ? c->len : strlen(c->line), rlen;
		int invalid = -1;

		init_fmt(&f, c->fmt);
		buf_init(&out, 1 << 20);
		T_CHECK(fmt_http_record(&f, &out, c->line, len, c->offset,
		    c->flags, &invalid) == 0, c->name);
		T_CHECK(invalid == c->invalid, c->name);
		T_STREQ(out.p, c->want, c->name);
		rlen = out.len;
		if (c->fmt == FMT_HTTP_NDJSON && rlen > 0)
			rlen--;		/* the record, without its "\n" */
		T_CHECK(jsonl_is_object(out.p, rlen), c->name);
		buf_free(&out);
		fmt_http_free(&f);
	}
}

/* Meta strings are escaped too: a hostile hostname cannot break JSON. */
static void
test_meta_escaped(void)
{
	struct fmt_http_meta m = {
		.source = "s\"rc", .service = "svc\\", .hostname = "h\n1",
		.tags = NULL, .user = "b\"ob", .file = "2026-11-20.jsonl",
	};
	struct fmt_http f;
	struct buf out;
	struct err e = {0};
	int invalid;

	T_CHECK(fmt_http_init(&f, FMT_HTTP_DATADOG, &m, &e) == 0, "meta init");
	buf_init(&out, 4096);
	T_CHECK(fmt_http_record(&f, &out, "{}", 2, 0, 0, &invalid) == 0, "meta rec");
	T_STREQ(out.p, "{\"ddsource\":\"s\\\"rc\",\"service\":\"svc\\\\\","
	    "\"hostname\":\"h\\n1\",\"auditship\":{\"host\":\"h\\n1\","
	    "\"user\":\"b\\\"ob\",\"file\":\"2026-11-20.jsonl\","
	    "\"offset\":0}}", "meta escaped, no ddtags");
	T_CHECK(jsonl_is_object(out.p, out.len), "meta valid");
	buf_free(&out);
	fmt_http_free(&f);
}

/* A full buffer leaves out untouched and says so. */
static void
test_full(void)
{
	struct fmt_http f;
	struct buf out;
	int invalid;

	init_fmt(&f, FMT_HTTP_DATADOG);
	buf_init(&out, 150);
	buf_adds(&out, "[");
	T_CHECK(fmt_http_record(&f, &out, "{\"a\":\"0123456789012345678901234567890123456789\"}",
	    47, 0, 0, &invalid) == -1, "full valid");
	T_CHECK(out.len == 1 && strcmp(out.p, "[") == 0, "full untouched");
	T_CHECK(fmt_http_record(&f, &out, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
	    10, 0, 0, &invalid) == -1, "full escaped");
	T_CHECK(out.len == 1, "full untouched 2");
	buf_free(&out);
	fmt_http_free(&f);
}

/* Pseudo-random junk lines: every payload must be valid JSON. */
static void
test_fuzz_payloads(void)
{
	static const char *const seeds[] = {
		"{\"a\":1}", "{}", "{\"s\":\"\\ud83d\\ude00\"}", "[]", "\"str\"",
		"{\"a\":", "{\"a\":1}}", "{\"a\":1} x", "null", "{\"k\":\"\xe2\x82\xac\"}",
	};
	enum fmt_http_format fmts[] = { FMT_HTTP_DATADOG, FMT_HTTP_JSON_ARRAY };
	unsigned long rnd = 12345;
	size_t fi, i, j;

	for (fi = 0; fi < 2; fi++) {
		struct fmt_http f;
		struct buf out;
		char line[64];
		int ok = 1, invalid;

		init_fmt(&f, fmts[fi]);
		buf_init(&out, 1 << 20);
		buf_adds(&out, fmt_http_open(fmts[fi]));
		for (i = 0; i < 2000; i++) {
			size_t len;

			if (i % 3 == 0) {
				/* random bytes */
				len = (rnd >> 8) % sizeof(line);
				for (j = 0; j < len; j++) {
					rnd = rnd * 1103515245 + 12345;
					line[j] = (char)(rnd >> 16);
				}
			} else {
				const char *s = seeds[i % (sizeof(seeds) / sizeof(seeds[0]))];
				len = strlen(s);
				memcpy(line, s, len);
				rnd = rnd * 1103515245 + 12345;
				if (i % 7 == 0 && len > 0)
					line[(rnd >> 16) % len] = (char)(rnd >> 8);
			}
			if (i > 0)
				buf_adds(&out, fmt_http_sep(fmts[fi]));
			if (fmt_http_record(&f, &out, line, len, i * 100, 0, &invalid) == -1)
				ok = 0;
		}
		buf_adds(&out, fmt_http_close(fmts[fi]));
		T_CHECK(ok, "fuzz records fit");
		T_CHECK(valid_json_value(out.p, out.len), "fuzz payload is valid JSON");
		buf_free(&out);
		fmt_http_free(&f);
	}
}

static void
test_format_names(void)
{
	enum fmt_http_format f;

	T_CHECK(fmt_http_format_parse("datadog", &f) == 0 && f == FMT_HTTP_DATADOG, "datadog");
	T_CHECK(fmt_http_format_parse("json_array", &f) == 0 && f == FMT_HTTP_JSON_ARRAY, "json_array");
	T_CHECK(fmt_http_format_parse("ndjson", &f) == 0 && f == FMT_HTTP_NDJSON, "ndjson");
	T_CHECK(fmt_http_format_parse("json", &f) == -1, "unknown");
	T_STREQ(fmt_http_content_type(FMT_HTTP_NDJSON), "application/x-ndjson", "ct ndjson");
	T_STREQ(fmt_http_content_type(FMT_HTTP_DATADOG), "application/json", "ct dd");
}

/* Issue 17 #10: a raw CR (JSON whitespace) in an event never reaches an
 * NDJSON or JSON payload: it becomes a space. */
static void
test_raw_cr(void)
{
	static const char line[] = "{\"a\":1,\r\"b\":\"x\"}\r";
	struct fmt_http_meta m = { .source = "src", .service = "svc",
		.hostname = "h", .user = "u", .file = "f.jsonl" };
	struct fmt_http f;
	struct err e = { 0, "" };
	struct buf b;
	int invalid;

	T_CHECK(fmt_http_init(&f, FMT_HTTP_NDJSON, &m, &e) == 0, "init");
	buf_init(&b, 4096);
	T_CHECK(fmt_http_record(&f, &b, line, sizeof(line) - 1, 0, 0, &invalid) == 0 &&
	    !invalid, "record");
	T_STREQ(b.p, "{\"auditship\":{\"host\":\"h\",\"user\":\"u\",\"file\":\"f.jsonl\",\"offset\":0},"
	    "\"a\":1, \"b\":\"x\"} \n", "CR became a space");
	buf_free(&b);
	fmt_http_free(&f);
}

/* Seal records (SPEC §7): "seal":STATEMENT,"sig":"KEY_ID B64". */
static void
test_seals(void)
{
	static const struct {
		const char		*name;
		enum fmt_http_format	 fmt;
		const char		*sig;
		const char		*want;
	} cases[] = {
		{ "seal-dd", FMT_HTTP_DATADOG, "0a1b QUJD",
		  DD_PFX "300,\"seal\":{\"auditship_seal\":1,\"objects\":[]},"
		  "\"sig\":\"0a1b QUJD\"}}" },
		{ "seal-ja-escaped-sig", FMT_HTTP_JSON_ARRAY, "a\"b",
		  JA_PFX "300,\"seal\":{\"auditship_seal\":1,\"objects\":[]},"
		  "\"sig\":\"a\\\"b\"}}" },
		{ "seal-nd", FMT_HTTP_NDJSON, "0a1b QUJD",
		  JA_PFX "300,\"seal\":{\"auditship_seal\":1,\"objects\":[]},"
		  "\"sig\":\"0a1b QUJD\"}}\n" },
	};
	static const char stmt[] = "{\"auditship_seal\":1,\"objects\":[]}";
	size_t i, rlen;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fmt_http f;
		struct buf out;

		init_fmt(&f, cases[i].fmt);
		buf_init(&out, 4096);
		T_CHECK(fmt_http_seal(&f, &out, 300, stmt, strlen(stmt),
		    cases[i].sig, strlen(cases[i].sig)) == 0, cases[i].name);
		T_STREQ(out.p, cases[i].want, cases[i].name);
		rlen = out.len - (cases[i].fmt == FMT_HTTP_NDJSON);
		T_CHECK(jsonl_is_object(out.p, rlen), cases[i].name);
		buf_free(&out);
		buf_init(&out, 40);
		T_CHECK(fmt_http_seal(&f, &out, 300, stmt, strlen(stmt),
		    cases[i].sig, strlen(cases[i].sig)) == -1 && out.len == 0,
		    "seal-full");
		buf_free(&out);
		fmt_http_free(&f);
	}
}

int
main(void)
{
	test_seals();
	test_raw_cr();
	test_records();
	test_meta_escaped();
	test_full();
	test_fuzz_payloads();
	test_format_names();
	return t_done("fmt_http");
}
