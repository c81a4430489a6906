/*
 * report_event.c - map one audit line onto the report's event model (see
 * report_event.h).  One pass over the top-level members with the shipper's
 * own validating scanner; tool_input and tool_response are walked again
 * only when they are objects.
 */
#include <stdint.h>
#include <string.h>

#include "jsonl.h"
#include "report_event.h"

static int
key_is(struct slice k, const char *s)
{
	size_t n = strlen(s);

	return k.len == n && memcmp(k.p, s, n) == 0;
}

static int
key_in(struct slice k, const char *const *names)
{
	for (; *names != NULL; names++)
		if (key_is(k, *names))
			return 1;
	return 0;
}

static const char *const k_event[] = { "hook_event_name", "hookEventName",
	"event", "event_type", "eventType", "hook_event", NULL };
static const char *const k_session[] = { "session_id", "sessionId", NULL };
static const char *const k_use_id[] = { "tool_use_id", "toolUseId",
	"tool_call_id", "toolCallId", NULL };
static const char *const k_tool[] = { "tool_name", "toolName", "tool", NULL };
static const char *const k_input[] = { "tool_input", "toolInput", "input",
	NULL };
static const char *const k_resp[] = { "tool_response", "toolResponse",
	"tool_output", "toolOutput", "response", "result", NULL };
static const char *const k_cmd[] = { "command", "cmd", NULL };
static const char *const k_path[] = { "file_path", "filePath", "path",
	"notebook_path", NULL };
static const char *const k_exit[] = { "exit_code", "exitCode", "returncode",
	"return_code", "exit_status", NULL };
static const char *const k_dur[] = { "duration_ms", "durationMs",
	"executionTimeMs", "execution_time_ms", "elapsed_ms", "elapsedMs", NULL };
static const char *const k_ts[] = { "ts", "timestamp", "time", NULL };

/* Event names, compared lower-case with '_' and '-' ignored, so that
 * "PostToolUse", "post_tool_use" and "postToolUse" are one. */
static const struct {
	const char	*name;
	enum rev_kind	 kind;
} ev_names[] = {
	{ "sessionstart", REV_SESSION_START },
	{ "sessionend", REV_SESSION_END },
	{ "pretooluse", REV_PRE },
	{ "posttooluse", REV_POST },
	{ "posttoolusefailure", REV_FAIL },
	{ "permissiondenied", REV_DENIED },
	{ "configchange", REV_CONFIG_CHANGE },
	{ "userpromptsubmit", REV_KNOWN },
	{ "subagentstart", REV_KNOWN },
	{ "subagentstop", REV_KNOWN },
	{ "stop", REV_KNOWN },
	{ "stopfailure", REV_KNOWN },
	{ "precompact", REV_KNOWN },
	{ "postcompact", REV_KNOWN },
	{ "notification", REV_KNOWN },
	{ "permissionrequest", REV_KNOWN },
	{ "posttoolbatch", REV_KNOWN },
};

