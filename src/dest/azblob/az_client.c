/*
 * az_client.c - Azure Blob Storage requests and crash-proof uploads of
 * byte ranges (the azblob destination; SPEC §3.1, §3.4, §3.5; see
 * az_client.h).
 *
 * An upload goes in four steps, each restartable, as the s3 destination's:
 *  1. compress the range into an unlinked temp file (s3_body.c, shared
 *     with s3), hashing as it goes: SHA-256 of the raw bytes (kept as blob
 *     metadata, so a rerun recognises its blob whatever the compression
 *     level) and MD5 of the whole gzip stream and of every block.
 *  2. Get Blob Properties on the name.  After a crash the engine hands us
 *     the same range, so a blob already there with our metadata or our
 *     Content-MD5 is the one an earlier attempt stored: done (once its
 *     immutability is as configured).  A different blob: stop, never
 *     overwrite.
 *  3. Put Blob up to block_threshold, else Put Block per block and Put
 *     Block List.  Block ids are derived from the block's index and MD5,
 *     so a restarted run asks Get Block List which uncommitted blocks the
 *     service already holds and sends only the others; a note ("blocks")
 *     saved before the first block tells it to ask.  Every body carries
 *     Content-MD5 (the service rejects a mismatch) and the MD5 the answer
 *     echoes is compared; the committing request carries If-None-Match: *
 *     so a retry never replaces a blob (409 BlobAlreadyExists or 412: get
 *     its properties, and commit when it is ours).
 *  4. Immutability: x-ms-immutability-policy-until-date/-mode and
 *     x-ms-legal-hold go on Put Blob and Put Block List, so the blob never
 *     exists unprotected.  With either configured, Get Blob Properties
 *     then reads them back; a blob found without them (an earlier attempt
 *     interrupted, a service that dropped the headers) gets them set with
 *     ?comp=immutabilityPolicies and ?comp=legalhold.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <unistd.h>

#include "az_client.h"
#include "az_sharedkey.h"
#include "crypto.h"
#include "http.h"
#include "keyfmt.h"
#include "log.h"
#include "s3_body.h"
#include "s3_xml.h"
#include "sigv4.h"

struct az_client {
	struct az_settings st;
	char		 scheme[8];
	char		 authority[256];
	char		 base[256];	/* "" or "/account" for emulators */
	uint64_t	 block_size;
	struct http_client *hc;		/* requests without a large body */
	struct http_client *hc_body;	/* Put Blob and Put Block */
};


/* ---------------------------------------------------------------- helpers */

int
az_client_parse_endpoint(const char *ep, char *scheme, size_t slen,
    char *authority, size_t alen, char *base, size_t blen)
{
	const char *p, *end;
	size_t n;

	if (ep == NULL)
		return -1;
	if (strncmp(ep, "https://", 8) == 0) {
		snprintf(scheme, slen, "https");
		p = ep + 8;
	} else if (strncmp(ep, "http://", 7) == 0) {
		snprintf(scheme, slen, "http");
		p = ep + 7;
	} else {
		return -1;
	}
	if (strpbrk(p, "?#@") != NULL)
		return -1;
	end = p + strcspn(p, "/");
	n = (size_t)(end - p);
	if (n == 0 || n >= alen)
		return -1;
	memcpy(authority, p, n);
	authority[n] = '\0';
	n = strlen(end);
	while (n > 0 && end[n - 1] == '/')
		n--;
	if (n >= blen)
		return -1;
	memcpy(base, end, n);
	base[n] = '\0';
	return 0;
}

void
az_client_block_id(size_t i, const uint8_t md5[16], char out[64])
{
	char raw[48], hex[33];
	int n;

	crypto_hex(md5, 16, hex);
	n = snprintf(raw, sizeof(raw), "%05zu-%s", i % 100000, hex);
	crypto_base64((const uint8_t *)raw, (size_t)n, out);
}

void
az_client_until(time_t now, unsigned days, char out[32])
{
	char d[AZ_SHAREDKEY_DATE_LEN + 1];

	az_sharedkey_date(now + (time_t)days * 86400, d);
	snprintf(out, 32, "%s", d);
}

void
az_client_error_code(const struct http_response *rs, char *out, size_t cap)
{
	struct s3_xml_error x;

	out[0] = '\0';
	if (http_header_get(rs, "x-ms-error-code", out, cap) && out[0] != '\0')
		return;
	/* Azure's <Error><Code>..</Code><Message>..</Message></Error> is
	 * the shape S3 uses: the same finder reads both. */
	if (rs->body.p != NULL && s3_xml_error(rs->body.p, rs->body.len, &x))
		snprintf(out, cap, "%s", x.code);
}

enum dest_rc
az_client_classify(long status, const char *code)
{
	if (strcmp(code, "ServerBusy") == 0 ||
	    strcmp(code, "OperationTimedOut") == 0 ||
	    strcmp(code, "InternalError") == 0)
		return DEST_RETRY;
	if (status == 408 || status == 429 || status >= 500)
		return DEST_RETRY;
	return DEST_STOP;
}

