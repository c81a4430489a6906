/* Unit tests for report_event.c (hook payloads and foreign shapes onto the
 * event model) and the jsonl.c helpers it uses (member iterator,
 * unescape). */
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"
#include "report_event.h"
#include "test.h"

struct ev_case {
	const char	*name, *in;
	int		 rc;		/* report_event_parse */
	enum rev_kind	 kind;
	const char	*tool, *cmd, *path, *use_id;
	int		 failed, has_dur;
	uint64_t	 dur;
};

static const struct ev_case cases[] = {
	{ "pre bash", "{\"session_id\":\"s1\",\"hook_event_name\":\"PreToolUse\","
	  "\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ls -la\","
	  "\"description\":\"x\"},\"tool_use_id\":\"toolu_1\"}",
	  0, REV_PRE, "Bash", "ls -la", NULL, "toolu_1", 0, 0, 0 },
	{ "post ok", "{\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Read\","
	  "\"tool_input\":{\"file_path\":\"/a/.env\"},\"tool_response\":{\"type\":"
	  "\"text\",\"file\":{\"content\":\"x\"}},\"tool_use_id\":\"t2\","
	  "\"duration_ms\":42}",
	  0, REV_POST, "Read", NULL, "/a/.env", "t2", 0, 1, 42 },
	{ "post interrupted", "{\"hook_event_name\":\"PostToolUse\",\"tool_name\":"
	  "\"Bash\",\"tool_response\":{\"stdout\":\"\",\"interrupted\":true}}",
	  0, REV_POST, "Bash", NULL, NULL, NULL, 1, 0, 0 },
	{ "post exit code", "{\"hook_event_name\":\"PostToolUse\",\"tool_name\":"
	  "\"Bash\",\"tool_response\":{\"exit_code\":127,\"is_error\":false}}",
	  0, REV_POST, "Bash", NULL, NULL, NULL, 1, 0, 0 },
	{ "post is_error", "{\"hook_event_name\":\"PostToolUse\",\"tool_name\":"
	  "\"mcp__x__y\",\"tool_response\":{\"isError\":true}}",
	  0, REV_POST, "mcp__x__y", NULL, NULL, NULL, 1, 0, 0 },
	{ "post exit 0", "{\"hook_event_name\":\"PostToolUse\",\"tool_name\":"
	  "\"Bash\",\"tool_response\":{\"exitCode\":0,\"error\":null}}",
	  0, REV_POST, "Bash", NULL, NULL, NULL, 0, 0, 0 },
	{ "failure", "{\"hook_event_name\":\"PostToolUseFailure\",\"tool_name\":"
	  "\"Bash\",\"error\":\"Exit code 1\",\"is_interrupt\":false,"
	  "\"tool_use_id\":\"t3\",\"duration_ms\":1500}",
	  0, REV_FAIL, "Bash", NULL, NULL, "t3", 1, 1, 1500 },
	{ "denied", "{\"hook_event_name\":\"PermissionDenied\",\"tool_name\":\"Bash\","
	  "\"tool_input\":{\"command\":\"rm -rf /\"},\"tool_use_id\":\"t4\","
	  "\"reason\":\"no\"}",
	  0, REV_DENIED, "Bash", "rm -rf /", NULL, "t4", 0, 0, 0 },
	{ "session start", "{\"hook_event_name\":\"SessionStart\",\"session_id\":"
	  "\"s\",\"source\":\"startup\"}", 0, REV_SESSION_START, NULL, NULL, NULL,
	  NULL, 0, 0, 0 },
	{ "session end", "{\"hook_event_name\":\"SessionEnd\",\"reason\":\"exit\"}",
	  0, REV_SESSION_END, NULL, NULL, NULL, NULL, 0, 0, 0 },
	{ "stop", "{\"hook_event_name\":\"Stop\",\"stop_hook_active\":false}",
	  0, REV_KNOWN, NULL, NULL, NULL, NULL, 0, 0, 0 },
	{ "config change", "{\"hook_event_name\":\"ConfigChange\"}",
	  0, REV_CONFIG_CHANGE, NULL, NULL, NULL, NULL, 0, 0, 0 },
	{ "snake event", "{\"event\":\"post_tool_use\",\"toolName\":\"Edit\"}",
	  0, REV_POST, "Edit", NULL, NULL, NULL, 0, 0, 0 },
	{ "flat tool line", "{\"tool\":\"Bash\",\"command\":\"make\",\"exit_code\":2}",
	  0, REV_TOOL, "Bash", "make", NULL, NULL, 1, 0, 0 },
	{ "flat ok", "{\"tool\":\"Bash\",\"command\":\"make\",\"exit_code\":0}",
	  0, REV_TOOL, "Bash", "make", NULL, NULL, 0, 0, 0 },
	{ "camel line", "{\"toolName\":\"Read\",\"executionTimeMs\":12.7,"
	  "\"error\":\"ENOENT\"}", 0, REV_TOOL, "Read", NULL, NULL, NULL, 1, 1, 12 },
	{ "success false", "{\"toolName\":\"Write\",\"success\":false}",
	  0, REV_TOOL, "Write", NULL, NULL, NULL, 1, 0, 0 },
	{ "unknown event with tool", "{\"hook_event_name\":\"ToolRan\",\"tool\":\"X\"}",
	  0, REV_TOOL, "X", NULL, NULL, NULL, 0, 0, 0 },
	{ "other", "{\"kind\":\"heartbeat\"}", 0, REV_OTHER, NULL, NULL, NULL,
	  NULL, 0, 0, 0 },
	{ "tool not a string", "{\"tool\":{\"name\":\"x\"}}", 0, REV_OTHER, NULL,
	  NULL, NULL, NULL, 0, 0, 0 },
	{ "empty object", "{}", 0, REV_OTHER, NULL, NULL, NULL, NULL, 0, 0, 0 },
	{ "negative duration", "{\"toolName\":\"R\",\"duration_ms\":-5}", 0,
	  REV_TOOL, "R", NULL, NULL, NULL, 0, 0, 0 },
	{ "array", "[1,2]", -1, REV_OTHER, NULL, NULL, NULL, NULL, 0, 0, 0 },
	{ "truncated", "{\"hook_event_name\":\"PreToolUse\",\"tool_na", -1,
	  REV_OTHER, NULL, NULL, NULL, NULL, 0, 0, 0 },
	{ "garbage", "\x01\xff zz", -1, REV_OTHER, NULL, NULL, NULL, NULL, 0, 0, 0 },
	{ "trailing", "{\"a\":1} {", -1, REV_OTHER, NULL, NULL, NULL, NULL, 0, 0, 0 },
	{ "bad nested", "{\"tool_input\":{\"command\":\"x\"\"y\"}}", -1,
	  REV_OTHER, NULL, NULL, NULL, NULL, 0, 0, 0 },
	{ "empty", "", -1, REV_OTHER, NULL, NULL, NULL, NULL, 0, 0, 0 },
	/* the one-pass walker: escapes stay raw, a key with an escape names
	 * nothing, objects nested in tool_input are skipped whole, keys that
	 * share a prefix with a name are no name, whitespace anywhere */
	{ "escaped values", "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":"
	  "\"a\\\"b\",\"tool_input\":{\"command\":\"echo \\u0041 \\\\ \\\"x\\\"\"}}",
	  0, REV_PRE, "a\\\"b", "echo \\u0041 \\\\ \\\"x\\\"", NULL, NULL, 0, 0, 0 },
	{ "escaped key", "{\"tool\\u005fname\":\"X\",\"hook_event_name\":\"Stop\"}",
	  0, REV_KNOWN, NULL, NULL, NULL, NULL, 0, 0, 0 },
	{ "nested in input", "{\"hook_event_name\":\"PreToolUse\",\"tool_input\":"
	  "{\"opts\":{\"command\":\"rm -rf /\",\"file_path\":\"/x\"},\"edits\":"
	  "[{\"command\":\"y\"}],\"command\":\"ls\"},\"tool_name\":\"Bash\"}",
	  0, REV_PRE, "Bash", "ls", NULL, NULL, 0, 0, 0 },
	{ "only nested in input", "{\"tool_name\":\"T\",\"tool_input\":{\"a\":"
	  "{\"command\":\"x\",\"b\":{\"c\":{}}}}}",
	  0, REV_TOOL, "T", NULL, NULL, NULL, 0, 0, 0 },
	{ "nested in response", "{\"toolName\":\"T\",\"tool_response\":{\"meta\":"
	  "{\"is_error\":true,\"exit_code\":1},\"stdout\":\"ok\"}}",
	  0, REV_TOOL, "T", NULL, NULL, NULL, 0, 0, 0 },
	{ "prefix keys", "{\"tool_names\":\"A\",\"tool_nam\":\"B\",\"Tool_name\":"
	  "\"C\",\"tool_name\":\"D\",\"tool_use_ids\":\"u\",\"commands\":\"x\","
	  "\"hook_event_name_\":\"Stop\",\"hook_event_name\":\"PostToolUse\"}",
	  0, REV_POST, "D", NULL, NULL, NULL, 0, 0, 0 },
	{ "first of each wins", "{\"tool\":\"A\",\"tool_name\":\"B\",\"tool_input\":"
	  "{\"command\":\"a\",\"cmd\":\"b\"},\"toolInput\":{\"command\":\"c\"},"
	  "\"command\":\"d\",\"hook_event_name\":7,\"event\":\"Stop\","
	  "\"hookEventName\":\"PreToolUse\"}",
	  0, REV_KNOWN, "A", "a", NULL, NULL, 0, 0, 0 },
	{ "input not an object", "{\"tool_input\":\"x\",\"input\":{\"command\":"
	  "\"b\"},\"tool\":\"T\",\"command\":\"flat\"}",
	  0, REV_TOOL, "T", "flat", NULL, NULL, 0, 0, 0 },
	{ "last duration wins", "{\"toolName\":\"R\",\"duration_ms\":5,"
	  "\"tool_response\":{\"duration_ms\":7.5}}",
	  0, REV_TOOL, "R", NULL, NULL, NULL, 0, 1, 7 },
	{ "whitespace", " {\r\n \"hook_event_name\" :\t\"PostToolUse\" , \"tool_name\""
	  " : \"R\" , \"tool_input\" : { \"file_path\" : \"/p\" } , \"tool_response\""
	  ":{ \"interrupted\" : true } } \n",
	  0, REV_POST, "R", NULL, "/p", NULL, 1, 0, 0 },
	{ "utf-8 values", "{\"tool_name\":\"caf\xc3\xa9\",\"tool_input\":{\"command\":"
	  "\"echo \xe2\x82\xac\"}}",
	  0, REV_TOOL, "caf\xc3\xa9", "echo \xe2\x82\xac", NULL, NULL, 0, 0, 0 },
	{ "bad utf-8 deep in response", "{\"tool_name\":\"T\",\"tool_response\":"
	  "{\"a\":[{\"b\":\"\xc3\x28\"}]}}", -1,
	  REV_OTHER, NULL, NULL, NULL, NULL, 0, 0, 0 },
	{ "bad escape in skipped value", "{\"tool_name\":\"T\",\"x\":\"\\q\"}", -1,
	  REV_OTHER, NULL, NULL, NULL, NULL, 0, 0, 0 },
	{ "control byte in key", "{\"to\x01ol\":1}", -1,
	  REV_OTHER, NULL, NULL, NULL, NULL, 0, 0, 0 },
	{ "no colon", "{\"tool_name\" \"T\"}", -1,
	  REV_OTHER, NULL, NULL, NULL, NULL, 0, 0, 0 },
	{ "trailing comma in input", "{\"tool_input\":{\"command\":\"x\",}}", -1,
	  REV_OTHER, NULL, NULL, NULL, NULL, 0, 0, 0 },
	{ "unclosed input", "{\"tool_input\":{\"command\":\"x\"", -1,
	  REV_OTHER, NULL, NULL, NULL, NULL, 0, 0, 0 },
};

