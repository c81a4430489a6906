/*
 * s3_client.c - signed S3 requests and crash-proof uploads of byte ranges
 * (SPEC §2.3 type = s3, §3.1, §3.4, §3.5; see s3_client.h).
 *
 * An upload goes in four steps, each restartable:
 *  1. compress the range into an unlinked temp file under the state
 *     directory, hashing as it goes: SHA-256 of the raw bytes (stored as
 *     object metadata, so a later run can recognise the object whatever
 *     the compression level), MD5 and SHA-256 of the gzip bytes and of
 *     every multipart part.  Memory stays bounded: nothing holds a body.
 *  2. HEAD the key.  After a crash the engine hands us the same range, so
 *     an object already there with our metadata (or our ETag) is the one
 *     an earlier attempt stored: done.  A 403 (a write-only role may not
 *     HEAD) just means we cannot tell, and we go on.
 *  3. PutObject, or above multipart_threshold a multipart upload whose id
 *     is saved with note_save() before any part goes up, so a retry or a
 *     restarted run resumes it (ListParts: parts with our MD5 and size are
 *     kept) and a final failure aborts it: it is never orphaned.  Every
 *     request carries Content-MD5 (or x-amz-checksum-sha256) and is signed
 *     over its payload hash, and `If-None-Match: *` keeps a retry from
 *     creating a second version.  A body whose put() asked for a retry is
 *     kept for the next attempt at the same range.
 *  4. Verify: the PutObject ETag must be the MD5 we sent; a completed
 *     multipart object is HEADed and its md5-of-md5s ETag compared.
 *
 * Object Lock: the lock headers go on PutObject and CreateMultipartUpload
 * (AWS applies them there).  Ceph RGW (Pacific) ignores them on
 * CreateMultipartUpload, so after CompleteMultipartUpload the HEAD that
 * verifies the object also says whether its lock is there; only when it
 * is not do we PutObjectRetention (and PutObjectLegalHold) with the same
 * retain-until date.  A rerun that finds the object without a lock
 * applies it then.  The multipart upload itself is s3_multipart.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "http.h"
#include "keyfmt.h"
#include "log.h"
#include "s3_body.h"
#include "s3_client.h"
#include "s3_request.h"
#include "s3_xml.h"
#include "sigv4.h"

/* ---------------------------------------------------------------- helpers */