struct az_client *
az_client_new(const struct az_settings *st, struct err *e)
{
	struct az_client *c;
	char ep[320];
	uint64_t maxbody;

	/* dest_azblob.c's check() validated names, the endpoint and the
	 * key combinations; a direct caller gets the same refusals. */
	if (st->account == NULL || st->container == NULL) {
		err_set(e, "account and container are required");
		return NULL;
	}
	if ((st->key == NULL) == (st->sas == NULL)) {
		err_set(e, "account_key: one of account_key (or _env/_file) "
		    "and sas_token (or _env/_file) is required");
		return NULL;
	}
	if (st->immutability_mode != NULL && st->immutability_days == 0) {
		err_set(e, "immutability_days: required with immutability_mode");
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		err_set(e, "out of memory");
		return NULL;
	}
	c->st = *st;
	if (st->endpoint != NULL) {
		if (az_client_parse_endpoint(st->endpoint, c->scheme,
		    sizeof(c->scheme), c->authority, sizeof(c->authority),
		    c->base, sizeof(c->base)) == -1) {
			err_set(e, "endpoint: not an http(s)://host[:port][/path] "
			    "URL");
			goto fail;
		}
	} else {
		snprintf(ep, sizeof(ep), "https://%s.blob.core.windows.net",
		    st->account);
		(void)az_client_parse_endpoint(ep, c->scheme, sizeof(c->scheme),
		    c->authority, sizeof(c->authority), c->base,
		    sizeof(c->base));
	}
	c->block_size = st->block_threshold;
	if (c->block_size < AZ_BLOCK_MIN)
		c->block_size = AZ_BLOCK_MIN;
	if (c->block_size > AZ_BLOCK_MAX)
		c->block_size = AZ_BLOCK_MAX;
	/* The largest body: a Put Blob, or a block. */
	maxbody = st->block_threshold > AZ_MAX_SINGLE_PUT ? AZ_MAX_SINGLE_PUT :
	    st->block_threshold;
	if (maxbody < c->block_size)
		maxbody = c->block_size;
	if (http_store_pair(st->ca_file, st->verify, st->timeout_ms,
	    st->dest_name, maxbody, AZ_MIN_RATE, &c->hc, &c->hc_body, e) == -1)
		goto fail;
	return c;
fail:
	az_client_free(c);
	return NULL;
}

void
az_client_free(struct az_client *c)
{
	if (c == NULL)
		return;
	http_client_free(c->hc);
	http_client_free(c->hc_body);
	free(c);
}

/* Sign (or SAS-authorize) and send one request; rs gets the answer. */
static enum http_rc
az_send(struct az_client *c, struct http_rq *r, struct http_response *rs,
    struct err *e)
{
	struct pair sh[HTTP_RQ_MAX_HEADERS + 4];
	struct http_header hh[HTTP_RQ_MAX_HEADERS + 4];
	struct buf path, query, url, auth;
	struct az_request ar;
	char date[AZ_SHAREDKEY_DATE_LEN + 1], clen[24];
	size_t n = 0, i;
	uint64_t blen;
	enum http_rc rc = HTTP_FATAL;

	buf_init(&path, 4 * LIM_KEY + 512);
	buf_init(&query, 8192);
	buf_init(&url, 4 * LIM_KEY + 9000);
	buf_init(&auth, 512);
	if (buf_printf(&path, "%s/%s", c->base, c->st.container) == -1 ||
	    (r->key != NULL && (buf_addc(&path, '/') == -1 ||
	    sigv4_uri_encode(&path, r->key, strlen(r->key), 1) == -1)))
		goto toolong;
	if (c->st.sas != NULL) {
		if (az_sas_query(&query, r->query, c->st.sas) == -1)
			goto toolong;
	} else if (r->query != NULL && buf_adds(&query, r->query) == -1) {
		goto toolong;
	}
	if (buf_printf(&url, "%s://%s%s%s%s", c->scheme, c->authority, path.p,
	    query.len > 0 ? "?" : "", query.p != NULL ? query.p : "") == -1)
		goto toolong;

	az_sharedkey_date(time(NULL), date);
	sh[n].name = "x-ms-date";
	sh[n++].value = date;
	sh[n].name = "x-ms-version";
	sh[n++].value = AZ_VERSION;
	for (i = 0; i < r->nh; i++) {
		sh[n].name = r->h[i].name;
		sh[n++].value = r->h[i].value;
	}
	for (i = 0; i < n; i++) {
		hh[i].name = sh[i].name;
		hh[i].value = sh[i].value;
		hh[i].secret = 0;
	}
	if (c->st.key != NULL) {
		/* curl sends Content-Length itself for PUT and POST; it is
		 * signed all the same. */
		blen = r->file ? r->len : r->body_len;
		snprintf(clen, sizeof(clen), "%" PRIu64, blen);
		sh[n].name = "Content-Length";
		sh[n].value = strcmp(r->method, "PUT") == 0 ||
		    strcmp(r->method, "POST") == 0 ? clen : "";
		ar.method = r->method;
		ar.path = path.p;
		ar.query = r->query;
		ar.headers = sh;
		ar.nheaders = n + 1;
		if (az_sharedkey_authorization(&auth, c->st.account, c->st.key,
		    c->st.klen, &ar, e) == -1)
			goto done;
		hh[n].name = "Authorization";
		hh[n].value = auth.p;
		hh[n].secret = 1;
		n++;
	}
	rc = http_rq_do(r->file || r->resp_sink != NULL ? c->hc_body : c->hc,
	    r, url.p, hh, n, rs, e);
	goto done;
toolong:
	err_set(e, "azblob: blob name or URL too long");
done:
	buf_free(&path);
	buf_free(&query);
	buf_free(&url);
	buf_free_secret(&auth);
	return rc;
}

/* Turn a failed request into a result and a message naming the
 * operation, the blob, and Azure's error code. */
