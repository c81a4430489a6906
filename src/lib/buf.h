/*
 * buf.h - one bounded, growable byte buffer (curl's dynbuf, typed).
 *
 * A buf never grows past the max given to buf_init(); an append that would
 * is refused with -1 and leaves the buffer unchanged.  The content is
 * always NUL-terminated (the NUL is not counted in len) so text can be
 * passed to C string functions.
 */
#ifndef AUDITSHIP_BUF_H
#define AUDITSHIP_BUF_H

#include <stddef.h>

struct buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	size_t	 max;
};

/* A borrowed (pointer, length) view. */
struct slice {
	const char *p;
	size_t	 len;
};

void	buf_init(struct buf *b, size_t max);
void	buf_free(struct buf *b);
/* Like buf_free, but overwrites the bytes first (for secrets). */
void	buf_free_secret(struct buf *b);
/* Forget the content, keep the memory. */
void	buf_reset(struct buf *b);
/* Make room for n more bytes; -1 when that would pass max or malloc fails. */
int	buf_reserve(struct buf *b, size_t n);
int	buf_add(struct buf *b, const void *p, size_t n);
int	buf_addc(struct buf *b, char c);
int	buf_adds(struct buf *b, const char *s);
int	buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Drop the first n bytes (n <= len). */
void	buf_consume(struct buf *b, size_t n);
/* Shorten to n bytes (n <= len). */
void	buf_truncate(struct buf *b, size_t n);

#endif