void
s3_client_retain_until(long long now, unsigned days, char out[32])
{
	time_t t = (time_t)(now + (long long)days * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	if (strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

int
s3_client_parse_endpoint(const char *ep, char *scheme, size_t slen,
    char *authority, size_t alen)
{
	const char *p = ep, *end;
	size_t n;

	if (ep == NULL || *ep == '\0')
		return -1;
	if (strncmp(p, "https://", 8) == 0) {
		snprintf(scheme, slen, "https");
		p += 8;
	} else if (strncmp(p, "http://", 7) == 0) {
		snprintf(scheme, slen, "http");
		p += 7;
	} else if (strstr(p, "://") != NULL) {
		return -1;
	} else {
		snprintf(scheme, slen, "https");
	}
	end = p + strcspn(p, "/?#");
	/* Only a bare "/" may follow the authority: a path in the endpoint
	 * would be signed differently from what S3 sees. */
	if (*end != '\0' && strcmp(end, "/") != 0)
		return -1;
	n = (size_t)(end - p);
	if (n == 0 || n >= alen || memchr(p, '@', n) != NULL)
		return -1;
	memcpy(authority, p, n);
	authority[n] = '\0';
	return 0;
}

uint64_t
s3_client_part_size(uint64_t threshold)
{
	if (threshold < S3_PART_MIN)
		return S3_PART_MIN;
	if (threshold > S3_PART_DEFAULT)
		return S3_PART_DEFAULT;
	return threshold;
}

static int
s3_bucket_ok(const char *b)
{
	size_t i, n = strlen(b);

	if (n < 3 || n > 255)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = b[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' ||
		    ch == '_'))
			return 0;
	}
	return 1;
}

struct s3_client *
s3_client_new(const struct s3_settings *st, struct err *e)
{
	struct s3_client *c;
	uint64_t maxbody;
	char ep[300];

	if (st->bucket == NULL || !s3_bucket_ok(st->bucket)) {
		err_set(e, "bucket: not a valid bucket name");
		return NULL;
	}
	if (st->region == NULL || *st->region == '\0') {
		err_set(e, "region: required");
		return NULL;
	}
	if (st->lock_mode != NULL && strcmp(st->lock_mode, "GOVERNANCE") != 0 &&
	    strcmp(st->lock_mode, "COMPLIANCE") != 0) {
		err_set(e, "object_lock_mode: must be GOVERNANCE or COMPLIANCE");
		return NULL;
	}
	if (st->lock_mode != NULL && st->lock_days == 0) {
		err_set(e, "object_lock_retain_days: required with "
		    "object_lock_mode");
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		err_set(e, "out of memory");
		return NULL;
	}
	c->st = *st;
	s3_body_init(&c->kept);
	aws_creds_init(&c->creds);
	if (st->endpoint != NULL && *st->endpoint != '\0') {
		if (s3_client_parse_endpoint(st->endpoint, c->scheme,
		    sizeof(c->scheme), c->authority, sizeof(c->authority)) == -1) {
			err_set(e, "endpoint: not an http(s)://host[:port] URL");
			goto fail;
		}
	} else {
		if (snprintf(ep, sizeof(ep), "s3.%s.amazonaws.com",
		    st->region) >= (int)sizeof(ep) ||
		    s3_client_parse_endpoint(ep, c->scheme, sizeof(c->scheme),
		    c->authority, sizeof(c->authority)) == -1) {
			err_set(e, "region: not a valid region name");
			goto fail;
		}
	}
	/* A dotted bucket name breaks the wildcard certificate of a
	 * virtual-hosted name, so such buckets are addressed path-style
	 * (as the AWS SDKs do). */
	c->path_style = st->path_style ||
	    (strchr(st->bucket, '.') != NULL && strcmp(c->scheme, "https") == 0);
	/* The largest body: a single PUT, or a part. */
	maxbody = st->multipart_threshold;
	if (maxbody > S3_MAX_SINGLE_PUT)
		maxbody = S3_MAX_SINGLE_PUT;
	if (maxbody < s3_client_part_size(st->multipart_threshold))
		maxbody = s3_client_part_size(st->multipart_threshold);
	if (http_store_pair(st->ca_file, st->verify, st->timeout_ms,
	    st->dest_name, maxbody, S3_MIN_RATE, &c->hc, &c->hc_body, e) == -1)
		goto fail;
	return c;
fail:
	s3_client_free(c);
	return NULL;
}

void
s3_client_free(struct s3_client *c)
{
	if (c == NULL)
		return;
	http_client_free(c->hc);
	http_client_free(c->hc_body);
	s3_body_free(&c->kept);
	aws_creds_free(&c->creds);
	free(c);
}

/* Fresh credentials, or a result for the caller to return. */
enum dest_rc
s3_creds(struct s3_client *c, struct err *e)
{
	long long now = (long long)time(NULL);

	if (!aws_creds_stale(&c->creds, now))
		return DEST_OK;
	if (aws_creds_resolve(&c->creds, &c->st.creds, now, e) == -1) {
		/* Temporary credentials that worked before and cannot be
		 * renewed right now: the metadata service may be back soon.
		 * Never having had any is a configuration problem. */
		return c->creds_ever ? DEST_RETRY : DEST_STOP;
	}
	if (!c->creds_ever)
		log_dest(LOG_LVL_DEBUG, c->st.dest_name, "credentials from %s",
		    c->creds.source);
	c->creds_ever = 1;
	return DEST_OK;
}

/* Sign and send one request.  rs receives the answer. */
enum http_rc
s3_send(struct s3_client *c, struct http_rq *r, struct http_response *rs,
    struct err *e)
{
	struct pair sh[HTTP_RQ_MAX_HEADERS + 4];
	struct http_header hh[HTTP_RQ_MAX_HEADERS + 5];
	struct buf path, url, auth;
	struct sigv4_key k;
	struct sigv4_request srq;
	char amzdate[SIGV4_AMZDATE_LEN + 1], host[300];
	char payload[2 * CRYPTO_SHA256_LEN + 1];
	uint8_t h[CRYPTO_SHA256_LEN];
	size_t n, i;
	enum http_rc rc = HTTP_FATAL;

	buf_init(&path, 4 * LIM_KEY + 512);
	buf_init(&url, 4 * LIM_KEY + 1024);
	buf_init(&auth, 2048);
	if (c->path_style) {
		if (snprintf(host, sizeof(host), "%s", c->authority) < 0 ||
		    buf_printf(&path, "/%s%s%s", c->st.bucket,
		    r->key != NULL ? "/" : "", r->key != NULL ? r->key : "") == -1)
			goto toolong;
	} else {
		if (snprintf(host, sizeof(host), "%s.%s", c->st.bucket,
		    c->authority) >= (int)sizeof(host) ||
		    buf_printf(&path, "/%s", r->key != NULL ? r->key : "") == -1)
			goto toolong;
	}
	if (buf_printf(&url, "%s://%s", c->scheme, host) == -1 ||
	    sigv4_uri_encode(&url, path.p, path.len, 1) == -1 ||
	    (r->query != NULL && *r->query != '\0' &&
	    buf_printf(&url, "?%s", r->query) == -1))
		goto toolong;

	if (r->payload_hex != NULL) {
		snprintf(payload, sizeof(payload), "%s", r->payload_hex);
	} else {
		crypto_sha256(r->body != NULL ? r->body : "", r->body_len, h);
		crypto_hex(h, sizeof(h), payload);
	}
	sigv4_amz_date(time(NULL), amzdate);
	n = sigv4_base_headers(sh, host, amzdate, payload,
	    c->creds.token.len > 0 ? c->creds.token.p : NULL);
	for (i = 0; i < r->nh; i++) {
		sh[n].name = r->h[i].name;
		sh[n++].value = r->h[i].value;
	}
	k.access_key = c->creds.access_key.p;
	k.secret_key = c->creds.secret_key.p;
	k.region = c->st.region;
	k.service = "s3";
	srq.method = r->method;
	srq.path = path.p;
	srq.query = r->query;
	srq.headers = sh;
	srq.nheaders = n;
	srq.payload_hash = payload;
	if (sigv4_authorization(&auth, &k, &srq, amzdate, NULL, NULL, e) == -1)
		goto done;
	/* The same headers go on the wire, plus Authorization (secret). */
	for (i = 0; i < n; i++) {
		hh[i].name = sh[i].name;
		hh[i].value = sh[i].value;
		hh[i].secret = strcmp(sh[i].name, "x-amz-security-token") == 0;
	}
	hh[n].name = "Authorization";
	hh[n].value = auth.p;
	hh[n].secret = 1;
	rc = http_rq_do(r->file ? c->hc_body : c->hc, r, url.p, hh, n + 1, rs,
	    e);
	goto done;
toolong:
	err_set(e, "s3: key or URL too long");
done:
	buf_free(&path);
	buf_free(&url);
	buf_free_secret(&auth);
	return rc;
}

static const char *
s3_status_text(long status)
{
	switch (status) {
	case 301: return "Moved Permanently";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "";
	}
}

/* Turn a failed request (transport error or non-2xx) into a result and a
 * message naming the operation, the object and S3's own words. */
enum dest_rc
s3_fail(struct s3_client *c, const char *what, const char *key,
    enum http_rc hrc, const struct http_response *rs, uint64_t *retry_after,
    struct err *e)
{
	struct s3_xml_error x;
	char ra[64], region[64], where[LIM_KEY + 300];
	const char *hint = "";
	long long ms;

	snprintf(where, sizeof(where), "%s s3://%s/%s", what, c->st.bucket,
	    key != NULL ? key : "");
	if (hrc == HTTP_NET_ERROR)
		return DEST_RETRY;	/* http.c's message names the error */
	if (hrc != HTTP_OK)
		return DEST_STOP;
	err_clear(e);
	/* HEAD answers carry no body: name the status instead. */
	if (!s3_xml_error(rs->body.p, rs->body.len, &x))
		snprintf(x.code, sizeof(x.code), "%s", s3_status_text(rs->status));
	switch (s3_xml_classify(rs->status, x.code)) {
	case S3_XML_RETRY:
		if (http_header_get(rs, "Retry-After", ra, sizeof(ra)) &&
		    (ms = http_retry_after_ms(ra, (long long)time(NULL))) >= 0)
			*retry_after = (uint64_t)ms;
		err_set(e, "%s: HTTP %ld %s%s%s", where, rs->status,
		    x.code[0] ? x.code : "", x.message[0] ? ": " : "",
		    x.message);
		return DEST_RETRY;
	case S3_XML_EXPIRED:
		/* A session token given as such (config, env, profile) cannot
		 * be renewed by us: stop and say so. */
		if (c->creds.expires == 0) {
			err_set(e, "%s: %s: the session token from %s has "
			    "expired; renew it", where, x.code, c->creds.source);
			return DEST_STOP;
		}
		/* Temporary credentials ran out early: fetch new ones. */
		c->creds.expires = 1;
		err_set(e, "%s: %s: credentials expired, renewing", where,
		    x.code);
		return DEST_RETRY;
	case S3_XML_CLOCK:
		err_set(e, "%s: HTTP %ld RequestTimeTooSkewed: this machine's "
		    "clock is more than 15 minutes away from S3's; fix the "
		    "clock (NTP)", where, rs->status);
		return DEST_STOP;
	case S3_XML_CREDENTIALS:
		if (strcmp(x.code, "SignatureDoesNotMatch") == 0)
			hint = "the secret access key is wrong (or the clock "
			    "is far off)";
		else if (strcmp(x.code, "InvalidAccessKeyId") == 0)
			hint = "the access key id is unknown to the server";
		else
			hint = "the credentials lack permission for this";
		err_set(e, "%s: HTTP %ld %s: %s (credentials from %s)", where,
		    rs->status, x.code[0] ? x.code : "Forbidden", hint,
		    c->creds.source);
		return DEST_STOP;
	case S3_XML_BUCKET:
		if (http_header_get(rs, "x-amz-bucket-region", region,
		    sizeof(region)))
			err_set(e, "%s: HTTP %ld %s: the bucket is in region "
			    "%s, not %s", where, rs->status, x.code, region,
			    c->st.region);
		else
			err_set(e, "%s: HTTP %ld %s%s%s", where, rs->status,
			    x.code[0] ? x.code : "bucket problem",
			    x.message[0] ? ": " : "", x.message);
		return DEST_STOP;
	case S3_XML_STOP:
		break;
	}
	if (x.code[0] != '\0')
		err_set(e, "%s: HTTP %ld %s%s%s", where, rs->status, x.code,
		    x.message[0] ? ": " : "", x.message);
	else
		err_set(e, "%s: HTTP %ld: %.200s", where, rs->status,
		    rs->body.p != NULL ? rs->body.p : "");
	return DEST_STOP;
}

/* ------------------------------------------------------------ S3 requests */

/* Strip the quotes of an ETag header value in place. */
char *
s3_unquote(char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v[n - 1] = '\0';
		return v + 1;
	}
	return v;
}

