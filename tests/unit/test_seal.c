/*
 * test_seal.c - seal statements, sig lines, base64, chain and tiling
 * (SPEC §7), with a fixed Ed25519 key so the bytes are pinned.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "seal.h"
#include "test.h"

/* Checked independently with Python's cryptography package. */
#define PINNED_KEY_ID "65b60673d6ed884bf01c2c222d82ada0"
#define PINNED_SIG "dHk8GAlP1//GFLaXd1x9M2t1aGEt0TqRS7vjHtGujRMRy0cpw8yXRrd1k5mTTIUAT0qHwAg6gnfDc812CISHDA=="
#define H64(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
	c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c

static const char pinned_stmt[] =
    "{\"auditship_seal\":1,\"host\":\"h1\",\"user\":\"alice\","
    "\"date\":\"2026-11-20\",\"seq\":2,\"state\":\"sealed\","
    "\"file\":\"2026-11-20.jsonl\",\"bytes\":300,\"lines\":3,"
    "\"sha256\":\"" H64("a") "\",\"objects\":["
    "{\"key\":\"h1/alice/2026/11/20/2026-11-20.000000000000-000000000100.jsonl.gz\","
    "\"start\":0,\"end\":100,\"sha256\":\"" H64("b") "\",\"stored_sha256\":\"" H64("c") "\"},"
    "{\"key\":\"h1/alice/2026/11/20/2026-11-20.000000000100-000000000300.jsonl.gz\","
    "\"start\":100,\"end\":300,\"sha256\":\"" H64("d") "\",\"stored_sha256\":\"" H64("e") "\"}],"
    "\"resets\":[{\"generation\":0,\"objects\":["
    "{\"key\":\"old\",\"start\":0,\"end\":50,\"sha256\":\"" H64("1") "\",\"stored_sha256\":\"" H64("2") "\"}]}],"
    "\"invalid\":1,\"oversize\":0,"
    "\"lock\":{\"mode\":\"COMPLIANCE\",\"retain_until\":\"2027-11-20T00:00:00Z\"},"
    "\"prev\":\"" H64("f") "\",\"key_id\":\"0123456789abcdef0123456789abcdef\","
    "\"sealed_at\":\"2026-11-21T00:05:00Z\"}";

static void
fill(struct seal_stmt *s)
{
	memset(s, 0, sizeof(*s));
	s->version = 1;
	s->host = strdup("h1");
	s->user = strdup("alice");
	s->date = strdup("2026-11-20");
	s->seq = 2;
	s->file = strdup("2026-11-20.jsonl");
	s->bytes = 300;
	s->lines = 3;
	memcpy(s->sha256, H64("a"), 65);
	s->generation = 1;
	seal_stmt_add_obj(s, "old", 0, 50, H64("1"), H64("2"), 0);
	seal_stmt_add_obj(s, "h1/alice/2026/11/20/2026-11-20.000000000000-000000000100.jsonl.gz",
	    0, 100, H64("b"), H64("c"), 1);
	seal_stmt_add_obj(s, "h1/alice/2026/11/20/2026-11-20.000000000100-000000000300.jsonl.gz",
	    100, 300, H64("d"), H64("e"), 1);
	s->invalid = 1;
	s->lock_mode = strdup("COMPLIANCE");
	s->lock_until = strdup("2027-11-20T00:00:00Z");
	memcpy(s->prev, H64("f"), 65);
	memcpy(s->key_id, "0123456789abcdef0123456789abcdef", 33);
	memcpy(s->sealed_at, "2026-11-21T00:05:00Z", 21);
}

