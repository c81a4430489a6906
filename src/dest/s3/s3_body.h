/*
 * s3_body.h - the compressed body of one upload: the byte range gzipped
 * into an unlinked temp file, with every digest the upload needs computed
 * on the way (SHA-256 of the raw bytes; MD5 and SHA-256 of the whole gzip
 * stream and of each multipart part; the md5-of-md5s multipart ETag).
 *
 * Memory stays bounded whatever the range's size: one read chunk, zlib's
 * window and the per-part digests (at most S3_BODY_MAX_PARTS of them).
 */
#ifndef AUDITSHIP_S3_BODY_H
#define AUDITSHIP_S3_BODY_H

#define S3_BODY_MAX_PARTS	10000	/* S3's part count limit */

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "dest.h"
#include "err.h"

struct gz_push;

/* Per-part digests, kept while compressing. */
struct s3_partsum {
	uint8_t		 md5[CRYPTO_MD5_LEN];
	uint8_t		 sha[CRYPTO_SHA256_LEN];
	uint64_t	 off, len;
	/* With o->acked: the range's bytes parts [0, this] decompress to. */
	uint64_t	 raw_end;
};

/* The compressed body of one upload, in an unlinked temp file. */
struct s3_body {
	int		 fd;
	uint64_t	 size;
	uint8_t		 md5[CRYPTO_MD5_LEN];
	uint8_t		 sha[CRYPTO_SHA256_LEN];
	char		 raw_sha_hex[2 * CRYPTO_SHA256_LEN + 1];
	char		 mp_etag[2 * CRYPTO_MD5_LEN + 8];	/* "hex-N" */
	struct s3_partsum *parts;
	size_t		 nparts, cap;
	uint64_t	 part_size;
	/* while compressing */
	struct crypto_digest *dmd5, *dsha, *pmd5, *psha;
	uint64_t	 part_fill;
	struct gz_push	*inf;		/* with o->acked: counts raw_out */
	uint64_t	 raw_out;
};

/*
 * Gzip o's range (level 1..9) into b, cutting parts of part_size bytes.
 * The temp file lives in tmp_dir (the state directory), else $TMPDIR or
 * /tmp, and is unlinked at once, so a crash leaves nothing behind.  0, or
 * -1 with e set; b must be released with s3_body_free() either way.
 */
int	s3_body_compress(struct s3_body *b, const struct dest_object *o,
	    int level, uint64_t part_size, const char *tmp_dir, struct err *e);
void	s3_body_free(struct s3_body *b);
/* An empty body, no file yet: what s3_body_compress() fills and
 * s3_body_free() may release as it is. */
void	s3_body_init(struct s3_body *b);
/* Part i of b is acknowledged (or held already): tell o->acked, if set,
 * the range's bytes it adds (dest.h).  Parts are reported in order. */
void	s3_body_acked(const struct s3_body *b, const struct dest_object *o,
	    size_t i);

#endif
