/*
 * fmt_otlp.c - OTLP logs requests and responses (see fmt_otlp.h).
 *
 * Pure: bytes in, bytes out.  Two encodings of the same message,
 * ExportLogsServiceRequest of opentelemetry-proto:
 *
 *   ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
 *   ResourceLogs  { Resource resource = 1; repeated ScopeLogs scope_logs = 2; }
 *   Resource      { repeated KeyValue attributes = 1; }
 *   ScopeLogs     { InstrumentationScope scope = 1;
 *                   repeated LogRecord log_records = 2; }
 *   InstrumentationScope { string name = 1; string version = 2; }
 *   LogRecord     { fixed64 time_unix_nano = 1; SeverityNumber
 *                   severity_number = 2; string severity_text = 3;
 *                   AnyValue body = 5; repeated KeyValue attributes = 6;
 *                   fixed64 observed_time_unix_nano = 11;
 *                   string event_name = 12; }
 *   KeyValue      { string key = 1; AnyValue value = 2; }
 *   AnyValue      { oneof: string string_value = 1; bool bool_value = 2;
 *                   int64 int_value = 3; double double_value = 4;
 *                   ArrayValue array_value = 5;
 *                   KeyValueList kvlist_value = 6; }
 *   ArrayValue, KeyValueList { repeated AnyValue/KeyValue values = 1; }
 *
 * OTLP/JSON (OTLP specification, "JSON Protobuf Encoding"): the proto3
 * JSON mapping with lowerCamelCase keys, enums as integers and 64-bit
 * integers (timeUnixNano, intValue) as decimal strings.
 *
 * Protobuf: a length-delimited field is written with a one-byte length
 * placeholder and closed once its content is known; a length that needs
 * more bytes moves the content up (pbuf_close), so every varint is in its
 * shortest form.  The event is never re-serialised for body = raw: its
 * bytes are the string's bytes.
 *
 * The JSON walker below (js_*) runs only on text jsonl_is_object() has
 * already accepted, so it needs no error paths of its own.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "fmt_otlp.h"
#include "fmt_syslog.h"
#include "jsonl.h"

#define FMT_OTLP_HEAD_MAX	(8 * LIM_CONF_VALUE + 512)
/* Unescaped strings of one line (protobuf): at most the line itself. */
#define FMT_OTLP_TMP_MAX	((size_t)LIM_LINE_MAX + 16)

/* Protobuf wire types (encoding guide). */
#define PB_VARINT	0
#define PB_I64		1
#define PB_LEN		2
#define PB_I32		5

/* ---- the JSON walker (valid input only) ---- */

static const char *
js_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* p at the opening quote: the byte after the closing one.  Plain text
 * is skipped many bytes at a time (tool output makes long strings). */
static const char *
js_str_end(const char *p, const char *end)
{
	p++;
	while (p < end) {
		p += jsonl_plain_span(p, (size_t)(end - p));
		if (p >= end)
			break;
		if (*p == '\\')
			p += 2;
		else if (*p == '"')
			return p + 1;
		else
			p++;
	}
	return end;
}