static void
test_write_parse(void)
{
	struct seal_stmt s, p;
	struct buf b;
	struct err e = { 0, "" };
	size_t i;

	fill(&s);
	buf_init(&b, 1 << 20);
	T_CHECK(seal_stmt_write(&b, &s) == 0, "write");
	T_STREQ(b.p, pinned_stmt, "pinned statement bytes, fixed member order");
	T_CHECK(seal_stmt_parse(b.p, b.len, &p, &e) == 0, "parse back");
	T_STREQ(e.msg, "", "no error");
	T_STREQ(p.host, "h1", "host");
	T_STREQ(p.date, "2026-11-20", "date");
	T_CHECK(p.seq == 2 && p.bytes == 300 && p.lines == 3 && p.invalid == 1, "numbers");
	T_CHECK(p.generation == 1 && p.nobjs == 3, "generations");
	T_STREQ(p.lock_mode, "COMPLIANCE", "lock");
	T_STREQ(p.prev, H64("f"), "prev");
	for (i = 0; i < p.nobjs; i++)
		if (p.objs[i].generation == 1 && p.objs[i].start == 100)
			T_STREQ(p.objs[i].stored_sha256, H64("e"), "object hash");
	/* Same bytes again from the parsed form. */
	buf_reset(&b);
	T_CHECK(seal_stmt_write(&b, &p) == 0, "rewrite");
	T_STREQ(b.p, pinned_stmt, "parse/write round trip");
	seal_stmt_free(&p);

	/* An empty day: null file, no objects, null prev, null lock. */
	seal_stmt_free(&s);
	memset(&s, 0, sizeof(s));
	s.version = 1;
	s.host = strdup("h");
	s.user = strdup("u\"q");
	s.date = strdup("2026-11-21");
	s.seq = 1;
	s.empty = 1;
	memcpy(s.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 65);
	memcpy(s.key_id, "0123456789abcdef0123456789abcdef", 33);
	memcpy(s.sealed_at, "2026-11-22T00:00:00Z", 21);
	buf_reset(&b);
	T_CHECK(seal_stmt_write(&b, &s) == 0, "write empty");
	T_STREQ(b.p, "{\"auditship_seal\":1,\"host\":\"h\",\"user\":\"u\\\"q\","
	    "\"date\":\"2026-11-21\",\"seq\":1,\"state\":\"empty\",\"file\":null,"
	    "\"bytes\":0,\"lines\":0,\"sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\","
	    "\"objects\":[],\"resets\":[],\"invalid\":0,\"oversize\":0,\"lock\":null,"
	    "\"prev\":null,\"key_id\":\"0123456789abcdef0123456789abcdef\","
	    "\"sealed_at\":\"2026-11-22T00:00:00Z\"}", "empty seal bytes");
	T_CHECK(seal_stmt_parse(b.p, b.len, &p, &e) == 0, "parse empty");
	T_CHECK(p.empty && p.file == NULL && p.prev[0] == '\0' && p.nobjs == 0, "empty fields");
	T_STREQ(p.user, "u\"q", "unescaped user");
	seal_stmt_free(&p);
	seal_stmt_free(&s);
	buf_free(&b);
}

/* A valid statement cut open: OK_HEAD, more members, OK_TAIL, maybe more
 * members (date last, so a row can give its own), then "}". */
#define OK_HEAD "{\"auditship_seal\":1,\"host\":\"h\","
#define OK_TAIL ",\"seq\":1,\"state\":\"empty\",\"bytes\":0,\"sha256\":\"" H64("0") "\"," \
	"\"objects\":[],\"prev\":null,\"key_id\":\"0123456789abcdef0123456789abcdef\""

