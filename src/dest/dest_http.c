/*
 * dest_http.c - the HTTP log intake destination (SPEC §2.3 type = http,
 * §3.2, §3.3, §3.5): Datadog logs API v2 by default, or any intake that
 * takes a JSON array or NDJSON.
 *
 * send() turns a run of lines into one POST: records formatted by
 * fmt_http.c into one buffer, within max_batch_bytes (uncompressed),
 * max_batch_events and max_event_bytes, then gzip-compressed in one call
 * (gz.c's whole-buffer path: a body is bounded, and whole-buffer deflate
 * costs about 0.6x of streaming zlib at the same level).
 * It may carry fewer lines than it was given; *nacked says how many.  The
 * answer maps to the engine's vocabulary:
 *
 *   2xx                    DEST_OK, every line of the payload acknowledged
 *   408, 429, 5xx, network DEST_RETRY, with the server's Retry-After
 *   413                    DEST_SPLIT; one event alone: oversize, skipped
 *   400                    DEST_SPLIT to isolate the refused event; one
 *                          event alone: reported with its body and skipped
 *                          once this intake has accepted other events in
 *                          this run, else DEST_STOP (likely url/format)
 *   401, 403               DEST_STOP at once: the API key
 *   TLS verification       DEST_STOP: retrying cannot fix a certificate
 *   anything else          DEST_STOP with the status and body
 *
 * It never sleeps, never retries by itself and never touches offsets: the
 * engine (ship.c) owns all of that.  The API key lives in a buffer wiped on
 * close and reaches libcurl only as a header marked secret.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config.h"
#include "dest.h"
#include "fmt_http.h"
#include "freeall.h"
#include "gz.h"
#include "http.h"
#include "http_hdrs.h"
#include "caps.h"
#include "log.h"
#include "seal.h"

/* Bytes of a response body quoted in a report (SPEC §3.5). */
#define HTTP_DEST_BODY_QUOTE	200
/* Oversize lines reported one by one per send() before a summary. */
#define HTTP_DEST_REPORT_MAX	10

struct http_dest {
	char		*url;
	char		*validate_url;
	enum fmt_http_format format;
	int		 gzip;
	int		 level;
	size_t		 max_batch_bytes;
	size_t		 max_batch_events;
	size_t		 max_event_bytes;
	char		*service, *source, *tags;
	struct buf	 key;		/* the API key; wiped on close */
	int		 auth;		/* 0: auth = none */
	struct http_hdrs hdrs;
	size_t		 auth_index;	/* hdrs.h[] slot of the key */
	struct http_opts opts;
	struct http_client *client;	/* created on first use */

	struct fmt_http	 fmt;
	char		*fmt_file;	/* file the prefix was built for */
	int		 fmt_ready;

	struct gz_whole	*z;		/* the compressor, kept across sends */
	struct buf	 stage;		/* the formatted payload */
	struct buf	 body;		/* the compressed request body */
	int		 seen_2xx;	/* the intake accepted a batch in this run */
};

static char *
http_dest_dup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

/* Datadog truncates an event longer than this. */
#define HTTP_DEST_EVENT_MAX	1000000

static int
http_def_max_event_bytes(const struct conf_section *s, struct buf *out)
{
	uint64_t batch = conf_num(s, "max_batch_bytes");

	return buf_printf(out, "%" PRIu64, batch < HTTP_DEST_EVENT_MAX ?
	    batch : HTTP_DEST_EVENT_MAX);
}

