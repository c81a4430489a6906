/*
 * archive.c - read access to an archive destination (see archive.h): a dir
 * archive here, s3 and azblob through their own destination files.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "az_archive.h"
#include "az_client.h"
#include "buf.h"
#include "caps.h"
#include "dest.h"
#include "keyfmt.h"
#include "s3_archive.h"

#define ARCHIVE_IO	(256u << 10)

struct archive {
	struct dest	 d;		/* opened as the engine opens it */
	int		 opened;
	const char	*root;		/* dir: path + "/" */
	struct buf	 base;
	char		*io;
	struct dest_azblob *az;		/* azblob: the container instead */
	struct s3_archive *s3;		/* s3: the bucket instead */
};

struct archive *
archive_open(const struct config *cfg, const struct conf_section *cs,
    struct err *e)
{
	const struct dest_ops *ops = dest_find(cs->type);
	struct archive *a;

	if (ops == NULL || ops->kind != DEST_OBJECTS) {
		err_set(e, "[destination %s] type %s: verify reads dir, s3 and "
		    "azblob archives", cs->dest_name, cs->type);
		return NULL;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		err_sys(e, "malloc");
		return NULL;
	}
	buf_init(&a->base, LIM_PATH);
	/* The destination's own open(): the same settings and secrets as
	 * the engine's, nothing sent yet. */
	dest_init(&a->d, ops, cs, cfg);
	if (ops->open(&a->d, e) == -1) {
		free(a);
		return NULL;
	}
	a->opened = 1;
	if (ops == &dest_azblob_ops) {
		a->az = dest_azblob_of(&a->d);
		return a;
	}
	if (ops == &dest_s3_ops) {
		if ((a->s3 = s3_archive_new(&a->d, e)) == NULL) {
			archive_close(a);
			return NULL;
		}
		return a;
	}
	if (buf_printf(&a->base, "%s/", dest_dir_path(&a->d)) == -1 ||
	    (a->io = malloc(ARCHIVE_IO)) == NULL) {
		err_set(e, "[destination %s] path too long", cs->dest_name);
		archive_close(a);
		return NULL;
	}
	a->root = a->base.p;
	return a;
}

void
archive_close(struct archive *a)
{
	if (a == NULL)
		return;
	s3_archive_free(a->s3);
	if (a->opened)
		a->d.ops->close(&a->d);
	buf_free(&a->base);
	free(a->io);
	free(a);
}

const char *
archive_key_format(const struct archive *a)
{
	return a->d.key_format;
}

static int
name_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The sorted entries of directory path (without . and ..). */
static int
dir_names(const char *path, char ***out, size_t *n, struct err *e)
{
	DIR *d;
	struct dirent *de;
	char **v = NULL, **nv;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if ((d = opendir(path)) == NULL)
		return errno == ENOENT || errno == ENOTDIR ? 0 :
		    err_sys(e, "opendir %s", path);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				goto nomem;
			v = nv;
		}
		if ((v[*n] = strdup(de->d_name)) == NULL)
			goto nomem;
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), name_cmp);
	*out = v;
	return 0;
nomem:
	closedir(d);
	while (*n > 0)
		free(v[--(*n)]);
	free(v);
	return err_sys(e, "malloc");
}

static void
names_free(char **v, size_t n)
{
	while (n > 0)
		free(v[--n]);
	free(v);
}

/*
 * An object store's children (name_cb) or keys (key_cb) under the
 * destination's prefix + prefix, from its listing.  Children are named
 * below the full prefix; s3 hands out whole keys, azblob keys without the
 * destination's prefix (az_archive_get puts it back).
 */
static int
store_walk(struct archive *a, const char *prefix, archive_name_fn name_cb,
    archive_key_fn key_cb, void *ctx, struct err *e)
{
	struct archive_walk w = { 0, name_cb, key_cb, ctx, { NULL, 0, 0, 0 } };
	int (*entry)(void *, const char *, uint64_t, int);
	int children = name_cb != NULL, rc = -1;
	struct buf full;

	buf_init(&full, LIM_KEY);
	buf_init(&w.tmp, LIM_KEY);
	if (buf_printf(&full, "%s%s", a->d.prefix, prefix) == -1) {
		err_set(e, "prefix too long");
		goto done;
	}
	w.skip = children ? full.len : a->az != NULL ? strlen(a->d.prefix) : 0;
	entry = children ? archive_walk_child : archive_walk_key;
	if (a->s3 != NULL)
		rc = s3_archive_walk(a->s3, full.p, children, entry, &w, e);
	else
		rc = az_client_list(azblob_client(a->az), full.p, children,
		    entry, &w, e);
done:
	buf_free(&full);
	buf_free(&w.tmp);
	return rc;
}

