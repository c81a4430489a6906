/*
 * verify.c - every check of SPEC §7 over one stream of an archive (see
 * verify.h).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "caps.h"
#include "gz.h"
#include "reader.h"
#include "seal.h"
#include "source.h"
#include "verify.h"

/* --- keys --------------------------------------------------------------- */

static int
key_add(const char *path, struct verify_key **keys, size_t *n, struct err *e)
{
	struct verify_key *nk;

	if ((nk = realloc(*keys, (*n + 1) * sizeof(*nk))) == NULL)
		return err_sys(e, "malloc");
	*keys = nk;
	memset(&nk[*n], 0, sizeof(nk[0]));
	if (crypto_ed25519_load_pub(path, nk[*n].pub, e) == -1)
		return -1;
	crypto_key_id(nk[*n].pub, nk[*n].id);
	if ((nk[*n].path = strdup(path)) == NULL)
		return err_sys(e, "malloc");
	(*n)++;
	return 0;
}

int
verify_load_keys(const char *path, struct verify_key **keys, size_t *n,
    struct err *e)
{
	DIR *d;
	struct dirent *de;
	char p[LIM_PATH];
	size_t l, before = *n;

	if ((d = opendir(path)) == NULL) {
		if (errno != ENOTDIR)
			return err_sys(e, "--key %s", path);
		return key_add(path, keys, n, e);
	}
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 4, ".pub") != 0)
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", path, de->d_name) >= (int)sizeof(p) ||
		    key_add(p, keys, n, e) == -1) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	if (*n == before)
		return err_set(e, "--key %s: no .pub file in this directory", path);
	return 0;
}

void
verify_keys_free(struct verify_key *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(keys[i].path);
	free(keys);
}

/* --- results ------------------------------------------------------------- */

static struct verify_day *
day_get(struct verify_stream *s, const char *date)
{
	struct verify_day *nd;
	size_t i;

	for (i = s->ndays; i > 0; i--)
		if (strcmp(s->days[i - 1].date, date) == 0)
			return &s->days[i - 1];
	if ((nd = realloc(s->days, (s->ndays + 1) * sizeof(*nd))) == NULL)
		return NULL;
	s->days = nd;
	memset(&nd[s->ndays], 0, sizeof(nd[0]));
	memcpy(nd[s->ndays].date, date, 11);
	return &nd[s->ndays++];
}