static enum dest_rc
az_fail(struct az_client *c, const char *what, const char *key,
    enum http_rc hrc, const struct http_response *rs, uint64_t *ra,
    struct err *e)
{
	struct s3_xml_error x;
	char code[96], where[LIM_KEY + 300];
	const char *hint = "";
	enum dest_rc rc;
	uint64_t after = 0;

	snprintf(where, sizeof(where), "%s azblob://%s/%s/%s", what,
	    c->st.account, c->st.container, key != NULL ? key : "");
	/* The shared mapping: transport errors, 408/429/5xx with
	 * Retry-After.  One object cannot be split, and a 2xx we did not
	 * expect is no acknowledgement: both stop here. */
	rc = dest_http_rc((int)hrc, rs, &after);
	if (hrc != HTTP_OK)
		return rc;	/* http.c's message names the error */
	if (rc == DEST_SPLIT || rc == DEST_OK)
		rc = DEST_STOP;
	err_clear(e);
	az_client_error_code(rs, code, sizeof(code));
	memset(&x, 0, sizeof(x));
	if (rs->body.p != NULL)
		(void)s3_xml_error(rs->body.p, rs->body.len, &x);
	if (az_client_classify(rs->status, code) == DEST_RETRY)
		rc = DEST_RETRY;
	if (rc == DEST_RETRY) {
		if (ra != NULL)
			*ra = after;
	} else if (rs->status == 401 || rs->status == 403) {
		/* Azure answers a bad signature AuthenticationFailed;
		 * Azurite's HEAD answers say AuthorizationFailure. */
		if (strcmp(code, "AuthenticationFailed") == 0)
			hint = c->st.sas != NULL ? ": the SAS token is wrong "
			    "or expired" : ": the account key is wrong (or "
			    "the clock is far off)";
		else
			hint = c->st.sas != NULL ? ": the SAS token is wrong, "
			    "expired, or lacks permission for this" :
			    ": the account key is wrong, or lacks permission "
			    "for this";
	} else if (strcmp(code, "ContainerNotFound") == 0) {
		hint = ": create the container first";
	} else if (strcmp(code, "BlobImmutableDueToPolicy") == 0) {
		hint = ": the blob is under an immutability policy";
	}
	/* SPEC §3.5: a 400 reports the first 200 bytes of the answer. */
	if (code[0] == '\0' && rs->body.len > 0)
		err_set(e, "%s: HTTP %ld: %.200s", where, rs->status,
		    rs->body.p);
	else
		err_set(e, "%s: HTTP %ld %s%s%s%.200s", where, rs->status,
		    code[0] ? code : "(no error code)", hint,
		    x.message[0] ? ": " : "", x.message);
	return rc;
}

/* ------------------------------------------------------------- requests */

/* Does the blob rs describes report Content-MD5 md5? */
static int
az_md5_is(const struct http_response *rs, const uint8_t md5[16])
{
	char v[64], want[32];

	crypto_base64(md5, 16, want);
	return http_header_get(rs, "Content-MD5", v, sizeof(v)) &&
	    strcmp(v, want) == 0;
}

/* Is the blob rs describes the one b holds?  Our metadata decides when
 * present (it survives a change of compression level); else Content-MD5. */
static int
az_same(const struct http_response *rs, const struct s3_body *b)
{
	char v[256], md5[32];

	if (http_header_get(rs, AZ_META_SHA256, v, sizeof(v)))
		return strcasecmp(v, b->raw_sha_hex) == 0;
	if (!http_header_get(rs, "Content-MD5", v, sizeof(v)))
		return 0;
	crypto_base64(b->md5, sizeof(b->md5), md5);
	return strcmp(v, md5) == 0;
}

/* Get Blob Properties: 1 exists (rs holds it), 0 absent or not ours to
 * know (403 with a write-only SAS), -1 failed (*rc set). */
static int
az_head(struct az_client *c, const char *key, struct http_response *rs,
    uint64_t *ra, enum dest_rc *rc, struct err *e)
{
	struct http_rq r;
	enum http_rc hrc;

	http_rq_init(&r, "HEAD", key);
	hrc = az_send(c, &r, rs, e);
	if (hrc == HTTP_OK && rs->status == 200)
		return 1;
	if (hrc == HTTP_OK && rs->status == 404) {
		char code[64];

		az_client_error_code(rs, code, sizeof(code));
		if (strcmp(code, "ContainerNotFound") != 0)
			return 0;
	}
	if (hrc == HTTP_OK && rs->status == 403 && c->st.sas != NULL)
		return 0;	/* If-None-Match guards the upload */
	*rc = az_fail(c, "Get Blob Properties", key, hrc, rs, ra, e);
	return -1;
}

static const char *
az_mode_name(const char *mode)
{
	return strcmp(mode, "locked") == 0 ? "Locked" : "Unlocked";
}

/* Headers every committing upload carries: metadata (b and o NULL for a
 * seal), the immutability policy and legal hold, If-None-Match. */
static void
az_blob_headers(struct az_client *c, struct http_rq *r, const char *until,
    const struct dest_object *o, const struct s3_body *b)
{
	if (c->st.immutability_mode != NULL) {
		http_rq_hdr(r, "x-ms-immutability-policy-until-date", "%s", until);
		http_rq_hdr(r, "x-ms-immutability-policy-mode", "%s",
		    az_mode_name(c->st.immutability_mode));
	}
	if (c->st.legal_hold)
		http_rq_hdr(r, "x-ms-legal-hold", "true");
	if (b != NULL)
		http_rq_hdr(r, AZ_META_SHA256, "%s", b->raw_sha_hex);
	if (o != NULL)
		http_rq_hdr(r, AZ_META_RANGE, "%s %" PRIu64 "-%" PRIu64,
		    o->file->name, o->start, o->end);
	/* SPEC §3.1: a retry never replaces a blob. */
	http_rq_hdr(r, "If-None-Match", "*");
}

