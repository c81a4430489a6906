/*
 * report_event.c - map one audit line onto the report's event model (see
 * report_event.h).  One validating pass: members are walked here, each
 * value checked and skipped by jsonl.c's scanner (jsonl_skip_string,
 * jsonl_skip_value) and kept only when its key names a field of the
 * model; the first tool_input and tool_response objects are walked in
 * place, nothing is scanned twice.
 */
#include <stdint.h>
#include <string.h>

#include "jsonl.h"
#include "jsonl_scan.h"
#include "report_event.h"

/* Compare the key to a literal of its own length (checked by the
 * caller): a constant-size memcmp, expanded inline. */
#define IS(lit)	(memcmp(p, lit, sizeof(lit) - 1) == 0)

/* By length, then by bytes: most keys of a line miss after one or two
 * word compares, none needs a loop. */
static inline __attribute__((always_inline)) enum rev_key
key_class(const char *p, size_t len)
{
	switch (len) {
	case 2:
		return IS("ts") ? RK_TS : IS("ok") ? RK_FALSE_FAILS : RK_NONE;
	case 3:
		return IS("cmd") ? RK_CMD : RK_NONE;
	case 4:
		return IS("tool") ? RK_TOOL : IS("path") ? RK_PATH :
		    IS("time") ? RK_TS : RK_NONE;
	case 5:
		return IS("event") ? RK_EVENT : IS("input") ? RK_INPUT :
		    IS("error") ? RK_ERROR : RK_NONE;
	case 6:
		return IS("result") ? RK_RESP : RK_NONE;
	case 7:
		return IS("command") ? RK_CMD : IS("success") ? RK_FALSE_FAILS :
		    IS("isError") ? RK_TRUE_FAILS : IS("agentId") ? RK_AGENT :
		    RK_NONE;
	case 8:
		return IS("toolName") ? RK_TOOL : IS("response") ? RK_RESP :
		    IS("filePath") ? RK_PATH : IS("exitCode") ? RK_EXIT :
		    IS("is_error") ? RK_TRUE_FAILS : IS("agent_id") ? RK_AGENT :
		    RK_NONE;
	case 9:
		return IS("tool_name") ? RK_TOOL : IS("file_path") ? RK_PATH :
		    IS("exit_code") ? RK_EXIT : IS("timestamp") ? RK_TS :
		    IS("sessionId") ? RK_SESSION : IS("toolUseId") ? RK_USE_ID :
		    IS("toolInput") ? RK_INPUT : IS("eventType") ? RK_EVENT :
		    IS("elapsedMs") ? RK_DUR : RK_NONE;
	case 10:
		return IS("session_id") ? RK_SESSION : IS("tool_input") ? RK_INPUT :
		    IS("hook_event") ? RK_EVENT : IS("event_type") ? RK_EVENT :
		    IS("toolCallId") ? RK_USE_ID : IS("toolOutput") ? RK_RESP :
		    IS("returncode") ? RK_EXIT : IS("durationMs") ? RK_DUR :
		    IS("elapsed_ms") ? RK_DUR : RK_NONE;
	case 11:
		return IS("tool_use_id") ? RK_USE_ID : IS("duration_ms") ? RK_DUR :
		    IS("interrupted") ? RK_TRUE_FAILS : IS("tool_output") ? RK_RESP :
		    IS("return_code") ? RK_EXIT : IS("exit_status") ? RK_EXIT :
		    IS("isInterrupt") ? RK_TRUE_FAILS : RK_NONE;
	case 12:
		return IS("tool_call_id") ? RK_USE_ID : IS("toolResponse") ? RK_RESP :
		    IS("is_interrupt") ? RK_TRUE_FAILS : RK_NONE;
	case 13:
		return IS("tool_response") ? RK_RESP : IS("hookEventName") ? RK_EVENT :
		    IS("notebook_path") ? RK_PATH : RK_NONE;
	case 15:
		return IS("hook_event_name") ? RK_EVENT :
		    IS("executionTimeMs") ? RK_DUR : RK_NONE;
	case 17:
		return IS("execution_time_ms") ? RK_DUR : RK_NONE;
	default:
		return RK_NONE;
	}
}
#undef IS

enum rev_key
report_event_key(const char *p, size_t len)
{
	return key_class(p, len);
}

/* Event names, compared lower-case with '_' and '-' ignored, so that
 * "PostToolUse", "post_tool_use" and "postToolUse" are one; hooks write
 * the documented spelling (camel), tried first as it stands. */
#define E(norm, camel, kind)	{ norm, camel, sizeof(norm) - 1, \
	sizeof(camel) - 1, kind }
