/*
 * http_hdrs.h - what the HTTP-based destinations (dest_http.c,
 * dest_otlp.c) share around a request: their header list (owned copies,
 * secrets borrowed and marked), the header.NAME keys, a response body
 * quoted for a report without the key in it.
 */
#ifndef AUDITSHIP_HTTP_HDRS_H
#define AUDITSHIP_HTTP_HDRS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "config.h"
#include "http.h"

#define HTTP_HDRS_EXTRA_MAX	32	/* header.NAME keys at most */
#define HTTP_HDRS_MAX		(HTTP_HDRS_EXTRA_MAX + 8)
#define HTTP_HDRS_QUOTE		200	/* bytes of a body in a report */

struct http_hdrs {
	struct http_header h[HTTP_HDRS_MAX];
	size_t		 n;
	char		*owned[2 * HTTP_HDRS_MAX];
	size_t		 nowned;
};

/* Append a header.  name is copied; value too unless secret (then it is
 * borrowed: the caller's buffer must outlive the list).  -1 when full or
 * out of memory. */
int	http_hdrs_add(struct http_hdrs *l, const char *name, const char *value,
	    int secret);
/* check(): s's header.NAME keys, at most HTTP_HDRS_EXTRA_MAX, each with a
 * token name and a one-line value; rejections go to r.  1 when one was
 * rejected, else 0. */
int	http_hdrs_check(const struct conf_section *s, struct conf_report *r);
/* Append every header.NAME key of s (check() vetted them); those config.c
 * marked secret are marked so and registered with the log. */
int	http_hdrs_from_conf(struct http_hdrs *l, const struct conf_section *s);
void	http_hdrs_free(struct http_hdrs *l);

/* The first HTTP_HDRS_QUOTE bytes of rs's body, control bytes as spaces,
 * every copy of key (when 4 bytes or more) starred out. */
void	http_hdrs_quote(const struct http_response *rs, const struct buf *key,
	    char *out, size_t cap);

#endif
