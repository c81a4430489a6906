/*
 * state.h - offsets and counters per destination, stream and day file
 * (SPEC §3.1, §4, §5).
 *
 * The state file is text, one record a line, tab-separated key=value pairs
 * with %XX escapes, so a human can read it.  It is replaced atomically
 * (temp file, fsync, rename, fsync dir), mode 0600.  Between snapshots,
 * each commit appends the changed record to state.journal (same format,
 * prefixed by the snapshot's epoch) so a commit costs one short write.  A corrupt file is an
 * error naming the line, never a silent restart from zero.  One process
 * per state_dir holds an flock on state_dir/lock.
 */
#ifndef AUDITSHIP_STATE_H
#define AUDITSHIP_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

#define STATE_SHA_STATE	224	/* = CRYPTO_SHA_STATE */

struct state_rec {
	char		*dest;
	char		*stream;	/* source directory */
	char		*name;		/* logical day file name */
	uint64_t	 dev, ino;	/* identity of the file read */
	int		 gz;		/* identity is of NAME.gz */
	uint64_t	 off;		/* acknowledged up to here */
	char		 fp[65];	/* fingerprint of bytes before off */
	uint64_t	 size;		/* uncompressed bytes present, last look */
	uint64_t	 gz_csize;	/* .gz size/mtime that size was taken at */
	int64_t		 gz_mtime;
	int		 pending;	/* an object upload is under way */
	uint64_t	 pend_start, pend_end;
	char		*note;		/* destination's note for the upload */
	uint64_t	 lines, bytes;	/* shipped */
	uint64_t	 invalid, oversize, truncated, resets;
	uint64_t	 rejected;	/* refused by the destination (400) */
	int64_t		 last_ok;	/* Unix time of the last commit */
	int64_t		 mtime;		/* file mtime, last look */
	int64_t		 ctime_ns;	/* file ctime in ns, last look: any
					 * write or chmod changes it, and no
					 * user can set it back */
	/* SPEC §3.3, §7: the resumable SHA-256 of [0, off) as shipped
	 * (crypto_sha_save text; "" = nothing shipped yet). */
	char		 sh[STATE_SHA_STATE];
	/* sh covers [0, off - sh_lag): a record destination that another
	 * destination's hashing in this run is ahead of takes the state at
	 * the end of its day instead of hashing the bytes itself (sealer.c);
	 * 0 once caught up, as it is before any use of sh.  After a crash
	 * the lagging bytes are hashed from the file as it is then (the
	 * fingerprint still covers the offset's end). */
	uint64_t	 sh_lag;
	/* Seals of this day at this destination: how many, and the
	 * offset and generation (resets) the last one covered. */
	uint64_t	 seal_seq, seal_off, seal_gen;
	/* Stream chain record (name STATE_CHAIN): hash of the stream's last
	 * seal, first and last day of the seal chain so far. */
	char		 seal_head[65];
	char		 seal_first[11], seal_last[11];
};

/* The record of a stream's seal chain at a destination (a name no daily
 * file can have). */
#define STATE_CHAIN	"@seals"

struct state_dest {
	char		*name;
	int64_t		 last_ok;
	int64_t		 last_err_at;
	char		*last_err;
	uint64_t	 errors;
};

struct state {
	char		*dir;
	char		*path;		/* the snapshot: DIR/state */
	char		*jpath;		/* the journal: DIR/state.journal */
	int		 lock_fd;
	int		 jfd;		/* journal, opened on first commit */
	uint64_t	 epoch;		/* snapshot generation */
	size_t		 jlines;	/* journal lines since the snapshot */
	int		 jstale;	/* the journal held lines when loaded */
	struct state_rec *recs;
	size_t		 nrecs, cap;
	int		 sorted;
	size_t		 next;		/* after the last record found */
	struct state_dest *dests;
	size_t		 ndests;
};

#define STATE_LOCKED	(-2)

/*
 * Create dir (0700) if needed, take the lock when lock is set (returns
 * STATE_LOCKED when another process holds it), and load the state file.
 */
int	state_open(struct state *st, const char *dir, int lock, struct err *e);
void	state_close(struct state *st);
/*
 * Write the whole state atomically as a new snapshot (a new epoch) and
 * empty the journal.  Used at the end of a run and to compact.
 */
int	state_save(struct state *st, struct err *e);
/*
 * Make one record (and/or a destination record; either may be NULL)
 * durable now by appending it to the journal with one write(2) and
 * fdatasync: a commit costs one line, not a rewrite of every record.
 * Loading replays the journal over the snapshot.  Compacts instead when
 * the journal holds STATE_JOURNAL_MAX lines.
 */
int	state_commit(struct state *st, const struct state_rec *r,
	    const struct state_dest *d, struct err *e);

#define STATE_JOURNAL_MAX	4096

/* Find a record; with create, add an empty one.  The pointer is valid
 * until the next state_get with create. */
struct state_rec *state_get(struct state *st, const char *dest,
	    const char *stream, const char *name, int create);
struct state_dest *state_dest_get(struct state *st, const char *name,
	    int create);
/* Replace a record's note (NULL clears it); -1 on malloc failure. */
int	state_set_note(struct state_rec *r, const char *note);
int	state_set_error(struct state_dest *d, const char *msg, int64_t now);

/*
 * Pure: the snapshot text of st (records sorted first), as state_save()
 * writes it; -1 when b is full.
 */
int	state_format(struct state *st, struct buf *b);
/*
 * Pure: load text[0..len) into st (zeroed or filled by earlier calls) as
 * the snapshot or, with journal, the journal; path names the file in
 * messages.  Exactly what state_open() does with the files: a corrupt
 * text is an error naming path and line, never a fresh start.
 */
int	state_parse(struct state *st, const char *path, const char *text,
	    size_t len, int journal, struct err *e);

/* Pure: %XX-escape s (bytes <= 0x20, 0x7f, '%', '=') into out. */
int	state_escape(const char *s, char *out, size_t cap);
/* Pure: undo state_escape in place; -1 on a bad escape. */
int	state_unescape(char *s);

#endif
