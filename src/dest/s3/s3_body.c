/*
 * s3_body.c - compress a byte range into a temp file, hashing as it goes
 * (see s3_body.h).  The only file of the s3 destination that touches the
 * disk; zlib is reached through gz.c, digests through crypto.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gz.h"
#include "caps.h"
#include "s3_body.h"

static int
s3_body_tmpfile(const char *dir, struct err *e)
{
	char path[LIM_PATH];
	const char *tmp = getenv("TMPDIR");
	int fd;

	if (dir != NULL) {
		fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		if (fd != -1)
			return fd;
		if (snprintf(path, sizeof(path), "%s/.s3-upload.XXXXXX",
		    dir) < (int)sizeof(path) && (fd = mkostemp(path,
		    O_CLOEXEC)) != -1) {
			unlink(path);
			return fd;
		}
	}
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	if (snprintf(path, sizeof(path), "%s/auditship-s3.XXXXXX", tmp) >=
	    (int)sizeof(path))
		return err_set(e, "TMPDIR too long");
	if ((fd = mkostemp(path, O_CLOEXEC)) == -1)
		return err_sys(e, "temp file for the compressed object in %s",
		    dir != NULL ? dir : tmp);
	unlink(path);
	return fd;
}

static int
s3_body_part_close(struct s3_body *b, struct err *e)
{
	struct s3_partsum *np;

	if (b->nparts == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 16;
		if (ncap > S3_BODY_MAX_PARTS + 1)
			ncap = S3_BODY_MAX_PARTS + 1;
		if (b->nparts >= ncap)
			return err_set(e, "object needs more than %d parts of "
			    "%" PRIu64 " bytes", S3_BODY_MAX_PARTS, b->part_size);
		if ((np = realloc(b->parts, ncap * sizeof(*np))) == NULL)
			return err_set(e, "out of memory");
		b->parts = np;
		b->cap = ncap;
	}
	crypto_digest_final(b->pmd5, b->parts[b->nparts].md5);
	crypto_digest_final(b->psha, b->parts[b->nparts].sha);
	b->parts[b->nparts].off = b->size - b->part_fill;
	b->parts[b->nparts].len = b->part_fill;
	b->parts[b->nparts].raw_end = b->raw_out;
	b->nparts++;
	crypto_digest_free(b->pmd5);
	crypto_digest_free(b->psha);
	b->pmd5 = crypto_digest_new(CRYPTO_MD5);
	b->psha = crypto_digest_new(CRYPTO_SHA256);
	b->part_fill = 0;
	if (b->pmd5 == NULL || b->psha == NULL)
		return err_set(e, "out of memory");
	return 0;
}

/* gz sink: append to the temp file, hash the whole and the current part. */
static int
s3_body_sink(void *ctx, const void *p, size_t n, struct err *e)
{
	struct s3_body *b = ctx;
	const char *q = p;
	size_t take;
	ssize_t w;

	crypto_digest_update(b->dmd5, p, n);
	crypto_digest_update(b->dsha, p, n);
	while (n > 0) {
		take = n;
		if (take > b->part_size - b->part_fill)
			take = (size_t)(b->part_size - b->part_fill);
		crypto_digest_update(b->pmd5, q, take);
		crypto_digest_update(b->psha, q, take);
		for (size_t done = 0; done < take; done += (size_t)w) {
			w = write(b->fd, q + done, take - done);
			if (w == -1 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w <= 0)
				return err_sys(e, "write compressed object");
		}
		if (b->inf != NULL && gz_push_write(b->inf, q, take, e) == -1)
			return -1;
		b->size += take;
		b->part_fill += take;
		q += take;
		n -= take;
		if (b->part_fill == b->part_size && s3_body_part_close(b, e) == -1)
			return -1;
	}
	return 0;
}

/* gunzip sink of the progress count: how far the parts so far read back. */
static int
s3_body_count(void *ctx, const void *p, size_t n, struct err *e)
{
	struct s3_body *b = ctx;

	(void)p;
	(void)e;
	b->raw_out += n;
	return 0;
}

