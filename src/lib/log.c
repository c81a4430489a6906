/*
 * log.c - diagnostics on stderr, one line each, secrets masked.
 *
 * Every line goes out with one write(2) so that concurrent processes do not
 * interleave.  Registered secrets are masked as a last line of defence; the
 * first line is never to format a secret at all.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "log.h"

#define LOG_MAX_SECRETS	32

static enum log_level log_level = LOG_LVL_INFO;
static char *log_secrets[LOG_MAX_SECRETS];
static size_t log_nsecrets;

static int log_prog_shown;	/* a progress line is on the terminal */

static const char *const log_names[] = { "error", "warning", "info", "debug" };

void
log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

void
log_add_secret(const char *secret)
{
	size_t i;

	if (secret == NULL || strlen(secret) < 4 || log_nsecrets == LOG_MAX_SECRETS)
		return;
	for (i = 0; i < log_nsecrets; i++)
		if (strcmp(log_secrets[i], secret) == 0)
			return;
	if ((log_secrets[log_nsecrets] = strdup(secret)) != NULL)
		log_nsecrets++;
}

void
log_clear_secrets(void)
{
	size_t i;

	for (i = 0; i < log_nsecrets; i++) {
		explicit_bzero(log_secrets[i], strlen(log_secrets[i]));
		free(log_secrets[i]);
		log_secrets[i] = NULL;
	}
	log_nsecrets = 0;
}

/* Replace every registered secret in s (in place; "****" is never longer). */
void
log_mask(char *s)
{
	size_t i, slen;
	char *hit;

	for (i = 0; i < log_nsecrets; i++) {
		slen = strlen(log_secrets[i]);
		while ((hit = strstr(s, log_secrets[i])) != NULL) {
			memcpy(hit, "****", 4);
			memmove(hit + 4, hit + slen, strlen(hit + slen) + 1);
		}
	}
}

static void
log_emit(enum log_level level, const char *dest, const char *fmt, va_list ap,
    int with_errno, int saved_errno)
{
	char msg[2048], line[2300];
	size_t i, used;
	int n;

	if (level > log_level)
		return;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		n = snprintf(msg, sizeof(msg), "(unprintable message)");
	used = (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
	if (with_errno)
		snprintf(msg + used, sizeof(msg) - used, ": %s",
		    strerror(saved_errno));
	log_mask(msg);
	/* One diagnostic is one line: make control characters visible. */
	for (i = 0; msg[i] != '\0'; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			msg[i] = '?';
	n = snprintf(line, sizeof(line), "auditship: %s: %s%s%s%s\n",
	    log_names[level], dest ? "dest " : "", dest ? dest : "",
	    dest ? ": " : "", msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	if (log_prog_shown) {
		/* Over the progress line; the next update redraws it. */
		(void)!write(STDERR_FILENO, "\r\033[K", 4);
		log_prog_shown = 0;
	}
	(void)!write(STDERR_FILENO, line, (size_t)n);
}

void
log_progress(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg + 1, sizeof(msg) - 5, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(msg) - 6)
		n = (int)sizeof(msg) - 6;
	msg[0] = '\r';
	memcpy(msg + 1 + n, "\033[K", 3);
	(void)!write(STDERR_FILENO, msg, (size_t)n + 4);
	log_prog_shown = 1;
}

void
log_progress_end(void)
{
	if (log_prog_shown)
		(void)!write(STDERR_FILENO, "\n", 1);
	log_prog_shown = 0;
}

void
log_usage(const char *text)
{
	size_t n = strlen(text);
	ssize_t w;

	log_progress_end();
	while (n > 0) {
		if ((w = write(STDERR_FILENO, text, n)) == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		text += w;
		n -= (size_t)w;
	}
}

#define LOG_FN(name, lvl, errflag)				\
void								\
name(const char *fmt, ...)					\
{								\
	int saved = errno;					\
	va_list ap;						\
	va_start(ap, fmt);					\
	log_emit(lvl, NULL, fmt, ap, errflag, saved);		\
	va_end(ap);						\
	errno = saved;						\
}

LOG_FN(log_error, LOG_LVL_ERROR, 0)
LOG_FN(log_warn, LOG_LVL_WARN, 0)
LOG_FN(log_warn_sys, LOG_LVL_WARN, 1)
LOG_FN(log_info, LOG_LVL_INFO, 0)
LOG_FN(log_debug, LOG_LVL_DEBUG, 0)

void
log_dest(enum log_level level, const char *dest, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_emit(level, dest, fmt, ap, 0, saved);
	va_end(ap);
	errno = saved;
}
