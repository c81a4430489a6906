/*
 * s3_multipart.c - an object as an S3 multipart upload (daily objects over
 * multipart_threshold): create or resume the noted upload, the parts it
 * lacks, complete and verify.  The upload id is noted (dest_object's
 * note) before the first part goes up, so a crash is resumed or aborted,
 * never orphaned (SPEC §3.1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto.h"
#include "log.h"
#include "s3_request.h"
#include "s3_xml.h"
#include "sigv4.h"

enum dest_rc
s3_abort(struct s3_client *c, const char *key, const char *upload_id,
    const struct dest_object *o, struct http_response *rs, struct err *e)
{
	struct http_rq r;
	struct buf q;
	enum http_rc hrc;
	struct err ae = { 0, "" };
	enum dest_rc rc = DEST_OK;

	buf_init(&q, 1024);
	if (buf_adds(&q, "uploadId=") == -1 ||
	    sigv4_uri_encode(&q, upload_id, strlen(upload_id), 0) == -1) {
		buf_free(&q);
		return DEST_STOP;
	}
	http_rq_init(&r, "DELETE", key);
	r.query = q.p;
	hrc = s3_send(c, &r, rs, &ae);
	/* 204 aborted; 404 NoSuchUpload: already completed or aborted. */
	if (hrc != HTTP_OK || (rs->status != 204 && rs->status != 200 &&
	    rs->status != 404)) {
		log_dest(LOG_LVL_WARN, c->st.dest_name, "abort multipart upload "
		    "of s3://%s/%s failed (HTTP %ld); a later run retries it",
		    c->st.bucket, key, rs->status);
		rc = DEST_RETRY;
	} else if (o->note_save != NULL &&
	    o->note_save(o->ctx, "", e) == -1) {
		rc = DEST_RETRY;
	}
	buf_free(&q);
	return rc;
}

/* Which parts of b an open upload already holds (ListParts, paged). */
struct s3_have {
	const struct s3_body *b;
	unsigned char	*have;
};

static int
s3_have_part(void *ctx, const struct s3_xml_listed *lp)
{
	struct s3_have *h = ctx;
	char md5hex[2 * CRYPTO_MD5_LEN + 1];
	const struct s3_partsum *ps;

	if (lp->number == 0 || lp->number > h->b->nparts)
		return 0;
	ps = &h->b->parts[lp->number - 1];
	crypto_hex(ps->md5, CRYPTO_MD5_LEN, md5hex);
	/* Same bytes (compression is deterministic for a level and zlib):
	 * keep the part.  Anything else is uploaded again. */
	h->have[lp->number - 1] = lp->size == ps->len &&
	    strcasecmp(lp->etag, md5hex) == 0;
	return 0;
}

/* 1 the upload is open (have[] filled), 0 it is gone, -1 failed (*rc). */
static int
s3_list_parts(struct s3_client *c, const char *key, const char *id,
    const struct s3_body *b, unsigned char *have, struct http_response *rs,
    uint64_t *ra, enum dest_rc *rc, struct err *e)
{
	struct s3_have h = { b, have };
	struct http_rq r;
	struct buf q;
	enum http_rc hrc;
	unsigned marker = 0, pages;
	int trunc, ret = -1;

	buf_init(&q, 2048);
	for (pages = 0; pages < S3_MAX_PARTS / 1000 + 2; pages++) {
		buf_reset(&q);
		if (buf_printf(&q, "part-number-marker=%u&uploadId=", marker) == -1 ||
		    sigv4_uri_encode(&q, id, strlen(id), 0) == -1) {
			*rc = DEST_STOP;
			err_set(e, "UploadId too long");
			goto done;
		}
		http_rq_init(&r, "GET", key);
		r.query = q.p;
		hrc = s3_send(c, &r, rs, e);
		if (hrc == HTTP_OK && rs->status == 404) {
			ret = 0;	/* NoSuchUpload: completed or aborted */
			goto done;
		}
		if (hrc != HTTP_OK || rs->status != 200) {
			*rc = s3_fail(c, "ListParts", key, hrc, rs, ra, e);
			goto done;
		}
		if (s3_xml_list_parts(rs->body.p, rs->body.len, s3_have_part, &h,
		    &trunc, &marker) == -1) {
			*rc = DEST_RETRY;
			err_set(e, "ListParts s3://%s/%s: unreadable answer",
			    c->st.bucket, key);
			goto done;
		}
		if (!trunc || marker == 0) {
			ret = 1;
			goto done;
		}
	}
	ret = 1;
done:
	buf_free(&q);
	return ret;
}