static const struct {
	const char *in;
	const char *why;	/* substring of the error */
} bad_stmts[] = {
	{ "", "not a JSON object" },
	{ "[1]", "not a JSON object" },
	{ "{\"a\":1}", "no auditship_seal" },
	{ "{\"auditship_seal\":2,\"host\":\"h\"}", "unknown auditship_seal version 2" },
	{ "{\"auditship_seal\":1,\"host\":\"h\"}", "lacks a member" },
	{ "{\"auditship_seal\":1,\"host\":\"h\",\"user\":\"u\",\"date\":\"2026-1-01\",\"seq\":1,"
	  "\"state\":\"empty\",\"bytes\":0,\"sha256\":\"" H64("0") "\",\"objects\":[],"
	  "\"prev\":null,\"key_id\":\"0123456789abcdef0123456789abcdef\"}", "YYYY-MM-DD" },
	{ "{\"auditship_seal\":1,\"host\":\"h\",\"user\":\"u\",\"date\":\"2026-01-01\",\"seq\":1,"
	  "\"state\":\"weird\",\"bytes\":0,\"sha256\":\"" H64("0") "\",\"objects\":[],"
	  "\"prev\":null,\"key_id\":\"0123456789abcdef0123456789abcdef\"}", "sealed or empty" },
	{ "{\"auditship_seal\":1,\"host\":\"h\",\"user\":\"u\",\"date\":\"2026-01-01\",\"seq\":1,"
	  "\"state\":\"empty\",\"bytes\":0,\"sha256\":\"abc\",\"objects\":[],"
	  "\"prev\":null,\"key_id\":\"0123456789abcdef0123456789abcdef\"}", "malformed" },
	{ "{\"auditship_seal\":1,\"host\":\"h\",\"user\":\"u\",\"date\":\"2026-01-01\",\"seq\":1,"
	  "\"state\":\"sealed\",\"bytes\":5,\"sha256\":\"" H64("0") "\",\"objects\":[{\"key\":\"k\"}],"
	  "\"prev\":null,\"key_id\":\"0123456789abcdef0123456789abcdef\"}", "objects: malformed" },
	{ "{\"auditship_seal\":1,\"seq\":-1}", "malformed" },
	/* fuzz_seal findings: each would parse into fields that do not write
	 * back the same (or that two readers could take differently). */
	{ OK_HEAD "\"user\":\"u\",\"user\":\"v\"" OK_TAIL "}", "member user twice" },
	{ OK_HEAD "\"user\":\"u\"" OK_TAIL ",\"lock\":{\"retain_until\":\"x\"}}", "malformed" },
	{ OK_HEAD "\"user\":\"u\"" OK_TAIL ",\"lock\":{\"mode\":null,\"retain_until\":null}}", "malformed" },
	{ OK_HEAD "\"user\":\"u\"" OK_TAIL ",\"sealed_at\":\"2026-11-21T00:05:00.123456789012345Z\"}", "malformed" },
	{ OK_HEAD "\"user\":\"u\"" OK_TAIL ",\"resets\":[{\"generation\":1,\"objects\":[]}]}", "generation 1 where 0" },
	{ OK_HEAD "\"user\":\"u\"" OK_TAIL ",\"resets\":[{\"generation\":0,\"objects\":[]},{\"generation\":0,\"objects\":[]}]}", "generation 0 where 1" },
	{ OK_HEAD "\"user\":\"\\udc00\"" OK_TAIL "}", "malformed" },
	{ OK_HEAD "\"user\":\"\xff\"" OK_TAIL "}", "not a JSON object" },
	{ OK_HEAD "\"user\":\"u\"" OK_TAIL ",\"date\":\"2026-02-30\"}", "YYYY-MM-DD" },
	{ OK_HEAD "\"user\":\"u\"" OK_TAIL ",\"date\":\"2100-02-29\"}", "YYYY-MM-DD" },
	{ OK_HEAD "\"user\":\"u\"" OK_TAIL ",\"date\":\"2026-13-01\"}", "YYYY-MM-DD" },

	{ "{\"auditship_seal\":1,\"bytes\":99999999999999999999999}", "malformed" },
};

static void
test_bad_statements(void)
{
	struct seal_stmt s;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(bad_stmts) / sizeof(bad_stmts[0]); i++) {
		err_clear(&e);
		T_CHECK(seal_stmt_parse(bad_stmts[i].in, strlen(bad_stmts[i].in), &s, &e) == -1,
		    bad_stmts[i].in);
		T_CHECK(strstr(e.msg, bad_stmts[i].why) != NULL, bad_stmts[i].why);
		if (strstr(e.msg, bad_stmts[i].why) == NULL)
			fprintf(stderr, "  got: %s\n", e.msg);
		seal_stmt_free(&s);
	}
}

/* What the bad rows change, accepted when right; and generations whose
 * resets list no object still write back the same. */