/* Is the object rs describes the one b holds?  Our metadata decides when
 * present (it survives a change of compression level); else the ETag. */
int
s3_same(const struct http_response *rs, const struct s3_body *b)
{
	char v[256], md5hex[2 * CRYPTO_MD5_LEN + 1], *etag;

	if (http_header_get(rs, S3_META_SHA256, v, sizeof(v)))
		return strcasecmp(v, b->raw_sha_hex) == 0;
	if (!http_header_get(rs, "ETag", v, sizeof(v)))
		return 0;
	etag = s3_unquote(v);
	crypto_hex(b->md5, sizeof(b->md5), md5hex);
	return strcasecmp(etag, md5hex) == 0 ||
	    strcasecmp(etag, b->mp_etag) == 0;
}

void
s3_b64(const uint8_t *p, size_t n, char *out)
{
	crypto_base64(p, n, out);
}

/* Lock, storage class and encryption headers of every object we store. */
static void
s3_lock_headers(struct s3_client *c, struct http_rq *r, const char *until)
{
	if (c->st.lock_mode != NULL) {
		http_rq_hdr(r, "x-amz-object-lock-mode", "%s", c->st.lock_mode);
		http_rq_hdr(r, "x-amz-object-lock-retain-until-date", "%s", until);
	}
	if (c->st.legal_hold)
		http_rq_hdr(r, "x-amz-object-lock-legal-hold", "ON");
	if (c->st.storage_class != NULL)
		http_rq_hdr(r, "x-amz-storage-class", "%s", c->st.storage_class);
	if (c->st.sse != NULL)
		http_rq_hdr(r, "x-amz-server-side-encryption", "%s", c->st.sse);
	if (c->st.sse_kms_key_id != NULL)
		http_rq_hdr(r, "x-amz-server-side-encryption-aws-kms-key-id", "%s",
		    c->st.sse_kms_key_id);
}

