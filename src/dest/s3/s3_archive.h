/*
 * s3_archive.h - an s3 destination opened outside the engine, for reading
 * it back (archive.c: `verify` and `report --dest`, SPEC §7, §8):
 * ListObjectsV2 (paged by continuation token) for children and keys,
 * GetObject streamed for an object's stored bytes.
 *
 * s3_archive_new() reads back a destination opened by dest_s3_ops.open
 * (archive.c opens it exactly as the engine does: same settings, same
 * credentials chain; nothing is sent until the first listing).
 */
#ifndef AUDITSHIP_S3_ARCHIVE_H
#define AUDITSHIP_S3_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "archive.h"
#include "buf.h"
#include "config.h"
#include "err.h"

struct s3_archive;

struct dest;
/* d (an opened s3 destination) is borrowed: it outlives the archive.
 * NULL with e set ("[destination NAME] ...") on error. */
struct s3_archive *s3_archive_new(struct dest *d, struct err *e);
void	s3_archive_free(struct s3_archive *a);

/* archive.h's calls; keys are whole keys (the prefix included).
 * ListObjectsV2 of prefix, every page, delimiter '/' when delim: each key
 * and common prefix to fn (archive.c's archive_walk_child/key). */
int	s3_archive_walk(struct s3_archive *a, const char *prefix, int delim,
	    int (*fn)(void *ctx, const char *name, uint64_t size,
	    int is_prefix), void *ctx, struct err *e);
int	s3_archive_get(struct s3_archive *a, const char *key,
	    gz_sink_fn sink, void *ctx, struct err *e);

/* With object_lock_mode configured: HEAD key and check its lock is at
 * least that mode, retained until at least its day (date) + the configured
 * days; with legal_hold = true, that its legal hold is ON.  Every
 * shortfall goes into msg ("; " between).  0 fine (or none configured), 1 a shortfall described in msg,
 * -1 HEAD failed (e). */
int	s3_archive_lock(struct s3_archive *a, const char *key,
	    const char *date, char *msg, size_t cap, struct err *e);

/* --fast: HEAD key with x-amz-checksum-mode: ENABLED.  1 when the server
 * holds a full-object x-amz-checksum-sha256 (hex into hex), 0 when it holds
 * none or a multipart composite ("...-N") or the key is not there (the
 * caller downloads), -1 HEAD failed (e). */
int	s3_archive_checksum(struct s3_archive *a, const char *key,
	    char hex[65], struct err *e);

/* Pure (s3_list.c): 1 when header value v is a full-object SHA-256
 * checksum (strict padded base64 of exactly 32 bytes), its hex into hex;
 * 0 otherwise (absent, a composite "...-N", malformed). */
int	s3_checksum_full(const char *v, char hex[65]);

/*
 * One ListObjectsV2 page (pure, s3_list.c): fn gets every <Contents> key
 * with its <Size> (is_prefix 0) and every <CommonPrefixes> prefix (size 0,
 * is_prefix 1), in document order; fn returns 0 or -1 to stop.
 * *truncated from <IsTruncated>, token gets <NextContinuationToken> (reset
 * first; "" when absent).  0, or -1 with e set when the document is not a
 * ListBucketResult, an entry is malformed, or fn stopped.
 */
typedef int (*s3_list_fn)(void *ctx, const char *name, uint64_t size,
	    int is_prefix);
int	s3_list_page(const char *p, size_t n, s3_list_fn fn, void *ctx,
	    int *truncated, struct buf *token, struct err *e);

#endif