static void
test_good_edges(void)
{
	static const char *const ok[] = {
		OK_HEAD "\"user\":\"u\"" OK_TAIL ",\"date\":\"2028-02-29\"}",
		OK_HEAD "\"user\":\"\\ud83d\\ude00\"" OK_TAIL ",\"date\":\"2000-02-29\"}",
		OK_HEAD "\"user\":\"u\"" OK_TAIL ",\"date\":\"2026-12-31\","
		    "\"resets\":[{\"generation\":0,\"objects\":[]},{\"objects\":[],\"generation\":1}],"
		    "\"lock\":{\"mode\":\"GOVERNANCE\",\"retain_until\":null}}",
	};
	struct seal_stmt s, p;
	struct buf b, c;
	struct err e;
	size_t i;

	buf_init(&b, 1 << 16);
	buf_init(&c, 1 << 16);
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		err_clear(&e);
		T_CHECK(seal_stmt_parse(ok[i], strlen(ok[i]), &s, &e) == 0, ok[i]);
		buf_reset(&b);
		buf_reset(&c);
		T_CHECK(seal_stmt_write(&b, &s) == 0, "write");
		T_CHECK(seal_stmt_parse(b.p, b.len, &p, &e) == 0, "parse back");
		T_CHECK(p.generation == s.generation && seal_stmt_write(&c, &p) == 0 &&
		    b.len == c.len && memcmp(b.p, c.p, b.len) == 0, "same bytes again");
		if (i == 2)
			T_CHECK(s.generation == 2 && p.generation == 2, "generation 2, no objects");
		seal_stmt_free(&s);
		seal_stmt_free(&p);
	}
	buf_free(&b);
	buf_free(&c);
}

static void
test_b64(void)
{
	static const struct { const char *in, *out; } v[] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	char out[64];
	uint8_t dec[64];
	size_t i, n;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		seal_b64_encode((const uint8_t *)v[i].in, strlen(v[i].in), out);
		T_STREQ(out, v[i].out, "RFC 4648 vector");
		T_CHECK(seal_b64_decode(v[i].out, strlen(v[i].out), dec, sizeof(dec), &n) == 0 &&
		    n == strlen(v[i].in) && memcmp(dec, v[i].in, n) == 0, "decode vector");
	}
	T_CHECK(seal_b64_decode("Zm9", 3, dec, sizeof(dec), &n) == -1, "bad length");
	T_CHECK(seal_b64_decode("Zm=v", 4, dec, sizeof(dec), &n) == -1, "pad in middle");
	T_CHECK(seal_b64_decode("Zm9v!A==", 8, dec, sizeof(dec), &n) == -1, "bad char");
	T_CHECK(seal_b64_decode("Zm9vYmFy", 8, dec, 5, &n) == -1, "over cap");
	/* Non-canonical: the bits the padding drops are not zero. */
	T_CHECK(seal_b64_decode("Zh==", 4, dec, sizeof(dec), &n) == -1, "stray bits, ==");
	T_CHECK(seal_b64_decode("Zm9=", 4, dec, sizeof(dec), &n) == -1, "stray bits, =");
}

/* A fixed key (seed 0x01..0x20): the signature of the pinned statement and
 * its sig line are pinned too (Ed25519 is deterministic, RFC 8032). */