/* Set Blob Immutability Policy and Set Blob Legal Hold on a blob found
 * without them. */
static enum dest_rc
az_apply_policy(struct az_client *c, const char *key, const char *until,
    int policy, int hold, struct http_response *rs, uint64_t *ra,
    struct err *e)
{
	struct http_rq r;
	enum http_rc hrc;

	if (policy) {
		http_rq_init(&r, "PUT", key);
		r.query = "comp=immutabilityPolicies";
		http_rq_hdr(&r, "x-ms-immutability-policy-until-date", "%s", until);
		http_rq_hdr(&r, "x-ms-immutability-policy-mode", "%s",
		    az_mode_name(c->st.immutability_mode));
		hrc = az_send(c, &r, rs, e);
		if (hrc != HTTP_OK || rs->status != 200)
			return az_fail(c, "Set Blob Immutability Policy", key,
			    hrc, rs, ra, e);
	}
	if (hold) {
		http_rq_init(&r, "PUT", key);
		r.query = "comp=legalhold";
		http_rq_hdr(&r, "x-ms-legal-hold", "true");
		hrc = az_send(c, &r, rs, e);
		if (hrc != HTTP_OK || rs->status != 200)
			return az_fail(c, "Set Blob Legal Hold", key, hrc, rs,
			    ra, e);
	}
	return DEST_OK;
}

/* The blob (properties in rs) is ours: make sure its immutability is as
 * configured, setting what is missing, then read it back. */
static enum dest_rc
az_check_policy(struct az_client *c, const char *key, const char *until,
    struct http_response *rs, uint64_t *ra, struct err *e)
{
	char v[64];
	int policy = 0, hold = 0, ex;
	enum dest_rc rc = DEST_STOP;

	/* A policy already stricter than asked (Locked for unlocked) is
	 * kept; a missing one, or Unlocked where locked is asked, is set. */
	if (c->st.immutability_mode != NULL) {
		if (!http_header_get(rs, "x-ms-immutability-policy-mode", v,
		    sizeof(v)))
			policy = 1;
		else if (strcmp(c->st.immutability_mode, "locked") == 0 &&
		    strcasecmp(v, "locked") != 0)
			policy = 1;
	}
	if (c->st.legal_hold && (!http_header_get(rs, "x-ms-legal-hold", v,
	    sizeof(v)) || strcasecmp(v, "true") != 0))
		hold = 1;
	if (!policy && !hold)
		return DEST_OK;
	log_dest(LOG_LVL_INFO, c->st.dest_name, "azblob://%s/%s/%s: setting "
	    "the %s%s%s the upload did not carry", c->st.account,
	    c->st.container, key, policy ? "immutability policy" : "",
	    policy && hold ? " and " : "", hold ? "legal hold" : "");
	if ((rc = az_apply_policy(c, key, until, policy, hold, rs, ra, e)) !=
	    DEST_OK)
		return rc;
	if ((ex = az_head(c, key, rs, ra, &rc, e)) != 1) {
		if (ex == 0) {
			err_set(e, "azblob://%s/%s/%s vanished", c->st.account,
			    c->st.container, key);
			rc = DEST_RETRY;
		}
		return rc;
	}
	if (c->st.immutability_mode != NULL &&
	    !http_header_get(rs, "x-ms-immutability-policy-mode", v, sizeof(v))) {
		err_set(e, "azblob://%s/%s/%s: the service accepted the "
		    "immutability policy but does not report one; is "
		    "version-level immutability enabled on the container?",
		    c->st.account, c->st.container, key);
		return DEST_STOP;
	}
	return DEST_OK;
}

/* Compare the Content-MD5 an answer echoes with what we sent. */
static int
az_md5_echo_ok(const struct http_response *rs, const uint8_t md5[16])
{
	char v[64], want[32];

	if (!http_header_get(rs, "Content-MD5", v, sizeof(v)))
		return 1;	/* not echoed: the request's MD5 was checked */
	crypto_base64(md5, 16, want);
	return strcmp(v, want) == 0;
}

/* A committing request's answer saying the blob is already there (an
 * earlier attempt's, or another's: If-None-Match: *). */
static int
az_conflict(const struct http_response *rs)
{
	char code[64];

	if (rs->status == 412)
		return 1;
	if (rs->status != 409)
		return 0;
	az_client_error_code(rs, code, sizeof(code));
	return strcmp(code, "BlobAlreadyExists") == 0;
}

static enum dest_rc
az_put_blob(struct az_client *c, const struct dest_object *o, const char *key,
    const struct s3_body *b, const char *until, struct http_response *rs,
    uint64_t *ra, int *conflict, struct err *e)
{
	struct http_rq r;
	enum http_rc hrc;
	char md5[32];

	crypto_base64(b->md5, sizeof(b->md5), md5);
	http_rq_init(&r, "PUT", key);
	http_rq_file(&r, b->fd, 0, b->size);
	http_rq_hdr(&r, "x-ms-blob-type", "BlockBlob");
	http_rq_hdr(&r, "Content-Type", "application/gzip");
	http_rq_hdr(&r, "Content-MD5", "%s", md5);
	az_blob_headers(c, &r, until, o, b);
	hrc = az_send(c, &r, rs, e);
	if (hrc == HTTP_OK && az_conflict(rs)) {
		*conflict = 1;
		return DEST_OK;
	}
	if (hrc != HTTP_OK || rs->status != 201)
		return az_fail(c, "Put Blob", key, hrc, rs, ra, e);
	if (!az_md5_echo_ok(rs, b->md5)) {
		err_set(e, "Put Blob azblob://%s/%s/%s: the stored Content-MD5 "
		    "is not the MD5 of what was sent", c->st.account,
		    c->st.container, key);
		return DEST_STOP;
	}
	return DEST_OK;
}

