/*
 * syslog_ident.h - what the syslog-format destinations (dest_syslog.c,
 * dest_relp.c) set up alike for every record: HOSTNAME, APP-NAME and the
 * local time offset of their struct fmt_syslog, and the seal record; the
 * keys that name them and the checks both make.
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

/* The seal s as one syslog message in out, stamped with the time now:
 * fmt_syslog_seal()'s return, *msglen as its. */
int	syslog_ident_seal(struct buf *out, const struct fmt_syslog *fmt,
	    const struct dest_seal *s, size_t *msglen);

/* The key table rows of the record's PRI and APP-NAME: facility (names as
 * in syslog.h, 12-15 as rsyslog calls them, in the order of their codes:
 * conf_num() is the RFC 5424 §6.2.1 code), severity (conf_num() is its
 * code), app_name. */
#define SYSLOG_IDENT_KEYS						\
	{ "facility", CONF_ENUM, "local0", 0,				\
	    "kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|" \
	    "ftp|ntp|security|console|solaris-cron|"			\
	    "local0|local1|local2|local3|local4|local5|local6|local7",	\
	    0, 0, NULL },						\
	{ "severity", CONF_ENUM, "info", 0,				\
	    "emerg|alert|crit|err|warning|notice|info|debug", 0, 0, NULL }, \
	{ "app_name", CONF_STR, "claude-code", 0, NULL, 0, 0, NULL }

/* check(): app_name is an RFC 5424 APP-NAME; cert_file and key_file come
 * together.  0, or conf_reject()'s -1 (reported). */
int	syslog_ident_check_app(const struct conf_section *s,
	    struct conf_report *r);
int	syslog_ident_check_cert(const struct conf_section *s,
	    struct conf_report *r);

#endif
