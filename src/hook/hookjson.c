/*
 * hookjson.c - parse a hook payload, redact it, re-serialise it as one
 * audit line (see hookjson.h; SPEC §6).
 *
 * A recursive-descent parser (RFC 8259) that writes as it reads: objects
 * and arrays are copied structurally, numbers verbatim, and every string
 * value is decoded, redacted (redact.c) and escaped again.  Redaction works
 * on decoded text so that a secret written with JSON escapes ("\/", "\n"
 * inside a PEM block, "\u0041KIA…") is still seen.  The input is never
 * trusted: nesting is bounded, every read is checked against the end, and
 * the output buffer has a maximum.
 *
 * It deliberately does not keep a document tree: the hook runs on every
 * tool call, and one pass with two scratch buffers is all it needs.  Only
 * a tool_response larger than --max-response is walked twice (measure,
 * then cut).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hookjson.h"
#include "caps.h"
#include "jsonl.h"
#include "redact.h"

/* The longest marker put after a cut string, for the cut arithmetic. */
#define HJ_MARK_MAX	48

struct hj {
	const char	*p, *end;	/* parse cursor */
	struct buf	*out;		/* NULL: validate only */
	struct buf	 dec;		/* a decoded string */
	struct buf	 red;		/* the same, redacted */
	/* Member names, one buffer per nesting level (a name must outlive the
	 * parse of its value, which may hold objects of its own), kept across
	 * objects so that a payload of many small objects costs no malloc. */
	struct buf	 names[LIM_HOOK_DEPTH + 2];
	int		 depth;
	int		 syntax;	/* the payload is not valid JSON */
	int		 full;		/* out reached its max */
	/* Cutting tool_response (see emit_tool_response). */
	size_t		 cap;		/* per-string cap, escaped bytes */
	uint64_t	 cut;		/* escaped bytes left out */
	struct buf	*lens;		/* record string lengths here */
	int		 lens_over;	/* more strings than LIM_HOOK_STRINGS */
};

static int parse_value(struct hj *h, const char *name, size_t nlen);

static int
out_add(struct hj *h, const void *p, size_t n)
{
	if (h->out == NULL || h->full)
		return h->full ? -1 : 0;
	if (buf_add(h->out, p, n) == -1) {
		h->full = 1;
		return -1;
	}
	return 0;
}

static int
out_adds(struct hj *h, const char *s)
{
	return out_add(h, s, strlen(s));
}

static int
fail_syntax(struct hj *h)
{
	h->syntax = 1;
	return -1;
}

static void
skip_ws(struct hj *h)
{
	while (h->p < h->end && (*h->p == ' ' || *h->p == '\t' ||
	    *h->p == '\n' || *h->p == '\r'))
		h->p++;
}

/*
 * Escape s[0..len) into out as the inside of a JSON string, writing at
 * most cap bytes and never splitting a character or an escape.  Invalid
 * UTF-8 becomes \ufffd so the line is always valid JSON.  Sets *used to
 * the input bytes consumed; returns the bytes written, or SIZE_MAX when
 * out is full.  With out == NULL only measures.
 */
static size_t
escape(struct buf *out, const char *s, size_t len, size_t cap, size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run = 0, w = 0, n;
	char e[8];

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t elen = 0;

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			n = 1;
		} else if (c >= 0x80 && (n = jsonl_utf8_seq((const unsigned char *)s + i,
		    (const unsigned char *)s + len)) != 0) {
			;
		} else {
			n = 1;
			switch (c) {
			case '"':  memcpy(e, "\\\"", 2); elen = 2; break;
			case '\\': memcpy(e, "\\\\", 2); elen = 2; break;
			case '\n': memcpy(e, "\\n", 2); elen = 2; break;
			case '\r': memcpy(e, "\\r", 2); elen = 2; break;
			case '\t': memcpy(e, "\\t", 2); elen = 2; break;
			case '\b': memcpy(e, "\\b", 2); elen = 2; break;
			case '\f': memcpy(e, "\\f", 2); elen = 2; break;
			default:
				if (c < 0x20) {
					memcpy(e, "\\u00", 4);
					e[4] = hex[c >> 4];
					e[5] = hex[c & 15];
				} else {
					memcpy(e, "\\ufffd", 6);
				}
				elen = 6;
			}
		}
		if (w + (elen ? elen : n) > cap)
			break;
		if (elen) {
			if (out != NULL && run > 0 &&
			    buf_add(out, s + i - run, run) == -1)
				return SIZE_MAX;
			run = 0;
			if (out != NULL && buf_add(out, e, elen) == -1)
				return SIZE_MAX;
			w += elen;
		} else {
			run += n;
			w += n;
		}
		i += n;
	}
	if (out != NULL && run > 0 && buf_add(out, s + i - run, run) == -1)
		return SIZE_MAX;
	*used = i;
	return w;
}

