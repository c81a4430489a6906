/*
 * seal.c - seal statements, sig lines, chain and tiling checks (SPEC §7).
 * Pure: libc only.  See seal.h for the format.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freeall.h"
#include "jsonl.h"
#include "seal.h"

/* --- base64 --------------------------------------------------------- */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
seal_b64_encode(const uint8_t *p, size_t n, char *out)
{
	size_t i, o = 0;
	uint32_t v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
		out[o++] = b64[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)p[i] << 16;
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = '=';
		out[o++] = '=';
	} else if (n - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
		out[o++] = '=';
	}
	out[o] = '\0';
}

static int
b64_val(char c)
{
	const char *q;

	if (c == '\0' || (q = strchr(b64, c)) == NULL)
		return -1;
	return (int)(q - b64);
}

int
seal_b64_decode(const char *s, size_t n, uint8_t *out, size_t cap,
    size_t *outlen)
{
	size_t i, o = 0, pad = 0;
	int k, v[4];
	uint32_t w;

	if (n % 4 != 0)
		return -1;
	for (i = 0; i < n; i += 4) {
		for (k = 0; k < 4; k++) {
			if (s[i + k] == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad > 0 || (v[k] = b64_val(s[i + k])) < 0)
				return -1;
		}
		/* Canonical only: the bits padding drops must be zero, so one
		 * signature has one sig line. */
		if ((pad == 2 && (v[1] & 15) != 0) || (pad == 1 && (v[2] & 3) != 0))
			return -1;
		w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
		    (uint32_t)v[2] << 6 | (uint32_t)v[3];
		if (o + 3 - pad > cap)
			return -1;
		out[o++] = (uint8_t)(w >> 16);
		if (pad < 2)
			out[o++] = (uint8_t)(w >> 8);
		if (pad < 1)
			out[o++] = (uint8_t)w;
	}
	*outlen = o;
	return 0;
}

int
seal_is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* --- serialiser ----------------------------------------------------- */

static int
put_str(struct buf *out, const char *name, const char *v)
{
	if (buf_printf(out, ",\"%s\":", name) == -1)
		return -1;
	if (v == NULL)
		return buf_adds(out, "null");
	if (buf_addc(out, '"') == -1 || jsonl_escape(out, v, strlen(v)) == -1)
		return -1;
	return buf_addc(out, '"');
}

static int
put_num(struct buf *out, const char *name, uint64_t v)
{
	return buf_printf(out, ",\"%s\":%" PRIu64, name, v);
}

static int
put_objs(struct buf *out, const struct seal_stmt *s, unsigned gen)
{
	size_t i;
	int first = 1;

	if (buf_addc(out, '[') == -1)
		return -1;
	for (i = 0; i < s->nobjs; i++) {
		const struct seal_obj *o = &s->objs[i];

		if (o->generation != gen)
			continue;
		if (buf_adds(out, first ? "{" : ",{") == -1)
			return -1;
		first = 0;
		/* put_str writes a leading comma: start with the key by hand. */
		if (buf_adds(out, "\"key\":\"") == -1 ||
		    jsonl_escape(out, o->key, strlen(o->key)) == -1 ||
		    buf_addc(out, '"') == -1 ||
		    put_num(out, "start", o->start) == -1 ||
		    put_num(out, "end", o->end) == -1 ||
		    put_str(out, "sha256", o->sha256) == -1 ||
		    put_str(out, "stored_sha256", o->stored_sha256) == -1 ||
		    buf_addc(out, '}') == -1)
			return -1;
	}
	return buf_addc(out, ']');
}