/* Event names: the documented spelling (the fast path), other cases and
 * separators, and near misses. */
static const struct { const char *name; enum rev_kind kind; } ev_kinds[] = {
	{ "PreToolUse", REV_PRE }, { "PostToolUse", REV_POST },
	{ "PostToolUseFailure", REV_FAIL }, { "PermissionDenied", REV_DENIED },
	{ "SessionStart", REV_SESSION_START }, { "SessionEnd", REV_SESSION_END },
	{ "ConfigChange", REV_CONFIG_CHANGE }, { "Stop", REV_KNOWN },
	{ "UserPromptSubmit", REV_KNOWN }, { "SubagentStop", REV_KNOWN },
	{ "PostToolBatch", REV_KNOWN }, { "PermissionRequest", REV_KNOWN },
	{ "pre_tool_use", REV_PRE }, { "post-tool-use-failure", REV_FAIL },
	{ "POSTTOOLUSE", REV_POST }, { "sessionEnd", REV_SESSION_END },
	{ "Session_Start", REV_SESSION_START }, { "stop", REV_KNOWN },
	{ "PreToolUsE", REV_PRE }, { "_Stop_", REV_KNOWN },
	{ "PreToolUses", REV_OTHER }, { "PreToolUs", REV_OTHER },
	{ "Post", REV_OTHER }, { "", REV_OTHER }, { "Pre\\u0054oolUse", REV_OTHER },
	{ "SessionStartSessionStartSessionStart", REV_OTHER },
};

