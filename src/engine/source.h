/*
 * source.h - where the daily files are (SPEC §2.2).
 *
 * A stream is one directory matched by [source] dir (a glob); its days are
 * the files whose names match the strftime pattern, or that name plus
 * ".gz" (an archived day, read through zlib).  Name matching and the
 * open/closed decision are pure functions; discovery does the I/O.
 */
#ifndef AUDITSHIP_SOURCE_H
#define AUDITSHIP_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "config.h"
#include "err.h"
#include "caps.h"

struct stream {
	char		*dir;		/* the matched directory */
	char		*user;		/* owner of the directory's files */
};

struct day_file {
	char		 date[11];	/* YYYY-MM-DD */
	char		 name[256];	/* logical name, no .gz */
	char		*path;		/* what is on disk (owned by the array) */
	int		 gz;		/* path is NAME.gz */
	struct stat	 st;
};

/* Expand cfg->source_dir (a glob) into streams sorted by directory.  A
 * directory that cannot be read makes it return -1 with e set, and still
 * fill *out and *n with the streams that could be found. */
int	source_streams(const struct config *cfg, struct stream **out,
	    size_t *n, struct err *e);
void	source_streams_free(struct stream *s, size_t n);

/* The days present in a stream, oldest first.  When both NAME and
 * NAME.gz exist, the plain file wins (it may still grow) and the .gz is
 * ignored with a warning. */
int	source_days(const struct config *cfg, const struct stream *s,
	    struct day_file **out, size_t *n, struct err *e);
void	source_days_free(struct day_file *days, size_t n);
/*
 * Only the days named (directory entries as inotify reports them: NAME or
 * NAME.gz; names that do not match the pattern or no longer exist are
 * left out), looked up without listing the directory, with the same rules
 * as source_days(): the plain file wins over its .gz, oldest first.
 */
int	source_days_named(const struct config *cfg, const struct stream *s,
	    const char *const *names, size_t nnames, struct day_file **out,
	    size_t *n, struct err *e);
/*
 * Names in a stream that match the day pattern but are not day files (a
 * FIFO, a socket, a dangling or looping symlink, a directory): fn is
 * called for each with the reason; returns how many, -1 when the
 * directory cannot be read.  source_days() skips them with a warning,
 * once per process and name (issue 17 #8); `status` lists them.
 */
int	source_skipped(const struct config *cfg, const struct stream *s,
	    void (*fn)(void *ctx, const char *name, const char *why), void *ctx);

/*
 * Pure: does name match pattern (strftime %Y %m %d %F %%, other bytes
 * literal), optionally followed by ".gz"?  On a match fills date
 * (YYYY-MM-DD) and *gz and returns 1.
 */
int	source_match(const char *pattern, const char *name, char date[11],
	    int *gz);
/* Pure: render pattern for date (YYYY-MM-DD) into out; -1 if too long. */
int	source_name_for(const char *pattern, const char *date, char *out,
	    size_t cap);
/* Pure: today's date (YYYY-MM-DD) for now, UTC or local. */
void	source_today(time_t now, int local, char out[11]);
/*
 * Pure: a day is closed when it is before today and its file has not
 * changed for settle_ms (a .gz day is closed once it is before today).
 */
int	source_day_closed(const char *date, const char *today, int gz,
	    time_t mtime, time_t now, uint64_t settle_ms);

#endif
