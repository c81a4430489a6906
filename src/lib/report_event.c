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

/* What a member name stands for, wherever it appears. */
enum key_class {
	K_NONE, K_EVENT, K_SESSION, K_USE_ID, K_TOOL, K_INPUT, K_RESP, K_CMD,
	K_PATH, K_EXIT, K_DUR, K_TS, K_AGENT, K_ERROR, K_TRUE_FAILS,
	K_FALSE_FAILS,
};

#define K(name, cls)	{ name, sizeof(name) - 1, cls }
struct key_ent {
	const char	*name;
	size_t		 len;
	enum key_class	 cls;
};
static const struct key_ent keys[] = {
	K("hook_event_name", K_EVENT), K("hookEventName", K_EVENT),
	K("event", K_EVENT), K("event_type", K_EVENT), K("eventType", K_EVENT),
	K("hook_event", K_EVENT),
	K("session_id", K_SESSION), K("sessionId", K_SESSION),
	K("tool_use_id", K_USE_ID), K("toolUseId", K_USE_ID),
	K("tool_call_id", K_USE_ID), K("toolCallId", K_USE_ID),
	K("tool_name", K_TOOL), K("toolName", K_TOOL), K("tool", K_TOOL),
	K("tool_input", K_INPUT), K("toolInput", K_INPUT), K("input", K_INPUT),
	K("tool_response", K_RESP), K("toolResponse", K_RESP),
	K("tool_output", K_RESP), K("toolOutput", K_RESP),
	K("response", K_RESP), K("result", K_RESP),
	K("command", K_CMD), K("cmd", K_CMD),
	K("file_path", K_PATH), K("filePath", K_PATH), K("path", K_PATH),
	K("notebook_path", K_PATH),
	K("exit_code", K_EXIT), K("exitCode", K_EXIT), K("returncode", K_EXIT),
	K("return_code", K_EXIT), K("exit_status", K_EXIT),
	K("duration_ms", K_DUR), K("durationMs", K_DUR),
	K("executionTimeMs", K_DUR), K("execution_time_ms", K_DUR),
	K("elapsed_ms", K_DUR), K("elapsedMs", K_DUR),
	K("ts", K_TS), K("timestamp", K_TS), K("time", K_TS),
	K("agent_id", K_AGENT), K("agentId", K_AGENT),
	K("error", K_ERROR),
	K("is_error", K_TRUE_FAILS), K("isError", K_TRUE_FAILS),
	K("interrupted", K_TRUE_FAILS), K("is_interrupt", K_TRUE_FAILS),
	K("isInterrupt", K_TRUE_FAILS),
	K("success", K_FALSE_FAILS), K("ok", K_FALSE_FAILS),
};
#undef K

#define NKEYS		(sizeof(keys) / sizeof(keys[0]))
#define KEY_SLOTS	256	/* open addressing, load < 1/4 */

/* keys[] by a hash of (length, first byte, last byte), built once */
static unsigned char key_slot[KEY_SLOTS];	/* index + 1, 0 empty */
static int key_ready;

static unsigned
key_hash(const char *p, size_t len)
{
	return ((unsigned)len * 31u + (unsigned char)p[0] * 7u +
	    (unsigned char)p[len - 1]) & (KEY_SLOTS - 1);
}

static void
key_index(void)
{
	size_t i;
	unsigned h;

	for (i = 0; i < NKEYS; i++) {
		for (h = key_hash(keys[i].name, keys[i].len); key_slot[h] != 0;
		    h = (h + 1) & (KEY_SLOTS - 1))
			;
		key_slot[h] = (unsigned char)(i + 1);
	}
	key_ready = 1;
}

static enum key_class
key_class(struct slice k)
{
	unsigned h;

	if (k.len == 0)
		return K_NONE;
	if (!key_ready)
		key_index();
	for (h = key_hash(k.p, k.len); key_slot[h] != 0; h = (h + 1) & (KEY_SLOTS - 1)) {
		const struct key_ent *e = &keys[key_slot[h] - 1];

		if (e->len == k.len && memcmp(e->name, k.p, k.len) == 0)
			return e->cls;
	}
	return K_NONE;
}

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
 * durations. */