/* Which blocks of b the service already holds uncommitted (Get Block
 * List): have[i] set for block i.  0, or -1 with *rc set. */
static int
az_block_list(struct az_client *c, const char *key, const struct s3_body *b,
    unsigned char *have, struct http_response *rs, uint64_t *ra,
    enum dest_rc *rc, struct err *e)
{
	struct http_rq r;
	struct buf name;
	enum http_rc hrc;
	const char *p, *end, *q;
	char id[64];
	size_t i;

	http_rq_init(&r, "GET", key);
	r.query = "comp=blocklist&blocklisttype=uncommitted";
	hrc = az_send(c, &r, rs, e);
	if (hrc == HTTP_OK && rs->status == 404)
		return 0;	/* nothing there yet */
	if (hrc != HTTP_OK || rs->status != 200) {
		*rc = az_fail(c, "Get Block List", key, hrc, rs, ra, e);
		return -1;
	}
	buf_init(&name, 128);
	p = rs->body.p != NULL ? rs->body.p : "";
	end = p + rs->body.len;
	/* Each <Block><Name>id</Name><Size>n</Size></Block>: a block whose
	 * id is ours carries our MD5 (the id is derived from it and the
	 * service checked Content-MD5 when it took the block). */
	while ((q = memmem(p, (size_t)(end - p), "<Name>", 6)) != NULL) {
		buf_reset(&name);
		if (s3_xml_text(q, (size_t)(end - q), "Name", &name) != 1)
			break;
		for (i = 0; i < b->nparts; i++) {
			az_client_block_id(i, b->parts[i].md5, id);
			if (strcmp(id, name.p) == 0)
				have[i] = 1;
		}
		p = q + 6;
	}
	buf_free(&name);
	return 0;
}

static enum dest_rc
az_put_blocks(struct az_client *c, const struct dest_object *o,
    const char *key, const struct s3_body *b, const char *until,
    struct http_response *rs, uint64_t *ra, int *conflict, struct err *e)
{
	unsigned char *have = NULL;
	struct http_rq r;
	struct buf q, body;
	enum http_rc hrc;
	enum dest_rc rc = DEST_STOP;
	char id[64], md5[32];
	size_t i, reused = 0;

	buf_init(&q, 256);
	buf_init(&body, b->nparts * 80 + 128);
	if ((have = calloc(b->nparts ? b->nparts : 1, 1)) == NULL) {
		err_set(e, "out of memory");
		goto done;
	}
	/* An earlier attempt put blocks up: ask which the service kept. */
	if (o->note != NULL && strcmp(o->note, "blocks") == 0) {
		if (az_block_list(c, key, b, have, rs, ra, &rc, e) == -1)
			goto done;
	} else if (o->note_save != NULL &&
	    o->note_save(o->ctx, "blocks", e) == -1) {
		rc = DEST_RETRY;
		goto done;
	}
	for (i = 0; i < b->nparts; i++) {
		if (have[i]) {
			reused++;
			s3_body_acked(b, o, i);
			continue;
		}
		az_client_block_id(i, b->parts[i].md5, id);
		buf_reset(&q);
		if (buf_adds(&q, "comp=block&blockid=") == -1 ||
		    sigv4_uri_encode(&q, id, strlen(id), 0) == -1)
			goto done;
		crypto_base64(b->parts[i].md5, CRYPTO_MD5_LEN, md5);
		http_rq_init(&r, "PUT", key);
		r.query = q.p;
		http_rq_file(&r, b->fd, b->parts[i].off, b->parts[i].len);
		http_rq_hdr(&r, "Content-MD5", "%s", md5);
		hrc = az_send(c, &r, rs, e);
		if (hrc != HTTP_OK || rs->status != 201) {
			rc = az_fail(c, "Put Block", key, hrc, rs, ra, e);
			goto done;
		}
		if (!az_md5_echo_ok(rs, b->parts[i].md5)) {
			err_set(e, "Put Block %zu of azblob://%s/%s/%s: the "
			    "Content-MD5 answered is not the block's", i,
			    c->st.account, c->st.container, key);
			rc = DEST_RETRY;
			goto done;
		}
		s3_body_acked(b, o, i);
	}
	if (reused > 0)
		log_dest(LOG_LVL_INFO, c->st.dest_name, "azblob://%s/%s/%s: "
		    "resumed, %zu of %zu blocks already there", c->st.account,
		    c->st.container, key, reused, b->nparts);

