/*
 * test_sjson.c - the settings JSON tree (sjson.c) and the auditship
 * entries in it (hookset.c): parse/write round trips keep order and the
 * text of scalars, bad input is refused with a position, and merging our
 * hooks in and out leaves everything else as it was.
 */
#include <stdlib.h>
#include <string.h>

#include "hookset.h"
#include "sjson.h"
#include "test.h"

/* Parse then write; NULL on a parse error (message in e). */
static char *
roundtrip(const char *in, struct err *e)
{
	struct sj *v;
	struct buf b;
	char *s;

	if (sj_parse(in, strlen(in), &v, e) == -1)
		return NULL;
	buf_init(&b, 1u << 20);
	sj_write(v, &b);
	sj_free(v);
	s = strdup(b.p != NULL ? b.p : "");
	buf_free(&b);
	return s;
}

static void
test_roundtrip(void)
{
	static const struct { const char *in, *out; } t[] = {
		{ "{}", "{}\n" },
		{ " [ ] ", "[]\n" },
		{ "{\"b\":1,\"a\":[true,false,null]}",
		  "{\n  \"b\": 1,\n  \"a\": [\n    true,\n    false,\n    null\n  ]\n}\n" },
		/* numbers and escapes keep their own spelling */
		{ "[1.50e+3,-0,\"\\u00e9\\/x\"]",
		  "[\n  1.50e+3,\n  -0,\n  \"\\u00e9\\/x\"\n]\n" },
		{ "\xef\xbb\xbf{\"k\":\"caf\xc3\xa9\"}", "{\n  \"k\": \"caf\xc3\xa9\"\n}\n" },
		{ "{\"a\":{\"b\":{}}}", "{\n  \"a\": {\n    \"b\": {}\n  }\n}\n" },
		/* duplicate names kept as they are */
		{ "{\"a\":1,\"a\":2}", "{\n  \"a\": 1,\n  \"a\": 2\n}\n" },
	};
	struct err e = { 0, "" };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *got = roundtrip(t[i].in, &e);

		T_STREQ(got, t[i].out, t[i].in);
		free(got);
	}
}

static void
test_refused(void)
{
	static const struct { const char *in, *where; } t[] = {
		{ "", "line 1 column 1" },
		{ "{\"hooks\": {\"PreToolUse\": [", "line 1 column 27" },
		{ "// comment\n{}", "line 1 column 1" },
		{ "{\"a\":1,}", "line 1 column 8" },
		{ "{\"a\" 1}", "line 1 column 6" },
		{ "[01]", "line 1 column 3" },
		{ "[-]", "line 1 column 3" },
		{ "[1.]", "line 1 column 4" },
		{ "[\"\\x\"]", "line 1 column 3" },
		{ "[\"\\u12\"]", "line 1 column 3" },
		{ "[\"a\nb\"]", "line 1 column 4" },
		{ "[\"\xc3\x28\"]", "line 1 column 3" },
		{ "[\"\xed\xa0\x80\"]", "line 1 column 3" },
		{ "{}\n{}", "line 2 column 1" },
		{ "[tru]", "line 1 column 2" },
		{ "{\"a\":1", "line 1 column 7" },
		{ "\"abc", "line 1 column 5" },
	};
	struct err e;
	size_t i;
	char deep[200];

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *got;

		err_clear(&e);
		got = roundtrip(t[i].in, &e);
		T_CHECK(got == NULL, t[i].in);
		T_CHECK(strstr(e.msg, t[i].where) != NULL, t[i].in);
		if (strstr(e.msg, t[i].where) == NULL)
			fprintf(stderr, "  msg: %s\n", e.msg);
		free(got);
	}
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	err_clear(&e);
	T_CHECK(roundtrip(deep, &e) == NULL, "deep nesting refused");
	T_CHECK(strstr(e.msg, "nested too deeply") != NULL, "deep: why");
}

static void
test_strings(void)
{
	struct sj *v;
	struct err e = { 0, "" };
	char out[64];

	static const char esc[] = "\"a\\\"b\\\\\\n\\u00e9\\ud83d\\ude00\"";

	T_CHECK(sj_parse(esc, strlen(esc), &v, &e) == 0, "escapes parse");
	T_CHECK(sj_string(v, out, sizeof(out)) == 0, "decode");
	T_STREQ(out, "a\"b\\\n\xc3\xa9\xf0\x9f\x98\x80", "decoded value");
	sj_free(v);
	v = sj_str("it's \"q\" \\ \x01\n");
	T_STREQ(v->text, "\"it's \\\"q\\\" \\\\ \\u0001\\n\"", "sj_str escapes");
	sj_free(v);
	v = sj_num(-42);
	T_STREQ(v->text, "-42", "sj_num");
	sj_free(v);
}

