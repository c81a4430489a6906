/*
 * fsutil.h - durable file writes, the OpenSMTPD/redis way: temp file in the
 * same directory (O_CREAT|O_EXCL|O_CLOEXEC), write, fsync, checked close,
 * rename, fsync the directory.  Shared by the state, the metrics file and
 * the dir destination.
 */
#ifndef AUDITSHIP_FSUTIL_H
#define AUDITSHIP_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* write(2) all of p, retrying on EINTR and short writes; -1 with errno. */
int	fs_write_all(int fd, const void *p, size_t n);
/* fsync the directory holding path (a rename is durable only then). */
int	fs_fsync_parent(const char *path, struct err *e);
/* Replace path with data atomically and durably; the new file gets mode. */
int	fs_atomic_write(const char *path, const void *data, size_t len,
	    int mode, struct err *e);

/*
 * Open a file that must be a regular file (config, secrets, state, journal,
 * lock) without ever blocking: O_NONBLOCK|O_NOCTTY|O_CLOEXEC are added to
 * flags, the descriptor is fstat'ed and anything but a regular file (a FIFO
 * would hang the reader, a device or socket is never ours) is refused with
 * "WHAT PATH: not a regular file (a FIFO)"; O_NONBLOCK is then cleared.
 * Returns the fd, or -1 with e set ("open PATH: reason") and errno kept
 * (ENOENT for a missing file, which callers often treat as "none").
 */
int	fs_open_regular(const char *path, int flags, int mode, const char *what,
	    struct err *e);

/*
 * Read the whole regular file path (opened with fs_open_regular, so a FIFO
 * is refused, never waited on) into out, at most max bytes.  The room is
 * reserved once from its size, since growing by realloc would leave
 * copies of a secret in freed memory, and the read buffer is wiped.  st,
 * when not NULL, gets its fstat.  0, or -1 with e set ("PATH: larger than
 * MAX bytes", "read PATH", ...) and errno ENOENT for a missing file.
 */
struct buf;
struct stat;
int	fs_read_file(const char *path, struct buf *out, size_t max,
	    struct stat *st, const char *what, struct err *e);

/*
 * mkdir -p: every directory named by a prefix of path that ends before a
 * '/' (its parents), and path itself with FS_MKDIR_WHOLE; each one made
 * with mode, and with FS_MKDIR_EXACT chmod'ed to exactly mode whatever the
 * umask.  Existing ones are left alone.  -1 with "path too long: PATH",
 * "mkdir DIR" or "chmod DIR" in e.
 */
#define FS_MKDIR_WHOLE	1
#define FS_MKDIR_EXACT	2
int	fs_mkdirs(const char *path, mode_t mode, int flags, struct err *e);
/* mkdir -p (0700) the directory that will hold path. */
int	fs_mkdir_parent_private(const char *path, struct err *e);

#endif
