/*
 * http_hdrs.c - headers and quotes for HTTP destinations
 * (see http_hdrs.h).
 */
#include <stdlib.h>
#include <string.h>

#include "http_hdrs.h"
#include "log.h"

static char *
http_hdrs_own(struct http_hdrs *l, const char *s)
{
	char *p;

	if (l->nowned == sizeof(l->owned) / sizeof(l->owned[0]) ||
	    (p = strdup(s)) == NULL)
		return NULL;
	l->owned[l->nowned++] = p;
	return p;
}

int
http_hdrs_add(struct http_hdrs *l, const char *name, const char *value,
    int secret)
{
	struct http_header *h;

	if (l->n == HTTP_HDRS_MAX)
		return -1;
	h = &l->h[l->n];
	if ((h->name = http_hdrs_own(l, name)) == NULL ||
	    (h->value = secret ? value : http_hdrs_own(l, value)) == NULL)
		return -1;
	h->secret = secret;
	l->n++;
	return 0;
}

int
http_hdrs_check(const struct conf_section *s, struct conf_report *r)
{
	const struct conf_value *v;
	const char *name;
	int bad = 0;
	size_t i;

	for (i = 0; (v = conf_prefixed(s, "header.", i)) != NULL; i++) {
		name = v->key + strlen("header.");
		if (i == HTTP_HDRS_EXTRA_MAX)
			bad |= conf_reject(r, s, v->line, v->key, "too many "
			    "header.NAME keys (at most %d)",
			    HTTP_HDRS_EXTRA_MAX);
		if (name[0] == '\0' || strpbrk(name, " :\r\n\t") != NULL ||
		    strpbrk(v->text, "\r\n") != NULL)
			bad |= conf_reject(r, s, v->line, v->key,
			    "invalid header");
	}
	return bad;
}

int
http_hdrs_from_conf(struct http_hdrs *l, const struct conf_section *s)
{
	const struct conf_value *v;
	size_t i;

	for (i = 0; (v = conf_prefixed(s, "header.", i)) != NULL; i++) {
		if (http_hdrs_add(l, v->key + strlen("header."), v->text, 0) == -1)
			return -1;
		/* config.c: every header but a few (fmt_http_header_public). */
		l->h[l->n - 1].secret = v->secret;
		if (v->secret)
			log_add_secret(v->text);
	}
	return 0;
}

void
http_hdrs_free(struct http_hdrs *l)
{
	size_t i;

	for (i = 0; i < l->nowned; i++)
		free(l->owned[i]);
	l->nowned = l->n = 0;
}

void
http_hdrs_quote(const struct http_response *rs, const struct buf *key,
    char *out, size_t cap)
{
	size_t n = rs->body.len < HTTP_HDRS_QUOTE ? rs->body.len :
	    HTTP_HDRS_QUOTE, i;
	char *hit;

	if (n >= cap)
		n = cap - 1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)rs->body.p[i];
		out[i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	out[n] = '\0';
	/* A server that echoes the request must not make us print the key. */
	if (key != NULL && key->len >= 4)
		while ((hit = strstr(out, key->p)) != NULL)
			memset(hit, '*', key->len);
}
