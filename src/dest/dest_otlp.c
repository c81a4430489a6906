/*
 * dest_otlp.c - the OTLP/HTTP logs destination (type = otlp): one POST of
 * an ExportLogsServiceRequest per run of lines, to any OpenTelemetry
 * collector, Grafana Loki, Datadog, or CloudWatch Logs' OTLP endpoint
 * (SigV4, service "logs").
 *
 * send() encodes up to max_batch_events lines of one daily file into one
 * request (fmt_otlp.c: OTLP/JSON, or protobuf with encoding = protobuf),
 * within max_batch_bytes of encoded payload, gzips it in one call (gz.c)
 * and POSTs it (http.c).  Answers, as the OTLP specification ("OTLP/HTTP
 * Response") defines them:
 *
 *   2xx, no partialSuccess   DEST_OK: every record acknowledged
 *   2xx, partialSuccess with rejectedLogRecords > 0
 *                            delivered with loss: every line acknowledged
 *                            (the server has decided; resending cannot
 *                            change it), the count added to `rejected`,
 *                            the server's message reported, and DEST_STOP
 *                            so the run exits 1 (never silent, never
 *                            retried); the next run goes on
 *   429, 502, 503, 504, 408  DEST_RETRY with the server's Retry-After
 *   413                      DEST_SPLIT; one record alone: oversize
 *   401, 403                 DEST_STOP: the key or the AWS signature
 *   400, other answers       DEST_STOP with the body quoted, nothing
 *                            acknowledged (OTLP: not retryable)
 *   network error            DEST_RETRY;  TLS verification: DEST_STOP
 *
 * It never sleeps, never retries by itself and never touches offsets.
 * The API key and AWS secrets live in buffers wiped on close and reach
 * libcurl only as headers marked secret.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "aws_creds.h"
#include "caps.h"
#include "config.h"
#include "crypto.h"
#include "dest.h"
#include "fmt_otlp.h"
#include "freeall.h"
#include "gz.h"
#include "http.h"
#include "http_hdrs.h"
#include "log.h"
#include "seal.h"
#include "sigv4.h"

#ifndef AUDITSHIP_VERSION
#define AUDITSHIP_VERSION "0"
#endif

#define OTLP_DEFAULT_PATH	"/v1/logs"
#define OTLP_URL_MAX		4096

enum otlp_auth {
	OTLP_AUTH_NONE,
	OTLP_AUTH_KEY,
	OTLP_AUTH_SIGV4,
};

struct otlp_dest {
	char		*url;		/* with the default path added */
	char		 authority[512];	/* host[:port], for SigV4 */
	char		*path;		/* for SigV4 */
	enum fmt_otlp_encoding enc;
	enum fmt_otlp_body body;
	int		 gzip, level;
	size_t		 max_batch_bytes, max_batch_events;
	char		*service;
	enum otlp_auth	 auth;
	struct buf	 key;		/* the API key; wiped on close */
	struct http_hdrs hdrs;
	struct http_opts opts;
	struct http_client *client;

	/* SigV4 (auth = sigv4). */
	char		*region, *sigv4_service;
	struct aws_creds creds;
	struct aws_creds_opts creds_opts;
	struct buf	 ak, sk, tok;	/* from the config; wiped */
	int		 creds_ever;

	struct fmt_otlp	 fmt;
	char		*fmt_key;	/* host, user and file it was built for */
	int		 fmt_ready;

	struct gz_whole	*z;
	struct buf	 stage;		/* the encoded request */
	struct buf	 wire;		/* gzip of it */
};

