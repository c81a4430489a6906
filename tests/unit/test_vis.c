/*
 * test_vis.c - terminal-safe text for `status` (issue 17 #9): control
 * bytes, escape sequences, line spoofing, invalid UTF-8, C1 controls.
 */
#include <string.h>

#include "buf.h"
#include "jsonl.h"
#include "vis.h"
#include "test.h"

static void
test_vis(void)
{
	static const struct { const char *name, *in; size_t len; const char *want; } t[] = {
		{ "plain", "/home/alice/.claude/audit", 0, "/home/alice/.claude/audit" },
		{ "utf-8 kept", "/home/j\xc3\xb6rg", 0, "/home/j\xc3\xb6rg" },
		{ "escape sequence", "/tmp/\x1b[2J\x1b]0;owned\x07", 0,
		  "/tmp/\\x1b[2J\\x1b]0;owned\\x07" },
		{ "line spoofing", "a\nstream /home/root (user root)\rX\tY", 0,
		  "a\\nstream /home/root (user root)\\rX\\tY" },
		{ "backslash doubled", "a\\nb", 0, "a\\\\nb" },
		{ "invalid utf-8", "x\xff\xc3(", 0, "x\\xff\\xc3(" },
		{ "c1 control", "a\xc2\x9b" "31m", 0, "a\\xc2\\x9b31m" },
		{ "nbsp kept", "a\xc2\xa0" "b", 0, "a\xc2\xa0" "b" },
		{ "del", "a\x7f", 0, "a\\x7f" },
		{ "nul inside", "a\0b", 3, "a\\x00b" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct buf b;

		buf_init(&b, 1024);
		T_CHECK(vis_append(&b, t[i].in, t[i].len ? t[i].len : strlen(t[i].in)) == 0,
		    t[i].name);
		T_STREQ(b.p ? b.p : "", t[i].want, t[i].name);
		buf_free(&b);
	}
}

/* JSON keeps invalid UTF-8 recoverable: one \u00XX per byte. */
static void
test_json_bytes(void)
{
	struct buf b;

	buf_init(&b, 1024);
	T_CHECK(jsonl_escape_bytes(&b, "/h/\xff\xc3(\xc3\xa9\n", 9) == 0, "escape");
	T_STREQ(b.p, "/h/\\u00ff\\u00c3(\xc3\xa9\\n", "bytes as \\u00XX, valid UTF-8 kept");
	buf_free(&b);
}

int
main(void)
{
	test_vis();
	test_json_bytes();
	return t_done("vis");
}
