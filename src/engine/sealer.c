/*
 * sealer.c - seals in the engine and the shipped-bytes hash (see sealer.h,
 * SPEC §3.3, §7).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "fsutil.h"
#include "log.h"
#include "reader.h"
#include "seal.h"
#include "sealer.h"

#define SEALER_IO	(256u << 10)
#define PENDING_MAGIC	"auditship-seal-pending 1"

int
sealer_enabled(const struct engine *en, size_t di)
{
	const struct dest *d = &en->dests[di];

	return dest_ops_seal(d->ops) && d->seal;
}

/* --- the shipped-bytes hash ------------------------------------------ */

/* Feed [from, to) of df to h. */
static int
hash_range(struct crypto_sha *h, const struct day_file *df, uint64_t from,
    uint64_t to, struct err *e)
{
	struct reader r;
	char *buf;
	ssize_t n;
	int rc = 0;

	if (to <= from)
		return 0;
#ifdef AUDITSHIP_BENCH_NO_HASH
	return 0;	/* see crypto_sha_update() */
#endif
	if ((buf = malloc(SEALER_IO)) == NULL)
		return err_sys(e, "malloc");
	memset(&r, 0, sizeof(r));
	if (reader_open(&r, df->path, df->gz, from, to, 0, e) == -1)
		rc = -1;
	while (rc == 0 && (n = reader_read_raw(&r, buf, SEALER_IO, e)) != 0) {
		if (n < 0) {
			rc = -1;
			break;
		}
		crypto_sha_update(h, buf, (size_t)n);
		from += (uint64_t)n;
	}
	reader_close(&r);
	free(buf);
	if (rc == 0 && from != to)
		return err_set(e, "%s: ends before byte %" PRIu64, df->path, to);
	return rc;
}

/*
 * The per-run cache of shipped-bytes hash states (SPEC §3.3, §7): each
 * day file (by path and identity: device, inode, .gz, size, ctime, so a
 * file written to since is another entry) keeps the SHA-256 states of its
 * prefixes [0, off) that some destination computed or checked in this
 * run.  A destination whose record is at a state the cache knows, and
 * which commits at an offset the cache knows on the same chain, copies the
 * state instead of reading and hashing the bytes again: the file's bytes
 * are hashed once per run, not once per destination.
 *
 * Points form chains: the states one computation extended from one base.
 * Chain 0 is "fresh": rooted at offset 0 in this run, so its states are
 * of the file's bytes as they are now.  Other chains start from a state a
 * record brought from an earlier run (the bytes shipped then).  Two
 * chains with an equal state at one offset hold the same bytes below it
 * and, the file being the same identity, above it: they merge.  A record
 * uses only the chain of its own exact state, so a state is never taken
 * for bytes it did not cover.  Bounded: SEALER_HC_FILES files of
 * SEALER_HC_POINTS points, the least recently used dropped.
 */
#define SEALER_HC_FILES		64
#define SEALER_HC_POINTS	64

struct hc_point {
	uint64_t	 off;
	unsigned	 chain;
	char		 sh[STATE_SHA_STATE];
};

struct hc_file {
	char		*path;
	uint64_t	 dev, ino, size;
	int64_t		 ctime_ns;
	int		 gz;
	uint64_t	 used;
	struct hc_point	 pts[SEALER_HC_POINTS];
	size_t		 n;
	unsigned	 next_chain;
};

struct sealer_cache {
	struct hc_file	 f[SEALER_HC_FILES];
	size_t		 n;
	uint64_t	 tick;
	uint64_t	 hashed, reused;	/* bytes, for the debug log */
};

void
sealer_cache_free(struct engine *en)
{
	size_t i;

	if (en->hc == NULL)
		return;
	if (en->hc->hashed + en->hc->reused > 0)
		log_debug("shipped-bytes hash: %" PRIu64 " bytes hashed, %" PRIu64
		    " taken from the run's cache", en->hc->hashed, en->hc->reused);
	for (i = 0; i < en->hc->n; i++)
		free(en->hc->f[i].path);
	free(en->hc);
	en->hc = NULL;
}

static int64_t
df_ctime(const struct day_file *df)
{
	return (int64_t)df->st.st_ctim.tv_sec * 1000000000 + df->st.st_ctim.tv_nsec;
}

/* 1 when df is still as it was listed (same inode, size and ctime). */
static int
df_unchanged(const struct day_file *df)
{
	struct stat sb;

	return stat(df->path, &sb) == 0 && sb.st_ino == df->st.st_ino &&
	    sb.st_dev == df->st.st_dev && sb.st_size == df->st.st_size &&
	    sb.st_ctim.tv_sec == df->st.st_ctim.tv_sec &&
	    sb.st_ctim.tv_nsec == df->st.st_ctim.tv_nsec;
}

/* The cache entry of df as it is now; with create, a new one (NULL when
 * out of memory). */
