/*
 * archive_walk.c - what the object-store backends of archive.h share:
 * their listings' entries to the caller's callbacks, a download's pieces
 * to its sink (see archive.h).
 */
#include <string.h>

#include "archive.h"

int
archive_walk_child(void *ctx, const char *name, uint64_t size, int is_prefix)
{
	struct archive_walk *w = ctx;
	size_t n = strlen(name);

	(void)size;
	if (!is_prefix || n <= w->skip + 1)
		return 0;
	buf_reset(&w->tmp);
	/* "dprefix/prefix/NAME/" -> "NAME" */
	if (buf_add(&w->tmp, name + w->skip, n - w->skip - 1) == -1)
		return -1;
	return w->name_cb(w->ctx, w->tmp.p);
}

int
archive_walk_key(void *ctx, const char *name, uint64_t size, int is_prefix)
{
	struct archive_walk *w = ctx;

	if (is_prefix || strlen(name) < w->skip)
		return 0;
	return w->key_cb(w->ctx, name + w->skip, size);
}

int
archive_pipe_piece(void *ctx, const void *p, size_t n)
{
	struct archive_pipe *pp = ctx;

	return pp->sink(pp->ctx, p, n, pp->e);
}