/* Which kept slices are plain (their raw bytes are their text): no
 * escape, printable ASCII only (DEL included, as the scanner's fast path
 * has it). */
static const struct { const char *in; unsigned plain; } plain_cases[] = {
	{ "{\"ts\":\"2026-11-20T10:00:00Z\",\"session_id\":\"s1\",\"hook_event_name\":"
	  "\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":"
	  "\"ls -la\",\"file_path\":\"/a b\"},\"tool_use_id\":\"t1\",\"agent_id\":\"a\"}",
	  REV_PLAIN_TS | REV_PLAIN_SESSION | REV_PLAIN_TOOL | REV_PLAIN_CMD |
	  REV_PLAIN_PATH | REV_PLAIN_USE_ID | REV_PLAIN_AGENT },
	{ "{\"tool_name\":\"a\\\"b\",\"tool_input\":{\"command\":\"x\\ty\"},"
	  "\"session_id\":\"s\"}", REV_PLAIN_SESSION },
	{ "{\"tool\":\"caf\xc3\xa9\",\"command\":\"make\",\"path\":\"\\/x\"}",
	  REV_PLAIN_CMD },
	{ "{\"tool\":\"del\x7f\",\"ts\":\"\",\"tool_input\":\"x\",\"cmd\":\"c\"}",
	  REV_PLAIN_TOOL | REV_PLAIN_TS | REV_PLAIN_CMD },
	/* a plain flat command does not make an escaped input command plain */
	{ "{\"command\":\"flat\",\"tool_input\":{\"command\":\"a\\u0041\"}}", 0 },
	{ "{\"tool_input\":{\"command\":7},\"command\":\"flat\",\"tool_use_id\":"
	  "\"\\u0074\"}", REV_PLAIN_CMD },
};