int
seal_stmt_write(struct buf *out, const struct seal_stmt *s)
{
	unsigned g;
	int first = 1;

	if (buf_printf(out, "{\"auditship_seal\":%d", s->version) == -1 ||
	    put_str(out, "host", s->host) == -1 ||
	    put_str(out, "user", s->user) == -1 ||
	    put_str(out, "date", s->date) == -1 ||
	    put_num(out, "seq", s->seq) == -1 ||
	    put_str(out, "state", s->empty ? "empty" : "sealed") == -1 ||
	    put_str(out, "file", s->file) == -1 ||
	    put_num(out, "bytes", s->bytes) == -1 ||
	    put_num(out, "lines", s->lines) == -1 ||
	    put_str(out, "sha256", s->sha256) == -1 ||
	    buf_adds(out, ",\"objects\":") == -1 ||
	    put_objs(out, s, s->generation) == -1 ||
	    buf_adds(out, ",\"resets\":[") == -1)
		return -1;
	for (g = 0; g < s->generation; g++) {
		if (buf_printf(out, "%s{\"generation\":%u,\"objects\":",
		    first ? "" : ",", g) == -1 || put_objs(out, s, g) == -1 ||
		    buf_addc(out, '}') == -1)
			return -1;
		first = 0;
	}
	if (buf_addc(out, ']') == -1 ||
	    put_num(out, "invalid", s->invalid) == -1 ||
	    put_num(out, "oversize", s->oversize) == -1)
		return -1;
	if (s->lock_mode == NULL) {
		if (buf_adds(out, ",\"lock\":null") == -1)
			return -1;
	} else if (buf_adds(out, ",\"lock\":{\"mode\":\"") == -1 ||
	    jsonl_escape(out, s->lock_mode, strlen(s->lock_mode)) == -1 ||
	    buf_addc(out, '"') == -1 ||
	    put_str(out, "retain_until", s->lock_until) == -1 ||
	    buf_addc(out, '}') == -1)
		return -1;
	if (put_str(out, "prev", s->prev[0] ? s->prev : NULL) == -1 ||
	    put_str(out, "key_id", s->key_id) == -1 ||
	    put_str(out, "sealed_at", s->sealed_at) == -1)
		return -1;
	return buf_addc(out, '}');
}

int
seal_sig_write(struct buf *out, const char *key_id,
    const uint8_t sig[SEAL_SIG_LEN])
{
	char b[4 * ((SEAL_SIG_LEN + 2) / 3) + 1];

	seal_b64_encode(sig, SEAL_SIG_LEN, b);
	return buf_printf(out, "sig %s %s", key_id, b);
}

int
seal_split(const char *p, size_t n, const char **stmt, size_t *slen,
    const char **sig, size_t *siglen)
{
	const char *nl = memchr(p, '\n', n), *s2;

	if (nl == NULL || nl == p || n < 2 || p[n - 1] != '\n')
		return -1;
	s2 = nl + 1;
	if ((size_t)(p + n - s2) < 6 || memcmp(s2, "sig ", 4) != 0 ||
	    memchr(s2, '\n', (size_t)(p + n - s2)) != p + n - 1)
		return -1;
	*stmt = p;
	*slen = (size_t)(nl - p);
	*sig = s2 + 4;
	*siglen = (size_t)(p + n - 1 - (s2 + 4));
	return 0;
}

int
seal_record_parts(const char *p, size_t n, struct seal_record *r,
    struct err *e)
{
	struct seal_stmt st;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&st, 0, sizeof(st));
	if (seal_split(p, n, &r->stmt, &r->slen, &r->sig, &r->siglen) == -1)
		return err_set(e, "internal: not a seal object");
	rc = seal_stmt_parse(r->stmt, r->slen, &st, e);
	r->bytes = st.bytes;
	seal_stmt_free(&st);
	return rc == -1 ? err_set(e, "internal: not a seal object") : 0;
}

int
seal_stmt_add_obj(struct seal_stmt *s, const char *key, uint64_t start,
    uint64_t end, const char *sha256, const char *stored_sha256,
    unsigned generation)
{
	struct seal_obj *n, *o;

	if (s->nobjs >= SEAL_MAX_OBJECTS)
		return -1;
	if (s->nobjs == 0 || (s->nobjs >= 8 && (s->nobjs & (s->nobjs - 1)) == 0)) {
		size_t cap = s->nobjs == 0 ? 8 : s->nobjs * 2;

		if ((n = realloc(s->objs, cap * sizeof(*n))) == NULL)
			return -1;
		s->objs = n;
	}
	o = &s->objs[s->nobjs];
	memset(o, 0, sizeof(*o));
	if ((o->key = strdup(key)) == NULL)
		return -1;
	o->start = start;
	o->end = end;
	snprintf(o->sha256, sizeof(o->sha256), "%s", sha256);
	snprintf(o->stored_sha256, sizeof(o->stored_sha256), "%s", stored_sha256);
	o->generation = generation;
	s->nobjs++;
	return 0;
}

