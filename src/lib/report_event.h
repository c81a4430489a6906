/*
 * report_event.h - one audit line mapped onto the report's event model
 * (SPEC §8), pure and allocation-free.
 *
 * Claude Code hook payloads (SPEC §6) are read by their documented field
 * names: hook_event_name, session_id, tool_use_id, tool_name,
 * tool_input.{command,file_path,path,notebook_path}, tool_response
 * (exit_code / exitCode / returncode, is_error / isError, interrupted,
 * error), error, is_interrupt, duration_ms, agent_id.  Lines written by
 * other hooks are mapped by their common names: camelCase variants
 * (hookEventName, sessionId, toolUseId, toolName, toolInput, toolResponse,
 * executionTimeMs, durationMs), a flat `tool` / `command` / `exit_code`
 * line, `success: false`.  Such a flat line (a tool name, no event name)
 * is one completed call.  A valid object that names no known event and
 * no tool is REV_OTHER.
 */
#ifndef AUDITSHIP_REPORT_EVENT_H
#define AUDITSHIP_REPORT_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum rev_kind {
	REV_OTHER,		/* a valid object of unknown shape */
	REV_SESSION_START,
	REV_SESSION_END,
	REV_PRE,		/* PreToolUse */
	REV_POST,		/* PostToolUse */
	REV_FAIL,		/* PostToolUseFailure */
	REV_DENIED,		/* PermissionDenied */
	REV_TOOL,		/* a flat line of another hook: one call */
	REV_KNOWN,		/* another known event (Stop, Notification...) */
	REV_CONFIG_CHANGE,	/* ConfigChange */
};

struct report_event {
	enum rev_kind	 kind;
	struct slice	 ts;		/* raw string bytes (escaped) */
	struct slice	 session;
	struct slice	 tool_use_id;
	struct slice	 tool;
	struct slice	 command;	/* raw, still JSON-escaped */
	struct slice	 path;		/* file path, raw */
	struct slice	 agent_id;
	unsigned	 plain;		/* REV_PLAIN_* of the slices above */
	int		 failed;	/* error, non-zero exit, interrupt */
	int		 has_duration;
	uint64_t	 duration_ms;
};

/* Bits of report_event.plain: that slice holds printable ASCII and no
 * escape, so its raw bytes are its text (nothing to decode). */
#define REV_PLAIN_TS		0x01u
#define REV_PLAIN_SESSION	0x02u
#define REV_PLAIN_USE_ID	0x04u
#define REV_PLAIN_TOOL		0x08u
#define REV_PLAIN_CMD		0x10u
#define REV_PLAIN_PATH		0x20u
#define REV_PLAIN_AGENT		0x40u

/* 0 and *ev filled when p[0..len) is one JSON object; -1 when it is not
 * (invalid JSON, not an object, invalid UTF-8).  One validating pass:
 * every value is checked but only the members above are kept, as slices
 * into p; the first tool_input and tool_response objects are walked in
 * place for their command, path and outcome members. */
int	report_event_parse(const char *p, size_t len, struct report_event *ev);

/* What a member name stands for, wherever it appears (the names are the
 * ones listed at the top of this file; raw bytes, escapes not decoded:
 * "tool\u005fname" is no name). */
enum rev_key {
	RK_NONE, RK_EVENT, RK_SESSION, RK_USE_ID, RK_TOOL, RK_INPUT, RK_RESP,
	RK_CMD, RK_PATH, RK_EXIT, RK_DUR, RK_TS, RK_AGENT, RK_ERROR,
	RK_TRUE_FAILS,	/* is_error, interrupted...: true means failed */
	RK_FALSE_FAILS,	/* success, ok: false means failed */
};
enum rev_key	report_event_key(const char *p, size_t len);

/*
 * The member-by-member part of report_event_parse, for a walker of its
 * own (the fuzz target checks report_event_parse against one built on
 * jsonl_iter): begin, then each member in document order with where it
 * sits (REV_AT_TOP, or inside the tool_input / tool_response object that
 * report_event_enter said to walk in place), then end.
 */
enum rev_at { REV_AT_TOP, REV_AT_INPUT, REV_AT_RESP };
struct report_walk {
	struct report_event	*ev;
	struct slice		 flat_cmd, flat_path;
	unsigned		 flat_plain;	/* REV_PLAIN_CMD, _PATH */
	int			 kind, named, have_input, have_resp;
};
void	report_walk_begin(struct report_walk *w, struct report_event *ev);
/* A top-level member named k: where its value is walked when it is an
 * object (REV_AT_INPUT, REV_AT_RESP: the first of each), else REV_AT_TOP
 * (the value is taken whole by report_walk_member). */
enum rev_at	report_walk_enter(struct report_walk *w, enum rev_key k);
/* A member whose value v (raw bytes, a string with its quotes) was not
 * walked in place; plain: v is a string of printable ASCII (0x20-0x7f)
 * without a backslash. */
void	report_walk_member(struct report_walk *w, enum rev_at at,
	    enum rev_key k, struct slice v, int plain);
void	report_walk_end(struct report_walk *w);

/* Pure: the value of a JSON number slice as a non-negative integer
 * (fractions cut, negatives and non-numbers give -1; a huge value is
 * clamped to INT64_MAX). */
int64_t	report_json_int(const char *p, size_t len);

#endif