/* Headers shared by PutObject and CreateMultipartUpload. */
void
s3_object_headers(struct s3_client *c, struct http_rq *r, const char *until,
    const struct dest_object *o)
{
	http_rq_hdr(r, "Content-Type", "application/gzip");
	s3_lock_headers(c, r, until);
	http_rq_hdr(r, S3_META_RANGE, "%s %" PRIu64 "-%" PRIu64, o->file->name,
	    o->start, o->end);
}

void
s3_checksum_headers(struct s3_client *c, struct http_rq *r, const uint8_t *md5,
    const uint8_t *sha)
{
	char b64[64];

	if (c->st.checksum_sha256) {
		s3_b64(sha, CRYPTO_SHA256_LEN, b64);
		http_rq_hdr(r, "x-amz-checksum-sha256", "%s", b64);
		/* As the SDKs send it; Object Lock uploads need a checksum. */
		http_rq_hdr(r, "x-amz-sdk-checksum-algorithm", "SHA256");
	} else {
		s3_b64(md5, CRYPTO_MD5_LEN, b64);
		http_rq_hdr(r, "Content-MD5", "%s", b64);
	}
}

/* PutObjectRetention and PutObjectLegalHold (both need Content-MD5). */
/* PUT an XML body to key?subresource (Object Lock calls need Content-MD5). */
static enum dest_rc
s3_put_xml(struct s3_client *c, const char *key, const char *subresource,
    const char *op, const struct buf *body, struct http_response *rs,
    uint64_t *ra, struct err *e)
{
	struct http_rq r;
	uint8_t md5[CRYPTO_MD5_LEN];
	enum http_rc hrc;
	char b64[32];

	crypto_md5(body->p, body->len, md5);
	s3_b64(md5, sizeof(md5), b64);
	http_rq_init(&r, "PUT", key);
	r.query = subresource;
	r.body = body->p;
	r.body_len = body->len;
	http_rq_hdr(&r, "Content-MD5", "%s", b64);
	http_rq_hdr(&r, "Content-Type", "application/xml");
	hrc = s3_send(c, &r, rs, e);
	if (hrc != HTTP_OK || rs->status != 200)
		return s3_fail(c, op, key, hrc, rs, ra, e);
	return DEST_OK;
}

