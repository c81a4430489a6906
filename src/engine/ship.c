/*
 * ship.c - the engine (see ship.h).  Implements SPEC §3.1 (at-least-once,
 * offsets committed only after an acknowledgement), §3.3 (shrunk or
 * replaced files), §3.5 (retries) for every destination alike.
 *
 * Record destinations get batches copied out of the reader into one
 * bounded buffer; object destinations get a byte range that is written to
 * the state file *before* the upload starts, so a crash is followed by an
 * upload of exactly the same range under the same key.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backoff.h"
#include "crypto.h"
#include "log.h"
#include "reader.h"
#include "sealer.h"
#include "ship.h"
#include "fsutil.h"
#include "source.h"

/* run: after a destination gave up, its next try (with a fresh budget). */
#define SHIP_RUN_COOLDOWN_MS		30000
#define SHIP_PROG_EVERY_MS		250	/* progress line updates */
#define SHIP_RUN_SAVE_MS		60000	/* run: fold the journal */

/* Per-destination run context. */
struct ship_ctx {
	struct engine	*en;
	const struct ship_opts *o;
	size_t		 di;
	struct dest	*d;
	struct backoff	*bo;		/* en->bo[di] */
	struct state_rec *rec;		/* only valid until the next state_get */
	const char	*dest_name;
	const char	*stream_dir;
	const char	*file_name;
	const struct day_file *df;
	struct dest_file file;
	int		 stopped;
	int		 deferred;	/* stopped to retry at not_before[di] */
	int		 reader_hash;	/* ship_records hashes as it reads:
					 * commits only note the lag */
	/* --dry-run totals for this destination */
	uint64_t	 dry_bytes, dry_lines, dry_objects, dry_days, dry_held;
};

int64_t
engine_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The engine's clock: engine_now_ms(), or the one a test injected. */
static int64_t
ship_now(const struct engine *en)
{
	return en->clock_ms != NULL ? en->clock_ms(en->clock_ctx) :
	    engine_now_ms();
}

static uint32_t
ship_random(const struct engine *en)
{
	uint32_t r;

	if (en->random != NULL)
		return en->random(en->clock_ctx);
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r = (uint32_t)engine_now_ms() * 2654435761u;
	return r;
}

/* Sleep ms, waking early when a stop was asked for.  1 when stopped. */
static int
ship_sleep(struct engine *en, const struct ship_opts *o, int64_t ms)
{
	int64_t end;

	if (en->sleep_ms != NULL)
		return en->sleep_ms(en->clock_ctx, ms);
	end = engine_now_ms() + ms;
	struct timespec ts;

	while (!(o->stop && *o->stop)) {
		int64_t left = end - engine_now_ms();

		if (left <= 0)
			return 0;
		if (left > 100)
			left = 100;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)left * 1000000;
		nanosleep(&ts, NULL);
	}
	return 1;
}

static int
ship_stopping(const struct ship_opts *o)
{
	return (o->stop != NULL && *o->stop) || (o->yield != NULL && *o->yield);
}

/*
 * The progress line, for the destination being shipped to (they take
 * turns): its bytes acknowledged of its own total, the rate over the last
 * few seconds, the ETA from that rate.  Called after every acknowledgement;
 * draws at most every SHIP_PROG_EVERY_MS.
 */
static void
ship_progress(struct engine *en, const struct ship_opts *o, int final)
{
	struct ship_prog *p = &en->prog;
	int64_t now = engine_now_ms();
	size_t di = p->cur;
	unsigned head, old;
	double rate = 0, eta, span;
	uint64_t left;
	char etas[32], who[LIM_CONF_VALUE + 48];

	if (!o->progress || di >= en->ndests)
		return;
	if (!final && p->ring_n > 0 && now - p->last_ms < SHIP_PROG_EVERY_MS)
		return;
	p->last_ms = now;
	head = p->ring_n % SHIP_PROG_RING;
	p->ring_ms[head] = now;
	p->ring_done[head] = p->done[di];
	p->ring_n++;
	if (p->total[di] == 0) {
		if (final)
			log_progress_end();
		return;
	}
	old = p->ring_n > SHIP_PROG_RING ? p->ring_n % SHIP_PROG_RING : 0;
	span = (double)(now - p->ring_ms[old]) / 1000.0;
	if (span > 0 && p->done[di] >= p->ring_done[old])
		rate = (double)(p->done[di] - p->ring_done[old]) / span;
	left = p->total[di] > p->done[di] ? p->total[di] - p->done[di] : 0;
	if (left == 0)
		snprintf(etas, sizeof(etas), "done");
	else if (rate > 0 && (eta = (double)left / rate) < 360000)
		snprintf(etas, sizeof(etas), "ETA %d:%02d", (int)eta / 60,
		    (int)eta % 60);
	else
		snprintf(etas, sizeof(etas), "ETA -");
	if (en->ndests > 1)
		snprintf(who, sizeof(who), "dest %s (%zu of %zu): ",
		    en->dests[di].name, di + 1, en->ndests);
	else
		who[0] = '\0';
	log_progress("auditship: %sshipped %.1f of %.1f MiB, %.1f MiB/s, %s", who,
	    (double)p->done[di] / 1048576.0, (double)p->total[di] / 1048576.0,
	    rate / 1048576.0, etas);
	if (final)
		log_progress_end();
}

/* The progress line now follows destination di (its rate starts over). */
static void
ship_progress_switch(struct engine *en, const struct ship_opts *o, size_t di)
{
	if (!o->progress || en->prog.cur == di)
		return;
	if (en->prog.cur < en->ndests)
		ship_progress(en, o, 1);	/* the last one's final figure */
	en->prog.cur = di;
	en->prog.ring_n = 0;
}

static struct state_rec *
ctx_rec(struct ship_ctx *c)
{
	/* Records move when others are inserted: look up again each time. */
	return state_get(&c->en->st, c->dest_name, c->stream_dir, c->file_name, 1);
}

/* Make the current file's record (and the destination's) durable now. */
static int
ship_save(struct ship_ctx *c, struct err *e)
{
	struct state_rec *r = ctx_rec(c);
	struct state_dest *d = state_dest_get(&c->en->st, c->dest_name, 1);

	if (r == NULL || d == NULL)
		return err_sys(e, "malloc");
	return state_commit(&c->en->st, r, d, e);
}

static void
ship_fail(struct ship_ctx *c, const char *why)
{
	struct state_dest *sd = state_dest_get(&c->en->st, c->dest_name, 1);

	log_dest(LOG_LVL_ERROR, c->dest_name, "%s", why);
	if (sd != NULL)
		state_set_error(sd, why, (int64_t)time(NULL));
	c->en->failed[c->di] = 1;
	c->en->dirty = 1;
	c->stopped = 1;
}

/*
 * A day file this run cannot read (mode 0000 in another user's directory,
 * an I/O error, a corrupt .gz): reported, counted in the destination's
 * errors and last error (`status`), the run exits 1, and the next day and
 * the next stream go on (issue 17 #4).  Never a reset: the offset stays.
 */
