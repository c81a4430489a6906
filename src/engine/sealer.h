/*
 * sealer.h - the engine's side of seals (SPEC §7) and of the shipped-bytes
 * hash (SPEC §3.3).
 *
 * - Every state record carries the resumable SHA-256 of the bytes of its
 *   file shipped so far (state_rec.sh); object uploads extend it as they
 *   read, record destinations when they commit, both through a per-run
 *   cache so that a file's bytes are hashed once per run, not once per
 *   destination.
 * - Every object an object destination acknowledges is appended to a
 *   per-day ledger (STATE_DIR/seals/ID.objects: generation, range, hashes,
 *   key) before the offset moves, so the seal can list the day's objects.
 * - Once a day is closed and every byte of it acknowledged at a
 *   destination that seals, sealer_stream() makes the seal: statement,
 *   Ed25519 signature, the key next to the day's objects.  Its bytes are
 *   journaled (STATE_DIR/seals/ID.pending) before the upload, so a crash at
 *   any moment is followed by an upload of exactly the same bytes; the
 *   state moves (seal_seq, chain head) only after the acknowledgement.
 */
#ifndef AUDITSHIP_SEALER_H
#define AUDITSHIP_SEALER_H

#include <stdint.h>
#include <time.h>

#include "dest.h"
#include "err.h"
#include "ship.h"
#include "source.h"
#include "state.h"

/* 1 when destination di seals (seal = true and its type can). */
int	sealer_enabled(const struct engine *en, size_t di);

/*
 * The shipped-bytes hash, once per file per run (sealer.c explains the
 * cache).  sealer_hash_to: r->sh, the state of [0, r->off - r->sh_lag),
 * becomes that of [0, to) (record destinations, at commit), from the run's
 * cache when another destination got there, else by hashing the bytes;
 * or stays behind (r->sh_lag) while another destination's hashing in this
 * run is ahead, to be taken from the cache at the end of the day.
 * sealer_hash_known: 1 and out = the state of [0, end) when the cache
 * has it on the chain of (start, sh_start) (object uploads then hash only
 * their own bytes).  sealer_hash_note: an upload computed sh_end for
 * [0, end) from (start, sh_start).  sealer_cache_free: at engine_close.
 */
int	sealer_hash_to(struct engine *en, struct state_rec *r,
	    const struct day_file *df, uint64_t to, struct err *e);
int	sealer_hash_known(struct engine *en, const struct day_file *df,
	    uint64_t start, const char *sh_start, uint64_t end,
	    char out[STATE_SHA_STATE]);
void	sealer_hash_note(struct engine *en, const struct day_file *df,
	    uint64_t start, const char *sh_start, uint64_t end,
	    const char *sh_end, int hashed);
/* r->sh_lag back to 0: the state of [0, r->off), from the cache or by
 * hashing.  Before any use of r->sh. */
int	sealer_hash_sync(struct engine *en, struct state_rec *r,
	    const struct day_file *df, struct err *e);
void	sealer_cache_free(struct engine *en);

/* 1 when the bytes [0, r->off) of df still hash to r->sh, 0 when they
 * changed, -1 when the file cannot be read.  Once per file per run: a
 * state this run computed from the file as it is, or already checked,
 * is not hashed again. */
int	sealer_shipped_same(struct engine *en, const struct state_rec *r,
	    const struct day_file *df, struct err *e);

/* Record an acknowledged object of a day (before the commit). */
int	sealer_ledger_add(struct engine *en, const char *dest,
	    const char *stream, const char *name, unsigned generation,
	    uint64_t start, uint64_t end, const char *sha256,
	    const struct dest_stored *stored, struct err *e);

/* Upload a seal a crashed run journaled for destination di, with the same
 * bytes.  0 done or none, -1 failed (logged). */
int	sealer_recover(struct engine *en, size_t di);

/*
 * Seal what is due for one stream at destination di: days closed and
 * acknowledged whole, in date order from the chain's last day, empty days
 * included, then further seals of days that changed after their seal.
 * 0, or -1 when the destination failed (logged; en->failed set).
 */
int	sealer_stream(struct engine *en, size_t di, const struct stream *s,
	    const struct day_file *days, size_t nd, const char *today,
	    time_t now);

/*
 * For prune (SPEC §2.1): 1 when the day (stream, name) is sealed at the
 * destination of section cs as the state stands: its last seal covers
 * every byte acknowledged there and the file's current generation.  A
 * type that cannot seal (dest_ops_seal) or seal = false
 * counts as sealed: there is nothing to wait for.
 */
int	sealer_day_sealed(struct state *st, const struct conf_section *cs,
	    const char *stream, const char *name);

/*
 * Metrics (SPEC §4): at destination cs, the days sealed as they stand (every
 * day of each stream's chain whose seal is not outdated) and the days before
 * today (by day_boundary) acknowledged whole but not sealed.  Both 0 for a
 * destination that does not seal.
 */
void	sealer_counts(const struct config *cfg, struct state *st,
	    const struct conf_section *cs, time_t now, uint64_t *sealed,
	    uint64_t *unsealed);

#endif