static void
test_sign_pinned(void)
{
	uint8_t seed[32], sig[64], pub[32], sig2[64];
	struct crypto_sign_key *k;
	struct buf line, obj;
	struct seal_stmt s;
	struct slice st;
	struct err e = { 0, "" };
	char kid[SEAL_KEY_ID];
	int i;

	for (i = 0; i < 32; i++)
		seed[i] = (uint8_t)(i + 1);
	k = crypto_ed25519_from_seed(seed);
	T_CHECK(k != NULL, "key from seed");
	if (k == NULL)
		return;
	T_STREQ(crypto_ed25519_key_id(k), PINNED_KEY_ID, "pinned key id");
	T_CHECK(crypto_ed25519_sign(k, pinned_stmt, strlen(pinned_stmt), sig) == 0, "sign");
	buf_init(&line, 4096);
	T_CHECK(seal_sig_write(&line, crypto_ed25519_key_id(k), sig) == 0, "sig line");
	T_STREQ(line.p, "sig " PINNED_KEY_ID " " PINNED_SIG, "pinned sig line");
	crypto_ed25519_pub(k, pub);
	T_CHECK(crypto_ed25519_verify(pub, pinned_stmt, strlen(pinned_stmt), sig) == 1, "verifies");
	sig[5] ^= 1;
	T_CHECK(crypto_ed25519_verify(pub, pinned_stmt, strlen(pinned_stmt), sig) == 0, "bit flip fails");

	/* The whole object parses back into statement + sig. */
	buf_init(&obj, 1 << 20);
	buf_adds(&obj, pinned_stmt);
	/* its key_id must be the signer's for the parser to accept it */
	memcpy(strstr(obj.p, "\"key_id\":\"") + 10, crypto_ed25519_key_id(k), 32);
	crypto_ed25519_sign(k, obj.p, obj.len, sig);
	buf_addc(&obj, '\n');
	seal_sig_write(&obj, crypto_ed25519_key_id(k), sig);
	buf_addc(&obj, '\n');
	T_CHECK(seal_parse(obj.p, obj.len, &s, &st, kid, sig2, &e) == 0, "parse object");
	T_STREQ(e.msg, "", "no error");
	T_CHECK(memcmp(sig, sig2, 64) == 0 && st.len == strlen(pinned_stmt), "sig and stmt");
	T_CHECK(crypto_ed25519_verify(pub, st.p, st.len, sig2) == 1, "object verifies");
	seal_stmt_free(&s);

	/* Broken sig lines. */
	{
		static const char *const tails[] = {
			"", "sig", "sig x y", "sig " PINNED_KEY_ID " QUJD",
			"sig " PINNED_KEY_ID " " PINNED_SIG "\nthird line",
			"sig 0123456789abcdef0123456789abcdef " PINNED_SIG,
		};
		struct buf t;
		size_t j;

		buf_init(&t, 1 << 20);
		for (j = 0; j < sizeof(tails) / sizeof(tails[0]); j++) {
			buf_reset(&t);
			buf_add(&t, obj.p, st.len + 1);
			buf_adds(&t, tails[j]);
			err_clear(&e);
			T_CHECK(seal_parse(t.p, j == 0 ? st.len : t.len, &s, &st, kid, sig2, &e) == -1,
			    tails[j]);
			T_CHECK(e.msg[0] != '\0', "says why");
			seal_stmt_free(&s);
		}
		buf_free(&t);
	}
	buf_free(&obj);
	buf_free(&line);
	crypto_ed25519_free(k);
}

static void
test_link(void)
{
	struct seal_stmt s;
	struct err e;

	memset(&s, 0, sizeof(s));
	err_clear(&e);
	T_CHECK(seal_link_check(&s, NULL, &e) == 0, "first seal, null prev");
	T_CHECK(seal_link_check(&s, H64("a"), &e) == -1 && strstr(e.msg, "null") != NULL,
	    "null prev with an earlier seal");
	memcpy(s.prev, H64("a"), 65);
	err_clear(&e);
	T_CHECK(seal_link_check(&s, H64("a"), &e) == 0, "good link");
	T_CHECK(seal_link_check(&s, H64("b"), &e) == -1 && strstr(e.msg, "not the hash") != NULL,
	    "wrong link");
	err_clear(&e);
	T_CHECK(seal_link_check(&s, NULL, &e) == -1 && strstr(e.msg, "deleted") != NULL,
	    "link to nothing");
}

static void
test_tiling(void)
{
	static const struct {
		uint64_t r[4][2];
		size_t n;
		uint64_t bytes;
		const char *why;	/* NULL = ok */
	} v[] = {
		{ { { 0, 10 }, { 10, 20 }, { 20, 30 } }, 3, 30, NULL },
		{ { { 0, 30 } }, 1, 30, NULL },
		{ { { 0 } }, 0, 0, NULL },
		{ { { 0, 10 }, { 12, 30 } }, 2, 30, "gap" },
		{ { { 5, 30 } }, 1, 30, "gap" },
		{ { { 0, 10 }, { 8, 30 } }, 2, 30, "overlap" },
		{ { { 0, 10 }, { 10, 30 }, { 5, 10 } }, 3, 30, "out of order" },
		{ { { 0, 10 }, { 10, 20 } }, 2, 30, "cover 20 bytes of 30" },
		{ { { 0, 10 }, { 10, 40 } }, 2, 30, "cover 40 bytes of 30" },
		{ { { 0, 10 }, { 10, 10 } }, 2, 10, "empty" },
		{ { { 0 } }, 0, 5, "cover 0 bytes of 5" },
	};
	struct seal_obj o[4];
	struct err e;
	size_t i, j;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memset(o, 0, sizeof(o));
		for (j = 0; j < v[i].n; j++) {
			o[j].key = "k";
			o[j].start = v[i].r[j][0];
			o[j].end = v[i].r[j][1];
			o[j].generation = 2;
		}
		err_clear(&e);
		if (v[i].why == NULL)
			T_CHECK(seal_tiling_check(o, v[i].n, 2, v[i].bytes, &e) == 0, "tiles");
		else {
			T_CHECK(seal_tiling_check(o, v[i].n, 2, v[i].bytes, &e) == -1, v[i].why);
			T_CHECK(strstr(e.msg, v[i].why) != NULL, v[i].why);
		}
	}
	/* Objects of other generations are not part of the tiling. */
	memset(o, 0, sizeof(o));
	o[0].key = "old"; o[0].start = 0; o[0].end = 99; o[0].generation = 0;
	o[1].key = "new"; o[1].start = 0; o[1].end = 10; o[1].generation = 1;
	T_CHECK(seal_tiling_check(o, 2, 1, 10, &e) == 0, "other generation ignored");
}