void
seal_stmt_free(struct seal_stmt *s)
{
	size_t i;

	for (i = 0; i < s->nobjs; i++)
		free(s->objs[i].key);
	FREE_ALL(s->objs, s->host, s->user, s->date, s->file, s->lock_mode,
	    s->lock_until);
	memset(s, 0, sizeof(*s));
}

/* --- parser --------------------------------------------------------- */

struct jp {
	const char	*p, *end;
	int		 depth;
};

static void
jp_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int
jp_lit(struct jp *j, char c)
{
	jp_ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return 1;
	}
	return 0;
}

/* A JSON string, unescaped into out (\u escapes to UTF-8). */
static int
jp_string(struct jp *j, struct buf *out)
{
	unsigned cp, lo;
	char enc[4];

	jp_ws(j);
	if (j->p >= j->end || *j->p != '"')
		return -1;
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p++;

		if (c < 0x20)
			return -1;
		if (c != '\\') {
			if (out != NULL && buf_addc(out, (char)c) == -1)
				return -1;
			continue;
		}
		if (j->p >= j->end)
			return -1;
		c = (unsigned char)*j->p++;
		switch (c) {
		case '"': case '\\': case '/': case 'b': case 'f':
		case 'n': case 'r': case 't':
			c = (unsigned char)jsonl_escaped((char)c);
			break;
		case 'u':
			if (j->end - j->p < 4 || jsonl_hex4(j->p, &cp) == -1)
				return -1;
			j->p += 4;
			if (cp >= 0xd800 && cp < 0xdc00) {
				if (j->end - j->p < 6 || j->p[0] != '\\' ||
				    j->p[1] != 'u' || jsonl_hex4(j->p + 2, &lo) == -1)
					return -1;
				j->p += 6;
				if (lo < 0xdc00 || lo > 0xdfff)
					return -1;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			if (out == NULL)
				continue;
			if (cp == 0 || buf_add(out, enc,
			    jsonl_utf8_encode(cp, enc)) == -1)
				return -1;
			continue;
		default:
			return -1;
		}
		if (out != NULL && buf_addc(out, (char)c) == -1)
			return -1;
	}
	if (j->p >= j->end)
		return -1;
	j->p++;
	return 0;
}

