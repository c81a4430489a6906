/*
 * report.h - `auditship report` aggregation (SPEC §8), pure and streaming.
 *
 * The caller feeds days (one stream's one date, possibly in several
 * objects) line by line; everything is counted as it passes, in memory
 * bounded by the caps below (caps.h) whatever the size of the trail:
 *   rows (day x user x host)  REPORT_MAX_ROWS, more are counted as dropped
 *   tool names                REPORT_MAX_TOOLS, more are folded into "(other)"
 *   open tool_use_ids         REPORT_MAX_OPEN, more are counted untracked
 *   open sessions             REPORT_MAX_OPEN, likewise
 *   sessions within one day   REPORT_MAX_DAY_SESSIONS, likewise
 *   redaction kinds           REPORT_MAX_KINDS, more under "(other)"
 *   first occurrences kept    REPORT_FIRST per list
 * Renderers (report_json.c, report_text.c, report_html.c) write the
 * result into a struct buf.
 */
#ifndef AUDITSHIP_REPORT_H
#define AUDITSHIP_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "caps.h"
#include "report_event.h"
#include "report_quant.h"
#include "report_rules.h"

/* the caps (caps.h) under the names this module uses */
#define REPORT_MAX_ROWS		LIM_REPORT_ROWS
#define REPORT_MAX_TOOLS	LIM_REPORT_TOOLS
#define REPORT_MAX_OPEN		LIM_REPORT_OPEN
#define REPORT_MAX_DAY_SESSIONS	LIM_REPORT_DAY_SESSIONS
#define REPORT_MAX_KINDS	LIM_REPORT_KINDS
#define REPORT_FIRST		LIM_REPORT_FIRST
#define REPORT_MAX_RULES	32	/* bits of an unsigned rule mask */
#define REPORT_CMD_MAX		LIM_REPORT_CMD
#define REPORT_PATH_MAX		LIM_REPORT_PATH

struct report_row {
	char		 date[11];
	char		 user[64];
	char		 host[128];
	uint64_t	 events, sessions, tool_calls, failures, invalid;
	uint64_t	 resets;
	int		 gap;		/* no file / no object for the day */
	int		 pruned;	/* deleted locally by prune (not a gap) */
	int		 sealed;	/* -1: not known (no --dest), 0, 1 */
	int		 verified;	/* -1: not checked, 0, 1 */
	int		 errors;	/* read errors during the day */
};

/* One occurrence named in a "first" list. */
struct report_first {
	char		 ts[40];
	uint32_t	 row;		/* gives date, user, host */
	char		 session[48];
	char		 tool[48];
	char		 text[240];	/* command, path, id or message */
};

struct report_list {
	uint64_t		count;
	size_t			nfirst;
	struct report_first	first[REPORT_FIRST];
};

struct report_tool {
	char		 name[64];
	uint64_t	 calls, failures;
	struct quant	 q;		/* durations, when events carry one */
};

/* An open-addressing table of things waiting for their end. */
struct report_open_ent {
	uint64_t		h;	/* 0: free slot */
	uint64_t		seq;
	struct report_first	f;
	unsigned		rules;	/* rule bits of the opening event */
};
struct report_open {
	struct report_open_ent	*e;
	size_t			 cap, n;
	uint64_t		 seq;
	uint64_t		 untracked;	/* did not fit */
};

struct report_kind {
	char		 kind[32];
	uint64_t	 n;
};

struct report {
	char			 from[11], to[11];
	int			 with_dest;
	const char		*dest;
	struct report_row	*rows;
	size_t			 nrows, rows_cap;
	uint64_t		 rows_dropped;
	struct report_tool	*tools;		/* grows to REPORT_MAX_TOOLS + 1 */
	size_t			 ntools, tools_cap;
	size_t			 other_tool;	/* index of "(other)", SIZE_MAX */
	uint16_t		 tool_slot[1024];	/* index + 1 */
	struct report_open	 calls, sessions;
	struct report_list	 unmatched, open_sessions;	/* at finish */
	struct report_list	 denials;
	struct report_list	 risky[REPORT_MAX_RULES];
	struct report_kind	 kinds[REPORT_MAX_KINDS + 1];
	size_t			 nkinds;
	struct report_list	 errors;
	struct report_list	 seal_problems;	/* what verify found */
	uint64_t		 events, invalid_lines, truncated_lines;
	uint64_t		 resets, other_events, lines;
	uint64_t		 sessions_untracked;
	/* the day being fed */
	size_t			 cur;
	int			 in_day;
	uint64_t		*day_sess;	/* hash set, 0 = free */
	size_t			 day_nsess, day_cap;
	/* the last session id seen, when it is in day_sess (lines of one
	 * session come in runs: no hash for them) */
	char			 last_sess[64];
	size_t			 last_sess_len;	/* 0: none */
	int			 finished;
};

/* from/to: YYYY-MM-DD.  dest: the destination name or NULL (local). */
int	report_init(struct report *r, const char *from, const char *to,
	    const char *dest);
void	report_free(struct report *r);

/* Start a day of one stream (user, host); lines follow. */
int	report_day_begin(struct report *r, const char *date, const char *user,
	    const char *host);
/* One line (without "\n").  fragment: the stream ended without "\n"
 * after it (a truncated line). */
void	report_line(struct report *r, const char *p, size_t len, int fragment);
/* The day has no file / no object. */
void	report_day_gap(struct report *r);
/* The day's file was deleted by prune after every destination had it. */
void	report_day_pruned(struct report *r);
/* A read error within the current day (or, with no day, global). */
void	report_day_error(struct report *r, const char *where, const char *msg);
void	report_day_resets(struct report *r, uint64_t n);
/* A problem verify found with the seals or objects of date (where: the
 * stream and key). */
void	report_seal_problem(struct report *r, const char *date,
	    const char *where, const char *what);
/* sealed / verified: -1 unknown, 0 no, 1 yes. */
void	report_day_seal(struct report *r, int sealed, int verified);
void	report_day_end(struct report *r);
/* Compute the lists that need the whole range (unmatched calls, open
 * sessions). */
void	report_finish(struct report *r);

/* Renderers: append the document to out; -1 when out is full. */
int	report_json(const struct report *r, struct buf *out);
int	report_text(const struct report *r, struct buf *out);
int	report_html(const struct report *r, struct buf *out);

/* Helpers the renderers share (report.c). */
/* Rows sorted by date, user, host: fill idx[0..nrows) (caller-sized). */
void	report_sorted_rows(const struct report *r, size_t *idx);
/* Tools sorted by calls (descending), then name. */
void	report_sorted_tools(const struct report *r, size_t *idx);
/* Append s as a JSON string with quotes. */
int	report_json_str(struct buf *out, const char *s);
/* Append s with & < > " ' escaped for HTML, and : = ( as character
 * references too, so no text reads as a URL, src= or url(. */
int	report_html_str(struct buf *out, const char *s);

#endif
