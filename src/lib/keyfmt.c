/*
 * keyfmt.c - object key templates (SPEC §3.4).  Pure.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "keyfmt.h"

static const char *const keyfmt_names[] = {
	"host", "user", "date", "yyyy", "mm", "dd", "start", "end",
};

static int
keyfmt_var(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(keyfmt_names) / sizeof(keyfmt_names[0]); i++)
		if (strlen(keyfmt_names[i]) == len &&
		    memcmp(keyfmt_names[i], name, len) == 0)
			return (int)i;
	return -1;
}

int
keyfmt_check(const char *fmt, struct err *e)
{
	const char *p = fmt, *close;

	while ((p = strchr(p, '{')) != NULL) {
		if ((close = strchr(p, '}')) == NULL)
			return err_set(e, "unclosed '{' in key format");
		if (keyfmt_var(p + 1, (size_t)(close - p - 1)) < 0)
			return err_set(e, "unknown variable {%.*s} (known: "
			    "{host} {user} {date} {yyyy} {mm} {dd} {start} {end})",
			    (int)(close - p - 1 > 40 ? 40 : close - p - 1), p + 1);
		p = close + 1;
	}
	if (strchr(fmt, '}') != NULL && strchr(fmt, '{') == NULL)
		return err_set(e, "stray '}' in key format");
	if (fmt[0] == '\0')
		return err_set(e, "empty key format");
	return 0;
}

/* A value may not add path levels: '/' and a ".." component become '_'. */
static int
keyfmt_add_value(struct buf *out, const char *v, size_t len)
{
	size_t i;

	if (len == 0)
		return buf_addc(out, '_');
	if ((len == 1 && v[0] == '.') || (len == 2 && v[0] == '.' && v[1] == '.'))
		return buf_add(out, "__", len);
	for (i = 0; i < len; i++)
		if (buf_addc(out, v[i] == '/' ? '_' : v[i]) == -1)
			return -1;
	return 0;
}

int
keyfmt_render(struct buf *out, const char *prefix, const char *fmt,
    const struct keyfmt_vars *v, struct err *e)
{
	const char *p = fmt, *close;
	char num[24];
	int rc = 0, n;

	if (keyfmt_check(fmt, e) == -1)
		return -1;
	if (prefix != NULL && buf_adds(out, prefix) == -1)
		return err_set(e, "object key too long");
	while (*p != '\0' && rc == 0) {
		if (*p != '{') {
			rc = buf_addc(out, *p++);
			continue;
		}
		close = strchr(p, '}');
		switch (keyfmt_var(p + 1, (size_t)(close - p - 1))) {
		case 0:
			rc = keyfmt_add_value(out, v->host, strlen(v->host));
			break;
		case 1:
			rc = keyfmt_add_value(out, v->user, strlen(v->user));
			break;
		case 2:
			rc = keyfmt_add_value(out, v->date, strlen(v->date));
			break;
		case 3:
			rc = keyfmt_add_value(out, v->date, 4);
			break;
		case 4:
			rc = keyfmt_add_value(out, v->date + 5, 2);
			break;
		case 5:
			rc = keyfmt_add_value(out, v->date + 8, 2);
			break;
		case 6:
		case 7:
			n = snprintf(num, sizeof(num), "%012" PRIu64,
			    keyfmt_var(p + 1, (size_t)(close - p - 1)) == 6 ?
			    v->start : v->end);
			rc = (n < 0 || (size_t)n >= sizeof(num)) ? -1 :
			    buf_add(out, num, (size_t)n);
			break;
		}
		p = close + 1;
	}
	if (rc == 0 && v->generation > 0) {
		static const char ext[] = ".jsonl.gz";
		size_t el = sizeof(ext) - 1, keep = out->len;
		char tail[24];

		if (out->len >= el && memcmp(out->p + out->len - el, ext, el) == 0)
			keep = out->len - el;
		n = snprintf(tail, sizeof(tail), ".reset%u", v->generation);
		if (n < 0 || (size_t)n >= sizeof(tail))
			rc = -1;
		else {
			int has_ext = keep != out->len;

			buf_truncate(out, keep);
			rc = buf_add(out, tail, (size_t)n);
			if (rc == 0 && has_ext)
				rc = buf_add(out, ext, el);
		}
	}
	if (rc == -1)
		return err_set(e, "object key too long");
	return 0;
}

int
keyfmt_seal_key(struct buf *out, const char *prefix, const char *fmt,
    const struct keyfmt_vars *v, unsigned seq, struct err *e)
{
	struct keyfmt_vars z = *v;
	size_t base = out->len, cut;
	char *slash;
	int rc;

	z.start = z.end = 0;
	z.generation = 0;
	if (keyfmt_render(out, prefix, fmt, &z, e) == -1)
		return -1;
	/* The day's object prefix: up to the last "/" of the rendered key
	 * (else the configured prefix alone). */
	out->p[out->len] = '\0';
	slash = strrchr(out->p + base, '/');
	cut = slash != NULL ? (size_t)(slash + 1 - out->p) :
	    base + (prefix != NULL ? strlen(prefix) : 0);
	buf_truncate(out, cut);
	if (keyfmt_add_value(out, v->date, strlen(v->date)) == -1)
		return err_set(e, "object key too long");
	rc = seq <= 1 ? buf_adds(out, ".seal.json") :
	    buf_printf(out, ".seal.%u.json", seq);
	if (rc == -1)
		return err_set(e, "object key too long");
	return 0;
}