static int
jp_uint(struct jp *j, uint64_t *v)
{
	uint64_t n = 0;
	const char *s;

	jp_ws(j);
	s = j->p;
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
		if (n > (UINT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (uint64_t)(*j->p++ - '0');
	}
	if (j->p == s || (j->p - s > 1 && *s == '0'))
		return -1;
	*v = n;
	return 0;
}

static int jp_skip(struct jp *j);

static int
jp_skip_container(struct jp *j, char open, char close)
{
	if (!jp_lit(j, open) || ++j->depth > 64)
		return -1;
	if (jp_lit(j, close)) {
		j->depth--;
		return 0;
	}
	do {
		if (open == '{' && (jp_string(j, NULL) == -1 || !jp_lit(j, ':')))
			return -1;
		if (jp_skip(j) == -1)
			return -1;
	} while (jp_lit(j, ','));
	if (!jp_lit(j, close))
		return -1;
	j->depth--;
	return 0;
}

static int
jp_skip(struct jp *j)
{
	static const char *const words[] = { "true", "false", "null" };
	size_t i, n;

	jp_ws(j);
	if (j->p >= j->end)
		return -1;
	if (*j->p == '"')
		return jp_string(j, NULL);
	if (*j->p == '{')
		return jp_skip_container(j, '{', '}');
	if (*j->p == '[')
		return jp_skip_container(j, '[', ']');
	for (i = 0; i < 3; i++) {
		n = strlen(words[i]);
		if ((size_t)(j->end - j->p) >= n && memcmp(j->p, words[i], n) == 0) {
			j->p += n;
			return 0;
		}
	}
	if (*j->p == '-')
		j->p++;
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return -1;
	while (j->p < j->end && strchr("0123456789.eE+-", *j->p) != NULL)
		j->p++;
	return 0;
}

static int
jp_null(struct jp *j)
{
	jp_ws(j);
	if (j->end - j->p >= 4 && memcmp(j->p, "null", 4) == 0) {
		j->p += 4;
		return 1;
	}
	return 0;
}

/* A string into a fresh allocation (*out), or null (*out = NULL). */
static int
jp_dup(struct jp *j, char **out, int nullable)
{
	struct buf b;

	free(*out);
	*out = NULL;
	if (nullable && jp_null(j))
		return 0;
	buf_init(&b, 1u << 16);
	/* Valid UTF-8 only (no raw bad bytes, no lone surrogate): what the
	 * statement names is what seal_stmt_write writes back. */
	if (jp_string(j, &b) == -1 || (b.len > 0 && !jsonl_utf8_valid(b.p, b.len)) ||
	    (b.p == NULL && buf_reserve(&b, 1) == -1)) {
		buf_free(&b);
		return -1;
	}
	b.p[b.len] = '\0';
	*out = b.p;
	return 0;
}

/* A hex digest of 2*n digits into out (nullable: null -> ""). */
static int
jp_hex(struct jp *j, char *out, size_t digits, int nullable)
{
	char *s = NULL;
	int rc = -1;

	if (jp_dup(j, &s, nullable) == -1)
		return -1;
	if (s == NULL) {
		out[0] = '\0';
		return 0;
	}
	if (strlen(s) == digits && seal_is_hex(s, digits)) {
		memcpy(out, s, digits + 1);
		rc = 0;
	}
	free(s);
	return rc;
}

/* Bit of name in the NULL-terminated list (0 for an unknown member): the
 * parsers reject a member given twice, which readers could take either way. */
static unsigned
member_bit(const char *const *list, const char *name)
{
	unsigned i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return 1u << i;
	return 0;
}

/* A member's name (into *name) and its ':', its bit of members added to
 * *have: 0, or -1 when malformed or given twice. */
static int
jp_member(struct jp *j, char **name, const char *const *members,
    unsigned *have)
{
	unsigned bit;

	if (jp_dup(j, name, 0) == -1 || !jp_lit(j, ':'))
		return -1;
	if ((bit = member_bit(members, *name)) & *have)
		return -1;	/* a member twice: ambiguous */
	*have |= bit;
	return 0;
}

static const char *const obj_members[] = {
	"key", "start", "end", "sha256", "stored_sha256", NULL
};

static int
jp_objs(struct jp *j, struct seal_stmt *s, unsigned gen, struct err *e)
{
	char *key = NULL, *name = NULL;
	uint64_t start, end;
	char sha[SEAL_HEX], ssha[SEAL_HEX];
	unsigned have;

	if (!jp_lit(j, '['))
		return err_set(e, "objects: not a list");
	if (jp_lit(j, ']'))
		return 0;
	do {
		if (!jp_lit(j, '{'))
			return err_set(e, "objects: not an object");
		have = 0;
		sha[0] = ssha[0] = '\0';
		do {
			if (jp_member(j, &name, obj_members, &have) == -1)
				goto bad;
			if (strcmp(name, "key") == 0) {
				if (jp_dup(j, &key, 0) == -1)
					goto bad;
			} else if (strcmp(name, "start") == 0) {
				if (jp_uint(j, &start) == -1)
					goto bad;
			} else if (strcmp(name, "end") == 0) {
				if (jp_uint(j, &end) == -1)
					goto bad;
			} else if (strcmp(name, "sha256") == 0) {
				if (jp_hex(j, sha, 64, 0) == -1)
					goto bad;
			} else if (strcmp(name, "stored_sha256") == 0) {
				if (jp_hex(j, ssha, 64, 0) == -1)
					goto bad;
			} else if (jp_skip(j) == -1)
				goto bad;
		} while (jp_lit(j, ','));
		if (!jp_lit(j, '}') || have != 31)
			goto bad;
		if (seal_stmt_add_obj(s, key, start, end, sha, ssha, gen) == -1) {
			free(key);
			free(name);
			return err_set(e, "objects: too many or out of memory");
		}
		free(key);
		key = NULL;
	} while (jp_lit(j, ','));
	free(name);
	if (!jp_lit(j, ']'))
		return err_set(e, "objects: malformed list");
	return 0;
bad:
	free(key);
	free(name);
	return err_set(e, "objects: malformed object (needs key, start, end, "
	    "sha256, stored_sha256)");
}

static int
jp_resets(struct jp *j, struct seal_stmt *s, struct err *e)
{
	static const char *const members[] = { "generation", "objects", NULL };
	char *name = NULL;
	uint64_t gen = 0;
	const char *objs;
	unsigned have;

	if (!jp_lit(j, '['))
		return err_set(e, "resets: not a list");
	if (jp_lit(j, ']'))
		return 0;
	do {
		if (!jp_lit(j, '{'))
			return err_set(e, "resets: not an object");
		objs = NULL;
		have = 0;
		do {
			if (jp_member(j, &name, members, &have) == -1)
				goto bad;
			if (strcmp(name, "generation") == 0) {
				if (jp_uint(j, &gen) == -1 || gen > 1000000)
					goto bad;
			} else if (strcmp(name, "objects") == 0) {
				jp_ws(j);
				objs = j->p;
				if (jp_skip(j) == -1)
					goto bad;
			} else if (jp_skip(j) == -1)
				goto bad;
		} while (jp_lit(j, ','));
		if (!jp_lit(j, '}') || have != 3)
			goto bad;
		/* Generations 0, 1, ... in order, as seal_stmt_write lists
		 * them: the current one is one past the last. */
		if (gen != s->generation) {
			free(name);
			return err_set(e, "resets: generation %" PRIu64 " where %u "
			    "belongs (oldest first, none missing)", gen,
			    s->generation);
		}
		s->generation++;
		{
			struct jp o = { objs, j->end, j->depth };

			if (jp_objs(&o, s, (unsigned)gen, e) == -1)
				goto out;
		}
	} while (jp_lit(j, ','));
	free(name);
	if (!jp_lit(j, ']'))
		return err_set(e, "resets: malformed list");
	return 0;
bad:
	err_set(e, "resets: malformed entry (needs generation, objects)");
out:
	free(name);
	return -1;
}

static int
jp_lock(struct jp *j, struct seal_stmt *s)
{
	static const char *const members[] = { "mode", "retain_until", NULL };
	char *name = NULL;
	unsigned have = 0;

	if (jp_null(j))
		return 0;
	if (!jp_lit(j, '{'))
		return -1;
	if (jp_lit(j, '}'))
		return -1;
	do {
		if (jp_member(j, &name, members, &have) == -1)
			goto bad;
		if (strcmp(name, "mode") == 0) {
			/* A lock has a mode: {"mode":null} is no lock. */
			if (jp_dup(j, &s->lock_mode, 0) == -1)
				goto bad;
		} else if (strcmp(name, "retain_until") == 0) {
			if (jp_dup(j, &s->lock_until, 1) == -1)
				goto bad;
		} else if (jp_skip(j) == -1)
			goto bad;
	} while (jp_lit(j, ','));
	free(name);
	return jp_lit(j, '}') && have == 3 ? 0 : -1;
bad:
	free(name);
	return -1;
}

static int
valid_date(const char *d)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int i, y, m, day;

	if (d == NULL || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
			return 0;
	y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + d[3] - '0';
	m = (d[5] - '0') * 10 + d[6] - '0';
	day = (d[8] - '0') * 10 + d[9] - '0';
	if (m < 1 || m > 12 || day < 1 || day > mdays[m - 1])
		return 0;
	return !(m == 2 && day == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)));
}