static const struct {
	const char	*norm, *camel;
	size_t		 len, camel_len;
	enum rev_kind	 kind;
} ev_names[] = {
	E("pretooluse", "PreToolUse", REV_PRE),
	E("posttooluse", "PostToolUse", REV_POST),
	E("posttoolusefailure", "PostToolUseFailure", REV_FAIL),
	E("permissiondenied", "PermissionDenied", REV_DENIED),
	E("sessionstart", "SessionStart", REV_SESSION_START),
	E("sessionend", "SessionEnd", REV_SESSION_END),
	E("configchange", "ConfigChange", REV_CONFIG_CHANGE),
	E("userpromptsubmit", "UserPromptSubmit", REV_KNOWN),
	E("subagentstart", "SubagentStart", REV_KNOWN),
	E("subagentstop", "SubagentStop", REV_KNOWN),
	E("stop", "Stop", REV_KNOWN),
	E("stopfailure", "StopFailure", REV_KNOWN),
	E("precompact", "PreCompact", REV_KNOWN),
	E("postcompact", "PostCompact", REV_KNOWN),
	E("notification", "Notification", REV_KNOWN),
	E("permissionrequest", "PermissionRequest", REV_KNOWN),
	E("posttoolbatch", "PostToolBatch", REV_KNOWN),
};
#undef E
#define NEV_NAMES	(sizeof(ev_names) / sizeof(ev_names[0]))

/* -1: not a known event name.  Out of line: once a line, and keeping it
 * apart keeps the member code small. */