static void
ship_unreadable(struct ship_ctx *c, const char *what)
{
	struct state_dest *sd = state_dest_get(&c->en->st, c->dest_name, 1);
	char msg[LIM_PATH + LIM_ERR_MSG + 64];

	snprintf(msg, sizeof(msg), "%s: %s; skipped, the other days go on",
	    c->df->path, what);
	log_dest(LOG_LVL_ERROR, c->dest_name, "%s", msg);
	if (sd != NULL)
		state_set_error(sd, msg, (int64_t)time(NULL));
	c->en->failed[c->di] = 1;
	c->en->dirty = 1;
}

/* Can the day file be opened for reading now?  (Never blocks.) */
static int
ship_readable(struct ship_ctx *c)
{
	struct err e = { 0, "" };
	int fd = fs_open_regular(c->df->path, O_RDONLY, 0, "day file", &e);

	if (fd == -1) {
		ship_unreadable(c, e.msg);
		return -1;
	}
	close(fd);
	return 0;
}

/* Move the committed offset to off after an acknowledgement. */
static int
ship_commit(struct ship_ctx *c, uint64_t off, uint64_t lines, struct err *e)
{
	struct state_rec *r = ctx_rec(c);
	struct state_dest *sd = state_dest_get(&c->en->st, c->dest_name, 1);
	int64_t now = (int64_t)time(NULL);

	if (r == NULL || sd == NULL)
		return err_sys(e, "malloc");
	/* Object uploads hashed what they read; records hash at commit
	 * (or take the state another destination computed this run). */
	if (c->d->ops->kind == DEST_RECORDS && off > r->off) {
		if (c->reader_hash)
			r->sh_lag += off - r->off;
		else if (sealer_hash_to(c->en, r, c->df, off, e) == -1)
			return -1;
	}
	if (off > r->off) {
		r->bytes += off - r->off;
		c->en->prog.done[c->di] += off - r->off;
	}
	r->off = off;
	r->lines += lines;
	r->last_ok = now;
	sd->last_ok = now;
	r->fp[0] = '\0';
	if (!c->df->gz && reader_fingerprint(c->df->path, 0, off, r->fp, e) == -1)
		return -1;
	if (ship_save(c, e) == -1)
		return -1;
	ship_progress(c->en, c->o, 0);
	return 0;
}

static void
ship_add_counts(struct ship_ctx *c)
{
	struct state_rec *r = ctx_rec(c);
	struct dest_counts *k = &c->d->counts;

	if (r != NULL) {
		r->invalid += k->invalid_json;
		r->oversize += k->oversize;
		r->truncated += k->truncated;
		r->rejected += k->rejected;
	}
	memset(k, 0, sizeof(*k));
}

/*
 * After a transient failure: never wait here (SPEC 2.3: a destination that
 * is retrying never delays the others).  Either give up, or note when the
 * next attempt is due in not_before[] and stop this destination's pass;
 * engine_run (ship) or the run loop comes back to it then.  Returns 0:
 * the caller stops; what was acknowledged is committed, and an object's
 * range stays recorded for the retry.
 */
static int
ship_backoff(struct ship_ctx *c, const struct err *e)
{
	int64_t wait = backoff_next(c->bo, ship_random(c->en),
	    c->d->retry_after_ms);
	char why[LIM_ERR_MSG + 64];

	c->d->retry_after_ms = 0;
	if (wait < 0) {
		snprintf(why, sizeof(why), "giving up after %u retries: %s",
		    c->bo->attempt, e->msg[0] ? e->msg : "transient failure");
		ship_fail(c, why);
		if (c->o->follow) {
			/* run: try again later with a fresh budget. */
			c->en->not_before[c->di] = ship_now(c->en) + SHIP_RUN_COOLDOWN_MS;
			backoff_init(c->bo, c->bo->retry_max, c->bo->budget_ms);
		}
		return 0;
	}
	log_dest(LOG_LVL_WARN, c->dest_name, "%s; retrying in %" PRId64 " ms",
	    e->msg[0] ? e->msg : "transient failure", wait);
	c->en->not_before[c->di] = ship_now(c->en) + (wait > 0 ? wait : 1);
	c->deferred = 1;
	c->stopped = 1;
	return 0;
}

/* --- object destinations ------------------------------------------- */

struct obj_read {
	struct reader	 r;
	const struct day_file *df;
	uint64_t	 start, end;
	int		 open;
	uint64_t	 lines;
	struct ship_ctx	*c;
	/* SPEC §3.3, §7: the file's shipped-bytes hash before the range
	 * (day0), extended as this pass reads (day), and the range's own.
	 * No day pass when the range starts the file (day is obj) or the
	 * run's cache has the state at its end (day_known). */
	struct crypto_sha *day0, *day, *obj;
	int		 day_is_obj, day_known;
	int		 obj_known;	/* day_is_obj, and the cache has it */
	uint64_t	 acked;	/* parts acknowledged: progress only */
};

static ssize_t
obj_read_cb(void *ctx, void *p, size_t cap, struct err *e)
{
	struct obj_read *or = ctx;
	ssize_t n;
	const char *q, *end;

	if (!or->open) {
		if (reader_open(&or->r, or->df->path, or->df->gz, or->start,
		    or->end, 0, e) == -1) {
			reader_close(&or->r);
			return -1;
		}
		or->open = 1;
		or->lines = 0;
		crypto_sha_copy(or->day, or->day0);
		crypto_sha_free(or->obj);
		if ((or->obj = crypto_sha_resume("")) == NULL)
			return err_sys(e, "malloc");
	}
	n = reader_read_raw(&or->r, p, cap, e);
	if (n > 0) {
		if (!or->day_is_obj && !or->day_known)
			crypto_sha_update(or->day, p, (size_t)n);
		if (!or->obj_known)
			crypto_sha_update(or->obj, p, (size_t)n);
		for (q = p, end = q + n; (q = memchr(q, '\n', (size_t)(end - q))) != NULL; q++)
			or->lines++;
	}
	return n;
}

static int
obj_rewind_cb(void *ctx, struct err *e)
{
	struct obj_read *or = ctx;

	(void)e;
	if (or->open)
		reader_close(&or->r);
	or->open = 0;
	return 0;
}

static int
obj_note_cb(void *ctx, const char *note, struct err *e)
{
	struct obj_read *or = ctx;
	struct state_rec *r = ctx_rec(or->c);

	if (r == NULL || state_set_note(r, note) == -1)
		return err_sys(e, "malloc");
	return ship_save(or->c, e);
}

/* dest_object.acked: a part of the upload is stored.  The progress line
 * counts it at once; the offset waits for the whole object (SPEC §3.1). */
static void
obj_acked_cb(void *ctx, uint64_t n)
{
	struct obj_read *or = ctx;
	struct engine *en = or->c->en;

	if (n > or->end - or->start - or->acked)
		n = or->end - or->start - or->acked;
	or->acked += n;
	en->prog.done[or->c->di] += n;
	en->prog.last_ms = 0;	/* parts are few and big: draw each one */
	ship_progress(en, or->c->o, 0);
}