/* The keys of [destination NAME] type = otlp. */
static const struct conf_key otlp_keys[] = {
	{ "type", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0, NULL },
	{ "url", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0, NULL },
	{ "encoding", CONF_ENUM, "json", 0, "json|protobuf", 0, 0, NULL },
	{ "body", CONF_ENUM, "raw", 0, "raw|json", 0, 0, NULL },
	{ "service", CONF_STR, "claude-code", 0, NULL, 0, 0, NULL },
	/* auto: api_key when one of api_key* is set, else none. */
	{ "auth", CONF_ENUM, "auto", 0, "auto|api_key|none|sigv4", 0, 0, NULL },
	CONF_SECRET_KEYS("api_key"),
	{ "auth_header", CONF_STR, "Authorization", 0, NULL, 0, 0, NULL },
	{ "header.", CONF_STR, NULL, CONF_PREFIX, NULL, 0, 0, NULL },
	{ "compress", CONF_ENUM, "gzip", 0, "gzip|none", 0, 0, NULL },
	{ "compress_level", CONF_INT, "6", 0, NULL, 1, 9, NULL },
	{ "max_batch_bytes", CONF_SIZE, "5000000", 0, NULL, 4096, 1LL << 30,
	    NULL },
	{ "max_batch_events", CONF_INT, "1000", 0, NULL, 1, LIM_BATCH_LINES,
	    NULL },
	/* auth = sigv4 (CloudWatch Logs' OTLP endpoint). */
	{ "region", CONF_STR, NULL, 0, NULL, 0, 0, NULL },
	{ "sigv4_service", CONF_STR, "logs", 0, NULL, 0, 0, NULL },
	{ "credentials", CONF_ENUM, "auto", 0,
	    "auto|static|env|profile|ecs|imds", 0, 0, NULL },
	{ "access_key_id", CONF_STR, NULL, 0, NULL, 0, 0, NULL },
	CONF_SECRET_KEYS("secret_access_key"),
	CONF_SECRET_KEYS("session_token"),
	{ "profile", CONF_STR, NULL, 0, NULL, 0, 0, NULL },
	DEST_HTTP_CLIENT_KEYS,
	{ "seal", CONF_BOOL, "true", 0, NULL, 0, 0, NULL },	/* SPEC §7 */
};

static int
otlp_check(const struct conf_section *s, struct conf_report *r)
{
	const char *auth = conf_str(s, "auth");
	int bad = 0, key = conf_is_set(s, "api_key") ||
	    conf_is_set(s, "api_key_env") || conf_is_set(s, "api_key_file");

	bad |= dest_check_url(s, "url", r);
	if (strcmp(auth, "api_key") == 0 && !key)
		bad |= conf_reject(r, s, conf_line(s, "auth"), "auth", "api_key "
		    "needs api_key, api_key_env or api_key_file");
	if ((strcmp(auth, "none") == 0 || strcmp(auth, "sigv4") == 0) && key)
		bad |= conf_reject(r, s, conf_line(s, "auth"), "auth", "%s sends "
		    "no api_key, but one is set", auth);
	if (strcmp(auth, "sigv4") == 0 && !conf_is_set(s, "region"))
		bad |= conf_reject(r, s, conf_line(s, "auth"), "region",
		    "required with auth = sigv4");
	if (conf_is_set(s, "access_key_id") != (conf_is_set(s,
	    "secret_access_key") || conf_is_set(s, "secret_access_key_env") ||
	    conf_is_set(s, "secret_access_key_file")))
		bad |= conf_reject(r, s, conf_line(s, "access_key_id"),
		    "access_key_id", "goes together with secret_access_key");
	if (strcmp(conf_str(s, "credentials"), "static") == 0 &&
	    !conf_is_set(s, "access_key_id"))
		bad |= conf_reject(r, s, conf_line(s, "credentials"),
		    "credentials", "static needs access_key_id and "
		    "secret_access_key");
	bad |= http_hdrs_check(s, r);
	return bad ? -1 : 0;
}

static void otlp_close(struct dest *d);

/*
 * Split url into authority and path; a URL without a path (or "/") gets
 * OTLP's /v1/logs.  The full URL goes to o->url.
 */