static int
out_esc(struct hj *h, const char *s, size_t len)
{
	size_t used;

	if (h->out == NULL || h->full)
		return h->full ? -1 : 0;
	if (escape(h->out, s, len, SIZE_MAX, &used) == SIZE_MAX) {
		h->full = 1;
		return -1;
	}
	return 0;
}

static int
put_utf8(struct buf *b, uint32_t cp)
{
	char u[4];

	return buf_add(b, u, jsonl_utf8_encode(cp, u));
}

/*
 * Decode the string at the cursor (which is on its '"') into dst.
 * RFC 8259 §7: control characters must be escaped; a lone surrogate
 * escape decodes to U+FFFD rather than failing the whole payload.
 */
static int
parse_string(struct hj *h, struct buf *dst)
{
	const char *run;
	uint32_t cp;
	size_t used;

	buf_reset(dst);
	if (h->p >= h->end || *h->p != '"')
		return fail_syntax(h);
	run = ++h->p;
	for (;;) {
		unsigned char c;

		if (h->p >= h->end)
			return fail_syntax(h);
		c = (unsigned char)*h->p;
		if (c == '"' || c == '\\') {
			if (buf_add(dst, run, (size_t)(h->p - run)) == -1)
				goto full;
			if (c == '"') {
				h->p++;
				return 0;
			}
			if (h->end - h->p < 2)
				return fail_syntax(h);
			c = (unsigned char)h->p[1];
			h->p += 2;
			switch (c) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				if (buf_addc(dst, jsonl_escaped((char)c)) == -1)
					goto full;
				break;
			case 'u':
				if (h->end - h->p < 4 ||
				    jsonl_hex4(h->p, &cp) == -1)
					return fail_syntax(h);
				h->p += 4;
				cp = jsonl_u_escape(cp, h->p, h->end, &used);
				h->p += used;
				if (put_utf8(dst, cp) == -1)
					goto full;
				break;
			default:
				return fail_syntax(h);
			}
			run = h->p;
			continue;
		}
		if (c < 0x20)
			return fail_syntax(h);
		h->p++;
	}
full:
	h->full = 1;
	return -1;
}

/*
 * Emit a decoded, redacted string value, cut to h->cap escaped bytes with
 * a marker saying how much was left out, and record its full length when
 * measuring.
 */
static int
emit_string(struct hj *h, const char *s, size_t len)
{
	size_t used, w, total;
	char mark[HJ_MARK_MAX];
	int n;

	if (h->out == NULL)
		return 0;
	if (out_add(h, "\"", 1) == -1)
		return -1;
	if (h->cap == SIZE_MAX && h->lens == NULL) {
		if (out_esc(h, s, len) == -1)
			return -1;
		return out_add(h, "\"", 1);
	}
	total = escape(NULL, s, len, SIZE_MAX, &used);
	if (h->lens != NULL && buf_add(h->lens, &total, sizeof(total)) == -1)
		h->lens_over = 1;
	if (total <= h->cap) {
		if (out_esc(h, s, len) == -1)
			return -1;
		return out_add(h, "\"", 1);
	}
	if ((w = escape(h->out, s, len, h->cap, &used)) == SIZE_MAX) {
		h->full = 1;
		return -1;
	}
	h->cut += total - w;
	n = snprintf(mark, sizeof(mark), "[auditship: cut %zu bytes]",
	    total - w);
	if (n < 0 || (size_t)n >= sizeof(mark))
		return out_add(h, "\"", 1);
	if (out_add(h, mark, (size_t)n) == -1)
		return -1;
	return out_add(h, "\"", 1);
}

