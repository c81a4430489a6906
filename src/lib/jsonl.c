/*
 * jsonl.c - pure JSON scanning for audit lines (see jsonl.h).
 *
 * A small recursive-descent validator over (pointer, end) per RFC 8259,
 * with UTF-8 checked per RFC 3629 (no overlong forms, no surrogates, nothing
 * above U+10FFFF).  It never allocates and never builds a tree: the shipper
 * only needs "is this one object?" and the bytes of a few top-level members.
 */
#include <stdint.h>
#include <string.h>
#include "jsonl.h"
#include "jsonl_scan.h"
#include "parse.h"

struct scan {
	const unsigned char *p;
	const unsigned char *end;
	int depth;
};

static int scan_value(struct scan *s);

static void
scan_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

size_t
jsonl_utf8_seq(const unsigned char *p, const unsigned char *end)
{
	size_t n, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
	} else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

int
jsonl_utf8_valid(const char *p, size_t len)
{
	const unsigned char *u = (const unsigned char *)p, *end = u + len;
	size_t n;

	while (u < end) {
		if (*u < 0x80) {
			u++;
			continue;
		}
		if ((n = jsonl_utf8_seq(u, end)) == 0)
			return 0;
		u += n;
	}
	return 1;
}

static int
hex4(const unsigned char *p)
{
	int i;

	for (i = 0; i < 4; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' &&
		    p[i] <= 'f') || (p[i] >= 'A' && p[i] <= 'F')))
			return 0;
	return 1;
}

size_t
jsonl_plain_span(const char *p, size_t len)
{
	const unsigned char *u = (const unsigned char *)p;

	return (size_t)(jsonl_scan_plain(u, u + len) - u);
}

/* jsonl_string_end's slow path (jsonl_scan.h). */
const unsigned char *
jsonl_string_rest(const unsigned char *p, const unsigned char *end)
{
	size_t n;

	for (;;) {
		unsigned char c;

		if (p >= end)
			return NULL;
		c = *p;
		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL;
		if (c == '\\') {
			if (end - p < 2)
				return NULL;
			switch (p[1]) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				p += 2;
				break;
			case 'u':
				if (end - p < 6 || !hex4(p + 2))
					return NULL;
				p += 6;
				break;
			default:
				return NULL;
			}
		} else if (c < 0x80)
			p++;
		else if ((n = jsonl_utf8_seq(p, end)) == 0)
			return NULL;
		else
			p += n;
		p = jsonl_scan_plain(p, end);
	}
}

/* A string starting at the opening quote. */
static int
scan_string(struct scan *s)
{
	const unsigned char *q = jsonl_string_end(s->p + 1, s->end);

	if (q == NULL)
		return 0;
	s->p = q;
	return 1;
}

static int
scan_digits(struct scan *s)
{
	const unsigned char *start = s->p;

	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > start;
}

static int
scan_number(struct scan *s)
{
	if (*s->p == '-')
		s->p++;
	if (s->p >= s->end)
		return 0;
	if (*s->p == '0')
		s->p++;
	else if (!scan_digits(s))
		return 0;
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (!scan_digits(s))
			return 0;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!scan_digits(s))
			return 0;
	}
	return 1;
}

static int
scan_literal(struct scan *s, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0)
		return 0;
	s->p += n;
	return 1;
}

/* An object (close '}': members "name": value) or an array (close ']'),
 * s->p on its opening bracket. */
static int
scan_container(struct scan *s, char close)
{
	if (++s->depth > JSONL_MAX_DEPTH)
		return 0;
	s->p++;
	scan_ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		s->depth--;
		return 1;
	}
	for (;;) {
		if (close == '}') {
			scan_ws(s);
			if (s->p >= s->end || *s->p != '"' || !scan_string(s))
				return 0;
			scan_ws(s);
			if (s->p >= s->end || *s->p != ':')
				return 0;
			s->p++;
		}
		if (!scan_value(s))
			return 0;
		scan_ws(s);
		if (s->p >= s->end)
			return 0;
		if (*s->p == close) {
			s->p++;
			s->depth--;
			return 1;
		}
		if (*s->p != ',')
			return 0;
		s->p++;
	}
}