static int
ship_object(struct ship_ctx *c, uint64_t start, uint64_t end, int whole_day)
{
	struct obj_read or;
	struct dest_object obj;
	struct dest_stored stored;
	struct state_rec *r;
	struct err e = { 0, "" };
	enum dest_rc rc;
	int result = 0;
	char sh0[STATE_SHA_STATE], known[STATE_SHA_STATE];

	memset(&or, 0, sizeof(or));
	or.df = c->df;
	or.start = start;
	or.end = end;
	or.c = c;
	r = ctx_rec(c);
	if (sealer_hash_sync(c->en, r, c->df, &e) == -1) {
		ship_fail(c, e.msg);
		return -1;
	}
	if ((or.day0 = crypto_sha_resume(r->sh)) == NULL ||
	    (or.day = crypto_sha_resume("")) == NULL) {
		crypto_sha_free(or.day0);
		ship_fail(c, "bad shipped-bytes hash in the state (or out of memory)");
		return -1;
	}
	memcpy(sh0, r->sh, sizeof(sh0));
	or.day_is_obj = start == 0 && sh0[0] == '\0';
	or.day_known = sealer_hash_known(c->en, c->df, start, sh0, end, known);
	/* From byte 0 the object's bytes are the day's: its hash too. */
	or.obj_known = or.day_is_obj && or.day_known;
	/* SPEC §3.1: record the range before the upload starts. */
	r = ctx_rec(c);
	if (!r->pending || r->pend_start != start || r->pend_end != end) {
		r->pending = 1;
		r->pend_start = start;
		r->pend_end = end;
		state_set_note(r, NULL);
		if (ship_save(c, &e) == -1) {
			ship_fail(c, e.msg);
			return -1;
		}
	}
	for (;;) {
		r = ctx_rec(c);
		memset(&obj, 0, sizeof(obj));
		obj.file = &c->file;
		obj.start = start;
		obj.end = end;
		obj.whole_day = whole_day;
		obj.generation = (unsigned)r->resets;
		obj.read = obj_read_cb;
		obj.rewind = obj_rewind_cb;
		obj.ctx = &or;
		obj.note = r->note ? r->note : "";
		obj.note_save = obj_note_cb;
		memset(&stored, 0, sizeof(stored));
		obj.stored = &stored;
		if (c->o->progress)
			obj.acked = obj_acked_cb;
		err_clear(&e);
		memset(&c->d->counts, 0, sizeof(c->d->counts));
		rc = c->d->ops->put(c->d, &obj, &e);
		/* The parts were shown, not committed: ship_commit counts the
		 * range; a retry reports the parts again. */
		c->en->prog.done[c->di] -= or.acked;
		or.acked = 0;
		ship_add_counts(c);
		obj_rewind_cb(&or, NULL);
		if (rc == DEST_OK) {
			uint8_t md[CRYPTO_SHA256_LEN] = { 0 };
			char hex[65];

			r = ctx_rec(c);
			r->pending = 0;
			state_set_note(r, NULL);
			backoff_success(c->bo);
			if (or.day_known)
				memcpy(r->sh, known, sizeof(r->sh));
			else {
				crypto_sha_save(or.day_is_obj && or.obj != NULL ?
				    or.obj : or.day, r->sh);
				sealer_hash_note(c->en, c->df, start, sh0, end, r->sh,
				    !or.day_is_obj);
			}
			if (or.obj_known) {
				struct crypto_sha *k = crypto_sha_resume(known);

				if (k != NULL)
					crypto_sha_peek(k, md);
				crypto_sha_free(k);
			} else
				crypto_sha_peek(or.obj != NULL ? or.obj : or.day0, md);
			crypto_hex(md, sizeof(md), hex);
			if (sealer_enabled(c->en, c->di) && sealer_ledger_add(c->en,
			    c->dest_name, c->stream_dir, c->file_name,
			    (unsigned)r->resets, start, end, hex, &stored, &e) == -1) {
				ship_fail(c, e.msg);
				result = -1;
				break;
			}
			if (ship_commit(c, end, or.lines, &e) == -1) {
				ship_fail(c, e.msg);
				result = -1;
			}
			break;
		}
		if (rc == DEST_RETRY || rc == DEST_SPLIT) {
			if (ship_stopping(c->o) || !ship_backoff(c, &e)) {
				result = -1;
				break;
			}
			continue;
		}
		ship_fail(c, e.msg[0] ? e.msg : "destination refused the object");
		result = -1;
		break;
	}
	crypto_sha_free(or.day0);
	crypto_sha_free(or.day);
	crypto_sha_free(or.obj);
	return result;
}

/* --- record destinations ------------------------------------------- */

struct batch {
	struct buf	 data;		/* line bytes, back to back */
	struct dest_line *lines;
	uint64_t	*next;		/* offset after each line */
	size_t		*at;		/* each line's position in data */
	size_t		 n, cap;
};

static void
batch_free(struct batch *b)
{
	buf_free(&b->data);
	free(b->lines);
	free(b->next);
	free(b->at);
}

/*
 * Send b's lines in order until all are acknowledged or the destination
 * fails.  Returns 0 when all went, -1 when the destination stopped.
 */
static int
ship_send(struct ship_ctx *c, struct batch *b)
{
	struct dest_batch db;
	struct err e;
	size_t done = 0, limit, nacked, i;
	enum dest_rc rc;

	/* Slices point into data, which may have moved while it grew. */
	for (i = 0; i < b->n; i++)
		b->lines[i].p = b->data.p + b->at[i];
	limit = b->n;
	while (done < b->n) {
		if (ship_stopping(c->o))
			return -1;
		db.file = &c->file;
		db.lines = b->lines + done;
		db.nlines = b->n - done < limit ? b->n - done : limit;
		nacked = 0;
		err_clear(&e);
		memset(&c->d->counts, 0, sizeof(c->d->counts));
		rc = c->d->ops->send(c->d, &db, &nacked, &e);
		ship_add_counts(c);
		if (nacked > db.nlines)
			nacked = db.nlines;
		if (nacked > 0) {
			done += nacked;
			backoff_success(c->bo);
			if (ship_commit(c, b->next[done - 1], nacked, &e) == -1) {
				ship_fail(c, e.msg);
				return -1;
			}
		}
		switch (rc) {
		case DEST_OK:
			if (nacked == 0) {
				ship_fail(c, "destination acknowledged nothing");
				return -1;
			}
			limit = b->n;
			break;
		case DEST_SPLIT:
			if (db.nlines - nacked <= 1) {
				/* One event the destination will never take. */
				struct state_rec *r = ctx_rec(c);

				log_dest(LOG_LVL_WARN, c->dest_name, "%s offset %" PRIu64
				    ": event rejected as too large (%zu bytes); counted, "
				    "not sent", c->file_name, b->lines[done].offset,
				    b->lines[done].len);
				if (r != NULL)
					r->oversize++;
				done++;
				if (ship_commit(c, b->next[done - 1], 0, &e) == -1) {
					ship_fail(c, e.msg);
					return -1;
				}
				break;
			}
			limit = (db.nlines - nacked + 1) / 2;
			break;
		case DEST_RETRY:
			if (!ship_backoff(c, &e))
				return -1;
			break;
		case DEST_STOP:
			ship_fail(c, e.msg[0] ? e.msg : "destination stopped");
			return -1;
		}
	}
	return 0;
}