static const struct conf_key http_keys[] = {
	{ "type", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0, NULL },
	{ "url", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0, NULL },
	/* For `check --connect`: a URL that proves the key without
	 * sending logs (Datadog's /api/v1/validate). */
	{ "validate_url", CONF_STR, NULL, 0, NULL, 0, 0, NULL },
	{ "auth", CONF_ENUM, "api_key", 0, "api_key|none", 0, 0, NULL },
	CONF_SECRET_KEYS("api_key"),
	{ "auth_header", CONF_STR, "DD-API-KEY", 0, NULL, 0, 0, NULL },
	{ "format", CONF_ENUM, "datadog", 0, "datadog|json_array|ndjson",
	    0, 0, NULL },
	{ "compress", CONF_ENUM, "gzip", 0, "gzip|none", 0, 0, NULL },
	{ "compress_level", CONF_INT, "6", 0, NULL, 1, 9, NULL },
	{ "max_batch_bytes", CONF_SIZE, "5000000", 0, NULL, 1, 1LL << 30, NULL },
	{ "max_batch_events", CONF_INT, "1000", 0, NULL, 1, LIM_BATCH_LINES, NULL },
	/* min(1,000,000, max_batch_bytes): a default never clashes with
	 * an explicit max_batch_bytes (Datadog truncates longer events). */
	{ "max_event_bytes", CONF_SIZE, NULL, 0, NULL, 1, LIM_LINE_MAX,
	    http_def_max_event_bytes },
	{ "service", CONF_STR, "claude-code", 0, NULL, 0, 0, NULL },
	{ "source", CONF_STR, "claude-code", 0, NULL, 0, 0, NULL },
	{ "tags", CONF_STR, NULL, 0, NULL, 0, 0, NULL },
	{ "header.", CONF_STR, NULL, CONF_PREFIX, NULL, 0, 0, NULL },
	DEST_HTTP_CLIENT_KEYS,
	{ "seal", CONF_BOOL, "true", 0, NULL, 0, 0, NULL },	/* SPEC §7 */
};

static int
http_check(const struct conf_section *s, struct conf_report *r)
{
	int bad = 0;

	bad |= dest_check_url(s, "url", r);
	bad |= dest_check_url(s, "validate_url", r);
	if (strcmp(conf_str(s, "auth"), "api_key") == 0 &&
	    !conf_is_set(s, "api_key") && !conf_is_set(s, "api_key_env") &&
	    !conf_is_set(s, "api_key_file"))
		bad |= conf_reject(r, s, 0, "api_key", "missing: set api_key, "
		    "api_key_env or api_key_file (or auth = none)");
	if (conf_num(s, "max_event_bytes") > conf_num(s, "max_batch_bytes"))
		bad |= conf_reject(r, s, conf_line(s, "max_event_bytes") ?
		    conf_line(s, "max_event_bytes") :
		    conf_line(s, "max_batch_bytes"), "max_event_bytes",
		    "%" PRIu64 " is larger than max_batch_bytes (%" PRIu64 ")",
		    conf_num(s, "max_event_bytes"),
		    conf_num(s, "max_batch_bytes"));
	bad |= http_hdrs_check(s, r);
	return bad ? -1 : 0;
}

static void http_close(struct dest *d);

static int
http_add_header(struct http_dest *h, const char *name, const char *value,
    int secret, struct err *e, const char *dname)
{
	if (http_hdrs_add(&h->hdrs, name, value, secret) == -1)
		return err_set(e, "[destination %s] out of memory", dname);
	return 0;
}

