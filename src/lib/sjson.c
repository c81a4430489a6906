/*
 * sjson.c - see sjson.h.  A recursive-descent parser (RFC 8259, depth
 * bounded) building a tree that keeps each scalar's own text, and the
 * matching two-space writer.
 */
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"
#include "sjson.h"

struct sj_p {
	const char	*s, *end, *p;
	struct err	*e;
};

static int
sj_fail(struct sj_p *p, const char *what)
{
	size_t line = 1, col = 1;
	const char *q;

	for (q = p->s; q < p->p; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	return err_set(p->e, "line %zu column %zu: %s", line, col, what);
}

static void
sj_ws(struct sj_p *p)
{
	while (p->p < p->end && (*p->p == ' ' || *p->p == '\t' ||
	    *p->p == '\n' || *p->p == '\r'))
		p->p++;
}

static char *
sj_dup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* A string token at p->p: its extent (quotes included) checked. */
static int
sj_scan_string(struct sj_p *p, const char **start, size_t *len)
{
	const char *q = p->p;
	unsigned u;
	size_t k;

	if (q >= p->end || *q != '"')
		return sj_fail(p, "expected a string");
	for (q++; q < p->end; ) {
		unsigned char c = (unsigned char)*q;

		if (c == '"') {
			*start = p->p;
			*len = (size_t)(q + 1 - p->p);
			p->p = q + 1;
			return 0;
		}
		if (c < 0x20) {
			p->p = q;
			return sj_fail(p, "control character in a string");
		}
		if (c == '\\') {
			if (q + 1 >= p->end)
				break;
			switch (q[1]) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				q += 2;
				continue;
			case 'u':
				if (p->end - q < 6 || jsonl_hex4(q + 2, &u) == -1) {
					p->p = q;
					return sj_fail(p, "bad \\u escape");
				}
				q += 6;
				continue;
			default:
				p->p = q;
				return sj_fail(p, "bad escape in a string");
			}
		}
		if ((k = jsonl_utf8_seq((const unsigned char *)q,
		    (const unsigned char *)p->end)) == 0) {
			p->p = q;
			return sj_fail(p, "invalid UTF-8 in a string");
		}
		q += k;
	}
	p->p = q;
	return sj_fail(p, "unterminated string");
}

static int
sj_scan_number(struct sj_p *p)
{
	const char *q = p->p;

	if (q < p->end && *q == '-')
		q++;
	if (q < p->end && *q == '0')
		q++;
	else if (q < p->end && *q >= '1' && *q <= '9')
		while (q < p->end && *q >= '0' && *q <= '9')
			q++;
	else
		goto bad;
	if (q < p->end && *q == '.') {
		q++;
		if (q >= p->end || *q < '0' || *q > '9')
			goto bad;
		while (q < p->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < p->end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < p->end && (*q == '+' || *q == '-'))
			q++;
		if (q >= p->end || *q < '0' || *q > '9')
			goto bad;
		while (q < p->end && *q >= '0' && *q <= '9')
			q++;
	}
	p->p = q;
	return 0;
bad:
	p->p = q;
	return sj_fail(p, "bad number");
}

static int sj_value(struct sj_p *p, struct sj **out, int depth);

/* Append child to the end of parent's list (tail kept by the caller). */
static void
sj_link(struct sj *parent, struct sj **tail, struct sj *child)
{
	if (*tail == NULL)
		parent->child = child;
	else
		(*tail)->next = child;
	*tail = child;
}

static int
sj_container(struct sj_p *p, struct sj *v, int depth)
{
	int is_obj = v->type == SJ_OBJ;
	char close = is_obj ? '}' : ']';
	struct sj *tail = NULL, *c;
	const char *ks;
	size_t kl;
	char *key;

	p->p++;
	sj_ws(p);
	if (p->p < p->end && *p->p == close) {
		p->p++;
		return 0;
	}
	for (;;) {
		key = NULL;
		sj_ws(p);
		if (is_obj) {
			if (sj_scan_string(p, &ks, &kl) == -1)
				return -1;
			if ((key = sj_dup(ks, kl)) == NULL)
				return sj_fail(p, "out of memory");
			sj_ws(p);
			if (p->p >= p->end || *p->p != ':') {
				free(key);
				return sj_fail(p, "expected ':'");
			}
			p->p++;
		}
		if (sj_value(p, &c, depth + 1) == -1) {
			free(key);
			return -1;
		}
		c->key = key;
		sj_link(v, &tail, c);
		sj_ws(p);
		if (p->p < p->end && *p->p == ',') {
			p->p++;
			continue;
		}
		if (p->p < p->end && *p->p == close) {
			p->p++;
			return 0;
		}
		return sj_fail(p, is_obj ? "expected ',' or '}'" :
		    "expected ',' or ']'");
	}
}

