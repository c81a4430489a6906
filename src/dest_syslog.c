/*
 * dest_syslog.c - placeholder until the syslog destination lands; refuses to open.
 */
#include "dest.h"

static int
syslog_open(struct dest *d, struct err *e)
{
	return err_set(e, "[destination %s] type = syslog is not available in this build", d->name);
}

static void
syslog_close(struct dest *d)
{
	(void)d;
}

const struct dest_ops dest_syslog_ops = {
	.type = "syslog",
	.kind = DEST_RECORDS,
	.open = syslog_open,
	.close = syslog_close,
};