static int
http_open(struct dest *d, struct err *e)
{
	const struct conf_section *s = d->conf;
	struct http_dest *h;
	int rc;

	if ((h = dest_priv_alloc(d, sizeof(*h), e)) == NULL)
		return -1;
	buf_init(&h->key, LIM_SECRET);

	h->url = strdup(conf_str(s, "url"));
	h->validate_url = http_dest_dup(conf_str(s, "validate_url"));
	/* The table's choices are in the order of enum fmt_http_format. */
	if (fmt_http_format_parse(conf_str(s, "format"), &h->format) == -1) {
		err_set(e, "[destination %s] format: must be datadog, json_array "
		    "or ndjson", d->name);
		goto fail;
	}
	h->gzip = strcmp(conf_str(s, "compress"), "gzip") == 0;
	h->level = (int)conf_num(s, "compress_level");
	h->max_batch_bytes = (size_t)conf_num(s, "max_batch_bytes");
	h->max_batch_events = (size_t)conf_num(s, "max_batch_events");
	h->max_event_bytes = (size_t)conf_num(s, "max_event_bytes");
	h->service = strdup(conf_str(s, "service"));
	h->source = strdup(conf_str(s, "source"));
	h->tags = http_dest_dup(conf_str(s, "tags"));
	if (h->url == NULL || h->service == NULL || h->source == NULL) {
		err_set(e, "[destination %s] out of memory", d->name);
		goto fail;
	}

	if (http_add_header(h, "Content-Type", fmt_http_content_type(h->format),
	    0, e, d->name) == -1)
		goto fail;
	if (h->gzip && http_add_header(h, "Content-Encoding", "gzip", 0, e,
	    d->name) == -1)
		goto fail;

	/* The key: api_key, api_key_env or api_key_file (SPEC §2.3). */
	h->auth = strcmp(conf_str(s, "auth"), "none") != 0;
	if ((rc = conf_secret(s, "api_key", &h->key, e)) == -1)
		goto fail;
	if (h->auth && rc == 0) {
		err_set(e, "[destination %s] api_key, api_key_env or api_key_file "
		    "is required (or auth = none)", d->name);
		goto fail;
	}
	/* From here on: the key (when any), then header.NAME extras. */
	h->auth_index = h->hdrs.n;
	if (h->auth) {
		if (h->key.len == 0 || memchr(h->key.p, '\n', h->key.len) != NULL ||
		    memchr(h->key.p, '\r', h->key.len) != NULL) {
			err_set(e, "[destination %s] api_key: empty or contains a "
			    "line break", d->name);
			goto fail;
		}
		if (http_add_header(h, conf_str(s, "auth_header"), h->key.p, 1,
		    e, d->name) == -1)
			goto fail;
	}
	/* check() vetted the names and values. */
	if (http_hdrs_from_conf(&h->hdrs, s) == -1) {
		err_set(e, "[destination %s] out of memory", d->name);
		goto fail;
	}

	h->opts.ca_file = conf_str(s, "ca_file");
	h->opts.verify = conf_bool(s, "verify");
	dest_retry_fields(d);
	h->opts.timeout_ms = d->timeout_ms;
	h->opts.log_name = d->name;
	if (!h->opts.verify)
		log_dest(LOG_LVL_WARN, d->name, "verify = false: the intake's TLS "
		    "certificate is NOT checked; anyone on the network path can "
		    "read the API key and read or alter the audit trail");
	if (strncasecmp(h->url, "http://", 7) == 0 && h->auth)
		log_dest(LOG_LVL_WARN, d->name, "url is plain http://: the API key "
		    "and the audit trail travel unencrypted");

	/* What the engine may hand send() at once. */
	d->max_batch_lines = h->max_batch_events;
	d->max_batch_bytes = h->max_batch_bytes;

	buf_init(&h->stage, h->max_batch_bytes + 64);
	/* gzip never grows incompressible input by more than ~0.1% plus a
	 * header; the slack keeps a worst-case payload inside the cap. */
	buf_init(&h->body, h->max_batch_bytes + h->max_batch_bytes / 64 + 4096);
	return 0;
fail:
	http_close(d);
	return -1;
}

static void
http_close(struct dest *d)
{
	struct http_dest *h = d->priv;

	if (h == NULL)
		return;
	FREE_ALL(h->url, h->validate_url, h->service, h->source, h->tags,
	    h->fmt_file);
	http_client_free(h->client);
	http_hdrs_free(&h->hdrs);
	buf_free_secret(&h->key);
	if (h->fmt_ready)
		fmt_http_free(&h->fmt);
	gz_whole_free(h->z);
	buf_free(&h->stage);
	buf_free(&h->body);
	free(h);
	d->priv = NULL;
}

/* The per-file record prefix, rebuilt when the file changes. */
static int
http_fmt_for(struct dest *d, struct http_dest *h, const struct dest_file *f,
    struct err *e)
{
	struct fmt_http_meta m;
	char key[LIM_PATH];

	/* Keyed by stream and file: two users' files share a name. */
	snprintf(key, sizeof(key), "%s/%s", f->stream_dir ? f->stream_dir : "",
	    f->name);
	if (h->fmt_ready && strcmp(h->fmt_file, key) == 0)
		return 0;
	if (h->fmt_ready) {
		fmt_http_free(&h->fmt);
		h->fmt_ready = 0;
	}
	free(h->fmt_file);
	if ((h->fmt_file = strdup(key)) == NULL)
		return err_set(e, "[destination %s] out of memory", d->name);
	m.source = h->source;
	m.service = h->service;
	m.hostname = f->host ? f->host : (d->cfg ? d->cfg->hostname : "");
	m.user = f->user ? f->user : "";
	m.tags = h->tags;
	m.file = f->name;
	if (fmt_http_init(&h->fmt, h->format, &m, e) == -1) {
		fmt_http_free(&h->fmt);
		return -1;
	}
	h->fmt_ready = 1;
	return 0;
}

static void
http_report_oversize(struct dest *d, const struct dest_batch *b,
    const struct dest_line *l, const char *why)
{
	log_dest(LOG_LVL_ERROR, d->name, "%s offset %" PRIu64 ": event of %zu "
	    "bytes %s: not sent, counted as oversize", b->file->name,
	    l->offset, l->len, why);
}