/* The byte after the value at p. */
static const char *
js_skip(const char *p, const char *end)
{
	size_t depth = 0;

	if (p >= end)
		return end;
	if (*p == '"')
		return js_str_end(p, end);
	if (*p != '{' && *p != '[') {
		while (p < end && *p != ',' && *p != '}' && *p != ']' &&
		    *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		return p;
	}
	while (p < end) {
		if (*p == '"') {
			p = js_str_end(p, end);
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && --depth == 0)
			return p + 1;
		p++;
	}
	return end;
}

/* Walk the members of the object at p: returns the position of the next
 * member's key (a quote) or of the closing brace. */
static const char *
js_next_member(const char *p, const char *end)
{
	p = js_ws(p, end);
	if (p < end && *p == ',')
		p = js_ws(p + 1, end);
	return p;
}

/* One member: key [k, k+klen) raw, value [v, vend).  Returns after it. */
static const char *
js_member(const char *p, const char *end, const char **k, size_t *klen,
    const char **v, const char **vend)
{
	const char *kend = js_str_end(p, end);

	*k = p + 1;
	*klen = (size_t)(kend - 1 - *k);
	p = js_ws(kend, end);
	p = js_ws(p + 1, end);		/* the ':' */
	*v = p;
	*vend = js_skip(p, end);
	return *vend;
}

static int
js_key_is(const char *k, size_t klen, const char *name)
{
	return strlen(name) == klen && memcmp(k, name, klen) == 0;
}

/* Append the UTF-8 of code point c. */
static int
utf8_put(struct buf *out, uint32_t c)
{
	char u[4];

	return buf_add(out, u, jsonl_utf8_encode(c, u));
}

static int
hex4(const char *p, const char *end, uint32_t *out)
{
	if (end - p < 4)
		return -1;
	return jsonl_hex4(p, out);
}

/*
 * Append the text of a JSON string's inside (escapes resolved) as UTF-8.
 * A lone surrogate escape becomes U+FFFD: protobuf strings must be UTF-8.
 */
static int
js_unescape(struct buf *out, const char *p, size_t len)
{
	const char *end = p + len, *run = p;
	uint32_t c;
	size_t used;

	while (p < end) {
		if (*p != '\\') {
			p++;
			continue;
		}
		if (buf_add(out, run, (size_t)(p - run)) == -1 || p + 1 >= end)
			return -1;
		switch (p[1]) {
		case 'u':
			if (hex4(p + 2, end, &c) == -1)
				return -1;
			p += 4;
			c = jsonl_u_escape(c, p + 2, end, &used);
			p += used;
			break;
		default: c = (unsigned char)jsonl_escaped(p[1]); break;
		}
		if (utf8_put(out, c) == -1)
			return -1;
		p += 2;
		run = p;
	}
	return buf_add(out, run, (size_t)(end - run));
}

/* Append p[0..len) with every byte of an invalid UTF-8 sequence replaced
 * by U+FFFD (as jsonl_escape does for JSON). */
static int
utf8_sanitize(struct buf *out, const char *p, size_t len)
{
	const unsigned char *u = (const unsigned char *)p, *end = u + len;
	const unsigned char *run = u;
	size_t n;

	while (u < end) {
		if (*u < 0x80) {
			u++;
			continue;
		}
		if ((n = jsonl_utf8_seq(u, end)) > 0) {
			u += n;
			continue;
		}
		if (buf_add(out, run, (size_t)(u - run)) == -1 ||
		    buf_add(out, "\xef\xbf\xbd", 3) == -1)
			return -1;
		run = ++u;
	}
	return buf_add(out, run, (size_t)(u - run));
}

/*
 * Write p[0..len) escaped as the inside of a JSON string at w, with room
 * up to wend: '"', '\\' and control bytes escaped, other bytes (the UTF-8
 * is known valid) as they are.  The byte after the last written, or NULL
 * when the room ran out.
 */
static char *
js_escape_put(char *w, const char *wend, const char *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const char *end = p + len;
	size_t n;

	for (; p < end; p++) {
		unsigned char c;

		n = jsonl_plain_span(p, (size_t)(end - p));
		if (n > (size_t)(wend - w))
			return NULL;
		memcpy(w, p, n);
		w += n;
		p += n;
		if (p >= end)
			break;
		c = (unsigned char)*p;
		if (wend - w < 6)
			return NULL;
		if (c >= 0x80) {
			*w++ = (char)c;
			continue;
		}
		*w++ = '\\';
		switch (c) {
		case '"': *w++ = '"'; break;
		case '\\': *w++ = '\\'; break;
		case '\t': *w++ = 't'; break;
		case '\n': *w++ = 'n'; break;
		case '\r': *w++ = 'r'; break;
		default:
			memcpy(w, "u00", 3);
			w[3] = hex[c >> 4];
			w[4] = hex[c & 0xf];
			w += 5;
			break;
		}
	}
	return w;
}

/*
 * Append a line that jsonl_is_object() accepted as the inside of a JSON
 * string.  Its UTF-8 is known valid, so only '"', '\\' and control bytes
 * (only TAB, LF and CR can be there, between tokens) need escaping: no
 * UTF-8 decoding as in jsonl_escape(), and (body = raw is the hot path of
 * this destination) plain runs found many bytes at a time and written in
 * place, in room for twice the line plus an escape; when that much room
 * is not left, into exactly the room the escapes need.
 */
static int
js_escape_valid(struct buf *out, const char *p, size_t len)
{
	const char *end = p + len, *q;
	size_t need = len + 6;
	char *w = NULL;

	if (len < (SIZE_MAX - 6) / 2 && buf_reserve(out, 2 * len + 6) == 0)
		w = js_escape_put(out->p + out->len, out->p + out->len +
		    2 * len + 6, p, len);
	if (w == NULL) {
		for (q = p; (q += jsonl_plain_span(q, (size_t)(end - q))) < end;
		    q++)
			need += (unsigned char)*q >= 0x80 ? 0 :
			    (unsigned char)*q >= 0x20 || *q == '\t' ||
			    *q == '\n' || *q == '\r' ? 1 : 5;
		if (buf_reserve(out, need) == -1)
			return -1;
		w = js_escape_put(out->p + out->len, out->p + out->len + need,
		    p, len);
		if (w == NULL)
			return -1;
	}
	out->len = (size_t)(w - out->p);
	out->p[out->len] = '\0';
	return 0;
}

/* Decimal digits of v, written at the end of num[20]: their start. */
static size_t
u64_digits(char num[20], uint64_t v)
{
	size_t n = 20;

	do {
		num[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	return n;
}

static int
buf_add_u64(struct buf *b, uint64_t v)
{
	char num[20];
	size_t n = u64_digits(num, v);

	return buf_add(b, num + n, sizeof(num) - n);
}

/* A JSON integer literal that fits int64: 1 and *v, else 0. */
static int
js_int(const char *p, const char *end, int64_t *v)
{
	int neg = 0;
	uint64_t u = 0, lim;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	if (p == end)
		return 0;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		if (u > (lim - (uint64_t)(*p - '0')) / 10)
			return 0;
		u = u * 10 + (uint64_t)(*p - '0');
	}
	*v = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 1;
}

static int
buf_add_i64(struct buf *b, int64_t v)
{
	if (v < 0) {
		if (buf_addc(b, '-') == -1)
			return -1;
		return buf_add_u64(b, (uint64_t)0 - (uint64_t)v);
	}
	return buf_add_u64(b, (uint64_t)v);
}

/* ---- protobuf primitives ---- */

static int
pb_varint(struct buf *b, uint64_t v)
{
	char tmp[10];
	size_t n = 0;

	do {
		tmp[n] = (char)(v & 0x7f);
		v >>= 7;
		if (v != 0)
			tmp[n] |= (char)0x80;
		n++;
	} while (v != 0);
	return buf_add(b, tmp, n);
}

static int
pb_tag(struct buf *b, unsigned field, unsigned wire)
{
	return pb_varint(b, ((uint64_t)field << 3) | wire);
}

static int
pb_fixed64(struct buf *b, unsigned field, uint64_t v)
{
	char le[8];
	int i;

	for (i = 0; i < 8; i++)
		le[i] = (char)((v >> (8 * i)) & 0xff);
	if (pb_tag(b, field, PB_I64) == -1)
		return -1;
	return buf_add(b, le, 8);
}

static int
pb_bytes(struct buf *b, unsigned field, const char *p, size_t len)
{
	if (pb_tag(b, field, PB_LEN) == -1 || pb_varint(b, len) == -1)
		return -1;
	return buf_add(b, p, len);
}

static int
pb_str(struct buf *b, unsigned field, const char *s)
{
	return pb_bytes(b, field, s, strlen(s));
}

/* Open a length-delimited field: its tag and a one-byte placeholder.
 * *at is where the placeholder is, for pb_close(). */
static int
pb_open(struct buf *b, unsigned field, size_t *at)
{
	if (pb_tag(b, field, PB_LEN) == -1 || buf_addc(b, 0) == -1)
		return -1;
	*at = b->len - 1;
	return 0;
}

/* Write the length of the field opened at `at`, moving its content up
 * when the length needs more than one byte. */
static int
pb_close(struct buf *b, size_t at)
{
	size_t n = b->len - at - 1, vlen = 1, i;
	uint64_t v;

	for (v = n; v >= 0x80; v >>= 7)
		vlen++;
	if (vlen > 1) {
		if (buf_reserve(b, vlen - 1) == -1)
			return -1;
		memmove(b->p + at + vlen, b->p + at + 1, n);
		b->len += vlen - 1;
		b->p[b->len] = '\0';
	}
	for (i = 0, v = n; i < vlen; i++, v >>= 7)
		b->p[at + i] = (char)((v & 0x7f) | (i + 1 < vlen ? 0x80 : 0));
	return 0;
}

/* KeyValue{key, AnyValue{string_value}} as field `field`. */
static int
pb_kv_str(struct buf *b, unsigned field, const char *key, const char *v,
    size_t vlen)
{
	size_t kv, av;

	if (pb_open(b, field, &kv) == -1 || pb_str(b, 1, key) == -1 ||
	    pb_open(b, 2, &av) == -1 || pb_bytes(b, 1, v, vlen) == -1 ||
	    pb_close(b, av) == -1)
		return -1;
	return pb_close(b, kv);
}

/* ---- JSON primitives ---- */

/* {"key":"K","value":{"stringValue":"  (the caller adds the value) */
static int
js_kv_open(struct buf *b, const char *key, const char *type)
{
	if (buf_adds(b, "{\"key\":\"") == -1 || buf_adds(b, key) == -1 ||
	    buf_adds(b, "\",\"value\":{\"") == -1 || buf_adds(b, type) == -1 ||
	    buf_adds(b, "\":") == -1)
		return -1;
	return 0;
}

static int
js_kv_str(struct buf *b, const char *key, const char *v, size_t vlen,
    int escape)
{
	if (js_kv_open(b, key, "stringValue") == -1 || buf_addc(b, '"') == -1 ||
	    (escape ? jsonl_escape(b, v, vlen) : buf_add(b, v, vlen)) == -1 ||
	    buf_adds(b, "\"}}") == -1)
		return -1;
	return 0;
}

/* ---- AnyValue from a JSON value (body = json) ---- */

static int pb_any(struct fmt_otlp *f, struct buf *b, const char *p,
	    const char *end);
static int js_any(struct buf *b, const char *p, const char *end);

static int
js_any(struct buf *b, const char *p, const char *end)
{
	const char *k, *v, *vend, *q;
	size_t klen;
	int64_t iv;
	int first = 1;

	switch (*p) {
	case '"':
		return buf_adds(b, "{\"stringValue\":") == -1 ||
		    buf_add(b, p, (size_t)(end - p)) == -1 ||
		    buf_addc(b, '}') == -1 ? -1 : 0;
	case 't':
	case 'f':
		return buf_adds(b, *p == 't' ? "{\"boolValue\":true}" :
		    "{\"boolValue\":false}");
	case 'n':
		return buf_adds(b, "{}");
	case '{':
		if (buf_adds(b, "{\"kvlistValue\":{\"values\":[") == -1)
			return -1;
		for (q = js_ws(p + 1, end); q < end && *q == '"';
		    q = js_next_member(q, end)) {
			q = js_member(q, end, &k, &klen, &v, &vend);
			if ((!first && buf_addc(b, ',') == -1) ||
			    buf_adds(b, "{\"key\":\"") == -1 ||
			    buf_add(b, k, klen) == -1 ||
			    buf_adds(b, "\",\"value\":") == -1 ||
			    js_any(b, v, vend) == -1 || buf_addc(b, '}') == -1)
				return -1;
			first = 0;
		}
		return buf_adds(b, "]}}");
	case '[':
		if (buf_adds(b, "{\"arrayValue\":{\"values\":[") == -1)
			return -1;
		for (q = js_ws(p + 1, end); q < end && *q != ']';
		    q = js_next_member(q, end)) {
			vend = js_skip(q, end);
			if ((!first && buf_addc(b, ',') == -1) ||
			    js_any(b, q, vend) == -1)
				return -1;
			first = 0;
			q = vend;
		}
		return buf_adds(b, "]}}");
	default:
		if (js_int(p, end, &iv))
			return buf_adds(b, "{\"intValue\":\"") == -1 ||
			    buf_add_i64(b, iv) == -1 ||
			    buf_adds(b, "\"}") == -1 ? -1 : 0;
		return buf_adds(b, "{\"doubleValue\":") == -1 ||
		    buf_add(b, p, (size_t)(end - p)) == -1 ||
		    buf_addc(b, '}') == -1 ? -1 : 0;
	}
}

/* A JSON string's text (quotes at p and end - 1) as a protobuf string. */
static int
pb_js_string(struct fmt_otlp *f, struct buf *b, unsigned field,
    const char *p, size_t len)
{
	buf_reset(&f->tmp);
	if (memchr(p, '\\', len) == NULL)
		return pb_bytes(b, field, p, len);
	if (js_unescape(&f->tmp, p, len) == -1)
		return -1;
	return pb_bytes(b, field, f->tmp.p, f->tmp.len);
}

static int
pb_any(struct fmt_otlp *f, struct buf *b, const char *p, const char *end)
{
	const char *k, *v, *vend, *q;
	size_t klen, at, kv, av;
	int64_t iv;
	double dv;
	uint64_t bits;
	char *num;

	switch (*p) {
	case '"':
		return pb_js_string(f, b, 1, p + 1, (size_t)(end - p) - 2);
	case 't':
	case 'f':
		return pb_tag(b, 2, PB_VARINT) == -1 ||
		    buf_addc(b, *p == 't' ? 1 : 0) == -1 ? -1 : 0;
	case 'n':
		return 0;	/* an empty AnyValue */
	case '{':
		if (pb_open(b, 6, &at) == -1)
			return -1;
		for (q = js_ws(p + 1, end); q < end && *q == '"';
		    q = js_next_member(q, end)) {
			q = js_member(q, end, &k, &klen, &v, &vend);
			if (pb_open(b, 1, &kv) == -1 ||
			    pb_js_string(f, b, 1, k, klen) == -1 ||
			    pb_open(b, 2, &av) == -1 ||
			    pb_any(f, b, v, vend) == -1 ||
			    pb_close(b, av) == -1 || pb_close(b, kv) == -1)
				return -1;
		}
		return pb_close(b, at);
	case '[':
		if (pb_open(b, 5, &at) == -1)
			return -1;
		for (q = js_ws(p + 1, end); q < end && *q != ']';
		    q = js_next_member(q, end)) {
			vend = js_skip(q, end);
			if (pb_open(b, 1, &av) == -1 ||
			    pb_any(f, b, q, vend) == -1 ||
			    pb_close(b, av) == -1)
				return -1;
			q = vend;
		}
		return pb_close(b, at);
	default:
		if (js_int(p, end, &iv))
			return pb_tag(b, 3, PB_VARINT) == -1 ||
			    pb_varint(b, (uint64_t)iv) == -1 ? -1 : 0;
		/* A JSON number is also a valid strtod() input. */
		buf_reset(&f->tmp);
		if (buf_add(&f->tmp, p, (size_t)(end - p)) == -1)
			return -1;
		num = f->tmp.p;
		dv = strtod(num, NULL);
		memcpy(&bits, &dv, sizeof(bits));
		return pb_fixed64(b, 4, bits);
	}
}

/* ---- the request ---- */

const char *
fmt_otlp_content_type(enum fmt_otlp_encoding enc)
{
	return enc == FMT_OTLP_PROTOBUF ? "application/x-protobuf" :
	    "application/json";
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

static int
js_res_attr(struct buf *b, const char *key, const char *v, int comma)
{
	if (comma && buf_addc(b, ',') == -1)
		return -1;
	return js_kv_str(b, key, v, strlen(v), 1);
}

int
fmt_otlp_init(struct fmt_otlp *f, enum fmt_otlp_encoding enc,
    enum fmt_otlp_body body, const struct fmt_otlp_meta *m, struct err *e)
{
	struct buf *h = &f->head, *id = &f->ident;
	size_t at;

	memset(f, 0, sizeof(*f));
	f->enc = enc;
	f->body = body;
	buf_init(h, FMT_OTLP_HEAD_MAX);
	buf_init(id, FMT_OTLP_HEAD_MAX);
	buf_init(&f->tmp, FMT_OTLP_TMP_MAX);
	buf_init(&f->scope, FMT_OTLP_HEAD_MAX);
	if (enc == FMT_OTLP_JSON) {
		/* Everything up to the first record. */
		if (buf_adds(h, "{\"resourceLogs\":[{\"resource\":{\"attributes\":[") == -1 ||
		    js_res_attr(h, "host.name", nz(m->host), 0) == -1 ||
		    js_res_attr(h, "service.name", nz(m->service), 1) == -1 ||
		    js_res_attr(h, "user.name", nz(m->user), 1) == -1 ||
		    js_res_attr(h, "auditship.host", nz(m->host), 1) == -1 ||
		    js_res_attr(h, "auditship.user", nz(m->user), 1) == -1 ||
		    js_res_attr(h, "auditship.file", nz(m->file), 1) == -1 ||
		    buf_adds(h, "]},\"scopeLogs\":[{\"scope\":{\"name\":\"auditship\","
		    "\"version\":\"") == -1 ||
		    jsonl_escape(h, nz(m->version), strlen(nz(m->version))) == -1 ||
		    buf_adds(h, "\"},\"logRecords\":[") == -1)
			goto full;
		/* A record's own identity attribute, up to the offset's
		 * digits (host, user and file are the resource's). */
		if (js_kv_open(id, "auditship.offset", "intValue") == -1 ||
		    buf_addc(id, '"') == -1)
			goto full;
		return 0;
	}
	/* Protobuf: the Resource and the scope fields, whole; the lengths
	 * around them are written by fmt_otlp_finish(). */
	if (pb_open(h, 1, &at) == -1 ||
	    pb_kv_str(h, 1, "host.name", nz(m->host), strlen(nz(m->host))) == -1 ||
	    pb_kv_str(h, 1, "service.name", nz(m->service),
	    strlen(nz(m->service))) == -1 ||
	    pb_kv_str(h, 1, "user.name", nz(m->user), strlen(nz(m->user))) == -1 ||
	    pb_kv_str(h, 1, "auditship.host", nz(m->host),
	    strlen(nz(m->host))) == -1 ||
	    pb_kv_str(h, 1, "auditship.user", nz(m->user),
	    strlen(nz(m->user))) == -1 ||
	    pb_kv_str(h, 1, "auditship.file", nz(m->file),
	    strlen(nz(m->file))) == -1 ||
	    pb_close(h, at) == -1)
		goto full;
	if (pb_open(&f->scope, 1, &at) == -1 ||
	    pb_str(&f->scope, 1, "auditship") == -1 ||
	    pb_str(&f->scope, 2, nz(m->version)) == -1 ||
	    pb_close(&f->scope, at) == -1)
		goto full;
	return 0;
full:
	return err_set(e, "otlp format: host, user, service or file name too long");
}

void
fmt_otlp_free(struct fmt_otlp *f)
{
	buf_free(&f->head);
	buf_free(&f->ident);
	buf_free(&f->tmp);
	buf_free(&f->scope);
}

/*
 * Protobuf layout of a request:
 *   0x0a L1 | 0x0a <Resource> | 0x12 L2 | 0x0a <scope> | 0x12 <LogRecord>...
 * L1 (ResourceLogs) and L2 (ScopeLogs) are one-byte placeholders until
 * fmt_otlp_finish() knows the lengths.
 */
int
fmt_otlp_begin(struct fmt_otlp *f, struct buf *out)
{
	size_t mark = out->len;

	f->nrec = 0;
	if (f->enc == FMT_OTLP_JSON)
		return buf_add(out, f->head.p, f->head.len);
	if (pb_open(out, 1, &f->at_rl) == -1 ||
	    buf_add(out, f->head.p, f->head.len) == -1 ||
	    pb_open(out, 2, &f->at_sl) == -1 ||
	    buf_add(out, f->scope.p, f->scope.len) == -1) {
		buf_truncate(out, mark);
		return -1;
	}
	return 0;
}

/* The fields of the event that become attributes and eventName: raw
 * string insides (still escaped), NULL when absent or not a string. */
struct otlp_fields {
	const char	*ts, *tstamp, *event, *session, *tool_use, *tool;
	size_t		 ts_len, tstamp_len, event_len, session_len,
			 tool_use_len, tool_len;
};

/* The mapped member at key k, when it is one (a switch on the first
 * byte: most of an event's keys are none of them). */
static void
otlp_field(struct otlp_fields *fl, const char *k, size_t klen,
    const char *v, size_t vlen)
{
	const char **var = NULL;
	size_t *vl = NULL;

	if (vlen < 2 || *v != '"')
		return;
#define OTLP_FIELD(name, f)						\
	if (klen == sizeof(name) - 1 && memcmp(k, name, klen) == 0) {	\
		var = &fl->f;						\
		vl = &fl->f##_len;					\
	}
	switch (klen > 0 ? *k : 0) {
	case 't':
		OTLP_FIELD("ts", ts)
		else OTLP_FIELD("timestamp", tstamp)
		else OTLP_FIELD("tool_use_id", tool_use)
		else OTLP_FIELD("tool_name", tool)
		break;
	case 'h':
		OTLP_FIELD("hook_event_name", event)
		break;
	case 's':
		OTLP_FIELD("session_id", session)
		break;
	default:
		break;
	}
#undef OTLP_FIELD
	if (var != NULL && *var == NULL) {	/* the first of a name wins */
		*var = v + 1;
		*vl = vlen - 2;
	}
}

/*
 * One validating pass over the line (the rules of jsonl_is_object, via
 * jsonl_iter) that also picks the mapped top-level members: 1 when the
 * line is one valid object (fl set), 0 when it is not (fl zeroed).
 */
static int
otlp_fields_walk(const char *line, size_t len, struct otlp_fields *fl)
{
	struct jsonl_iter it;
	struct slice k, v;
	int r;

	memset(fl, 0, sizeof(*fl));
	if (!jsonl_iter_init(&it, line, len))
		return 0;
	while ((r = jsonl_iter_next(&it, &k, &v)) == 1)
		otlp_field(fl, k.p, k.len, v.p, v.len);
	if (r == -1) {
		memset(fl, 0, sizeof(*fl));
		return 0;
	}
	/* SPEC §3.2: the event's "ts", else its "timestamp". */
	if (fl->ts == NULL) {
		fl->ts = fl->tstamp;
		fl->ts_len = fl->tstamp_len;
	}
	return 1;
}

static uint64_t
otlp_time_ns(const char *s, size_t len)
{
	int64_t sec;
	uint64_t frac = 0;
	size_t i, digits = 0;

	if (len < 20 || fmt_syslog_time_parse(s, len, NULL, &sec) == -1 ||
	    sec < 0)
		return 0;
	/* RFC 3339: YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm); frac at 19. */
	if (s[19] == '.')
		for (i = 20; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			if (digits < 9) {
				frac = frac * 10 + (uint64_t)(s[i] - '0');
				digits++;
			}
	for (; digits < 9; digits++)
		frac *= 10;
	if ((uint64_t)sec > (UINT64_MAX - frac) / 1000000000u)
		return 0;
	return (uint64_t)sec * 1000000000u + frac;
}

uint64_t
fmt_otlp_event_ns(const char *line, size_t len)
{
	struct otlp_fields fl;

	(void)otlp_fields_walk(line, len, &fl);
	return fl.ts != NULL ? otlp_time_ns(fl.ts, fl.ts_len) : 0;
}

static int
js_record(struct fmt_otlp *f, struct buf *out, const char *line, size_t len,
    uint64_t offset, unsigned flags, uint64_t observed_ns, int invalid,
    const struct otlp_fields *fl)
{
	uint64_t t = fl->ts != NULL ? otlp_time_ns(fl->ts, fl->ts_len) : 0;

	if ((f->nrec > 0 && buf_addc(out, ',') == -1) || buf_addc(out, '{') == -1)
		return -1;
	if (t != 0 && (buf_adds(out, "\"timeUnixNano\":\"") == -1 ||
	    buf_add_u64(out, t) == -1 || buf_adds(out, "\",") == -1))
		return -1;
	if (buf_adds(out, "\"observedTimeUnixNano\":\"") == -1 ||
	    buf_add_u64(out, observed_ns) == -1 ||
	    buf_adds(out, "\",\"severityNumber\":9,\"severityText\":\"INFO\","
	    "\"body\":") == -1)
		return -1;
	if (f->body == FMT_OTLP_BODY_JSON && !invalid) {
		const char *p = js_ws(line, line + len);
		if (js_any(out, p, js_skip(p, line + len)) == -1)
			return -1;
	} else if (buf_adds(out, "{\"stringValue\":\"") == -1 ||
	    (invalid ? jsonl_escape(out, line, len) :
	    js_escape_valid(out, line, len)) == -1 ||
	    buf_adds(out, "\"}") == -1)
		return -1;
	if (buf_adds(out, ",\"attributes\":[") == -1)
		return -1;
	if (fl->session != NULL && (js_kv_str(out, "session.id", fl->session,
	    fl->session_len, 0) == -1 || buf_addc(out, ',') == -1))
		return -1;
	if (fl->tool_use != NULL && (js_kv_str(out, "tool_use_id",
	    fl->tool_use, fl->tool_use_len, 0) == -1 || buf_addc(out, ',') == -1))
		return -1;
	if (fl->tool != NULL && (js_kv_str(out, "tool.name", fl->tool,
	    fl->tool_len, 0) == -1 || buf_addc(out, ',') == -1))
		return -1;
	if (buf_add(out, f->ident.p, f->ident.len) == -1 ||
	    buf_add_u64(out, offset) == -1 || buf_adds(out, "\"}}") == -1)
		return -1;
	if (invalid && (buf_addc(out, ',') == -1 || js_kv_open(out,
	    "auditship.invalid_json", "boolValue") == -1 ||
	    buf_adds(out, "true}}") == -1))
		return -1;
	if ((flags & FMT_OTLP_FRAGMENT) && (buf_addc(out, ',') == -1 ||
	    js_kv_open(out, "auditship.fragment", "boolValue") == -1 ||
	    buf_adds(out, "true}}") == -1))
		return -1;
	if (buf_addc(out, ']') == -1)
		return -1;
	if (fl->event != NULL && (buf_adds(out, ",\"eventName\":\"") == -1 ||
	    buf_add(out, fl->event, fl->event_len) == -1 ||
	    buf_addc(out, '"') == -1))
		return -1;
	return buf_addc(out, '}');
}

/*
 * The hot path (OTLP/JSON, body = raw, a valid line): the record written
 * in place with one reservation, constants by memcpy of known length, no
 * per-piece bounds checks.  A valid line needs at most two bytes per byte
 * escaped (only '"', '\\', TAB, LF and CR need it); 16 more for the
 * block stores below.
 */
#define JS_PUT(w, lit)	(memcpy((w), (lit), sizeof(lit) - 1), (w) += sizeof(lit) - 1)
#define JS_KV_STR(key)	"{\"key\":\"" key "\",\"value\":{\"stringValue\":\""

static char *
js_put(char *w, const char *p, size_t n)
{
	memcpy(w, p, n);
	return w + n;
}

static char *
js_put_u64(char *w, uint64_t v)
{
	char num[20];
	size_t n = u64_digits(num, v);

	return js_put(w, num + n, sizeof(num) - n);
}

/* The attribute key/value, raw inside of a JSON string, and ','. */
static char *
js_put_kv(char *w, const char *head, size_t hlen, const char *v, size_t vlen)
{
	w = js_put(w, head, hlen);
	w = js_put(w, v, vlen);
	JS_PUT(w, "\"}},");
	return w;
}

/* 1 done, 0 no room for the worst case (the caller takes the general
 * path, which reserves piece by piece).  The constants come to < 512. */
static int
js_record_raw(struct fmt_otlp *f, struct buf *out, const char *line,
    size_t len, uint64_t offset, unsigned flags, uint64_t observed_ns,
    const struct otlp_fields *fl)
{
	static const char s_id[] = JS_KV_STR("session.id");
	static const char s_tu[] = JS_KV_STR("tool_use_id");
	static const char s_tn[] = JS_KV_STR("tool.name");
	uint64_t t = fl->ts != NULL ? otlp_time_ns(fl->ts, fl->ts_len) : 0;
	size_t room;
	char *w, *start;

	if (len > (SIZE_MAX - 4096) / 4 || fl->session_len + fl->tool_use_len +
	    fl->tool_len + fl->event_len > SIZE_MAX / 4 - len)
		return 0;
	room = 2 * len + 16 + 512 + f->ident.len + fl->session_len +
	    fl->tool_use_len + fl->tool_len + fl->event_len;
	if (buf_reserve(out, room) == -1)
		return 0;
	w = start = out->p + out->len;
	if (f->nrec > 0)
		*w++ = ',';
	*w++ = '{';
	if (t != 0) {
		JS_PUT(w, "\"timeUnixNano\":\"");
		w = js_put_u64(w, t);
		JS_PUT(w, "\",");
	}
	if (f->obs_ns != observed_ns || f->obs_len == 0) {
		char num[20];
		size_t n = u64_digits(num, observed_ns);

		f->obs_ns = observed_ns;
		f->obs_len = sizeof(num) - n;
		memcpy(f->obs, num + n, f->obs_len);
	}
	JS_PUT(w, "\"observedTimeUnixNano\":\"");
	w = js_put(w, f->obs, f->obs_len);
	JS_PUT(w, "\",\"severityNumber\":9,\"severityText\":\"INFO\","
	    "\"body\":{\"stringValue\":\"");
	if ((w = js_escape_put(w, w + 2 * len + 16, line, len)) == NULL)
		return 0;
	JS_PUT(w, "\"},\"attributes\":[");
	if (fl->session != NULL)
		w = js_put_kv(w, s_id, sizeof(s_id) - 1, fl->session,
		    fl->session_len);
	if (fl->tool_use != NULL)
		w = js_put_kv(w, s_tu, sizeof(s_tu) - 1, fl->tool_use,
		    fl->tool_use_len);
	if (fl->tool != NULL)
		w = js_put_kv(w, s_tn, sizeof(s_tn) - 1, fl->tool,
		    fl->tool_len);
	w = js_put(w, f->ident.p, f->ident.len);
	w = js_put_u64(w, offset);
	JS_PUT(w, "\"}}");
	if (flags & FMT_OTLP_FRAGMENT)
		JS_PUT(w, ",{\"key\":\"auditship.fragment\",\"value\":"
		    "{\"boolValue\":true}}");
	*w++ = ']';
	if (fl->event != NULL) {
		JS_PUT(w, ",\"eventName\":\"");
		w = js_put(w, fl->event, fl->event_len);
		*w++ = '"';
	}
	*w++ = '}';
	out->len += (size_t)(w - start);
	out->p[out->len] = '\0';
	return 1;
}

/* KeyValue{key, AnyValue{bool_value: true}}, LogRecord.attributes. */
static int
pb_kv_true(struct buf *b, const char *key)
{
	size_t kv, av;

	if (pb_open(b, 6, &kv) == -1 || pb_str(b, 1, key) == -1 ||
	    pb_open(b, 2, &av) == -1 || pb_tag(b, 2, PB_VARINT) == -1 ||
	    buf_addc(b, 1) == -1 || pb_close(b, av) == -1)
		return -1;
	return pb_close(b, kv);
}

/* An attribute whose value is a JSON string's raw inside. */
static int
pb_kv_js(struct fmt_otlp *f, struct buf *b, const char *key, const char *v,
    size_t vlen)
{
	size_t kv, av;

	if (pb_open(b, 6, &kv) == -1 || pb_str(b, 1, key) == -1 ||
	    pb_open(b, 2, &av) == -1 || pb_js_string(f, b, 1, v, vlen) == -1 ||
	    pb_close(b, av) == -1)
		return -1;
	return pb_close(b, kv);
}

static int
pb_record(struct fmt_otlp *f, struct buf *out, const char *line, size_t len,
    uint64_t offset, unsigned flags, uint64_t observed_ns, int invalid,
    const struct otlp_fields *fl)
{
	uint64_t t = fl->ts != NULL ? otlp_time_ns(fl->ts, fl->ts_len) : 0;
	size_t rec, at, kv, av;

	if (pb_open(out, 2, &rec) == -1)
		return -1;
	if (t != 0 && pb_fixed64(out, 1, t) == -1)
		return -1;
	/* severity_number = 9 (INFO), severity_text = "INFO". */
	if (pb_tag(out, 2, PB_VARINT) == -1 || buf_addc(out, 9) == -1 ||
	    pb_str(out, 3, "INFO") == -1)
		return -1;
	if (pb_open(out, 5, &at) == -1)
		return -1;
	if (f->body == FMT_OTLP_BODY_JSON && !invalid) {
		const char *p = js_ws(line, line + len);
		if (pb_any(f, out, p, js_skip(p, line + len)) == -1)
			return -1;
	} else if (invalid) {
		size_t s;
		if (pb_open(out, 1, &s) == -1 ||
		    utf8_sanitize(out, line, len) == -1 || pb_close(out, s) == -1)
			return -1;
	} else if (pb_bytes(out, 1, line, len) == -1)
		return -1;
	if (pb_close(out, at) == -1)
		return -1;
	if ((fl->session != NULL && pb_kv_js(f, out, "session.id", fl->session,
	    fl->session_len) == -1) ||
	    (fl->tool_use != NULL && pb_kv_js(f, out, "tool_use_id",
	    fl->tool_use, fl->tool_use_len) == -1) ||
	    (fl->tool != NULL && pb_kv_js(f, out, "tool.name", fl->tool,
	    fl->tool_len) == -1))
		return -1;
	if (pb_open(out, 6, &kv) == -1 || pb_str(out, 1, "auditship.offset") == -1 ||
	    pb_open(out, 2, &av) == -1 || pb_tag(out, 3, PB_VARINT) == -1 ||
	    pb_varint(out, offset) == -1 || pb_close(out, av) == -1 ||
	    pb_close(out, kv) == -1)
		return -1;
	if (invalid && pb_kv_true(out, "auditship.invalid_json") == -1)
		return -1;
	if ((flags & FMT_OTLP_FRAGMENT) &&
	    pb_kv_true(out, "auditship.fragment") == -1)
		return -1;
	if (pb_fixed64(out, 11, observed_ns) == -1)
		return -1;
	if (fl->event != NULL &&
	    pb_js_string(f, out, 12, fl->event, fl->event_len) == -1)
		return -1;
	return pb_close(out, rec);
}

int
fmt_otlp_record(struct fmt_otlp *f, struct buf *out, const char *line,
    size_t len, uint64_t offset, unsigned flags, uint64_t observed_ns,
    int *invalid)
{
	struct otlp_fields fl;
	size_t mark = out->len;
	int rc;

	*invalid = !otlp_fields_walk(line, len, &fl);
	if (f->enc == FMT_OTLP_JSON && f->body == FMT_OTLP_BODY_RAW &&
	    !*invalid && (rc = js_record_raw(f, out, line, len, offset, flags,
	    observed_ns, &fl)) == 1)
		rc = 0;
	else if (f->enc == FMT_OTLP_JSON)
		rc = js_record(f, out, line, len, offset, flags, observed_ns,
		    *invalid, &fl);
	else
		rc = pb_record(f, out, line, len, offset, flags, observed_ns,
		    *invalid, &fl);
	if (rc == -1) {
		buf_truncate(out, mark);
		return -1;
	}
	f->nrec++;
	return 0;
}

/* The seal record (fmt_otlp.h): JSON. */
static int
js_seal(struct fmt_otlp *f, struct buf *out, const char *stmt, size_t slen,
    const char *sig, size_t siglen, uint64_t offset, uint64_t observed_ns)
{
	if ((f->nrec > 0 && buf_addc(out, ',') == -1) ||
	    buf_adds(out, "{\"observedTimeUnixNano\":\"") == -1 ||
	    buf_add_u64(out, observed_ns) == -1 ||
	    buf_adds(out, "\",\"severityNumber\":9,\"severityText\":\"INFO\","
	    "\"body\":{\"stringValue\":\"") == -1 ||
	    jsonl_escape(out, stmt, slen) == -1 ||
	    buf_adds(out, "\"},\"attributes\":[") == -1 ||
	    buf_add(out, f->ident.p, f->ident.len) == -1 ||
	    buf_add_u64(out, offset) == -1 || buf_adds(out, "\"}},") == -1 ||
	    js_kv_open(out, "auditship.seal", "boolValue") == -1 ||
	    buf_adds(out, "true}},") == -1 ||
	    js_kv_str(out, "auditship.sig", sig, siglen, 1) == -1 ||
	    buf_adds(out, "],\"eventName\":\"auditship.seal\"}") == -1)
		return -1;
	return 0;
}

/* The seal record: protobuf (LogRecord field numbers as pb_record). */
static int
pb_seal(struct buf *out, const char *stmt, size_t slen, const char *sig,
    size_t siglen, uint64_t offset, uint64_t observed_ns)
{
	size_t rec, at, kv, av;

	/* The statement is our own JSON (valid UTF-8): its bytes as signed. */
	if (pb_open(out, 2, &rec) == -1 || pb_tag(out, 2, PB_VARINT) == -1 ||
	    buf_addc(out, 9) == -1 || pb_str(out, 3, "INFO") == -1 ||
	    pb_open(out, 5, &at) == -1 || pb_bytes(out, 1, stmt, slen) == -1 ||
	    pb_close(out, at) == -1 ||
	    pb_open(out, 6, &kv) == -1 || pb_str(out, 1, "auditship.offset") == -1 ||
	    pb_open(out, 2, &av) == -1 || pb_tag(out, 3, PB_VARINT) == -1 ||
	    pb_varint(out, offset) == -1 || pb_close(out, av) == -1 ||
	    pb_close(out, kv) == -1 || pb_kv_true(out, "auditship.seal") == -1 ||
	    pb_kv_str(out, 6, "auditship.sig", sig, siglen) == -1 ||
	    pb_fixed64(out, 11, observed_ns) == -1 ||
	    pb_str(out, 12, "auditship.seal") == -1)
		return -1;
	return pb_close(out, rec);
}

int
fmt_otlp_seal(struct fmt_otlp *f, struct buf *out, const char *stmt,
    size_t slen, const char *sig, size_t siglen, uint64_t offset,
    uint64_t observed_ns)
{
	size_t mark = out->len;
	int rc;

	if (f->enc == FMT_OTLP_JSON)
		rc = js_seal(f, out, stmt, slen, sig, siglen, offset, observed_ns);
	else
		rc = pb_seal(out, stmt, slen, sig, siglen, offset, observed_ns);
	if (rc == -1) {
		buf_truncate(out, mark);
		return -1;
	}
	f->nrec++;
	return 0;
}

int
fmt_otlp_finish(struct fmt_otlp *f, struct buf *out)
{
	if (f->enc == FMT_OTLP_JSON)
		return buf_adds(out, "]}]}]}");
	/* Inner first: closing ScopeLogs may move bytes after at_sl only. */
	if (pb_close(out, f->at_sl) == -1 || pb_close(out, f->at_rl) == -1)
		return -1;
	return 0;
}

/* ---- the response ---- */

static void
otlp_message(struct fmt_otlp_response *r, const char *p, size_t len)
{
	size_t i, n = len < sizeof(r->message) - 1 ? len : sizeof(r->message) - 1;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		r->message[i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	r->message[n] = '\0';
}

/* A JSON int64: a number, or a string of digits (proto3 JSON accepts
 * both).  0 and *v, or -1. */
static int
js_count(const char *v, const char *vend, uint64_t *out)
{
	int64_t iv;

	if (*v == '"') {
		v++;
		vend--;
	}
	if (!js_int(v, vend, &iv) || iv < 0)
		return -1;
	*out = (uint64_t)iv;
	return 0;
}

static int
otlp_response_json(const char *p, size_t len, struct fmt_otlp_response *r)
{
	const char *end = p + len, *q, *k, *v, *vend, *q2, *k2, *v2, *vend2;
	size_t klen, klen2;
	struct buf msg;
	int rc = 0;

	q = js_ws(p, end);
	if (q == end)
		return 0;	/* an empty body: full success */
	if (!jsonl_is_object(p, len))
		return -1;
	for (q = js_ws(q + 1, end); q < end && *q == '"';
	    q = js_next_member(q, end)) {
		q = js_member(q, end, &k, &klen, &v, &vend);
		if (!js_key_is(k, klen, "partialSuccess") &&
		    !js_key_is(k, klen, "partial_success"))
			continue;
		if (*v == 'n')
			continue;
		if (*v != '{')
			return -1;
		for (q2 = js_ws(v + 1, vend); q2 < vend && *q2 == '"';
		    q2 = js_next_member(q2, vend)) {
			q2 = js_member(q2, vend, &k2, &klen2, &v2, &vend2);
			if (js_key_is(k2, klen2, "rejectedLogRecords") ||
			    js_key_is(k2, klen2, "rejected_log_records")) {
				if (js_count(v2, vend2, &r->rejected) == -1)
					return -1;
			} else if ((js_key_is(k2, klen2, "errorMessage") ||
			    js_key_is(k2, klen2, "error_message")) &&
			    *v2 == '"') {
				buf_init(&msg, sizeof(r->message) * 6);
				/* Unescape what fits; cut, never fail. */
				if (js_unescape(&msg, v2 + 1,
				    (size_t)(vend2 - v2) - 2) == 0)
					otlp_message(r, msg.p, msg.len);
				else
					otlp_message(r, v2 + 1,
					    (size_t)(vend2 - v2) - 2);
				buf_free(&msg);
			}
		}
	}
	return rc;
}

/* Read a varint at *p (< end).  0 or -1 (truncated or over 10 bytes). */
static int
pb_read_varint(const unsigned char **p, const unsigned char *end,
    uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	while (*p < end && shift < 64) {
		unsigned char c = *(*p)++;
		*v |= (uint64_t)(c & 0x7f) << shift;
		if ((c & 0x80) == 0)
			return 0;
		shift += 7;
	}
	return -1;
}

/* Skip a field's value of wire type w. */
static int
pb_skip(const unsigned char **p, const unsigned char *end, unsigned w)
{
	uint64_t n;

	switch (w) {
	case PB_VARINT:
		return pb_read_varint(p, end, &n);
	case PB_I64:
		n = 8;
		break;
	case PB_I32:
		n = 4;
		break;
	case PB_LEN:
		if (pb_read_varint(p, end, &n) == -1)
			return -1;
		break;
	default:
		return -1;	/* groups are not in this message */
	}
	if (n > (uint64_t)(end - *p))
		return -1;
	*p += n;
	return 0;
}

static int
otlp_response_pb(const char *p, size_t len, struct fmt_otlp_response *r)
{
	const unsigned char *u = (const unsigned char *)p, *end = u + len;
	const unsigned char *s, *send;
	uint64_t tag, n, v;

	while (u < end) {
		if (pb_read_varint(&u, end, &tag) == -1 || (tag >> 3) == 0)
			return -1;
		if (tag != ((1u << 3) | PB_LEN)) {
			if (pb_skip(&u, end, (unsigned)(tag & 7)) == -1)
				return -1;
			continue;
		}
		/* ExportLogsPartialSuccess partial_success = 1 */
		if (pb_read_varint(&u, end, &n) == -1 ||
		    n > (uint64_t)(end - u))
			return -1;
		s = u;
		send = u + n;
		u = send;
		while (s < send) {
			if (pb_read_varint(&s, send, &tag) == -1 ||
			    (tag >> 3) == 0)
				return -1;
			if (tag == ((1u << 3) | PB_VARINT)) {
				/* int64 rejected_log_records = 1 */
				if (pb_read_varint(&s, send, &v) == -1 ||
				    v > INT64_MAX)
					return -1;
				r->rejected = v;
			} else if (tag == ((2u << 3) | PB_LEN)) {
				/* string error_message = 2 */
				if (pb_read_varint(&s, send, &n) == -1 ||
				    n > (uint64_t)(send - s))
					return -1;
				otlp_message(r, (const char *)s, (size_t)n);
				s += n;
			} else if (pb_skip(&s, send, (unsigned)(tag & 7)) == -1)
				return -1;
		}
	}
	return 0;
}

int
fmt_otlp_response_parse(enum fmt_otlp_encoding enc, const char *p,
    size_t len, struct fmt_otlp_response *r)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = enc == FMT_OTLP_JSON ? otlp_response_json(p, len, r) :
	    otlp_response_pb(p, len, r);
	if (rc == -1)
		memset(r, 0, sizeof(*r));
	return rc;
}