void
s3_body_acked(const struct s3_body *b, const struct dest_object *o, size_t i)
{
	if (o->acked == NULL || i >= b->nparts)
		return;
	o->acked(o->ctx, b->parts[i].raw_end -
	    (i > 0 ? b->parts[i - 1].raw_end : 0));
}

void
s3_body_free(struct s3_body *b)
{
	if (b->fd != -1)
		close(b->fd);
	b->fd = -1;
	crypto_digest_free(b->dmd5);
	crypto_digest_free(b->dsha);
	crypto_digest_free(b->pmd5);
	crypto_digest_free(b->psha);
	b->dmd5 = b->dsha = b->pmd5 = b->psha = NULL;
	gz_push_free(b->inf);
	b->inf = NULL;
	free(b->parts);
	b->parts = NULL;
}

void
s3_body_init(struct s3_body *b)
{
	memset(b, 0, sizeof(*b));
	b->fd = -1;
}

int
s3_body_compress(struct s3_body *b, const struct dest_object *o, int level,
    uint64_t part_size, const char *tmp_dir, struct err *e)
{
	struct crypto_digest *raw = NULL;
	struct gz_out *z = NULL;
	uint8_t rawh[CRYPTO_SHA256_LEN], mm[CRYPTO_MD5_LEN];
	struct crypto_digest *mp = NULL;
	char *in = NULL;
	uint64_t raw_total = 0;
	ssize_t r;
	size_t i;
	int rc = -1;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	b->part_size = part_size;
	if ((b->fd = s3_body_tmpfile(tmp_dir, e)) == -1)
		return -1;
	b->dmd5 = crypto_digest_new(CRYPTO_MD5);
	b->dsha = crypto_digest_new(CRYPTO_SHA256);
	b->pmd5 = crypto_digest_new(CRYPTO_MD5);
	b->psha = crypto_digest_new(CRYPTO_SHA256);
	raw = crypto_digest_new(CRYPTO_SHA256);
	in = malloc(LIM_READ_CHUNK);
	if (b->dmd5 == NULL || b->dsha == NULL || b->pmd5 == NULL ||
	    b->psha == NULL || raw == NULL || in == NULL) {
		err_set(e, "out of memory");
		goto done;
	}
	/* For the progress line only: what each part reads back as. */
	if (o->acked != NULL &&
	    (b->inf = gz_push_new(s3_body_count, b, e)) == NULL)
		goto done;
	if (o->rewind != NULL && o->rewind(o->ctx, e) == -1)
		goto done;
	if ((z = gz_out_new(level, s3_body_sink, b, e)) == NULL)
		goto done;
	for (;;) {
		if ((r = o->read(o->ctx, in, LIM_READ_CHUNK, e)) < 0)
			goto done;
		if (r == 0)
			break;
		crypto_digest_update(raw, in, (size_t)r);
		raw_total += (uint64_t)r;
		if (gz_out_write(z, in, (size_t)r, e) == -1)
			goto done;
	}
	if (gz_out_finish(z, e) == -1)
		goto done;
	if (b->part_fill > 0 && s3_body_part_close(b, e) == -1)
		goto done;
	if (b->nparts > 0)	/* the whole stream: all of the range */
		b->parts[b->nparts - 1].raw_end = raw_total;
	crypto_digest_final(b->dmd5, b->md5);
	crypto_digest_final(b->dsha, b->sha);
	crypto_digest_final(raw, rawh);
	crypto_hex(rawh, sizeof(rawh), b->raw_sha_hex);
	/* The ETag S3 gives a multipart object: MD5 of the parts' MD5s. */
	if ((mp = crypto_digest_new(CRYPTO_MD5)) == NULL) {
		err_set(e, "out of memory");
		goto done;
	}
	for (i = 0; i < b->nparts; i++)
		crypto_digest_update(mp, b->parts[i].md5, CRYPTO_MD5_LEN);
	crypto_digest_final(mp, mm);
	crypto_hex(mm, sizeof(mm), b->mp_etag);
	snprintf(b->mp_etag + 2 * CRYPTO_MD5_LEN, 8, "-%zu", b->nparts);
	rc = 0;
done:
	crypto_digest_free(mp);
	crypto_digest_free(raw);
	gz_out_free(z);
	gz_push_free(b->inf);
	b->inf = NULL;
	free(in);
	return rc;
}
