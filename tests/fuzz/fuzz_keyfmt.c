/*
 * fuzz_keyfmt.c - object key templates (keyfmt.c).  Input: template, host,
 * user, separated by NUL bytes.  Oracles: a template keyfmt_check()
 * accepts renders; variable values never add a directory level or a ".."
 * segment (the key has as many '/' as with harmless values).
 */
#include "fuzz.h"
#include "keyfmt.h"

static size_t
count_slash(const char *p, size_t n)
{
	size_t k, c = 0;

	for (k = 0; k < n; k++)
		c += p[k] == '/';
	return c;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *part[3], *mem;
	struct keyfmt_vars v = { 0 }, plain = { 0 };
	struct err e = { 0, "" };
	struct buf b, b2;
	int rc, rc2;

	fuzz_split(data, size, part, 3, &mem);
	if (keyfmt_check(part[0], &e) == 0) {
		v.host = part[1];
		v.user = part[2];
		v.date = "2026-11-20";
		v.start = 12;
		v.end = size;
		v.generation = size % 3;
		plain = v;
		plain.host = "h";
		plain.user = "u";
		buf_init(&b, 1 << 16);
		buf_init(&b2, 1 << 16);
		/* A checked template always renders, unless the rendered key is
		 * over the key cap: every {start}/{end} becomes 12 digits, so a
		 * short template of many variables can be too long. */
		rc = keyfmt_render(&b, "pre/", part[0], &v, &e);
		FUZZ_CHECK(rc == 0 || strstr(e.msg, "too long") != NULL,
		    "checked template renders");
		e.msg[0] = '\0';
		rc2 = keyfmt_render(&b2, "pre/", part[0], &plain, &e);
		FUZZ_CHECK(rc2 == 0 || strstr(e.msg, "too long") != NULL,
		    "renders with plain values");
		if (rc != 0 || rc2 != 0)
			b.len = 0;
		if (b.len > 0) {
			FUZZ_CHECK(count_slash(b.p, b.len) == count_slash(b2.p, b2.len),
			    "values add no directory level");
			FUZZ_CHECK(strstr(b.p, "/../") == NULL || strstr(b2.p, "/../") != NULL,
			    "values add no .. segment");
		}
		buf_free(&b);
		buf_free(&b2);
	}
	free(mem);
	return 0;
}