static int
scan_value(struct scan *s)
{
	scan_ws(s);
	if (s->p >= s->end)
		return 0;
	switch (*s->p) {
	case '{':
		return scan_container(s, '}');
	case '[':
		return scan_container(s, ']');
	case '"':
		return scan_string(s);
	case 't':
		return scan_literal(s, "true");
	case 'f':
		return scan_literal(s, "false");
	case 'n':
		return scan_literal(s, "null");
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			return scan_number(s);
		return 0;
	}
}

int
jsonl_is_object(const char *p, size_t len)
{
	struct scan s = { (const unsigned char *)p,
	    (const unsigned char *)p + len, 0 };

	scan_ws(&s);
	if (s.p >= s.end || *s.p != '{' || !scan_container(&s, '}'))
		return 0;
	scan_ws(&s);
	return s.p == s.end;
}

static int
jsonl_escape_mode(struct buf *out, const char *p, size_t len, int bytes)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)p, *end = u + len;
	const unsigned char *run = u;
	char esc[8];
	size_t n;

	while (u < end) {
		unsigned char c = *u;
		const char *rep = NULL;
		size_t replen = 0;

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
			u++;
			continue;
		}
		if (c >= 0x80) {
			if ((n = jsonl_utf8_seq(u, end)) != 0) {
				u += n;
				continue;
			}
			rep = "\\ufffd";	/* invalid byte: keep JSON valid */
			replen = 6;
		}
		if (rep == NULL || bytes) {
			/* \n, \r, \t, \" and \\ by name, other controls (and,
			 * recoverable, an invalid byte) as \u00XX */
			rep = esc;
			replen = 2;
			esc[0] = '\\';
			esc[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' :
			    (char)c;
			if (c != '\n' && c != '\r' && c != '\t' && c != '"' &&
			    c != '\\') {
				memcpy(esc + 1, "u00", 3);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 0xf];
				replen = 6;
			}
		}
		if (buf_add(out, run, (size_t)(u - run)) == -1 ||
		    buf_add(out, rep, replen) == -1)
			return -1;
		u++;
		run = u;
	}
	return buf_add(out, run, (size_t)(u - run));
}

int
jsonl_escape(struct buf *out, const char *p, size_t len)
{
	return jsonl_escape_mode(out, p, len, 0);
}

int
jsonl_escape_bytes(struct buf *out, const char *p, size_t len)
{
	return jsonl_escape_mode(out, p, len, 1);
}

int
jsonl_find_string(const char *p, size_t len, const char *name,
    const char **val, size_t *vlen)
{
	struct scan s = { (const unsigned char *)p,
	    (const unsigned char *)p + len, 0 };
	size_t nlen = strlen(name);
	const unsigned char *kstart, *vstart;

	scan_ws(&s);
	if (s.p >= s.end || *s.p != '{')
		return 0;
	s.p++;
	for (;;) {
		scan_ws(&s);
		if (s.p >= s.end || *s.p != '"')
			return 0;
		kstart = s.p + 1;
		if (!scan_string(&s))
			return 0;
		/* Compare raw key bytes: audit keys are plain ASCII. */
		int match = (size_t)(s.p - 1 - kstart) == nlen &&
		    memcmp(kstart, name, nlen) == 0;
		scan_ws(&s);
		if (s.p >= s.end || *s.p != ':')
			return 0;
		s.p++;
		scan_ws(&s);
		vstart = s.p;
		if (!scan_value(&s))
			return 0;
		if (match) {
			if (*vstart != '"')
				return 0;
			*val = (const char *)vstart + 1;
			*vlen = (size_t)(s.p - vstart) - 2;
			return 1;
		}
		scan_ws(&s);
		if (s.p >= s.end || *s.p != ',')
			return 0;
		s.p++;
	}
}