static void
test_ours(void)
{
	static const struct { const char *cmd; int ours; } t[] = {
		{ "/usr/bin/auditship-hook", 1 },
		{ "'/opt/my tools/auditship-hook' --minimal", 1 },
		{ "auditship-hook --dir /x", 1 },
		{ "/usr/bin/auditship hook --minimal", 1 },
		{ "auditship -c /etc/a.ini hook", 1 },
		{ "/usr/bin/auditship ship", 0 },
		{ "~/.claude/guard.sh", 0 },
		{ "notify-send auditship-hook", 0 },
		{ "auditship-hooks", 0 },
		{ "", 0 },
	};
	struct buf b;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		T_CHECK(hookset_is_ours(t[i].cmd) == t[i].ours, t[i].cmd);
	buf_init(&b, 256);
	hookset_quote(&b, "/usr/bin/auditship-hook");
	T_STREQ(b.p, "/usr/bin/auditship-hook", "plain path unquoted");
	buf_reset(&b);
	hookset_quote(&b, "/home/o'neil/my tools/auditship-hook");
	T_STREQ(b.p, "'/home/o'\\''neil/my tools/auditship-hook'", "quoted");
	T_CHECK(hookset_is_ours(b.p), "a quoted path is still ours");
	buf_free(&b);
}

/* apply on text; returns the written result or NULL (e says why). */
static char *
apply(const char *in, const char *cmd, struct err *e)
{
	struct sj *v;
	struct buf b;
	char *s;

	if (sj_parse(in, strlen(in), &v, e) == -1)
		return NULL;
	if (hookset_apply(v, cmd, e) == -1) {
		sj_free(v);
		return NULL;
	}
	buf_init(&b, 1u << 20);
	sj_write(v, &b);
	sj_free(v);
	s = strdup(b.p);
	buf_free(&b);
	return s;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

static void
test_apply(void)
{
	static const char other[] =
	    "{\"model\":\"x\",\"hooks\":{\"PreToolUse\":[{\"matcher\":\"Bash\","
	    "\"hooks\":[{\"type\":\"command\",\"command\":\"guard.sh\"}]}]},"
	    "\"env\":{\"A\":\"1\"}}";
	struct err e = { 0, "" };
	char *a, *b, *c, *d, *orig;
	int n;

	a = apply(other, "/usr/bin/auditship-hook", &e);
	T_CHECK(a != NULL, "install into other hooks");
	for (n = 0; hookset_events[n] != NULL; n++)
		T_CHECK(strstr(a, hookset_events[n]) != NULL, hookset_events[n]);
	T_CHECK(n == 13, "13 events");
	T_CHECK(count(a, "\"/usr/bin/auditship-hook\"") == 13, "one entry each");
	T_CHECK(count(a, "\"timeout\": 5") == 13, "timeout 5 each");
	/* matcher "" on the four tool events only */
	T_CHECK(count(a, "\"matcher\": \"\"") == 4, "tool events matcher \"\"");
	T_CHECK(strstr(a, "guard.sh") != NULL && strstr(a, "\"Bash\"") != NULL,
	    "their hook kept");
	T_CHECK(strstr(a, "\"model\": \"x\"") < strstr(a, "\"hooks\"") &&
	    strstr(a, "\"hooks\"") < strstr(a, "\"env\""), "member order kept");
	/* idempotent */
	b = apply(a, "/usr/bin/auditship-hook", &e);
	T_STREQ(b, a, "second install changes nothing");
	/* other options: updated in place, never a second entry */
	c = apply(a, "/usr/bin/auditship-hook --minimal", &e);
	T_CHECK(count(c, "auditship-hook") == 13, "updated, not added");
	T_CHECK(count(c, "--minimal") == 13, "new command everywhere");
	/* uninstall: back to the same tree as before */
	d = apply(c, NULL, &e);
	orig = roundtrip(other, &e);
	T_STREQ(d, orig, "uninstall leaves the rest as it was");
	free(a);
	free(b);
	free(c);
	free(d);
	free(orig);

	/* `auditship hook` entries and duplicates count as ours */
	a = apply("{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\","
	    "\"command\":\"auditship hook\"},{\"type\":\"command\",\"command\":"
	    "\"/x/auditship-hook\"}]}]}}", "/usr/bin/auditship-hook", &e);
	T_CHECK(count(a, "auditship") == 13, "old entries replaced, dup dropped");
	free(a);
	/* an empty "hooks" of the user's stays through uninstall */
	a = apply("{\"hooks\":{}}", NULL, &e);
	T_STREQ(a, "{\n  \"hooks\": {}\n}\n", "empty hooks kept");
	free(a);

	/* shapes Claude Code would not read: refused */
	static const char *const bad[] = {
		"[]", "{\"hooks\":[]}", "{\"hooks\":{\"Stop\":{}}}",
		"{\"hooks\":{\"Stop\":[1]}}", "{\"hooks\":{\"Stop\":[{\"hooks\":{}}]}}",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err_clear(&e);
		a = apply(bad[i], "/usr/bin/auditship-hook", &e);
		T_CHECK(a == NULL && e.msg[0] != '\0', bad[i]);
		free(a);
	}
}

int
main(void)
{
	test_roundtrip();
	test_refused();
	test_strings();
	test_ours();
	test_apply();
	return t_done("sjson");
}