	if (buf_adds(&body, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	    "<BlockList>") == -1)
		goto done;
	for (i = 0; i < b->nparts; i++) {
		az_client_block_id(i, b->parts[i].md5, id);
		if (buf_printf(&body, "<Latest>%s</Latest>", id) == -1)
			goto done;
	}
	if (buf_adds(&body, "</BlockList>") == -1)
		goto done;
	{
		uint8_t bm[CRYPTO_MD5_LEN];

		crypto_md5(body.p, body.len, bm);
		crypto_base64(bm, sizeof(bm), md5);
	}
	http_rq_init(&r, "PUT", key);
	r.query = "comp=blocklist";
	r.body = body.p;
	r.body_len = body.len;
	http_rq_hdr(&r, "Content-Type", "application/xml");
	http_rq_hdr(&r, "Content-MD5", "%s", md5);
	crypto_base64(b->md5, sizeof(b->md5), md5);
	http_rq_hdr(&r, "x-ms-blob-content-md5", "%s", md5);
	http_rq_hdr(&r, "x-ms-blob-content-type", "application/gzip");
	az_blob_headers(c, &r, until, o, b);
	hrc = az_send(c, &r, rs, e);
	if (hrc == HTTP_OK && az_conflict(rs)) {
		*conflict = 1;
		rc = DEST_OK;
		goto done;
	}
	if (hrc != HTTP_OK || rs->status != 201) {
		rc = az_fail(c, "Put Block List", key, hrc, rs, ra, e);
		goto done;
	}
	if (o->note_save != NULL && o->note_save(o->ctx, "", e) == -1) {
		rc = DEST_RETRY;
		goto done;
	}
	rc = DEST_OK;
done:
	free(have);
	buf_free(&q);
	buf_free(&body);
	return rc;
}

enum dest_rc
az_client_put(struct az_client *c, const struct dest_object *o,
    uint64_t *retry_after_ms, struct err *e)
{
	struct s3_body b;
	struct http_response rs;
	struct keyfmt_vars kv;
	struct buf key;
	enum dest_rc rc = DEST_STOP;
	char until[32] = "";
	int conflict = 0, ex, fresh = 0;

	*retry_after_ms = 0;
	s3_body_init(&b);
	buf_init(&key, LIM_KEY);
	http_response_init(&rs);
	kv = dest_object_vars(o);
	if (keyfmt_render(&key, c->st.prefix, c->st.key_format, &kv, e) == -1)
		goto done;
	if (c->st.immutability_mode != NULL)
		az_client_until(time(NULL), c->st.immutability_days, until);
	if (s3_body_compress(&b, o, c->st.compress_level, c->block_size,
	    c->st.tmp_dir, e) == -1) {
		rc = DEST_RETRY;
		goto done;
	}
	if ((ex = az_head(c, key.p, &rs, retry_after_ms, &rc, e)) == -1)
		goto done;
	if (ex == 0) {
		fresh = 1;
		if (b.size <= c->st.block_threshold &&
		    b.size <= AZ_MAX_SINGLE_PUT)
			rc = az_put_blob(c, o, key.p, &b, until, &rs,
			    retry_after_ms, &conflict, e);
		else
			rc = az_put_blocks(c, o, key.p, &b, until, &rs,
			    retry_after_ms, &conflict, e);
		if (rc != DEST_OK)
			goto done;
		if (conflict) {
			log_dest(LOG_LVL_DEBUG, c->st.dest_name, "azblob://%s/%s/%s:"
			    " already exists (If-None-Match)", c->st.account,
			    c->st.container, key.p);
			fresh = 0;
		}
		/* Read back what was stored when there is something to
		 * check: a conflict's blob, or the immutability asked for. */
		if (!conflict && c->st.immutability_mode == NULL &&
		    !c->st.legal_hold)
			goto stored;
		rc = DEST_RETRY;
		if ((ex = az_head(c, key.p, &rs, retry_after_ms, &rc, e)) != 1) {
			if (ex == 0 && conflict) {
				err_set(e, "azblob://%s/%s/%s: the service refused "
				    "the upload (BlobAlreadyExists: a blob is at "
				    "this name) and it cannot be read to compare; "
				    "give the SAS token read permission",
				    c->st.account, c->st.container, key.p);
				rc = DEST_STOP;
			} else if (ex == 0) {
				err_set(e, "azblob://%s/%s/%s: not found right "
				    "after the upload", c->st.account,
				    c->st.container, key.p);
				rc = DEST_RETRY;
			}
			goto done;
		}
	}
	if (!az_same(&rs, &b)) {
		err_set(e, "azblob://%s/%s/%s already exists with other content "
		    "(not written by this range); refusing to replace it",
		    c->st.account, c->st.container, key.p);
		rc = DEST_STOP;
		goto done;
	}
	if ((rc = az_check_policy(c, key.p, until, &rs, retry_after_ms, e)) !=
	    DEST_OK)
		goto done;
	/* A blob found whole from an earlier attempt: a note it left is
	 * done with. */
	if (!fresh && o->note != NULL && o->note[0] != '\0' &&
	    o->note_save != NULL && o->note_save(o->ctx, "", e) == -1) {
		rc = DEST_RETRY;
		goto done;
	}
stored:
	rc = DEST_OK;
	/* What the day's seal lists (SPEC §7): the SHA-256 of the stored
	 * bytes, which are ours unless an earlier attempt at another
	 * compression level stored the blob (then we cannot say). */
	if (o->stored != NULL) {
		o->stored->key[0] = '\0';
		if (fresh || az_md5_is(&rs, b.md5)) {
			snprintf(o->stored->key, sizeof(o->stored->key), "%s",
			    key.p);
			crypto_hex(b.sha, sizeof(b.sha), o->stored->sha256);
		}
	}
	log_dest(LOG_LVL_DEBUG, c->st.dest_name, "stored azblob://%s/%s/%s: "
	    "%" PRIu64 " bytes of input, %" PRIu64 " gzip, %zu block%s",
	    c->st.account, c->st.container, key.p, o->end - o->start, b.size,
	    b.size > c->st.block_threshold ? b.nparts : 0,
	    b.size > c->st.block_threshold && b.nparts == 1 ? "" : "s");
done:
	s3_body_free(&b);
	http_response_free(&rs);
	buf_free(&key);
	return rc;
}