static int
batch_push(struct batch *b, const struct reader_line *ln)
{
	if (b->n == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 256;
		struct dest_line *nl = realloc(b->lines, ncap * sizeof(*nl));
		uint64_t *nn;
		size_t *na;

		if (nl == NULL)
			return -1;
		b->lines = nl;
		if ((nn = realloc(b->next, ncap * sizeof(*nn))) == NULL)
			return -1;
		b->next = nn;
		if ((na = realloc(b->at, ncap * sizeof(*na))) == NULL)
			return -1;
		b->at = na;
		b->cap = ncap;
	}
	b->at[b->n] = b->data.len;
	if (buf_add(&b->data, ln->p, ln->len) == -1)
		return -1;
	b->lines[b->n].p = NULL;
	b->lines[b->n].len = ln->len;
	b->lines[b->n].offset = ln->offset;
	b->lines[b->n].flags = (ln->flags & READER_FRAGMENT) ? DEST_LINE_FRAGMENT : 0;
	b->next[b->n] = ln->next;
	b->n++;
	return 0;
}

static void
ship_sha_tap(void *ctx, const void *p, size_t n)
{
	crypto_sha_update(ctx, p, n);
}

/*
 * The shipped-bytes hash of a run of records, once (SPEC §3.3, §7): taken
 * from the run's cache when another destination hashed [start, end)
 * already (commits then take it, sealer_hash_to), else computed by the
 * reader as it reads (*rh; commits only note the lag, and
 * ship_records_hashed() sets the state when every byte was committed).
 */
static int
ship_records_hash(struct ship_ctx *c, struct reader *rd, uint64_t start,
    uint64_t end, struct crypto_sha **rh, char sh0[STATE_SHA_STATE],
    struct err *e)
{
	struct state_rec *r = ctx_rec(c);
	char known[STATE_SHA_STATE];

	*rh = NULL;
	c->reader_hash = 0;
	if (r == NULL)
		return err_sys(e, "malloc");
	if (sealer_hash_sync(c->en, r, c->df, e) == -1)
		return -1;
	memcpy(sh0, r->sh, STATE_SHA_STATE);
	if (r->off != start || sealer_hash_known(c->en, c->df, start, sh0, end,
	    known))
		return 0;
	if ((*rh = crypto_sha_resume(sh0)) == NULL)
		return err_set(e, "%s: bad shipped-bytes hash in the state",
		    c->df->path);
	rd->tap = ship_sha_tap;
	rd->tap_ctx = *rh;
	c->reader_hash = 1;
	return 0;
}

static void
ship_records_hashed(struct ship_ctx *c, const struct reader *rd,
    struct crypto_sha *rh, uint64_t start, const char *sh0, uint64_t end)
{
	struct state_rec *r;

	c->reader_hash = 0;
	if (rh == NULL)
		return;
	/* Every byte read and committed: the reader's state is the one;
	 * else ship_day's sealer_hash_sync() hashes what was committed. */
	if ((r = ctx_rec(c)) != NULL && rd->fed == end && r->off == end &&
	    r->sh_lag == end - start) {
		crypto_sha_save(rh, r->sh);
		r->sh_lag = 0;
		sealer_hash_note(c->en, c->df, start, sh0, end, r->sh, 1);
	}
	crypto_sha_free(rh);
}

static int
ship_records(struct ship_ctx *c, uint64_t start, uint64_t end)
{
	struct reader rd;
	struct crypto_sha *rh = NULL;
	char sh0[STATE_SHA_STATE];
	struct reader_line ln;
	struct batch b;
	struct err e = { 0, "" };
	size_t max_lines = c->d->max_batch_lines ? c->d->max_batch_lines : 1000;
	size_t max_bytes = c->d->max_batch_bytes ? c->d->max_batch_bytes : (1u << 20);
	int rc, result = 0;

	memset(&b, 0, sizeof(b));
	buf_init(&b.data, max_bytes + LIM_LINE_MAX);
	if (max_lines > LIM_BATCH_LINES)
		max_lines = LIM_BATCH_LINES;
	memset(&ln, 0, sizeof(ln));
	if (reader_open(&rd, c->df->path, c->df->gz, start, end, LIM_LINE_MAX, &e) == -1 ||
	    ship_records_hash(c, &rd, start, end, &rh, sh0, &e) == -1) {
		ship_fail(c, e.msg);
		reader_close(&rd);
		batch_free(&b);
		return -1;
	}
	for (;;) {
		rc = reader_next(&rd, &ln, &e);
		if (rc == -1) {
			ship_fail(c, e.msg);
			result = -1;
			break;
		}
		if (rc == 1 && (ln.flags & READER_OVERSIZE)) {
			/* Beyond what any destination here carries: keep
			 * order, flush what came before, count it, move on. */
			if (b.n > 0 && ship_send(c, &b) == -1) {
				result = -1;
				break;
			}
			b.n = 0;
			buf_reset(&b.data);
			log_dest(LOG_LVL_WARN, c->dest_name, "%s offset %" PRIu64
			    ": line of %zu bytes is over the %u byte limit; counted, "
			    "not sent", c->file_name, ln.offset, ln.len, LIM_LINE_MAX);
			ctx_rec(c)->oversize++;
			if (ship_commit(c, ln.next, 0, &e) == -1) {
				ship_fail(c, e.msg);
				result = -1;
				break;
			}
			continue;
		}
		if (rc == 1 && b.n > 0 && (b.n >= max_lines ||
		    b.data.len + ln.len > max_bytes)) {
			if (ship_send(c, &b) == -1) {
				result = -1;
				break;
			}
			b.n = 0;
			buf_reset(&b.data);
		}
		if (rc == 0) {
			if (b.n > 0 && ship_send(c, &b) == -1)
				result = -1;
			break;
		}
		if (batch_push(&b, &ln) == -1) {
			ship_fail(c, "out of memory building a batch");
			result = -1;
			break;
		}
	}
	ship_records_hashed(c, &rd, rh, start, sh0, end);
	reader_close(&rd);
	batch_free(&b);
	return result;
}

/* --- per file ----------------------------------------------------- */

/* Uncompressed size of a day file, using the state's cache for .gz. */
static int
ship_file_size(struct ship_ctx *c, struct state_rec *r, uint64_t *size,
    struct err *e)
{
	const struct day_file *df = c->df;

	if (!df->gz) {
		*size = (uint64_t)df->st.st_size;
		return 0;
	}
	if (r->gz && r->ino == (uint64_t)df->st.st_ino &&
	    r->gz_csize == (uint64_t)df->st.st_size &&
	    r->gz_mtime == (int64_t)df->st.st_mtime && r->size > 0) {
		*size = r->size;
		return 0;
	}
	return reader_gz_size(df->path, size, e);
}

