/* Unit tests for jsonl.c: object validation, escaping, member lookup. */
#include <stdlib.h>

#include "jsonl.h"
#include "test.h"

struct obj_case { const char *name; const char *in; size_t len; int want; };

static const struct obj_case obj_cases[] = {
	{ "empty object", "{}", 2, 1 },
	{ "simple", "{\"a\":1}", 7, 1 },
	{ "nested", "{\"a\":{\"b\":[1,2,{\"c\":null}]},\"d\":\"x\"}", 0, 1 },
	{ "whitespace around", "  {\"a\" : true }\r", 0, 1 },
	{ "numbers", "{\"a\":-0.5e+10,\"b\":0,\"c\":12.25}", 0, 1 },
	{ "escapes", "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"}", 0, 1 },
	{ "utf8", "{\"a\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}", 0, 1 },
	{ "array top", "[1,2]", 0, 0 },
	{ "string top", "\"x\"", 0, 0 },
	{ "truncated", "{\"a\":\"bc", 0, 0 },
	{ "trailing garbage", "{\"a\":1} x", 0, 0 },
	{ "two objects", "{}{}", 0, 0 },
	{ "trailing comma", "{\"a\":1,}", 0, 0 },
	{ "leading zero", "{\"a\":01}", 0, 0 },
	{ "bad escape", "{\"a\":\"\\x\"}", 0, 0 },
	{ "raw control", "{\"a\":\"\x01\"}", 0, 0 },
	{ "raw NUL", "{\"a\":\"\0\"}", 9, 0 },
	{ "invalid utf8", "{\"a\":\"\xff\"}", 0, 0 },
	{ "overlong utf8", "{\"a\":\"\xc0\xaf\"}", 0, 0 },
	{ "surrogate utf8", "{\"a\":\"\xed\xa0\x80\"}", 0, 0 },
	{ "single quotes", "{'a':1}", 0, 0 },
	{ "empty", "", 0, 0 },
	{ "binary junk", "\x89PNG\r\n\x1a", 0, 0 },
};

static void
test_is_object(void)
{
	size_t i;

	for (i = 0; i < sizeof(obj_cases) / sizeof(obj_cases[0]); i++) {
		const struct obj_case *c = &obj_cases[i];
		size_t len = c->len ? c->len : strlen(c->in);

		T_CHECK(jsonl_is_object(c->in, len) == c->want, c->name);
	}
}

/* The 8-byte fast path of the string scanner: one bad byte at every
 * position of a long ASCII string must still be found. */
static void
test_fast_path(void)
{
	static const unsigned char bad[] = { 0x01, 0x1f, 0xff, 0x80, '\n' };
	char s[64];
	size_t pos, k, n;

	for (pos = 6; pos < 50; pos++) {
		for (k = 0; k < sizeof(bad); k++) {
			memcpy(s, "{\"a\":\"", 6);
			memset(s + 6, 'x', 50);
			memcpy(s + 56, "\"}", 2);
			n = 58;
			s[pos] = (char)bad[k];
			T_CHECK(jsonl_is_object(s, n) == 0, "bad byte found at any offset");
		}
		memcpy(s, "{\"a\":\"", 6);
		memset(s + 6, 'x', 50);
		memcpy(s + 56, "\"}", 2);
		s[pos] = '"';	/* string ends early: garbage follows */
		T_CHECK(jsonl_is_object(s, 58) == 0, "early quote found at any offset");
		s[pos] = '\\';
		s[pos + 1] = 'n';
		T_CHECK(jsonl_is_object(s, 58) == (pos + 1 < 56), "escape at any offset");
	}
}

