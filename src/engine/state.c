/*
 * state.c - the durable offsets (see state.h).
 *
 * Records are kept sorted by (dest, stream, name) for binary search: a
 * no-op run over a year of files for several users looks up thousands of
 * records.  Saving writes every record; the file is small (a line per
 * day file and destination).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "log.h"
#include "caps.h"
#include "parse.h"
#include "state.h"

#define STATE_MAGIC	"auditship-state 1"

int
state_escape(const char *s, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c == 0x7f || c == '%' || c == '=') {
			if (o + 3 >= cap)
				return -1;
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			if (o + 1 >= cap)
				return -1;
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return 0;
}

int
state_unescape(char *s)
{
	char *o;
	int h, l;

	/* Most values hold no escape: nothing to move. */
	if ((s = strchr(s, '%')) == NULL)
		return 0;
	for (o = s; *s != '\0'; s++) {
		if (*s != '%') {
			*o++ = *s;
			continue;
		}
		if ((h = parse_hexval(s[1])) < 0 ||
		    (l = parse_hexval(s[2])) < 0)
			return -1;
		*o++ = (char)(h * 16 + l);
		s += 2;
	}
	*o = '\0';
	return 0;
}

static int
rec_cmp3(const struct state_rec *r, const char *dest, const char *stream,
    const char *name)
{
	int c;

	if ((c = strcmp(r->dest, dest)) != 0)
		return c;
	if ((c = strcmp(r->stream, stream)) != 0)
		return c;
	return strcmp(r->name, name);
}

static int
rec_cmp(const void *a, const void *b)
{
	const struct state_rec *y = b;

	return rec_cmp3(a, y->dest, y->stream, y->name);
}

static void
rec_free(struct state_rec *r)
{
	free(r->dest);
	free(r->stream);
	free(r->name);
	free(r->note);
}

static struct state_rec *
state_add(struct state *st)
{
	struct state_rec *n;
	size_t ncap;

	if (st->nrecs == st->cap) {
		ncap = st->cap ? st->cap * 2 : 64;
		if ((n = realloc(st->recs, ncap * sizeof(*n))) == NULL)
			return NULL;
		st->recs = n;
		st->cap = ncap;
	}
	memset(&st->recs[st->nrecs], 0, sizeof(st->recs[0]));
	return &st->recs[st->nrecs++];
}