static const char *const stmt_members[] = {
	"auditship_seal", "host", "user", "date", "seq", "state", "file",
	"bytes", "lines", "sha256", "objects", "resets", "invalid", "oversize",
	"lock", "prev", "key_id", "sealed_at", NULL
};

int
seal_stmt_parse(const char *p, size_t len, struct seal_stmt *s, struct err *e)
{
	struct jp j = { p, p + len, 0 };
	char *name = NULL, *state = NULL;
	uint64_t v, seq = 0;
	unsigned have = 0, seen = 0, bit;
	const char *objs = NULL;

	memset(s, 0, sizeof(*s));
	if (!jsonl_is_object(p, len))
		return err_set(e, "statement is not a JSON object");
	if (!jp_lit(&j, '{'))
		return err_set(e, "statement is not a JSON object");
	if (jp_lit(&j, '}'))
		return err_set(e, "statement is empty");
	do {
		if (jp_dup(&j, &name, 0) == -1 || !jp_lit(&j, ':'))
			goto bad;
		if ((bit = member_bit(stmt_members, name)) & seen) {
			err_set(e, "statement has member %s twice", name);
			goto fail;
		}
		seen |= bit;
#define IS(n) (strcmp(name, (n)) == 0)
		if (IS("auditship_seal")) {
			if (jp_uint(&j, &v) == -1)
				goto bad;
			if (v != SEAL_VERSION) {
				free(name);
				free(state);
				return err_set(e, "unknown auditship_seal version %"
				    PRIu64 " (this auditship reads version %d)", v,
				    SEAL_VERSION);
			}
			s->version = (int)v;
			have |= 1;
		} else if (IS("host")) {
			if (jp_dup(&j, &s->host, 0) == -1)
				goto bad;
			have |= 2;
		} else if (IS("user")) {
			if (jp_dup(&j, &s->user, 0) == -1)
				goto bad;
			have |= 4;
		} else if (IS("date")) {
			if (jp_dup(&j, &s->date, 0) == -1)
				goto bad;
			have |= 8;
		} else if (IS("seq")) {
			if (jp_uint(&j, &seq) == -1 || seq == 0 || seq > 1000000)
				goto bad;
			s->seq = (unsigned)seq;
			have |= 16;
		} else if (IS("state")) {
			if (jp_dup(&j, &state, 0) == -1)
				goto bad;
			have |= 32;
		} else if (IS("file")) {
			if (jp_dup(&j, &s->file, 1) == -1)
				goto bad;
		} else if (IS("bytes")) {
			if (jp_uint(&j, &s->bytes) == -1)
				goto bad;
			have |= 64;
		} else if (IS("lines")) {
			if (jp_uint(&j, &s->lines) == -1)
				goto bad;
		} else if (IS("sha256")) {
			if (jp_hex(&j, s->sha256, 64, 0) == -1)
				goto bad;
			have |= 128;
		} else if (IS("objects")) {
			jp_ws(&j);
			objs = j.p;
			if (jp_skip(&j) == -1)
				goto bad;
			have |= 256;
		} else if (IS("resets")) {
			if (jp_resets(&j, s, e) == -1)
				goto fail;
		} else if (IS("invalid")) {
			if (jp_uint(&j, &s->invalid) == -1)
				goto bad;
		} else if (IS("oversize")) {
			if (jp_uint(&j, &s->oversize) == -1)
				goto bad;
		} else if (IS("lock")) {
			if (jp_lock(&j, s) == -1)
				goto bad;
		} else if (IS("prev")) {
			if (jp_hex(&j, s->prev, 64, 1) == -1)
				goto bad;
			have |= 512;
		} else if (IS("key_id")) {
			if (jp_hex(&j, s->key_id, 32, 0) == -1)
				goto bad;
			have |= 1024;
		} else if (IS("sealed_at")) {
			char *at = NULL;

			if (jp_dup(&j, &at, 0) == -1)
				goto bad;
			if (strlen(at) >= sizeof(s->sealed_at)) {
				free(at);
				goto bad;
			}
			snprintf(s->sealed_at, sizeof(s->sealed_at), "%s", at);
			free(at);
		} else if (jp_skip(&j) == -1)
			goto bad;
#undef IS
	} while (jp_lit(&j, ','));
	if (!jp_lit(&j, '}'))
		goto bad;
	free(name);
	name = NULL;
	if ((have & 1) == 0) {
		free(state);
		return err_set(e, "not a seal: no auditship_seal member");
	}
	if (have != 2047) {
		free(state);
		return err_set(e, "statement lacks a member (needs host, user, date, "
		    "seq, state, bytes, sha256, objects, prev, key_id)");
	}
	if (strcmp(state, "empty") == 0)
		s->empty = 1;
	else if (strcmp(state, "sealed") != 0) {
		free(state);
		return err_set(e, "state must be sealed or empty");
	}
	free(state);
	state = NULL;
	if (!valid_date(s->date))
		return err_set(e, "date is not YYYY-MM-DD");
	/* The current generation is one past the last reset (jp_resets). */
	{
		struct jp o = { objs, j.end, 0 };

		if (jp_objs(&o, s, s->generation, e) == -1)
			return -1;
	}
	return 0;
bad:
	err_set(e, "statement is malformed near byte %zu",
	    (size_t)(j.p - p));
fail:
	free(name);
	free(state);
	return -1;
}

