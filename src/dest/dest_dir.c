/*
 * dest_dir.c - the local archive destination (SPEC §2.3 type = dir, §3.4).
 *
 * Each range becomes one gzip object at PATH/KEY, laid out exactly as the
 * S3 keys would be.  The object is written to a temp name in its final
 * directory, fsynced, renamed, and the directory fsynced: only then is it
 * acknowledged (SPEC §3.1).  A retried range renders the same key and
 * replaces the object with identical bytes, so the archive never holds
 * two objects covering the same bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dest.h"
#include "fsutil.h"
#include "gz.h"
#include "keyfmt.h"
#include "caps.h"
#include "crypto.h"
#include "log.h"

#define DIR_IOBUF	(256u << 10)

struct dir_priv {
	const char	*root;
	const char	*key_format;
	const char	*prefix;
	int		 level;
	char		*iobuf;
};

static const struct conf_key dir_keys[] = {
	{ "type", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0, NULL },
	{ "path", CONF_STR, NULL, CONF_REQUIRED | CONF_PATH, NULL, 0, 0, NULL },
	{ "upload", CONF_ENUM, "chunk", 0, "chunk|daily", 0, 0, NULL },
	/* The archive is laid out exactly as S3 keys (SPEC §3.4). */
	{ "prefix", CONF_STR, "", 0, NULL, 0, 0, NULL },
	{ "key_format", CONF_STR, NULL, 0, NULL, 0, 0, dest_def_key_format },
	{ "min_chunk", CONF_SIZE, "0", 0, NULL, 0, 0, NULL },
	{ "flush_interval", CONF_DURATION, "60s", 0, NULL, 1, 7LL * 24 * 3600 * 1000, NULL },
	{ "compress_level", CONF_INT, "6", 0, NULL, 1, 9, NULL },
	{ "seal", CONF_BOOL, "true", 0, NULL, 0, 0, NULL },	/* SPEC §7 */
};

static int
dir_check(const struct conf_section *s, struct conf_report *r)
{
	return dest_check_key_format(s, r);
}

static int
dir_open(struct dest *d, struct err *e)
{
	struct dir_priv *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return err_sys(e, "malloc");
	d->priv = p;
	p->root = conf_str(d->conf, "path");
	p->prefix = conf_str(d->conf, "prefix");
	p->key_format = conf_str(d->conf, "key_format");
	p->level = (int)conf_num(d->conf, "compress_level");
	dest_object_fields(d);
	return 0;
}

static void
dir_close(struct dest *d)
{
	struct dir_priv *p = d->priv;

	if (p != NULL) {
		free(p->iobuf);
		free(p);
	}
	d->priv = NULL;
}

/* errno values that a retry will not fix: stop this destination. */
static int
dir_permanent(int err)
{
	return err == EACCES || err == EPERM || err == EROFS || err == ENOSPC ||
	    err == EDQUOT || err == ENOTDIR || err == ENAMETOOLONG;
}

static enum dest_rc
dir_rc(struct err *e)
{
	return dir_permanent(e->code) ? DEST_STOP : DEST_RETRY;
}

/* The buffer put() and put_seal() read and compare files through. */
static int
dir_iobuf(struct dir_priv *p, struct err *e)
{
	if (p->iobuf == NULL && (p->iobuf = malloc(DIR_IOBUF)) == NULL)
		return err_sys(e, "malloc");
	return 0;
}

/* The temp file at tmp, created afresh (an earlier one removed): its fd,
 * or -1 with e set. */
static int
dir_create_tmp(const char *tmp, struct err *e)
{
	int fd;

	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0640)) == -1)
		err_sys(e, "create %s", tmp);
	return fd;
}

/* A crash (kill -9) between create and rename leaves KEY.tmp.PID behind;
 * the retry of the same range removes it. */