struct state_rec *
state_get(struct state *st, const char *dest, const char *stream,
    const char *name, int create)
{
	struct state_rec *r;
	size_t lo = 0, hi;
	int c;

	if (!st->sorted && st->nrecs > 1)
		qsort(st->recs, st->nrecs, sizeof(st->recs[0]), rec_cmp);
	st->sorted = 1;
	/* Callers mostly walk in key order (loading the snapshot appends;
	 * the engine visits each stream's days in order): try the record
	 * after the last one found, and the end, before searching.  The
	 * hint is only a guess, checked like any candidate. */
	if (st->next < st->nrecs &&
	    rec_cmp3(&st->recs[st->next], dest, stream, name) == 0)
		return &st->recs[st->next++];
	hi = st->nrecs;
	if (hi > 0 && rec_cmp3(&st->recs[hi - 1], dest, stream, name) < 0)
		lo = hi;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		c = rec_cmp3(&st->recs[mid], dest, stream, name);
		if (c == 0) {
			st->next = mid + 1;
			return &st->recs[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!create || (r = state_add(st)) == NULL)
		return NULL;
	r->dest = strdup(dest);
	r->stream = strdup(stream);
	r->name = strdup(name);
	if (r->dest == NULL || r->stream == NULL || r->name == NULL) {
		rec_free(r);
		st->nrecs--;
		return NULL;
	}
	/* Keep the array sorted: move the new record into place. */
	{
		struct state_rec tmp = *r;
		size_t at = lo;

		memmove(&st->recs[at + 1], &st->recs[at],
		    (st->nrecs - 1 - at) * sizeof(st->recs[0]));
		st->recs[at] = tmp;
		st->next = at + 1;
		return &st->recs[at];
	}
}

struct state_dest *
state_dest_get(struct state *st, const char *name, int create)
{
	struct state_dest *n;
	size_t i;

	for (i = 0; i < st->ndests; i++)
		if (strcmp(st->dests[i].name, name) == 0)
			return &st->dests[i];
	if (!create)
		return NULL;
	if ((n = realloc(st->dests, (st->ndests + 1) * sizeof(*n))) == NULL)
		return NULL;
	st->dests = n;
	memset(&n[st->ndests], 0, sizeof(n[0]));
	if ((n[st->ndests].name = strdup(name)) == NULL)
		return NULL;
	return &n[st->ndests++];
}

int
state_set_note(struct state_rec *r, const char *note)
{
	char *n = NULL;

	if (note != NULL && note[0] != '\0' && (n = strdup(note)) == NULL)
		return -1;
	free(r->note);
	r->note = n;
	return 0;
}

int
state_set_error(struct state_dest *d, const char *msg, int64_t now)
{
	char *n;

	if ((n = strdup(msg)) == NULL)
		return -1;
	/* A server may echo what it was sent ("you sent X-Custom-Token:
	 * ..."): the registered secrets go before the text is stored and
	 * shown by `status` (issue 17 #3). */
	log_mask(n);
	free(d->last_err);
	d->last_err = n;
	d->last_err_at = now;
	d->errors++;
	return 0;
}

/*
 * Strict decimal: digits only, a '-' in front when signed; no spaces, no
 * '+', no overflow.  Every number auditship writes loads back (SPEC §3.1):
 * mtime, ctime and last_ok are signed (a file may predate 1970).
 */
static int
num_parse(const char *s, int is_signed, uint64_t *u, int64_t *i)
{
	const char *d = s;
	uint64_t v = 0;
	int neg = 0;

	if (is_signed && *d == '-') {
		neg = 1;
		d++;
	}
	if (*d == '\0')
		return -1;
	for (; *d != '\0'; d++) {
		uint64_t digit = (uint64_t)(*d - '0');

		if (*d < '0' || *d > '9' || v > (UINT64_MAX - digit) / 10)
			return -1;
		v = v * 10 + digit;
	}
	if (!is_signed) {
		*u = v;
		return 0;
	}
	if (neg ? v > (uint64_t)INT64_MAX + 1 : v > (uint64_t)INT64_MAX)
		return -1;
	*i = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) :
	    (int64_t)v;
	return 0;
}

enum fkind { F_STR, F_U64, F_I64, F_BOOL, F_FP, F_PEND, F_SH, F_DATE };

struct field {
	const char	*key;
	enum fkind	 kind;
	size_t		 at;		/* offsetof in the record */
	int		 required;	/* the writer always writes it */
};

#define R(k, kind, m, req)	{ k, kind, offsetof(struct state_rec, m), req }
static const struct field rec_fields[] = {
	R("dest", F_STR, dest, 1), R("stream", F_STR, stream, 1),
	R("name", F_STR, name, 1), R("off", F_U64, off, 1),
	R("size", F_U64, size, 1), R("dev", F_U64, dev, 1),
	R("ino", F_U64, ino, 1), R("gz", F_BOOL, gz, 1),
	R("mtime", F_I64, mtime, 1), R("ctime", F_I64, ctime_ns, 1),
	R("fp", F_FP, fp, 0), R("gzsize", F_U64, gz_csize, 0),
	R("gzmtime", F_I64, gz_mtime, 0), R("pend", F_PEND, pend_start, 0),
	R("note", F_STR, note, 0), R("lines", F_U64, lines, 1),
	R("bytes", F_U64, bytes, 1), R("invalid", F_U64, invalid, 1),
	R("oversize", F_U64, oversize, 1), R("truncated", F_U64, truncated, 1),
	R("resets", F_U64, resets, 1), R("rejected", F_U64, rejected, 1),
	R("last_ok", F_I64, last_ok, 1),
	/* seals (sealer.c, SPEC §3.3, §7) */
	R("sh", F_SH, sh, 0), R("shlag", F_U64, sh_lag, 0),
	R("sseq", F_U64, seal_seq, 0),
	R("soff", F_U64, seal_off, 0), R("sgen", F_U64, seal_gen, 0),
	R("shead", F_FP, seal_head, 0), R("sfirst", F_DATE, seal_first, 0),
	R("slast", F_DATE, seal_last, 0),
};
#undef R
#define D(k, kind, m, req)	{ k, kind, offsetof(struct state_dest, m), req }
static const struct field dest_fields[] = {
	D("name", F_STR, name, 1), D("last_ok", F_I64, last_ok, 1),
	D("last_err_at", F_I64, last_err_at, 1), D("errors", F_U64, errors, 1),
	D("last_err", F_STR, last_err, 0),
};
#undef D

