/*
 * fuzz_seal.c - seal objects as verify reads them from an archive
 * (seal.c).  Input: the bytes of a seal object.  Oracles: a seal that
 * parses rewrites to a statement that parses again to the same fields
 * (seq, bytes, objects, prev, key id); a rejected one always says why;
 * the tiling check never passes objects that leave a gap or overlap.
 */
#include "fuzz.h"
#include "seal.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seal_stmt s, s2;
	struct slice st;
	struct err e = { 0, "" };
	char kid[SEAL_KEY_ID];
	uint8_t sig[SEAL_SIG_LEN];
	struct buf b;
	size_t i;
	uint64_t at;

	if (seal_parse((const char *)data, size, &s, &st, kid, sig, &e) == -1) {
		FUZZ_CHECK(e.msg[0] != '\0', "a rejected seal says why");
		seal_stmt_free(&s);
		return 0;
	}
	buf_init(&b, SEAL_MAX_BYTES);
	if (seal_stmt_write(&b, &s) == 0) {
		err_clear(&e);
		FUZZ_CHECK(seal_stmt_parse(b.p, b.len, &s2, &e) == 0, "rewrite parses");
		FUZZ_CHECK(s2.seq == s.seq && s2.bytes == s.bytes &&
		    s2.nobjs == s.nobjs && strcmp(s2.prev, s.prev) == 0 &&
		    strcmp(s2.key_id, s.key_id) == 0 && s2.empty == s.empty,
		    "rewrite keeps the fields");
		seal_stmt_free(&s2);
	}
	err_clear(&e);
	if (seal_tiling_check(s.objs, s.nobjs, s.generation, s.bytes, &e) == 0) {
		for (i = 0, at = 0; i < s.nobjs; i++)
			if (s.objs[i].generation == s.generation) {
				FUZZ_CHECK(s.objs[i].start == at, "tiles without gap or overlap");
				at = s.objs[i].end;
			}
		FUZZ_CHECK(at == s.bytes, "tiles up to bytes");
	}
	buf_free(&b);
	seal_stmt_free(&s);
	return 0;
}