/*
 * SPEC §3.3: a file that shrank, or whose bytes before the offset are no
 * longer the ones shipped, is a red flag: report, count, ship from 0.
 * A new inode with the same bytes (compressed by logrotate, copied back)
 * is the same day and keeps its offset.
 */
/* Ship r's file again from byte 0: nothing shipped, nothing pending. */
static void
engine_rewind(struct engine *en, struct state_rec *r)
{
	r->off = 0;
	r->fp[0] = '\0';
	r->sh[0] = '\0';
	r->sh_lag = 0;
	r->pending = 0;
	state_set_note(r, NULL);
	en->dirty = 1;
}

void
engine_reset_file(struct engine *en, struct state_rec *r, const char *dest,
    const char *path, const char *why)
{
	log_dest(LOG_LVL_WARN, dest, "%s %s: audit trail changed under "
	    "us after %" PRIu64 " bytes were shipped; shipping it again from 0",
	    path, why, r->off);
	r->resets++;
	engine_rewind(en, r);
}

static int
ship_check_identity(struct ship_ctx *c, struct state_rec *r, uint64_t size,
    int closed)
{
	const struct day_file *df = c->df;
	char fp[65];
	struct err e = { 0, "" };
	const char *why = NULL;
	int same_id = r->dev == (uint64_t)df->st.st_dev &&
	    r->ino == (uint64_t)df->st.st_ino && r->gz == df->gz;

	int64_t ctime_ns = (int64_t)df->st.st_ctim.tv_sec * 1000000000 +
	    df->st.st_ctim.tv_nsec;

	if (r->off == 0 && !r->pending)
		return 0;
	/* Untouched since we last looked (same inode, size and ctime, which
	 * every write changes and no user can set back): the bytes before
	 * the offset are the ones we fingerprinted.  This keeps a no-op run
	 * over a year of files to a stat per file. */
	if (same_id && size == r->size && ctime_ns == r->ctime_ns &&
	    r->off <= size)
		return 0;
	if (size < r->off)
		why = "shrank";
	else if (same_id && df->gz)
		return 0;	/* an unchanged .gz */
	else if (r->fp[0] != '\0' || !same_id) {
		if (reader_fingerprint(df->path, df->gz, r->off, fp, &e) == -1) {
			ship_unreadable(c, e.msg);
			return -1;	/* unreadable is not changed: no reset */
		}
		else if (r->fp[0] != '\0' && strcmp(fp, r->fp) != 0)
			why = same_id ? "was rewritten" : "was replaced (new inode)";
		else if (r->fp[0] == '\0' && !same_id && r->off > 0)
			why = "was replaced (new inode)";
	}
	/* The ends match.  A change of the same size, a new inode or any
	 * change to a closed day is checked against the hash of everything
	 * shipped (SPEC §3.3); an open day that only grew is checked before
	 * it is sealed (sealer.c). */
	if (why == NULL && r->off > 0 && (size == r->size || !same_id || closed)) {
		int same = sealer_hash_sync(c->en, r, df, &e) == -1 ? -1 :
		    sealer_shipped_same(c->en, r, df, &e);

		if (same == 0)
			why = same_id ? "was rewritten (bytes already shipped changed)" :
			    "was replaced (new inode) with other bytes";
		else if (same == -1) {
			ship_unreadable(c, e.msg[0] ? e.msg : "cannot be read back");
			return -1;
		}
	}
	if (why == NULL)
		return 0;
	{
		char path[LIM_PATH + 256];

		snprintf(path, sizeof(path), "%s/%s", c->stream_dir, c->file_name);
		engine_reset_file(c->en, r, c->dest_name, path, why);
	}
	return 1;
}

/* --- --dry-run ------------------------------------------------------ */

/* Non-empty lines in [start, end) of a day file (a final fragment
 * counts): what a record destination would send as events. */
static int
ship_count_lines(const struct day_file *df, uint64_t start, uint64_t end,
    uint64_t *lines, struct err *e)
{
	struct reader rd;
	char b[65536];
	ssize_t n, i;
	int content = 0;

	*lines = 0;
	if (reader_open(&rd, df->path, df->gz, start, end, 0, e) == -1) {
		reader_close(&rd);
		return -1;
	}
	while ((n = reader_read_raw(&rd, b, sizeof(b), e)) > 0) {
		for (i = 0; i < n; i++) {
			if (b[i] == '\n') {
				*lines += content;
				content = 0;
			} else if (b[i] != '\r')
				content = 1;
		}
	}
	reader_close(&rd);
	if (n < 0)
		return -1;
	*lines += content;
	return 0;
}

/* What a dry run reports for one day file of one destination. */
struct ship_dry {
	uint64_t	 start, end;	/* the range that would go */
	uint64_t	 size;		/* the file's (uncompressed) size */
	int		 closed;	/* the day is over and settled */
	int		 objects;	/* an object destination */
	int		 daily;		/* upload = daily */
	int		 pending;	/* the range of an unfinished upload */
};

/* "s" unless n is 1. */
static const char *
ship_plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static void
ship_dry_hold(struct ship_ctx *c, uint64_t from, uint64_t to, const char *why)
{
	printf("dry-run: dest %s: hold %s/%s bytes %" PRIu64 "-%" PRIu64 ": %"
	    PRIu64 " byte%s: %s\n", c->dest_name, c->stream_dir, c->file_name,
	    from, to, to - from, ship_plural(to - from), why);
	c->dry_held += to - from;
}

/*
 * SPEC 1 `ship --dry-run` (format in README "Dry run"): one "send" line
 * per range that would go, one "hold" line per range held back and why.
 */
static void
ship_dry_report(struct ship_ctx *c, const char *today, const struct ship_dry *d)
{
	uint64_t lines = 0;
	struct err e = { 0, "" };
	char why[128];

	if (d->objects && d->daily && !d->closed && !d->pending) {
		if (strcmp(c->df->date, today) >= 0)
			snprintf(why, sizeof(why), "upload = daily, the day is not over");
		else
			snprintf(why, sizeof(why), "upload = daily, the day waits to "
			    "settle (%" PRIu64 " s after its last write)",
			    c->en->cfg->settle_ms / 1000);
		if (d->size > d->start)
			ship_dry_hold(c, d->start, d->size, why);
		return;
	}
	if (d->end > d->start) {
		if (ship_count_lines(c->df, d->start, d->end, &lines, &e) == -1)
			log_dest(LOG_LVL_WARN, c->dest_name, "%s: %s", c->df->path, e.msg);
		printf("dry-run: dest %s: send %s/%s bytes %" PRIu64 "-%" PRIu64
		    ": %" PRIu64 " byte%s, %" PRIu64 " line%s%s%s\n", c->dest_name,
		    c->stream_dir, c->file_name, d->start, d->end,
		    d->end - d->start, ship_plural(d->end - d->start), lines,
		    ship_plural(lines),
		    !d->objects ? "" : d->daily ? ", 1 daily object" : ", 1 chunk object",
		    d->pending ? " (again: an upload an earlier run did not finish)" : "");
		c->dry_bytes += d->end - d->start;
		c->dry_lines += lines;
		c->dry_objects += d->objects;
		c->dry_days++;
	}
	if (!d->closed && d->size > d->end && !d->pending)
		ship_dry_hold(c, d->end, d->size, "a fragment waiting for its newline");
}

