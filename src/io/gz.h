/*
 * gz.h - the only user of zlib and libdeflate: gzip out, gzip in.
 *
 * gz_out compresses a stream into caller-provided sinks in fixed-size
 * pieces (objects of any size: s3, dir); gz_whole compresses one bounded
 * buffer in one call (an HTTP request body), with libdeflate, which does
 * that at the same level in about 0.6x zlib's CPU; gz_in reads a .gz file
 * (RFC 1952, multi-member) through a fixed buffer.  None ever holds a
 * whole file.
 */
#ifndef AUDITSHIP_GZ_H
#define AUDITSHIP_GZ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "err.h"

/* Receives compressed bytes; return 0, or -1 with e set to abort. */
typedef int (*gz_sink_fn)(void *ctx, const void *p, size_t n, struct err *e);

struct gz_out;
/* level 1..9.  sink is called with every compressed piece. */
struct gz_out *gz_out_new(int level, gz_sink_fn sink, void *ctx, struct err *e);
int	gz_out_write(struct gz_out *z, const void *p, size_t n, struct err *e);
/* Flush the trailer; the stream is complete after 0. */
int	gz_out_finish(struct gz_out *z, struct err *e);
/* Bytes in / out so far. */
uint64_t gz_out_total_in(const struct gz_out *z);
uint64_t gz_out_total_out(const struct gz_out *z);
/* Start a new gzip stream on z (after gz_out_finish, or to drop a partial
 * one), keeping its level, sink and memory: cheaper than free + new. */
int	gz_out_reset(struct gz_out *z, struct err *e);
void	gz_out_free(struct gz_out *z);

struct gz_whole;
/* level 1..9 (libdeflate's levels of the same names). */
struct gz_whole *gz_whole_new(int level, struct err *e);
/* Append the gzip member of p[0..n) to out; -1 (out unchanged) when out
 * cannot hold the worst case. */
int	gz_whole_compress(struct gz_whole *g, const void *p, size_t n,
	    struct buf *out, struct err *e);
void	gz_whole_free(struct gz_whole *g);

struct gz_in;
/* Takes a readable fd (not closed by gz_in_free). */
struct gz_in *gz_in_new(int fd, struct err *e);
/* Decompressed bytes, 0 at the end, -1 on a corrupt or truncated stream. */
ssize_t	gz_in_read(struct gz_in *z, void *p, size_t cap, struct err *e);
void	gz_in_free(struct gz_in *z);

/* gunzip pushed: compressed pieces in through gz_push_write(), inflated
 * bytes out to sink; several members in a row are one stream.  finish()
 * fails on a truncated stream. */
struct gz_push;
struct gz_push *gz_push_new(gz_sink_fn sink, void *ctx, struct err *e);
int	gz_push_write(struct gz_push *z, const void *p, size_t n, struct err *e);
int	gz_push_finish(struct gz_push *z, struct err *e);
void	gz_push_free(struct gz_push *z);

#endif