/* Every member name and its class (report_event.h), and names that are
 * one byte off. */
static const struct { const char *k; enum rev_key c; } key_cases[] = {
	{ "hook_event_name", RK_EVENT }, { "hookEventName", RK_EVENT },
	{ "event", RK_EVENT }, { "event_type", RK_EVENT },
	{ "eventType", RK_EVENT }, { "hook_event", RK_EVENT },
	{ "session_id", RK_SESSION }, { "sessionId", RK_SESSION },
	{ "tool_use_id", RK_USE_ID }, { "toolUseId", RK_USE_ID },
	{ "tool_call_id", RK_USE_ID }, { "toolCallId", RK_USE_ID },
	{ "tool_name", RK_TOOL }, { "toolName", RK_TOOL }, { "tool", RK_TOOL },
	{ "tool_input", RK_INPUT }, { "toolInput", RK_INPUT },
	{ "input", RK_INPUT },
	{ "tool_response", RK_RESP }, { "toolResponse", RK_RESP },
	{ "tool_output", RK_RESP }, { "toolOutput", RK_RESP },
	{ "response", RK_RESP }, { "result", RK_RESP },
	{ "command", RK_CMD }, { "cmd", RK_CMD },
	{ "file_path", RK_PATH }, { "filePath", RK_PATH }, { "path", RK_PATH },
	{ "notebook_path", RK_PATH },
	{ "exit_code", RK_EXIT }, { "exitCode", RK_EXIT },
	{ "returncode", RK_EXIT }, { "return_code", RK_EXIT },
	{ "exit_status", RK_EXIT },
	{ "duration_ms", RK_DUR }, { "durationMs", RK_DUR },
	{ "executionTimeMs", RK_DUR }, { "execution_time_ms", RK_DUR },
	{ "elapsed_ms", RK_DUR }, { "elapsedMs", RK_DUR },
	{ "ts", RK_TS }, { "timestamp", RK_TS }, { "time", RK_TS },
	{ "agent_id", RK_AGENT }, { "agentId", RK_AGENT },
	{ "error", RK_ERROR },
	{ "is_error", RK_TRUE_FAILS }, { "isError", RK_TRUE_FAILS },
	{ "interrupted", RK_TRUE_FAILS }, { "is_interrupt", RK_TRUE_FAILS },
	{ "isInterrupt", RK_TRUE_FAILS },
	{ "success", RK_FALSE_FAILS }, { "ok", RK_FALSE_FAILS },
	{ "", RK_NONE }, { "t", RK_NONE }, { "tx", RK_NONE },
	{ "tool_nam", RK_NONE }, { "tool_names", RK_NONE },
	{ "Tool_name", RK_NONE }, { "tool_namE", RK_NONE },
	{ "hook_event_nam", RK_NONE }, { "hook_event_name_", RK_NONE },
	{ "execution_time_m", RK_NONE }, { "execution_time_mss", RK_NONE },
	{ "sessionid", RK_NONE }, { "session_Id", RK_NONE },
	{ "cwd", RK_NONE }, { "host", RK_NONE }, { "stdout", RK_NONE },
	{ "description", RK_NONE }, { "permission_mode", RK_NONE },
	{ "transcript_path", RK_NONE }, { "tool\\u005fname", RK_NONE },
};