enum dest_rc
s3_apply_lock(struct s3_client *c, const char *key, const char *until,
    struct http_response *rs, uint64_t *ra, struct err *e)
{
	struct buf body;
	enum dest_rc rc = DEST_OK;

	buf_init(&body, 1024);
	if (c->st.lock_mode != NULL) {
		if (s3_xml_retention_body(&body, c->st.lock_mode, until) == -1)
			rc = DEST_STOP;
		else
			rc = s3_put_xml(c, key, "retention", "PutObjectRetention",
			    &body, rs, ra, e);
	}
	if (rc == DEST_OK && c->st.legal_hold) {
		buf_reset(&body);
		if (s3_xml_legal_hold_body(&body, 1) == -1)
			rc = DEST_STOP;
		else
			rc = s3_put_xml(c, key, "legal-hold", "PutObjectLegalHold",
			    &body, rs, ra, e);
	}
	buf_free(&body);
	return rc;
}

/* HEAD key: 1 exists (rs holds the answer), 0 absent or not ours to know,
 * -1 failed (*rc set). */
int
s3_head(struct s3_client *c, const char *key, struct http_response *rs,
    uint64_t *ra, enum dest_rc *rc, struct err *e)
{
	struct http_rq r;
	enum http_rc hrc;

	http_rq_init(&r, "HEAD", key);
	hrc = s3_send(c, &r, rs, e);
	if (hrc == HTTP_OK && rs->status == 200)
		return 1;
	if (hrc == HTTP_OK && rs->status == 404)
		return 0;
	/* Without s3:ListBucket a missing key answers 403, and a write-only
	 * role cannot HEAD at all: we cannot tell, so we go on and let
	 * If-None-Match guard the PUT. */
	if (hrc == HTTP_OK && rs->status == 403)
		return 0;
	*rc = s3_fail(c, "HEAD", key, hrc, rs, ra, e);
	return -1;
}

/* 1 when a HEAD answer shows less Object Lock than configured. */
int
s3_lock_missing(const struct s3_client *c, const struct http_response *head)
{
	char v[64];

	if (c->st.lock_mode != NULL &&
	    !http_header_get(head, "x-amz-object-lock-mode", v, sizeof(v)))
		return 1;
	return c->st.legal_hold &&
	    (!http_header_get(head, "x-amz-object-lock-legal-hold", v,
	    sizeof(v)) || strcasecmp(v, "ON") != 0);
}

/* The object is there and is ours: make sure it is locked as configured. */
static enum dest_rc
s3_found(struct s3_client *c, const char *key, const char *until,
    struct http_response *head, uint64_t *ra, struct err *e)
{
	if (!s3_lock_missing(c, head))
		return DEST_OK;
	log_dest(LOG_LVL_INFO, c->st.dest_name, "s3://%s/%s: applying the "
	    "Object Lock an interrupted upload did not", c->st.bucket, key);
	return s3_apply_lock(c, key, until, head, ra, e);
}