static int
parse_number(struct hj *h)
{
	const char *s = h->p;

	if (h->p < h->end && *h->p == '-')
		h->p++;
	if (h->p >= h->end)
		return fail_syntax(h);
	if (*h->p == '0') {
		h->p++;
	} else if (*h->p >= '1' && *h->p <= '9') {
		while (h->p < h->end && *h->p >= '0' && *h->p <= '9')
			h->p++;
	} else {
		return fail_syntax(h);
	}
	if (h->p < h->end && *h->p == '.') {
		if (++h->p >= h->end || *h->p < '0' || *h->p > '9')
			return fail_syntax(h);
		while (h->p < h->end && *h->p >= '0' && *h->p <= '9')
			h->p++;
	}
	if (h->p < h->end && (*h->p == 'e' || *h->p == 'E')) {
		h->p++;
		if (h->p < h->end && (*h->p == '+' || *h->p == '-'))
			h->p++;
		if (h->p >= h->end || *h->p < '0' || *h->p > '9')
			return fail_syntax(h);
		while (h->p < h->end && *h->p >= '0' && *h->p <= '9')
			h->p++;
	}
	return out_add(h, s, (size_t)(h->p - s));
}

static int
parse_literal(struct hj *h, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(h->end - h->p) < n || memcmp(h->p, lit, n) != 0)
		return fail_syntax(h);
	h->p += n;
	return out_add(h, lit, n);
}

/*
 * An object's member name: decoded, then written back escaped.  Names are
 * not redacted (they say what a value is), but the value of a secret's
 * name is (redact_member).  The caller gets the decoded name in *name.
 */
static int
parse_key(struct hj *h, struct buf *name)
{
	skip_ws(h);
	if (parse_string(h, name) == -1)
		return -1;
	skip_ws(h);
	if (h->p >= h->end || *h->p != ':')
		return fail_syntax(h);
	h->p++;
	return 0;
}

/* After a member or an element: 1 past a ',' (another follows), 0 past
 * the closing bracket, -1 on anything else. */
static int
next_item(struct hj *h, char close)
{
	skip_ws(h);
	if (h->p < h->end && (*h->p == ',' || *h->p == close))
		return *h->p++ == ',';
	return fail_syntax(h);
}

/*
 * Walk the members of the object at the cursor (on its '{'), calling visit
 * with each decoded name; visit must consume the value.  The walker itself
 * writes nothing.  h->depth is the object's own depth (it picks the name
 * buffer).
 */
static int
walk_members(struct hj *h, int (*visit)(struct hj *, struct buf *, void *),
    void *arg)
{
	struct buf *name = &h->names[h->depth];
	int rc;

	h->p++;
	skip_ws(h);
	if (h->p < h->end && *h->p == '}') {
		h->p++;
		return 0;
	}
	do {
		if (parse_key(h, name) == -1 || visit(h, name, arg) == -1)
			return -1;
	} while ((rc = next_item(h, '}')) == 1);
	return rc;
}

/* Copy one member of a nested object: "name":value, comma first. */
static int
visit_copy(struct hj *h, struct buf *name, void *arg)
{
	int *first = arg;

	if ((!*first && out_add(h, ",", 1) == -1) || out_add(h, "\"", 1) == -1 ||
	    out_esc(h, name->p, name->len) == -1 || out_add(h, "\":", 2) == -1)
		return -1;
	*first = 0;
	return parse_value(h, name->p, name->len);
}

static int
parse_object(struct hj *h)
{
	int first = 1;

	if (out_add(h, "{", 1) == -1 ||
	    walk_members(h, visit_copy, &first) == -1)
		return -1;
	return out_add(h, "}", 1);
}

static int
parse_array(struct hj *h)
{
	int first = 1, more;

	h->p++;				/* '[' */
	if (out_add(h, "[", 1) == -1)
		return -1;
	skip_ws(h);
	if (h->p < h->end && *h->p == ']') {
		h->p++;
		return out_add(h, "]", 1);
	}
	do {
		if (!first && out_add(h, ",", 1) == -1)
			return -1;
		first = 0;
		if (parse_value(h, NULL, 0) == -1)
			return -1;
	} while ((more = next_item(h, ']')) == 1);
	return more == 0 ? out_add(h, "]", 1) : -1;
}

