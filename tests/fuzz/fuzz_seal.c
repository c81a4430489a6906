/*
 * fuzz_seal.c - the seal object parser (seal.c: seal_parse, the statement
 * and the "sig" line) and strict base64.  Input: a seal object (two
 * lines), parsed in place (libFuzzer's buffer is exactly size bytes, so
 * ASan sees any read past the input).  Oracles:
 *  - an accepted seal has sane fields (version 1, a YYYY-MM-DD date, hex
 *    digests of the right length, the sig line's key id = key_id, the
 *    statement slice = line 1 of the input);
 *  - round trip: the statement written by seal_stmt_write parses back
 *    equal, field by field, and writing that gives the same bytes; the
 *    sig line written by seal_sig_write is the input's line 2 byte for
 *    byte (only canonical base64 is accepted) and the rebuilt object
 *    parses with the same signature;
 *  - a rejected input says why (e non-empty);
 *  - base64: a decoded string encodes back to the same text;
 *  - writing into a too-small buf fails with -1 and stays within max;
 *  - the tiling check never passes objects that leave a gap or overlap.
 */
#include "fuzz.h"
#include "seal.h"

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
hex_ok(const char *s, size_t digits, int may_be_empty)
{
	if (may_be_empty && s[0] == '\0')
		return 1;
	return strlen(s) == digits && seal_is_hex(s, digits);
}

static void
check_fields(const struct seal_stmt *s)
{
	size_t i;

	FUZZ_CHECK(s->version == SEAL_VERSION, "version");
	FUZZ_CHECK(s->host != NULL && s->user != NULL && s->date != NULL,
	    "host, user, date present");
	FUZZ_CHECK(strlen(s->date) == 10 && s->date[4] == '-' && s->date[7] == '-',
	    "date shape");
	FUZZ_CHECK(s->seq >= 1, "seq");
	FUZZ_CHECK(hex_ok(s->sha256, 64, 0), "sha256 hex");
	FUZZ_CHECK(hex_ok(s->prev, 64, 1), "prev hex or null");
	FUZZ_CHECK(hex_ok(s->key_id, 32, 0), "key_id hex");
	FUZZ_CHECK(s->nobjs <= SEAL_MAX_OBJECTS, "object cap");
	FUZZ_CHECK(s->lock_until == NULL || s->lock_mode != NULL,
	    "no retain_until without a lock mode");
	for (i = 0; i < s->nobjs; i++) {
		FUZZ_CHECK(s->objs[i].key != NULL, "object key");
		FUZZ_CHECK(hex_ok(s->objs[i].sha256, 64, 0) &&
		    hex_ok(s->objs[i].stored_sha256, 64, 0), "object hashes");
		FUZZ_CHECK(s->objs[i].generation <= s->generation, "object generation");
		FUZZ_CHECK(i == 0 || s->objs[i].generation >= s->objs[i - 1].generation,
		    "objects in generation order");
	}
}

static void
check_equal(const struct seal_stmt *a, const struct seal_stmt *b)
{
	size_t i;

	FUZZ_CHECK(a->version == b->version && a->seq == b->seq &&
	    a->empty == b->empty && a->bytes == b->bytes && a->lines == b->lines &&
	    a->generation == b->generation && a->invalid == b->invalid &&
	    a->oversize == b->oversize && a->nobjs == b->nobjs, "same numbers");
	FUZZ_CHECK(str_eq(a->host, b->host) && str_eq(a->user, b->user) &&
	    str_eq(a->date, b->date) && str_eq(a->file, b->file), "same names");
	FUZZ_CHECK(str_eq(a->lock_mode, b->lock_mode) &&
	    str_eq(a->lock_until, b->lock_until), "same lock");
	FUZZ_CHECK(strcmp(a->sha256, b->sha256) == 0 && strcmp(a->prev, b->prev) == 0 &&
	    strcmp(a->key_id, b->key_id) == 0 &&
	    strcmp(a->sealed_at, b->sealed_at) == 0, "same digests and time");
	for (i = 0; i < a->nobjs; i++) {
		const struct seal_obj *x = &a->objs[i], *y = &b->objs[i];

		FUZZ_CHECK(strcmp(x->key, y->key) == 0 && x->start == y->start &&
		    x->end == y->end && x->generation == y->generation &&
		    strcmp(x->sha256, y->sha256) == 0 &&
		    strcmp(x->stored_sha256, y->stored_sha256) == 0, "same object");
	}
}