static enum dest_rc
s3_put_single(struct s3_client *c, const struct dest_object *o,
    const char *key, const struct s3_body *b, const char *until,
    struct http_response *rs, uint64_t *ra, int *conflict, struct err *e)
{
	struct http_rq r;
	enum http_rc hrc;
	char sha[2 * CRYPTO_SHA256_LEN + 1], md5hex[2 * CRYPTO_MD5_LEN + 1];
	char v[256], *etag;

	crypto_hex(b->sha, sizeof(b->sha), sha);
	http_rq_init(&r, "PUT", key);
	http_rq_file(&r, b->fd, 0, b->size);
	r.payload_hex = sha;
	s3_object_headers(c, &r, until, o);
	s3_checksum_headers(c, &r, b->md5, b->sha);
	http_rq_hdr(&r, S3_META_SHA256, "%s", b->raw_sha_hex);
	if (c->st.conditional_put)
		http_rq_hdr(&r, "If-None-Match", "*");
	hrc = s3_send(c, &r, rs, e);
	if (hrc == HTTP_OK && rs->status == 412) {
		*conflict = 1;
		return DEST_OK;
	}
	if (hrc != HTTP_OK || rs->status != 200)
		return s3_fail(c, "PUT", key, hrc, rs, ra, e);
	/* SPEC §3.1: acknowledged means the ETag is the MD5 we sent.  With
	 * SSE-KMS the ETag is not an MD5; Content-MD5 was checked instead. */
	crypto_hex(b->md5, sizeof(b->md5), md5hex);
	if (http_header_get(rs, "ETag", v, sizeof(v))) {
		etag = s3_unquote(v);
		if (strlen(etag) == 2 * CRYPTO_MD5_LEN &&
		    (c->st.sse == NULL || strcmp(c->st.sse, "aws:kms") != 0) &&
		    strcasecmp(etag, md5hex) != 0) {
			err_set(e, "PUT s3://%s/%s: stored ETag %s is not the "
			    "MD5 %s of what was sent", c->st.bucket, key, etag,
			    md5hex);
			return DEST_STOP;
		}
	}
	return DEST_OK;
}