int
seal_parse(const char *p, size_t len, struct seal_stmt *s, struct slice *stmt,
    char key_id[SEAL_KEY_ID], uint8_t sig[SEAL_SIG_LEN], struct err *e)
{
	const char *nl, *l2, *sp, *end = p + len;
	size_t n;

	memset(s, 0, sizeof(*s));
	if ((nl = memchr(p, '\n', len)) == NULL)
		return err_set(e, "not two lines (no sig line)");
	stmt->p = p;
	stmt->len = (size_t)(nl - p);
	l2 = nl + 1;
	if (end > l2 && end[-1] == '\n')
		end--;
	if (memchr(l2, '\n', (size_t)(end - l2)) != NULL)
		return err_set(e, "more than two lines");
	if (seal_stmt_parse(stmt->p, stmt->len, s, e) == -1)
		return -1;
	if (end - l2 < 4 || memcmp(l2, "sig ", 4) != 0)
		return err_set(e, "malformed sig line (want \"sig KEY_ID BASE64\")");
	l2 += 4;
	if ((sp = memchr(l2, ' ', (size_t)(end - l2))) == NULL ||
	    sp - l2 != 32 || !seal_is_hex(l2, 32))
		return err_set(e, "malformed sig line: key id is not 32 hex digits");
	memcpy(key_id, l2, 32);
	key_id[32] = '\0';
	sp++;
	if (seal_b64_decode(sp, (size_t)(end - sp), sig, SEAL_SIG_LEN, &n) == -1 ||
	    n != SEAL_SIG_LEN)
		return err_set(e, "malformed sig line: signature is not 64 bytes "
		    "of base64 (truncated?)");
	if (strcmp(key_id, s->key_id) != 0)
		return err_set(e, "sig line key id %s differs from the statement's "
		    "key_id %s", key_id, s->key_id);
	return 0;
}