/* The destination's summary line; first what its last run left behind. */
static void
ship_dry_total(struct ship_ctx *c)
{
	const struct state_dest *sd = state_dest_get(&c->en->st, c->dest_name, 0);

	if (sd != NULL && sd->last_err != NULL && sd->last_err_at >= sd->last_ok) {
		char when[32];
		time_t t = (time_t)sd->last_err_at;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		printf("dry-run: dest %s: note: its last run failed at %s: %s\n",
		    c->dest_name, when, sd->last_err);
	}
	printf("dry-run: dest %s: total: send %" PRIu64 " byte%s, %" PRIu64
	    " line%s, %" PRIu64 " object%s from %" PRIu64 " file%s; hold %"
	    PRIu64 " byte%s\n", c->dest_name,
	    c->dry_bytes, ship_plural(c->dry_bytes),
	    c->dry_lines, ship_plural(c->dry_lines),
	    c->dry_objects, ship_plural(c->dry_objects),
	    c->dry_days, ship_plural(c->dry_days),
	    c->dry_held, ship_plural(c->dry_held));
}

static int
ship_day(struct ship_ctx *c, const char *today, const struct ship_opts *o,
    time_t now)
{
	struct ship_dry dry;
	const struct day_file *df = c->df;
	struct state_rec *r = ctx_rec(c);
	struct err e = { 0, "" };
	uint64_t size, end, start;
	int64_t ctime_ns;
	int closed, daily, was_pending, rc;

	if (r == NULL) {
		ship_fail(c, "out of memory");
		return -1;
	}
	if (ship_file_size(c, r, &size, &e) == -1) {
		ship_unreadable(c, e.msg);
		return -1;
	}
	closed = df->gz || source_day_closed(df->date, today, 0, df->st.st_mtime,
	    now, c->en->cfg->settle_ms);
	if (ship_check_identity(c, r, size, closed) == -1)
		return -1;
	ctime_ns = (int64_t)df->st.st_ctim.tv_sec * 1000000000 + df->st.st_ctim.tv_nsec;
	if (r->dev != (uint64_t)df->st.st_dev || r->ino != (uint64_t)df->st.st_ino ||
	    r->gz != df->gz || r->size != size || r->mtime != (int64_t)df->st.st_mtime ||
	    r->ctime_ns != ctime_ns) {
		r->ctime_ns = ctime_ns;
		r->dev = (uint64_t)df->st.st_dev;
		r->ino = (uint64_t)df->st.st_ino;
		r->gz = df->gz;
		r->size = size;
		r->mtime = (int64_t)df->st.st_mtime;
		r->gz_csize = df->gz ? (uint64_t)df->st.st_size : 0;
		r->gz_mtime = df->gz ? (int64_t)df->st.st_mtime : 0;
		c->en->dirty_meta = 1;
	}
	/* A dry run resets only its copy in memory: it never saves state. */
	if (o->from_start && (r->off != 0 || r->pending))
		engine_rewind(c->en, r);
	c->file.closed = closed;
	if (closed)
		end = size;
	else if (size == r->off)
		end = size;
	else if (reader_last_newline(df->path, size, &end, &e) == -1) {
		log_dest(LOG_LVL_ERROR, c->dest_name, "%s", e.msg);
		c->en->failed[c->di] = 1;
		return -1;
	}
	start = r->off;
	memset(&dry, 0, sizeof(dry));
	dry.size = size;
	dry.closed = closed;
	if (c->d->ops->kind == DEST_OBJECTS) {
		daily = c->d->daily;
		if (r->pending) {
			/* A crashed or failed upload: exactly that range again. */
			if (r->pend_end > size || r->pend_start != r->off) {
				r->pending = 0;
			} else {
				start = r->pend_start;
				end = r->pend_end;
			}
		}
		dry.objects = 1;
		dry.daily = daily;
		dry.pending = r->pending;
		dry.start = start;
		dry.end = end;
		if (!r->pending) {
			if (daily && !closed) {
				/* one object per closed day */
				if (o->dry_run)
					ship_dry_report(c, today, &dry);
				return 0;
			}
			if (end <= start) {
				if (o->dry_run)
					ship_dry_report(c, today, &dry);
				return 0;
			}
			if (o->follow && !daily && !closed) {
				uint64_t min_chunk = c->d->min_chunk;
				uint64_t every = c->d->flush_interval_ms;
				int64_t since = ship_now(c->en) - c->en->last_flush[c->di];

				/* Flushes by the clock are the full pass's (run
				 * times them); a targeted pass ships min_chunk. */
				if (o->only != NULL && (min_chunk == 0 ||
				    end - start < min_chunk))
					return 0;
				if (end - start < min_chunk && since < (int64_t)every)
					return 0;
				if (since < (int64_t)every && min_chunk == 0)
					return 0;
			}
		}
		if (o->dry_run) {
			ship_dry_report(c, today, &dry);
			if (!r->pending)
				return 0;
			/* Then what follows it, as a real run would (in memory). */
			r->off = r->pend_end;
			r->pending = 0;
			return ship_day(c, today, o, now);
		}
		if (ship_readable(c) == -1)
			return -1;
		was_pending = r->pending;
		if (ship_object(c, start, end, daily && start == 0 && closed) == -1)
			return -1;
		/* That was a crashed run's range: the rest goes now. */
		if (was_pending && !ship_stopping(o) && !c->stopped)
			return ship_day(c, today, o, now);
		return 0;
	}
	dry.start = start;
	dry.end = end;
	if (o->dry_run) {
		ship_dry_report(c, today, &dry);
		return 0;
	}
	if (end <= start)
		return 0;
	if (ship_readable(c) == -1)
		return -1;
	rc = ship_records(c, start, end);
	/* The hash another destination computed ahead: take it now. */
	if ((r = ctx_rec(c)) != NULL && sealer_hash_sync(c->en, r, df, &e) == -1) {
		ship_fail(c, e.msg);
		return -1;
	}
	return rc;
}

static void
ship_total(struct engine *en, size_t di, const struct stream *s,
    const struct day_file *df)
{
	struct state_rec *r = state_get(&en->st, en->dests[di].name, s->dir,
	    df->name, 0);
	uint64_t size = (uint64_t)df->st.st_size, off = r ? r->off : 0;

	if (df->gz)
		size = r && r->size ? r->size : size * 8;
	if (size > off)
		en->prog.total[di] += size - off;
}

/* SPEC 3.5: retry_max attempts within retry_max_time per run (the
 * destination's open() set them; dest_init() the defaults). */
static void
ship_retry_policy(const struct dest *d, struct backoff *bo)
{
	backoff_init(bo, d->retry_max, d->retry_max_time_ms);
}

/*
 * dest->reread (dest.h): the lines [first, last] of a day again, from the
 * plain file when it is still there, else from NAME.gz, the same day
 * compressed since (SPEC §3.3; offsets are of the uncompressed bytes).
 */