enum dest_rc
s3_client_put(struct s3_client *c, const struct dest_object *o,
    uint64_t *retry_after_ms, struct err *e)
{
	struct s3_body b;
	struct http_response rs;
	struct keyfmt_vars kv;
	struct buf key;
	enum dest_rc rc;
	const char *resume = NULL;
	char until[32] = "", id[LIM_PATH + 96];
	int conflict = 0, ex;

	*retry_after_ms = 0;
	id[0] = '\0';
	s3_body_init(&b);
	buf_init(&key, LIM_KEY);
	http_response_init(&rs);
	if ((rc = s3_creds(c, e)) != DEST_OK)
		goto done;
	kv = dest_object_vars(o);
	if (keyfmt_render(&key, c->st.prefix, c->st.key_format, &kv, e) == -1) {
		rc = DEST_STOP;
		goto done;
	}
	if (c->st.lock_mode != NULL)
		s3_client_retain_until((long long)time(NULL), c->st.lock_days,
		    until);

	/* A multipart upload an earlier attempt left open. */
	if (o->note != NULL && strncmp(o->note, "mpu ", 4) == 0 &&
	    o->note[4] != '\0')
		resume = o->note + 4;

	/* The same range as a put() that asked for a retry: reuse its body. */
	if (snprintf(id, sizeof(id), "%s/%s %" PRIu64 "-%" PRIu64 " g%u d%d",
	    o->file->stream_dir, o->file->name, o->start, o->end,
	    o->generation, o->whole_day) >= (int)sizeof(id))
		id[0] = '\0';
	if (c->kept.fd != -1 && id[0] != '\0' && strcmp(id, c->kept_id) == 0) {
		b = c->kept;
		s3_body_init(&c->kept);
	} else {
		s3_body_free(&c->kept);
		if (s3_body_compress(&b, o, c->st.compress_level,
		    s3_client_part_size(c->st.multipart_threshold),
		    c->st.tmp_dir, e) == -1) {
			rc = DEST_RETRY;
			goto done;
		}
	}
	rc = DEST_STOP;
	if ((ex = s3_head(c, key.p, &rs, retry_after_ms, &rc, e)) == -1)
		goto done;
	if (ex == 1) {
		if (!s3_same(&rs, &b)) {
			err_set(e, "s3://%s/%s already exists with other content "
			    "(not written by this range); refusing to write a "
			    "second version", c->st.bucket, key.p);
			rc = DEST_STOP;
			goto done;
		}
		log_dest(LOG_LVL_DEBUG, c->st.dest_name, "s3://%s/%s already "
		    "stored", c->st.bucket, key.p);
		/* Completed just before a crash: the noted upload is gone,
		 * or a leftover to abort. */
		if (resume != NULL) {
			if ((rc = s3_abort(c, key.p, resume, o, &rs, e)) !=
			    DEST_OK)
				goto done;
			rc = DEST_RETRY;
			if ((ex = s3_head(c, key.p, &rs, retry_after_ms, &rc,
			    e)) != 1) {
				if (ex == 0)
					err_set(e, "s3://%s/%s vanished",
					    c->st.bucket, key.p);
				goto done;
			}
		}
		rc = s3_found(c, key.p, until, &rs, retry_after_ms, e);
		goto done;
	}
	if (b.size <= c->st.multipart_threshold && b.size <= S3_MAX_SINGLE_PUT) {
		/* Settings changed since the noted upload began. */
		if (resume != NULL &&
		    (rc = s3_abort(c, key.p, resume, o, &rs, e)) != DEST_OK)
			goto done;
		rc = s3_put_single(c, o, key.p, &b, until, &rs, retry_after_ms,
		    &conflict, e);
	} else {
		rc = s3_put_multipart(c, o, key.p, &b, until, &rs,
		    retry_after_ms, &conflict, resume, e);
	}
	if (rc == DEST_OK && conflict) {
		/* 412: the key exists.  Commit only when it is ours. */
		if ((ex = s3_head(c, key.p, &rs, retry_after_ms, &rc, e)) == -1)
			goto done;
		if (ex == 0 || !s3_same(&rs, &b)) {
			err_set(e, "s3://%s/%s: PUT answered 412 (the key exists) "
			    "and the stored object is not this range's",
			    c->st.bucket, key.p);
			rc = DEST_STOP;
			goto done;
		}
		rc = s3_found(c, key.p, until, &rs, retry_after_ms, e);
	}
	if (rc == DEST_OK && o->stored != NULL) {
		/* For the day's seal (SPEC §7): the stored bytes are the gzip
		 * stream b holds, in one PUT or in parts. */
		snprintf(o->stored->key, sizeof(o->stored->key), "%s", key.p);
		crypto_hex(b.sha, sizeof(b.sha), o->stored->sha256);
	}
	if (rc == DEST_OK)
		log_dest(LOG_LVL_DEBUG, c->st.dest_name, "stored s3://%s/%s: "
		    "%" PRIu64 " bytes of input, %" PRIu64 " gzip, %s", c->st.bucket,
		    key.p, o->end - o->start, b.size,
		    b.size > c->st.multipart_threshold ? b.mp_etag : "one PUT");
done:
	if (rc == DEST_RETRY && b.fd != -1 && id[0] != '\0') {
		c->kept = b;
		snprintf(c->kept_id, sizeof(c->kept_id), "%s", id);
	} else {
		s3_body_free(&b);
	}
	http_response_free(&rs);
	buf_free(&key);
	return rc;
}

/* Is the seal at HEAD rs the one we hold (its SHA-256 in our metadata)? */
static int
s3_seal_same(const struct http_response *rs, const char *sha_hex)
{
	char v[256];

	return http_header_get(rs, S3_META_SHA256, v, sizeof(v)) &&
	    strcasecmp(v, sha_hex) == 0;
}