/*
 * The seal at key, HEADed: 0 absent; 1 there, with the same bytes (md5;
 * NULL: not compared) and held as configured (az_check_policy); -1 with
 * *rc set: the HEAD failed, other content is there, or no policy took.
 */
static int
az_seal_held(struct az_client *c, const char *key, const uint8_t *md5,
    const char *until, struct http_response *rs, uint64_t *ra,
    enum dest_rc *rc, struct err *e)
{
	int ex;

	if ((ex = az_head(c, key, rs, ra, rc, e)) != 1)
		return ex;
	if (md5 != NULL && !az_md5_is(rs, md5)) {
		err_set(e, "azblob://%s/%s/%s exists with other content: a seal "
		    "is never replaced", c->st.account, c->st.container, key);
		*rc = DEST_STOP;
		return -1;
	}
	if ((*rc = az_check_policy(c, key, until, rs, ra, e)) != DEST_OK)
		return -1;
	return 1;
}

enum dest_rc
az_client_put_seal(struct az_client *c, const char *key, const void *p,
    size_t n, struct dest_stored *stored, uint64_t *retry_after_ms,
    struct err *e)
{
	struct http_response rs;
	struct http_rq r;
	enum http_rc hrc;
	enum dest_rc rc = DEST_STOP;
	uint8_t md5[CRYPTO_MD5_LEN], sha[CRYPTO_SHA256_LEN];
	char b64[32], until[32] = "";
	int ex, attempt;

	*retry_after_ms = 0;
	http_response_init(&rs);
	crypto_md5(p, n, md5);
	crypto_sha256(p, n, sha);
	crypto_base64(md5, sizeof(md5), b64);
	if (c->st.immutability_mode != NULL)
		az_client_until(time(NULL), c->st.immutability_days, until);
	/* Twice at most: the upload, then (on 409/412) the one already
	 * there is read; a seal is never replaced (SPEC §7). */
	for (attempt = 0; attempt < 2; attempt++) {
		if ((ex = az_seal_held(c, key, md5, until, &rs,
		    retry_after_ms, &rc, e)) == -1)
			goto done;
		if (ex == 1)
			break;
		http_rq_init(&r, "PUT", key);
		r.body = p;
		r.body_len = n;
		http_rq_hdr(&r, "x-ms-blob-type", "BlockBlob");
		http_rq_hdr(&r, "Content-Type", "application/json");
		http_rq_hdr(&r, "Content-MD5", "%s", b64);
		az_blob_headers(c, &r, until, NULL, NULL);
		hrc = az_send(c, &r, &rs, e);
		if (hrc == HTTP_OK && (rs.status == 409 || rs.status == 412))
			continue;	/* someone's: compare it */
		if (hrc != HTTP_OK || rs.status != 201) {
			rc = az_fail(c, "Put Blob (seal)", key, hrc, &rs,
			    retry_after_ms, e);
			goto done;
		}
		if (!az_md5_echo_ok(&rs, md5)) {
			err_set(e, "Put Blob azblob://%s/%s/%s: the Content-MD5 "
			    "answered is not the seal's", c->st.account,
			    c->st.container, key);
			rc = DEST_RETRY;
			goto done;
		}
		if ((c->st.immutability_mode != NULL || c->st.legal_hold) &&
		    (ex = az_seal_held(c, key, NULL, until, &rs,
		    retry_after_ms, &rc, e)) != 1) {
			if (ex == 0)
				rc = DEST_RETRY;
			goto done;
		}
		break;
	}
	if (attempt == 2) {
		err_set(e, "azblob://%s/%s/%s: refused (exists) yet not "
		    "readable", c->st.account, c->st.container, key);
		rc = DEST_STOP;
		goto done;
	}
	snprintf(stored->key, sizeof(stored->key), "%s", key);
	crypto_hex(sha, sizeof(sha), stored->sha256);
	log_dest(LOG_LVL_DEBUG, c->st.dest_name, "sealed azblob://%s/%s/%s",
	    c->st.account, c->st.container, key);
	rc = DEST_OK;
done:
	http_response_free(&rs);
	return rc;
}

/* ------------------------------------------------------- reading back */

/* One <Blob> or <BlobPrefix> of a List Blobs page, p[0..n). */
static int
az_list_item(const char *p, size_t n, int is_prefix, az_list_fn fn,
    void *ctx, struct err *e)
{
	struct buf name, len;
	uint64_t size = 0;
	size_t i;
	int rc = -1;

	buf_init(&name, 4 * LIM_KEY);
	buf_init(&len, 32);
	/* No blob has an empty name: such an entry is not Azure's. */
	if (s3_xml_text(p, n, "Name", &name) != 1 || name.len == 0) {
		err_set(e, "List Blobs: an entry without a name");
		goto done;
	}
	if (!is_prefix && s3_xml_text(p, n, "Content-Length", &len) == 1)
		for (i = 0; i < len.len && len.p[i] >= '0' && len.p[i] <= '9' &&
		    size < (UINT64_MAX - 9) / 10; i++)
			size = size * 10 + (uint64_t)(len.p[i] - '0');
	rc = fn(ctx, name.p, size, is_prefix);
done:
	buf_free(&name);
	buf_free(&len);
	return rc;
}

