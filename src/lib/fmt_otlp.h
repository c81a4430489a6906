/*
 * fmt_otlp.h - pure OTLP logs encoding of audit lines: one
 * ExportLogsServiceRequest (opentelemetry-proto, collector/logs/v1) per
 * request, as OTLP/JSON (the proto3 JSON mapping with OTLP's rules:
 * lowerCamelCase names, 64-bit integers as decimal strings, enums as
 * numbers) or as binary protobuf, encoded by hand.
 *
 * One request carries one daily file's lines:
 *
 *   resourceLogs[0].resource.attributes  host.name, service.name, user.name,
 *                                        auditship.host, auditship.user,
 *                                        auditship.file (what the SPEC §3.2
 *                                        identity of every record shares)
 *   resourceLogs[0].scopeLogs[0].scope   name "auditship", version
 *   logRecords[i]                        one per line:
 *     timeUnixNano          the event's "ts" (or "timestamp") when RFC 3339,
 *                           else absent (0: unknown, as OTLP defines it)
 *     observedTimeUnixNano  the shipping time
 *     severityNumber/Text   9 / "INFO"
 *     eventName             the event's "hook_event_name"
 *     body                  the line as a string (body = raw: its bytes, so
 *                           its hash stays checkable), or the parsed object
 *                           as a kvlistValue (body = json)
 *     attributes            session.id, tool_use_id, tool.name (from the
 *                           event when present), auditship.offset (the
 *                           rest of the identity), and
 *                           auditship.invalid_json / auditship.fragment
 *                           (true) when they apply
 *
 * A line that is not one JSON object in valid UTF-8 always travels as a
 * string body (invalid UTF-8 bytes become U+FFFD, since OTLP strings are
 * UTF-8) with auditship.invalid_json = true (SPEC §3.3).
 *
 * Also here: the parser of the server's ExportLogsServiceResponse (JSON or
 * protobuf), for partialSuccess.rejectedLogRecords.  It reads outside input
 * and is bounded by the length it is given.
 */
#ifndef AUDITSHIP_FMT_OTLP_H
#define AUDITSHIP_FMT_OTLP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

enum fmt_otlp_encoding {
	FMT_OTLP_JSON,
	FMT_OTLP_PROTOBUF,
};

enum fmt_otlp_body {
	FMT_OTLP_BODY_RAW,
	FMT_OTLP_BODY_JSON,
};

/* What every record of one request says about where it came from. */
struct fmt_otlp_meta {
	const char	*host;		/* host.name, auditship.host */
	const char	*user;		/* user.name, auditship.user */
	const char	*service;	/* service.name */
	const char	*file;		/* auditship.file, "2026-11-20.jsonl" */
	const char	*version;	/* scope.version */
};

/* Per-file encoder: the constant parts, encoded once. */
struct fmt_otlp {
	enum fmt_otlp_encoding enc;
	enum fmt_otlp_body body;
	struct buf	 head;		/* JSON: up to "logRecords":[ ;
					 * protobuf: the Resource field */
	struct buf	 scope;		/* protobuf: the scope field */
	struct buf	 ident;		/* JSON: a record's offset attribute, to its digits */
	struct buf	 tmp;		/* protobuf: unescaped strings */
	size_t		 nrec;		/* records since fmt_otlp_begin() */
	size_t		 at_rl, at_sl;	/* protobuf: length placeholders */
	uint64_t	 obs_ns;	/* JSON: the last observed time, */
	char		 obs[20];	/* its digits (the same for every */
	size_t		 obs_len;	/* record of a request) */
};

/* "application/json" or "application/x-protobuf". */
const char *fmt_otlp_content_type(enum fmt_otlp_encoding enc);

/* Encode the constant parts.  Strings in m are borrowed for the call.
 * Free with fmt_otlp_free() (also after a failure). */
int	fmt_otlp_init(struct fmt_otlp *f, enum fmt_otlp_encoding enc,
	    enum fmt_otlp_body body, const struct fmt_otlp_meta *m,
	    struct err *e);
void	fmt_otlp_free(struct fmt_otlp *f);

/* Start a request at the end of out.  -1 when out is full. */
int	fmt_otlp_begin(struct fmt_otlp *f, struct buf *out);

#define FMT_OTLP_FRAGMENT	0x01	/* final bytes of a closed day, no \n */

/*
 * Append the log record of one line (without its "\n") to the request
 * begun in out.  observed_ns is the shipping time in Unix nanoseconds.
 * Sets *invalid to 1 when the line was not a JSON object, else 0.
 * Returns 0, or -1 when out's max would be passed; out is then left as it
 * was, so the request can still be finished with the records before it.
 */
int	fmt_otlp_record(struct fmt_otlp *f, struct buf *out, const char *line,
	    size_t len, uint64_t offset, unsigned flags, uint64_t observed_ns,
	    int *invalid);

/*
 * Append the seal record of a day (SPEC §7 "What (syslog and http)") to
 * the request begun in out: body = the statement (stmt, one JSON object,
 * the bytes that were signed) as a string, eventName "auditship.seal",
 * the identity attributes with auditship.offset = offset (the day's size
 * at the seal: it comes after the day's last line), auditship.seal =
 * true and auditship.sig = sig ("KEY_ID BASE64", the seal's sig line
 * without its "sig " word).  0, or -1 when out's max would be passed
 * (out left as it was).
 */
int	fmt_otlp_seal(struct fmt_otlp *f, struct buf *out, const char *stmt,
	    size_t slen, const char *sig, size_t siglen, uint64_t offset,
	    uint64_t observed_ns);

/* Bytes fmt_otlp_finish() may still add: keep them free in out. */
#define FMT_OTLP_FINISH_MAX	64

/* Close the request begun in out.  -1 when out is full. */
int	fmt_otlp_finish(struct fmt_otlp *f, struct buf *out);

/*
 * The event time of a line: its top-level "ts" (else "timestamp") string
 * when it is RFC 3339 at or after 1970, in Unix nanoseconds (fraction
 * digits past 9 dropped).  0 when there is none.  line must be a valid
 * JSON object.
 */
uint64_t fmt_otlp_event_ns(const char *line, size_t len);

/* What a server said in an ExportLogsServiceResponse. */
struct fmt_otlp_response {
	uint64_t	 rejected;	/* partialSuccess.rejectedLogRecords */
	char		 message[256];	/* errorMessage, printable, cut */
};

/*
 * Parse a response body (JSON or protobuf, as enc says).  An empty body
 * is a full success.  Returns 0, or -1 when the body is not a well-formed
 * response (r is then zeroed).  Reads only p[0..len).
 */
int	fmt_otlp_response_parse(enum fmt_otlp_encoding enc, const char *p,
	    size_t len, struct fmt_otlp_response *r);

#endif
