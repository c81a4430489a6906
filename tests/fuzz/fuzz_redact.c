/*
 * fuzz_redact.c - redact.c.  Oracles: the output never passes the buffer's
 * bound (a small bound must fail cleanly, leaving at most max bytes); with
 * room, redaction succeeds, and redacting the output again keeps every
 * marker (a second pass may find more: a value whose context changed once
 * the first secret became a marker); redact_member stays in bounds too.
 */
#include "fuzz.h"
#include "redact.h"

static size_t
markers(const struct buf *b)
{
	const char *p = b->p, *end = b->p != NULL ? b->p + b->len : NULL;
	size_t n = 0;

	while (p != NULL && p < end &&
	    (p = memmem(p, (size_t)(end - p), "<REDACTED:", 10)) != NULL) {
		n++;
		p += 10;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct buf a, b;
	size_t small, nlen;
	int n;

	buf_init(&a, 4 * size + 64);
	n = redact_append(&a, p, size);
	FUZZ_CHECK(n >= 0, "redaction fits 4x + 64");
	FUZZ_CHECK(a.len <= a.max, "within bound");
	buf_init(&b, 4 * a.len + 64);
	FUZZ_CHECK(redact_append(&b, a.p, a.len) >= 0, "second pass fits");
	FUZZ_CHECK(markers(&b) >= markers(&a), "a second pass keeps every marker");
	buf_free(&b);

	small = size > 0 ? data[0] % (size + 1) : 0;
	buf_init(&b, small);
	n = redact_append(&b, p, size);
	FUZZ_CHECK(b.len <= small, "small bound respected");
	FUZZ_CHECK((n == -1) == (a.len > small), "-1 exactly when it does not fit");
	buf_free(&b);
	buf_free(&a);

	/* The first line is a member name, the rest its value. */
	{
		const char *nl = memchr(p, '\n', size);

		nlen = nl != NULL ? (size_t)(nl - p) : 0;
		buf_init(&a, 4 * size + 64);
		n = redact_member(&a, p, nlen, nl ? nl + 1 : p, nl ? size - nlen - 1 : size);
		FUZZ_CHECK(n >= 0 && a.len <= a.max, "member within bound");
		buf_free(&a);
		(void)redact_name_kind(p, nlen);
	}
	return 0;
}