static int __attribute__((noinline))
event_kind(struct slice v)
{
	char norm[32];
	size_t i, n = 0;

	for (i = 0; i < NEV_NAMES; i++)
		if (ev_names[i].camel_len == v.len &&
		    ev_names[i].camel[0] == v.p[0] &&
		    memcmp(ev_names[i].camel, v.p, v.len) == 0)
			return (int)ev_names[i].kind;
	for (i = 0; i < v.len; i++) {
		char c = v.p[i];

		if (c == '_' || c == '-')
			continue;
		if (n >= sizeof(norm))
			return -1;
		norm[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	for (i = 0; i < NEV_NAMES; i++)
		if (n > 0 && ev_names[i].len == n && ev_names[i].norm[0] == norm[0] &&
		    memcmp(ev_names[i].norm, norm, n) == 0)
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
	size_t n = strlen(lit);

	return v.len == n && memcmp(v.p, lit, n) == 0;
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
outcome_member(struct report_event *ev, enum rev_key c, struct slice v)
{
	switch (c) {
	case RK_EXIT:
		if (is_nonzero_exit(v))
			ev->failed = 1;
		break;
	case RK_ERROR:
		if (is_error_value(v))
			ev->failed = 1;
		break;
	case RK_TRUE_FAILS:
		if (is_lit(v, "true"))
			ev->failed = 1;
		break;
	case RK_FALSE_FAILS:
		if (is_lit(v, "false"))
			ev->failed = 1;
		break;
	case RK_DUR:
		take_duration(ev, v);
		break;
	default:
		break;
	}
}

/* The first string value of a member kept as a slice, and bit (its
 * REV_PLAIN_*, 0 when it is not plain) set in *plain. */
static void
take_str(struct slice *dst, struct slice v, unsigned *plain, unsigned bit)
{
	if (dst->p == NULL && str_of(v, dst))
		*plain |= bit;
}

void
report_walk_begin(struct report_walk *w, struct report_event *ev)
{
	/* assignments, not memset: the compiler stores the few words
	 * inline (a library call per line showed in the profile) */
	*ev = (struct report_event){ 0 };
	*w = (struct report_walk){ .ev = ev, .kind = -1 };
}

enum rev_at
report_walk_enter(struct report_walk *w, enum rev_key k)
{
	if (k == RK_INPUT && !w->have_input) {
		w->have_input = 1;
		return REV_AT_INPUT;
	}
	if (k == RK_RESP && !w->have_resp) {
		w->have_resp = 1;
		return REV_AT_RESP;
	}
	return REV_AT_TOP;
}

static inline void
walk_member(struct report_walk *w, enum rev_at at, enum rev_key k,
    struct slice v, int plain)
{
	struct report_event *ev = w->ev;
	unsigned *pl = &ev->plain;
	struct slice s;

#define P(bit)	(plain ? (bit) : 0u)	/* the bit, when v is plain */
	if (at == REV_AT_RESP) {
		outcome_member(ev, k, v);
		return;
	}
	if (at == REV_AT_INPUT) {
		if (k == RK_CMD)
			take_str(&ev->command, v, pl, P(REV_PLAIN_CMD));
		else if (k == RK_PATH)
			take_str(&ev->path, v, pl, P(REV_PLAIN_PATH));
		return;
	}
	switch (k) {
	case RK_EVENT:
		if (!w->named && str_of(v, &s)) {
			w->named = 1;
			w->kind = event_kind(s);
		}
		break;
	case RK_SESSION:
		take_str(&ev->session, v, pl, P(REV_PLAIN_SESSION));
		break;
	case RK_USE_ID:
		take_str(&ev->tool_use_id, v, pl, P(REV_PLAIN_USE_ID));
		break;
	case RK_TOOL:
		take_str(&ev->tool, v, pl, P(REV_PLAIN_TOOL));
		break;
	case RK_TS:
		take_str(&ev->ts, v, pl, P(REV_PLAIN_TS));
		break;
	case RK_AGENT:
		take_str(&ev->agent_id, v, pl, P(REV_PLAIN_AGENT));
		break;
	case RK_CMD:
		take_str(&w->flat_cmd, v, &w->flat_plain, P(REV_PLAIN_CMD));
		break;
	case RK_PATH:
		take_str(&w->flat_path, v, &w->flat_plain, P(REV_PLAIN_PATH));
		break;
	default:
		outcome_member(ev, k, v);
		break;
	}
#undef P
}

void
report_walk_member(struct report_walk *w, enum rev_at at, enum rev_key k,
    struct slice v, int plain)
{
	walk_member(w, at, k, v, plain);
}

void
report_walk_end(struct report_walk *w)
{
	struct report_event *ev = w->ev;

	if (ev->command.p == NULL) {
		ev->command = w->flat_cmd;
		ev->plain |= w->flat_plain & REV_PLAIN_CMD;
	}
	if (ev->path.p == NULL) {
		ev->path = w->flat_path;
		ev->plain |= w->flat_plain & REV_PLAIN_PATH;
	}
	if (w->kind >= 0)
		ev->kind = (enum rev_kind)w->kind;
	else
		ev->kind = ev->tool.p != NULL ? REV_TOOL : REV_OTHER;
	if (ev->kind == REV_FAIL)
		ev->failed = 1;
}

/* JSON whitespace from p on: out of line, audit lines rarely have any
 * (WS below decides that with one compare). */
static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}
#define WS(p, end)	((p) < (end) && (unsigned char)*(p) <= ' ' ? \
	skip_ws(p, end) : (p))

/* The string at p (its opening quote): jsonl_skip_string, inline. */
static inline const char *
skip_str(const char *p, const char *end)
{
	return (const char *)jsonl_string_end((const unsigned char *)p + 1,
	    (const unsigned char *)end);
}

/*
 * The object at p (its '{'), nested depth (1: the line), its members
 * handed to w as found at `at`; the first tool_input / tool_response
 * object of the top level is walked in place, every other value skipped
 * by jsonl_skip_string / jsonl_skip_value (which validate it).  Returns
 * the byte after the '}', NULL when the text is not valid.
 */
static const char *
walk_object(struct report_walk *w, const char *p, const char *end, int depth,
    enum rev_at at)
{
	p = WS(p + 1, end);
	if (p < end && *p == '}')
		return p + 1;
	for (;;) {
		const char *k, *v;
		enum rev_key c;
		enum rev_at in;

		if (p >= end || *p != '"')
			return NULL;
		k = p + 1;
		if ((p = skip_str(p, end)) == NULL)
			return NULL;
		c = key_class(k, (size_t)(p - 1 - k));
		p = WS(p, end);
		if (p >= end || *p != ':')
			return NULL;
		p = WS(p + 1, end);
		if (p >= end)
			return NULL;
		v = p;
		in = at == REV_AT_TOP && (c == RK_INPUT || c == RK_RESP) ?
		    report_walk_enter(w, c) : REV_AT_TOP;
		if (in != REV_AT_TOP && *p == '{') {
			if ((p = walk_object(w, p, end, depth + 1, in)) == NULL)
				return NULL;
		} else {
			int plain = 0;

			if (*p == '"') {
				/* jsonl_string_end, noting whether the fast
				 * scan alone found the closing quote */
				const unsigned char *q = jsonl_scan_plain(
				    (const unsigned char *)p + 1,
				    (const unsigned char *)end);

				if (q < (const unsigned char *)end && *q == '"') {
					plain = 1;
					p = (const char *)q + 1;
				} else
					p = (const char *)jsonl_string_rest(q,
					    (const unsigned char *)end);
			} else
				p = jsonl_skip_value(p, end, depth);
			if (p == NULL)
				return NULL;
			/* most members name nothing the model keeps */
			if (in == REV_AT_TOP && c != RK_NONE)
				walk_member(w, at, c,
				    (struct slice){ v, (size_t)(p - v) }, plain);
		}
		p = WS(p, end);
		if (p >= end)
			return NULL;
		if (*p == '}')
			return p + 1;
		if (*p != ',')
			return NULL;
		p = WS(p + 1, end);
	}
}

int
report_event_parse(const char *p, size_t len, struct report_event *ev)
{
	struct report_walk w;
	const char *end = p + len;

	report_walk_begin(&w, ev);
	p = WS(p, end);
	if (p >= end || *p != '{' || (p = walk_object(&w, p, end, 1,
	    REV_AT_TOP)) == NULL || WS(p, end) != end) {
		memset(ev, 0, sizeof(*ev));
		return -1;
	}
	report_walk_end(&w);
	return 0;
}