/*
 * Parse one "key=value" field into the record at base.  *seen keeps the
 * fields met on this line: a field given twice is corruption (and would
 * leak the first value).  Unknown keys come from a newer version and are
 * skipped.  Returns 0, -1 for a bad value, -2 for a repeated field.
 */
/* noinline: inlined into the dest-table caller, gcc -O3 sees the F_PEND
 * branch write a state_rec into a state_dest (it never runs there). */
static int __attribute__((noinline))
field_parse(const struct field *tab, size_t n, void *base, uint32_t *seen,
    size_t *hint, const char *key, char *val)
{
	char *at, *dash;
	size_t k, j;
	uint64_t u, u2;
	int64_t i;

	/* The writer's order: try the field after the last one first (a
	 * no-op run loads thousands of records). */
	for (j = 0, k = *hint < n ? *hint : 0; j < n && strcmp(tab[k].key, key) != 0;
	    j++)
		k = k + 1 < n ? k + 1 : 0;
	if (j == n)
		return 0;
	*hint = k + 1;
	if (*seen & (1u << k))
		return -2;
	*seen |= 1u << k;
	at = (char *)base + tab[k].at;
	switch (tab[k].kind) {
	case F_STR:
		return (*(char **)at = strdup(val)) != NULL ? 0 : -1;
	case F_FP:
	case F_SH:
	case F_DATE:
		if (strlen(val) >= (tab[k].kind == F_FP ? 65 : tab[k].kind == F_SH ?
		    STATE_SHA_STATE : 11))
			return -1;
		memcpy(at, val, strlen(val) + 1);
		return 0;
	case F_U64:
		if (num_parse(val, 0, &u, &i) == -1)
			return -1;
		memcpy(at, &u, sizeof(u));
		return 0;
	case F_I64:
		if (num_parse(val, 1, &u, &i) == -1)
			return -1;
		memcpy(at, &i, sizeof(i));
		return 0;
	case F_BOOL:
		if (strcmp(val, "0") != 0 && strcmp(val, "1") != 0)
			return -1;
		*(int *)at = val[0] == '1';
		return 0;
	case F_PEND: {
		struct state_rec *r = base;

		if ((dash = strchr(val, '-')) == NULL)
			return -1;
		*dash = '\0';
		if (num_parse(val, 0, &u, &i) == -1 ||
		    num_parse(dash + 1, 0, &u2, &i) == -1 || u2 < u)
			return -1;
		r->pend_start = u;
		r->pend_end = u2;
		r->pending = 1;
		return 0;
	}
	}
	return -1;
}

/* The first required field of tab missing from seen, or NULL. */
static const char *
field_missing(const struct field *tab, size_t n, uint32_t seen)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (tab[k].required && !(seen & (1u << k)))
			return tab[k].key;
	return NULL;
}

/* Cut the next tab-separated field off *p (NULL at the end). */
static char *
next_field(char **p)
{
	char *f = *p, *tab;

	if (f == NULL)
		return NULL;
	if ((tab = strchr(f, '\t')) != NULL) {
		*tab = '\0';
		*p = tab + 1;
	} else
		*p = NULL;
	return f;
}

/*
 * Parse one record line into *r or *d (zeroed by the caller); *is_rec
 * says which.  Strings are allocated into the record.
 */
static int
state_parse_line(const char *path, char *line, size_t lineno,
    struct state_rec *r, struct state_dest *d, int *is_rec, struct err *e)
{
	char *field, *rest = line, *eq, *kind;
	const char *miss;
	uint32_t seen = 0;
	size_t hint = 0;
	int rc;