/* -1: not a known event name. */
static int
event_kind(struct slice v)
{
	char norm[32];
	size_t i, n = 0;

	for (i = 0; i < v.len; i++) {
		char c = v.p[i];

		if (c == '_' || c == '-')
			continue;
		if (n >= sizeof(norm))
			return -1;
		norm[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	for (i = 0; i < sizeof(ev_names) / sizeof(ev_names[0]); i++)
		if (strlen(ev_names[i].name) == n &&
		    memcmp(ev_names[i].name, norm, n) == 0)
			return (int)ev_names[i].kind;
	return -1;
}

int64_t
report_json_int(const char *p, size_t len)
{
	int64_t v = 0;
	size_t i = 0;

	if (len == 0 || p[0] < '0' || p[0] > '9')
		return -1;
	for (; i < len && p[i] >= '0' && p[i] <= '9'; i++) {
		if (v > (INT64_MAX - 9) / 10)
			return INT64_MAX;
		v = v * 10 + (p[i] - '0');
	}
	if (i < len && p[i] != '.' && p[i] != 'e' && p[i] != 'E')
		return -1;
	return v;
}

/* The bytes between a string value's quotes; 0 when v is not a string. */
static int
str_of(struct slice v, struct slice *out)
{
	if (v.len < 2 || v.p[0] != '"')
		return 0;
	out->p = v.p + 1;
	out->len = v.len - 2;
	return 1;
}

static int
is_lit(struct slice v, const char *lit)
{
	return key_is(v, lit);
}

/* A value that says "this went wrong": a non-empty string, true, an
 * object or array (an error record). */
static int
is_error_value(struct slice v)
{
	if (v.len == 0 || is_lit(v, "null") || is_lit(v, "false"))
		return 0;
	if (v.p[0] == '"')
		return v.len > 2;
	if (v.p[0] == '-' || (v.p[0] >= '0' && v.p[0] <= '9'))
		return 0;
	return 1;
}

/* A number other than 0, or a numeric string other than "0". */
static int
is_nonzero_exit(struct slice v)
{
	struct slice s;
	int64_t n;

	if (str_of(v, &s))
		v = s;
	if (v.len > 0 && v.p[0] == '-')
		return 1;
	n = report_json_int(v.p, v.len);
	return n > 0;
}

static void
take_duration(struct report_event *ev, struct slice v)
{
	int64_t n = report_json_int(v.p, v.len);

	if (n >= 0) {
		ev->has_duration = 1;
		ev->duration_ms = (uint64_t)n;
	}
}

/* Members common to the top level and tool_response: failure signs and
 * durations.  1 when k was one of them. */
static int
outcome_member(struct report_event *ev, struct slice k, struct slice v)
{
	if (key_in(k, k_exit)) {
		if (is_nonzero_exit(v))
			ev->failed = 1;
	} else if (key_is(k, "error") || key_is(k, "stderr_error")) {
		if (is_error_value(v))
			ev->failed = 1;
	} else if (key_is(k, "is_error") || key_is(k, "isError") ||
	    key_is(k, "interrupted") || key_is(k, "is_interrupt") ||
	    key_is(k, "isInterrupt")) {
		if (is_lit(v, "true"))
			ev->failed = 1;
	} else if (key_is(k, "success") || key_is(k, "ok")) {
		if (is_lit(v, "false"))
			ev->failed = 1;
	} else if (key_in(k, k_dur))
		take_duration(ev, v);
	else
		return 0;
	return 1;
}

static void
walk_input(struct report_event *ev, struct slice obj)
{
	struct jsonl_iter it;
	struct slice k, v, s;

	if (!jsonl_iter_init(&it, obj.p, obj.len))
		return;
	while (jsonl_iter_next(&it, &k, &v) == 1) {
		if (ev->command.p == NULL && key_in(k, k_cmd) && str_of(v, &s))
			ev->command = s;
		else if (ev->path.p == NULL && key_in(k, k_path) &&
		    str_of(v, &s))
			ev->path = s;
	}
}

static void
walk_response(struct report_event *ev, struct slice obj)
{
	struct jsonl_iter it;
	struct slice k, v;

	if (!jsonl_iter_init(&it, obj.p, obj.len))
		return;
	while (jsonl_iter_next(&it, &k, &v) == 1)
		(void)outcome_member(ev, k, v);
}

int
report_event_parse(const char *p, size_t len, struct report_event *ev)
{
	struct jsonl_iter it;
	struct slice k, v, s, input = { NULL, 0 }, resp = { NULL, 0 };
	struct slice flat_cmd = { NULL, 0 }, flat_path = { NULL, 0 };
	int kind = -1, named = 0, r;

	memset(ev, 0, sizeof(*ev));
	if (!jsonl_iter_init(&it, p, len))
		return -1;
	while ((r = jsonl_iter_next(&it, &k, &v)) == 1) {
		if (!named && key_in(k, k_event) && str_of(v, &s)) {
			named = 1;
			kind = event_kind(s);
		} else if (ev->session.p == NULL && key_in(k, k_session) &&
		    str_of(v, &s))
			ev->session = s;
		else if (ev->tool_use_id.p == NULL && key_in(k, k_use_id) &&
		    str_of(v, &s))
			ev->tool_use_id = s;
		else if (ev->tool.p == NULL && key_in(k, k_tool) &&
		    str_of(v, &s))
			ev->tool = s;
		else if (input.p == NULL && key_in(k, k_input) &&
		    v.p[0] == '{')
			input = v;
		else if (resp.p == NULL && key_in(k, k_resp) && v.p[0] == '{')
			resp = v;
		else if (ev->ts.p == NULL && key_in(k, k_ts) && str_of(v, &s))
			ev->ts = s;
		else if (ev->agent_id.p == NULL && (key_is(k, "agent_id") ||
		    key_is(k, "agentId")) && str_of(v, &s))
			ev->agent_id = s;
		else if (flat_cmd.p == NULL && key_in(k, k_cmd) &&
		    str_of(v, &s))
			flat_cmd = s;
		else if (flat_path.p == NULL && key_in(k, k_path) &&
		    str_of(v, &s))
			flat_path = s;
		else
			(void)outcome_member(ev, k, v);
	}
	if (r == -1) {
		memset(ev, 0, sizeof(*ev));
		return -1;
	}
	if (input.p != NULL)
		walk_input(ev, input);
	if (resp.p != NULL)
		walk_response(ev, resp);
	if (ev->command.p == NULL)
		ev->command = flat_cmd;
	if (ev->path.p == NULL)
		ev->path = flat_path;
	if (kind >= 0)
		ev->kind = (enum rev_kind)kind;
	else
		ev->kind = ev->tool.p != NULL ? REV_TOOL : REV_OTHER;
	if (ev->kind == REV_FAIL)
		ev->failed = 1;
	return 0;
}
