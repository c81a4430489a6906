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
	int		 failed;	/* error, non-zero exit, interrupt */
	int		 has_duration;
	uint64_t	 duration_ms;
};

/* 0 and *ev filled when p[0..len) is one JSON object; -1 when it is not
 * (invalid JSON, not an object, invalid UTF-8). */
int	report_event_parse(const char *p, size_t len, struct report_event *ev);

/* Pure: the value of a JSON number slice as a non-negative integer
 * (fractions cut, negatives and non-numbers give -1; a huge value is
 * clamped to INT64_MAX). */
int64_t	report_json_int(const char *p, size_t len);

#endif
