/*
 * fsutil.h - durable file writes, the OpenSMTPD/redis way: temp file in the
 * same directory (O_CREAT|O_EXCL|O_CLOEXEC), write, fsync, checked close,
 * rename, fsync the directory.  Shared by the state, the metrics file and
 * the dir destination.
 */
#ifndef AUDITSHIP_FSUTIL_H
#define AUDITSHIP_FSUTIL_H

#include <stddef.h>

#include "err.h"

/* write(2) all of p, retrying on EINTR and short writes; -1 with errno. */
int	fs_write_all(int fd, const void *p, size_t n);
/* fsync the directory holding path (a rename is durable only then). */
int	fs_fsync_parent(const char *path, struct err *e);
/* Replace path with data atomically and durably; the new file gets mode. */
int	fs_atomic_write(const char *path, const void *data, size_t len,
	    int mode, struct err *e);

/* mkdir -p (0700) the directory that will hold path. */
int	fs_mkdir_parent_private(const char *path, struct err *e);

#endif