static void
round_trip(const struct seal_stmt *s)
{
	struct seal_stmt s2;
	struct err e = { 0, "" };
	struct buf a, b, small;

	check_fields(s);
	buf_init(&a, SEAL_MAX_BYTES * 2);
	buf_init(&b, SEAL_MAX_BYTES * 2);
	FUZZ_CHECK(seal_stmt_write(&a, s) == 0, "a parsed statement writes");
	FUZZ_CHECK(jsonl_is_object(a.p, a.len), "written statement is JSON");
	FUZZ_CHECK(memchr(a.p, '\n', a.len) == NULL, "written statement is one line");
	FUZZ_CHECK(seal_stmt_parse(a.p, a.len, &s2, &e) == 0, "written statement parses");
	check_equal(s, &s2);
	FUZZ_CHECK(seal_stmt_write(&b, &s2) == 0, "writes again");
	FUZZ_CHECK(a.len == b.len && memcmp(a.p, b.p, a.len) == 0,
	    "write -> parse -> write is byte-identical");
	seal_stmt_free(&s2);
	/* A buf too small by one byte fails cleanly. */
	buf_init(&small, a.len - 1);
	FUZZ_CHECK(seal_stmt_write(&small, s) == -1 && small.len <= a.len - 1,
	    "short buf fails within max");
	buf_free(&small);
	buf_free(&a);
	buf_free(&b);
}

static void
tiling(const struct seal_stmt *s)
{
	struct err e = { 0, "" };
	uint64_t at = 0;
	size_t i;

	if (seal_tiling_check(s->objs, s->nobjs, s->generation, s->bytes, &e) != 0)
		return;
	for (i = 0; i < s->nobjs; i++)
		if (s->objs[i].generation == s->generation) {
			FUZZ_CHECK(s->objs[i].start == at, "tiles without gap or overlap");
			at = s->objs[i].end;
		}
	FUZZ_CHECK(at == s->bytes, "tiles up to bytes");
}

static void
b64_check(const uint8_t *data, size_t size)
{
	uint8_t out[96];
	char enc[4 * 32 + 1];
	size_t n;

	if (size > 128)
		return;
	if (seal_b64_decode((const char *)data, size, out, sizeof(out), &n) == 0) {
		FUZZ_CHECK(n <= sizeof(out) && n * 4 <= size * 3, "decoded length");
		seal_b64_encode(out, n, enc);
		FUZZ_CHECK(strlen(enc) == size && memcmp(enc, data, size) == 0,
		    "only canonical base64 decodes");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct seal_stmt s;
	struct slice stmt;
	struct err e = { 0, "" };
	char kid[SEAL_KEY_ID];
	uint8_t sig[SEAL_SIG_LEN], sig2[SEAL_SIG_LEN];
	int rc;

	b64_check(data, size);
	rc = seal_parse(p, size, &s, &stmt, kid, sig, &e);
	if (rc == -1) {
		FUZZ_CHECK(e.msg[0] != '\0', "a rejected seal says why");
		seal_stmt_free(&s);
	} else {
		const char *l2 = stmt.p + stmt.len + 1;
		size_t l2len = (size_t)(p + size - l2);
		struct buf line, obj;
		struct seal_stmt s3;
		struct slice st3;
		char kid3[SEAL_KEY_ID];

		FUZZ_CHECK(stmt.p == p && stmt.len < size && p[stmt.len] == '\n',
		    "statement is line 1");
		FUZZ_CHECK(strcmp(kid, s.key_id) == 0, "sig key id = key_id");
		round_trip(&s);
		tiling(&s);
		if (l2len > 0 && l2[l2len - 1] == '\n')
			l2len--;
		buf_init(&line, 4096);
		FUZZ_CHECK(seal_sig_write(&line, kid, sig) == 0, "sig line writes");
		FUZZ_CHECK(line.len == l2len && memcmp(line.p, l2, l2len) == 0,
		    "the sig line is canonical");
		buf_init(&obj, SEAL_MAX_BYTES * 2);
		FUZZ_CHECK(seal_stmt_write(&obj, &s) == 0 && buf_addc(&obj, '\n') == 0 &&
		    buf_add(&obj, line.p, line.len) == 0 && buf_addc(&obj, '\n') == 0,
		    "rebuild");
		FUZZ_CHECK(seal_parse(obj.p, obj.len, &s3, &st3, kid3, sig2, &e) == 0,
		    "a rebuilt seal parses");
		FUZZ_CHECK(memcmp(sig, sig2, SEAL_SIG_LEN) == 0 && strcmp(kid, kid3) == 0,
		    "same signature");
		check_equal(&s, &s3);
		seal_stmt_free(&s3);
		buf_free(&obj);
		buf_free(&line);
		seal_stmt_free(&s);
	}
	/* The statement alone (seal_stmt_parse), the whole input as line 1. */
	err_clear(&e);
	if (seal_stmt_parse(p, size, &s, &e) == 0)
		round_trip(&s);
	else
		FUZZ_CHECK(e.msg[0] != '\0', "a rejected statement says why");
	seal_stmt_free(&s);
	return 0;
}