static void
test_depth(void)
{
	char deep[600];
	size_t i, n = 0;

	deep[n++] = '{';
	deep[n++] = '"';
	deep[n++] = 'a';
	deep[n++] = '"';
	deep[n++] = ':';
	for (i = 0; i < 200; i++)
		deep[n++] = '[';
	for (i = 0; i < 200; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	T_CHECK(jsonl_is_object(deep, n) == 0, "nesting deeper than the cap");
}

struct esc_case { const char *name; const char *in; size_t len; const char *want; };

static const struct esc_case esc_cases[] = {
	{ "plain", "abc", 3, "abc" },
	{ "quote backslash", "a\"b\\c", 5, "a\\\"b\\\\c" },
	{ "newline tab cr", "a\nb\tc\rd", 7, "a\\nb\\tc\\rd" },
	{ "control and NUL", "\x01\0\x1f\x7f", 4, "\\u0001\\u0000\\u001f\\u007f" },
	{ "valid utf8 kept", "\xc3\xa9", 2, "\xc3\xa9" },
	{ "invalid byte replaced", "a\xff" "b", 3, "a\\ufffdb" },
	{ "truncated sequence", "\xe2\x82", 2, "\\ufffd\\ufffd" },
};

static void
test_escape(void)
{
	struct buf b;
	size_t i;

	for (i = 0; i < sizeof(esc_cases) / sizeof(esc_cases[0]); i++) {
		buf_init(&b, 1024);
		T_CHECK(jsonl_escape(&b, esc_cases[i].in, esc_cases[i].len) == 0,
		    esc_cases[i].name);
		T_STREQ(b.p ? b.p : "", esc_cases[i].want, esc_cases[i].name);
		buf_free(&b);
	}
	/* Whatever goes in, "{\"m\":\"<escaped>\"}" is a valid object. */
	for (i = 0; i < 200; i++) {
		char junk[64];
		size_t j;

		buf_init(&b, 4096);
		for (j = 0; j < sizeof(junk); j++)
			junk[j] = (char)(rand() & 0xff);
		buf_adds(&b, "{\"m\":\"");
		jsonl_escape(&b, junk, sizeof(junk));
		buf_adds(&b, "\"}");
		T_CHECK(jsonl_is_object(b.p, b.len), "escaped junk is valid JSON");
		buf_free(&b);
	}
}

static void
test_find(void)
{
	const char *obj = "{\"x\":{\"ts\":\"inner\"},\"a\":[1,\"ts\"],\"ts\":\"2026-11-20T10:00:00Z\",\"n\":5}";
	const char *v;
	size_t vl;

	T_CHECK(jsonl_find_string(obj, strlen(obj), "ts", &v, &vl) == 1, "find top-level ts");
	T_CHECK(vl == 20 && memcmp(v, "2026-11-20T10:00:00Z", 20) == 0, "ts value bytes");
	T_CHECK(jsonl_find_string(obj, strlen(obj), "n", &v, &vl) == 0, "number is not a string");
	T_CHECK(jsonl_find_string(obj, strlen(obj), "missing", &v, &vl) == 0, "absent member");
}

static void
test_open(void)
{
	int empty;

	T_CHECK(jsonl_object_open("{\"a\":1}", 7, &empty) == 1 && !empty, "open non-empty");
	T_CHECK(jsonl_object_open("  { }", 5, &empty) == 3 && empty, "open empty");
}

struct ts_case { const char *in; int want; };

static const struct ts_case ts_cases[] = {
	{ "2026-11-20T15:04:05Z", 1 },
	{ "2026-11-20T15:04:05.123Z", 1 },
	{ "2026-11-20T15:04:05.123456+01:00", 1 },
	{ "2026-11-20T15:04:05-05:30", 1 },
	{ "2026-11-20 15:04:05Z", 1 },
	{ "2026-11-20", 0 },
	{ "2026-11-20T15:04:05", 0 },
	{ "2026-13-20T15:04:05Z", 0 },
	{ "2026-11-20T25:04:05Z", 0 },
	{ "2026-11-20T15:04:05.Z", 0 },
	{ "yesterday", 0 },
	{ "2026-11-20T15:04:05+0100", 0 },
};

static void
test_rfc3339(void)
{
	size_t i;

	for (i = 0; i < sizeof(ts_cases) / sizeof(ts_cases[0]); i++)
		T_CHECK(jsonl_is_rfc3339(ts_cases[i].in, strlen(ts_cases[i].in)) ==
		    ts_cases[i].want, ts_cases[i].in);
}

/* The fast path must land exactly on an escape or a UTF-8 sequence at
 * any position (16- and 8-byte words): valid ones pass, broken ones not. */
static void
test_fast_path_lands(void)
{
	static const struct {
		const char *ins;
		int want;
	} cases[] = {
		{ "\\n", 1 }, { "\\\"", 1 }, { "\\u00e9", 1 },
		{ "\xc3\xa9", 1 }, { "\xe2\x82\xac", 1 },
		{ "\xf0\x9f\x98\x80", 1 }, { "\\x", 0 }, { "\xc3x", 0 },
		{ "\xed\xa0\x80", 0 }, { "\"", 0 },
	};
	char s[96], name[64];
	size_t pos, k, n, il;

	for (pos = 6; pos < 60; pos++) {
		for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
			il = strlen(cases[k].ins);
			memcpy(s, "{\"a\":\"", 6);
			memset(s + 6, 'y', 60);
			memcpy(s + pos, cases[k].ins, il);
			n = (pos + il > 66 ? pos + il : 66);
			memcpy(s + n, "\"}", 2);
			n += 2;
			snprintf(name, sizeof(name), "insert %zu at %zu", k, pos);
			T_CHECK(jsonl_is_object(s, n) == cases[k].want, name);
		}
	}
}

int
main(void)
{
	test_is_object();
	test_fast_path();
	test_fast_path_lands();
	test_depth();
	test_escape();
	test_find();
	test_open();
	test_rfc3339();
	return t_done("jsonl");
}
