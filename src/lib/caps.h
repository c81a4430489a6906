/*
 * caps.h - every cap auditship puts on a buffer, in one place.
 *
 * Buffers grow on demand up to these maxima (struct buf's max); nothing
 * reads a whole file or a whole response into memory.
 */
#ifndef AUDITSHIP_LIMITS_H
#define AUDITSHIP_LIMITS_H

#define LIM_ERR_MSG		256		/* struct err message */
#define LIM_PATH		4096		/* any path we build */
#define LIM_LINE_MAX		(16u << 20)	/* longest line the reader hands out */
#ifndef LIM_READ_CHUNK			/* the fuzz build makes it tiny */
#define LIM_READ_CHUNK		(256u << 10)	/* read(2) size on daily files */
#endif
#define LIM_CONF_LINE		8192		/* longest INI line */
#define LIM_CONF_VALUE		4096		/* longest INI value after ${VAR} */
#define LIM_CONF_FILE		(1u << 20)	/* config file we agree to parse */
#define LIM_CONF_KEYS		4096		/* key = value lines in one file */
#define LIM_CONF_SECTIONS	(LIM_DESTS + 2)	/* [auditship] [source] + dests */
#define LIM_SECRET		4096		/* api keys, tokens, secret keys */
#define LIM_HTTP_RESP_BODY	(64u << 10)	/* response body kept for errors */
#define LIM_HTTP_HEADER		8192		/* one response header line */
#define LIM_STATE_FILE		(64u << 20)	/* state file we agree to parse */
#define LIM_FINGERPRINT		64		/* bytes before an offset hashed */
#define LIM_KEY			1024		/* S3 object key / dir object path */
#define LIM_DESTS		64		/* destinations in one config */
#define LIM_STREAMS		4096		/* matched source directories */
#define LIM_BATCH_LINES		100000		/* lines handed to one send() */
/* syslog: one run (send()) is at most this many lines and line bytes; its
 * records are formatted into one buffer, which holds escaped lines (at
 * most 4x, "\xNN") plus headers, or one line as long as the reader hands
 * out.  A buffer that grew past LIM_SYSLOG_KEEP for a giant line is freed
 * after use rather than kept for resending. */
#define LIM_SYSLOG_BATCH_LINES	4096
#define LIM_SYSLOG_BATCH_BYTES	(1u << 20)
#define LIM_SYSLOG_WBUF		(4 * ((size_t)LIM_LINE_MAX + LIM_SYSLOG_BATCH_BYTES) + \
				 (size_t)LIM_SYSLOG_BATCH_LINES * 2048)
#define LIM_SYSLOG_KEEP		(8u << 20)
#define LIM_HOOK_PAYLOAD	(8u << 20)	/* hook: default stdin read cap */
#define LIM_HOOK_RESPONSE	(16u << 10)	/* hook: default tool_response cap */
#define LIM_HOOK_LINE		(64u << 20)	/* hook: longest line it builds */
#define LIM_HOOK_DEPTH		64		/* hook: deepest JSON nesting */
#define LIM_HOOK_STRINGS	65536		/* hook: strings sized in a cut */
#define LIM_HOOK_FIELD		256		/* hook --minimal: longest value */

/* report (SPEC §8): what the aggregation keeps, whatever the trail's size;
 * past each cap it counts what it could not keep */
#define LIM_REPORT_ROWS		100000		/* day x user x host rows */
#define LIM_REPORT_TOOLS	256		/* tool names, then "(other)" */
#define LIM_REPORT_OPEN		16384		/* open tool_use_ids, open sessions */
#define LIM_REPORT_DAY_SESSIONS	65536		/* distinct sessions of one day */
#define LIM_REPORT_KINDS	64		/* redaction kinds, then "(other)" */
#define LIM_REPORT_FIRST	5		/* first occurrences kept per list */
#define LIM_REPORT_CMD		8192		/* command bytes the rules read */
#define LIM_REPORT_PATH		4096		/* path bytes the rules read */
#define LIM_REPORT_DAY_OBJECTS	100000		/* archive objects of one day */
#define LIM_REPORT_RANGE	3660		/* days in --from..--to */
#define LIM_REPORT_OUT		(256u << 20)	/* the rendered report */

#endif