	kind = next_field(&rest);
	if (kind == NULL || kind[0] == '\0')
		return err_set(e, "%s:%zu: empty record", path, lineno);
	if (strcmp(kind, "file") == 0)
		*is_rec = 1;
	else if (strcmp(kind, "dest") == 0)
		*is_rec = 0;
	else
		return err_set(e, "%s:%zu: unknown record \"%.20s\"", path, lineno, kind);
	while ((field = next_field(&rest)) != NULL) {
		if ((eq = strchr(field, '=')) == NULL)
			return err_set(e, "%s:%zu: field without '='", path, lineno);
		*eq = '\0';
		if (state_unescape(eq + 1) == -1)
			rc = -1;
		else if (*is_rec)
			rc = field_parse(rec_fields, sizeof(rec_fields) /
			    sizeof(rec_fields[0]), r, &seen, &hint, field, eq + 1);
		else
			rc = field_parse(dest_fields, sizeof(dest_fields) /
			    sizeof(dest_fields[0]), d, &seen, &hint, field, eq + 1);
		if (rc == -2)
			return err_set(e, "%s:%zu: field %.32s given twice", path,
			    lineno, field);
		if (rc == -1)
			return err_set(e, "%s:%zu: bad value for %.32s", path, lineno, field);
	}
	miss = *is_rec ? field_missing(rec_fields, sizeof(rec_fields) /
	    sizeof(rec_fields[0]), seen) : field_missing(dest_fields,
	    sizeof(dest_fields) / sizeof(dest_fields[0]), seen);
	if (miss != NULL)
		return err_set(e, "%s:%zu: %s record without %s (corrupt; move "
		    "the file away to re-ship from scratch)", path, lineno,
		    *is_rec ? "file" : "dest", miss);
	return 0;
}

static void
dest_free(struct state_dest *d)
{
	free(d->name);
	free(d->last_err);
}

/*
 * Put a parsed record into the state.  Snapshot lines are unique (a
 * second record for the same key is corruption: which offset is true?);
 * journal lines replace the record with their key.  Takes ownership of
 * the strings in *r / *d.  -1 malloc failure, -2 duplicate.
 */
static int
state_take(struct state *st, struct state_rec *r, struct state_dest *d,
    int is_rec, int upsert)
{
	struct state_rec *slot;
	struct state_dest *ds;

	if (is_rec) {
		if (!upsert && state_get(st, r->dest, r->stream, r->name, 0) != NULL) {
			rec_free(r);
			return -2;
		}
		if ((slot = state_get(st, r->dest, r->stream, r->name, 1)) == NULL) {
			rec_free(r);
			return -1;
		}
		rec_free(slot);
		*slot = *r;
		return 0;
	}
	if (!upsert && state_dest_get(st, d->name, 0) != NULL) {
		dest_free(d);
		return -2;
	}
	if ((ds = state_dest_get(st, d->name, 1)) == NULL) {
		dest_free(d);
		return -1;
	}
	dest_free(ds);
	*ds = *d;
	return 0;
}

/*
 * One line of the snapshot or the journal (without its "\n"; len counts
 * NUL bytes, which make the line corrupt).  journal: lines carry
 * "EPOCH\t" in front and only those of the snapshot's epoch count (older
 * ones were already folded into the snapshot by a compaction that crashed
 * before truncating; newer ones cannot be trusted and are dropped by the
 * next save).
 */
static int
state_line(struct state *st, const char *path, char *line, size_t len,
    size_t lineno, int journal, struct err *e)
{
	struct state_rec r;
	struct state_dest d;
	char *rec = line, *end;
	int is_rec = 0, rc;
	uint64_t ep;
	int64_t unused;

	if (strlen(line) != len)
		return err_set(e, "%s:%zu: NUL byte in a line (corrupt)", path, lineno);
	if (!journal && lineno == 1) {
		if (strcmp(line, STATE_MAGIC) != 0)
			return err_set(e, "state file %s: not an auditship state "
			    "file (first line)", path);
		return 0;
	}
	if (line[0] == '#' || line[0] == '\0')
		return 0;
	if (!journal && strncmp(line, "epoch\t", 6) == 0) {
		if (num_parse(line + 6, 0, &st->epoch, &unused) == -1)
			return err_set(e, "%s:%zu: bad epoch", path, lineno);
		return 0;
	}
	if (journal) {
		if ((end = strchr(line, '\t')) == NULL)
			return err_set(e, "%s:%zu: journal line without epoch", path, lineno);
		*end = '\0';
		if (num_parse(line, 0, &ep, &unused) == -1)
			return err_set(e, "%s:%zu: journal line without epoch", path, lineno);
		st->jstale = 1;		/* the next save empties the journal */
		if (ep != st->epoch)
			return 0;
		rec = end + 1;
	}
	memset(&r, 0, sizeof(r));
	memset(&d, 0, sizeof(d));
	if (state_parse_line(path, rec, lineno, &r, &d, &is_rec, e) == -1) {
		rec_free(&r);
		dest_free(&d);
		return -1;
	}
	if ((rc = state_take(st, &r, &d, is_rec, journal)) == -2)
		return err_set(e, "%s:%zu: a second record for the same %s "
		    "(corrupt; move the file away to re-ship from scratch)",
		    path, lineno, is_rec ? "file and destination" : "destination");
	if (rc == -1)
		return err_sys(e, "malloc");
	if (journal)
		st->jlines++;
	return 0;
}