static int
ship_reread(struct dest *d, const char *stream_dir, const char *name,
    uint64_t first, uint64_t last, dest_line_fn each, void *arg,
    struct err *e)
{
	struct reader rd;
	struct reader_line ln;
	struct dest_line dl;
	char path[LIM_PATH];
	int n, gz = 0, rc;

	(void)d;
	n = snprintf(path, sizeof(path), "%s/%s", stream_dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return err_set(e, "%s/%s: path too long", stream_dir, name);
	if (access(path, F_OK) != 0) {
		n = snprintf(path, sizeof(path), "%s/%s.gz", stream_dir, name);
		if (n < 0 || (size_t)n >= sizeof(path) ||
		    access(path, F_OK) != 0)
			return err_sys(e, "open %s/%s", stream_dir, name);
		gz = 1;
	}
	memset(&ln, 0, sizeof(ln));
	if (reader_open(&rd, path, gz, first, UINT64_MAX, LIM_LINE_MAX,
	    e) == -1) {
		reader_close(&rd);
		return -1;
	}
	while ((rc = reader_next(&rd, &ln, e)) == 1 && ln.offset <= last) {
		if (!(ln.flags & READER_OVERSIZE)) {
			dl.p = ln.p;
			dl.len = ln.len;
			dl.offset = ln.offset;
			dl.flags = (ln.flags & READER_FRAGMENT) ?
			    DEST_LINE_FRAGMENT : 0;
			if (each(arg, &dl, e) == -1) {
				rc = -1;
				break;
			}
		}
		if (ln.offset >= last)
			break;
	}
	reader_close(&rd);
	return rc == -1 ? -1 : 0;
}

/* One stream's days as a pass sees them: listed once per pass and shared
 * by every destination (a listing per destination cost days x
 * destinations stats). */
struct ship_listing {
	struct day_file	*days;
	size_t		 nd;
	int		 rc;		/* -1: could not be listed (msg) */
	char		 msg[LIM_ERR_MSG];
};

/* Every day of every stream to destination di, oldest first, until all is
 * shipped (0), it must retry later (1) or it failed (-1).  A targeted
 * pass (o->only) ships what it was given and seals nothing. */
static int
ship_dest_pass(struct engine *en, const struct ship_opts *o, size_t di,
    const struct stream *streams, size_t ns, const struct ship_listing *ls)
{
	const struct day_file *days;
	size_t nd, si, dj;
	char today[11];
	time_t now = time(NULL);
	struct ship_ctx c;

	source_today(now, en->cfg->day_local, today);
	memset(&c, 0, sizeof(c));
	c.en = en;
	c.o = o;
	c.di = di;
	c.d = &en->dests[di];
	c.dest_name = c.d->name;
	c.bo = &en->bo[di];
	ship_progress_switch(en, o, di);
	ship_progress(en, o, 0);
	if (!o->dry_run)
		sealer_recover(en, di);
	for (si = 0; si < ns && !c.stopped && !ship_stopping(o); si++) {
		if (ls[si].rc == -1) {
			log_dest(LOG_LVL_ERROR, c.dest_name, "%s", ls[si].msg);
			en->failed[di] = 1;
			continue;
		}
		days = ls[si].days;
		nd = ls[si].nd;
		for (dj = 0; dj < nd && !c.stopped && !ship_stopping(o); dj++) {
			if (o->day != NULL && strcmp(days[dj].date, o->day) != 0)
				continue;
			c.stream_dir = streams[si].dir;
			c.file_name = days[dj].name;
			c.df = &days[dj];
			c.file.host = en->cfg->hostname;
			c.file.user = streams[si].user;
			c.file.stream_dir = streams[si].dir;
			c.file.name = days[dj].name;
			c.file.date = days[dj].date;
			ship_day(&c, today, o, now);
			ship_progress(en, o, 0);
		}
		if (!o->dry_run && o->only == NULL && !c.stopped && !ship_stopping(o))
			sealer_stream(en, di, &streams[si], days, nd, today, now);
	}
	if (o->dry_run)
		ship_dry_total(&c);
	if (c.deferred)
		return 1;
	if (o->follow && o->only == NULL && !en->failed[di] &&
	    en->dests[di].ops->kind == DEST_OBJECTS &&
	    ship_now(en) - en->last_flush[di] >=
	    (int64_t)en->dests[di].flush_interval_ms)
		en->last_flush[di] = ship_now(en);
	return en->failed[di] ? -1 : 0;
}

static void
ship_listings_free(struct ship_listing *ls, size_t ns)
{
	size_t si;

	for (si = 0; ls != NULL && si < ns; si++)
		source_days_free(ls[si].days, ls[si].nd);
	free(ls);
}

/*
 * The days of every stream for one round of destinations: each
 * directory listed once (a full pass), or, in a targeted pass, only the
 * entries named for that stream and its today file (no listing).  NULL
 * when out of memory.
 */
static struct ship_listing *
ship_listings(struct engine *en, const struct ship_opts *o,
    const struct stream *streams, size_t ns)
{
	struct ship_listing *ls = calloc(ns ? ns : 1, sizeof(*ls));
	const char **names = NULL;
	char today[11], tname[256];
	struct err e = { 0, "" };
	size_t si, k, nn;

	if (ls == NULL)
		return NULL;
	if (o->only != NULL && (names = calloc(o->nonly + 1, sizeof(*names))) == NULL) {
		free(ls);
		return NULL;
	}
	source_today(time(NULL), en->cfg->day_local, today);
	if (source_name_for(en->cfg->pattern, today, tname, sizeof(tname)) == -1)
		tname[0] = '\0';
	for (si = 0; si < ns; si++) {
		if (o->only == NULL)
			ls[si].rc = source_days(en->cfg, &streams[si], &ls[si].days,
			    &ls[si].nd, &e);
		else {
			nn = 0;
			for (k = 0; k < o->nonly; k++)
				if (strcmp(o->only[k].dir, streams[si].dir) == 0)
					names[nn++] = o->only[k].name;
			if (tname[0] != '\0')
				names[nn++] = tname;
			ls[si].rc = source_days_named(en->cfg, &streams[si], names,
			    nn, &ls[si].days, &ls[si].nd, &e);
		}
		if (ls[si].rc == -1) {
			snprintf(ls[si].msg, sizeof(ls[si].msg), "%s", e.msg);
			err_clear(&e);
		}
	}
	free(names);
	return ls;
}

int64_t
engine_next_attempt_ms(const struct engine *en)
{
	int64_t best = 0;
	size_t di;

	for (di = 0; di < en->ndests; di++)
		if (en->not_before[di] > 0 && (best == 0 || en->not_before[di] < best))
			best = en->not_before[di];
	return best;
}

int
engine_run(struct engine *en, const struct ship_opts *o)
{
	struct stream *streams = NULL;
	struct ship_listing *ls = NULL;
	size_t ns = 0, si, dj, di, left;
	struct err e = { 0, "" };
	int done[LIM_DESTS];
	int any_failed = 0;
	int64_t now, next;

	for (di = 0; di < en->ndests; di++) {
		en->failed[di] = 0;
		done[di] = 0;
		/* ship: one budget per run.  run: a budget per outage, kept
		 * while a destination is retrying. */
		if (!o->follow || en->bo[di].attempt == 0)
			ship_retry_policy(&en->dests[di], &en->bo[di]);
		if (!o->follow)
			en->not_before[di] = 0;
	}
	if (o->only != NULL) {
		/* Targeted: the streams the last full pass found. */
		streams = en->streams;
		ns = en->nstreams;
	} else if (source_streams(en->cfg, &streams, &ns, &e) == -1) {
		/* Lines we cannot see may be stranded: fail the run, but
		 * still ship every stream that can be read. */
		log_error("%s", e.msg);
		err_clear(&e);
		any_failed = 1;
	} else if (ns == 0 && strpbrk(en->cfg->source_dir, "*?[") == NULL &&
	    !o->follow) {
		/* A typo in a literal dir would otherwise ship nothing, quietly,
		 * forever.  (An empty glob is normal: no users yet.) */
		struct stat sb;

		if (stat(en->cfg->source_dir, &sb) == -1 && errno == ELOOP)
			log_warn("[source] dir %s is a symlink loop: nothing to ship",
			    en->cfg->source_dir);
		else
			log_warn("[source] dir %s does not exist: nothing to ship",
			    en->cfg->source_dir);
	}
	if (o->only == NULL) {
		source_streams_free(en->streams, en->nstreams);
		en->streams = streams;
		en->nstreams = ns;
	}
	if ((ls = ship_listings(en, o, streams, ns)) == NULL) {
		log_error("out of memory");
		return 1;
	}
	if (o->progress) {
		memset(&en->prog, 0, sizeof(en->prog));
		en->prog.cur = SIZE_MAX;
		for (si = 0; si < ns; si++)
			for (dj = 0; dj < ls[si].nd; dj++)
				if (o->day == NULL || strcmp(ls[si].days[dj].date, o->day) == 0)
					for (di = 0; di < en->ndests; di++)
						ship_total(en, di, &streams[si], &ls[si].days[dj]);
	}
	/* Each destination in turn; one that must retry is passed over
	 * until its time comes, so it never delays the others (SPEC 2.3). */
	for (;;) {
		left = 0;
		for (di = 0; di < en->ndests && !ship_stopping(o); di++) {
			if (done[di])
				continue;
			if (en->not_before[di] > ship_now(en)) {
				left++;
				continue;
			}
			en->not_before[di] = 0;
			if (ship_dest_pass(en, o, di, streams, ns, ls) == 1)
				left++;
			else
				done[di] = 1;
		}
		if (o->follow || left == 0 || ship_stopping(o))
			break;
		/* ship: wait for the earliest retry (a signal cuts it short). */
		next = engine_next_attempt_ms(en);
		now = ship_now(en);
		if (next > now && ship_sleep(en, o, next - now))
			break;
		/* The retry sees the files as they are now. */
		ship_listings_free(ls, ns);
		if ((ls = ship_listings(en, o, streams, ns)) == NULL) {
			log_error("out of memory");
			return 1;
		}
	}
	ship_listings_free(ls, ns);
	for (di = 0; di < en->ndests; di++)
		if (en->failed[di] || (!done[di] && !ship_stopping(o)))
			any_failed = 1;
	ship_progress(en, o, 1);
	/*
	 * Fold the run's journal into a fresh snapshot.  run keeps every
	 * commit durable in the journal and rewrites the snapshot (every
	 * record: the bulk of a pass's CPU over a year of days) only when
	 * something besides the files' cached metadata changed, or on a
	 * full pass at most every SHIP_RUN_SAVE_MS, or at exit.
	 */
	if (!o->dry_run && (!o->follow || en->dirty || (o->only == NULL &&
	    ship_now(en) - en->last_save >= SHIP_RUN_SAVE_MS)) &&
	    engine_save(en) == -1)
		any_failed = 1;
	if (o->dry_run)
		en->dirty = en->dirty_meta = 0;	/* never saved */
	return any_failed ? 1 : 0;
}

int
engine_save(struct engine *en)
{
	struct err e = { 0, "" };
	int rc = 0;

	if ((en->dirty || en->dirty_meta || en->st.jlines > 0) &&
	    state_save(&en->st, &e) == -1) {
		log_error("%s", e.msg);
		rc = -1;
	}
	en->dirty = en->dirty_meta = 0;
	en->last_save = ship_now(en);
	return rc;
}

static int
ship_open(struct engine *en, const struct config *cfg, char *const *only,
    size_t nonly, int lock, const struct dest_ops *force, int *config_err,
    struct err *e)
{
	size_t i, j, n = config_dest_count(cfg);
	int rc;