/* What one send() puts in a payload, out of the lines it was given. */
struct http_payload {
	size_t		 first;		/* first line carried; SIZE_MAX: none */
	size_t		 last;		/* last line it covers */
	size_t		 nev;		/* events carried */
	size_t		 ninvalid;	/* of those, not JSON */
	size_t		 seen;		/* lines looked at */
};

/*
 * Build the payload into h->stage.  Lines before the first record that
 * cannot be sent (empty, or over max_event_bytes) are acknowledged at
 * once (*nacked); an oversize line further on ends the payload, so it
 * becomes the head of the next call and is skipped there.  Either way it
 * never holds back the lines behind it (SPEC §3.3).  0, or -1 (e set).
 */
static int
http_build(struct dest *d, struct http_dest *h, const struct dest_batch *b,
    struct http_payload *pl, size_t *nacked, struct err *e)
{
	const struct dest_line *l;
	const char *sep = fmt_http_sep(h->format);
	const char *close = fmt_http_close(h->format);
	size_t seplen = strlen(sep), closelen = strlen(close);
	size_t i, mark, rec, reported = 0;
	int invalid;

	memset(pl, 0, sizeof(*pl));
	pl->first = SIZE_MAX;
	buf_reset(&h->stage);
	(void)buf_adds(&h->stage, fmt_http_open(h->format));
	for (i = 0; i < b->nlines; i++) {
		l = &b->lines[i];
		if (l->len == 0) {
			/* SPEC §3.3: empty lines are skipped. */
			continue;
		}
		if (pl->nev == h->max_batch_events)
			break;
		mark = h->stage.len;
		if (pl->nev > 0 && buf_add(&h->stage, sep, seplen) == -1)
			break;
		rec = h->stage.len;
		if (l->len > h->max_event_bytes ||
		    fmt_http_record(&h->fmt, &h->stage, l->p, l->len, l->offset,
		    (l->flags & DEST_LINE_FRAGMENT) ? FMT_HTTP_FRAGMENT : 0,
		    &invalid) == -1 ||
		    h->stage.len - rec > h->max_event_bytes ||
		    h->stage.len + closelen > h->max_batch_bytes) {
			buf_truncate(&h->stage, mark);
			if (pl->nev > 0)
				break;	/* judged alone by the next call */
			/* Alone it cannot go either: too big for this
			 * intake.  Acknowledge, count, report. */
			d->counts.oversize++;
			if (reported++ < HTTP_DEST_REPORT_MAX)
				http_report_oversize(d, b, l,
				    "is over max_event_bytes once formatted");
			*nacked = i + 1;
			continue;
		}
		if (pl->first == SIZE_MAX)
			pl->first = i;
		pl->last = i;
		pl->nev++;
		pl->ninvalid += invalid != 0;
	}
	pl->seen = i;
	if (reported > HTTP_DEST_REPORT_MAX)
		log_dest(LOG_LVL_ERROR, d->name, "%zu more oversize events in %s "
		    "not sent", reported - HTTP_DEST_REPORT_MAX, b->file->name);
	if (pl->nev == 0)
		return 0;
	/* Empty lines right after the last record ride along with it. */
	while (pl->last + 1 < i && b->lines[pl->last + 1].len == 0)
		pl->last++;
	if (buf_add(&h->stage, close, closelen) == -1)
		return err_set(e, "[destination %s] payload buffer full",
		    d->name);
	return 0;
}

/*
 * The intake's answer to payload pl: dest_http_rc() for the verdict,
 * then what this intake's answers mean for the lines (and the message).
 */
