/*
 * hookjson.h - pure: turn a Claude Code hook payload into one audit line
 * (SPEC §6).
 *
 * The payload is parsed (RFC 8259, nesting bounded by LIM_HOOK_DEPTH) and
 * re-serialised member by member, in order, with every string value passed
 * through the redactor (redact.h).  A payload that is not a JSON object is
 * still recorded, as an escaped and redacted string with a flag.  Nothing
 * here reads the clock, the environment or a file: the caller passes the
 * timestamp, host and user.
 */
#ifndef AUDITSHIP_HOOKJSON_H
#define AUDITSHIP_HOOKJSON_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

struct hookjson_in {
	const char	*ts;		/* "2026-11-21T09:10:11.123Z" */
	const char	*host;
	const char	*user;
	const char	*payload;	/* borrowed; need not be NUL-terminated */
	size_t		 payload_len;
	int		 payload_truncated; /* stdin held more than was read */
	int		 minimal;	/* --minimal: the SPEC §6 allow-list */
	size_t		 max_response;	/* cut tool_response past this; 0: never */
};

/*
 * Append one audit line, '\n' included, to out:
 *   {"ts":…,"host":…,"user":…,<payload members>}
 * Flags that may appear after "user": "payload_truncated":true (stdin was
 * cut at the read cap), "invalid_json":true with "payload":"<text>" (not a
 * JSON object; --minimal leaves the text out), and after tool_response
 * "tool_response_cut_bytes":N when it was cut to max_response.  Top-level
 * payload members named ts, host or user are renamed payload_ts, ….
 * --minimal keeps only ts, host, user, hook_event_name, session_id,
 * tool_name, "program" (the command's program name) and "exit_status".
 * Returns 0, or -1 when the line would pass out->max (out is then restored
 * to its previous length).
 */
int	hookjson_line(struct buf *out, const struct hookjson_in *in);

/*
 * The program a shell command runs, for --minimal: the first word that is
 * not a VAR=value assignment, without its directory ("/usr/bin/git -C x"
 * -> "git").  Writes at most outsz-1 characters of [A-Za-z0-9._+-] and a
 * NUL; returns the length, 0 when there is none.
 */
size_t	hookjson_program(const char *cmd, size_t len, char *out, size_t outsz);

/* "2026-11-21T09:10:11.123Z" (24 characters and a NUL) for sec + ms UTC. */
void	hookjson_ts(time_t sec, long ms, char out[32]);

/*
 * The daily file's name, "YYYY-MM-DD.jsonl", for the instant sec: the UTC
 * calendar day, or the local one (TZ) when day_local (SPEC §2.1
 * day_boundary).  Returns 0, -1 when the time cannot be converted.
 */
int	hookjson_day_file(time_t sec, int day_local, char out[32]);

#endif
