/*
 * test_http_retry_after.c - http_retry_after_ms() (RFC 9110 §10.2.3) and
 * http_header_get(), both pure.
 */
#include <string.h>

#include "http.h"
#include "test.h"

/* 2026-11-21T09:00:00Z */
#define NOW	1795251600LL
/* Sun, 06 Nov 1994 08:49:37 GMT, the RFC's example */
#define RFC_EX	784111777LL

struct ra_case {
	const char	*name;
	const char	*value;
	long long	 now;
	long long	 want;
};

static const struct ra_case ra_cases[] = {
	{ "seconds", "120", NOW, 120000 },
	{ "zero", "0", NOW, 0 },
	{ "ows", "  7 \t", NOW, 7000 },
	{ "leading-zeros", "007", NOW, 7000 },
	{ "huge-capped", "99999999999999999999999", NOW, 86400000 },
	{ "negative", "-5", NOW, -1 },
	{ "fraction", "1.5", NOW, -1 },
	{ "trailing-junk", "5s", NOW, -1 },
	{ "empty", "", NOW, -1 },
	{ "blank", "   ", NOW, -1 },
	{ "imf-fixdate", "Sat, 21 Nov 2026 09:00:30 GMT", NOW, 30000 },
	{ "imf-fixdate-rfc", "Sun, 06 Nov 1994 08:49:37 GMT", RFC_EX - 10, 10000 },
	{ "imf-past", "Sun, 06 Nov 1994 08:49:37 GMT", NOW, 0 },
	{ "imf-now", "Sat, 21 Nov 2026 09:00:00 GMT", NOW, 0 },
	{ "imf-next-day", "Sun, 22 Nov 2026 09:00:00 GMT", NOW, 86400000 },
	{ "imf-leap", "Tue, 29 Feb 2000 00:00:05 GMT", 951782400LL, 5000 },
	{ "imf-no-gmt", "Sat, 21 Nov 2026 09:00:30", NOW, -1 },
	{ "imf-utc-not-gmt", "Sat, 21 Nov 2026 09:00:30 UTC", NOW, -1 },
	{ "imf-bad-month", "Sat, 21 Foo 2026 09:00:30 GMT", NOW, -1 },
	{ "imf-bad-hour", "Sat, 21 Nov 2026 25:00:30 GMT", NOW, -1 },
	{ "imf-one-digit-day", "Sat, 1 Nov 2026 09:00:30 GMT", NOW, -1 },
	{ "rfc850", "Saturday, 21-Nov-26 09:01:00 GMT", NOW, 60000 },
	{ "rfc850-rfc", "Sunday, 06-Nov-94 08:49:37 GMT", RFC_EX - 1, 1000 },
	{ "asctime", "Sat Nov 21 09:00:02 2026", NOW, 2000 },
	{ "asctime-space-day", "Sun Nov  6 08:49:37 1994", RFC_EX - 3, 3000 },
	{ "asctime-bad", "Sat Nov 21 09:00:02", NOW, -1 },
	{ "not-a-date", "tomorrow", NOW, -1 },
	{ "null", NULL, NOW, -1 },
};

static void
test_retry_after(void)
{
	size_t i;

	for (i = 0; i < sizeof(ra_cases) / sizeof(ra_cases[0]); i++) {
		const struct ra_case *c = &ra_cases[i];
		long long got = http_retry_after_ms(c->value, c->now);

		if (got != c->want)
			fprintf(stderr, "  %s: got %lld want %lld\n", c->name,
			    got, c->want);
		T_CHECK(got == c->want, c->name);
	}
}

struct hg_case {
	const char	*name;
	const char	*headers;
	const char	*key;
	int		 found;
	const char	*want;
};

static const struct hg_case hg_cases[] = {
	{ "simple", "Retry-After: 5\n", "retry-after", 1, "5" },
	{ "case", "content-type: application/json\nRETRY-AFTER:   9  \n",
	    "Retry-After", 1, "9" },
	{ "absent", "a: b\n", "Retry-After", 0, "" },
	{ "prefix-not-match", "Retry-After-X: 5\n", "Retry-After", 0, "" },
	{ "empty", "", "Retry-After", 0, "" },
	{ "no-newline", "ETag: \"abc\"", "etag", 1, "\"abc\"" },
};

static void
test_header_get(void)
{
	size_t i;
	char out[64];

	for (i = 0; i < sizeof(hg_cases) / sizeof(hg_cases[0]); i++) {
		const struct hg_case *c = &hg_cases[i];
		struct http_response rs;
		int found;

		http_response_init(&rs);
		buf_adds(&rs.headers, c->headers);
		out[0] = '\0';
		found = http_header_get(&rs, c->key, out, sizeof(out));
		T_CHECK(found == c->found, c->name);
		if (found)
			T_STREQ(out, c->want, c->name);
		http_response_free(&rs);
	}
	/* A value longer than the output is cut, still terminated. */
	{
		struct http_response rs;

		http_response_init(&rs);
		buf_adds(&rs.headers, "X: 0123456789\n");
		T_CHECK(http_header_get(&rs, "x", out, 5) == 1, "cut");
		T_STREQ(out, "0123", "cut");
		http_response_free(&rs);
	}
}

int
main(void)
{
	test_retry_after();
	test_header_get();
	return t_done("http_retry_after");
}