enum dest_rc
s3_put_multipart(struct s3_client *c, const struct dest_object *o,
    const char *key, const struct s3_body *b, const char *until,
    struct http_response *rs, uint64_t *ra, int *conflict,
    const char *resume_id, struct err *e)
{
	struct s3_xml_part *parts = NULL;
	unsigned char *have = NULL;
	size_t reused = 0;
	int noted = 0;
	struct http_rq r;
	struct buf id, q, note, body;
	enum http_rc hrc;
	enum dest_rc rc = DEST_STOP;
	char sha[2 * CRYPTO_SHA256_LEN + 1], md5hex[2 * CRYPTO_MD5_LEN + 1];
	char v[128], *etag;
	size_t i;
	int started = 0;

	buf_init(&id, 1024);
	buf_init(&q, 2048);
	buf_init(&note, 1200);
	buf_init(&body, (size_t)b->nparts * 200 + 256);

	if ((parts = calloc(b->nparts, sizeof(*parts))) == NULL ||
	    (have = calloc(b->nparts, 1)) == NULL) {
		err_set(e, "out of memory");
		goto done;
	}
	/* Resume what an earlier attempt left open: parts it already holds
	 * with our MD5 and size are not sent again. */
	if (resume_id != NULL) {
		int lr = s3_list_parts(c, key, resume_id, b, have, rs, ra, &rc, e);
		if (lr == -1)
			goto done;
		if (lr == 1) {
			if (buf_adds(&id, resume_id) == -1) {
				err_set(e, "UploadId too long");
				goto done;
			}
			started = noted = 1;
		} else {
			memset(have, 0, b->nparts);
		}
	}
	if (id.len > 0)
		goto upload;

	/* CreateMultipartUpload. */
	http_rq_init(&r, "POST", key);
	r.query = "uploads";
	s3_object_headers(c, &r, until, o);
	http_rq_hdr(&r, S3_META_SHA256, "%s", b->raw_sha_hex);
	if (c->st.checksum_sha256)
		http_rq_hdr(&r, "x-amz-checksum-algorithm", "SHA256");
	hrc = s3_send(c, &r, rs, e);
	if (hrc != HTTP_OK || rs->status != 200) {
		rc = s3_fail(c, "CreateMultipartUpload", key, hrc, rs, ra, e);
		goto done;
	}
	if (s3_xml_text(rs->body.p, rs->body.len, "UploadId", &id) != 1 ||
	    id.len == 0) {
		err_set(e, "CreateMultipartUpload s3://%s/%s: no UploadId in "
		    "the answer", c->st.bucket, key);
		rc = DEST_RETRY;
		goto done;
	}
	/* Recorded before any part goes up: a crash from here on leaves a
	 * note the next run aborts (SPEC §3.1: nothing orphaned). */
	if (buf_printf(&note, "mpu %s", id.p) == -1) {
		err_set(e, "UploadId too long");
		goto done;
	}
	started = 1;
	if (o->note_save != NULL && o->note_save(o->ctx, note.p, e) == -1) {
		rc = DEST_RETRY;
		goto done;
	}
	noted = 1;

upload:
	for (i = 0; i < b->nparts; i++) {
		crypto_hex(b->parts[i].md5, CRYPTO_MD5_LEN, md5hex);
		parts[i].number = (unsigned)(i + 1);
		snprintf(parts[i].etag, sizeof(parts[i].etag), "\"%s\"",
		    md5hex);
		if (c->st.checksum_sha256)
			s3_b64(b->parts[i].sha, CRYPTO_SHA256_LEN,
			    parts[i].sha256_b64);
		if (have[i]) {
			reused++;
			s3_body_acked(b, o, i);
			continue;
		}
		buf_reset(&q);
		if (buf_printf(&q, "partNumber=%zu&uploadId=", i + 1) == -1 ||
		    sigv4_uri_encode(&q, id.p, id.len, 0) == -1) {
			err_set(e, "UploadId too long");
			goto done;
		}
		crypto_hex(b->parts[i].sha, CRYPTO_SHA256_LEN, sha);
		http_rq_init(&r, "PUT", key);
		r.query = q.p;
		http_rq_file(&r, b->fd, b->parts[i].off, b->parts[i].len);
		r.payload_hex = sha;
		s3_checksum_headers(c, &r, b->parts[i].md5, b->parts[i].sha);
		hrc = s3_send(c, &r, rs, e);
		if (hrc != HTTP_OK || rs->status != 200) {
			rc = s3_fail(c, "UploadPart", key, hrc, rs, ra, e);
			goto done;
		}
		if (!http_header_get(rs, "ETag", v, sizeof(v)) ||
		    strcasecmp(s3_unquote(v), md5hex) != 0) {
			err_set(e, "UploadPart %zu of s3://%s/%s: ETag is not "
			    "the MD5 of the part sent", i + 1, c->st.bucket,
			    key);
			rc = DEST_RETRY;
			goto done;
		}
		s3_body_acked(b, o, i);
	}
	if (reused > 0)
		log_dest(LOG_LVL_INFO, c->st.dest_name, "s3://%s/%s: resumed "
		    "multipart upload, %zu of %zu parts already there",
		    c->st.bucket, key, reused, b->nparts);

	/* CompleteMultipartUpload. */
	if (s3_xml_complete_body(&body, parts, b->nparts) == -1) {
		err_set(e, "CompleteMultipartUpload body too large");
		goto done;
	}
	buf_reset(&q);
	if (buf_adds(&q, "uploadId=") == -1 ||
	    sigv4_uri_encode(&q, id.p, id.len, 0) == -1)
		goto done;
	http_rq_init(&r, "POST", key);
	r.query = q.p;
	r.body = body.p;
	r.body_len = body.len;
	http_rq_hdr(&r, "Content-Type", "application/xml");
	if (c->st.conditional_put)
		http_rq_hdr(&r, "If-None-Match", "*");
	hrc = s3_send(c, &r, rs, e);
	if (hrc == HTTP_OK && rs->status == 412) {
		*conflict = 1;
		rc = DEST_OK;
		goto done;		/* aborted below */
	}
	if (hrc != HTTP_OK || rs->status != 200) {
		rc = s3_fail(c, "CompleteMultipartUpload", key, hrc, rs, ra, e);
		goto done;
	}
	/* A 200 can still carry an <Error> once the body streams. */
	{
		struct s3_xml_error x;
		if (s3_xml_error(rs->body.p, rs->body.len, &x)) {
			rs->status = 500;
			rc = s3_fail(c, "CompleteMultipartUpload", key, HTTP_OK,
			    rs, ra, e);
			goto done;
		}
	}
	started = 0;
	if (o->note_save != NULL && o->note_save(o->ctx, "", e) == -1) {
		rc = DEST_RETRY;
		goto done;
	}
	/* Verify: RGW answers Complete with an empty ETag, so ask. */
	{
		enum dest_rc hr = DEST_OK;
		int ex = s3_head(c, key, rs, ra, &hr, e);
		if (ex == -1) {
			rc = hr;
			goto done;
		}
		if (ex == 1 && !s3_same(rs, b)) {
			etag = http_header_get(rs, "ETag", v, sizeof(v)) ?
			    s3_unquote(v) : "";
			err_set(e, "CompleteMultipartUpload s3://%s/%s: stored "
			    "ETag %s, expected %s", c->st.bucket, key, etag,
			    b->mp_etag);
			rc = DEST_STOP;
			goto done;
		}
		/* AWS keeps the lock headers of CreateMultipartUpload, RGW
		 * drops them: set retention / hold only when the object
		 * lacks them (or when we may not HEAD it). */
		if (ex == 0 || s3_lock_missing(c, rs)) {
			if (ex == 1)
				log_dest(LOG_LVL_DEBUG, c->st.dest_name,
				    "s3://%s/%s: the server dropped the Object "
				    "Lock of the upload; setting it", c->st.bucket,
				    key);
			if ((rc = s3_apply_lock(c, key, until, rs, ra,
			    e)) != DEST_OK)
				goto done;
		}
	}
	rc = DEST_OK;
done:
	/* A transient failure keeps the noted upload open for the next
	 * attempt to resume; anything final (or an upload we could not note)
	 * is aborted so it is never orphaned. */
	if (started && (!noted || rc == DEST_STOP || *conflict)) {
		struct http_response ars;

		http_response_init(&ars);
		(void)s3_abort(c, key, id.p, o, &ars, NULL);
		http_response_free(&ars);
	}
	free(parts);
	free(have);
	buf_free(&id);
	buf_free(&q);
	buf_free(&note);
	buf_free(&body);
	return rc;
}