static void
problem(struct verify_day *d, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
problem(struct verify_day *d, const char *key, const char *fmt, ...)
{
	struct verify_problem *np;
	char msg[LIM_ERR_MSG + 256];
	va_list ap;

	if (d == NULL || d->np >= 1000)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((np = realloc(d->p, (d->np + 1) * sizeof(*np))) == NULL)
		return;
	d->p = np;
	np[d->np].key = strdup(key != NULL ? key : "");
	np[d->np].what = strdup(msg);
	if (np[d->np].key == NULL || np[d->np].what == NULL) {
		free(np[d->np].key);
		free(np[d->np].what);
		return;
	}
	d->np++;
}

void
verify_stream_free(struct verify_stream *s)
{
	size_t i, j;

	for (i = 0; i < s->ndays; i++) {
		for (j = 0; j < s->days[i].np; j++) {
			free(s->days[i].p[j].key);
			free(s->days[i].p[j].what);
		}
		free(s->days[i].p);
	}
	free(s->days);
	free(s->host);
	free(s->user);
	memset(s, 0, sizeof(*s));
}

/* --- one day -------------------------------------------------------------- */

struct vkey {
	char		*key;
	uint64_t	 size;
	int		 listed;	/* named by a seal */
};

/* The chain: every seal's hash and prev, for the end of the stream. */
struct vlink {
	char		 hash[65];
	char		 prev[65];
	char		 date[11];
	char		*key;
};

struct vctx {
	struct archive	*a;
	const struct verify_opts *o;
	struct verify_stream *out;
	char		 prefix[LIM_KEY];
	/* the day being collected */
	char		 date[11];
	struct vkey	*keys;
	size_t		 nkeys, capkeys;
	/* the chain */
	struct vlink	*links;
	size_t		 nlinks, caplinks;
	const char	*local_dir;	/* this host's stream dir (--local) */
	int		 failed;
	struct err	*e;
};

static int
sink_buf(void *ctx, const void *p, size_t n, struct err *e)
{
	if (buf_add(ctx, p, n) == -1)
		return err_set(e, "seal larger than %u bytes", SEAL_MAX_BYTES);
	return 0;
}

struct hash_obj {
	struct crypto_digest *stored, *plain, *day;
	struct gz_push	*z;		/* NULL: stored bytes only (--fast, dir) */
	uint64_t	 plain_len;
};

static int
sink_plain(void *ctx, const void *p, size_t n, struct err *e)
{
	struct hash_obj *h = ctx;

	(void)e;
	crypto_digest_update(h->plain, p, n);
	if (h->day != NULL)
		crypto_digest_update(h->day, p, n);
	h->plain_len += n;
	return 0;
}

static int
sink_stored(void *ctx, const void *p, size_t n, struct err *e)
{
	struct hash_obj *h = ctx;

	crypto_digest_update(h->stored, p, n);
	return h->z != NULL ? gz_push_write(h->z, p, n, e) : 0;
}

/* --fast on s3: the server's full-object x-amz-checksum-sha256 against
 * the seal's stored_sha256, without a download.  1 settled, 0 the server
 * keeps none (download instead). */
static int
check_stored_checksum(struct vctx *v, struct verify_day *d,
    const struct seal_obj *ob)
{
	struct err e = { 0, "" };
	char hex[65];
	int rc;

	rc = archive_stored_checksum(v->a, ob->key, hex, &e);
	if (rc == 0)
		return 0;
	if (rc == -1)
		problem(d, ob->key, "cannot HEAD the object for its stored "
		    "checksum: %s", e.msg);
	else if (strcmp(hex, ob->stored_sha256) != 0)
		problem(d, ob->key, "stored bytes changed: the server's "
		    "x-amz-checksum-sha256 (sha256 %.16s...) is not the sealed "
		    "stored_sha256 %.16s...", hex, ob->stored_sha256);
	d->objects++;
	d->by_checksum++;
	d->bytes += ob->end - ob->start;
	return 1;
}

/* Read one object: hash its stored and uncompressed bytes, feed the
 * uncompressed ones to day (the day's concatenation) when not NULL.
 * 1 when the object was read in full (day fed), 0 when --fast settled it
 * from its stored bytes' hash alone (day not fed). */
static int
check_object(struct vctx *v, struct verify_day *d, const struct seal_obj *ob,
    struct crypto_digest *day)
{
	struct hash_obj h;
	struct err e = { 0, "" };
	uint8_t md[CRYPTO_SHA256_LEN];
	char hs[65], hp[65];
	int rc, whole = 1;

	if (v->o->fast && check_stored_checksum(v, d, ob))
		return 0;
	/* --fast on a dir: the stored file's hash only, no gunzip. */
	if (v->o->fast && archive_is_dir(v->a))
		whole = 0;
	memset(&h, 0, sizeof(h));
	h.day = day;
	if ((h.stored = crypto_digest_new(CRYPTO_SHA256)) == NULL ||
	    (h.plain = crypto_digest_new(CRYPTO_SHA256)) == NULL ||
	    (whole && (h.z = gz_push_new(sink_plain, &h, &e)) == NULL)) {
		problem(d, ob->key, "cannot check: out of memory");
		goto out;
	}
	rc = archive_get(v->a, ob->key, sink_stored, &h, &e);
	if (rc == 0) {
		problem(d, ob->key, "object listed by the seal is missing");
		goto out;
	}
	if (rc == -1) {
		problem(d, ob->key, "cannot read the object: %s", e.msg);
		goto out;
	}
	crypto_digest_final(h.stored, md);
	crypto_hex(md, sizeof(md), hs);
	if (strcmp(hs, ob->stored_sha256) != 0) {
		problem(d, ob->key, "stored bytes changed: sha256 %.16s... is not "
		    "the sealed stored_sha256 %.16s...", hs, ob->stored_sha256);
		goto out;
	}
	if (!whole) {
		d->objects++;
		d->stored_only++;
		d->bytes += ob->end - ob->start;
		goto out;
	}
	if (gz_push_finish(h.z, &e) == -1) {
		problem(d, ob->key, "object does not decompress: %s", e.msg);
		goto out;
	}
	crypto_digest_final(h.plain, md);
	crypto_hex(md, sizeof(md), hp);
	if (strcmp(hp, ob->sha256) != 0)
		problem(d, ob->key, "uncompressed bytes do not hash to the sealed sha256");
	else if (h.plain_len != ob->end - ob->start)
		problem(d, ob->key, "holds %" PRIu64 " bytes, the seal says %" PRIu64,
		    h.plain_len, ob->end - ob->start);
	d->objects++;
	d->bytes += h.plain_len;
out:
	gz_push_free(h.z);
	crypto_digest_free(h.stored);
	crypto_digest_free(h.plain);
	return whole;
}

/* 1 when key's base name is "DATE.seal.json" or "DATE.seal.N.json"
 * (N >= 2 into *seq). */
static int
is_seal_name(const char *key, const char *date, unsigned *seq)
{
	const char *b = strrchr(key, '/');
	char tail[32];
	unsigned n;
	char c;

	b = b != NULL ? b + 1 : key;
	if (strncmp(b, date, 10) != 0)
		return 0;
	b += 10;
	if (strcmp(b, ".seal.json") == 0) {
		*seq = 1;
		return 1;
	}
	if (sscanf(b, ".seal.%u.jso%c", &n, &c) == 2 && n >= 2 &&
	    snprintf(tail, sizeof(tail), ".seal.%u.json", n) > 0 &&
	    strcmp(b, tail) == 0) {
		*seq = n;
		return 1;
	}
	return 0;
}

static const struct verify_key *
find_key(const struct verify_opts *o, const char *id)
{
	size_t i;

	for (i = 0; i < o->nkeys; i++)
		if (strcmp(o->keys[i].id, id) == 0)
			return &o->keys[i];
	return NULL;
}

static void
link_add(struct vctx *v, const char *hash, const char *prev, const char *date,
    const char *key)
{
	struct vlink *nl;

	if (v->nlinks == v->caplinks) {
		size_t cap = v->caplinks ? v->caplinks * 2 : 64;

		if ((nl = realloc(v->links, cap * sizeof(*nl))) == NULL)
			return;
		v->links = nl;
		v->caplinks = cap;
	}
	nl = &v->links[v->nlinks];
	memcpy(nl->hash, hash, 65);
	snprintf(nl->prev, sizeof(nl->prev), "%s", prev);
	memcpy(nl->date, date, 11);
	if ((nl->key = strdup(key)) != NULL)
		v->nlinks++;
}

/* --local: this host's daily file still hashes to the seal over [0, bytes). */
static void
check_local(struct vctx *v, struct verify_day *d, const struct seal_stmt *s,
    const char *key)
{
	struct day_file df;
	struct reader r;
	struct crypto_digest *h;
	char path[LIM_PATH], *buf, hex[65];
	uint8_t md[CRYPTO_SHA256_LEN];
	uint64_t got = 0;
	ssize_t n;
	struct err e = { 0, "" };

	if (v->local_dir == NULL || s->file == NULL || strchr(s->file, '/') != NULL)
		return;
	memset(&df, 0, sizeof(df));
	snprintf(path, sizeof(path), "%s/%s", v->local_dir, s->file);
	df.path = path;
	if (access(path, F_OK) != 0) {
		snprintf(path, sizeof(path), "%s/%s.gz", v->local_dir, s->file);
		df.gz = 1;
		if (access(path, F_OK) != 0)
			return;		/* pruned: nothing local to compare */
	}
	if ((buf = malloc(1u << 16)) == NULL || (h = crypto_digest_new(CRYPTO_SHA256)) == NULL) {
		free(buf);
		return;
	}
	memset(&r, 0, sizeof(r));
	if (reader_open(&r, df.path, df.gz, 0, s->bytes, 0, &e) == 0)
		while ((n = reader_read_raw(&r, buf, 1u << 16, &e)) > 0) {
			crypto_digest_update(h, buf, (size_t)n);
			got += (uint64_t)n;
		}
	reader_close(&r);
	crypto_digest_final(h, md);
	crypto_digest_free(h);
	free(buf);
	crypto_hex(md, sizeof(md), hex);
	if (got < s->bytes)
		problem(d, key, "local file %s is shorter (%" PRIu64 " bytes) than "
		    "what was sealed (%" PRIu64 ")", path, got, s->bytes);
	else if (strcmp(hex, s->sha256) != 0)
		problem(d, key, "local file %s changed after it was sealed: its "
		    "first %" PRIu64 " bytes no longer hash to the seal's sha256",
		    path, s->bytes);
}

static int
seq_cmp(const void *x, const void *y)
{
	const unsigned *a = x, *b = y;

	return (*a > *b) - (*a < *b);
}

/* Check the collected day (v->date, v->keys). */
/* Object Lock of every object and seal of the day (s3 with
 * object_lock_mode; nothing for other archives). */
static void
lock_check(struct vctx *v, struct verify_day *d)
{
	char msg[256];
	struct err e;
	size_t j;
	int rc;

	for (j = 0; j < v->nkeys; j++) {
		err_clear(&e);
		rc = archive_lock_check(v->a, v->keys[j].key, v->date, msg,
		    sizeof(msg), &e);
		if (rc == 1)
			problem(d, v->keys[j].key, "Object Lock: %s", msg);
		else if (rc == -1)
			problem(d, v->keys[j].key, "Object Lock: %s", e.msg);
	}
}

static void
day_check(struct vctx *v)
{
	const struct verify_opts *o = v->o;
	struct verify_day *d;
	struct seal_stmt best, s;
	unsigned seqs[64][2], nseals = 0, seq, i, k;
	struct buf obj;
	struct err e;
	struct slice st;
	char kid[SEAL_KEY_ID], hash[65];
	uint8_t sig[SEAL_SIG_LEN], md[CRYPTO_SHA256_LEN];
	int have_best = 0;
	size_t j;

	if (v->date[0] == '\0')
		return;
	if ((o->from != NULL && strcmp(v->date, o->from) < 0) ||
	    strcmp(v->date, o->to) > 0)
		return;
	if ((d = day_get(v->out, v->date)) == NULL)
		return;
	memset(&best, 0, sizeof(best));
	for (j = 0; j < v->nkeys && nseals < 64; j++)
		if (is_seal_name(v->keys[j].key, v->date, &seq)) {
			seqs[nseals][0] = seq;
			seqs[nseals][1] = (unsigned)j;
			nseals++;
		}
	qsort(seqs, nseals, sizeof(seqs[0]), seq_cmp);
	d->seals = nseals;
	buf_init(&obj, SEAL_MAX_BYTES);
	for (i = 0; i < nseals; i++) {
		struct vkey *sk = &v->keys[seqs[i][1]];
		const struct verify_key *tk;
		int rc;

		sk->listed = 1;
		if (i + 1 != seqs[i][0])
			problem(d, sk->key, "seal %u of the day is missing before "
			    "this one", i + 1);
		buf_reset(&obj);
		err_clear(&e);
		if ((rc = archive_get(v->a, sk->key, sink_buf, &obj, &e)) != 1) {
			problem(d, sk->key, "cannot read the seal: %s", rc == 0 ?
			    "gone" : e.msg);
			continue;
		}
		crypto_sha256(obj.p, obj.len, md);
		crypto_hex(md, sizeof(md), hash);
		if (seal_parse(obj.p, obj.len, &s, &st, kid, sig, &e) == -1) {
			problem(d, sk->key, "bad seal: %s", e.msg);
			seal_stmt_free(&s);
			continue;
		}
		link_add(v, hash, s.prev, v->date, sk->key);
		if (strcmp(s.host, v->out->host) != 0 || strcmp(s.user, v->out->user) != 0 ||
		    strcmp(s.date, v->date) != 0 || s.seq != seqs[i][0]) {
			problem(d, sk->key, "seal statement is for %s/%s %s seq %u, not "
			    "the day, stream and number of its key (moved or swapped?)",
			    s.host, s.user, s.date, s.seq);
			seal_stmt_free(&s);
			continue;
		}
		/* The objects a seal names are not orphans, trusted or not:
		 * an untrusted seal is its own problem. */
		for (k = 0; k < s.nobjs; k++)
			for (j = 0; j < v->nkeys; j++)
				if (strcmp(v->keys[j].key, s.objs[k].key) == 0)
					v->keys[j].listed = 1;
		if ((tk = find_key(o, kid)) == NULL) {
			problem(d, sk->key, "signed by key %s, which is not trusted "
			    "(--key)", kid);
			seal_stmt_free(&s);
			continue;
		}
		if (!crypto_ed25519_verify(tk->pub, st.p, st.len, sig)) {
			problem(d, sk->key, "signature does not verify with key %s "
			    "(%s): the seal was altered", kid, tk->path);
			seal_stmt_free(&s);
			continue;
		}
		d->sealed = 1;
		if (have_best)
			seal_stmt_free(&best);
		best = s;
		have_best = 1;
	}
	buf_free(&obj);
	if (nseals == 0)
		problem(d, "", "day has no seal");
	if (have_best) {
		struct crypto_digest *day = crypto_digest_new(CRYPTO_SHA256);
		char sk[LIM_KEY];
		int whole = 1;

		snprintf(sk, sizeof(sk), "%s", v->keys[seqs[nseals - 1][1]].key);
		err_clear(&e);
		if (seal_tiling_check(best.objs, best.nobjs, best.generation,
		    best.bytes, &e) == -1)
			problem(d, sk, "objects do not tile the day: %s", e.msg);
		/* Current generation in order (the day's hash), then the
		 * earlier generations kept as evidence. */
		for (k = 0; k < best.nobjs; k++)
			if (best.objs[k].generation == best.generation)
				whole &= check_object(v, d, &best.objs[k], day);
		for (k = 0; k < best.nobjs; k++)
			if (best.objs[k].generation != best.generation)
				(void)check_object(v, d, &best.objs[k], NULL);
		/* --fast: objects settled by a stored hash were not read, so
		 * the day's hash rests on the signed seal's per-object ones. */
		if (day != NULL && !whole)
			crypto_digest_free(day);
		else if (day != NULL) {
			crypto_digest_final(day, md);
			crypto_digest_free(day);
			crypto_hex(md, sizeof(md), hash);
			if (strcmp(hash, best.sha256) != 0)
				problem(d, sk, "the day's objects do not hash to the "
				    "sealed sha256 of its %" PRIu64 " bytes", best.bytes);
		}
		if (o->local)
			check_local(v, d, &best, sk);
		seal_stmt_free(&best);
	}
	for (j = 0; j < v->nkeys; j++)
		if (!v->keys[j].listed)
			problem(d, v->keys[j].key, "orphan: no seal of the day lists "
			    "this object");
	lock_check(v, d);
}

static void
day_reset(struct vctx *v)
{
	size_t i;

	for (i = 0; i < v->nkeys; i++)
		free(v->keys[i].key);
	v->nkeys = 0;
	v->date[0] = '\0';
}

/* The date a key belongs to: its base name starts "YYYY-MM-DD.". */
static int
key_date(const char *key, char date[11])
{
	const char *b = strrchr(key, '/');
	int i;

	b = b != NULL ? b + 1 : key;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? b[i] != '-' : (b[i] < '0' || b[i] > '9'))
			return 0;
	if (b[10] != '.')
		return 0;
	memcpy(date, b, 10);
	date[10] = '\0';
	return 1;
}