	memset(en, 0, sizeof(*en));
	en->st.lock_fd = -1;
	en->cfg = cfg;
	*config_err = 0;
	for (j = 0; j < nonly; j++) {
		for (i = 0; i < n; i++)
			if (strcmp(config_dest(cfg, i)->dest_name, only[j]) == 0)
				break;
		if (i == n) {
			*config_err = 1;
			return err_set(e, "--dest %s: no [destination %s] in %s",
			    only[j], only[j], cfg->path);
		}
	}
	for (i = 0; i < n && en->ndests < LIM_DESTS; i++) {
		const struct conf_section *s = config_dest(cfg, i);
		struct dest *d = &en->dests[en->ndests];

		if (nonly > 0) {
			for (j = 0; j < nonly; j++)
				if (strcmp(s->dest_name, only[j]) == 0)
					break;
			if (j == nonly)
				continue;
		}
		dest_init(d, force != NULL ? force : dest_find(s->type), s, cfg);
		if (d->ops == NULL) {
			*config_err = 1;
			return err_set(e, "[destination %s] unknown type %s", s->dest_name, s->type);
		}
		d->reread = ship_reread;
		d->reread_ctx = en;
		en->ndests++;
		if (d->ops->open(d, e) == -1) {
			*config_err = 1;
			return -1;
		}
	}
	rc = state_open(&en->st, cfg->state_dir, lock, e);
	return rc;
}

int
engine_open(struct engine *en, const struct config *cfg, char *const *only,
    size_t nonly, int lock, int *config_err, struct err *e)
{
	return ship_open(en, cfg, only, nonly, lock, NULL, config_err, e);
}

int
engine_open_ops(struct engine *en, const struct config *cfg,
    const struct dest_ops *ops, int *config_err, struct err *e)
{
	return ship_open(en, cfg, NULL, 0, 1, ops, config_err, e);
}

void
engine_close(struct engine *en)
{
	size_t i;

	for (i = 0; i < en->ndests; i++)
		if (en->dests[i].ops != NULL && en->dests[i].ops->close != NULL)
			en->dests[i].ops->close(&en->dests[i]);
	en->ndests = 0;
	crypto_ed25519_free(en->seal_key);
	en->seal_key = NULL;
	sealer_cache_free(en);
	source_streams_free(en->streams, en->nstreams);
	en->streams = NULL;
	en->nstreams = 0;
	state_close(&en->st);
}
