/*
 * az_archive.c - reading an azblob container back through archive.h (see
 * az_archive.h): List Blobs for children and keys, Get Blob streamed for
 * an object's stored bytes.  Memory stays bounded: one listing page and
 * one piece of a download at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "az_archive.h"
#include "az_client.h"
#include "buf.h"
#include "caps.h"

struct az_walk {
	size_t		 skip;		/* bytes of the full prefix to drop */
	archive_name_fn	 name_cb;
	archive_key_fn	 key_cb;
	void		*ctx;
	struct buf	 tmp;
};

static int
az_walk_full(struct buf *out, const char *dprefix, const char *prefix)
{
	return buf_printf(out, "%s%s", dprefix != NULL ? dprefix : "",
	    prefix);
}

static int
az_child(void *ctx, const char *name, uint64_t size, int is_prefix)
{
	struct az_walk *w = ctx;
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

static int
az_key(void *ctx, const char *name, uint64_t size, int is_prefix)
{
	struct az_walk *w = ctx;

	if (is_prefix || strlen(name) < w->skip)
		return 0;
	return w->key_cb(w->ctx, name + w->skip, size);
}

int
az_archive_children(struct dest_azblob *a, const char *dprefix,
    const char *prefix, archive_name_fn cb, void *ctx, struct err *e)
{
	struct az_walk w = { 0, cb, NULL, ctx, { NULL, 0, 0, 0 } };
	struct buf full;
	int rc;

	buf_init(&full, LIM_KEY);
	buf_init(&w.tmp, LIM_KEY);
	if (az_walk_full(&full, dprefix, prefix) == -1) {
		buf_free(&full);
		buf_free(&w.tmp);
		return err_set(e, "prefix too long");
	}
	w.skip = full.len;
	rc = az_client_list(azblob_client(a), full.p, 1, az_child, &w, e);
	buf_free(&full);
	buf_free(&w.tmp);
	return rc;
}

int
az_archive_list(struct dest_azblob *a, const char *dprefix,
    const char *prefix, archive_key_fn cb, void *ctx, struct err *e)
{
	struct az_walk w = { 0, NULL, cb, ctx, { NULL, 0, 0, 0 } };
	struct buf full;
	int rc;

	buf_init(&full, LIM_KEY);
	if (az_walk_full(&full, dprefix, prefix) == -1) {
		buf_free(&full);
		return err_set(e, "prefix too long");
	}
	w.skip = strlen(dprefix != NULL ? dprefix : "");
	rc = az_client_list(azblob_client(a), full.p, 0, az_key, &w, e);
	buf_free(&full);
	return rc;
}

struct az_pipe {
	gz_sink_fn	 sink;
	void		*ctx;
	struct err	*e;
};

static int
az_pipe_piece(void *ctx, const void *p, size_t n)
{
	struct az_pipe *pp = ctx;

	return pp->sink(pp->ctx, p, n, pp->e);
}

int
az_archive_get(struct dest_azblob *a, const char *dprefix, const char *key,
    gz_sink_fn sink, void *ctx, struct err *e)
{
	struct az_pipe pp = { sink, ctx, e };
	struct err ge = { 0, "" };
	struct buf full;
	int rc;

	buf_init(&full, LIM_KEY);
	if (az_walk_full(&full, dprefix, key) == -1) {
		buf_free(&full);
		return err_set(e, "key too long");
	}
	rc = az_client_get(azblob_client(a), full.p, az_pipe_piece, &pp, &ge);
	/* The sink's own error (in e) says more than the transfer's. */
	if (rc == -1 && (e == NULL || e->msg[0] == '\0'))
		err_set(e, "%s", ge.msg);
	buf_free(&full);
	return rc;
}