size_t
jsonl_object_open(const char *p, size_t len, int *empty)
{
	size_t i = 0, after;

	while (i < len && p[i] != '{')
		i++;
	after = i < len ? i + 1 : len;
	i = after;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
	    p[i] == '\r'))
		i++;
	*empty = i < len && p[i] == '}';
	return after;
}

int
jsonl_is_rfc3339(const char *s, size_t len)
{
	size_t i;

	/* 2026-11-20T15:04:05 is 19 bytes; then [.frac] and Z or +hh:mm. */
	if (len < 20 || !parse_all_digits(s, 4) || s[4] != '-' || !parse_all_digits(s + 5, 2) ||
	    s[7] != '-' || !parse_all_digits(s + 8, 2) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !parse_all_digits(s + 11, 2) || s[13] != ':' || !parse_all_digits(s + 14, 2) ||
	    s[16] != ':' || !parse_all_digits(s + 17, 2))
		return 0;
	if ((s[5] - '0') * 10 + (s[6] - '0') > 12 ||
	    (s[8] - '0') * 10 + (s[9] - '0') > 31 ||
	    (s[11] - '0') * 10 + (s[12] - '0') > 23 ||
	    (s[14] - '0') * 10 + (s[15] - '0') > 59 ||
	    (s[17] - '0') * 10 + (s[18] - '0') > 60)
		return 0;
	i = 19;
	if (s[i] == '.') {
		i++;
		if (i >= len || !parse_all_digits(s + i, 1))
			return 0;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i == len - 1 && (s[i] == 'Z' || s[i] == 'z'))
		return 1;
	if (i + 6 == len && (s[i] == '+' || s[i] == '-') &&
	    parse_all_digits(s + i + 1, 2) && s[i + 3] == ':' && parse_all_digits(s + i + 4, 2))
		return 1;
	return 0;
}

const char *
jsonl_skip_string(const char *p, const char *end)
{
	return (const char *)jsonl_string_end((const unsigned char *)p + 1,
	    (const unsigned char *)end);
}

const char *
jsonl_skip_value(const char *p, const char *end, int depth)
{
	struct scan s = { (const unsigned char *)p,
	    (const unsigned char *)end, depth };

	return scan_value(&s) ? (const char *)s.p : NULL;
}

int
jsonl_iter_init(struct jsonl_iter *it, const char *p, size_t len)
{
	struct scan s = { (const unsigned char *)p,
	    (const unsigned char *)p + len, 0 };

	scan_ws(&s);
	it->end = p + len;
	it->state = 2;
	it->depth = 1;
	if (s.p >= s.end || *s.p != '{')
		return 0;
	it->p = (const char *)s.p + 1;
	it->state = 0;
	return 1;
}

int
jsonl_iter_next_key(struct jsonl_iter *it, struct slice *key)
{
	struct scan s = { (const unsigned char *)it->p,
	    (const unsigned char *)it->end, it->depth };
	const unsigned char *k;

	if (it->state == 2)
		return -1;
	scan_ws(&s);
	if (s.p >= s.end)
		goto bad;
	if (*s.p == '}') {
		s.p++;
		it->p = (const char *)s.p;
		it->state = 2;
		if (it->depth > 1)
			return 0;	/* a nested object: the parent goes on */
		scan_ws(&s);
		return s.p == s.end ? 0 : -1;
	}
	if (it->state == 1) {
		if (*s.p != ',')
			goto bad;
		s.p++;
		scan_ws(&s);
	}
	if (s.p >= s.end || *s.p != '"')
		goto bad;
	k = s.p;
	if (!scan_string(&s))
		goto bad;
	key->p = (const char *)k + 1;
	key->len = (size_t)(s.p - k) - 2;
	scan_ws(&s);
	if (s.p >= s.end || *s.p != ':')
		goto bad;
	s.p++;
	scan_ws(&s);
	it->p = (const char *)s.p;
	it->state = 1;
	return 1;
bad:
	it->state = 2;
	return -1;
}

