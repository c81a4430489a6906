/*
 * err.c - struct err helpers (see err.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static void
err_vset(struct err *e, int code, const char *fmt, va_list ap)
{
	int n;

	if (e == NULL || e->msg[0] != '\0')
		return;
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	if (n < 0)
		snprintf(e->msg, sizeof(e->msg), "(unprintable error)");
	e->code = code;
}

int
err_set(struct err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_sys(struct err *e, const char *fmt, ...)
{
	int saved = errno;
	char what[LIM_ERR_MSG];
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(what, sizeof(what), fmt, ap) < 0)
		what[0] = '\0';
	va_end(ap);
	if (e != NULL && e->msg[0] == '\0') {
		/* A cut message is still a useful message. */
		if (snprintf(e->msg, sizeof(e->msg), "%s: %s", what,
		    strerror(saved)) < 0)
			e->msg[0] = '\0';
		e->code = saved;
	}
	errno = saved;
	return -1;
}

void
err_clear(struct err *e)
{
	if (e == NULL)
		return;
	e->code = 0;
	e->msg[0] = '\0';
}
