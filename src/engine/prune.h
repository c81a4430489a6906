/*
 * prune.h - local retention (SPEC §2.1 prune_after, `auditship prune`).
 *
 * A daily file is deleted only when all of these hold:
 *  - its day ended more than prune_after ago (by day_boundary) and the day
 *    is closed (2.2);
 *  - every configured destination acknowledged all of its bytes: a state
 *    record for this very file (same device and inode), no upload under
 *    way, offset = the file's size (for NAME.gz: the uncompressed size
 *    measured at this compressed size and mtime), and the file's ctime
 *    is the one that ship saw (a file replaced by one with the same bytes
 *    and a reused inode number is not the file that was shipped);
 *  - every destination that seals (seal = true) has the day's seal stored.
 * Anything less certain is kept, and `--dry-run` says why.  Each deletion
 * is logged and recorded in STATE_DIR/pruned (one line per day:
 * stream, name, date, bytes, time), so `status` shows the day as pruned,
 * not as a gap.
 */
#ifndef AUDITSHIP_PRUNE_H
#define AUDITSHIP_PRUNE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "err.h"
#include "state.h"

enum prune_why {
	PRUNE_DELETE,
	PRUNE_KEEP_YOUNG,	/* not older than prune_after */
	PRUNE_KEEP_OPEN,	/* the day is not closed yet */
	PRUNE_KEEP_NEVER,	/* a destination never shipped this file */
	PRUNE_KEEP_OTHER_FILE,	/* shipped bytes are of another file (reset) */
	PRUNE_KEEP_PENDING,	/* an object upload is under way */
	PRUNE_KEEP_UNACKED,	/* bytes not acknowledged yet */
	PRUNE_KEEP_CHANGED,	/* touched since a ship last looked (ctime) */
	PRUNE_KEEP_UNSEALED,	/* the destination seals; no seal stored */
};

/* What one destination knows of one daily file. */
struct prune_ack {
	int		 found;		/* a state record exists */
	int		 same_file;	/* of this file (device, inode) */
	int		 pending;
	uint64_t	 off;		/* acknowledged */
	uint64_t	 need;		/* bytes the file holds */
	int		 changed;	/* ctime differs from the last look */
	int		 seals;		/* seal = true */
	int		 sealed;	/* its seal is stored */
};

/* Pure: the verdict for one day; *culprit = the index of the destination
 * that keeps it (for the reasons that name one). */
enum prune_why prune_decide(int old_enough, int closed,
	    const struct prune_ack *acks, size_t n, size_t *culprit);
const char *prune_why_text(enum prune_why why);
/* Pure: has the day `date` (YYYY-MM-DD) ended at least after_ms before
 * now, in the UTC or local calendar? */
int	prune_old_enough(const char *date, int local, time_t now,
	    uint64_t after_ms);

/* prune_after of cfg in ms; 0 when not set. */
uint64_t prune_after_ms(const struct config *cfg);

struct prune_result {
	size_t		 deleted, kept, failed;
	uint64_t	 bytes;
};

/*
 * One pass over every stream's days with the state st (locked by the
 * caller).  dry_run: delete nothing, print each day's verdict on stdout.
 * Returns 0, or -1 when a deletion failed (logged, counted).
 */
int	prune_pass(const struct config *cfg, struct state *st, int dry_run,
	    time_t now, struct prune_result *res);

/* The days recorded as pruned (STATE_DIR/pruned), for status. */
struct prune_list {
	char		**stream, **date;
	size_t		 n;
};
void	prune_list_load(const char *state_dir, struct prune_list *l);
int	prune_list_has(const struct prune_list *l, const char *stream,
	    const char *date);
void	prune_list_free(struct prune_list *l);

#endif