static struct hc_file *
hc_file(struct engine *en, const struct day_file *df, int create)
{
	struct sealer_cache *c = en->hc;
	struct hc_file *f, *lru = NULL;
	size_t i;

	if (c == NULL) {
		if (!create || (c = en->hc = calloc(1, sizeof(*c))) == NULL)
			return NULL;
	}
	c->tick++;
	for (i = 0; i < c->n; i++) {
		f = &c->f[i];
		if (f->ino == (uint64_t)df->st.st_ino &&
		    f->dev == (uint64_t)df->st.st_dev && f->gz == df->gz &&
		    f->size == (uint64_t)df->st.st_size &&
		    f->ctime_ns == df_ctime(df) && strcmp(f->path, df->path) == 0) {
			f->used = c->tick;
			return f;
		}
		if (lru == NULL || f->used < lru->used)
			lru = f;
	}
	if (!create)
		return NULL;
	f = c->n < SEALER_HC_FILES ? &c->f[c->n] : lru;
	if (f == lru)
		free(f->path);
	memset(f, 0, sizeof(*f));
	if ((f->path = strdup(df->path)) == NULL)
		return NULL;
	if (c->n < SEALER_HC_FILES)
		c->n++;
	f->dev = (uint64_t)df->st.st_dev;
	f->ino = (uint64_t)df->st.st_ino;
	f->gz = df->gz;
	f->size = (uint64_t)df->st.st_size;
	f->ctime_ns = df_ctime(df);
	f->used = c->tick;
	f->next_chain = 1;
	return f;
}

/* The chain of the exact state (off, sh): 0 fresh for the empty prefix,
 * -1 when unknown. */
static long
hc_chain(const struct hc_file *f, uint64_t off, const char *sh)
{
	size_t i;

	if (off == 0 && sh[0] == '\0')
		return 0;
	for (i = 0; f != NULL && i < f->n; i++)
		if (f->pts[i].off == off && strcmp(f->pts[i].sh, sh) == 0)
			return (long)f->pts[i].chain;
	return -1;
}

/* The point of chain ch with the largest offset in [lo, hi], or NULL. */
static const struct hc_point *
hc_best(const struct hc_file *f, unsigned ch, uint64_t lo, uint64_t hi)
{
	const struct hc_point *best = NULL;
	size_t i;

	for (i = 0; f != NULL && i < f->n; i++)
		if (f->pts[i].chain == ch && f->pts[i].off >= lo &&
		    f->pts[i].off <= hi && (best == NULL || f->pts[i].off > best->off))
			best = &f->pts[i];
	return best;
}

/* Note the state sh of [0, off) on chain ch (merging chains that agree). */
static void
hc_add(struct hc_file *f, unsigned ch, uint64_t off, const char *sh)
{
	size_t i;
	unsigned from, to;

	if (f == NULL || (off == 0 && sh[0] == '\0'))
		return;
	for (i = 0; i < f->n; i++) {
		if (f->pts[i].off != off || strcmp(f->pts[i].sh, sh) != 0)
			continue;
		if (f->pts[i].chain == ch)
			return;
		/* Equal states: one chain.  Fresh (0) wins. */
		from = f->pts[i].chain > ch ? f->pts[i].chain : ch;
		to = f->pts[i].chain > ch ? ch : f->pts[i].chain;
		for (i = 0; i < f->n; i++)
			if (f->pts[i].chain == from)
				f->pts[i].chain = to;
		return;
	}
	if (f->n == SEALER_HC_POINTS) {
		memmove(&f->pts[0], &f->pts[1], (f->n - 1) * sizeof(f->pts[0]));
		f->n--;
	}
	f->pts[f->n].off = off;
	f->pts[f->n].chain = ch;
	memcpy(f->pts[f->n].sh, sh, sizeof(f->pts[f->n].sh));
	f->n++;
}

/* Is there a point of chain ch past off (another destination hashed
 * further in this run)? */
static int
hc_ahead(const struct hc_file *f, unsigned ch, uint64_t off)
{
	size_t i;

	for (i = 0; f != NULL && i < f->n; i++)
		if (f->pts[i].chain == ch && f->pts[i].off > off)
			return 1;
	return 0;
}

/* r's state moves to cover [0, to) (the caller moves r->off): from the
 * cache, else by hashing; with defer, left behind (sh_lag) while the cache
 * is ahead, to be taken from it at the end. */
static int
hash_move(struct engine *en, struct state_rec *r, const struct day_file *df,
    uint64_t to, int defer, struct err *e)
{
	struct hc_file *f;
	const struct hc_point *p;
	struct crypto_sha *h;
	uint64_t base;
	long ch;

	if (r->sh_lag > r->off)
		return err_set(e, "%s: bad shipped-bytes hash in the state", df->path);
	base = r->off - r->sh_lag;
	if (to <= base) {
		r->sh_lag = 0;
		return 0;
	}
	f = hc_file(en, df, 1);
	if ((ch = hc_chain(f, base, r->sh)) == -1 && f != NULL) {
		/* A state from an earlier run: a chain of its own. */
		ch = (long)f->next_chain++;
		hc_add(f, (unsigned)ch, base, r->sh);
	}
	if (ch >= 0 && (p = hc_best(f, (unsigned)ch, base, to)) != NULL) {
		memcpy(r->sh, p->sh, sizeof(r->sh));
		en->hc->reused += p->off - base;
		base = p->off;
	}
	if (base == to) {
		r->sh_lag = 0;
		return 0;
	}
	if (defer && ch >= 0 && hc_ahead(f, (unsigned)ch, to)) {
		r->sh_lag = to - base;
		return 0;
	}
	if ((h = crypto_sha_resume(r->sh)) == NULL)
		return err_set(e, "%s: bad shipped-bytes hash in the state", df->path);
	if (hash_range(h, df, base, to, e) == -1) {
		crypto_sha_free(h);
		return -1;
	}
	if (en->hc != NULL)
		en->hc->hashed += to - base;
	crypto_sha_save(h, r->sh);
	crypto_sha_free(h);
	r->sh_lag = 0;
	if (ch >= 0)
		hc_add(f, (unsigned)ch, to, r->sh);
	return 0;
}

