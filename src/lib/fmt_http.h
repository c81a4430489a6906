/*
 * fmt_http.h - pure formatting of audit lines for HTTP log intakes
 * (SPEC §2.3 type = http, §3.2, §3.3).
 *
 * Three formats:
 *  - datadog: each event is the line's own JSON object with ddsource,
 *    service, hostname, ddtags (when set) and
 *    "auditship":{"host":…,"user":…,"file":…,"offset":…} spliced in front
 *    of its members (host, user, file, offset: the event's identity, SPEC
 *    3.2); records are elements of one JSON array.
 *  - json_array: the same array, with only the "auditship" object spliced in.
 *  - ndjson: the json_array records, one per line, each ending in "\n".
 *
 * The event is never re-serialised: its bytes go out as they are on disk,
 * after a validating scan.  A line that is not one JSON object in valid
 * UTF-8 travels as {…,"auditship":{…,"invalid_json":true},"message":"…"}
 * with the line escaped, so every byte produced is valid JSON.
 */
#ifndef AUDITSHIP_FMT_HTTP_H
#define AUDITSHIP_FMT_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

enum fmt_http_format {
	FMT_HTTP_DATADOG,
	FMT_HTTP_JSON_ARRAY,
	FMT_HTTP_NDJSON,
};

/* What every record of one file says about where it came from. */
struct fmt_http_meta {
	const char	*source;	/* datadog ddsource */
	const char	*service;	/* datadog service */
	const char	*hostname;	/* [auditship] hostname */
	const char	*tags;		/* datadog ddtags; NULL or "": none */
	const char	*user;		/* owner of the stream's files */
	const char	*file;		/* daily file name, "2026-11-20.jsonl" */
};

/* Per-file formatter: the constant part of every record, escaped once. */
struct fmt_http {
	enum fmt_http_format format;
	struct buf	 prefix;	/* `{"ddsource":…,"auditship":{"host":…,…,"offset":` */
};

/* "datadog" | "json_array" | "ndjson" -> 0, else -1. */
int	fmt_http_format_parse(const char *name, enum fmt_http_format *out);
/* How a payload of each format is framed: its Content-Type and the
 * bytes that open it, go between two records, and close it. */
struct fmt_http_frame {
	const char	*content_type;
	const char	*open, *sep, *close;
};
extern const struct fmt_http_frame fmt_http_frames[];
static inline const char *fmt_http_content_type(enum fmt_http_format f) { return fmt_http_frames[f].content_type; }
static inline const char *fmt_http_open(enum fmt_http_format f) { return fmt_http_frames[f].open; }
static inline const char *fmt_http_sep(enum fmt_http_format f) { return fmt_http_frames[f].sep; }
static inline const char *fmt_http_close(enum fmt_http_format f) { return fmt_http_frames[f].close; }

/* Build the per-file prefix.  Strings in m are borrowed for the call.
 * Free with fmt_http_free() (also after a failure). */
int	fmt_http_init(struct fmt_http *f, enum fmt_http_format format,
	    const struct fmt_http_meta *m, struct err *e);
void	fmt_http_free(struct fmt_http *f);


#define FMT_HTTP_FRAGMENT	0x01	/* final bytes of a closed day, no \n */

/*
 * Append the record of one line (without its "\n") to out.  flags:
 * FMT_HTTP_FRAGMENT adds "fragment":true to the auditship object.  Sets
 * *invalid to 1 when the line was not a JSON object and was carried as a
 * message string, else 0.  Returns 0, or -1 when out's max would be passed;
 * out is then left as it was.
 */
int	fmt_http_record(const struct fmt_http *f, struct buf *out,
	    const char *line, size_t len, uint64_t offset, unsigned flags,
	    int *invalid);

/*
 * Append the seal record of a day (SPEC §7): the file's prefix with
 * "offset" the day's size at the seal (the seal comes after its last
 * line), then "seal":STMT (the statement, one JSON object, as signed) and
 * "sig":"KEY_ID BASE64" (the seal's sig line without its "sig " word) in
 * the auditship object; a datadog record has no message.  0, or -1 when
 * out's max would be passed (out left as it was).
 */
int	fmt_http_seal(const struct fmt_http *f, struct buf *out,
	    uint64_t offset, const char *stmt, size_t len, const char *sig,
	    size_t siglen);
/*
 * 1 when a request header of this name is known to carry no credential
 * (Content-Type, User-Agent, Accept, ...: a short allow-list, any case).
 * Every other header.NAME value of the configuration is a secret: masked
 * in every output and subject to the file-mode rule (issue 17).
 */
int	fmt_http_header_public(const char *name);

#endif