/* One value; name is the member it belongs to (NULL in an array). */
static int
parse_value(struct hj *h, const char *name, size_t nlen)
{
	int rc;

	skip_ws(h);
	if (h->p >= h->end)
		return fail_syntax(h);
	switch (*h->p) {
	case '{':
	case '[':
		if (++h->depth > LIM_HOOK_DEPTH)
			return fail_syntax(h);
		rc = *h->p == '{' ? parse_object(h) : parse_array(h);
		h->depth--;
		return rc;
	case '"':
		if (parse_string(h, &h->dec) == -1)
			return -1;
		if (h->out == NULL)
			return 0;
		buf_reset(&h->red);
		if ((name != NULL ?
		    redact_member(&h->red, name, nlen, h->dec.p, h->dec.len) :
		    redact_append(&h->red, h->dec.p, h->dec.len)) == -1) {
			h->full = 1;
			return -1;
		}
		return emit_string(h, h->red.p, h->red.len);
	case 't':
		return parse_literal(h, "true");
	case 'f':
		return parse_literal(h, "false");
	case 'n':
		return parse_literal(h, "null");
	default:
		return parse_number(h);
	}
}

/*
 * Largest per-string cap c such that the structure (overhead) plus every
 * string cut to c (with its marker) fits in max.  Returns SIZE_MAX when
 * even empty strings do not fit.
 */