static void
dir_remove_stale(const char *path)
{
	char pat[LIM_PATH + 16];
	glob_t g;
	size_t i;

	if (snprintf(pat, sizeof(pat), "%s.tmp.*", path) >= (int)sizeof(pat))
		return;
	if (glob(pat, GLOB_NOSORT | GLOB_NOESCAPE, NULL, &g) != 0)
		return;
	for (i = 0; i < g.gl_pathc; i++)
		unlink(g.gl_pathv[i]);
	globfree(&g);
}

/*
 * An object already at the key: a crashed run of ours renamed it but did
 * not commit, or another stream maps to the same key (two source
 * directories owned by one user).  Compare its content with the range:
 * 1 identical (nothing to do), 0 no object, -1 different content (never
 * overwrite an archived object: stop with a message), -2 I/O error.
 * Consumes o->read; the caller rewinds when it goes on.
 */
static int
dir_existing(const char *path, const struct dest_object *o, char *iobuf,
    struct err *e)
{
	char theirs[65536];
	struct gz_in *z = NULL;
	ssize_t n, m;
	size_t got;
	int fd, rc = 1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : (err_sys(e, "open %s", path), -2);
	if ((z = gz_in_new(fd, e)) == NULL) {
		close(fd);
		return -2;
	}
	for (;;) {
		n = o->read(o->ctx, iobuf, sizeof(theirs), e);
		if (n < 0) {
			rc = -2;
			break;
		}
		for (got = 0; got < (size_t)n; got += (size_t)m) {
			m = gz_in_read(z, theirs, (size_t)n - got, e);
			if (m <= 0 || memcmp(theirs, iobuf + got, (size_t)m) != 0) {
				rc = -1;
				break;
			}
		}
		if (rc != 1 || n == 0)
			break;
	}
	if (rc == 1 && gz_in_read(z, theirs, 1, e) != 0)
		rc = -1;	/* theirs is longer */
	gz_in_free(z);
	close(fd);
	if (rc == -1) {
		err_clear(e);
		err_set(e, "%s exists with other content: refusing to overwrite an "
		    "archived object (do two source directories of one user map to "
		    "the same key? add a distinguishing prefix or key_format)", path);
	}
	if (o->rewind(o->ctx, e) == -1)
		return -2;
	return rc;
}

static int
dir_sink(void *ctx, const void *p, size_t n, struct err *e)
{
	if (fs_write_all(*(int *)ctx, p, n) == -1)
		return err_sys(e, "write");
	return 0;
}

/* SHA-256 (hex) of a file's bytes, streamed. */
static int
dir_hash_file(const char *path, char hex[65], char *iobuf, struct err *e)
{
	struct crypto_digest *h;
	uint8_t md[CRYPTO_SHA256_LEN];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return err_sys(e, "open %s", path);
	if ((h = crypto_digest_new(CRYPTO_SHA256)) == NULL) {
		close(fd);
		return err_sys(e, "malloc");
	}
	while ((n = read(fd, iobuf, DIR_IOBUF)) > 0)
		crypto_digest_update(h, iobuf, (size_t)n);
	close(fd);
	crypto_digest_final(h, md);
	crypto_digest_free(h);
	if (n < 0)
		return err_sys(e, "read %s", path);
	crypto_hex(md, sizeof(md), hex);
	return 0;
}

/* Fill what the seal needs of the object just stored at path. */
static enum dest_rc
dir_stored(struct dir_priv *p, const char *path, struct dest_stored *out,
    struct err *e)
{
	size_t root = strlen(p->root) + 1;

	if (out == NULL)
		return DEST_OK;
	snprintf(out->key, sizeof(out->key), "%s", path + root);
	if (dir_hash_file(path, out->sha256, p->iobuf, e) == -1)
		return DEST_RETRY;
	return DEST_OK;
}

/*
 * With the key in path: the temp name beside it in tmp, the directories
 * made, and a crashed run's temp files there removed.  DEST_OK, or what
 * the put returns.  what names the file in an error ("object", "seal").
 */