static int
list_cb(void *ctx, const char *key, uint64_t size)
{
	struct vctx *v = ctx;
	struct vkey *nk;
	char date[11];

	if (strstr(key, ".tmp.") != NULL || !key_date(key, date))
		return 0;	/* a crashed writer's temp file; not ours */
	if (strcmp(date, v->date) != 0) {
		day_check(v);
		day_reset(v);
		memcpy(v->date, date, 11);
	}
	if (v->nkeys == v->capkeys) {
		size_t cap = v->capkeys ? v->capkeys * 2 : 64;

		if ((nk = realloc(v->keys, cap * sizeof(*nk))) == NULL)
			return err_sys(v->e, "malloc");
		v->keys = nk;
		v->capkeys = cap;
	}
	nk = &v->keys[v->nkeys];
	if ((nk->key = strdup(key)) == NULL)
		return err_sys(v->e, "malloc");
	nk->size = size;
	nk->listed = 0;
	v->nkeys++;
	return 0;
}

static int
vday_cmp(const void *x, const void *y)
{
	return strcmp(((const struct verify_day *)x)->date,
	    ((const struct verify_day *)y)->date);
}

static void
next_date(const char *d, char out[11])
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (strptime(d, "%Y-%m-%d", &tm) == NULL) {
		memcpy(out, "9999-12-31", 11);
		return;
	}
	tm.tm_hour = 12;
	t = timegm(&tm) + 86400;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The chain over the whole stream: each prev names a seal that exists, at
 * most one seal starts the chain, no seal is the prev of two. */