int
sealer_hash_to(struct engine *en, struct state_rec *r,
    const struct day_file *df, uint64_t to, struct err *e)
{
	return hash_move(en, r, df, to, 1, e);
}

int
sealer_hash_sync(struct engine *en, struct state_rec *r,
    const struct day_file *df, struct err *e)
{
	return r->sh_lag == 0 ? 0 : hash_move(en, r, df, r->off, 0, e);
}

int
sealer_hash_known(struct engine *en, const struct day_file *df,
    uint64_t start, const char *sh_start, uint64_t end,
    char out[STATE_SHA_STATE])
{
	struct hc_file *f = hc_file(en, df, 0);
	const struct hc_point *p;
	long ch = hc_chain(f, start, sh_start);

	if (ch < 0 || (p = hc_best(f, (unsigned)ch, end, end)) == NULL)
		return 0;
	memcpy(out, p->sh, STATE_SHA_STATE);
	en->hc->reused += end - start;
	return 1;
}

void
sealer_hash_note(struct engine *en, const struct day_file *df,
    uint64_t start, const char *sh_start, uint64_t end, const char *sh_end,
    int hashed)
{
	struct hc_file *f = hc_file(en, df, 1);
	long ch = hc_chain(f, start, sh_start);

	if (f == NULL)
		return;
	if (ch < 0) {
		ch = (long)f->next_chain++;
		hc_add(f, (unsigned)ch, start, sh_start);
	}
	if (hashed)
		en->hc->hashed += end - start;
	hc_add(f, (unsigned)ch, end, sh_end);
}

int
sealer_shipped_same(struct engine *en, const struct state_rec *r,
    const struct day_file *df, struct err *e)
{
	struct crypto_sha *h;
	uint8_t a[CRYPTO_SHA256_LEN], b[CRYPTO_SHA256_LEN];
	struct crypto_sha *want;
	struct hc_file *f;
	char now[STATE_SHA_STATE];

	if (r->sh[0] == '\0' && r->off > 0 && r->sh_lag == 0)
		return 1;	/* shipped before auditship kept the hash */
	if (r->off == 0)
		return 1;
	if (r->sh_lag > 0)
		return err_set(e, "internal: shipped-bytes hash behind its offset");
	/* The state is one this run computed from offset 0 of the file as
	 * it is now (still: nothing wrote to it since it was listed), or
	 * checked: it is of these bytes. */
	if (en->hc != NULL && hc_chain(hc_file(en, df, 0), r->off, r->sh) == 0 &&
	    df_unchanged(df)) {
		en->hc->reused += r->off;
		return 1;
	}
	if ((want = crypto_sha_resume(r->sh)) == NULL)
		return 0;
	if ((h = crypto_sha_resume("")) == NULL) {
		crypto_sha_free(want);
		return err_sys(e, "malloc");
	}
	if (hash_range(h, df, 0, r->off, e) == -1) {
		crypto_sha_free(h);
		crypto_sha_free(want);
		/* A file now shorter than what was shipped has changed. */
		return strstr(e->msg, "ends before") != NULL ? 0 : -1;
	}
	crypto_sha_peek(h, a);
	crypto_sha_peek(want, b);
	crypto_sha_save(h, now);
	crypto_sha_free(h);
	crypto_sha_free(want);
	if (memcmp(a, b, sizeof(a)) != 0)
		return 0;
	if ((f = hc_file(en, df, 1)) != NULL) {
		en->hc->hashed += r->off;
		hc_add(f, 0, r->off, now);
	}
	return 1;
}

/* --- files under STATE_DIR/seals --------------------------------------- */

/* A day's object ledger: STATE_DIR/seals/ + hex16(SHA-256 of dest,
 * stream and name, NUL-joined) + ".objects". */
static int
ledger_path(const struct engine *en, struct buf *out, const char *dest,
    const char *stream, const char *name)
{
	struct crypto_digest *d = crypto_digest_new(CRYPTO_SHA256);
	uint8_t md[CRYPTO_SHA256_LEN];
	char hex[33];

	if (d == NULL)
		return -1;
	crypto_digest_update(d, dest, strlen(dest) + 1);
	crypto_digest_update(d, stream, strlen(stream) + 1);
	crypto_digest_update(d, name, strlen(name) + 1);
	crypto_digest_final(d, md);
	crypto_digest_free(d);
	crypto_hex(md, 16, hex);
	return buf_printf(out, "%s/seals/%s.objects", en->cfg->state_dir, hex);
}