static size_t
cut_cap(const size_t *lens, size_t n, size_t overhead, size_t max)
{
	size_t lo = 0, hi = 0, k, mid;
	uint64_t cost;

	for (k = 0; k < n; k++)
		if (lens[k] > hi)
			hi = lens[k];
	for (cost = overhead, k = 0; k < n; k++)
		cost += lens[k] > 0 ? HJ_MARK_MAX : 0;
	if (cost > max)
		return SIZE_MAX;
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		for (cost = overhead, k = 0; k < n; k++)
			cost += lens[k] <= mid ? lens[k] : mid + HJ_MARK_MAX;
		if (cost <= max)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/*
 * tool_response, cut to max escaped bytes when larger.  The first walk
 * emits it whole and measures every string; when it is too big, the walk
 * is repeated with each string cut to the largest common cap that fits,
 * so every member (exit codes, flags) survives and the long outputs share
 * the room.  Structure too big even with empty strings (a huge array of
 * numbers) is kept as a cut string of its JSON text instead.
 */
static int
emit_tool_response(struct hj *h, size_t max)
{
	const char *start = h->p;
	struct buf lens, text;
	size_t mark = h->out->len, total, sum = 0, k, n, cap, used;
	const size_t *l;
	char note[64];
	int rc = -1, m;

	buf_init(&lens, LIM_HOOK_STRINGS * sizeof(size_t));
	buf_init(&text, LIM_HOOK_LINE);
	h->lens = &lens;
	h->lens_over = 0;
	if (parse_value(h, "tool_response", 13) == -1)
		goto done;
	h->lens = NULL;
	total = h->out->len - mark;
	if (total <= max) {
		rc = 0;
		goto done;
	}
	l = (const size_t *)(void *)lens.p;
	n = lens.len / sizeof(size_t);
	for (k = 0; k < n; k++)
		sum += l[k];
	cap = h->lens_over || sum > total ? SIZE_MAX :
	    cut_cap(l, n, total - sum, max);
	if (cap != SIZE_MAX) {
		buf_truncate(h->out, mark);
		h->p = start;
		h->cap = cap;
		rc = parse_value(h, "tool_response", 13);
		h->cap = SIZE_MAX;
		goto done;
	}
	/* Keep the start of the JSON text, as a string of at most max
	 * escaped bytes (escaping never shortens, so max bytes of text
	 * are enough). */
	if (buf_add(&text, h->out->p + mark, total < max ? total : max) == -1) {
		h->full = 1;
		goto done;
	}
	buf_truncate(h->out, mark);
	if (out_add(h, "\"", 1) == -1)
		goto done;
	if (escape(h->out, text.p, text.len, max, &used) == SIZE_MAX) {
		h->full = 1;
		goto done;
	}
	h->cut += total - used;
	m = snprintf(note, sizeof(note), "[auditship: cut %zu bytes]\"",
	    total - used);
	if (m < 0 || (size_t)m >= sizeof(note))
		goto done;
	rc = out_add(h, note, (size_t)m);
done:
	h->lens = NULL;
	buf_free(&lens);
	buf_free(&text);
	return rc;
}

static int
name_is(const struct buf *b, const char *s)
{
	return b->len == strlen(s) && memcmp(b->p, s, b->len) == 0;
}

/*
 * A top-level member of the full record, after the line's own members:
 * renamed when it would collide with them, tool_response cut.
 */
static int
visit_top_full(struct hj *h, struct buf *name, void *arg)
{
	const size_t *max_response = arg;
	char note[64];
	int m;

	if (out_add(h, ",\"", 2) == -1)
		return -1;
	/* The line's own ts/host/user come first and stay unique. */
	if ((name_is(name, "ts") || name_is(name, "host") ||
	    name_is(name, "user")) && out_adds(h, "payload_") == -1)
		return -1;
	if (out_esc(h, name->p, name->len) == -1 || out_add(h, "\":", 2) == -1)
		return -1;
	if (!name_is(name, "tool_response") || *max_response == 0)
		return parse_value(h, name->p, name->len);
	h->cut = 0;
	if (emit_tool_response(h, *max_response) == -1)
		return -1;
	if (h->cut == 0)
		return 0;
	m = snprintf(note, sizeof(note), ",\"tool_response_cut_bytes\":%llu",
	    (unsigned long long)h->cut);
	if (m < 0 || (size_t)m >= sizeof(note))
		return -1;
	return out_add(h, note, (size_t)m);
}

/* The full record: every member, redacted, tool_response cut. */
static int
members_full(struct hj *h, size_t max_response)
{
	skip_ws(h);
	if (h->p >= h->end || *h->p != '{')
		return fail_syntax(h);
	h->depth = 1;
	if (walk_members(h, visit_top_full, &max_response) == -1)
		return -1;
	skip_ws(h);
	return h->p == h->end ? 0 : fail_syntax(h);
}

/* Values --minimal keeps, each redacted and bounded. */
struct hj_min {
	char	event[LIM_HOOK_FIELD];
	char	session[LIM_HOOK_FIELD];
	char	tool[LIM_HOOK_FIELD];
	char	program[LIM_HOOK_FIELD];
	char	exit_status[24];
};

/* Redact decoded h->dec into dst (at most dstsz-1 bytes, whole chars). */
static int
keep_field(struct hj *h, char *dst, size_t dstsz)
{
	size_t n;

	buf_reset(&h->red);
	if (redact_append(&h->red, h->dec.p, h->dec.len) == -1) {
		h->full = 1;
		return -1;
	}
	n = h->red.len < dstsz - 1 ? h->red.len : dstsz - 1;
	/* Do not split a UTF-8 character. */
	while (n > 0 && n < h->red.len &&
	    ((unsigned char)h->red.p[n] & 0xc0) == 0x80)
		n--;
	if (n > 0)
		memcpy(dst, h->red.p, n);
	dst[n] = '\0';
	return 0;
}

static int
at(struct hj *h, char c)
{
	skip_ws(h);
	return h->p < h->end && *h->p == c;
}

static int
visit_input(struct hj *h, struct buf *name, void *arg)
{
	struct hj_min *m = arg;
	char prog[LIM_HOOK_FIELD];

	if (name_is(name, "command") && at(h, '"')) {
		if (parse_string(h, &h->dec) == -1)
			return -1;
		if (hookjson_program(h->dec.p, h->dec.len, prog, sizeof(prog)) == 0)
			return 0;
		/* A "program" that is itself a pasted secret is not kept. */
		buf_reset(&h->red);
		if (redact_append(&h->red, prog, strlen(prog)) != 0)
			return 0;
		memcpy(m->program, prog, sizeof(prog));
		return 0;
	}
	return parse_value(h, NULL, 0);
}

static int
visit_response(struct hj *h, struct buf *name, void *arg)
{
	struct hj_min *m = arg;
	const char *s;
	size_t n;

	if ((name_is(name, "exit_code") || name_is(name, "exitCode") ||
	    name_is(name, "exit_status") || name_is(name, "returncode") ||
	    name_is(name, "return_code") || name_is(name, "status")) &&
	    (at(h, '-') || (h->p < h->end && *h->p >= '0' && *h->p <= '9'))) {
		s = h->p;
		if (parse_number(h) == -1)
			return -1;
		n = (size_t)(h->p - s);
		/* Only an integer is an exit status. */
		if (n < sizeof(m->exit_status) && memchr(s, '.', n) == NULL &&
		    memchr(s, 'e', n) == NULL && memchr(s, 'E', n) == NULL) {
			memcpy(m->exit_status, s, n);
			m->exit_status[n] = '\0';
		}
		return 0;
	}
	return parse_value(h, NULL, 0);
}

static int
visit_top(struct hj *h, struct buf *name, void *arg)
{
	struct hj_min *m = arg;
	char *dst = NULL;
	int rc;

	if (name_is(name, "hook_event_name"))
		dst = m->event;
	else if (name_is(name, "session_id"))
		dst = m->session;
	else if (name_is(name, "tool_name"))
		dst = m->tool;
	if (dst != NULL && at(h, '"')) {
		if (parse_string(h, &h->dec) == -1)
			return -1;
		return keep_field(h, dst, LIM_HOOK_FIELD);
	}
	if ((name_is(name, "tool_input") || name_is(name, "tool_response")) &&
	    at(h, '{')) {
		if (++h->depth > LIM_HOOK_DEPTH)
			return fail_syntax(h);
		rc = walk_members(h, name_is(name, "tool_input") ? visit_input :
		    visit_response, m);
		h->depth--;
		return rc;
	}
	return parse_value(h, NULL, 0);
}

static int
put_field(struct hj *h, const char *name, const char *val, int quote)
{
	if (val[0] == '\0')
		return 0;
	if (out_add(h, ",\"", 2) == -1 || out_adds(h, name) == -1 ||
	    out_add(h, "\":", 2) == -1)
		return -1;
	if (!quote)
		return out_adds(h, val);
	if (out_add(h, "\"", 1) == -1 || out_esc(h, val, strlen(val)) == -1)
		return -1;
	return out_add(h, "\"", 1);
}

/* --minimal: the allow-list of SPEC §6, in a fixed order. */
static int
members_minimal(struct hj *h)
{
	struct hj_min m;
	struct buf *saved = h->out;

	memset(&m, 0, sizeof(m));
	/* Validate only while walking: nothing else may reach out. */
	h->out = NULL;
	if (!at(h, '{')) {
		h->out = saved;
		return fail_syntax(h);
	}
	h->depth = 1;
	if (walk_members(h, visit_top, &m) == -1) {
		h->out = saved;
		return -1;
	}
	h->out = saved;
	skip_ws(h);
	if (h->p != h->end)
		return fail_syntax(h);
	if (put_field(h, "hook_event_name", m.event, 1) == -1 ||
	    put_field(h, "session_id", m.session, 1) == -1 ||
	    put_field(h, "tool_name", m.tool, 1) == -1 ||
	    put_field(h, "program", m.program, 1) == -1 ||
	    put_field(h, "exit_status", m.exit_status, 0) == -1)
		return -1;
	return 0;
}

int
hookjson_line(struct buf *out, const struct hookjson_in *in)
{
	struct hj h;
	size_t start = out->len, body, k;
	int rc = -1;

	memset(&h, 0, sizeof(h));
	h.out = out;
	h.cap = SIZE_MAX;
	buf_init(&h.dec, LIM_HOOK_LINE);
	buf_init(&h.red, LIM_HOOK_LINE);
	for (k = 0; k < sizeof(h.names) / sizeof(h.names[0]); k++)
		buf_init(&h.names[k], LIM_HOOK_PAYLOAD);

	if (out_add(&h, "{\"ts\":\"", 7) == -1 ||
	    out_esc(&h, in->ts, strlen(in->ts)) == -1 ||
	    out_add(&h, "\",\"host\":\"", 10) == -1 ||
	    out_esc(&h, in->host, strlen(in->host)) == -1 ||
	    out_add(&h, "\",\"user\":\"", 10) == -1 ||
	    out_esc(&h, in->user, strlen(in->user)) == -1 ||
	    out_add(&h, "\"", 1) == -1)
		goto done;
	if (in->payload_truncated &&
	    out_adds(&h, ",\"payload_truncated\":true") == -1)
		goto done;
	body = out->len;
	h.p = in->payload;
	h.end = in->payload + in->payload_len;
	if ((in->minimal ? members_minimal(&h) :
	    members_full(&h, in->max_response)) == -1) {
		if (h.full)
			goto done;
		/* Not a JSON object: keep the text, redacted (SPEC §3.3). */
		buf_truncate(out, body);
		if (out_adds(&h, ",\"invalid_json\":true") == -1)
			goto done;
		if (!in->minimal) {
			buf_reset(&h.red);
			if (redact_append(&h.red, in->payload, in->payload_len) ==
			    -1 || out_adds(&h, ",\"payload\":\"") == -1 ||
			    out_esc(&h, h.red.p, h.red.len) == -1 ||
			    out_add(&h, "\"", 1) == -1)
				goto done;
		}
	}
	if (out_add(&h, "}\n", 2) == -1)
		goto done;
	rc = 0;
done:
	if (rc == -1)
		buf_truncate(out, start);
	buf_free_secret(&h.dec);
	buf_free(&h.red);
	for (k = 0; k < sizeof(h.names) / sizeof(h.names[0]); k++)
		buf_free(&h.names[k]);
	return rc;
}

size_t
hookjson_program(const char *cmd, size_t len, char *out, size_t outsz)
{
	size_t i = 0, ws, we, k, n, base;

	if (outsz == 0)
		return 0;
	out[0] = '\0';
	for (;;) {
		while (i < len && (cmd[i] == ' ' || cmd[i] == '\t' ||
		    cmd[i] == '\n' || cmd[i] == '(' || cmd[i] == '{' ||
		    cmd[i] == '!'))
			i++;
		ws = i;
		while (i < len && strchr(" \t\n;&|<>(){}`", cmd[i]) == NULL)
			i++;
		we = i;
		if (ws == we)
			return 0;
		/* VAR=value before the program is an assignment, not it. */
		for (k = ws; k < we && (cmd[k] == '_' ||
		    (cmd[k] >= 'A' && cmd[k] <= 'Z') ||
		    (cmd[k] >= 'a' && cmd[k] <= 'z') ||
		    (k > ws && cmd[k] >= '0' && cmd[k] <= '9')); k++)
			;
		if (k > ws && k < we && cmd[k] == '=')
			continue;
		break;
	}
	/* Quotes around the program name are not part of it. */
	while (ws < we && (cmd[ws] == '"' || cmd[ws] == '\''))
		ws++;
	while (we > ws && (cmd[we - 1] == '"' || cmd[we - 1] == '\''))
		we--;
	for (base = ws, k = ws; k < we; k++)
		if (cmd[k] == '/')
			base = k + 1;
	/* A word with other characters in it ($VAR, globs) is not a plain
	 * program name: none is better than a fragment of an argument. */
	for (k = base; k < we; k++) {
		char c = cmd[k];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '+' || c == '-'))
			return 0;
	}
	n = we - base < outsz - 1 ? we - base : outsz - 1;
	memcpy(out, cmd + base, n);
	out[n] = '\0';
	return n;
}

