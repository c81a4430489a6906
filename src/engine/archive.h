/*
 * archive.h - read access to an archive destination (dir, s3, azblob):
 * list keys and read stored objects, for `verify` and `report` (SPEC §7,
 * §8).  Keys are whole keys, as S3 has them and seals list them (SPEC
 * §3.4, the destination's prefix included); the prefix arguments of
 * archive_children() and archive_list() are relative to that prefix.
 * Everything streams: nothing holds a listing or
 * an object whole.
 */
#ifndef AUDITSHIP_ARCHIVE_H
#define AUDITSHIP_ARCHIVE_H

#include <stdint.h>

#include "buf.h"
#include "config.h"
#include "err.h"
#include "gz.h"

struct archive;

/* Open the destination of section cs for reading (no write, no network
 * I/O yet).  NULL with e set when its type cannot be read back. */
struct archive *archive_open(const struct config *cfg,
	    const struct conf_section *cs, struct err *e);
void	archive_close(struct archive *a);
/* The destination's key_format (already defaulted per upload mode). */
const char *archive_key_format(const struct archive *a);

/* The names one level below prefix ("host/" -> users), sorted. */
typedef int (*archive_name_fn)(void *ctx, const char *name);
int	archive_children(struct archive *a, const char *prefix,
	    archive_name_fn cb, void *ctx, struct err *e);

/* Every key under prefix (recursively), in lexical order, with its size.
 * A callback returning -1 stops the walk (the walk returns -1). */
typedef int (*archive_key_fn)(void *ctx, const char *key, uint64_t size);
int	archive_list(struct archive *a, const char *prefix, archive_key_fn cb,
	    void *ctx, struct err *e);

/* Stream the stored bytes of key to sink.  1 read, 0 no such key, -1. */
int	archive_get(struct archive *a, const char *key, gz_sink_fn sink,
	    void *ctx, struct err *e);

/* s3 with object_lock_mode: key's Object Lock is at least the configured
 * mode and retained at least the configured days after its day (date).
 * 0 fine or nothing to check (other types), 1 shortfall (msg), -1 error. */
int	archive_lock_check(struct archive *a, const char *key, const char *date,
	    char *msg, size_t cap, struct err *e);

/* --fast: the server's own full-object SHA-256 of key's stored bytes (s3
 * x-amz-checksum-sha256, hex into hex).  1 it has one, 0 it keeps none for
 * key (composite, absent, other archive types: download it), -1 error. */
int	archive_stored_checksum(struct archive *a, const char *key,
	    char hex[65], struct err *e);
/* 1 for a local dir archive. */
int	archive_is_dir(const struct archive *a);

/*
 * For the object-store backends (s3_archive.c, az_archive.c): their
 * listings hand each entry, a key or a "PREFIX/NAME/" common prefix, to
 * archive_walk_child() (children: "NAME" to name_cb) or archive_walk_key()
 * (keys: the key without its first `skip` bytes to key_cb), with a
 * struct archive_walk as ctx (tmp: LIM_KEY, for the child's name).
 */
struct archive_walk {
	size_t		 skip;		/* bytes of the full prefix to drop */
	archive_name_fn	 name_cb;
	archive_key_fn	 key_cb;
	void		*ctx;
	struct buf	 tmp;
};
int	archive_walk_child(void *ctx, const char *name, uint64_t size,
	    int is_prefix);
int	archive_walk_key(void *ctx, const char *name, uint64_t size,
	    int is_prefix);

/* A download's pieces to a gz_sink_fn (ctx: a struct archive_pipe). */
struct archive_pipe {
	gz_sink_fn	 sink;
	void		*ctx;
	struct err	*e;
};
int	archive_pipe_piece(void *ctx, const void *p, size_t n);

#endif