static enum dest_rc
dir_prepare(struct dir_priv *p, const struct buf *path, struct buf *tmp,
    const char *what, struct err *e)
{
	if (buf_printf(tmp, "%s.tmp.%ld", path->p, (long)getpid()) == -1) {
		err_set(e, "%s path too long under %s", what, p->root);
		return DEST_STOP;
	}
	if (fs_mkdirs(path->p, 0750, 0, e) == -1)
		return dir_rc(e);
	dir_remove_stale(path->p);
	return DEST_OK;
}

static enum dest_rc
dir_put(struct dest *d, const struct dest_object *o, struct err *e)
{
	struct dir_priv *p = d->priv;
	struct keyfmt_vars v = dest_object_vars(o);
	struct buf path, tmp;
	struct gz_out *z = NULL;
	enum dest_rc rc = DEST_RETRY;
	int fd = -1;
	ssize_t n;

	buf_init(&path, LIM_PATH);
	buf_init(&tmp, LIM_PATH);
	if (dir_iobuf(p, e) == -1)
		goto out;
	if (buf_adds(&path, p->root) == -1 || buf_addc(&path, '/') == -1 ||
	    keyfmt_render(&path, p->prefix, p->key_format, &v, e) == -1) {
		err_set(e, "object path too long under %s", p->root);
		rc = DEST_STOP;
		goto out;
	}
	if ((rc = dir_prepare(p, &path, &tmp, "object", e)) != DEST_OK)
		goto out;
	switch (dir_existing(path.p, o, p->iobuf, e)) {
	case 1:
		/* A crashed run's object for exactly this range. */
		log_dest(LOG_LVL_DEBUG, d->name, "%s already holds this range", path.p);
		rc = dir_stored(p, path.p, o->stored, e);
		goto out;
	case -1:
		rc = DEST_STOP;
		goto out;
	case -2:
		rc = DEST_RETRY;
		goto out;
	default:
		break;
	}
	if ((fd = dir_create_tmp(tmp.p, e)) == -1) {
		rc = dir_rc(e);
		goto out;
	}
	if ((z = gz_out_new(p->level, dir_sink, &fd, e)) == NULL)
		goto fail;
	while ((n = o->read(o->ctx, p->iobuf, DIR_IOBUF, e)) > 0)
		if (gz_out_write(z, p->iobuf, (size_t)n, e) == -1)
			goto fail;
	if (n == -1 || gz_out_finish(z, e) == -1)
		goto fail;
	if (fsync(fd) == -1) {
		err_sys(e, "fsync %s", tmp.p);
		goto fail;
	}
	if (close(fd) == -1) {
		fd = -1;
		err_sys(e, "close %s", tmp.p);
		goto fail;
	}
	fd = -1;
	if (rename(tmp.p, path.p) == -1) {
		err_sys(e, "rename %s", path.p);
		goto fail;
	}
	if (fs_fsync_parent(path.p, e) == -1)
		goto fail;
	log_dest(LOG_LVL_DEBUG, d->name, "wrote %s", path.p);
	rc = dir_stored(p, path.p, o->stored, e);
	goto out;
fail:
	rc = dir_rc(e);
	if (fd != -1)
		close(fd);
	fd = -1;
	unlink(tmp.p);
out:
	gz_out_free(z);
	if (fd != -1)
		close(fd);
	buf_free(&path);
	buf_free(&tmp);
	return rc;
}

/* 1 when the file at path holds exactly p[0..n), 0 when it differs, -1
 * when it cannot be read. */
static int
dir_same_bytes(const char *path, const void *p, size_t n, char *iobuf)
{
	size_t at = 0;
	ssize_t m;
	int fd, same = 1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while ((m = read(fd, iobuf, DIR_IOBUF)) > 0) {
		if ((size_t)m > n - at || memcmp(iobuf, (const char *)p + at, (size_t)m) != 0) {
			same = 0;
			break;
		}
		at += (size_t)m;
	}
	close(fd);
	if (m < 0)
		return -1;
	return same && at == n;
}

