/*
 * fuzz_sigv4.c - the SigV4 canonical forms (sigv4.c).  Oracles: a
 * canonical query is made of "name=value" parts joined by '&', sorted,
 * in the unreserved set or %XX with upper-case hex, and canonicalising it
 * again gives the same bytes; URI encoding keeps to the same alphabet.
 */
#include "fuzz.h"
#include "sigv4.h"

static int
is_uphex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

static int
canon_char(const char *p, size_t n, size_t *k, int allow_slash)
{
	char c = p[*k];

	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~' || (allow_slash && c == '/'))
		return 1;
	if (c == '%' && *k + 2 < n && is_uphex(p[*k + 1]) && is_uphex(p[*k + 2])) {
		*k += 2;
		return 1;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *q = fuzz_strndup(data, size);
	struct err e = { 0, "" };
	struct buf a, b;
	size_t k;

	buf_init(&a, 16 * size + 64);
	buf_init(&b, 16 * size + 64);
	if (strlen(q) == size && sigv4_canonical_query(&a, q, &e) == 0) {
		FUZZ_CHECK(sigv4_canonical_query(&b, a.p, &e) == 0, "canonical parses");
		FUZZ_CHECK(a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0),
		    "canonical query is a fixed point");
		for (k = 0; k < a.len; k++)
			FUZZ_CHECK(a.p[k] == '&' || a.p[k] == '=' ||
			    canon_char(a.p, a.len, &k, 0), "query alphabet");
	}
	buf_reset(&a);
	FUZZ_CHECK(sigv4_uri_encode(&a, (const char *)data, size, size & 1) == 0,
	    "encoding fits 16x");
	for (k = 0; k < a.len; k++)
		FUZZ_CHECK(canon_char(a.p, a.len, &k, size & 1), "URI alphabet");
	buf_free(&a);
	buf_free(&b);
	free(q);
	return 0;
}
