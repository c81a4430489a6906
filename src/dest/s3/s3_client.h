/*
 * s3_client.h - one S3 bucket as the s3 destination uses it: signed
 * requests, uploads of byte ranges as gzip objects, and the connect probe.
 *
 * dest_s3.c reads the configuration into struct s3_settings and calls
 * these; this file knows nothing of the config tables, so it can be driven
 * directly.  Nothing here sleeps or retries: results are enum dest_rc and
 * the engine owns backoff (SPEC §3.5).
 */
#ifndef AUDITSHIP_S3_CLIENT_H
#define AUDITSHIP_S3_CLIENT_H

#include <stdint.h>

#include "aws_creds.h"
#include "dest.h"
#include "err.h"

#define S3_PART_MIN		(5u << 20)	/* S3's smallest part */
#define S3_PART_DEFAULT		(16u << 20)	/* our largest part size */
#define S3_MAX_PARTS		10000		/* S3's part count limit */
#define S3_MAX_SINGLE_PUT	(5ull << 30)	/* S3's PutObject limit */
#define S3_MIN_RATE		(128u << 10)	/* bytes/s an upload may take */
#define S3_META_SHA256		"x-amz-meta-auditship-sha256"
#define S3_META_RANGE		"x-amz-meta-auditship-range"

/* Everything the destination's section says, resolved (all borrowed from
 * the config, which outlives the client). */
struct s3_settings {
	const char	*dest_name;	/* for messages: "dest NAME" */
	const char	*bucket;
	const char	*region;
	const char	*endpoint;	/* NULL: AWS for the region */
	int		 path_style;
	const char	*prefix;	/* "" when none */
	const char	*key_format;	/* already defaulted per upload mode */
	int		 compress_level;
	const char	*lock_mode;	/* NULL, GOVERNANCE or COMPLIANCE */
	unsigned	 lock_days;
	int		 legal_hold;
	int		 checksum_sha256; /* else Content-MD5 */
	int		 conditional_put;
	const char	*storage_class;
	const char	*sse;
	const char	*sse_kms_key_id;
	uint64_t	 multipart_threshold;
	uint64_t	 timeout_ms;
	const char	*ca_file;
	int		 verify;
	const char	*tmp_dir;	/* where compressed bodies wait */
	struct aws_creds_opts creds;
};

struct s3_client;

/* Validate settings (bucket name shape, endpoint URL, lock combination)
 * and build a client; no network I/O.  NULL with e set on error. */
struct s3_client *s3_client_new(const struct s3_settings *st, struct err *e);
void	s3_client_free(struct s3_client *c);

/*
 * Store the range of o as one gzip object (SPEC §3.1, §3.4): compress to a
 * temp file while hashing, HEAD the key (an earlier attempt may have
 * stored it), then PutObject or a multipart upload with a checksum on
 * every request, Object Lock headers, and the ETag checked.  On DEST_RETRY
 * *retry_after_ms holds the server's Retry-After (0 if none).
 */
enum dest_rc s3_client_put(struct s3_client *c, const struct dest_object *o,
	    uint64_t *retry_after_ms, struct err *e);

/* Store a day's seal (SPEC §7) under its key next to the day's objects,
 * with the objects' Object Lock, legal hold, checksum and If-None-Match;
 * never replacing a different object under that key. */
enum dest_rc s3_client_put_seal(struct s3_client *c, const struct dest_file *f,
	    unsigned seq, const void *p, size_t n, struct dest_stored *stored,
	    uint64_t *retry_after_ms, struct err *e);

/* HEAD bucket and GET ?object-lock; writes nothing.  0 or -1. */
int	s3_client_probe(struct s3_client *c, struct err *e);

/* Pure helpers, exported for tests. */
/* "2026-12-20T10:00:00Z" for now + days into out[32]. */
void	s3_client_retain_until(long long now, unsigned days, char out[32]);
/* Split an endpoint ("https://host:port[/]", or "host" meaning https) into
 * scheme and authority; -1 when it is not one. */
int	s3_client_parse_endpoint(const char *ep, char *scheme, size_t slen,
	    char *authority, size_t alen);
/* Part size for multipart_threshold: the threshold clamped to
 * [S3_PART_MIN, S3_PART_DEFAULT] (so 10,000 parts carry 156 GiB). */
uint64_t s3_client_part_size(uint64_t threshold);

#endif