/* --- checks --------------------------------------------------------- */

int
seal_link_check(const struct seal_stmt *s, const char *prev_hash, struct err *e)
{
	if (prev_hash == NULL) {
		if (s->prev[0] != '\0')
			return err_set(e, "chain: prev names a seal %.16s... but no "
			    "earlier seal of the stream exists (one was deleted?)",
			    s->prev);
		return 0;
	}
	if (s->prev[0] == '\0')
		return err_set(e, "chain: prev is null but the stream has an "
		    "earlier seal");
	if (strcmp(s->prev, prev_hash) != 0)
		return err_set(e, "chain: prev %.16s... is not the hash of the "
		    "previous seal (%.16s...): a seal was removed, replaced or "
		    "reordered", s->prev, prev_hash);
	return 0;
}

int
seal_tiling_check(const struct seal_obj *o, size_t n, unsigned gen,
    uint64_t bytes, struct err *e)
{
	uint64_t at = 0;
	const struct seal_obj *last = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (o[i].generation != gen)
			continue;
		if (o[i].end <= o[i].start)
			return err_set(e, "%s: empty or inverted range %" PRIu64
			    "-%" PRIu64, o[i].key, o[i].start, o[i].end);
		if (last != NULL && o[i].start < last->start)
			return err_set(e, "%s: out of order (starts at %" PRIu64
			    ", before %s)", o[i].key, o[i].start, last->key);
		if (o[i].start > at)
			return err_set(e, "%s: gap: bytes %" PRIu64 "-%" PRIu64
			    " are in no object", o[i].key, at, o[i].start);
		if (o[i].start < at)
			return err_set(e, "%s: overlap: bytes %" PRIu64 "-%" PRIu64
			    " are in two objects", o[i].key, o[i].start, at);
		at = o[i].end;
		last = &o[i];
	}
	if (at != bytes)
		return err_set(e, "%s: objects cover %" PRIu64 " bytes of %" PRIu64,
		    last ? last->key : "(no object)", at, bytes);
	return 0;
}