int
archive_children(struct archive *a, const char *prefix, archive_name_fn cb,
    void *ctx, struct err *e)
{
	struct buf p;
	char **v;
	size_t n, i;
	int rc = 0;

	if (a->s3 != NULL || a->az != NULL)
		return store_walk(a, prefix, cb, NULL, ctx, e);
	buf_init(&p, LIM_PATH);
	if (buf_printf(&p, "%s%s%s", a->root, a->d.prefix, prefix) == -1) {
		buf_free(&p);
		return err_set(e, "path too long");
	}
	if (dir_names(p.p, &v, &n, e) == -1) {
		buf_free(&p);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = cb(ctx, v[i]);
	names_free(v, n);
	buf_free(&p);
	return rc;
}

/* Walk rel (a key prefix ending in "/" or "") under root in key order. */
static int
walk(struct archive *a, struct buf *rel, archive_key_fn cb, void *ctx,
    int depth, struct err *e)
{
	struct buf full;
	struct stat sb;
	char **v;
	size_t n, i, keep = rel->len;
	int rc = 0;

	if (depth > 16)
		return 0;
	buf_init(&full, LIM_PATH);
	if (buf_printf(&full, "%s%s", a->root, rel->p ? rel->p : "") == -1) {
		buf_free(&full);
		return err_set(e, "path too long");
	}
	if (dir_names(full.p, &v, &n, e) == -1) {
		buf_free(&full);
		return -1;
	}
	buf_free(&full);
	for (i = 0; i < n && rc == 0; i++) {
		buf_truncate(rel, keep);
		if (buf_adds(rel, v[i]) == -1) {
			rc = err_set(e, "key too long");
			break;
		}
		buf_init(&full, LIM_PATH);
		if (buf_printf(&full, "%s%s", a->root, rel->p) == -1 ||
		    lstat(full.p, &sb) == -1) {
			buf_free(&full);
			continue;
		}
		buf_free(&full);
		if (S_ISDIR(sb.st_mode)) {
			if (buf_addc(rel, '/') == -1)
				rc = err_set(e, "key too long");
			else
				rc = walk(a, rel, cb, ctx, depth + 1, e);
		} else if (S_ISREG(sb.st_mode)) {
			if (cb(ctx, rel->p, (uint64_t)sb.st_size) == -1)
				rc = -1;
		}
	}
	buf_truncate(rel, keep);
	names_free(v, n);
	return rc;
}

int
archive_list(struct archive *a, const char *prefix, archive_key_fn cb,
    void *ctx, struct err *e)
{
	struct buf rel;
	int rc;

	if (a->s3 != NULL || a->az != NULL)
		return store_walk(a, prefix, NULL, cb, ctx, e);
	buf_init(&rel, LIM_KEY + 256);
	if (buf_adds(&rel, a->d.prefix) == -1 || buf_adds(&rel, prefix) == -1) {
		buf_free(&rel);
		return err_set(e, "key too long");
	}
	rc = walk(a, &rel, cb, ctx, 0, e);
	buf_free(&rel);
	return rc;
}

int
archive_get(struct archive *a, const char *key, gz_sink_fn sink, void *ctx,
    struct err *e)
{
	struct buf p;
	ssize_t n;
	int fd;

	if (a->s3 != NULL)
		return s3_archive_get(a->s3, key, sink, ctx, e);
	if (a->az != NULL)
		return az_archive_get(a->az, a->d.prefix, key, sink, ctx, e);
	buf_init(&p, LIM_PATH);
	if (buf_printf(&p, "%s%s", a->root, key) == -1) {
		buf_free(&p);
		return err_set(e, "path too long");
	}
	fd = open(p.p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	buf_free(&p);
	if (fd == -1)
		return errno == ENOENT ? 0 : err_sys(e, "open %s", key);
	while ((n = read(fd, a->io, ARCHIVE_IO)) > 0)
		if (sink(ctx, a->io, (size_t)n, e) == -1) {
			close(fd);
			return -1;
		}
	close(fd);
	if (n < 0)
		return err_sys(e, "read %s", key);
	return 1;
}

int
archive_lock_check(struct archive *a, const char *key, const char *date,
    char *msg, size_t cap, struct err *e)
{
	if (a->s3 == NULL)
		return 0;
	return s3_archive_lock(a->s3, key, date, msg, cap, e);
}

int
archive_stored_checksum(struct archive *a, const char *key, char hex[65],
    struct err *e)
{
	hex[0] = '\0';
	if (a->s3 == NULL)
		return 0;
	return s3_archive_checksum(a->s3, key, hex, e);
}

int
archive_is_dir(const struct archive *a)
{
	return a->root != NULL;
}
