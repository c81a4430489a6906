/*
 * gz.c - gzip through zlib (streams) and libdeflate (whole buffers); see
 * gz.h.  The only user of either.
 *
 * Output goes through a fixed 64 KiB buffer to the caller's sink; input is
 * read through a fixed buffer.  Concatenated gzip members (RFC 1952 §2.2,
 * as `cat a.gz b.gz` makes) are read as one stream.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>
#include <zlib.h>

#include "gz.h"

#ifndef GZ_CHUNK		/* the fuzz build makes it tiny */
#define GZ_CHUNK	(64u << 10)
#endif

struct gz_out {
	z_stream	 zs;
	gz_sink_fn	 sink;
	void		*ctx;
	unsigned char	 out[GZ_CHUNK];
};

struct gz_in {
	z_stream	 zs;
	int		 fd;
	int		 eof;		/* read(2) returned 0 */
	int		 member_done;	/* Z_STREAM_END seen, maybe more */
	unsigned char	 in[GZ_CHUNK];
};

struct gz_out *
gz_out_new(int level, gz_sink_fn sink, void *ctx, struct err *e)
{
	struct gz_out *z;

	if ((z = calloc(1, sizeof(*z))) == NULL) {
		err_sys(e, "gzip: malloc");
		return NULL;
	}
	/* windowBits 15 + 16: a gzip header and trailer, not raw zlib. */
	if (deflateInit2(&z->zs, level, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		free(z);
		err_set(e, "gzip: deflateInit2 failed (level %d)", level);
		return NULL;
	}
	z->sink = sink;
	z->ctx = ctx;
	return z;
}

static int
gz_out_run(struct gz_out *z, int flush, struct err *e)
{
	int rc;
	size_t have;

	do {
		z->zs.next_out = z->out;
		z->zs.avail_out = sizeof(z->out);
		rc = deflate(&z->zs, flush);
		if (rc == Z_STREAM_ERROR)
			return err_set(e, "gzip: deflate failed");
		have = sizeof(z->out) - z->zs.avail_out;
		if (have > 0 && z->sink(z->ctx, z->out, have, e) == -1)
			return -1;
	} while (z->zs.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
	return 0;
}

int
gz_out_write(struct gz_out *z, const void *p, size_t n, struct err *e)
{
	const unsigned char *u = p;

	/* avail_in is a uInt: feed large inputs in pieces. */
	while (n > 0) {
		size_t part = n > (1u << 30) ? (1u << 30) : n;

		z->zs.next_in = (unsigned char *)(uintptr_t)u;
		z->zs.avail_in = (uInt)part;
		if (gz_out_run(z, Z_NO_FLUSH, e) == -1)
			return -1;
		u += part;
		n -= part;
	}
	return 0;
}

int
gz_out_finish(struct gz_out *z, struct err *e)
{
	z->zs.next_in = NULL;
	z->zs.avail_in = 0;
	return gz_out_run(z, Z_FINISH, e);
}

uint64_t
gz_out_total_in(const struct gz_out *z)
{
	return z->zs.total_in;
}

uint64_t
gz_out_total_out(const struct gz_out *z)
{
	return z->zs.total_out;
}

int
gz_out_reset(struct gz_out *z, struct err *e)
{
	if (deflateReset(&z->zs) != Z_OK)
		return err_set(e, "gzip: deflateReset failed");
	return 0;
}

void
gz_out_free(struct gz_out *z)
{
	if (z == NULL)
		return;
	deflateEnd(&z->zs);
	free(z);
}

struct gz_whole *
gz_whole_new(int level, struct err *e)
{
	struct libdeflate_compressor *c;

	if ((c = libdeflate_alloc_compressor(level)) == NULL) {
		err_set(e, "gzip: cannot set up level %d (out of memory?)", level);
		return NULL;
	}
	return (struct gz_whole *)c;
}

int
gz_whole_compress(struct gz_whole *g, const void *p, size_t n,
    struct buf *out, struct err *e)
{
	struct libdeflate_compressor *c = (struct libdeflate_compressor *)g;
	size_t bound = libdeflate_gzip_compress_bound(c, n), got;

	/* With room for the worst case, compression cannot fail. */
	if (buf_reserve(out, bound) == -1)
		return err_set(e, "gzip: no room for %zu compressed bytes", bound);
	got = libdeflate_gzip_compress(c, p, n, out->p + out->len, bound);
	if (got == 0)
		return err_set(e, "gzip: compression failed");
	out->len += got;
	out->p[out->len] = '\0';
	return 0;
}

void
gz_whole_free(struct gz_whole *g)
{
	libdeflate_free_compressor((struct libdeflate_compressor *)g);
}

/* Inflating readers (struct gz_in, struct gz_push) start with their
 * z_stream: one of size bytes, zeroed, the stream set for gzip. */
static void *
gz_inflater_new(size_t size, struct err *e)
{
	z_stream *zs;

	if ((zs = calloc(1, size)) == NULL) {
		err_sys(e, "gunzip: malloc");
		return NULL;
	}
	if (inflateInit2(zs, 15 + 16) != Z_OK) {
		free(zs);
		err_set(e, "gunzip: inflateInit2 failed");
		return NULL;
	}
	return zs;
}

static void
gz_inflater_free(z_stream *zs)
{
	if (zs == NULL)
		return;
	inflateEnd(zs);
	free(zs);
}

/* One inflate() step, the next member started afresh when the last one
 * ended (*member_done).  inflate()'s code, or -1 with e set. */
static int
gz_inflate(z_stream *zs, int *member_done, struct err *e)
{
	int rc;

	if (*member_done) {
		if (inflateReset(zs) != Z_OK)
			return err_set(e, "gunzip: inflateReset failed");
		*member_done = 0;
	}
	rc = inflate(zs, Z_NO_FLUSH);
	if (rc == Z_STREAM_END)
		*member_done = 1;
	else if (rc != Z_OK && rc != Z_BUF_ERROR)
		return err_set(e, "gunzip: corrupt gzip data (%s)",
		    zs->msg ? zs->msg : "inflate error");
	return rc;
}

struct gz_in *
gz_in_new(int fd, struct err *e)
{
	struct gz_in *z;

	if ((z = gz_inflater_new(sizeof(*z), e)) == NULL)
		return NULL;
	z->fd = fd;
	return z;
}

ssize_t
gz_in_read(struct gz_in *z, void *p, size_t cap, struct err *e)
{
	ssize_t n;

	if (cap > (1u << 30))
		cap = 1u << 30;
	z->zs.next_out = p;
	z->zs.avail_out = (uInt)cap;
	while (z->zs.avail_out == cap) {
		if (z->zs.avail_in == 0 && !z->eof) {
			do
				n = read(z->fd, z->in, sizeof(z->in));
			while (n == -1 && errno == EINTR);
			if (n == -1)
				return err_sys(e, "gunzip: read");
			if (n == 0)
				z->eof = 1;
			z->zs.next_in = z->in;
			z->zs.avail_in = (uInt)n;
		}
		if (z->zs.avail_in == 0 && z->eof) {
			if (z->member_done || z->zs.total_in == 0)
				return 0;
			return err_set(e, "gunzip: truncated gzip stream");
		}
		if (gz_inflate(&z->zs, &z->member_done, e) == -1)
			return -1;
	}
	return (ssize_t)(cap - z->zs.avail_out);
}

void
gz_in_free(struct gz_in *z)
{
	gz_inflater_free(z != NULL ? &z->zs : NULL);
}

/* --- gunzip, pushed (verify: objects arrive in pieces) ---------------- */

struct gz_push {
	z_stream	 zs;
	gz_sink_fn	 sink;
	void		*ctx;
	int		 member_done;
	int		 started;
	unsigned char	 out[GZ_CHUNK];
};

struct gz_push *
gz_push_new(gz_sink_fn sink, void *ctx, struct err *e)
{
	struct gz_push *z;

	if ((z = gz_inflater_new(sizeof(*z), e)) == NULL)
		return NULL;
	z->sink = sink;
	z->ctx = ctx;
	return z;
}

int
gz_push_write(struct gz_push *z, const void *p, size_t n, struct err *e)
{
	int rc;

	z->zs.next_in = (unsigned char *)(uintptr_t)p;
	z->zs.avail_in = (uInt)n;
	if (n > 0)
		z->started = 1;
	while (z->zs.avail_in > 0) {
		z->zs.next_out = z->out;
		z->zs.avail_out = sizeof(z->out);
		if ((rc = gz_inflate(&z->zs, &z->member_done, e)) == -1)
			return -1;
		if (sizeof(z->out) - z->zs.avail_out > 0 &&
		    z->sink(z->ctx, z->out, sizeof(z->out) - z->zs.avail_out, e) == -1)
			return -1;
		if (rc == Z_BUF_ERROR && z->zs.avail_out != 0)
			break;
	}
	/* Drain what inflate holds back for lack of output room. */
	while (!z->member_done) {
		z->zs.next_out = z->out;
		z->zs.avail_out = sizeof(z->out);
		if (gz_inflate(&z->zs, &z->member_done, e) == -1)
			return -1;
		if (sizeof(z->out) == z->zs.avail_out)
			break;
		if (z->sink(z->ctx, z->out, sizeof(z->out) - z->zs.avail_out, e) == -1)
			return -1;
	}
	return 0;
}

int
gz_push_finish(struct gz_push *z, struct err *e)
{
	if (!z->started || !z->member_done)
		return err_set(e, "gunzip: truncated gzip stream");
	return 0;
}

void
gz_push_free(struct gz_push *z)
{
	gz_inflater_free(z != NULL ? &z->zs : NULL);
}
