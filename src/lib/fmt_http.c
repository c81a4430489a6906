/*
 * fmt_http.c - records for HTTP log intakes (see fmt_http.h).
 *
 * Implements SPEC §3.2 (http datadog) and §3.3 (bad input travels as an
 * escaped message).  Pure: bytes in, bytes out, no I/O.  The splice works
 * on the raw line: after jsonl_is_object() has proved the line is one
 * object, everything after its opening '{' is copied verbatim behind our
 * own members, so the event's bytes (number formats, key order, escapes)
 * reach the intake exactly as the hook wrote them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fmt_http.h"
#include "jsonl.h"
#include "caps.h"
#include "parse.h"

/* The constant part of a record: a few short config strings. */
#define FMT_HTTP_PREFIX_MAX	(4 * LIM_CONF_VALUE + 256)

int
fmt_http_format_parse(const char *name, enum fmt_http_format *out)
{
	int k = parse_enum(name, "datadog|json_array|ndjson", NULL);

	if (k < 0)
		return -1;
	*out = (enum fmt_http_format)k;
	return 0;
}

const struct fmt_http_frame fmt_http_frames[] = {
	[FMT_HTTP_DATADOG] = { "application/json", "[", ",", "]" },
	[FMT_HTTP_JSON_ARRAY] = { "application/json", "[", ",", "]" },
	[FMT_HTTP_NDJSON] = { "application/x-ndjson", "", "", "" },
};

/* Append "name":"escaped value", (with the trailing comma). */
static int
fmt_http_member(struct buf *b, const char *name, const char *value)
{
	if (buf_addc(b, '"') == -1 || buf_adds(b, name) == -1 ||
	    buf_adds(b, "\":\"") == -1 ||
	    jsonl_escape(b, value, strlen(value)) == -1 ||
	    buf_adds(b, "\",") == -1)
		return -1;
	return 0;
}

int
fmt_http_init(struct fmt_http *f, enum fmt_http_format format,
    const struct fmt_http_meta *m, struct err *e)
{
	struct buf *b = &f->prefix;

	f->format = format;
	buf_init(b, FMT_HTTP_PREFIX_MAX);
	if (buf_addc(b, '{') == -1)
		goto full;
	if (format == FMT_HTTP_DATADOG) {
		if (fmt_http_member(b, "ddsource", m->source ? m->source : "") == -1 ||
		    fmt_http_member(b, "service", m->service ? m->service : "") == -1 ||
		    fmt_http_member(b, "hostname", m->hostname ? m->hostname : "") == -1)
			goto full;
		if (m->tags != NULL && m->tags[0] != '\0' &&
		    fmt_http_member(b, "ddtags", m->tags) == -1)
			goto full;
	}
	/* SPEC 3.2: host, user, file and offset are the event's identity. */
	if (buf_adds(b, "\"auditship\":{") == -1 ||
	    fmt_http_member(b, "host", m->hostname ? m->hostname : "") == -1 ||
	    fmt_http_member(b, "user", m->user ? m->user : "") == -1 ||
	    fmt_http_member(b, "file", m->file ? m->file : "") == -1 ||
	    buf_adds(b, "\"offset\":") == -1)
		goto full;
	return 0;
full:
	return err_set(e, "http format: hostname, service, source or tags too long");
}

void
fmt_http_free(struct fmt_http *f)
{
	buf_free(&f->prefix);
}

/*
 * Append the event's bytes with each raw CR or LF (JSON allows them only
 * as whitespace between tokens; inside a string they are always escaped)
 * as a space: an NDJSON reader that splits on CR, or a log viewer, would
 * cut the record.  Same length, same meaning.
 */
static int
fmt_http_add_ws(struct buf *out, const char *p, size_t n)
{
	size_t k, from = 0;

	for (k = 0; k < n; k++) {
		if (p[k] != '\r' && p[k] != '\n')
			continue;
		if (buf_add(out, p + from, k - from) == -1 || buf_addc(out, ' ') == -1)
			return -1;
		from = k + 1;
	}
	return buf_add(out, p + from, n - from);
}

int
fmt_http_record(const struct fmt_http *f, struct buf *out, const char *line,
    size_t len, uint64_t offset, unsigned flags, int *invalid)
{
	size_t start = out->len, after, n;
	char num[20];		/* UINT64_MAX has 20 digits */
	int empty;

	*invalid = !jsonl_is_object(line, len);
	/* The offset in decimal, written backwards: snprintf() per record
	 * was a visible cost. */
	n = sizeof(num);
	do {
		num[--n] = (char)('0' + offset % 10);
		offset /= 10;
	} while (offset > 0);
	if (buf_add(out, f->prefix.p, f->prefix.len) == -1 ||
	    buf_add(out, num + n, sizeof(num) - n) == -1)
		goto full;
	if ((flags & FMT_HTTP_FRAGMENT) && buf_adds(out, ",\"fragment\":true") == -1)
		goto full;
	if (*invalid) {
		/* SPEC §3.3: never dropped, never breaks the batch. */
		if (buf_adds(out, ",\"invalid_json\":true},\"message\":\"") == -1 ||
		    jsonl_escape(out, line, len) == -1 ||
		    buf_adds(out, "\"}") == -1)
			goto full;
	} else {
		after = jsonl_object_open(line, len, &empty);
		if (buf_addc(out, '}') == -1 ||
		    (!empty && buf_addc(out, ',') == -1) ||
		    fmt_http_add_ws(out, line + after, len - after) == -1)
			goto full;
	}
	if (f->format == FMT_HTTP_NDJSON && buf_addc(out, '\n') == -1)
		goto full;
	return 0;
full:
	buf_truncate(out, start);
	return -1;
}

int
fmt_http_seal(const struct fmt_http *f, struct buf *out, uint64_t offset,
    const char *stmt, size_t len, const char *sig, size_t siglen)
{
	size_t start = out->len;

	if (buf_add(out, f->prefix.p, f->prefix.len) == -1 ||
	    buf_printf(out, "%" PRIu64 ",\"seal\":", offset) == -1 ||
	    fmt_http_add_ws(out, stmt, len) == -1 ||
	    buf_adds(out, ",\"sig\":\"") == -1 ||
	    jsonl_escape(out, sig, siglen) == -1 ||
	    buf_adds(out, "\"}}") == -1 ||
	    (f->format == FMT_HTTP_NDJSON && buf_addc(out, '\n') == -1)) {
		buf_truncate(out, start);
		return -1;
	}
	return 0;
}

int
fmt_http_header_public(const char *name)
{
	static const char *const names[] = {
		"accept", "accept-encoding", "accept-language",
		"cache-control", "connection", "content-encoding",
		"content-language", "content-type", "user-agent",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(name, names[i]) == 0)
			return 1;
	return 0;
}
