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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "caps.h"
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

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
state_unescape(char *s)
{
	char *o = s;
	int h, l;

	for (; *s != '\0'; s++) {
		if (*s != '%') {
			*o++ = *s;
			continue;
		}
		if ((h = hexval(s[1])) < 0 || (l = hexval(s[2])) < 0)
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
	hi = st->nrecs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		c = rec_cmp3(&st->recs[mid], dest, stream, name);
		if (c == 0)
			return &st->recs[mid];
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
	free(d->last_err);
	d->last_err = n;
	d->last_err_at = now;
	d->errors++;
	return 0;
}

/* A short text field into a fixed array. */
static int
rec_text(char *dst, size_t cap, const char *val)
{
	size_t n = strlen(val);

	if (n >= cap)
		return -1;
	memcpy(dst, val, n + 1);
	return 0;
}

/* Parse one "key=value" field into a record. */
static int
rec_field(struct state_rec *r, char *key, char *val)
{
	char *end;
	uint64_t u;

	if (strcmp(key, "dest") == 0)
		return (r->dest = strdup(val)) ? 0 : -1;
	if (strcmp(key, "stream") == 0)
		return (r->stream = strdup(val)) ? 0 : -1;
	if (strcmp(key, "name") == 0)
		return (r->name = strdup(val)) ? 0 : -1;
	if (strcmp(key, "note") == 0)
		return (r->note = strdup(val)) ? 0 : -1;
	if (strcmp(key, "fp") == 0) {
		if (strlen(val) > 64)
			return -1;
		memcpy(r->fp, val, strlen(val) + 1);
		return 0;
	}
	if (strcmp(key, "sh") == 0)
		return rec_text(r->sh, sizeof(r->sh), val);
	if (strcmp(key, "shead") == 0)
		return rec_text(r->seal_head, sizeof(r->seal_head), val);
	if (strcmp(key, "sfirst") == 0)
		return rec_text(r->seal_first, sizeof(r->seal_first), val);
	if (strcmp(key, "slast") == 0)
		return rec_text(r->seal_last, sizeof(r->seal_last), val);
	if (strcmp(key, "pend") == 0) {
		if (sscanf(val, "%" SCNu64 "-%" SCNu64, &r->pend_start, &r->pend_end) != 2 ||
		    r->pend_end < r->pend_start)
			return -1;
		r->pending = 1;
		return 0;
	}
	errno = 0;
	u = strtoull(val, &end, 10);
	if (errno != 0 || end == val || *end != '\0' || val[0] == '-')
		return -1;
	if (strcmp(key, "dev") == 0) r->dev = u;
	else if (strcmp(key, "ino") == 0) r->ino = u;
	else if (strcmp(key, "gz") == 0) r->gz = u != 0;
	else if (strcmp(key, "off") == 0) r->off = u;
	else if (strcmp(key, "size") == 0) r->size = u;
	else if (strcmp(key, "gzsize") == 0) r->gz_csize = u;
	else if (strcmp(key, "gzmtime") == 0) r->gz_mtime = (int64_t)u;
	else if (strcmp(key, "lines") == 0) r->lines = u;
	else if (strcmp(key, "bytes") == 0) r->bytes = u;
	else if (strcmp(key, "invalid") == 0) r->invalid = u;
	else if (strcmp(key, "oversize") == 0) r->oversize = u;
	else if (strcmp(key, "truncated") == 0) r->truncated = u;
	else if (strcmp(key, "resets") == 0) r->resets = u;
	else if (strcmp(key, "rejected") == 0) r->rejected = u;
	else if (strcmp(key, "last_ok") == 0) r->last_ok = (int64_t)u;
	else if (strcmp(key, "mtime") == 0) r->mtime = (int64_t)u;
	else if (strcmp(key, "ctime") == 0) r->ctime_ns = (int64_t)u;
	else if (strcmp(key, "sseq") == 0) r->seal_seq = u;
	else if (strcmp(key, "soff") == 0) r->seal_off = u;
	else if (strcmp(key, "sgen") == 0) r->seal_gen = u;
	/* Unknown keys come from a newer version: keep reading. */
	return 0;
}

static int
dest_field(struct state_dest *d, char *key, char *val)
{
	char *end;
	uint64_t u;

	if (strcmp(key, "name") == 0)
		return (d->name = strdup(val)) ? 0 : -1;
	if (strcmp(key, "last_err") == 0)
		return (d->last_err = strdup(val)) ? 0 : -1;
	errno = 0;
	u = strtoull(val, &end, 10);
	if (errno != 0 || end == val || *end != '\0')
		return -1;
	if (strcmp(key, "last_ok") == 0) d->last_ok = (int64_t)u;
	else if (strcmp(key, "last_err_at") == 0) d->last_err_at = (int64_t)u;
	else if (strcmp(key, "errors") == 0) d->errors = u;
	return 0;
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
		if (state_unescape(eq + 1) == -1 ||
		    (*is_rec ? rec_field(r, field, eq + 1) : dest_field(d, field, eq + 1)) == -1)
			return err_set(e, "%s:%zu: bad value for %.32s", path, lineno, field);
	}
	if (*is_rec && (r->dest == NULL || r->stream == NULL || r->name == NULL))
		return err_set(e, "%s:%zu: file record without dest, stream or name",
		    path, lineno);
	if (!*is_rec && d->name == NULL)
		return err_set(e, "%s:%zu: dest record without name", path, lineno);
	return 0;
}

static void
dest_free(struct state_dest *d)
{
	free(d->name);
	free(d->last_err);
}