static enum dest_rc
http_judge(struct dest *d, struct http_dest *h, const struct dest_batch *b,
    const struct http_payload *pl, enum http_rc hrc,
    const struct http_response *rs, size_t *nacked, struct err *e)
{
	enum dest_rc rc = dest_http_rc(hrc, rs, &d->retry_after_ms);
	char quote[HTTP_DEST_BODY_QUOTE + 1], loc[64];

	if (hrc != HTTP_OK)
		return rc;	/* http_do() said why */
	http_hdrs_quote(rs, &h->key, quote, sizeof(quote));
	if (rc == DEST_OK) {
		h->seen_2xx = 1;
		d->counts.invalid_json += pl->ninvalid;
		*nacked = pl->last + 1;
		return DEST_OK;
	}
	if (rc == DEST_RETRY)
		return err_set(e, "intake answered %ld%s%s", rs->status,
		    quote[0] ? ": " : "", quote), DEST_RETRY;
	if (rs->status == 401 || rs->status == 403)
		return err_set(e, "intake answered %ld: the API key was %s "
		    "(check api_key / api_key_env / api_key_file%s)", rs->status,
		    rs->status == 401 ? "missing or not accepted" : "refused",
		    h->auth ? " and auth_header" :
		    "; auth = none sends no key"), DEST_STOP;
	if (rs->status == 413) {
		if (pl->nev > 1)
			return err_set(e, "intake answered 413 (payload too "
			    "large) to %zu events: splitting the batch",
			    pl->nev), DEST_SPLIT;
		/* One event the intake finds too large: cannot be sent. */
		d->counts.oversize++;
		http_report_oversize(d, b, &b->lines[pl->first],
		    "was refused by the intake as too large (413); lower "
		    "max_event_bytes");
		*nacked = pl->last + 1;
		return DEST_OK;
	}
	if (rs->status == 400) {
		/*
		 * A 400 names the payload, not the connection.  Our JSON is
		 * valid by construction, so split until the one event the
		 * intake refuses is alone; skip it only when this intake has
		 * accepted other events in this run, so a wrong url or format
		 * stops the destination instead of draining the audit trail.
		 */
		if (pl->nev > 1)
			return err_set(e, "intake answered 400 to a batch of %zu "
			    "events: splitting it to find the refused event: %s",
			    pl->nev, quote), DEST_SPLIT;
		if (h->seen_2xx) {
			log_dest(LOG_LVL_ERROR, d->name, "%s offset %" PRIu64 ": "
			    "event refused by the intake (400), not sent: %s",
			    b->file->name, b->lines[pl->first].offset, quote);
			d->counts.rejected++;
			*nacked = pl->last + 1;
			return DEST_OK;
		}
		return err_set(e, "intake answered 400 to the event at %s offset "
		    "%" PRIu64 " and has accepted nothing in this run (check url "
		    "and format): %s", b->file->name,
		    b->lines[pl->first].offset, quote), DEST_STOP;
	}
	if (rs->status >= 300 && rs->status < 400) {
		if (!http_header_get(rs, "Location", loc, sizeof(loc)))
			loc[0] = '\0';
		return err_set(e, "intake answered %ld (redirect%s%s): set url to "
		    "the final address", rs->status, loc[0] ? " to " : "", loc),
		    DEST_STOP;
	}
	return err_set(e, "intake answered %ld%s%s", rs->status,
	    quote[0] ? ": " : "", quote), DEST_STOP;
}

/* POST the staged payload (h->body when gzip) of nev events. */
static enum http_rc
http_post(struct dest *d, struct http_dest *h, size_t nev,
    struct http_response *rs, struct err *e)
{
	struct http_request rq;

	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.url = h->url;
	rq.headers = h->hdrs.h;
	rq.nheaders = h->hdrs.n;
	rq.body = h->gzip ? h->body.p : h->stage.p;
	rq.body_len = h->gzip ? h->body.len : h->stage.len;
	log_dest(LOG_LVL_DEBUG, d->name, "POST %zu events, %zu bytes (%zu on "
	    "the wire)", nev, h->stage.len, rq.body_len);
	return http_do(h->client, &rq, rs, e);
}

static enum dest_rc
http_send(struct dest *d, const struct dest_batch *b, size_t *nacked,
    struct err *e)
{
	struct http_dest *h = d->priv;
	struct http_response rs;
	struct http_payload pl;
	enum dest_rc rc = DEST_STOP;
	enum http_rc hrc;

	*nacked = 0;
	d->retry_after_ms = 0;
	pl.first = SIZE_MAX;
	http_response_init(&rs);
	if (b->nlines == 0)
		return DEST_OK;
	if (http_fmt_for(d, h, b->file, e) == -1 ||
	    http_client_once(&h->client, &h->opts, e) == -1)
		goto out;
	buf_reset(&h->body);
	/* One compressor for every send, made on first use. */
	if (h->gzip && h->z == NULL && (h->z = gz_whole_new(h->level, e)) == NULL)
		goto out;
	if (http_build(d, h, b, &pl, nacked, e) == -1)
		goto out;
	if (pl.nev == 0) {
		/* Only skipped lines: all acknowledged, nothing to send. */
		*nacked = pl.seen;
		rc = DEST_OK;
		goto out;
	}
	if (h->gzip && gz_whole_compress(h->z, h->stage.p, h->stage.len,
	    &h->body, e) == -1)
		goto out;

