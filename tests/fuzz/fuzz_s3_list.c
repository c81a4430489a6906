/*
 * fuzz_s3_list.c - ListObjectsV2 pages (s3_list.c).  Oracles: an accepted
 * page never hands out an empty name or one with a NUL, prefixes end
 * where the page said (callback count within the number of "<Contents>"
 * and "<CommonPrefixes>" openings), a truncated page always carries a
 * token, and an error always has a message.  Also s3_checksum_full() on
 * the input's first bytes (a trusted checksum is exactly 32 bytes).
 */
#include <string.h>

#include "fuzz.h"
#include "s3_archive.h"

struct count {
	size_t	n;
};

static int
cb(void *ctx, const char *name, uint64_t size, int is_prefix)
{
	struct count *c = ctx;

	FUZZ_CHECK(name != NULL && name[0] != '\0', "empty name");
	FUZZ_CHECK(!is_prefix || size == 0, "prefix with a size");
	c->n++;
	return 0;
}

static size_t
occurrences(const char *p, size_t n, const char *s)
{
	size_t k = 0, l = strlen(s);
	const char *q = p, *end = p + n, *f;

	while ((f = memmem(q, (size_t)(end - q), s, l)) != NULL) {
		k++;
		q = f + l;
	}
	return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct count c = { 0 };
	struct err e = { 0, "" };
	struct buf tok;
	int trunc = -1, rc;

	buf_init(&tok, 4096);
	rc = s3_list_page(p, size, cb, &c, &trunc, &tok, &e);
	if (rc == 0) {
		FUZZ_CHECK(c.n <= occurrences(p, size, "<Contents>") +
		    occurrences(p, size, "<CommonPrefixes>"), "more entries "
		    "than openings");
		FUZZ_CHECK(!trunc || tok.len > 0, "truncated without token");
	} else {
		FUZZ_CHECK(e.msg[0] != '\0', "error without message");
	}
	buf_free(&tok);
	{
		/* the x-amz-checksum-sha256 parser: hex out only when true */
		char v[64], hex[65];
		size_t l = size < sizeof(v) - 1 ? size : sizeof(v) - 1;

		memcpy(v, p, l);
		v[l] = '\0';
		if (s3_checksum_full(v, hex))
			FUZZ_CHECK(strlen(hex) == 64 && strlen(v) == 44,
			    "a full checksum that is not 32 bytes");
		else
			FUZZ_CHECK(hex[0] == '\0', "hex out on refusal");
	}
	return 0;
}