/*
 * A destination's seal journal (one job at a time), named after the
 * destination (its name is [A-Za-z0-9_.-], safe in a path) rather than a
 * hash: a run with nothing to seal learns that without a digest, whose
 * first use costs OpenSSL's provider start-up (a tenth of a no-op ship).
 */
static int
pending_path(const struct engine *en, size_t di, struct buf *out)
{
	return buf_printf(out, "%s/seals/%s.pending", en->cfg->state_dir,
	    en->dests[di].name);
}

int
sealer_ledger_add(struct engine *en, const char *dest, const char *stream,
    const char *name, unsigned generation, uint64_t start, uint64_t end,
    const char *sha256, const struct dest_stored *stored, struct err *e)
{
	struct buf path, line;
	char ekey[3 * LIM_KEY + 1];
	int fd, rc = -1;

	buf_init(&path, LIM_PATH);
	buf_init(&line, 4 * LIM_KEY);
	if (stored == NULL || stored->key[0] == '\0')
		return 0;
	if (ledger_path(en, &path, dest, stream, name) == -1 ||
	    state_escape(stored->key, ekey, sizeof(ekey)) == -1 ||
	    buf_printf(&line, "%u %" PRIu64 " %" PRIu64 " %s %s %s\n",
	    generation, start, end, sha256, stored->sha256, ekey) == -1) {
		err_set(e, "seal ledger: path or key too long");
		goto out;
	}
	if (fs_mkdir_parent_private(path.p, e) == -1)
		goto out;
	if ((fd = open(path.p, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0600)) == -1) {
		err_sys(e, "open %s", path.p);
		goto out;
	}
	if (fs_write_all(fd, line.p, line.len) == -1 || fdatasync(fd) == -1)
		err_sys(e, "write %s", path.p);
	else
		rc = 0;
	close(fd);
out:
	buf_free(&path);
	buf_free(&line);
	return rc;
}

static int
obj_cmp(const void *a, const void *b)
{
	const struct seal_obj *x = a, *y = b;

	if (x->generation != y->generation)
		return x->generation < y->generation ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return 0;
}

/* The day's objects from its ledger, sorted, a retried range once. */
static int
ledger_load(struct engine *en, const char *dest, const char *stream,
    const char *name, struct seal_stmt *s, struct err *e)
{
	struct buf path;
	FILE *f;
	char line[4 * LIM_KEY], sha[SEAL_HEX], ssha[SEAL_HEX];
	char key[3 * LIM_KEY + 1];
	unsigned gen;
	uint64_t start, end;
	size_t i, o;
	int rc = 0;

	buf_init(&path, LIM_PATH);
	if (ledger_path(en, &path, dest, stream, name) == -1) {
		buf_free(&path);
		return err_set(e, "seal ledger: path too long");
	}
	if ((f = fopen(path.p, "re")) == NULL) {
		buf_free(&path);
		return errno == ENOENT ? 0 : err_sys(e, "open seal ledger");
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strchr(line, '\n') == NULL)
			break;	/* torn last line: its object was never committed */
		if (sscanf(line, "%u %" SCNu64 " %" SCNu64 " %64s %64s %3072s", &gen,
		    &start, &end, sha, ssha, key) != 6 || state_unescape(key) == -1) {
			rc = err_set(e, "%s: malformed seal ledger line", path.p);
			break;
		}
		if (seal_stmt_add_obj(s, key, start, end, sha, ssha, gen) == -1) {
			rc = err_set(e, "%s: too many objects", path.p);
			break;
		}
	}
	fclose(f);
	buf_free(&path);
	if (rc == -1 || s->nobjs == 0)
		return rc;
	/* A range retried after a crash is listed twice: keep one (the
	 * same key and bytes, whichever). */
	qsort(s->objs, s->nobjs, sizeof(s->objs[0]), obj_cmp);
	for (i = 1, o = 0; i < s->nobjs; i++) {
		if (obj_cmp(&s->objs[o], &s->objs[i]) == 0) {
			free(s->objs[o].key);
			s->objs[o] = s->objs[i];
		} else
			s->objs[++o] = s->objs[i];
	}
	s->nobjs = o + 1;
	return 0;
}

/* --- the key ---------------------------------------------------------- */

static struct crypto_sign_key *
sealer_key(struct engine *en)
{
	const char *path = en->cfg->signing_key_file;
	struct err e = { 0, "" };
	struct stat sb;

	if (en->seal_key != NULL || en->seal_key_bad)
		return en->seal_key;
	if (lstat(path, &sb) == -1 && errno == ENOENT) {
		if (fs_mkdir_parent_private(path, &e) == 0 &&
		    (en->seal_key = crypto_ed25519_keygen(path, 0, &e)) != NULL) {
			log_warn("created the signing key for seals, key id %s; give "
			    "its public key %s.pub to your auditor",
			    crypto_ed25519_key_id(en->seal_key), path);
			return en->seal_key;
		}
	} else if ((en->seal_key = crypto_ed25519_load(path, &e)) != NULL)
		return en->seal_key;
	log_error("seals: %s: nothing is sealed until the key is fixed", e.msg);
	en->seal_key_bad = 1;
	return NULL;
}

