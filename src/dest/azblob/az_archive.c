/*
 * az_archive.c - reading an azblob container back through archive.h (see
 * az_archive.h): Get Blob streamed for an object's stored bytes (archive.c
 * lists through az_client_list).  Memory stays bounded: one listing page and
 * one piece of a download at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "az_archive.h"
#include "az_client.h"
#include "buf.h"
#include "caps.h"

int
az_archive_get(struct dest_azblob *a, const char *dprefix, const char *key,
    gz_sink_fn sink, void *ctx, struct err *e)
{
	struct archive_pipe pp = { sink, ctx, e };
	struct err ge = { 0, "" };
	struct buf full;
	int rc;

	buf_init(&full, LIM_KEY);
	if (buf_printf(&full, "%s%s", dprefix, key) == -1) {
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