static void
outcome_member(struct report_event *ev, enum key_class c, struct slice v)
{
	switch (c) {
	case K_EXIT:
		if (is_nonzero_exit(v))
			ev->failed = 1;
		break;
	case K_ERROR:
		if (is_error_value(v))
			ev->failed = 1;
		break;
	case K_TRUE_FAILS:
		if (is_lit(v, "true"))
			ev->failed = 1;
		break;
	case K_FALSE_FAILS:
		if (is_lit(v, "false"))
			ev->failed = 1;
		break;
	case K_DUR:
		take_duration(ev, v);
		break;
	default:
		break;
	}
}

/* Walk tool_input (input) or tool_response (!input) as a child of it
 * without scanning it twice.  -1 when it is not valid. */
static int
walk_child(struct report_event *ev, struct jsonl_iter *it, int input)
{
	struct jsonl_iter child;
	struct slice k, v, s;
	int r;

	if (!jsonl_iter_enter(it, &child))
		return jsonl_iter_value(it, &v) == 1 ? 0 : -1;
	while ((r = jsonl_iter_next(&child, &k, &v)) == 1) {
		enum key_class c = key_class(k);

		if (!input)
			outcome_member(ev, c, v);
		else if (ev->command.p == NULL && c == K_CMD && str_of(v, &s))
			ev->command = s;
		else if (ev->path.p == NULL && c == K_PATH && str_of(v, &s))
			ev->path = s;
	}
	if (r == -1)
		return -1;
	jsonl_iter_leave(it, &child);
	return 0;
}

int
report_event_parse(const char *p, size_t len, struct report_event *ev)
{
	struct jsonl_iter it;
	struct slice k, v, s;
	struct slice flat_cmd = { NULL, 0 }, flat_path = { NULL, 0 };
	int kind = -1, named = 0, r, have_input = 0, have_resp = 0;

	memset(ev, 0, sizeof(*ev));
	if (!jsonl_iter_init(&it, p, len))
		return -1;
	while ((r = jsonl_iter_next_key(&it, &k)) == 1) {
		enum key_class c = key_class(k);
		int str;

		if ((c == K_INPUT && !have_input) || (c == K_RESP && !have_resp)) {
			/* walked in place when an object */
			if (c == K_INPUT)
				have_input = 1;
			else
				have_resp = 1;
			if (walk_child(ev, &it, c == K_INPUT) == -1) {
				r = -1;
				break;
			}
			continue;
		}
		if (jsonl_iter_value(&it, &v) == -1) {
			r = -1;
			break;
		}
		str = str_of(v, &s);
		switch (c) {
		case K_EVENT:
			if (!named && str) {
				named = 1;
				kind = event_kind(s);
			}
			break;
		case K_SESSION:
			if (ev->session.p == NULL && str)
				ev->session = s;
			break;
		case K_USE_ID:
			if (ev->tool_use_id.p == NULL && str)
				ev->tool_use_id = s;
			break;
		case K_TOOL:
			if (ev->tool.p == NULL && str)
				ev->tool = s;
			break;
		case K_TS:
			if (ev->ts.p == NULL && str)
				ev->ts = s;
			break;
		case K_AGENT:
			if (ev->agent_id.p == NULL && str)
				ev->agent_id = s;
			break;
		case K_CMD:
			if (flat_cmd.p == NULL && str)
				flat_cmd = s;
			break;
		case K_PATH:
			if (flat_path.p == NULL && str)
				flat_path = s;
			break;
		default:
			outcome_member(ev, c, v);
			break;
		}
	}
	if (r == -1) {
		memset(ev, 0, sizeof(*ev));
		return -1;
	}
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