int
az_client_list_page(const char *p, size_t n, az_list_fn fn, void *ctx,
    struct buf *marker, struct err *e)
{
	const char *end = p + n, *b, *bp, *close;

	/* Entries in document order: <Blob> and <BlobPrefix>. */
	while ((b = memmem(p, (size_t)(end - p), "<Blob", 5)) != NULL) {
		int isp = (size_t)(end - b) >= 12 &&
		    strncmp(b, "<BlobPrefix>", 12) == 0;

		if (!isp && ((size_t)(end - b) < 6 ||
		    strncmp(b, "<Blob>", 6) != 0)) {
			p = b + 5;	/* <Blobs>, <BlobType> */
			continue;
		}
		bp = b + (isp ? 12 : 6);
		close = memmem(bp, (size_t)(end - bp), isp ? "</BlobPrefix>" :
		    "</Blob>", isp ? 13 : 7);
		if (close == NULL)
			return err_set(e, "List Blobs: an entry is not closed");
		if (az_list_item(bp, (size_t)(close - bp), isp, fn, ctx, e) == -1)
			return -1;
		p = close;
	}
	if (s3_xml_text(end - n, n, "NextMarker", marker) == -1)
		return err_set(e, "List Blobs: a bad NextMarker");
	return 0;
}

int
az_client_list(struct az_client *c, const char *prefix, int delim,
    az_list_fn fn, void *ctx, struct err *e)
{
	struct http_response rs;
	struct buf q, marker;
	struct http_rq r;
	enum http_rc hrc;
	size_t pages;
	int rc = -1;

	http_response_init(&rs);
	buf_init(&q, 8 * LIM_KEY);
	buf_init(&marker, 4 * LIM_KEY);
	/* Small pages: an answer must fit http.c's response cap (64 KiB)
	 * whatever the length of the names and properties. */
	for (pages = 0; pages < 10000000; pages++) {
		buf_reset(&q);
		if (buf_adds(&q, "restype=container&comp=list&maxresults=25"
		    "&prefix=") == -1 ||
		    sigv4_uri_encode(&q, prefix, strlen(prefix), 0) == -1 ||
		    (delim && buf_adds(&q, "&delimiter=%2F") == -1) ||
		    (marker.len > 0 && (buf_adds(&q, "&marker=") == -1 ||
		    sigv4_uri_encode(&q, marker.p, marker.len, 0) == -1))) {
			err_set(e, "List Blobs: prefix or marker too long");
			goto done;
		}
		http_rq_init(&r, "GET", NULL);
		r.query = q.p;
		hrc = az_send(c, &r, &rs, e);
		if (hrc != HTTP_OK || rs.status != 200) {
			(void)az_fail(c, "List Blobs", prefix, hrc, &rs, NULL, e);
			goto done;
		}
		if (rs.body.len >= rs.body.max) {
			err_set(e, "List Blobs azblob://%s/%s: a page larger "
			    "than %zu bytes", c->st.account, c->st.container,
			    rs.body.max);
			goto done;
		}
		buf_reset(&marker);
		if (az_client_list_page(rs.body.p != NULL ? rs.body.p : "",
		    rs.body.len, fn, ctx, &marker, e) == -1)
			goto done;
		if (marker.len == 0)
			break;
	}
	rc = 0;
done:
	buf_free(&q);
	buf_free(&marker);
	http_response_free(&rs);
	return rc;
}

int
az_client_get(struct az_client *c, const char *key,
    int (*sink)(void *ctx, const void *p, size_t n), void *ctx,
    struct err *e)
{
	struct http_response rs;
	struct http_rq r;
	enum http_rc hrc;
	int rc = -1;

	http_response_init(&rs);
	http_rq_init(&r, "GET", key);
	r.resp_sink = sink;
	r.resp_ctx = ctx;
	hrc = az_send(c, &r, &rs, e);
	if (hrc == HTTP_OK && rs.status == 200)
		rc = 1;
	else if (hrc == HTTP_OK && rs.status == 404)
		rc = 0;
	else if (hrc != HTTP_FATAL || e == NULL || e->msg[0] == '\0')
		(void)az_fail(c, "Get Blob", key, hrc, &rs, NULL, e);
	http_response_free(&rs);
	return rc;
}

int
az_client_probe(struct az_client *c, struct err *e)
{
	struct http_response rs;
	struct http_rq r;
	enum http_rc hrc;
	char v[64];
	int rc = -1;

	http_response_init(&rs);
	http_rq_init(&r, "GET", NULL);
	r.query = "restype=container";
	hrc = az_send(c, &r, &rs, e);
	if (hrc != HTTP_OK || rs.status != 200) {
		(void)az_fail(c, "Get Container Properties", NULL, hrc, &rs,
		    NULL, e);
		goto done;
	}
	if (http_header_get(&rs, "x-ms-immutable-storage-with-versioning-enabled",
	    v, sizeof(v)) && strcasecmp(v, "true") == 0)
		log_dest(LOG_LVL_INFO, c->st.dest_name, "container %s: "
		    "version-level immutability enabled", c->st.container);
	else {
		log_dest(LOG_LVL_INFO, c->st.dest_name, "container %s: "
		    "reachable; version-level immutability not reported",
		    c->st.container);
		if (c->st.immutability_mode != NULL)
			log_dest(LOG_LVL_WARN, c->st.dest_name, "immutability_mode "
			    "= %s needs version-level immutability on the "
			    "container (or its account)",
			    c->st.immutability_mode);
	}
	rc = 0;
done:
	http_response_free(&rs);
	return rc;
}