	hrc = http_post(d, h, pl.nev, &rs, e);
	rc = http_judge(d, h, b, &pl, hrc, &rs, nacked, e);
out:
	/* Lines skipped before the first record stay acknowledged. */
	if (rc != DEST_OK && pl.first != SIZE_MAX && *nacked > pl.first)
		*nacked = pl.first;
	/* The engine can branch on the HTTP status of a failure. */
	if (e != NULL && rc != DEST_OK && rs.status != 0)
		e->code = (int)rs.status;
	http_response_free(&rs);
	return rc;
}

/*
 * A seal (SPEC §7) as one extra record of the day, in a payload of its
 * own: see fmt_http_seal().  Acknowledged when the intake answers 2xx.
 */
static enum dest_rc
http_send_seal(struct dest *d, const struct dest_seal *s, struct err *e)
{
	struct http_dest *h = d->priv;
	const struct seal_record *sr = &s->rec;
	struct http_response rs;
	enum dest_rc rc = DEST_STOP;
	enum http_rc hrc;

	http_response_init(&rs);
	d->retry_after_ms = 0;
	if (http_fmt_for(d, h, s->file, e) == -1 ||
	    http_client_once(&h->client, &h->opts, e) == -1)
		goto out;
	buf_reset(&h->stage);
	buf_reset(&h->body);
	if (buf_adds(&h->stage, fmt_http_open(h->format)) == -1 ||
	    fmt_http_seal(&h->fmt, &h->stage, sr->bytes, sr->stmt, sr->slen,
	    sr->sig, sr->siglen) == -1 ||
	    buf_adds(&h->stage, fmt_http_close(h->format)) == -1) {
		err_set(e, "seal record over the payload buffer");
		goto out;
	}
	if (h->gzip && h->z == NULL && (h->z = gz_whole_new(h->level, e)) == NULL)
		goto out;
	if (h->gzip && gz_whole_compress(h->z, h->stage.p, h->stage.len,
	    &h->body, e) == -1)
		goto out;
	hrc = http_post(d, h, 1, &rs, e);
	rc = dest_http_rc(hrc, &rs, &d->retry_after_ms);
	if (hrc == HTTP_OK && rc != DEST_OK)
		err_set(e, "intake answered %ld to the seal record", rs.status);
	if (rc == DEST_SPLIT)
		rc = DEST_STOP;	/* one record: nothing to split */
out:
	http_response_free(&rs);
	return rc;
}

/* `check --connect`: validate the key where the intake offers a way,
 * else only connect (TCP + TLS).  Nothing is stored either way. */
static int
http_probe(struct dest *d, struct err *e)
{
	struct http_dest *h = d->priv;
	struct http_response rs;
	struct http_request rq;
	char quote[HTTP_DEST_BODY_QUOTE + 1];
	int rc = -1;

	http_response_init(&rs);
	if (http_client_once(&h->client, &h->opts, e) == -1)
		goto out;
	if (h->validate_url == NULL) {
		rc = http_connect(h->client, h->url, e) == HTTP_OK ? 0 : -1;
		goto out;
	}
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.url = h->validate_url;
	/* Only the key: Content-Type/Encoding mean nothing to a GET. */
	rq.headers = &h->hdrs.h[h->auth_index];
	rq.nheaders = h->hdrs.n - h->auth_index;
	if (http_do(h->client, &rq, &rs, e) != HTTP_OK)
		goto out;
	http_hdrs_quote(&rs, &h->key, quote, sizeof(quote));
	if (rs.status >= 200 && rs.status < 300)
		rc = 0;
	else if (rs.status == 401 || rs.status == 403)
		err_set(e, "validate_url answered %ld: the API key is not valid "
		    "(check api_key / api_key_env / api_key_file)", rs.status);
	else
		err_set(e, "validate_url answered %ld%s%s", rs.status,
		    quote[0] ? ": " : "", quote);
out:
	http_response_free(&rs);
	return rc;
}

const struct dest_ops dest_http_ops = {
	DEST_OPS(http, DEST_RECORDS),
	.send = http_send,
	.send_seal = http_send_seal,
};