/*
 * Digits by hand rather than strftime(3): glibc's strftime calls tzset(),
 * which opens and reads /etc/localtime on every hook call for a UTC
 * timestamp that needs no zone at all.
 */
static char *
put_num(char *p, long v, int width)
{
	int k;

	for (k = width - 1; k >= 0; k--) {
		p[k] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/* "YYYY-MM-DD" of tm; -1 for years outside 0..9999. */
static int
put_date(char *p, const struct tm *tm)
{
	long year = (long)tm->tm_year + 1900;

	if (year < 0 || year > 9999)
		return -1;
	p = put_num(p, year, 4);
	*p++ = '-';
	p = put_num(p, tm->tm_mon + 1, 2);
	*p++ = '-';
	put_num(p, tm->tm_mday, 2);
	return 0;
}

void
hookjson_ts(time_t sec, long ms, char out[32])
{
	struct tm tm;
	char *p = out;

	if (ms < 0 || ms > 999)
		ms = 0;
	if (gmtime_r(&sec, &tm) == NULL || put_date(p, &tm) == -1) {
		memcpy(out, "1970-01-01T00:00:00.000Z", 25);
		return;
	}
	p += 10;
	*p++ = 'T';
	p = put_num(p, tm.tm_hour, 2);
	*p++ = ':';
	p = put_num(p, tm.tm_min, 2);
	*p++ = ':';
	p = put_num(p, tm.tm_sec, 2);
	*p++ = '.';
	p = put_num(p, ms, 3);
	*p++ = 'Z';
	*p = '\0';
}

int
hookjson_day_file(time_t sec, int day_local, char out[32])
{
	struct tm tm;

	if ((day_local ? localtime_r(&sec, &tm) : gmtime_r(&sec, &tm)) == NULL ||
	    put_date(out, &tm) == -1)
		return -1;
	memcpy(out + 10, ".jsonl", 7);
	return 0;
}