/*
 * Put a parsed record into the state: appended (snapshot lines are
 * unique) or, for journal lines, replacing the record with its key.
 * Takes ownership of the strings in *r / *d.
 */
static int
state_take(struct state *st, struct state_rec *r, struct state_dest *d,
    int is_rec, int upsert)
{
	struct state_rec *slot;
	struct state_dest *ds;

	if (is_rec) {
		slot = upsert ? state_get(st, r->dest, r->stream, r->name, 1) : state_add(st);
		if (slot == NULL) {
			rec_free(r);
			return -1;
		}
		rec_free(slot);
		*slot = *r;
		if (!upsert)
			st->sorted = 0;
		return 0;
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
 * Read path line by line.  journal: lines carry "EPOCH\t" in front and
 * only those of the snapshot's epoch count (older ones were already folded
 * into the snapshot by a compaction that crashed before truncating); a
 * last line without "\n" is a crash mid-append, not corruption, and is
 * ignored (its commit did not happen).
 */
static int
state_read(struct state *st, const char *path, int journal, struct err *e)
{
	FILE *f;
	char *line = NULL, *rec, *end;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	struct stat sb;
	int rc = 0, is_rec = 0;
	uint64_t ep;

	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return 0;
		return err_sys(e, "open state file %s", path);
	}
	if (fstat(fileno(f), &sb) == 0 && sb.st_size > (off_t)LIM_STATE_FILE) {
		fclose(f);
		return err_set(e, "state file %s: larger than %u bytes", path,
		    (unsigned)LIM_STATE_FILE);
	}
	while ((n = getline(&line, &cap, f)) != -1) {
		struct state_rec r;
		struct state_dest d;

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
		if (!journal && lineno == 1) {
			if (strcmp(line, STATE_MAGIC) != 0) {
				rc = err_set(e, "state file %s: not an auditship state "
				    "file (first line)", path);
				break;
			}
			continue;
		}
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (!journal && strncmp(line, "epoch\t", 6) == 0) {
			errno = 0;
			st->epoch = strtoull(line + 6, &end, 10);
			if (errno != 0 || *end != '\0') {
				rc = err_set(e, "%s:%zu: bad epoch", path, lineno);
				break;
			}
			continue;
		}
		rec = line;
		if (journal) {
			errno = 0;
			ep = strtoull(line, &end, 10);
			if (errno != 0 || end == line || *end != '\t') {
				rc = err_set(e, "%s:%zu: journal line without epoch", path, lineno);
				break;
			}
			if (ep != st->epoch)
				continue;	/* folded into the snapshot already */
			rec = end + 1;
		}
		memset(&r, 0, sizeof(r));
		memset(&d, 0, sizeof(d));
		if (state_parse_line(path, rec, lineno, &r, &d, &is_rec, e) == -1) {
			rec_free(&r);
			dest_free(&d);
			rc = -1;
			break;
		}
		if (state_take(st, &r, &d, is_rec, journal) == -1) {
			rc = err_sys(e, "malloc");
			break;
		}
		if (journal)
			st->jlines++;
	}
	if (rc == 0 && ferror(f))
		rc = err_sys(e, "read state file %s", path);
	free(line);
	fclose(f);
	return rc;
}

static int
state_load(struct state *st, struct err *e)
{
	if (state_read(st, st->path, 0, e) == -1)
		return -1;
	st->sorted = 0;
	return state_read(st, st->jpath, 1, e);
}

static int
mkdir_p(const char *path, mode_t mode, struct err *e)
{
	char tmp[LIM_PATH];
	size_t i, len = strlen(path);

	if (len >= sizeof(tmp))
		return err_set(e, "path too long: %s", path);
	memcpy(tmp, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, mode) == -1 && errno != EEXIST)
			return err_sys(e, "mkdir %s", tmp);
		tmp[i] = path[i];
	}
	return 0;
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
		if (mkdir_p(dir, 0700, e) == -1)
			return -1;
		snprintf(path, sizeof(path), "%s/lock", dir);
		if ((st->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
			return err_sys(e, "open %s", path);
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
	if (r->fp[0] != '\0' && buf_printf(b, "\tfp=%s", r->fp) == -1)
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
	st->jfd = open(st->jpath, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (st->jfd == -1)
		return err_sys(e, "open %s", st->jpath);
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
state_save(struct state *st, struct err *e)
{
	struct buf b;
	size_t i;
	int rc;

	buf_init(&b, LIM_STATE_FILE);
	/* A new epoch: journal lines written before it are folded in. */
	if (buf_printf(&b, "%s\nepoch\t%" PRIu64 "\n# offsets per destination "
	    "and daily file; replaced atomically by auditship\n", STATE_MAGIC,
	    st->epoch + 1) == -1)
		goto toolong;
	for (i = 0; i < st->ndests; i++)
		if (dest_format(&b, &st->dests[i]) == -1)
			goto toolong;
	for (i = 0; i < st->nrecs; i++)
		if (rec_format(&b, &st->recs[i]) == -1)
			goto toolong;
	rc = fs_atomic_write(st->path, b.p, b.len, 0600, e);
	buf_free(&b);
	if (rc == -1)
		return -1;
	st->epoch++;
	/* Only now may the journal go; if we die first, its lines carry the
	 * old epoch and are ignored on load. */
	if (st->jlines > 0 || st->jfd != -1) {
		if (state_journal_open(st, e) == -1 || ftruncate(st->jfd, 0) == -1)
			return err_sys(e, "truncate %s", st->jpath);
		st->jlines = 0;
	}
	return 0;
toolong:
	buf_free(&b);
	return err_set(e, "state file %s: larger than %u bytes", st->path,
	    (unsigned)LIM_STATE_FILE);
}