/* The shipped-bytes hash survives a save/resume at every split point. */
static void
test_sha_resume(void)
{
	char msg[300], st[CRYPTO_SHA_STATE], hex[65], want[65];
	uint8_t d[32];
	struct crypto_sha *h;
	size_t i, cut, bad = 0;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (char)('a' + i % 26);
	crypto_sha256(msg, sizeof(msg), d);
	crypto_hex(d, 32, want);
	for (cut = 0; cut <= sizeof(msg); cut++) {
		h = crypto_sha_resume("");
		crypto_sha_update(h, msg, cut);
		crypto_sha_save(h, st);
		crypto_sha_free(h);
		h = crypto_sha_resume(st);
		if (h == NULL) {
			bad++;
			continue;
		}
		crypto_sha_update(h, msg + cut, sizeof(msg) - cut);
		crypto_sha_save(h, st);
		crypto_sha_free(h);
		if (crypto_sha_state_hex(st, hex) == -1 || strcmp(hex, want) != 0)
			bad++;
	}
	T_CHECK(bad == 0, "resume at every split point");
	T_CHECK(crypto_sha_state_hex("", hex) == 0 &&
	    strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0,
	    "empty state");
	T_CHECK(crypto_sha_resume("zz") == NULL, "bad state refused");
	T_CHECK(crypto_sha_resume("6a09e667bb67ae853c6ef372a54ff53a510e527f9b05688c1f83d9ab5be0cd19"
	    "0000001000000000" "00000001" "61") == NULL, "length and block disagree");
}

/* seal_split: the two lines of a seal object, for record destinations. */
static void
test_split(void)
{
	static const struct {
		const char	*in, *stmt, *sig;	/* stmt NULL: -1 */
	} cases[] = {
		{ "{\"a\":1}\nsig K B64\n", "{\"a\":1}", "K B64" },
		{ "{}\nsig x\n", "{}", "x" },
		{ "{}\nsig K B64", NULL, NULL },	/* no final \n */
		{ "{}\nsig \n", NULL, NULL },		/* empty sig */
		{ "{}\nsug K B64\n", NULL, NULL },
		{ "\nsig K B64\n", NULL, NULL },	/* empty statement */
		{ "{}\nsig K\nB64\n", NULL, NULL },	/* three lines */
		{ "{}\n", NULL, NULL },
		{ "", NULL, NULL },
	};
	const char *st, *sg;
	size_t i, sl, gl;
	char a[64], b[64];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = seal_split(cases[i].in, strlen(cases[i].in), &st, &sl,
		    &sg, &gl);

		if (cases[i].stmt == NULL) {
			T_CHECK(rc == -1, cases[i].in);
			continue;
		}
		T_CHECK(rc == 0, cases[i].in);
		if (rc != 0)
			continue;
		snprintf(a, sizeof(a), "%.*s", (int)sl, st);
		snprintf(b, sizeof(b), "%.*s", (int)gl, sg);
		T_STREQ(a, cases[i].stmt, cases[i].in);
		T_STREQ(b, cases[i].sig, cases[i].in);
	}
}

int
main(void)
{
	test_split();
	test_sha_resume();
	test_write_parse();
	test_bad_statements();
	test_good_edges();
	test_b64();
	test_sign_pinned();
	test_link();
	test_tiling();
	return t_done("seal");
}