enum dest_rc
s3_client_put_seal(struct s3_client *c, const struct dest_file *f,
    unsigned seq, const void *p, size_t n, struct dest_stored *stored,
    uint64_t *retry_after_ms, struct err *e)
{
	struct http_response rs;
	struct keyfmt_vars kv;
	struct buf key;
	struct http_rq r;
	enum http_rc hrc;
	enum dest_rc rc;
	uint8_t md5[CRYPTO_MD5_LEN], sha[CRYPTO_SHA256_LEN];
	char until[32] = "", shahex[2 * CRYPTO_SHA256_LEN + 1];
	int ex, tries;

	*retry_after_ms = 0;
	buf_init(&key, LIM_KEY);
	http_response_init(&rs);
	if ((rc = s3_creds(c, e)) != DEST_OK)
		goto done;
	memset(&kv, 0, sizeof(kv));
	kv.host = f->host;
	kv.user = f->user;
	kv.date = f->date;
	if (keyfmt_seal_key(&key, c->st.prefix, c->st.key_format, &kv, seq, e) == -1) {
		rc = DEST_STOP;
		goto done;
	}
	if (c->st.lock_mode != NULL)
		s3_client_retain_until((long long)time(NULL), c->st.lock_days,
		    until);
	crypto_md5(p, n, md5);
	crypto_sha256(p, n, sha);
	crypto_hex(sha, sizeof(sha), shahex);
	for (tries = 0; tries < 2; tries++) {
		/* Already there (a crashed run uploaded it): ours, or never
		 * replaced. */
		rc = DEST_STOP;
		if ((ex = s3_head(c, key.p, &rs, retry_after_ms, &rc, e)) == -1)
			goto done;
		if (ex == 1) {
			if (!s3_seal_same(&rs, shahex)) {
				err_set(e, "s3://%s/%s exists with other content: a "
				    "seal is never replaced", c->st.bucket, key.p);
				rc = DEST_STOP;
				goto done;
			}
			rc = s3_found(c, key.p, until, &rs, retry_after_ms, e);
			goto done;
		}
		http_rq_init(&r, "PUT", key.p);
		r.body = p;
		r.body_len = n;
		r.payload_hex = shahex;
		http_rq_hdr(&r, "Content-Type", "text/plain; charset=utf-8");
		s3_lock_headers(c, &r, until);
		s3_checksum_headers(c, &r, md5, sha);
		http_rq_hdr(&r, S3_META_SHA256, "%s", shahex);
		if (c->st.conditional_put)
			http_rq_hdr(&r, "If-None-Match", "*");
		hrc = s3_send(c, &r, &rs, e);
		if (hrc == HTTP_OK && rs.status == 412)
			continue;	/* someone stored it meanwhile: compare */
		if (hrc != HTTP_OK || rs.status != 200) {
			rc = s3_fail(c, "PUT", key.p, hrc, &rs, retry_after_ms, e);
			goto done;
		}
		rc = DEST_OK;
		goto done;
	}
	err_set(e, "s3://%s/%s: PUT answered 412 but HEAD finds no object",
	    c->st.bucket, key.p);
	rc = DEST_RETRY;
done:
	if (rc == DEST_OK && stored != NULL) {
		snprintf(stored->key, sizeof(stored->key), "%s", key.p);
		memcpy(stored->sha256, shahex, sizeof(shahex));
	}
	http_response_free(&rs);
	buf_free(&key);
	return rc;
}

int
s3_client_probe(struct s3_client *c, struct err *e)
{
	struct http_response rs;
	struct s3_xml_lock lk;
	struct http_rq r;
	enum http_rc hrc;
	uint64_t ra = 0;
	int rc = -1;

	http_response_init(&rs);
	if (s3_creds(c, e) != DEST_OK)
		goto done;
	http_rq_init(&r, "HEAD", NULL);
	hrc = s3_send(c, &r, &rs, e);
	if (hrc != HTTP_OK || rs.status != 200) {
		if (hrc == HTTP_OK && rs.status == 404)
			err_set(e, "HEAD s3://%s: no such bucket", c->st.bucket);
		else
			(void)s3_fail(c, "HEAD bucket", NULL, hrc, &rs, &ra, e);
		goto done;
	}
	http_rq_init(&r, "GET", NULL);
	r.query = "object-lock";
	hrc = s3_send(c, &r, &rs, e);
	if (hrc == HTTP_OK && rs.status == 200 &&
	    s3_xml_lock_config(rs.body.p, rs.body.len, &lk) == 0 && lk.enabled) {
		if (lk.mode[0] != '\0')
			log_dest(LOG_LVL_INFO, c->st.dest_name, "bucket %s: "
			    "Object Lock enabled, default retention %s %lu "
			    "days", c->st.bucket, lk.mode, lk.days);
		else
			log_dest(LOG_LVL_INFO, c->st.dest_name, "bucket %s: "
			    "Object Lock enabled, no default retention",
			    c->st.bucket);
	} else if (hrc == HTTP_OK && (rs.status == 404 || rs.status == 200)) {
		log_dest(LOG_LVL_INFO, c->st.dest_name, "bucket %s: Object "
		    "Lock not enabled", c->st.bucket);
		if (c->st.lock_mode != NULL) {
			err_set(e, "bucket %s has no Object Lock, but "
			    "object_lock_mode = %s", c->st.bucket,
			    c->st.lock_mode);
			goto done;
		}
	} else if (hrc == HTTP_OK && rs.status == 403) {
		log_dest(LOG_LVL_INFO, c->st.dest_name, "bucket %s: reachable; "
		    "not permitted to read its Object Lock configuration",
		    c->st.bucket);
	} else {
		(void)s3_fail(c, "GET ?object-lock", NULL, hrc, &rs, &ra, e);
		goto done;
	}
	rc = 0;
done:
	http_response_free(&rs);
	return rc;
}
