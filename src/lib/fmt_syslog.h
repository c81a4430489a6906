/*
 * fmt_syslog.h - pure syslog record formatting (SPEC §3.2, §3.3).
 *
 * Turns one audit line into one syslog message: RFC 5424 with the
 * [auditship@32473 user="…" file="…" offset="…"] structured data, or RFC 3164, and
 * frames it for a stream (RFC 6587 octet counting or newline) or leaves it
 * bare for a datagram.  No I/O, no clock, no environment: the shipping time
 * and the local zone offset are parameters.
 *
 * What goes into MSG:
 *  - a line that is one JSON object in valid UTF-8 is carried as is, except
 *    that control characters (which JSON only allows as insignificant
 *    whitespace between tokens) become spaces, so a record never contains a
 *    newline or a tab;
 *  - any other line (truncated write, binary junk, invalid UTF-8) is carried
 *    escaped and reversibly: '\' becomes "\\", LF/CR/TAB become "\n", "\r",
 *    "\t", other control bytes and bytes that are not valid UTF-8 become
 *    "\xNN".  RFC 5424 records mark it with invalid_json="true".
 * Either way the message holds no byte below 0x20, so newline framing
 * (RFC 6587 §3.4.2) can never be broken by content.
 */
#ifndef AUDITSHIP_FMT_SYSLOG_H
#define AUDITSHIP_FMT_SYSLOG_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define FMT_SYSLOG_SD_ID	"auditship@32473"
#define FMT_SYSLOG_APP_MAX	48	/* RFC 5424 APP-NAME */
#define FMT_SYSLOG_HOST_MAX	255	/* RFC 5424 HOSTNAME */

enum fmt_syslog_format {
	FMT_SYSLOG_RFC5424,
	FMT_SYSLOG_RFC3164,
};

enum fmt_syslog_framing {
	FMT_SYSLOG_FRAME_NONE,		/* one datagram per message */
	FMT_SYSLOG_FRAME_OCTET,		/* RFC 6587 §3.4.1: "LEN SP MSG" */
	FMT_SYSLOG_FRAME_NEWLINE,	/* RFC 6587 §3.4.2: "MSG LF" */
};

/* Flags on a line (same values as DEST_LINE_* in dest.h). */
#define FMT_SYSLOG_LINE_FRAGMENT	0x01

/* What fmt_syslog_record() noticed about a line. */
#define FMT_SYSLOG_INVALID		0x01	/* carried escaped */

struct fmt_syslog {
	enum fmt_syslog_format	 format;
	enum fmt_syslog_framing	 framing;
	int			 pri;		/* facility * 8 + severity */
	const char		*hostname;	/* from fmt_syslog_token() */
	const char		*app_name;	/* checked by fmt_syslog_app_ok() */
	/* RFC 3164: seconds east of UTC at an instant (the event's own, so
	 * an event from before a DST change keeps its hour); NULL: UTC. */
	long		       (*tz_offset)(int64_t utc_sec);
};

/* The local zone's offset at utc_sec (localtime_r), for tz_offset. */
long	fmt_syslog_local_offset(int64_t utc_sec);

/*
 * PRI from syslog.h names: facility "kern", "user", "mail", "daemon",
 * "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
 * "ntp", "security", "console", "solaris-cron" (12-15, as conf_keys.c
 * names them), "local0".."local7"; severity "emerg", "alert",
 * "crit", "err", "warning", "notice", "info", "debug" (and "panic",
 * "error", "warn").  Returns 0 and sets *pri, or -1 naming the bad word.
 */
int	fmt_syslog_pri(const char *facility, const char *severity, int *pri,
	    const char **bad);

/* 1 when s is a valid RFC 5424 APP-NAME: 1..48 printable ASCII bytes. */
int	fmt_syslog_app_ok(const char *s);

/*
 * Append s to out as a header token: bytes outside printable ASCII
 * (33..126) become '_', at most max bytes, "-" when empty.  For HOSTNAME,
 * which comes from gethostname() or the config.  -1 when out is full.
 */
int	fmt_syslog_token(struct buf *out, const char *s, size_t max);

/*
 * Append p[0..len) to out as an RFC 5424 SD-PARAM value (§6.3.3): '"',
 * '\' and ']' preceded by '\'.  Control bytes and invalid UTF-8 are written
 * as "\xNN" (the SD value must be UTF-8).  -1 when out is full.
 */
int	fmt_syslog_sd_escape(struct buf *out, const char *p, size_t len);

/*
 * Append p[0..len) to out escaped as described above for lines that are
 * not JSON.  -1 when out is full.
 */
int	fmt_syslog_msg_escape(struct buf *out, const char *p, size_t len);

/*
 * Parse an RFC 3339 date-time (as jsonl_is_rfc3339 accepts it) and, when
 * it is also a valid RFC 5424 TIMESTAMP once normalised, append the
 * normalised form to out ('T' and 'Z' upper case, at most 6 fraction
 * digits, the event's own offset kept) when out is not NULL, and set *sec
 * to the UTC epoch second.  Returns 0, or -1 when the text is not a usable
 * time (bad calendar date, leap second, out of range).
 */
int	fmt_syslog_time_parse(const char *s, size_t len, struct buf *out,
	    int64_t *sec);

/*
 * Append one framed message for one line to out.  user is the stream's
 * owner (SD user=), file the daily file's name (SD file=), offset the
 * line's byte offset (with HOSTNAME: the event's identity, SPEC 3.2), flags
 * FMT_SYSLOG_LINE_*.  now_sec/now_usec is the shipping time, used when the
 * event has no RFC 3339 "ts"/"timestamp" member.  On success returns 0,
 * sets *msglen to the message's length without framing (what max_message
 * limits) and ORs FMT_SYSLOG_INVALID into *what when the line was carried
 * escaped.  -1 when out is full (out is then left as it was).
 */
int	fmt_syslog_record(struct buf *out, const struct fmt_syslog *f,
	    const char *user, const char *file, const char *p, size_t len,
	    uint64_t offset, unsigned flags, int64_t now_sec,
	    uint32_t now_usec, size_t *msglen, unsigned *what);
/*
 * Append one framed seal record (SPEC §7): MSG is the statement stmt
 * (one JSON object), and RFC 5424 records carry only the SD element
 * [auditship@32473 seal="1" sig="KEY_ID BASE64"] (sig: the seal's "sig"
 * line without its "sig " word).  RFC 3164 has no SD: the statement alone
 * (the signature is not carried).  0, or -1 when out is full.
 */
int	fmt_syslog_seal(struct buf *out, const struct fmt_syslog *f,
	    const char *stmt, size_t len, const char *sig, size_t siglen,
	    int64_t now_sec, uint32_t now_usec, size_t *msglen);

#endif