/* --- making a seal ------------------------------------------------------ */

struct seal_job {
	const char	*stream, *user, *name;	/* name NULL: empty day */
	char		 date[11];
	unsigned	 seq;
	uint64_t	 off, gen;
	char		 hash[65];		/* of the whole seal object */
	struct buf	 obj;			/* the seal object */
};

static void
rfc3339(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Build and sign the seal of job j (r NULL for an empty day). */
static int
seal_build(struct engine *en, size_t di, struct seal_job *j,
    const struct state_rec *r, const struct state_rec *chain, time_t now,
    struct crypto_sign_key *k, struct err *e)
{
	const struct dest *d = &en->dests[di];
	struct seal_stmt s;
	uint8_t sig[SEAL_SIG_LEN], md[CRYPTO_SHA256_LEN];
	const char *mode = d->lock_mode;
	char until[32];
	int rc = -1;

	memset(&s, 0, sizeof(s));
	s.version = SEAL_VERSION;
	s.host = en->cfg->hostname;
	s.user = (char *)j->user;
	s.date = j->date;
	s.seq = j->seq;
	s.empty = r == NULL;
	s.file = r != NULL ? r->name : NULL;
	if (r != NULL) {
		s.bytes = r->off;
		s.lines = r->lines;
		s.generation = (unsigned)r->resets;
		s.invalid = r->invalid;
		s.oversize = r->oversize;
		if (r->sh_lag > 0 || crypto_sha_state_hex(r->sh, s.sha256) == -1) {
			err_set(e, "bad shipped-bytes hash in the state");
			return -1;
		}
		if (ledger_load(en, d->name, j->stream, r->name, &s, e) == -1)
			goto out;
	} else
		crypto_sha_state_hex("", s.sha256);
	if (mode != NULL && mode[0] != '\0') {
		s.lock_mode = (char *)mode;
		rfc3339(now + (time_t)d->lock_days * 86400, until);
		s.lock_until = until;
	}
	snprintf(s.prev, sizeof(s.prev), "%s", chain->seal_head);
	snprintf(s.key_id, sizeof(s.key_id), "%s", crypto_ed25519_key_id(k));
	rfc3339(now, s.sealed_at);
	buf_reset(&j->obj);
	if (seal_stmt_write(&j->obj, &s) == -1) {
		err_set(e, "seal of %s too large", j->date);
		goto out;
	}
	if (crypto_ed25519_sign(k, j->obj.p, j->obj.len, sig) == -1) {
		err_set(e, "cannot sign the seal");
		goto out;
	}
	if (buf_addc(&j->obj, '\n') == -1 ||
	    seal_sig_write(&j->obj, s.key_id, sig) == -1 ||
	    buf_addc(&j->obj, '\n') == -1) {
		err_set(e, "seal of %s too large", j->date);
		goto out;
	}
	crypto_sha256(j->obj.p, j->obj.len, md);
	crypto_hex(md, sizeof(md), j->hash);
	rc = 0;
out:
	/* Borrowed strings are not the statement's to free. */
	s.host = s.user = s.date = s.file = s.lock_mode = s.lock_until = NULL;
	seal_stmt_free(&s);
	return rc;
}

/* Journal the job before its upload: header line, then the bytes. */
static int
pending_write(struct engine *en, size_t di, const struct seal_job *j,
    struct err *e)
{
	struct buf path, b;
	char es[3 * LIM_PATH + 1], eu[768], en_[768];
	int rc = -1;

	buf_init(&path, LIM_PATH);
	buf_init(&b, SEAL_MAX_BYTES + 2 * LIM_PATH);
	if (state_escape(j->stream, es, sizeof(es)) == -1 ||
	    state_escape(j->user, eu, sizeof(eu)) == -1 ||
	    state_escape(j->name != NULL ? j->name : "-", en_, sizeof(en_)) == -1 ||
	    pending_path(en, di, &path) == -1 ||
	    buf_printf(&b, PENDING_MAGIC "\t%s\t%s\t%s\t%s\t%u\t%" PRIu64 "\t%"
	    PRIu64 "\t%s\n", es, eu, en_, j->date, j->seq, j->off, j->gen,
	    j->hash) == -1 || buf_add(&b, j->obj.p, j->obj.len) == -1) {
		err_set(e, "seal journal too large");
		goto out;
	}
	if (fs_mkdir_parent_private(path.p, e) == 0 &&
	    fs_atomic_write(path.p, b.p, b.len, 0600, e) == 0)
		rc = 0;
out:
	buf_free(&path);
	buf_free(&b);
	return rc;
}

/* After the acknowledgement: the day's record and the chain move. */
static int
seal_apply(struct engine *en, size_t di, const struct seal_job *j,
    struct err *e)
{
	const char *dn = en->dests[di].name;
	struct state_rec *r, *c;

	if (j->name != NULL) {
		if ((r = state_get(&en->st, dn, j->stream, j->name, 1)) == NULL)
			return err_sys(e, "malloc");
		if (r->seal_seq < j->seq) {
			r->seal_seq = j->seq;
			r->seal_off = j->off;
			r->seal_gen = j->gen;
		}
		if (state_commit(&en->st, r, NULL, e) == -1)
			return -1;
	}
	if ((c = state_get(&en->st, dn, j->stream, STATE_CHAIN, 1)) == NULL)
		return err_sys(e, "malloc");
	memcpy(c->seal_head, j->hash, sizeof(c->seal_head));
	if (c->seal_first[0] == '\0' || strcmp(j->date, c->seal_first) < 0)
		memcpy(c->seal_first, j->date, sizeof(c->seal_first));
	if (strcmp(j->date, c->seal_last) > 0)
		memcpy(c->seal_last, j->date, sizeof(c->seal_last));
	if (state_commit(&en->st, c, NULL, e) == -1)
		return -1;
	en->dirty = 1;
	return 0;
}

static void
pending_remove(struct engine *en, size_t di)
{
	struct buf path;

	buf_init(&path, LIM_PATH);
	if (pending_path(en, di, &path) == 0)
		unlink(path.p);
	buf_free(&path);
}

/* Upload the job's bytes (retrying as the engine does), then apply. */
static int
seal_upload(struct engine *en, size_t di, struct seal_job *j)
{
	struct dest *d = &en->dests[di];
	struct dest_file f;
	struct dest_stored st;
	struct err e = { 0, "" };
	enum dest_rc rc;
	unsigned tries;

	memset(&f, 0, sizeof(f));
	f.host = en->cfg->hostname;
	f.user = j->user;
	f.stream_dir = j->stream;
	f.name = j->name != NULL ? j->name : "";
	f.date = j->date;
	f.closed = 1;
	for (tries = 0; tries < 4; tries++) {
		err_clear(&e);
		rc = dest_put_seal(d, &f, j->seq, j->obj.p, j->obj.len, &st, &e);
		if (rc == DEST_OK)
			break;
		if (rc == DEST_STOP)
			break;
	}
	if (rc != DEST_OK) {
		log_dest(LOG_LVL_ERROR, d->name, "seal of %s/%s: %s", j->stream,
		    j->date, e.msg[0] ? e.msg : "upload failed");
		en->failed[di] = 1;
		return -1;
	}
	if (seal_apply(en, di, j, &e) == -1) {
		log_dest(LOG_LVL_ERROR, d->name, "seal of %s/%s: %s", j->stream,
		    j->date, e.msg);
		en->failed[di] = 1;
		return -1;
	}
	pending_remove(en, di);
	log_dest(LOG_LVL_DEBUG, d->name, "sealed %s %s (seq %u, %s)", j->stream,
	    j->date, j->seq, j->name != NULL ? "sealed" : "empty");
	return 0;
}

int
sealer_recover(struct engine *en, size_t di)
{
	struct buf path;
	struct seal_job j;
	char *data = NULL, *nl, *f[9];
	size_t n = 0, i;
	FILE *fp;
	int rc = 0;
	char tmp[4096];
	size_t got;

	if (!sealer_enabled(en, di))
		return 0;
	buf_init(&path, LIM_PATH);
	memset(&j, 0, sizeof(j));
	buf_init(&j.obj, SEAL_MAX_BYTES + 2 * LIM_PATH);
	if (pending_path(en, di, &path) == -1 ||
	    (fp = fopen(path.p, "re")) == NULL)
		goto out;
	while ((got = fread(tmp, 1, sizeof(tmp), fp)) > 0)
		if (buf_add(&j.obj, tmp, got) == -1)
			break;
	fclose(fp);
	data = j.obj.p;
	n = j.obj.len;
	if (data == NULL || (nl = memchr(data, '\n', n)) == NULL)
		goto bad;
	*nl = '\0';
	for (i = 0, f[0] = data; i < 8; i++) {
		char *t = strchr(f[i], '\t');

		if (t == NULL)
			goto bad;
		*t = '\0';
		f[i + 1] = t + 1;
	}
	if (strcmp(f[0], PENDING_MAGIC) != 0 || state_unescape(f[1]) == -1 ||
	    state_unescape(f[2]) == -1 || state_unescape(f[3]) == -1 ||
	    strlen(f[4]) != 10 || strlen(f[8]) != 64)
		goto bad;
	j.stream = f[1];
	j.user = f[2];
	j.name = strcmp(f[3], "-") == 0 ? NULL : f[3];
	memcpy(j.date, f[4], 11);
	j.seq = (unsigned)strtoul(f[5], NULL, 10);
	j.off = strtoull(f[6], NULL, 10);
	j.gen = strtoull(f[7], NULL, 10);
	memcpy(j.hash, f[8], 65);
	{
		/* The seal's bytes follow the header: upload exactly them. */
		struct buf obj;
		size_t hl = (size_t)(nl + 1 - data);

		buf_init(&obj, SEAL_MAX_BYTES);
		if (buf_add(&obj, nl + 1, n - hl) == -1) {
			buf_free(&obj);
			goto bad;
		}
		/* j's strings point into j.obj: keep it, upload a copy. */
		{
			struct buf keep = j.obj;

			j.obj = obj;
			log_dest(LOG_LVL_INFO, en->dests[di].name, "uploading the seal "
			    "of %s %s that a previous run journaled", j.stream, j.date);
			rc = seal_upload(en, di, &j);
			buf_free(&j.obj);
			j.obj = keep;
		}
	}
	goto out;
bad:
	log_dest(LOG_LVL_ERROR, en->dests[di].name, "%s: unreadable seal journal; "
	    "remove it to go on", path.p);
	en->failed[di] = 1;
	rc = -1;
out:
	buf_free(&j.obj);
	buf_free(&path);
	return rc;
}

/* Make, journal and upload one seal. */
static int
seal_one(struct engine *en, size_t di, const struct stream *s,
    const struct state_rec *r, const char *date, unsigned seq, time_t now)
{
	struct crypto_sign_key *k = sealer_key(en);
	struct state_rec *chain;
	struct seal_job j;
	struct err e = { 0, "" };
	int rc = -1;

	if (k == NULL) {
		en->failed[di] = 1;
		return -1;
	}
	if ((chain = state_get(&en->st, en->dests[di].name, s->dir, STATE_CHAIN, 1)) == NULL)
		return -1;
	memset(&j, 0, sizeof(j));
	j.stream = s->dir;
	j.user = s->user;
	j.name = r != NULL ? r->name : NULL;
	memcpy(j.date, date, 11);
	j.seq = seq;
	j.off = r != NULL ? r->off : 0;
	j.gen = r != NULL ? r->resets : 0;
	buf_init(&j.obj, SEAL_MAX_BYTES);
	if (seal_build(en, di, &j, r, chain, now, k, &e) == -1 ||
	    pending_write(en, di, &j, &e) == -1) {
		log_dest(LOG_LVL_ERROR, en->dests[di].name, "seal of %s %s: %s",
		    s->dir, date, e.msg);
		en->failed[di] = 1;
	} else
		rc = seal_upload(en, di, &j);
	buf_free(&j.obj);
	return rc;
}

/* --- what is due -------------------------------------------------------- */

static int
date_num(const char *d, int at, int len)
{
	int v = 0, i;

	for (i = 0; i < len; i++)
		v = v * 10 + (d[at + i] - '0');
	return v;
}

/* Noon of date, UTC: safe for day arithmetic whatever the zone. */
static time_t
date_noon(const char *d)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = date_num(d, 0, 4) - 1900;
	tm.tm_mon = date_num(d, 5, 2) - 1;
	tm.tm_mday = date_num(d, 8, 2);
	tm.tm_hour = 12;
	return timegm(&tm);
}