int
state_parse(struct state *st, const char *path, const char *text,
    size_t len, int journal, struct err *e)
{
	const char *p = text, *end = text + len, *nl;
	size_t lineno = 0, n;
	char *line;
	int rc = 0;

	while (p < end && rc == 0) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			if (journal)
				break;		/* torn last append */
			return err_set(e, "state file %s: truncated at line %zu "
			    "(corrupt; move it away to re-ship from scratch)",
			    path, lineno);
		}
		n = (size_t)(nl - p);
		if ((line = malloc(n + 1)) == NULL)
			return err_sys(e, "malloc");
		memcpy(line, p, n);
		line[n] = '\0';
		rc = state_line(st, path, line, n, lineno, journal, e);
		free(line);
		p = nl + 1;
	}
	if (rc == 0 && !journal && lineno == 0)
		return err_set(e, "state file %s: empty, without its header line "
		    "(corrupt; move it away to re-ship from scratch)", path);
	return rc;
}

/*
 * Read path line by line (bounded: one line in memory) through
 * state_line().  A missing file is an empty state; anything but a regular
 * file is refused before a read could block.
 */
static int
state_read(struct state *st, const char *path, int journal, struct err *e)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	struct stat sb;
	int rc = 0, fd;

	fd = fs_open_regular(path, O_RDONLY, 0, journal ? "state journal" :
	    "state file", e);
	if (fd == -1) {
		if (errno == ENOENT) {
			err_clear(e);
			return 0;
		}
		return -1;
	}
	if (fstat(fd, &sb) == 0 && sb.st_size > (off_t)LIM_STATE_FILE) {
		close(fd);
		return err_set(e, "state file %s: larger than %u bytes", path,
		    (unsigned)LIM_STATE_FILE);
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		close(fd);
		return err_sys(e, "fdopen %s", path);
	}
	while ((n = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		else if (journal)
			break;		/* torn last append */
		else {
			rc = err_set(e, "state file %s: truncated at line %zu "
			    "(corrupt; move it away to re-ship from scratch)", path, lineno);
			break;
		}
		if ((rc = state_line(st, path, line, (size_t)n, lineno, journal,
		    e)) == -1)
			break;
	}
	if (rc == 0 && ferror(f))
		rc = err_sys(e, "read state file %s", path);
	if (rc == 0 && !journal && lineno == 0)
		rc = err_set(e, "state file %s: empty, without its header line "
		    "(corrupt; move it away to re-ship from scratch)", path);
	free(line);
	fclose(f);
	return rc;
}

static int
state_load(struct state *st, struct err *e)
{
	if (state_read(st, st->path, 0, e) == -1)
		return -1;
	return state_read(st, st->jpath, 1, e);
}

int
state_open(struct state *st, const char *dir, int lock, struct err *e)
{
	char path[LIM_PATH];

	memset(st, 0, sizeof(*st));
	st->lock_fd = -1;
	st->jfd = -1;
	if ((st->dir = strdup(dir)) == NULL)
		return err_sys(e, "malloc");
	if (snprintf(path, sizeof(path), "%s/state", dir) >= (int)sizeof(path))
		return err_set(e, "state_dir too long");
	if ((st->path = strdup(path)) == NULL)
		return err_sys(e, "malloc");
	snprintf(path, sizeof(path), "%s/state.journal", dir);
	if ((st->jpath = strdup(path)) == NULL)
		return err_sys(e, "malloc");
	if (lock) {
		if (fs_mkdirs(dir, 0700, FS_MKDIR_WHOLE, e) == -1)
			return -1;
		snprintf(path, sizeof(path), "%s/lock", dir);
		if ((st->lock_fd = fs_open_regular(path, O_RDWR | O_CREAT, 0600,
		    "lock file", e)) == -1)
			return -1;
		if (flock(st->lock_fd, LOCK_EX | LOCK_NB) == -1) {
			if (errno == EWOULDBLOCK) {
				err_set(e, "another auditship holds the lock %s", path);
				return STATE_LOCKED;
			}
			return err_sys(e, "flock %s", path);
		}
	}
	return state_load(st, e);
}