static int
sj_value(struct sj_p *p, struct sj **out, int depth)
{
	const char *start;
	size_t len;
	struct sj *v;

	*out = NULL;
	if (depth > LIM_SJSON_DEPTH)
		return sj_fail(p, "nested too deeply");
	sj_ws(p);
	if (p->p >= p->end)
		return sj_fail(p, "unexpected end of input");
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return sj_fail(p, "out of memory");
	start = p->p;
	switch (*p->p) {
	case '{':
	case '[':
		v->type = *p->p == '{' ? SJ_OBJ : SJ_ARR;
		if (sj_container(p, v, depth) == -1)
			goto fail;
		*out = v;
		return 0;
	case '"':
		v->type = SJ_STR;
		if (sj_scan_string(p, &start, &len) == -1)
			goto fail;
		break;
	case 't': case 'f': case 'n': {
		static const char *const words[] = { "true", "false", "null" };
		size_t i, wl;

		for (i = 0; i < 3; i++) {
			wl = strlen(words[i]);
			if ((size_t)(p->end - p->p) >= wl &&
			    memcmp(p->p, words[i], wl) == 0)
				break;
		}
		if (i == 3) {
			sj_fail(p, "unexpected word");
			goto fail;
		}
		v->type = i == 2 ? SJ_NULL : SJ_BOOL;
		p->p += wl;
		break;
	}
	default:
		v->type = SJ_NUM;
		if (sj_scan_number(p) == -1)
			goto fail;
	}
	len = (size_t)(p->p - start);
	if ((v->text = sj_dup(start, len)) == NULL) {
		sj_fail(p, "out of memory");
		goto fail;
	}
	*out = v;
	return 0;
fail:
	sj_free(v);
	return -1;
}

int
sj_parse(const char *s, size_t n, struct sj **out, struct err *e)
{
	struct sj_p p = { s, s + n, s, e };
	struct sj *v;

	*out = NULL;
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		p.p += 3;	/* a BOM some editors write */
	if (sj_value(&p, &v, 0) == -1)
		return -1;
	sj_ws(&p);
	if (p.p != p.end) {
		sj_free(v);
		return sj_fail(&p, "text after the JSON value");
	}
	*out = v;
	return 0;
}

void
sj_free(struct sj *v)
{
	struct sj *c, *nx;

	if (v == NULL)
		return;
	for (c = v->child; c != NULL; c = nx) {
		nx = c->next;
		sj_free(c);
	}
	free(v->key);
	free(v->text);
	free(v);
}

static int
sj_indent(struct buf *out, int level)
{
	int i;

	for (i = 0; i < level; i++)
		if (buf_add(out, "  ", 2) == -1)
			return -1;
	return 0;
}

static int
sj_write_at(const struct sj *v, struct buf *out, int level)
{
	const struct sj *c;

	if (v->type != SJ_ARR && v->type != SJ_OBJ)
		return buf_adds(out, v->text);
	if (v->child == NULL)
		return buf_adds(out, v->type == SJ_OBJ ? "{}" : "[]");
	if (buf_addc(out, v->type == SJ_OBJ ? '{' : '[') == -1)
		return -1;
	for (c = v->child; c != NULL; c = c->next) {
		if (buf_addc(out, '\n') == -1 || sj_indent(out, level + 1) == -1)
			return -1;
		if (v->type == SJ_OBJ && (buf_adds(out, c->key) == -1 ||
		    buf_add(out, ": ", 2) == -1))
			return -1;
		if (sj_write_at(c, out, level + 1) == -1 ||
		    (c->next != NULL && buf_addc(out, ',') == -1))
			return -1;
	}
	if (buf_addc(out, '\n') == -1 || sj_indent(out, level) == -1)
		return -1;
	return buf_addc(out, v->type == SJ_OBJ ? '}' : ']');
}

int
sj_write(const struct sj *v, struct buf *out)
{
	if (sj_write_at(v, out, 0) == -1)
		return -1;
	return buf_addc(out, '\n');
}

struct sj *
sj_new(enum sj_type type)
{
	struct sj *v = calloc(1, sizeof(*v));

	if (v != NULL)
		v->type = type;
	return v;
}

/* s as JSON string text (quotes, escapes). */
static char *
sj_quote(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s), i, k = 0;
	char *q = malloc(n * 6 + 3);

	if (q == NULL)
		return NULL;
	q[k++] = '"';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			q[k++] = '\\';
			q[k++] = (char)c;
		} else if (c == '\n') {
			q[k++] = '\\';
			q[k++] = 'n';
		} else if (c < 0x20) {
			q[k++] = '\\';
			q[k++] = 'u';
			q[k++] = '0';
			q[k++] = '0';
			q[k++] = hex[c >> 4];
			q[k++] = hex[c & 15];
		} else
			q[k++] = (char)c;
	}
	q[k++] = '"';
	q[k] = '\0';
	return q;
}