static void
day_next(const char *d, char out[11])
{
	struct tm tm;
	time_t t = date_noon(d) + 86400;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* A day without a file is closed once it is over and settle has passed
 * since midnight (by day_boundary). */
static int
missing_day_closed(const struct config *cfg, const char *date,
    const char *today, time_t now)
{
	char next[11];
	struct tm tm;
	time_t midnight;

	if (strcmp(date, today) >= 0)
		return 0;
	day_next(date, next);
	if (strcmp(next, today) != 0)
		return 1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = date_num(today, 0, 4) - 1900;
	tm.tm_mon = date_num(today, 5, 2) - 1;
	tm.tm_mday = date_num(today, 8, 2);
	tm.tm_isdst = -1;
	midnight = cfg->day_local ? mktime(&tm) : timegm(&tm);
	return now >= midnight && (uint64_t)(now - midnight) * 1000 >= cfg->settle_ms;
}

/* Bytes present of df (the uncompressed size a ship recorded for .gz). */
static uint64_t
present(const struct day_file *df, const struct state_rec *r)
{
	return df->gz ? r->size : (uint64_t)df->st.st_size;
}

/*
 * 1 when the day of df can be sealed at its destination now: closed,
 * every byte acknowledged, nothing pending, and the local bytes still the
 * ones shipped (else it is reset here and shipped again next run: 0).
 */
static int
day_ready(struct engine *en, size_t di, const struct day_file *df,
    struct state_rec *r, const char *today, time_t now)
{
	struct err e = { 0, "" };
	int same = -1;

	if (!source_day_closed(df->date, today, df->gz, df->st.st_mtime, now,
	    en->cfg->settle_ms))
		return 0;
	if (r->pending || r->off != present(df, r) || r->size != present(df, r))
		return 0;
	if (sealer_hash_sync(en, r, df, &e) == 0 &&
	    (same = sealer_shipped_same(en, r, df, &e)) == 1)
		return 1;
	if (same == -1) {
		log_dest(LOG_LVL_ERROR, en->dests[di].name, "%s: %s", df->path, e.msg);
		return 0;
	}
	engine_reset_file(en, r, en->dests[di].name, df->path,
	    "changed after it was shipped (its bytes no longer hash as shipped)");
	return 0;
}

/* A day shipped before auditship kept the shipped-bytes hash cannot be
 * sealed truthfully: the chain starts after it. */
static int
day_legacy(const struct state_rec *r)
{
	return r != NULL && r->off > 0 && r->sh[0] == '\0' && r->sh_lag == 0;
}

int
sealer_stream(struct engine *en, size_t di, const struct stream *s,
    const struct day_file *days, size_t nd, const char *today, time_t now)
{
	const char *dn = en->dests[di].name;
	struct state_rec *c, *r;
	char d[11], last[11];
	size_t k = 0, i;

	if (!sealer_enabled(en, di) || nd == 0 || en->failed[di])
		return 0;
	if ((c = state_get(&en->st, dn, s->dir, STATE_CHAIN, 1)) == NULL)
		return -1;
	memcpy(last, c->seal_last, sizeof(last));
	/* Where the chain goes on: after its last day, else at the first
	 * day this destination shipped with the hash kept. */
	if (last[0] != '\0')
		day_next(last, d);
	else {
		for (k = 0; k < nd; k++)
			if (!day_legacy(state_get(&en->st, dn, s->dir, days[k].name, 0)))
				break;
		if (k == nd)
			return 0;
		memcpy(d, days[k].date, sizeof(d));
	}
	/* Days in order, empty ones included, until one is not ready. */
	for (;;) {
		while (k < nd && strcmp(days[k].date, d) < 0)
			k++;
		if (k < nd && strcmp(days[k].date, d) == 0) {
			r = state_get(&en->st, dn, s->dir, days[k].name, 1);
			if (r == NULL || !day_ready(en, di, &days[k], r, today, now))
				break;
			if (seal_one(en, di, s, r, d, (unsigned)r->seal_seq + 1, now) == -1)
				return -1;
		} else {
			if (!missing_day_closed(en->cfg, d, today, now))
				break;
			if (seal_one(en, di, s, NULL, d, 1, now) == -1)
				return -1;
		}
		day_next(d, d);
	}
	/* Days sealed before that changed since: a further seal each. */
	if ((c = state_get(&en->st, dn, s->dir, STATE_CHAIN, 0)) == NULL)
		return 0;
	memcpy(last, c->seal_last, sizeof(last));
	for (i = 0; i < nd; i++) {
		unsigned seq;

		if (strcmp(days[i].date, last) > 0)
			break;
		r = state_get(&en->st, dn, s->dir, days[i].name, 1);
		if (r == NULL || day_legacy(r))
			continue;
		if (r->seal_seq > 0) {
			if (r->off == r->seal_off && r->resets == r->seal_gen)
				continue;
			seq = (unsigned)r->seal_seq + 1;
		} else if (c->seal_first[0] != '\0' &&
		    strcmp(days[i].date, c->seal_first) >= 0)
			seq = 2;	/* its file came after its empty seal */
		else
			seq = 1;	/* before the chain's first day */
		if (!day_ready(en, di, &days[i], r, today, now))
			continue;
		if (seal_one(en, di, s, r, days[i].date, seq, now) == -1)
			return -1;
		r = state_get(&en->st, dn, s->dir, days[i].name, 0);
		c = state_get(&en->st, dn, s->dir, STATE_CHAIN, 0);
		if (r == NULL || c == NULL)
			return -1;
	}
	return 0;
}

int
sealer_day_sealed(struct state *st, const struct conf_section *cs,
    const char *stream, const char *name)
{
	struct state_rec *r;

	if (!dest_conf_seals(cs))
		return 1;
	if ((r = state_get(st, cs->dest_name, stream, name, 0)) == NULL)
		return 0;
	return r->seal_seq > 0 && !r->pending && r->seal_off == r->off &&
	    r->seal_gen == r->resets;
}

void
sealer_counts(const struct config *cfg, struct state *st,
    const struct conf_section *cs, time_t now, uint64_t *sealed,
    uint64_t *unsealed)
{
	char today[11], date[11];
	size_t i;
	int gz;

	*sealed = *unsealed = 0;
	if (!dest_conf_seals(cs))
		return;
	source_today(now, cfg->day_local, today);
	for (i = 0; i < st->nrecs; i++) {
		struct state_rec *r = &st->recs[i];

		if (strcmp(r->dest, cs->dest_name) != 0)
			continue;
		if (strcmp(r->name, STATE_CHAIN) == 0) {
			/* Every day of [first, last] has a seal. */
			if (r->seal_first[0] != '\0' && r->seal_last[0] != '\0')
				*sealed += (uint64_t)((date_noon(r->seal_last) -
				    date_noon(r->seal_first)) / 86400 + 1);
			continue;
		}
		if (!source_match(cfg->pattern, r->name, date, &gz) ||
		    strcmp(date, today) >= 0 || r->off == 0)
			continue;
		if (r->seal_seq > 0 && (r->seal_off != r->off ||
		    r->seal_gen != r->resets)) {
			(*sealed)--;	/* counted in its chain, outdated */
			(*unsealed)++;
		} else if (r->seal_seq == 0 && !r->pending && r->off >= r->size)
			(*unsealed)++;
	}
}
