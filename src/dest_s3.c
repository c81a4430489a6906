/*
 * dest_s3.c - placeholder until the s3 destination lands; refuses to open.
 */
#include "dest.h"

static int
s3_open(struct dest *d, struct err *e)
{
	return err_set(e, "[destination %s] type = s3 is not available in this build", d->name);
}

static void
s3_close(struct dest *d)
{
	(void)d;
}

const struct dest_ops dest_s3_ops = {
	.type = "s3",
	.kind = DEST_RECORDS,
	.open = s3_open,
	.close = s3_close,
};