void
state_close(struct state *st)
{
	size_t i;

	for (i = 0; i < st->nrecs; i++)
		rec_free(&st->recs[i]);
	free(st->recs);
	for (i = 0; i < st->ndests; i++) {
		free(st->dests[i].name);
		free(st->dests[i].last_err);
	}
	free(st->dests);
	if (st->jfd != -1)
		close(st->jfd);
	if (st->lock_fd != -1)
		close(st->lock_fd);	/* releases the flock */
	free(st->dir);
	free(st->path);
	free(st->jpath);
	memset(st, 0, sizeof(*st));
	st->lock_fd = -1;
	st->jfd = -1;
}

/* "\tkey=escaped" for a string field. */
static int
put_str(struct buf *b, const char *key, const char *val)
{
	char esc[3 * LIM_PATH + 1];

	if (val == NULL)
		return 0;
	if (state_escape(val, esc, sizeof(esc)) == -1)
		return -1;
	return buf_printf(b, "\t%s=%s", key, esc);
}

static int
dest_format(struct buf *b, const struct state_dest *d)
{
	if (buf_adds(b, "dest") == -1 || put_str(b, "name", d->name) == -1 ||
	    buf_printf(b, "\tlast_ok=%" PRId64 "\tlast_err_at=%" PRId64
	    "\terrors=%" PRIu64, d->last_ok, d->last_err_at, d->errors) == -1 ||
	    put_str(b, "last_err", d->last_err) == -1)
		return -1;
	return buf_addc(b, '\n');
}

static int
rec_format(struct buf *b, const struct state_rec *r)
{
	if (buf_adds(b, "file") == -1 || put_str(b, "dest", r->dest) == -1 ||
	    put_str(b, "stream", r->stream) == -1 ||
	    put_str(b, "name", r->name) == -1 ||
	    buf_printf(b, "\toff=%" PRIu64 "\tsize=%" PRIu64 "\tdev=%" PRIu64
	    "\tino=%" PRIu64 "\tgz=%d\tmtime=%" PRId64 "\tctime=%" PRId64,
	    r->off, r->size, r->dev, r->ino, r->gz, r->mtime, r->ctime_ns) == -1)
		return -1;
	if (r->fp[0] != '\0' && put_str(b, "fp", r->fp) == -1)
		return -1;
	if (r->gz && buf_printf(b, "\tgzsize=%" PRIu64 "\tgzmtime=%" PRId64,
	    r->gz_csize, r->gz_mtime) == -1)
		return -1;
	if (r->pending && buf_printf(b, "\tpend=%" PRIu64 "-%" PRIu64,
	    r->pend_start, r->pend_end) == -1)
		return -1;
	if (put_str(b, "note", r->note) == -1)
		return -1;
	if (r->sh[0] != '\0' && buf_printf(b, "\tsh=%s", r->sh) == -1)
		return -1;
	if (r->sh_lag > 0 && buf_printf(b, "\tshlag=%" PRIu64, r->sh_lag) == -1)
		return -1;
	if (r->seal_seq > 0 && buf_printf(b, "\tsseq=%" PRIu64 "\tsoff=%" PRIu64
	    "\tsgen=%" PRIu64, r->seal_seq, r->seal_off, r->seal_gen) == -1)
		return -1;
	if (r->seal_head[0] != '\0' && buf_printf(b, "\tshead=%s", r->seal_head) == -1)
		return -1;
	if (r->seal_first[0] != '\0' && buf_printf(b, "\tsfirst=%s\tslast=%s",
	    r->seal_first, r->seal_last) == -1)
		return -1;
	return buf_printf(b, "\tlines=%" PRIu64 "\tbytes=%" PRIu64 "\tinvalid=%"
	    PRIu64 "\toversize=%" PRIu64 "\ttruncated=%" PRIu64 "\tresets=%"
	    PRIu64 "\trejected=%" PRIu64 "\tlast_ok=%" PRId64 "\n", r->lines,
	    r->bytes, r->invalid, r->oversize, r->truncated, r->resets,
	    r->rejected, r->last_ok);
}