static int
otlp_url(struct otlp_dest *o, const char *url, struct err *e,
    const char *dname)
{
	const char *a = strstr(url, "://"), *p, *at;
	struct buf u;
	size_t alen;

	if (a == NULL || (strncasecmp(url, "https://", 8) != 0 &&
	    strncasecmp(url, "http://", 7) != 0))
		return err_set(e, "[destination %s] url: must start with "
		    "https:// or http://", dname);
	a += 3;
	p = a + strcspn(a, "/?#");
	/* userinfo is not part of the Host header */
	at = memchr(a, '@', (size_t)(p - a));
	if (at != NULL)
		a = at + 1;
	alen = (size_t)(p - a);
	if (alen == 0 || alen >= sizeof(o->authority))
		return err_set(e, "[destination %s] url: no host", dname);
	memcpy(o->authority, a, alen);
	o->authority[alen] = '\0';
	buf_init(&u, OTLP_URL_MAX);
	if (buf_adds(&u, url) == -1)
		goto toolong;
	if (*p == '\0' || strcmp(p, "/") == 0) {
		if (*p == '/')
			buf_truncate(&u, u.len - 1);
		if (buf_adds(&u, OTLP_DEFAULT_PATH) == -1)
			goto toolong;
		o->path = strdup(OTLP_DEFAULT_PATH);
	} else if (*p != '/')
		goto nopath;
	else
		o->path = strndup(p, strcspn(p, "?#"));
	o->url = u.p;
	return o->path == NULL ? err_set(e, "[destination %s] out of memory",
	    dname) : 0;
nopath:
	buf_free(&u);
	return err_set(e, "[destination %s] url: a query without a path",
	    dname);
toolong:
	buf_free(&u);
	return err_set(e, "[destination %s] url: too long", dname);
}

