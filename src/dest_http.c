/*
 * dest_http.c - placeholder until the http destination lands; refuses to open.
 */
#include "dest.h"

static int
http_open(struct dest *d, struct err *e)
{
	return err_set(e, "[destination %s] type = http is not available in this build", d->name);
}

static void
http_close(struct dest *d)
{
	(void)d;
}

const struct dest_ops dest_http_ops = {
	.type = "http",
	.kind = DEST_RECORDS,
	.open = http_open,
	.close = http_close,
};
