/*
 * syslog_ident.c - the record identity, and the seal record, the
 * syslog-format destinations share (see syslog_ident.h).
 */
#include <string.h>
#include <time.h>

#include "config.h"
#include "syslog_ident.h"

int
syslog_ident_set(const struct dest *d, const char *app_name,
    struct fmt_syslog *fmt, struct buf *host,
    char app[FMT_SYSLOG_APP_MAX + 1], struct err *e)
{
	memcpy(app, app_name, strlen(app_name) + 1);	/* fmt_syslog_app_ok() */
	if (fmt_syslog_token(host, d->cfg != NULL ? d->cfg->hostname : NULL,
	    FMT_SYSLOG_HOST_MAX) == -1)
		return err_set(e, "[destination %s] hostname too long", d->name);
	fmt->hostname = host->p;
	fmt->app_name = app;
	fmt->tz_offset = fmt_syslog_local_offset;
	return 0;
}

int
syslog_ident_check_app(const struct conf_section *s, struct conf_report *r)
{
	const char *app = conf_str(s, "app_name");

	if (fmt_syslog_app_ok(app))
		return 0;
	return conf_reject(r, s, conf_line(s, "app_name"), "app_name",
	    "\"%s\": want 1 to %d printable ASCII characters, no spaces "
	    "(RFC 5424 APP-NAME)", app, FMT_SYSLOG_APP_MAX);
}

int
syslog_ident_check_cert(const struct conf_section *s, struct conf_report *r)
{
	const char *k = conf_is_set(s, "cert_file") ? "cert_file" : "key_file";

	if (conf_is_set(s, "cert_file") == conf_is_set(s, "key_file"))
		return 0;
	return conf_reject(r, s, conf_line(s, k), k, "cert_file and key_file "
	    "go together (mutual TLS)");
}

int
syslog_ident_seal(struct buf *out, const struct fmt_syslog *fmt,
    const struct dest_seal *s, size_t *msglen)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	buf_reset(out);
	return fmt_syslog_seal(out, fmt, s->rec.stmt, s->rec.slen, s->rec.sig,
	    s->rec.siglen, (int64_t)now.tv_sec, (uint32_t)(now.tv_nsec / 1000),
	    msglen);
}
