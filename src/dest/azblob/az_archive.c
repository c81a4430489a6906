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

static int
az_walk_full(struct buf *out, const char *dprefix, const char *prefix)
{
	return buf_printf(out, "%s%s", dprefix != NULL ? dprefix : "",
	    prefix);
}

int
az_archive_children(struct dest_azblob *a, const char *dprefix,
    const char *prefix, archive_name_fn cb, void *ctx, struct err *e)
{
	struct archive_walk w = { 0, cb, NULL, ctx, { NULL, 0, 0, 0 } };
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
	rc = az_client_list(azblob_client(a), full.p, 1, archive_walk_child, &w, e);
	buf_free(&full);
	buf_free(&w.tmp);
	return rc;
}

int
az_archive_list(struct dest_azblob *a, const char *dprefix,
    const char *prefix, archive_key_fn cb, void *ctx, struct err *e)
{
	struct archive_walk w = { 0, NULL, cb, ctx, { NULL, 0, 0, 0 } };
	struct buf full;
	int rc;

	buf_init(&full, LIM_KEY);
	if (az_walk_full(&full, dprefix, prefix) == -1) {
		buf_free(&full);
		return err_set(e, "prefix too long");
	}
	w.skip = strlen(dprefix != NULL ? dprefix : "");
	rc = az_client_list(azblob_client(a), full.p, 0, archive_walk_key, &w, e);
	buf_free(&full);
	return rc;
}

int
az_archive_get(struct dest_azblob *a, const char *dprefix, const char *key,
    gz_sink_fn sink, void *ctx, struct err *e)
{
	struct archive_pipe pp = { sink, ctx, e };
	struct err ge = { 0, "" };
	struct buf full;
	int rc;

	buf_init(&full, LIM_KEY);
	if (az_walk_full(&full, dprefix, key) == -1) {
		buf_free(&full);
		return err_set(e, "key too long");
	}
	rc = az_client_get(azblob_client(a), full.p, archive_pipe_piece, &pp, &ge);
	/* The sink's own error (in e) says more than the transfer's. */
	if (rc == -1 && (e == NULL || e->msg[0] == '\0'))
		err_set(e, "%s", ge.msg);
	buf_free(&full);
	return rc;
}
