/*
 * err.h - the caller-owned error record every fallible function fills.
 *
 * Functions return 0 / -1 (or an enum) and describe a failure in a
 * struct err that the caller owns.  err_set() keeps the first (root) error
 * and accepts NULL.  Secrets never go into an err.
 */
#ifndef AUDITSHIP_ERR_H
#define AUDITSHIP_ERR_H

#include "caps.h"

struct err {
	int	code;			/* errno, HTTP status, or 0 */
	char	msg[LIM_ERR_MSG];
};

/* Set e (when not NULL and still empty) from a printf format.  Returns -1
 * so callers can write "return err_set(e, ...);". */
int	err_set(struct err *e, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Like err_set, appending ": strerror(errno)"; e->code = errno. */
int	err_sys(struct err *e, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Forget the stored error. */
void	err_clear(struct err *e);

#endif