struct sj *
sj_str(const char *s)
{
	struct sj *v = sj_new(SJ_STR);

	if (v != NULL && (v->text = sj_quote(s)) == NULL) {
		free(v);
		return NULL;
	}
	return v;
}

struct sj *
sj_num(long long n)
{
	struct sj *v = sj_new(SJ_NUM);
	char tmp[24], *q = tmp + sizeof(tmp);
	unsigned long long u = n < 0 ? 0ull - (unsigned long long)n :
	    (unsigned long long)n;

	if (v == NULL)
		return NULL;
	*--q = '\0';
	do {
		*--q = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (n < 0)
		*--q = '-';
	if ((v->text = sj_dup(q, strlen(q))) == NULL) {
		free(v);
		return NULL;
	}
	return v;
}

int
sj_string(const struct sj *v, char *out, size_t outsz)
{
	const char *q, *end;
	size_t k = 0, used;
	unsigned u = 0;

	if (v == NULL || v->type != SJ_STR || outsz == 0)
		return -1;
	end = v->text + strlen(v->text);
	for (q = v->text + 1; *q != '"'; q++) {
		char enc[4];
		size_t el = 1;

		enc[0] = *q;
		if (*q == '\\') {
			q++;
			switch (*q) {
			case 'u':
				(void)jsonl_hex4(q + 1, &u);
				q += 4;
				u = jsonl_u_escape(u, q + 1, end, &used);
				q += used;
				if (u == 0)
					return -1;	/* no NUL in a C string */
				el = jsonl_utf8_encode(u, enc);
				break;
			default: enc[0] = jsonl_escaped(*q); break;
			}
		}
		if (k + el >= outsz)
			return -1;
		memcpy(out + k, enc, el);
		k += el;
	}
	out[k] = '\0';
	return 0;
}

/* Member names compare by their decoded text. */
static int
sj_key_is(const char *keytext, const char *key)
{
	struct sj tmp = { SJ_STR, NULL, (char *)keytext, NULL, NULL };
	char dec[256];

	if (sj_string(&tmp, dec, sizeof(dec)) == -1)
		return 0;
	return strcmp(dec, key) == 0;
}

struct sj *
sj_get(const struct sj *obj, const char *key)
{
	struct sj *c;

	if (obj == NULL || obj->type != SJ_OBJ)
		return NULL;
	for (c = obj->child; c != NULL; c = c->next)
		if (sj_key_is(c->key, key))
			return c;
	return NULL;
}

int
sj_add(struct sj *parent, const char *key, struct sj *v)
{
	struct sj **pp;

	if (parent == NULL || v == NULL ||
	    (parent->type != SJ_OBJ && parent->type != SJ_ARR) ||
	    (parent->type == SJ_OBJ) != (key != NULL))
		return -1;
	if (key != NULL && (v->key = sj_quote(key)) == NULL)
		return -1;
	for (pp = &parent->child; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = v;
	return 0;
}

void
sj_remove(struct sj *parent, struct sj *v)
{
	struct sj **pp;

	for (pp = &parent->child; *pp != NULL; pp = &(*pp)->next)
		if (*pp == v) {
			*pp = v->next;
			v->next = NULL;
			sj_free(v);
			return;
		}
}

int
sj_equal(const struct sj *a, const struct sj *b)
{
	const struct sj *x, *y;
	char da[LIM_ERR_MSG], db[LIM_ERR_MSG];

	if (a->type != b->type || (a->key == NULL) != (b->key == NULL))
		return 0;
	/* Names and strings compare by their text; the same value spelled
	 * with other escapes (short ones) compares by its decoded value. */
	if (a->key != NULL && strcmp(a->key, b->key) != 0) {
		struct sj ka = { SJ_STR, NULL, a->key, NULL, NULL };
		struct sj kb = { SJ_STR, NULL, b->key, NULL, NULL };

		if (sj_string(&ka, da, sizeof(da)) == -1 ||
		    sj_string(&kb, db, sizeof(db)) == -1 || strcmp(da, db) != 0)
			return 0;
	}
	if (a->type == SJ_STR && strcmp(a->text, b->text) != 0)
		return sj_string(a, da, sizeof(da)) == 0 &&
		    sj_string(b, db, sizeof(db)) == 0 && strcmp(da, db) == 0;
	if (a->type != SJ_ARR && a->type != SJ_OBJ)
		return strcmp(a->text, b->text) == 0;
	for (x = a->child, y = b->child; x != NULL && y != NULL;
	    x = x->next, y = y->next)
		if (!sj_equal(x, y))
			return 0;
	return x == NULL && y == NULL;
}