static int
slice_is(struct slice s, const char *want)
{
	if (want == NULL)
		return s.p == NULL;
	return s.p != NULL && s.len == strlen(want) && memcmp(s.p, want, s.len) == 0;
}

/* inputs for "the iterator agrees with jsonl_is_object" */
static const char *const iter_inputs[] = {
	"{}", " { } ", "{\"a\":1}", "{\"a\":1,\"b\":[1,{\"c\":\"d\"}],\"e\":null}",
	"{\"a\":1,}", "{,}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "{\"a\":1}x",
	"{\"a\":\"\xff\"}", "{\"a\":tru}", "[]", "", "{", "{\"a\":{}}  \r",
	"{\"a\":1}{\"b\":2}", "{\"\\u00e9\":\"x\"}", "{\"a\":[1,2,]}",
};

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ev_case *c = &cases[i];
		struct report_event ev;
		int rc = report_event_parse(c->in, strlen(c->in), &ev);

		T_CHECK(rc == c->rc, c->name);
		if (rc != 0)
			continue;
		T_CHECK(ev.kind == c->kind, c->name);
		T_CHECK(slice_is(ev.tool, c->tool), c->name);
		T_CHECK(slice_is(ev.command, c->cmd), c->name);
		T_CHECK(slice_is(ev.path, c->path), c->name);
		T_CHECK(slice_is(ev.tool_use_id, c->use_id), c->name);
		T_CHECK(ev.failed == c->failed, c->name);
		T_CHECK(ev.has_duration == c->has_dur, c->name);
		T_CHECK(ev.duration_ms == c->dur, c->name);
	}
	for (i = 0; i < sizeof(ev_kinds) / sizeof(ev_kinds[0]); i++) {
		char line[128];
		struct report_event ev;
		int n = snprintf(line, sizeof(line), "{\"hook_event_name\":\"%s\"}",
		    ev_kinds[i].name);

		T_CHECK(n > 0 && (size_t)n < sizeof(line) &&
		    report_event_parse(line, (size_t)n, &ev) == 0 &&
		    ev.kind == ev_kinds[i].kind, ev_kinds[i].name);
	}
	for (i = 0; i < sizeof(plain_cases) / sizeof(plain_cases[0]); i++) {
		struct report_event ev;

		T_CHECK(report_event_parse(plain_cases[i].in, strlen(plain_cases[i].in),
		    &ev) == 0 && ev.plain == plain_cases[i].plain, plain_cases[i].in);
	}
	for (i = 0; i < sizeof(key_cases) / sizeof(key_cases[0]); i++)
		T_CHECK(report_event_key(key_cases[i].k, strlen(key_cases[i].k)) ==
		    key_cases[i].c, key_cases[i].k);
	for (i = 0; i < sizeof(iter_inputs) / sizeof(iter_inputs[0]); i++) {
		const char *in = iter_inputs[i];
		struct jsonl_iter it;
		struct slice k, v;
		int r = -1;

		if (jsonl_iter_init(&it, in, strlen(in)))
			while ((r = jsonl_iter_next(&it, &k, &v)) == 1)
				;
		T_CHECK((r == 0) == jsonl_is_object(in, strlen(in)), in);
	}
	{
		/* member slices */
		const char *in = "{ \"a\" : \"x\\\"y\" , \"b\":[1, 2] }";
		struct jsonl_iter it;
		struct slice k, v;

		T_CHECK(jsonl_iter_init(&it, in, strlen(in)), "init");
		T_CHECK(jsonl_iter_next(&it, &k, &v) == 1 && slice_is(k, "a") &&
		    slice_is(v, "\"x\\\"y\""), "first member");
		T_CHECK(jsonl_iter_next(&it, &k, &v) == 1 && slice_is(k, "b") &&
		    slice_is(v, "[1, 2]"), "second member");
		T_CHECK(jsonl_iter_next(&it, &k, &v) == 0, "end");
		T_CHECK(jsonl_iter_next(&it, &k, &v) == -1, "after end");
	}
	{
		/* walking a member's object in place, then going on */
		const char *in = "{\"a\":{\"x\":1,\"y\":{\"z\":[]}},\"b\":\"c\",\"d\":{}}";
		struct jsonl_iter it, ch;
		struct slice k, v;

		T_CHECK(jsonl_iter_init(&it, in, strlen(in)), "init nested");
		T_CHECK(jsonl_iter_next_key(&it, &k) == 1 && slice_is(k, "a"), "key a");
		T_CHECK(jsonl_iter_enter(&it, &ch) == 1, "enter a");
		T_CHECK(jsonl_iter_next(&ch, &k, &v) == 1 && slice_is(v, "1"), "a.x");
		T_CHECK(jsonl_iter_next(&ch, &k, &v) == 1 && slice_is(v, "{\"z\":[]}"), "a.y");
		T_CHECK(jsonl_iter_next(&ch, &k, &v) == 0, "end of a");
		jsonl_iter_leave(&it, &ch);
		T_CHECK(jsonl_iter_next(&it, &k, &v) == 1 && slice_is(k, "b") &&
		    slice_is(v, "\"c\""), "b after a");
		T_CHECK(jsonl_iter_next_key(&it, &k) == 1 && jsonl_iter_enter(&it, &ch) == 1 &&
		    jsonl_iter_next(&ch, &k, &v) == 0, "empty d");
		jsonl_iter_leave(&it, &ch);
		T_CHECK(jsonl_iter_next(&it, &k, &v) == 0, "end");
		/* not an object: enter says 0, value scans it */
		in = "{\"a\":[1]} x";
		T_CHECK(jsonl_iter_init(&it, in, strlen(in)) &&
		    jsonl_iter_next_key(&it, &k) == 1 && jsonl_iter_enter(&it, &ch) == 0 &&
		    jsonl_iter_value(&it, &v) == 1 && slice_is(v, "[1]"), "enter non-object");
		T_CHECK(jsonl_iter_next(&it, &k, &v) == -1, "trailing garbage after all");
		/* a broken child is an invalid line */
		in = "{\"tool_input\":{\"command\":\"x\" \"y\"},\"tool_name\":\"B\"}";
		{
			struct report_event ev;

			T_CHECK(report_event_parse(in, strlen(in), &ev) == -1, "broken child");
		}
	}
	{
		/* unescape */
		static const struct { const char *in, *want; size_t cap; int cut; } u[] = {
			{ "plain", "plain", 64, 0 },
			{ "a\\\"b\\\\c\\/d", "a\"b\\c/d", 64, 0 },
			{ "\\n\\t\\r\\b\\f", "\n\t\r\b\f", 64, 0 },
			{ "caf\\u00e9", "caf\xc3\xa9", 64, 0 },
			{ "\\u20ac", "\xe2\x82\xac", 64, 0 },
			{ "\\ud83d\\ude00", "\xf0\x9f\x98\x80", 64, 0 },
			{ "\\ud83dx", "\xef\xbf\xbdx", 64, 0 },
			{ "abcdef", "abc", 3, 1 },
			{ "ab\\u00e9", "ab", 3, 1 },
		};
		char out[64];
		size_t n;
		int cut;

		for (i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
			n = jsonl_unescape(u[i].in, strlen(u[i].in), out, u[i].cap, &cut);
			out[n] = '\0';
			T_STREQ(out, u[i].want, u[i].in);
			T_CHECK(cut == u[i].cut, u[i].in);
		}
	}
	T_CHECK(report_json_int("42", 2) == 42, "int");
	T_CHECK(report_json_int("4.9", 3) == 4, "fraction cut");
	T_CHECK(report_json_int("-1", 2) == -1, "negative");
	T_CHECK(report_json_int("\"1\"", 3) == -1, "string");
	T_CHECK(report_json_int("99999999999999999999999", 23) == INT64_MAX, "clamp");
	return t_done("report_event");
}