static void
chain_check(struct vctx *v)
{
	size_t i, j, nstart = 0, refs;
	int found;

	for (i = 0; i < v->nlinks; i++) {
		struct vlink *l = &v->links[i];
		struct verify_day *d = day_get(v->out, l->date);

		if (l->prev[0] == '\0') {
			if (++nstart > 1)
				problem(d, l->key, "chain: a second first seal (prev "
				    "null): the chain was restarted");
			continue;
		}
		for (j = 0, found = 0, refs = 0; j < v->nlinks; j++) {
			if (strcmp(v->links[j].hash, l->prev) == 0)
				found = 1;
			if (j != i && strcmp(v->links[j].prev, l->prev) == 0)
				refs++;
		}
		if (!found && !(v->o->from != NULL && strcmp(l->date, v->o->from) == 0))
			problem(d, l->key, "chain: the previous seal (sha256 %.16s...) "
			    "is missing", l->prev);
		if (refs > 0)
			problem(d, l->key, "chain: another seal also follows %.16s... "
			    "(a fork: a seal was replaced)", l->prev);
	}
}

int
verify_stream(struct archive *a, const struct verify_opts *o, const char *host,
    const char *user, struct verify_stream *out, struct err *e)
{
	struct vctx v;
	struct stream *streams = NULL;
	size_t ns = 0, i;
	char d[11], first[11];
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&v, 0, sizeof(v));
	v.a = a;
	v.o = o;
	v.out = out;
	v.e = e;
	if ((out->host = strdup(host)) == NULL || (out->user = strdup(user)) == NULL)
		return err_sys(e, "malloc");
	if (strncmp(archive_key_format(a), "{host}/{user}/", 14) != 0)
		return err_set(e, "verify needs a key_format that begins with "
		    "{host}/{user}/ (this one is %s)", archive_key_format(a));
	if (snprintf(v.prefix, sizeof(v.prefix), "%s/%s/", host, user) >=
	    (int)sizeof(v.prefix))
		return err_set(e, "stream name too long");
	if (o->local && strcmp(host, o->cfg->hostname) == 0 &&
	    source_streams(o->cfg, &streams, &ns, e) == 0) {
		for (i = 0; i < ns; i++)
			if (strcmp(streams[i].user, user) == 0)
				v.local_dir = streams[i].dir;
	}
	err_clear(e);
	rc = archive_list(a, v.prefix, list_cb, &v, e);
	if (rc == 0)
		day_check(&v);
	day_reset(&v);
	free(v.keys);
	if (rc == 0) {
		chain_check(&v);
		if (out->ndays > 1)
			qsort(out->days, out->ndays, sizeof(out->days[0]), vday_cmp);
		/* Every day of the range has a result: a missing one has no
		 * seal (and nothing else). */
		if (o->from != NULL)
			memcpy(first, o->from, 11);
		else if (out->ndays > 0)
			memcpy(first, out->days[0].date, 11);
		else
			first[0] = '\0';
		if (first[0] != '\0') {
			size_t have = out->ndays;

			for (memcpy(d, first, 11); strcmp(d, o->to) <= 0; next_date(d, d)) {
				int seen = 0;

				for (i = 0; i < have; i++)
					if (strcmp(out->days[i].date, d) == 0)
						seen = 1;
				if (!seen) {
					struct verify_day *nd = day_get(out, d);

					problem(nd, "", "day has no seal (and no object): a "
					    "seal was deleted or the day was never shipped");
				}
				if (out->ndays > 100000)
					break;
			}
			if (out->ndays > 1)
				qsort(out->days, out->ndays, sizeof(out->days[0]), vday_cmp);
		}
	}
	for (i = 0; i < v.nlinks; i++)
		free(v.links[i].key);
	free(v.links);
	source_streams_free(streams, ns);
	return rc;
}