int
jsonl_iter_value(struct jsonl_iter *it, struct slice *val)
{
	struct scan s = { (const unsigned char *)it->p,
	    (const unsigned char *)it->end, it->depth };
	const unsigned char *v = s.p;

	if (it->state == 2 || !scan_value(&s)) {
		it->state = 2;
		return -1;
	}
	val->p = (const char *)v;
	val->len = (size_t)(s.p - v);
	it->p = (const char *)s.p;
	return 1;
}

int
jsonl_iter_enter(struct jsonl_iter *it, struct jsonl_iter *child)
{
	if (it->state == 2 || it->p >= it->end || *it->p != '{' ||
	    it->depth + 1 > JSONL_MAX_DEPTH)
		return 0;
	child->p = it->p + 1;
	child->end = it->end;
	child->state = 0;
	child->depth = it->depth + 1;
	return 1;
}

void
jsonl_iter_leave(struct jsonl_iter *it, const struct jsonl_iter *child)
{
	it->p = child->p;
}

int
jsonl_iter_next(struct jsonl_iter *it, struct slice *key, struct slice *val)
{
	int r = jsonl_iter_next_key(it, key);

	return r == 1 ? jsonl_iter_value(it, val) : r;
}

size_t
jsonl_utf8_encode(uint32_t c, char b[4])
{
	if (c < 0x80) {
		b[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		b[0] = (char)(0xc0 | (c >> 6));
		b[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		b[0] = (char)(0xe0 | (c >> 12));
		b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	b[0] = (char)(0xf0 | (c >> 18));
	b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	b[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	b[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* Append code point c as UTF-8 when it fits. */
static size_t
put_utf8(char *out, size_t o, size_t cap, unsigned c, int *cut)
{
	char b[4];
	size_t n = jsonl_utf8_encode(c, b);

	if (o + n > cap) {
		*cut = 1;
		return o;
	}
	memcpy(out + o, b, n);
	return o + n;
}

char
jsonl_escaped(char c)
{
	switch (c) {
	case 'b': return '\b';
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	default: return c;
	}
}

int
jsonl_hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	int i, h, bad = 0;

	for (i = 0; i < 4; i++) {
		v <<= 4;
		if ((h = parse_hexval(p[i])) >= 0)
			v |= (unsigned)h;
		else
			bad = 1;
	}
	*out = v;
	return bad ? -1 : 0;
}

uint32_t
jsonl_u_escape(unsigned u, const char *p, const char *end, size_t *used)
{
	unsigned lo;

	*used = 0;
	if (u < 0xd800 || u > 0xdfff)
		return u;
	if (u <= 0xdbff && end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
	    jsonl_hex4(p + 2, &lo) == 0 && lo >= 0xdc00 && lo <= 0xdfff) {
		*used = 6;
		return 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
	}
	return 0xfffd;
}

size_t
jsonl_unescape(const char *p, size_t len, char *out, size_t cap, int *cut)
{
	size_t i = 0, o = 0;

	*cut = 0;
	while (i < len && !*cut) {
		char c = p[i];

		if (c != '\\') {
			/* a run without escapes: one copy, cut at cap */
			const char *q = memchr(p + i, '\\', len - i);
			size_t run = q != NULL ? (size_t)(q - (p + i)) : len - i;
			size_t n = run < cap - o ? run : cap - o;

			if (n > 0)
				memcpy(out + o, p + i, n);
			o += n;
			i += n;
			if (n < run)
				*cut = 1;
			continue;
		}
		if (i + 1 >= len) {
			if (o >= cap) {
				*cut = 1;
				break;
			}
			out[o++] = c;
			i++;
			continue;
		}
		c = p[i + 1];
		i += 2;
		switch (c) {
		case 'u': {
			unsigned u;
			size_t used;

			if (i + 4 > len) {
				*cut = 1;
				return o;
			}
			(void)jsonl_hex4(p + i, &u);
			i += 4;
			u = jsonl_u_escape(u, p + i, p + len, &used);
			i += used;
			o = put_utf8(out, o, cap, u, cut);
			continue;
		}
		default:
			c = jsonl_escaped(c);
			break;
		}
		if (o >= cap) {
			*cut = 1;
			break;
		}
		out[o++] = c;
	}
	return o;
}
