/*
 * fuzz_jsonl.c - jsonl.c: the validating scanner, the escaper and the
 * member finder.  Oracles: an escaped string wrapped in an object is a
 * valid object; the UTF-8 check agrees with a sequence-by-sequence walk;
 * what the finder returns lies inside the input; "{}" splicing is sound.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *val;
	const unsigned char *u = data, *end = data + size;
	struct buf b;
	size_t vlen, k, seq, after;
	int valid = 1, empty;

	/* jsonl_utf8_valid == every position starts a valid sequence. */
	for (k = 0; k < size; k += seq)
		if ((seq = jsonl_utf8_seq(u + k, end)) == 0) {
			valid = 0;
			break;
		}
	FUZZ_CHECK(jsonl_utf8_valid(p, size) == valid, "utf8_valid vs utf8_seq");

	buf_init(&b, 6 * size + 16);
	FUZZ_CHECK(jsonl_escape(&b, p, size) == 0, "escape fits 6x");
	FUZZ_CHECK(fuzz_json_string_ok(b.p, b.len), "escaped string is JSON");
	buf_free(&b);

	if (jsonl_is_object(p, size)) {
		FUZZ_CHECK(valid, "an object is valid UTF-8");
		if (jsonl_find_string(p, size, "type", &val, &vlen) == 1)
			FUZZ_CHECK(val >= p && val + vlen <= p + size,
			    "found value inside the input");
		after = jsonl_object_open(p, size, &empty);
		FUZZ_CHECK(after > 0 && after <= size && p[after - 1] == '{',
		    "object_open is after the '{'");
		/* Splice a member in front, as fmt_http does. */
		buf_init(&b, size + 32);
		buf_adds(&b, "{\"x\":1");
		if (!empty)
			buf_addc(&b, ',');
		buf_add(&b, p + after, size - after);
		FUZZ_CHECK(jsonl_is_object(b.p, b.len), "spliced object valid");
		buf_free(&b);
	}
	(void)jsonl_is_rfc3339(p, size);
	return 0;
}
