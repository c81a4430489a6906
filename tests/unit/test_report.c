/* Unit tests for report.c and its renderers: figures from known lines,
 * bounded tables (counted overflow), JSON validity with hostile strings,
 * text width, a self-contained HTML page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"
#include "report.h"
#include "test.h"

static void
line(struct report *r, const char *s)
{
	report_line(r, s, strlen(s), 0);
}

static void
feed(struct report *r, const char *fmt, unsigned n)
{
	char b[512];

	snprintf(b, sizeof(b), fmt, n, n);
	line(r, b);
}

/* longest line of s in code points */
static size_t
max_cols(const char *s)
{
	size_t best = 0, cols = 0;

	for (; *s; s++) {
		if (*s == '\n') {
			if (cols > best)
				best = cols;
			cols = 0;
		} else if (((unsigned char)*s & 0xc0) != 0x80)
			cols++;
	}
	return cols > best ? cols : best;
}

int
main(void)
{
	struct report *r = malloc(sizeof(*r));
	struct buf out;
	unsigned i;

	T_CHECK(report_init(r, "2026-11-20", "2026-11-21", NULL) == 0, "init");
	report_day_begin(r, "2026-11-20", "alice", "h1");
	line(r, "{\"hook_event_name\":\"SessionStart\",\"session_id\":\"s1\"}");
	line(r, "{\"hook_event_name\":\"PreToolUse\",\"session_id\":\"s1\","
	    "\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"sudo rm -rf /x\"},"
	    "\"tool_use_id\":\"u1\"}");
	line(r, "{\"hook_event_name\":\"PostToolUse\",\"session_id\":\"s1\","
	    "\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"sudo rm -rf /x\"},"
	    "\"tool_use_id\":\"u1\",\"duration_ms\":20}");
	/* a hostile tool name and command: quotes, control bytes, bad UTF-8,
	 * markup */
	line(r, "{\"hook_event_name\":\"PreToolUse\",\"session_id\":\"s2\","
	    "\"tool_name\":\"x\\\"<b>\\u0001\",\"tool_input\":{\"command\":"
	    "\"sudo echo \\u001b[31m</td><script>\"},\"tool_use_id\":\"u2\"}");
	line(r, "{\"hook_event_name\":\"PostToolUseFailure\",\"session_id\":\"s2\","
	    "\"tool_name\":\"x\\\"<b>\\u0001\",\"tool_use_id\":\"u2\","
	    "\"error\":\"boom\"}");
	line(r, "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Read\","
	    "\"tool_use_id\":\"u3\"}");
	line(r, "{\"tool\":\"Bash\",\"command\":\"make\",\"exit_code\":1}");
	line(r, "not json");
	report_line(r, "{\"a\":", 5, 1);
	line(r, "{\"x\":\"<REDACTED:github> <REDACTED:github> <REDACTED:aws_key>"
	    " <REDACTED:> <REDACTED:bad\"}");
	report_day_end(r);
	report_day_begin(r, "2026-11-21", "alice", "h1");
	report_day_gap(r);
	report_day_end(r);
	report_finish(r);

	T_CHECK(r->nrows == 2, "rows");
	T_CHECK(r->rows[0].events == 8 && r->rows[0].invalid == 2, "events/invalid");
	T_CHECK(r->rows[0].sessions == 2, "sessions");
	T_CHECK(r->rows[0].tool_calls == 3 && r->rows[0].failures == 2, "calls/failures");
	T_CHECK(r->rows[1].gap == 1, "gap");
	T_CHECK(r->unmatched.count == 1 && strcmp(r->unmatched.first[0].text, "u3") == 0,
	    "unmatched u3");
	T_CHECK(r->open_sessions.count == 1, "open session s1");
	T_CHECK(r->risky[4].count == 2, "sudo twice (once per call)");
	T_CHECK(r->risky[0].count == 1, "rm -rf once, on its PreToolUse");
	T_CHECK(r->invalid_lines == 2 && r->truncated_lines == 1, "invalid");
	T_CHECK(r->other_events == 1, "other");
	T_CHECK(r->nkinds == 2 && r->kinds[0].n == 2 && r->kinds[1].n == 1 &&
	    strcmp(r->kinds[1].kind, "aws_key") == 0, "redaction kinds");

	buf_init(&out, 1u << 24);
	T_CHECK(report_json(r, &out) == 0, "json");
	T_CHECK(jsonl_is_object(out.p, out.len), "json is one valid object");
	T_CHECK(memmem(out.p, out.len, "\"p50_ms\":20", 11) != NULL, "p50");
	T_CHECK(memmem(out.p, out.len, "\"p50_ms\":null", 13) != NULL, "null p50");
	buf_reset(&out);
	T_CHECK(report_text(r, &out) == 0 && buf_addc(&out, '\0') == 0, "text");
	T_CHECK(max_cols(out.p) <= 100, "text fits 100 columns");
	T_CHECK(strchr(out.p, '\x1b') == NULL, "no escape byte in text");
	buf_reset(&out);
	T_CHECK(report_html(r, &out) == 0 && buf_addc(&out, '\0') == 0, "html");
	T_CHECK(strstr(out.p, "<script") == NULL, "no script");
	T_CHECK(strstr(out.p, "&lt;script&gt;") != NULL, "markup escaped");
	T_CHECK(strstr(out.p, "http") == NULL && strstr(out.p, "src=") == NULL &&
	    strstr(out.p, "url(") == NULL && strstr(out.p, "@import") == NULL,
	    "nothing fetched");
	T_CHECK(strstr(out.p, "<svg") != NULL && strstr(out.p, "@media print") != NULL,
	    "charts and print css");
	buf_free(&out);
	report_free(r);

	/* caps: open tool_use_ids overflow is counted; deletes keep the
	 * table consistent */
	T_CHECK(report_init(r, "2026-11-20", "2026-11-20", "arch") == 0, "init 2");
	report_day_begin(r, "2026-11-20", "bob", "h");
	for (i = 0; i < REPORT_MAX_OPEN + 10; i++)
		feed(r, "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"T\","
		    "\"tool_use_id\":\"id%u\",\"session_id\":\"s%u\"}", i);
	T_CHECK(r->calls.n == REPORT_MAX_OPEN && r->calls.untracked == 10, "cap");
	for (i = 0; i < REPORT_MAX_OPEN; i += 2)
		feed(r, "{\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"T\","
		    "\"tool_use_id\":\"id%u\",\"session_id\":\"s%u\"}", i);
	T_CHECK(r->calls.n == REPORT_MAX_OPEN / 2, "half closed");
	for (i = 1; i < REPORT_MAX_OPEN; i += 2)
		feed(r, "{\"hook_event_name\":\"PostToolUseFailure\",\"tool_name\":\"T\","
		    "\"tool_use_id\":\"id%u\",\"session_id\":\"s%u\"}", i);
	T_CHECK(r->calls.n == 0, "all closed: backward-shift deletion finds every id");
	/* more tool names than the cap fold into (other) */
	for (i = 0; i < REPORT_MAX_TOOLS + 5; i++)
		feed(r, "{\"toolName\":\"tool%u\",\"n\":%u}", i);
	T_CHECK(r->ntools == REPORT_MAX_TOOLS + 1, "tool cap (and one (other))");
	T_CHECK(r->tools[REPORT_MAX_TOOLS].calls == 6, "6 folded (T took a slot)");
	T_CHECK(strcmp(r->tools[REPORT_MAX_TOOLS].name, "(other)") == 0, "(other)");
	report_finish(r);
	T_CHECK(r->rows[0].sessions == REPORT_MAX_OPEN + 10, "distinct day sessions");
	buf_init(&out, 1u << 24);
	T_CHECK(report_json(r, &out) == 0 && jsonl_is_object(out.p, out.len),
	    "json after caps");
	T_CHECK(memmem(out.p, out.len, "\"untracked\":10", 14) != NULL, "untracked shown");
	T_CHECK(memmem(out.p, out.len, "\"sealed\":null", 13) != NULL, "sealed null");
	buf_free(&out);
	report_free(r);

	/* fields kept for a listed occurrence: plain slices copied as they
	 * are, escaped ones decoded, long ones cut with "..." either way */
	T_CHECK(report_init(r, "2026-11-20", "2026-11-20", NULL) == 0, "init 3");
	report_day_begin(r, "2026-11-20", "bob", "h");
	line(r, "{\"hook_event_name\":\"PreToolUse\",\"ts\":\"2026-11-20T01:00:00Z\","
	    "\"session_id\":\"s\\u0031\",\"tool_name\":\"T\\u00e9\",\"tool_use_id\":"
	    "\"id\\u0031\"}");
	line(r, "{\"hook_event_name\":\"PreToolUse\",\"ts\":\"2026-11-20T02:00:00Z\","
	    "\"session_id\":\"s2\",\"tool_name\":\"0123456789012345678901234567890123456789"
	    "0123456789\",\"tool_use_id\":\"plain-id\"}");
	line(r, "{\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"T\\u00e9\"}");
	line(r, "{\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"T\xc3\xa9\"}");
	report_finish(r);
	T_CHECK(r->unmatched.count == 2 && r->unmatched.nfirst == 2, "two unmatched");
	T_STREQ(r->unmatched.first[0].tool, "T\xc3\xa9", "escaped tool decoded");
	T_STREQ(r->unmatched.first[0].text, "id1", "escaped id decoded");
	T_STREQ(r->unmatched.first[0].session, "s1", "escaped session decoded");
	T_STREQ(r->unmatched.first[0].ts, "2026-11-20T01:00:00Z", "plain ts");
	T_STREQ(r->unmatched.first[1].text, "plain-id", "plain id");
	T_STREQ(r->unmatched.first[1].tool,
	    "0123456789012345678901234567890123456789012...", "long plain tool cut");
	T_CHECK(r->ntools == 1 && r->tools[0].calls == 2 &&
	    strcmp(r->tools[0].name, "T\xc3\xa9") == 0, "escaped and plain names are one tool");
	report_free(r);

	/* sessions per day: runs of one session, a session come back, one
	 * longer than the remembered last id, the next day counted afresh */
	T_CHECK(report_init(r, "2026-11-20", "2026-11-21", NULL) == 0, "init 4");
	report_day_begin(r, "2026-11-20", "carol", "h");
	{
		static const char *const sess[] = { "A", "A", "B", "A",
			"L0123456789012345678901234567890123456789012345678901234567890123456789",
			"L0123456789012345678901234567890123456789012345678901234567890123456789",
			"A", "L0123456789012345678901234567890123456789012345678901234567890123456789X",
			"B" };
		char b[160];

		for (i = 0; i < sizeof(sess) / sizeof(sess[0]); i++) {
			snprintf(b, sizeof(b), "{\"session_id\":\"%s\"}", sess[i]);
			line(r, b);
		}
	}
	report_day_begin(r, "2026-11-21", "carol", "h");
	line(r, "{\"session_id\":\"A\"}");
	line(r, "{\"session_id\":\"A\"}");
	report_finish(r);
	T_CHECK(r->nrows == 2 && r->rows[0].sessions == 4 && r->rows[1].sessions == 1,
	    "distinct sessions per day");
	report_free(r);
	free(r);
	return t_done("report");
}