/*
 * A seal (SPEC §7): written once, never replaced.  The temp file is
 * hard-linked to the key, which fails when the key exists, so even two
 * racing writers can never replace one seal by another.
 */
static enum dest_rc
dir_put_seal(struct dest *d, const struct dest_file *f, unsigned seq,
    const void *data, size_t n, struct dest_stored *stored, struct err *e)
{
	struct dir_priv *p = d->priv;
	struct keyfmt_vars v = { f->host, f->user, f->date, 0, 0, 0 };
	struct buf path, tmp;
	enum dest_rc rc = DEST_RETRY;
	int fd = -1, same;

	buf_init(&path, LIM_PATH);
	buf_init(&tmp, LIM_PATH);
	if (dir_iobuf(p, e) == -1)
		goto out;
	if (buf_adds(&path, p->root) == -1 || buf_addc(&path, '/') == -1 ||
	    keyfmt_seal_key(&path, p->prefix, p->key_format, &v, seq, e) == -1) {
		err_set(e, "seal path too long under %s", p->root);
		rc = DEST_STOP;
		goto out;
	}
	if ((rc = dir_prepare(p, &path, &tmp, "seal", e)) != DEST_OK)
		goto out;
	for (;;) {
		if ((same = dir_same_bytes(path.p, data, n, p->iobuf)) == 1) {
			rc = dir_stored(p, path.p, stored, e);
			goto out;
		}
		if (same == 0) {
			err_set(e, "%s exists with other content: a seal is never "
			    "replaced", path.p);
			rc = DEST_STOP;
			goto out;
		}
		if (errno != ENOENT) {
			err_sys(e, "read %s", path.p);
			rc = dir_rc(e);
			goto out;
		}
		if ((fd = dir_create_tmp(tmp.p, e)) == -1) {
			rc = dir_rc(e);
			goto out;
		}
		if (fs_write_all(fd, data, n) == -1 || fsync(fd) == -1) {
			err_sys(e, "write %s", tmp.p);
			close(fd);
			unlink(tmp.p);
			rc = dir_rc(e);
			goto out;
		}
		close(fd);
		if (link(tmp.p, path.p) == -1) {
			unlink(tmp.p);
			if (errno == EEXIST)
				continue;	/* someone else's: compare */
			err_sys(e, "link %s", path.p);
			rc = dir_rc(e);
			goto out;
		}
		unlink(tmp.p);
		if (fs_fsync_parent(path.p, e) == -1) {
			rc = dir_rc(e);
			goto out;
		}
		log_dest(LOG_LVL_DEBUG, d->name, "sealed %s", path.p);
		rc = dir_stored(p, path.p, stored, e);
		goto out;
	}
out:
	buf_free(&path);
	buf_free(&tmp);
	return rc;
}

/* check --connect: the archive root exists (or can be made) and is writable. */
static int
dir_probe(struct dest *d, struct err *e)
{
	struct dir_priv *p = d->priv;
	char probe[LIM_PATH];
	int fd;

	if (mkdir(p->root, 0750) == -1 && errno != EEXIST)
		return err_sys(e, "mkdir %s", p->root);
	if (snprintf(probe, sizeof(probe), "%s/.auditship-probe.%ld", p->root,
	    (long)getpid()) >= (int)sizeof(probe))
		return err_set(e, "path too long: %s", p->root);
	if ((fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) == -1)
		return err_sys(e, "cannot write in %s", p->root);
	close(fd);
	unlink(probe);
	return 0;
}

const char *
dest_dir_path(const struct dest *d)
{
	const struct dir_priv *p = d->priv;

	return p->root;
}

const struct dest_ops dest_dir_ops = {
	DEST_OPS(dir, DEST_OBJECTS),
	.put = dir_put,
	.put_seal = dir_put_seal,
};
