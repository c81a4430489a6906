/*
 * fsutil.c - durable file writes (see fsutil.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "caps.h"
#include "fsutil.h"

int
fs_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, c, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int
fs_fsync_parent(const char *path, struct err *e)
{
	char dir[LIM_PATH];
	const char *slash = strrchr(path, '/');
	size_t len;
	int fd;

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else {
		len = slash == path ? 1 : (size_t)(slash - path);
		if (len >= sizeof(dir))
			return err_set(e, "path too long: %s", path);
		memcpy(dir, path, len);
		dir[len] = '\0';
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return err_sys(e, "open %s", dir);
	if (fsync(fd) == -1) {
		err_sys(e, "fsync %s", dir);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int
fs_atomic_write(const char *path, const void *data, size_t len, int mode,
    struct err *e)
{
	char tmp[LIM_PATH];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp))
		return err_set(e, "path too long: %s", path);
	unlink(tmp);	/* a leftover of a crashed run of ours */
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)) == -1)
		return err_sys(e, "create %s", tmp);
	if (fs_write_all(fd, data, len) == -1) {
		err_sys(e, "write %s", tmp);
		goto fail;
	}
	if (fsync(fd) == -1) {
		err_sys(e, "fsync %s", tmp);
		goto fail;
	}
	if (close(fd) == -1) {
		fd = -1;
		err_sys(e, "close %s", tmp);
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		err_sys(e, "rename %s to %s", tmp, path);
		goto fail;
	}
	return fs_fsync_parent(path, e);
fail:
	if (fd != -1)
		close(fd);
	unlink(tmp);
	return -1;
}

static const char *
fs_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	return "not a plain file";
}

int
fs_open_regular(const char *path, int flags, int mode, const char *what,
    struct err *e)
{
	struct stat sb;
	int fd, fl, saved;

	fd = open(path, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, mode);
	if (fd == -1) {
		saved = errno;
		err_sys(e, "open %s", path);
		errno = saved;
		return -1;
	}
	if (fstat(fd, &sb) == -1) {
		saved = errno;
		err_sys(e, "stat %s", path);
		close(fd);
		errno = saved;
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		err_set(e, "%s %s: not a regular file (%s)", what, path,
		    fs_kind(sb.st_mode));
		close(fd);
		errno = EINVAL;
		return -1;
	}
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
		saved = errno;
		err_sys(e, "fcntl %s", path);
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int
fs_read_file(const char *path, struct buf *out, size_t max, struct stat *st,
    const char *what, struct err *e)
{
	struct stat sb;
	char chunk[8192];
	ssize_t n;
	int fd, rc = -1;

	if (st == NULL)
		st = &sb;
	if ((fd = fs_open_regular(path, O_RDONLY, 0, what, e)) == -1)
		return -1;
	if (fstat(fd, st) == -1) {
		err_sys(e, "stat %s", path);
		goto out;
	}
	/* (A size of 0 may still read more: /proc, a pipe-like file.) */
	if (buf_reserve(out, st->st_size <= 0 ? 0 : (size_t)st->st_size < max ?
	    (size_t)st->st_size : max) == -1) {
		err_set(e, "%s: out of memory", path);
		goto out;
	}
	out->p[out->len] = '\0';
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			err_sys(e, "read %s", path);
			goto out;
		}
		if (n == 0)
			break;
		if (out->len + (size_t)n > max || buf_add(out, chunk,
		    (size_t)n) == -1) {
			err_set(e, "%s: larger than %zu bytes", path, max);
			goto out;
		}
	}
	rc = 0;
out:
	explicit_bzero(chunk, sizeof(chunk));
	close(fd);
	if (rc == -1 && errno == ENOENT)
		errno = EIO;	/* ENOENT says "no such file" only */
	return rc;
}

int
fs_mkdirs(const char *path, mode_t mode, int flags, struct err *e)
{
	char d[LIM_PATH];
	size_t i, len = strlen(path);

	if (len >= sizeof(d))
		return err_set(e, "path too long: %s", path);
	memcpy(d, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (i == len ? !(flags & FS_MKDIR_WHOLE) : d[i] != '/')
			continue;
		d[i] = '\0';
		if (mkdir(d, mode) == 0) {
			if ((flags & FS_MKDIR_EXACT) && chmod(d, mode) == -1)
				return err_sys(e, "chmod %s", d);
		} else if (errno != EEXIST)
			return err_sys(e, "mkdir %s", d);
		d[i] = path[i];
	}
	return 0;
}

int
fs_mkdir_parent_private(const char *path, struct err *e)
{
	return fs_mkdirs(path, 0700, 0, e);
}