static int
otlp_open_sigv4(struct dest *d, struct otlp_dest *o, struct err *e)
{
	const struct conf_section *s = d->conf;
	size_t i;
	int r;

	o->region = strdup(conf_str(s, "region"));
	o->sigv4_service = strdup(conf_str(s, "sigv4_service"));
	if (o->region == NULL || o->sigv4_service == NULL)
		return err_set(e, "[destination %s] out of memory", d->name);
	/* sigv4.c encodes the path once (S3's rule); AWS's other services
	 * encode it twice.  The two agree on a plain path. */
	for (i = 0; o->path[i] != '\0'; i++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789-._~/", o->path[i]) == NULL)
			return err_set(e, "[destination %s] url: with auth = "
			    "sigv4 the path may hold only letters, digits, "
			    "'/', '-', '.', '_' and '~'", d->name);
	if (strchr(o->url, '?') != NULL)
		return err_set(e, "[destination %s] url: no query with auth = "
		    "sigv4", d->name);
	aws_creds_init(&o->creds);
	buf_init(&o->ak, LIM_SECRET);
	buf_init(&o->sk, LIM_SECRET);
	buf_init(&o->tok, LIM_SECRET);
	o->creds_opts.mode = conf_str(s, "credentials");
	o->creds_opts.profile = conf_is_set(s, "profile") ?
	    conf_str(s, "profile") : NULL;
	o->creds_opts.ca_file = o->opts.ca_file;
	o->creds_opts.log_name = d->name;
	if ((r = conf_secret(s, "access_key_id", &o->ak, e)) == -1)
		return -1;
	if (r == 1)
		o->creds_opts.access_key_id = o->ak.p;
	if ((r = conf_secret(s, "secret_access_key", &o->sk, e)) == -1)
		return -1;
	if (r == 1)
		o->creds_opts.secret_access_key = o->sk.p;
	if ((r = conf_secret(s, "session_token", &o->tok, e)) == -1)
		return -1;
	if (r == 1)
		o->creds_opts.session_token = o->tok.p;
	return 0;
}

static int
otlp_open(struct dest *d, struct err *e)
{
	const struct conf_section *s = d->conf;
	struct otlp_dest *o;
	const char *str;
	int rc;

	if ((o = dest_priv_alloc(d, sizeof(*o), e)) == NULL)
		return -1;
	buf_init(&o->key, LIM_SECRET);
	aws_creds_init(&o->creds);

	if (otlp_url(o, conf_str(s, "url"), e, d->name) == -1)
		goto fail;
	/* The tables' choices are in the order of the enums. */
	o->enc = (enum fmt_otlp_encoding)conf_num(s, "encoding");
	o->body = (enum fmt_otlp_body)conf_num(s, "body");
	o->gzip = strcmp(conf_str(s, "compress"), "gzip") == 0;
	o->level = (int)conf_num(s, "compress_level");
	o->max_batch_bytes = (size_t)conf_num(s, "max_batch_bytes");
	o->max_batch_events = (size_t)conf_num(s, "max_batch_events");
	if ((o->service = strdup(conf_str(s, "service"))) == NULL)
		goto nomem;
	o->opts.ca_file = conf_str(s, "ca_file");
	o->opts.verify = conf_bool(s, "verify");
	dest_retry_fields(d);
	o->opts.timeout_ms = d->timeout_ms;
	o->opts.log_name = d->name;

	if (http_hdrs_add(&o->hdrs, "Content-Type",
	    fmt_otlp_content_type(o->enc), 0) == -1 || (o->gzip &&
	    http_hdrs_add(&o->hdrs, "Content-Encoding", "gzip", 0) == -1))
		goto nomem;

	/* auth: the key, a SigV4 signature, or nothing. */
	str = conf_str(s, "auth");
	if ((rc = conf_secret(s, "api_key", &o->key, e)) == -1)
		goto fail;
	if (strcmp(str, "auto") == 0)
		o->auth = rc == 1 ? OTLP_AUTH_KEY : OTLP_AUTH_NONE;
	else if (strcmp(str, "api_key") == 0)
		o->auth = OTLP_AUTH_KEY;
	else if (strcmp(str, "sigv4") == 0)
		o->auth = OTLP_AUTH_SIGV4;
	else
		o->auth = OTLP_AUTH_NONE;
	if (o->auth == OTLP_AUTH_KEY) {
		if (rc == 0) {
			err_set(e, "[destination %s] auth = api_key needs api_key, "
			    "api_key_env or api_key_file", d->name);
			goto fail;
		}
		if (o->key.len == 0 || memchr(o->key.p, '\n', o->key.len) != NULL ||
		    memchr(o->key.p, '\r', o->key.len) != NULL) {
			err_set(e, "[destination %s] api_key: empty or contains a "
			    "line break", d->name);
			goto fail;
		}
		if (http_hdrs_add(&o->hdrs, conf_str(s, "auth_header"),
		    o->key.p, 1) == -1)
			goto nomem;
	}
	if (o->auth == OTLP_AUTH_SIGV4 && otlp_open_sigv4(d, o, e) == -1)
		goto fail;

	/* otlp_check() vetted names, values and their number. */
	if (http_hdrs_from_conf(&o->hdrs, s) == -1)
		goto nomem;
	if (!o->opts.verify)
		log_dest(LOG_LVL_WARN, d->name, "verify = false: the receiver's "
		    "TLS certificate is NOT checked");
	if (strncasecmp(o->url, "http://", 7) == 0 && o->auth != OTLP_AUTH_NONE)
		log_dest(LOG_LVL_WARN, d->name, "url is plain http://: the "
		    "credentials and the audit trail travel unencrypted");

	d->max_batch_lines = o->max_batch_events;
	d->max_batch_bytes = o->max_batch_bytes;
	buf_init(&o->stage, o->max_batch_bytes);
	buf_init(&o->wire, o->max_batch_bytes + o->max_batch_bytes / 64 + 4096);
	return 0;
nomem:
	err_set(e, "[destination %s] out of memory", d->name);
fail:
	otlp_close(d);
	return -1;
}

static void
otlp_close(struct dest *d)
{
	struct otlp_dest *o = d->priv;

	if (o == NULL)
		return;
	FREE_ALL(o->url, o->path, o->service, o->region, o->sigv4_service,
	    o->fmt_key);
	http_client_free(o->client);
	http_hdrs_free(&o->hdrs);
	buf_free_secret(&o->key);
	buf_free_secret(&o->ak);
	buf_free_secret(&o->sk);
	buf_free_secret(&o->tok);
	aws_creds_free(&o->creds);
	if (o->fmt_ready)
		fmt_otlp_free(&o->fmt);
	gz_whole_free(o->z);
	buf_free(&o->stage);
	buf_free(&o->wire);
	free(o);
	d->priv = NULL;
}

/* The encoder for this file's host, user and name. */
static int
otlp_fmt_for(struct dest *d, struct otlp_dest *o, const struct dest_file *f,
    struct err *e)
{
	struct fmt_otlp_meta m;
	struct buf k;

	m.host = f->host ? f->host : (d->cfg ? d->cfg->hostname : "");
	m.user = f->user ? f->user : "";
	m.service = o->service;
	m.file = f->name;
	m.version = AUDITSHIP_VERSION;
	buf_init(&k, 3 * LIM_PATH);
	if (buf_printf(&k, "%s/%s/%s", m.host, m.user, m.file) == -1) {
		buf_free(&k);
		return err_set(e, "[destination %s] file name too long", d->name);
	}
	if (o->fmt_ready && strcmp(o->fmt_key, k.p) == 0) {
		buf_free(&k);
		return 0;
	}
	if (o->fmt_ready)
		fmt_otlp_free(&o->fmt);
	o->fmt_ready = 0;
	free(o->fmt_key);
	o->fmt_key = k.p;
	if (fmt_otlp_init(&o->fmt, o->enc, o->body, &m, e) == -1) {
		fmt_otlp_free(&o->fmt);
		return -1;
	}
	o->fmt_ready = 1;
	return 0;
}

/* Fresh AWS credentials: DEST_OK, or what send() must return. */
static enum dest_rc
otlp_creds(struct dest *d, struct otlp_dest *o, struct err *e)
{
	long long now = (long long)time(NULL);

	if (!aws_creds_stale(&o->creds, now))
		return DEST_OK;
	if (aws_creds_resolve(&o->creds, &o->creds_opts, now, e) == -1)
		return o->creds_ever ? DEST_RETRY : DEST_STOP;
	if (!o->creds_ever)
		log_dest(LOG_LVL_DEBUG, d->name, "AWS credentials from %s",
		    o->creds.source);
	o->creds_ever = 1;
	return DEST_OK;
}

/*
 * POST body[0..len) with the configured headers, signed with SigV4 when
 * auth = sigv4 (host, x-amz-date, x-amz-content-sha256, the security
 * token, and every header we send are signed).
 */
static enum http_rc
otlp_post(struct otlp_dest *o, const char *body, size_t len,
    struct http_response *rs, struct err *e)
{
	struct http_request rq;
	struct http_header hh[HTTP_HDRS_MAX + 4];
	struct pair sh[HTTP_HDRS_MAX + 4];
	struct sigv4_request srq;
	struct sigv4_key k;
	struct buf auth;
	char amzdate[SIGV4_AMZDATE_LEN + 1];
	char payload[2 * CRYPTO_SHA256_LEN + 1];
	uint8_t h[CRYPTO_SHA256_LEN];
	size_t n, i;
	enum http_rc rc;

	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.url = o->url;
	rq.body = body;
	rq.body_len = len;
	if (o->auth != OTLP_AUTH_SIGV4) {
		rq.headers = o->hdrs.h;
		rq.nheaders = o->hdrs.n;
		return http_do(o->client, &rq, rs, e);
	}
	crypto_sha256(body, len, h);
	crypto_hex(h, sizeof(h), payload);
	sigv4_amz_date(time(NULL), amzdate);
	n = sigv4_base_headers(sh, o->authority, amzdate, payload,
	    o->creds.token.len > 0 ? o->creds.token.p : NULL);
	for (i = 0; i < o->hdrs.n; i++) {
		sh[n].name = o->hdrs.h[i].name;
		sh[n++].value = o->hdrs.h[i].value;
	}
	k.access_key = o->creds.access_key.p;
	k.secret_key = o->creds.secret_key.p;
	k.region = o->region;
	k.service = o->sigv4_service;
	srq.method = "POST";
	srq.path = o->path;
	srq.query = NULL;
	srq.headers = sh;
	srq.nheaders = n;
	srq.payload_hash = payload;
	buf_init(&auth, 2048);
	if (sigv4_authorization(&auth, &k, &srq, amzdate, NULL, NULL, e) == -1) {
		buf_free(&auth);
		return HTTP_FATAL;
	}
	/* host is curl's own Host header: not sent twice. */
	for (i = 1; i < n; i++) {
		hh[i - 1].name = sh[i].name;
		hh[i - 1].value = sh[i].value;
		hh[i - 1].secret = strcmp(sh[i].name, "x-amz-security-token") == 0 ||
		    (i >= n - o->hdrs.n && o->hdrs.h[i - (n - o->hdrs.n)].secret);
	}
	hh[n - 1].name = "Authorization";
	hh[n - 1].value = auth.p;
	hh[n - 1].secret = 1;
	rq.headers = hh;
	rq.nheaders = n;
	rc = http_do(o->client, &rq, rs, e);
	buf_free_secret(&auth);
	return rc;
}

/* What a 2xx said: DEST_OK, or DEST_STOP after acknowledging the lines
 * when the server rejected some of the records (delivered with loss). */
static enum dest_rc
otlp_success(struct dest *d, struct otlp_dest *o,
    const struct http_response *rs, size_t nev, struct err *e)
{
	struct fmt_otlp_response r;
	enum fmt_otlp_encoding enc = o->enc;
	char ct[128];

	if (http_header_get(rs, "Content-Type", ct, sizeof(ct)))
		enc = strncasecmp(ct, "application/x-protobuf", 22) == 0 ?
		    FMT_OTLP_PROTOBUF : strncasecmp(ct, "application/json", 16) == 0 ?
		    FMT_OTLP_JSON : o->enc;
	if (fmt_otlp_response_parse(enc, rs->body.p, rs->body.len, &r) == -1) {
		/* The records are accepted either way (2xx); only the
		 * details the body was to give are lost. */
		log_dest(LOG_LVL_WARN, d->name, "answered %ld with a body that "
		    "is not an ExportLogsServiceResponse; taken as full success",
		    rs->status);
		return DEST_OK;
	}
	if (r.rejected == 0) {
		if (r.message[0] != '\0')
			log_dest(LOG_LVL_WARN, d->name, "receiver says: %s",
			    r.message);
		return DEST_OK;
	}
	d->counts.rejected += r.rejected < nev ? r.rejected : nev;
	err_set(e, "receiver REJECTED %" PRIu64 " of %zu log records (partial "
	    "success; not retried, counted as rejected): %s", r.rejected, nev,
	    r.message[0] ? r.message : "(no message)");
	return DEST_STOP;
}

/* Encoder, client, credentials and compressor for a request about f:
 * DEST_OK, or what the caller must return. */
static enum dest_rc
otlp_ready(struct dest *d, struct otlp_dest *o, const struct dest_file *f,
    struct err *e)
{
	enum dest_rc rc;

	if (otlp_fmt_for(d, o, f, e) == -1 ||
	    http_client_once(&o->client, &o->opts, e) == -1)
		return DEST_STOP;
	if (o->auth == OTLP_AUTH_SIGV4 && (rc = otlp_creds(d, o, e)) != DEST_OK)
		return rc;
	if (o->gzip && o->z == NULL && (o->z = gz_whole_new(o->level, e)) == NULL)
		return DEST_STOP;
	return DEST_OK;
}

static enum dest_rc
otlp_send(struct dest *d, const struct dest_batch *b, size_t *nacked,
    struct err *e)
{
	struct otlp_dest *o = d->priv;
	struct http_response rs;
	struct timespec now;
	const struct dest_line *l;
	size_t i, nev = 0, ninvalid = 0, first = SIZE_MAX, last = 0;
	uint64_t observed;
	enum dest_rc rc = DEST_STOP;
	enum http_rc hrc;
	char quote[HTTP_HDRS_QUOTE + 1];
	int invalid;

	*nacked = 0;
	d->retry_after_ms = 0;
	http_response_init(&rs);
	if (b->nlines == 0)
		return DEST_OK;
	if ((rc = otlp_ready(d, o, b->file, e)) != DEST_OK)
		goto out;
	rc = DEST_STOP;
	clock_gettime(CLOCK_REALTIME, &now);
	observed = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;

	/* The request, within max_batch_bytes with room to close it. */
	buf_reset(&o->stage);
	o->stage.max = o->max_batch_bytes - FMT_OTLP_FINISH_MAX;
	if (fmt_otlp_begin(&o->fmt, &o->stage) == -1) {
		err_set(e, "[destination %s] max_batch_bytes too small", d->name);
		goto out;
	}
	for (i = 0; i < b->nlines && nev < o->max_batch_events; i++) {
		l = &b->lines[i];
		if (l->len == 0)
			continue;	/* SPEC §3.3: empty lines are skipped */
		if (fmt_otlp_record(&o->fmt, &o->stage, l->p, l->len, l->offset,
		    (l->flags & DEST_LINE_FRAGMENT) ? FMT_OTLP_FRAGMENT : 0,
		    observed, &invalid) == -1) {
			if (nev > 0)
				break;	/* the next request starts with it */
			/* Alone it does not fit either: reported, skipped. */
			d->counts.oversize++;
			log_dest(LOG_LVL_ERROR, d->name, "%s offset %" PRIu64
			    ": event of %zu bytes is over max_batch_bytes once "
			    "encoded: not sent, counted as oversize",
			    b->file->name, l->offset, l->len);
			*nacked = i + 1;
			continue;
		}
		if (first == SIZE_MAX)
			first = i;
		last = i;
		nev++;
		ninvalid += invalid != 0;
	}
	if (nev == 0) {
		*nacked = i;
		rc = DEST_OK;
		goto out;
	}
	while (last + 1 < i && b->lines[last + 1].len == 0)
		last++;
	o->stage.max = o->max_batch_bytes;
	if (fmt_otlp_finish(&o->fmt, &o->stage) == -1) {
		err_set(e, "[destination %s] request buffer full", d->name);
		goto out;
	}
	buf_reset(&o->wire);
	if (o->gzip && gz_whole_compress(o->z, o->stage.p, o->stage.len,
	    &o->wire, e) == -1)
		goto out;
	log_dest(LOG_LVL_DEBUG, d->name, "POST %zu records, %zu bytes (%zu on "
	    "the wire)", nev, o->stage.len, o->gzip ? o->wire.len : o->stage.len);
	hrc = otlp_post(o, o->gzip ? o->wire.p : o->stage.p,
	    o->gzip ? o->wire.len : o->stage.len, &rs, e);
	/* The shared mapping (network, 408, 429, 5xx retried with the
	 * server's Retry-After), narrowed to OTLP's retryable set: 500 and
	 * the other 5xx, and 400, are answers about the request, not the
	 * moment, so they stop (OTLP/HTTP "Failures"). */
	rc = dest_http_rc(hrc, &rs, &d->retry_after_ms);
	if (hrc != HTTP_OK)
		goto out;
	http_hdrs_quote(&rs, &o->key, quote, sizeof(quote));
	if (rc == DEST_OK) {
		d->counts.invalid_json += ninvalid;
		*nacked = last + 1;
		rc = otlp_success(d, o, &rs, nev, e);
		goto out;
	}
	if (rc == DEST_RETRY && rs.status >= 500 && rs.status != 502 &&
	    rs.status != 503 && rs.status != 504)
		rc = DEST_STOP;
	if (rc == DEST_RETRY) {
		err_set(e, "receiver answered %ld%s%s", rs.status,
		    quote[0] ? ": " : "", quote);
		goto out;
	}
	if (rs.status == 401 || rs.status == 403) {
		if (o->auth == OTLP_AUTH_SIGV4)
			err_set(e, "receiver answered %ld: the AWS signature was "
			    "refused (check credentials, region and "
			    "sigv4_service): %s", rs.status, quote);
		else
			err_set(e, "receiver answered %ld: %s (check api_key / "
			    "api_key_env / api_key_file and auth_header): %s",
			    rs.status, o->auth == OTLP_AUTH_KEY ?
			    "the key was not accepted" : "it wants credentials",
			    quote);
		rc = DEST_STOP;
		goto out;
	}
	if (rs.status == 413) {
		rc = DEST_STOP;
		if (nev > 1) {
			err_set(e, "receiver answered 413 (payload too large) to "
			    "%zu records: splitting the batch", nev);
			rc = DEST_SPLIT;
			goto out;
		}
		d->counts.oversize++;
		log_dest(LOG_LVL_ERROR, d->name, "%s offset %" PRIu64 ": event "
		    "refused as too large (413): not sent, counted as oversize",
		    b->file->name, b->lines[first].offset);
		*nacked = last + 1;
		rc = DEST_OK;
		goto out;
	}
	/* 400 and the rest: OTLP says not retryable; nothing acknowledged. */
	rc = DEST_STOP;
	err_set(e, "receiver answered %ld (not retried)%s%s", rs.status,
	    quote[0] ? ": " : "", quote);
out:
	if (rc != DEST_OK && rc != DEST_STOP && first != SIZE_MAX &&
	    *nacked > first)
		*nacked = first;
	if (rc == DEST_STOP && d->counts.rejected == 0 && first != SIZE_MAX &&
	    *nacked > first)
		*nacked = first;
	if (e != NULL && rc != DEST_OK && rs.status != 0)
		e->code = (int)rs.status;
	http_response_free(&rs);
	return rc;
}

/*
 * A seal (SPEC §7) as one more log record of the day, in a request of its
 * own (fmt_otlp_seal()).  Acknowledged when the receiver answers 2xx
 * without rejecting it; anything else is the engine's to retry or stop.
 */
static enum dest_rc
otlp_send_seal(struct dest *d, const struct dest_seal *s, struct err *e)
{
	struct otlp_dest *o = d->priv;
	const struct seal_record *sr = &s->rec;
	struct http_response rs;
	struct timespec now;
	enum dest_rc rc;
	enum http_rc hrc;

	d->retry_after_ms = 0;
	if ((rc = otlp_ready(d, o, s->file, e)) != DEST_OK)
		return rc;
	clock_gettime(CLOCK_REALTIME, &now);
	buf_reset(&o->stage);
	o->stage.max = o->max_batch_bytes;
	buf_reset(&o->wire);
	if (fmt_otlp_begin(&o->fmt, &o->stage) == -1 ||
	    fmt_otlp_seal(&o->fmt, &o->stage, sr->stmt, sr->slen, sr->sig,
	    sr->siglen, sr->bytes, (uint64_t)now.tv_sec * 1000000000u +
	    (uint64_t)now.tv_nsec) == -1 ||
	    fmt_otlp_finish(&o->fmt, &o->stage) == -1)
		return err_set(e, "seal record over max_batch_bytes"), DEST_STOP;
	if (o->gzip && gz_whole_compress(o->z, o->stage.p, o->stage.len,
	    &o->wire, e) == -1)
		return DEST_STOP;
	http_response_init(&rs);
	hrc = otlp_post(o, o->gzip ? o->wire.p : o->stage.p,
	    o->gzip ? o->wire.len : o->stage.len, &rs, e);
	rc = dest_http_rc(hrc, &rs, &d->retry_after_ms);
	if (rc == DEST_OK)
		rc = otlp_success(d, o, &rs, 1, e);
	else if (hrc == HTTP_OK)
		err_set(e, "receiver answered %ld to the seal record", rs.status);
	http_response_free(&rs);
	/* One record: nothing to split. */
	return rc == DEST_SPLIT ? DEST_STOP : rc;
}

/* `check --connect`: TCP and TLS to the receiver; with SigV4, also the
 * credentials.  Nothing is sent. */
static int
otlp_probe(struct dest *d, struct err *e)
{
	struct otlp_dest *o = d->priv;

	if (http_client_once(&o->client, &o->opts, e) == -1)
		return -1;
	if (o->auth == OTLP_AUTH_SIGV4 && otlp_creds(d, o, e) != DEST_OK)
		return -1;
	return http_connect(o->client, o->url, e) == HTTP_OK ? 0 : -1;
}

const struct dest_ops dest_otlp_ops = {
	DEST_OPS(otlp, DEST_RECORDS),
	.send = otlp_send,
	.send_seal = otlp_send_seal,
};