/* Open the journal for appending, dropping a torn last line left by a
 * crash so the next append starts on a line of its own. */
static int
state_journal_open(struct state *st, struct err *e)
{
	struct stat sb;
	char c;
	off_t end;

	if (st->jfd != -1)
		return 0;
	st->jfd = fs_open_regular(st->jpath, O_RDWR | O_CREAT | O_APPEND, 0600,
	    "state journal", e);
	if (st->jfd == -1)
		return -1;
	if (fstat(st->jfd, &sb) == -1)
		return err_sys(e, "stat %s", st->jpath);
	for (end = sb.st_size; end > 0; end--) {
		if (pread(st->jfd, &c, 1, end - 1) != 1)
			return err_sys(e, "read %s", st->jpath);
		if (c == '\n')
			break;
	}
	if (end != sb.st_size && ftruncate(st->jfd, end) == -1)
		return err_sys(e, "truncate %s", st->jpath);
	return 0;
}

int
state_commit(struct state *st, const struct state_rec *r,
    const struct state_dest *d, struct err *e)
{
	struct buf b;
	int rc = -1;

	if (st->jlines >= STATE_JOURNAL_MAX)
		return state_save(st, e);	/* compact instead */
	if (state_journal_open(st, e) == -1)
		return -1;
	buf_init(&b, 4 * 3 * LIM_PATH + 4096);
	/* One write(2) per commit: the lines land together or not at all
	 * (a torn tail is dropped at the next open). */
	if ((r != NULL && (buf_printf(&b, "%" PRIu64 "\t", st->epoch) == -1 ||
	    rec_format(&b, r) == -1)) ||
	    (d != NULL && (buf_printf(&b, "%" PRIu64 "\t", st->epoch) == -1 ||
	    dest_format(&b, d) == -1))) {
		err_set(e, "state record too long");
		goto out;
	}
	if (fs_write_all(st->jfd, b.p, b.len) == -1) {
		err_sys(e, "write %s", st->jpath);
		goto out;
	}
	if (fdatasync(st->jfd) == -1) {
		err_sys(e, "fsync %s", st->jpath);
		goto out;
	}
	st->jlines += (r != NULL) + (d != NULL);
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

int
state_format(struct state *st, struct buf *b)
{
	size_t i;

	/* Sorted, so that the same state always gives the same bytes. */
	if (!st->sorted && st->nrecs > 1)
		qsort(st->recs, st->nrecs, sizeof(st->recs[0]), rec_cmp);
	st->sorted = 1;
	/* A new epoch: journal lines written before it are folded in. */
	if (buf_printf(b, "%s\nepoch\t%" PRIu64 "\n# offsets per destination "
	    "and daily file; replaced atomically by auditship\n", STATE_MAGIC,
	    st->epoch + 1) == -1)
		return -1;
	for (i = 0; i < st->ndests; i++)
		if (dest_format(b, &st->dests[i]) == -1)
			return -1;
	for (i = 0; i < st->nrecs; i++)
		if (rec_format(b, &st->recs[i]) == -1)
			return -1;
	return 0;
}

int
state_save(struct state *st, struct err *e)
{
	struct buf b;
	int rc;

	buf_init(&b, LIM_STATE_FILE);
	if (state_format(st, &b) == -1) {
		buf_free(&b);
		return err_set(e, "state file %s: larger than %u bytes", st->path,
		    (unsigned)LIM_STATE_FILE);
	}
	rc = fs_atomic_write(st->path, b.p, b.len, 0600, e);
	buf_free(&b);
	if (rc == -1)
		return -1;
	st->epoch++;
	/* Only now may the journal go; if we die first, its lines carry the
	 * old epoch and are ignored on load.  Lines of any other epoch go
	 * too: kept, a "future" line would count after the next save. */
	if (st->jlines > 0 || st->jfd != -1 || st->jstale) {
		if (state_journal_open(st, e) == -1 || ftruncate(st->jfd, 0) == -1)
			return err_sys(e, "truncate %s", st->jpath);
		st->jlines = 0;
		st->jstale = 0;
	}
	return 0;
}
