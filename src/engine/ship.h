/*
 * ship.h - the engine: read -> batch -> dest->send/put -> commit offset.
 *
 * It owns the retry policy (backoff.h), the offsets (state.h) and the
 * order of work: per destination, per stream, per day, oldest first, so a
 * destination that is down never holds back another (SPEC §2.3).
 */
#ifndef AUDITSHIP_SHIP_H
#define AUDITSHIP_SHIP_H

#include <signal.h>
#include <stdint.h>

#include "backoff.h"
#include "config.h"
#include "dest.h"
#include "source.h"
#include "state.h"

struct crypto_sign_key;
struct sealer_cache;

struct ship_opts {
	const char	*day;		/* --day YYYY-MM-DD, or NULL */
	int		 from_start;	/* --from-start */
	int		 dry_run;	/* --dry-run: print, ship nothing */
	int		 follow;	/* run mode: chunk cadence applies */
	int		 progress;	/* progress line on stderr */
	volatile sig_atomic_t *stop;	/* set by SIGTERM/SIGINT */
	volatile sig_atomic_t *yield;	/* run: end the pass soon (SIGHUP) */
	/* run: a targeted pass over only these day files (names as inotify
	 * gave them, NAME or NAME.gz) and each stream's today file, among
	 * the streams the last full pass found; no directory listing, no
	 * sealing (the periodic full pass does both).  NULL: a full pass. */
	const struct ship_target *only;
	size_t		 nonly;
};

struct ship_target {
	const char	*dir;		/* the stream directory */
	const char	*name;		/* the entry inotify named */
};

#define SHIP_PROG_RING	16	/* progress samples: 4 s at 250 ms */

/* The progress line (SPEC 1): bytes acknowledged per destination, of
 * that destination's own total (never a sum over destinations). */
struct ship_prog {
	uint64_t	 total[LIM_DESTS], done[LIM_DESTS];
	size_t		 cur;		/* the destination being shipped to */
	int64_t		 last_ms;
	/* Recent samples for the rate: ring of (time, done[cur]). */
	int64_t		 ring_ms[SHIP_PROG_RING];
	uint64_t	 ring_done[SHIP_PROG_RING];	/* done[cur] */
	unsigned	 ring_n;
};

struct engine {
	const struct config *cfg;
	struct state	 st;
	struct dest	 dests[LIM_DESTS];
	int		 failed[LIM_DESTS];	/* stopped for this run */
	int64_t		 last_flush[LIM_DESTS];	/* run mode chunk cadence */
	/* Retrying: a destination in backoff is not tried before
	 * not_before[] (monotonic ms; 0: not waiting), and nothing else
	 * waits for it (SPEC 2.3).  In run mode the backoff lasts across
	 * passes. */
	struct backoff	 bo[LIM_DESTS];
	int64_t		 not_before[LIM_DESTS];
	size_t		 ndests;
	int		 dirty;			/* state changed, not saved */
	/* Only the files' cached metadata (size, mtime, ctime) changed: run
	 * saves that lazily (a crash costs a re-check, nothing else). */
	int		 dirty_meta;
	int64_t		 last_save;		/* run: last snapshot (ms) */
	/* The streams the last full pass found (run's targeted passes and
	 * its inotify watches use them). */
	struct stream	*streams;
	size_t		 nstreams;
	struct ship_prog prog;
	/* seals (sealer.c): the signing key, loaded on first need */
	struct crypto_sign_key *seal_key;
	int		 seal_key_bad;	/* failed to load: seal nothing */
	struct sealer_cache *hc;	/* the run's shipped-bytes hashes */
	/* The engine's clock, sleep and randomness (backoff jitter).  NULL:
	 * the real ones; a test sets fakes after engine_open().  sleep_ms
	 * returns 1 when it was cut short by a stop. */
	int64_t		(*clock_ms)(void *ctx);
	int		(*sleep_ms)(void *ctx, int64_t ms);
	uint32_t	(*random)(void *ctx);
	void		*clock_ctx;
};

/*
 * Open the destinations (all, or those named in only[]) and the state
 * (with the lock).  Returns 0, -1 (e set; a config problem when
 * *config_err is set), or STATE_LOCKED.
 */
int	engine_open(struct engine *en, const struct config *cfg,
	    char *const *only, size_t nonly, int lock, int *config_err,
	    struct err *e);
/*
 * One pass over every stream, day and destination.  A destination that
 * must retry is given a time for its next attempt and the others go on.
 * In `ship` (not o->follow) the pass then waits for the earliest such
 * time and tries that destination again, until each one has shipped
 * everything eligible or given up; in run mode it returns and the caller
 * asks engine_next_attempt_ms() when to call again.  Returns 0 when every
 * destination shipped everything eligible, 1 when one failed (or, in run
 * mode, is still retrying).
 */
int	engine_run(struct engine *en, const struct ship_opts *o);
/* The earliest time (engine_now_ms() clock) a retrying destination wants
 * its next attempt, or 0 when none is waiting. */
int64_t	engine_next_attempt_ms(const struct engine *en);
/* Write the state snapshot now if anything is unsaved (run, at exit and
 * before a reload).  0, or -1 (logged). */
int	engine_save(struct engine *en);
void	engine_close(struct engine *en);
/* engine_open() with every destination's ops replaced by ops, so that a
 * test drives the engine with an in-memory destination. */
int	engine_open_ops(struct engine *en, const struct config *cfg,
	    const struct dest_ops *ops, int *config_err, struct err *e);

/* SPEC §3.3: the file under r changed (why): report, count a reset and
 * ship it again from 0; what was shipped stays as evidence. */
void	engine_reset_file(struct engine *en, struct state_rec *r,
	    const char *dest, const char *path, const char *why);

/* Milliseconds on the monotonic clock. */
int64_t	engine_now_ms(void);

#endif
