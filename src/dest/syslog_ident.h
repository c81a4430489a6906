/*
 * syslog_ident.h - what the syslog-format destinations (dest_syslog.c,
 * dest_relp.c) set up alike for every record: HOSTNAME, APP-NAME and the
 * local time offset of their struct fmt_syslog.
 */
#ifndef AUDITSHIP_SYSLOG_IDENT_H
#define AUDITSHIP_SYSLOG_IDENT_H

#include "buf.h"
#include "dest.h"
#include "err.h"
#include "fmt_syslog.h"

/* Copy app_name (checked by the destination's check()) into app, make
 * [auditship] hostname (else the machine's) a HOSTNAME token in host, and
 * point fmt at both.  -1 with e set when the hostname is too long. */
int	syslog_ident_set(const struct dest *d, const char *app_name,
	    struct fmt_syslog *fmt, struct buf *host,
	    char app[FMT_SYSLOG_APP_MAX + 1], struct err *e);

#endif
