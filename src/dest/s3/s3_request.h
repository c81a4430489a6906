/*
 * s3_request.h - what s3_client.c and s3_multipart.c share (internal to
 * the s3 stack): the client and the request helpers (a request before
 * signing is http.h's struct http_rq).  Nothing outside src/dest/s3/ includes it.
 */
#ifndef AUDITSHIP_S3_REQUEST_H
#define AUDITSHIP_S3_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "aws_creds.h"
#include "dest.h"
#include "http.h"
#include "s3_body.h"
#include "s3_client.h"

struct s3_client {
	struct s3_settings st;
	char		 scheme[8];
	char		 authority[256];	/* endpoint host[:port] */
	int		 path_style;
	struct http_client *hc;		/* requests without a large body */
	struct http_client *hc_body;	/* PutObject and UploadPart */
	struct aws_creds creds;
	int		 creds_ever;		/* resolved once already */
	/* The body of a put() that ended in DEST_RETRY, kept for the retry
	 * of the same range so a flaky link does not cost a recompression
	 * per attempt; fd -1 when none. */
	struct s3_body	 kept;
	char		 kept_id[LIM_PATH + 96];
};


/* Fresh credentials (resolved once, renewed when stale). */
enum dest_rc s3_creds(struct s3_client *c, struct err *e);
/* Sign and send one request.  rs receives the answer. */
enum http_rc s3_send(struct s3_client *c, struct http_rq *r,
	    struct http_response *rs, struct err *e);
/* A failed request (transport error or non-2xx) as a result and a
 * message naming the operation, the object and S3's own words. */
enum dest_rc s3_fail(struct s3_client *c, const char *what, const char *key,
	    enum http_rc hrc, const struct http_response *rs,
	    uint64_t *retry_after, struct err *e);
/* Strip the quotes of an ETag header value in place. */
char	*s3_unquote(char *v);
/* 1 when the stored object (a HEAD answer) holds b's bytes. */
int	s3_same(const struct http_response *rs, const struct s3_body *b);
void	s3_b64(const uint8_t *p, size_t n, char *out);
/* Lock and metadata headers shared by PutObject and
 * CreateMultipartUpload. */
void	s3_object_headers(struct s3_client *c, struct http_rq *r,
	    const char *until, const struct dest_object *o);
void	s3_checksum_headers(struct s3_client *c, struct http_rq *r,
	    const uint8_t *md5, const uint8_t *sha);
/* HEAD key: 1 exists (rs holds the answer), 0 absent or not ours to
 * know, -1 failed (*rc set). */
int	s3_head(struct s3_client *c, const char *key, struct http_response *rs,
	    uint64_t *ra, enum dest_rc *rc, struct err *e);
/* 1 when a HEAD answer shows less Object Lock than configured. */
int	s3_lock_missing(const struct s3_client *c,
	    const struct http_response *head);
/* PutObjectRetention and PutObjectLegalHold as configured. */
enum dest_rc s3_apply_lock(struct s3_client *c, const char *key,
	    const char *until, struct http_response *rs, uint64_t *ra,
	    struct err *e);

/* s3_multipart.c */
/* AbortMultipartUpload of upload_id, and forget its note. */
enum dest_rc s3_abort(struct s3_client *c, const char *key,
	    const char *upload_id, const struct dest_object *o,
	    struct http_response *rs, struct err *e);
/* The object as a multipart upload: create (or resume the noted upload
 * resume_id), upload the parts it lacks, complete, verify with HEAD and
 * set the Object Lock the server dropped.  *conflict: 412 on complete. */
enum dest_rc s3_put_multipart(struct s3_client *c, const struct dest_object *o,
	    const char *key, const struct s3_body *b, const char *until,
	    struct http_response *rs, uint64_t *ra, int *conflict,
	    const char *resume_id, struct err *e);

#endif
