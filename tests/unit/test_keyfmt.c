/* Unit tests for keyfmt.c (SPEC §3.4 object keys) and backoff.c. */
#include "backoff.h"
#include "keyfmt.h"
#include "test.h"

struct key_case {
	const char *name, *prefix, *fmt;
	struct keyfmt_vars v;
	const char *want;	/* NULL: error */
};

static const struct key_case key_cases[] = {
	{ "chunk default", NULL, KEYFMT_CHUNK, { "h1", "alice", "2026-11-20", 0, 1234, 0 },
	  "h1/alice/2026/11/20/2026-11-20.000000000000-000000001234.jsonl.gz" },
	{ "daily default", "", KEYFMT_DAILY, { "h1", "alice", "2026-11-20", 0, 9, 0 },
	  "h1/alice/2026/11/20/2026-11-20.jsonl.gz" },
	{ "prefix", "audit/", "{date}", { "h", "u", "2026-01-02", 0, 0, 0 }, "audit/2026-01-02" },
	{ "slash in user", NULL, "{user}/x", { "h", "a/b", "2026-01-02", 0, 0, 0 }, "a_b/x" },
	{ "dotdot host", NULL, "{host}/x", { "..", "u", "2026-01-02", 0, 0, 0 }, "__/x" },
	{ "unknown var", NULL, "{host}/{nope}", { "h", "u", "2026-01-02", 0, 0, 0 }, NULL },
	{ "unclosed", NULL, "{host", { "h", "u", "2026-01-02", 0, 0, 0 }, NULL },
	{ "reset generation", NULL, KEYFMT_CHUNK, { "h", "u", "2026-11-20", 0, 10, 2 },
	  "h/u/2026/11/20/2026-11-20.000000000000-000000000010.reset2.jsonl.gz" },
	{ "reset, other extension", NULL, "{date}.log", { "h", "u", "2026-11-20", 0, 10, 1 },
	  "2026-11-20.log.reset1" },
	{ "big offsets", NULL, "{start}-{end}", { "h", "u", "2026-01-02", 999999999999ULL, 1000000000000ULL, 0 },
	  "999999999999-1000000000000" },
};

static void
test_keys(void)
{
	size_t i;

	for (i = 0; i < sizeof(key_cases) / sizeof(key_cases[0]); i++) {
		const struct key_case *c = &key_cases[i];
		struct buf b;
		struct err e = { 0, "" };
		int rc;

		buf_init(&b, 1024);
		rc = keyfmt_render(&b, c->prefix, c->fmt, &c->v, &e);
		if (c->want == NULL)
			T_CHECK(rc == -1 && e.msg[0] != '\0', c->name);
		else
			T_STREQ(rc == 0 ? b.p : e.msg, c->want, c->name);
		buf_free(&b);
	}
}

static void
test_backoff(void)
{
	struct backoff b;
	int64_t w;
	int i;

	backoff_init(&b, 3, 60000);
	w = backoff_next(&b, 0xffffffffu, 0);
	T_CHECK(w >= 0 && w < 500, "first wait under base");
	w = backoff_next(&b, 0xffffffffu, 0);
	T_CHECK(w >= 500 && w < 1000, "second wait doubles the cap");
	w = backoff_next(&b, 0, 2000);
	T_CHECK(w == 2000, "Retry-After taken as the wait");
	T_CHECK(backoff_next(&b, 0, 0) == -1, "retry_max spent");

	backoff_init(&b, 100, 1000);
	T_CHECK(backoff_next(&b, 0, 5000) == -1, "Retry-After beyond budget gives up");
	for (i = 0; i < 50; i++)
		if (backoff_next(&b, 0xffffffffu, 0) == -1)
			break;
	T_CHECK(b.waited_ms <= 1000, "budget never exceeded");
	backoff_success(&b);
	T_CHECK(b.attempt == 0, "success resets attempts");
}

/* SPEC §7: seal keys sit next to the day's objects. */
static void
test_seal_keys(void)
{
	static const struct {
		const char *prefix, *fmt;
		unsigned seq;
		const char *want;
	} v[] = {
		{ "", KEYFMT_CHUNK, 1, "h/u/2026/11/20/2026-11-20.seal.json" },
		{ "", KEYFMT_DAILY, 2, "h/u/2026/11/20/2026-11-20.seal.2.json" },
		{ "logs/", KEYFMT_CHUNK, 3, "logs/h/u/2026/11/20/2026-11-20.seal.3.json" },
		{ "p-", "{host}-{date}.{start}.gz", 1, "p-2026-11-20.seal.json" },
		{ "", "{host}/{date}/x-{start}.gz", 1, "h/2026-11-20/2026-11-20.seal.json" },
	};
	struct keyfmt_vars kv = { "h", "u", "2026-11-20", 5, 9, 3 };
	struct buf b;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		buf_init(&b, 1024);
		err_clear(&e);
		T_CHECK(keyfmt_seal_key(&b, v[i].prefix, v[i].fmt, &kv, v[i].seq, &e) == 0,
		    v[i].want);
		T_STREQ(b.p, v[i].want, "seal key");
		buf_free(&b);
	}
}

int
main(void)
{
	test_keys();
	test_seal_keys();
	test_backoff();
	return t_done("keyfmt");
}
