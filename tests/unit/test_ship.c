/*
 * test_ship.c - the engine (ship.c) driven directly by an in-memory
 * destination (SPEC §3.1, §3.5): no server, a fake clock and sleep.
 *
 * The test destination is a struct dest_ops of this file, forced onto
 * every [destination] of a small configuration with engine_open_ops().
 * Its send() follows a script of answers and, on every call, looks at the
 * state: the committed offset must be exactly where the acknowledged
 * lines end (commit after acknowledgement, never before).  Its put()
 * keeps objects by range in memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "dest.h"
#include "ship.h"
#include "state.h"
#include "test.h"

#define NLINES		10
#define DAY_NAME	"2026-01-01.jsonl"
#define MAX_CALLS	64
#define MAX_OBJS	16

/* One scripted answer of send()/put(): rc, and for send() how many of
 * the lines handed over are acknowledged (-1: all). */
struct answer {
	enum dest_rc	 rc;
	int		 ack;
	uint64_t	 retry_after_ms;
};

struct tdest {
	const char	*name;
	const struct answer *script;
	size_t		 nscript;	/* after it: DEST_OK, all */
	size_t		 calls;
	size_t		 call_nlines[MAX_CALLS];
	uint64_t	 call_first[MAX_CALLS];
	int64_t		 call_at[MAX_CALLS];	/* the fake clock then */
	int		 got[NLINES];	/* times each line was acknowledged */
	int		 early_commits;	/* committed beyond what was acked */
	/* objects */
	uint64_t	 obj_start[MAX_OBJS], obj_end[MAX_OBJS];
	size_t		 nobjs;
	int		 stop_after_put; /* "crash": store, then stop */
	/* multi-part uploads: put() acks parts of the range through
	 * o->acked, checking the progress figure and the offset after each */
	unsigned	 parts;		/* 0: none */
	unsigned	 fail_after;	/* this many parts, then DEST_RETRY */
	int		 no_hook;	/* put() saw o->acked == NULL */
	int		 prog_moved, prog_wrong, offset_moved;
	uint64_t	 prog_max;	/* highest progress figure seen */
};

static struct {
	struct engine	 en;
	struct config	 cfg;
	char		 root[128];
	char		 dir[160];
	uint64_t	 line_off[NLINES + 1];	/* offset of each line, end */
	struct tdest	 t[2];
	int64_t		 clock;
	int64_t		 slept[MAX_CALLS];
	size_t		 nsleeps;
	volatile sig_atomic_t stop;
} g;

static struct tdest *
tdest_of(const struct dest *d)
{
	return strcmp(d->name, g.t[0].name) == 0 ? &g.t[0] : &g.t[1];
}

/* Line index of a file offset. */
static int
line_at(uint64_t off)
{
	int i;

	for (i = 0; i < NLINES; i++)
		if (g.line_off[i] == off)
			return i;
	return -1;
}

/* The state's committed offset for d's day file. */
static uint64_t
committed(const char *dest)
{
	struct state_rec *r = state_get(&g.en.st, dest, g.dir, DAY_NAME, 0);

	return r != NULL ? r->off : 0;
}

static int
t_open(struct dest *d, struct err *e)
{
	(void)e;
	d->max_batch_lines = NLINES;
	d->max_batch_bytes = 1 << 20;
	/* Tests set retry_max via the plain field, as open() would. */
	d->retry_max = 3;
	d->retry_max_time_ms = 60000;
	return 0;
}

static const struct answer *
t_next(struct tdest *t)
{
	static const struct answer ok = { DEST_OK, -1, 0 };

	return t->calls < t->nscript ? &t->script[t->calls] : &ok;
}

static enum dest_rc
t_send(struct dest *d, const struct dest_batch *b, size_t *nacked,
    struct err *e)
{
	struct tdest *t = tdest_of(d);
	const struct answer *a = t_next(t);
	size_t i, n;

	/* Commit after acknowledgement: nothing of this batch is committed
	 * yet, and everything before it is. */
	if (committed(d->name) != b->lines[0].offset)
		t->early_commits++;
	if (t->calls < MAX_CALLS) {
		t->call_nlines[t->calls] = b->nlines;
		t->call_first[t->calls] = b->lines[0].offset;
		t->call_at[t->calls] = g.clock;
	}
	t->calls++;
	n = a->ack < 0 || (size_t)a->ack > b->nlines ? b->nlines :
	    (size_t)a->ack;
	if (a->rc == DEST_SPLIT && a->ack < 0)
		n = 0;
	if (a->rc == DEST_STOP || a->rc == DEST_RETRY)
		n = a->ack < 0 ? 0 : n;
	for (i = 0; i < n; i++)
		if (line_at(b->lines[i].offset) >= 0)
			t->got[line_at(b->lines[i].offset)]++;
	*nacked = n;
	d->retry_after_ms = a->retry_after_ms;
	if (a->rc != DEST_OK)
		err_set(e, "scripted %d", (int)a->rc);
	return a->rc;
}

static enum dest_rc
t_put(struct dest *d, const struct dest_object *o, struct err *e)
{
	struct tdest *t = tdest_of(d);
	const struct answer *a = t_next(t);
	char buf[4096];
	ssize_t n;
	size_t i;

	t->calls++;
	while ((n = o->read(o->ctx, buf, sizeof(buf), e)) > 0)
		;
	if (n < 0)
		return DEST_RETRY;
	if (t->parts > 0 && o->acked == NULL)
		t->no_hook = 1;
	if (t->parts > 0 && o->acked != NULL) {
		uint64_t *done = &g.en.prog.done[d == &g.en.dests[0] ? 0 : 1];
		uint64_t len = o->end - o->start, per = len / t->parts, was;
		uint64_t off0 = committed(d->name);
		unsigned k;

		for (k = 0; k < t->parts; k++) {
			if (t->fail_after > 0 && k == t->fail_after) {
				t->fail_after = 0;
				return err_set(e, "part %u failed", k), DEST_RETRY;
			}
			was = *done;
			/* the last part also claims more than is left */
			o->acked(o->ctx, k + 1 < t->parts ? per : len);
			if (*done > was)
				t->prog_moved++;
			if (*done != was + (k + 1 < t->parts ? per :
			    len - per * (t->parts - 1)))
				t->prog_wrong++;
			if (*done > t->prog_max)
				t->prog_max = *done;
			if (committed(d->name) != off0)
				t->offset_moved++;
		}
	}
	if (a->rc != DEST_OK)
		return err_set(e, "scripted %d", (int)a->rc), a->rc;
	/* The same range again replaces its object (same key). */
	for (i = 0; i < t->nobjs; i++)
		if (t->obj_start[i] == o->start && t->obj_end[i] == o->end)
			break;
	if (i == t->nobjs && t->nobjs < MAX_OBJS) {
		t->obj_start[i] = o->start;
		t->obj_end[i] = o->end;
		t->nobjs++;
	}
	if (t->stop_after_put) {
		/* Stored, but the process dies before it can commit. */
		t->stop_after_put = 0;
		g.stop = 1;
		return err_set(e, "killed"), DEST_RETRY;
	}
	return DEST_OK;
}

static void
t_close(struct dest *d)
{
	(void)d;
}

static const struct dest_ops t_records = {
	.type = "test", .kind = DEST_RECORDS,
	.open = t_open, .send = t_send, .close = t_close,
};
static const struct dest_ops t_objects = {
	.type = "test", .kind = DEST_OBJECTS,
	.open = t_open, .put = t_put, .close = t_close,
};

/* The fake clock: sleeping moves it and is recorded. */
static int64_t
f_clock(void *ctx)
{
	(void)ctx;
	return g.clock;
}

static int
f_sleep(void *ctx, int64_t ms)
{
	(void)ctx;
	if (g.nsleeps < MAX_CALLS)
		g.slept[g.nsleeps++] = ms;
	g.clock += ms;
	return 0;
}

static uint32_t
f_random(void *ctx)
{
	(void)ctx;
	return 0xffffffffu;	/* the top of every jitter range */
}

static void
write_day(void)
{
	char path[256], line[64];
	uint64_t off = 0;
	int fd, i, n;

	snprintf(path, sizeof(path), "%s/%s", g.dir, DAY_NAME);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	for (i = 0; i < NLINES; i++) {
		n = snprintf(line, sizeof(line), "{\"n\":%d,\"pad\":\"%0*d\"}\n",
		    i, i + 1, 0);
		g.line_off[i] = off;
		if (write(fd, line, (size_t)n) != n)
			perror("write");
		off += (uint64_t)n;
	}
	g.line_off[NLINES] = off;
	close(fd);
}

/* A fresh state dir and config with destinations a and b; the day file
 * is kept. */
static void
setup(int ndest)
{
	char text[1024];
	struct config_env env;
	struct err e = { 0, "" };
	int n;

	memset(&env, 0, sizeof(env));
	env.home = g.root;
	env.hostname = "h";
	n = snprintf(text, sizeof(text),
	    "[auditship]\nstate_dir = %s/state\nhostname = h\n"
	    "[source]\ndir = %s\n"
	    "[destination a]\ntype = dir\npath = %s/arch\n%s",
	    g.root, g.dir, g.root, ndest > 1 ?
	    "[destination b]\ntype = dir\npath = /nonexistent\n" : "");
	if (config_parse(&g.cfg, "t.ini", text, (size_t)n, &env, &e) == -1)
		fprintf(stderr, "config: %s\n", e.msg);
}

static void
reset_state(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf %s/state", g.root);
	if (system(cmd) != 0)
		perror("rm");
}

/* Open the engine with ops; 0 or -1. */
static int
open_engine(const struct dest_ops *ops)
{
	struct err e = { 0, "" };
	int cerr;

	if (engine_open_ops(&g.en, &g.cfg, ops, &cerr, &e) != 0) {
		fprintf(stderr, "engine_open: %s\n", e.msg);
		return -1;
	}
	g.en.clock_ms = f_clock;
	g.en.sleep_ms = f_sleep;
	g.en.random = f_random;
	return 0;
}

static int
run_once(void)
{
	struct ship_opts o;

	memset(&o, 0, sizeof(o));
	o.stop = &g.stop;
	return engine_run(&g.en, &o);
}

static void
start(int ndest, const struct answer *a, size_t na, const struct answer *b,
    size_t nb)
{
	memset(g.t, 0, sizeof(g.t));
	g.t[0].name = "a";
	g.t[1].name = "b";
	g.t[0].script = a;
	g.t[0].nscript = na;
	g.t[1].script = b;
	g.t[1].nscript = nb;
	g.nsleeps = 0;
	g.clock = 1000000;
	g.stop = 0;
	reset_state();
	setup(ndest);
}

static void
finish(void)
{
	engine_close(&g.en);
	config_free(&g.cfg);
}

static int
all_once(const struct tdest *t)
{
	int i;

	for (i = 0; i < NLINES; i++)
		if (t->got[i] != 1)
			return 0;
	return 1;
}

/* Everything acknowledged at once: one call, committed to the end. */
static void
test_commit_after_ack(void)
{
	start(1, NULL, 0, NULL, 0);
	T_CHECK(open_engine(&t_records) == 0, "open");
	T_CHECK(run_once() == 0, "run ok");
	T_CHECK(g.t[0].calls == 1, "one send");
	T_CHECK(g.t[0].early_commits == 0, "nothing committed before its ack");
	T_CHECK(all_once(&g.t[0]), "every line once");
	T_CHECK(committed("a") == g.line_off[NLINES], "committed to the end");
	finish();
	/* The commit is durable: a fresh engine sees it and sends nothing. */
	setup(1);
	T_CHECK(open_engine(&t_records) == 0, "reopen");
	T_CHECK(committed("a") == g.line_off[NLINES], "reloaded offset");
	g.t[0].calls = 0;
	T_CHECK(run_once() == 0 && g.t[0].calls == 0, "second run is a no-op");
	finish();
}

/* 3 of 10 acknowledged, then the rest: commit moves to line 3 exactly,
 * the next send starts there. */
static void
test_partial_ack(void)
{
	static const struct answer s[] = { { DEST_OK, 3, 0 } };

	start(1, s, 1, NULL, 0);
	T_CHECK(open_engine(&t_records) == 0, "open");
	T_CHECK(run_once() == 0, "run ok");
	T_CHECK(g.t[0].calls == 2, "two sends");
	T_CHECK(g.t[0].call_first[1] == g.line_off[3], "resent from line 3");
	T_CHECK(g.t[0].call_nlines[1] == NLINES - 3, "the 7 others");
	T_CHECK(g.t[0].early_commits == 0, "commit after ack (partial)");
	T_CHECK(all_once(&g.t[0]), "every line once");
	finish();
}

/* Retry with backoff on the fake clock, Retry-After honoured; then the
 * give-up after retry_max. */
static void
test_retry_backoff(void)
{
	static const struct answer s[] = {
		{ DEST_RETRY, 2, 0 }, { DEST_RETRY, -1, 0 },
		{ DEST_RETRY, -1, 7000 },
	};
	static const struct answer down[] = {
		{ DEST_RETRY, -1, 0 }, { DEST_RETRY, -1, 0 },
		{ DEST_RETRY, -1, 0 }, { DEST_RETRY, -1, 0 },
		{ DEST_RETRY, -1, 0 },
	};
	struct state_dest *sd;

	start(1, s, 3, NULL, 0);
	T_CHECK(open_engine(&t_records) == 0, "open");
	T_CHECK(run_once() == 0, "recovers");
	T_CHECK(g.nsleeps == 3, "three waits");
	/* Full jitter at the top of its range: 500 ms, then doubled. */
	T_CHECK(g.nsleeps == 3 && g.slept[0] == 499 && g.slept[1] == 999,
	    "exponential backoff on the fake clock");
	T_CHECK(g.nsleeps == 3 && g.slept[2] == 7000, "Retry-After honoured");
	T_CHECK(g.t[0].call_first[1] == g.line_off[2], "the 2 acked stay acked");
	T_CHECK(g.t[0].early_commits == 0, "commit after ack (retry)");
	T_CHECK(all_once(&g.t[0]), "every line once");
	finish();

	start(1, down, 5, NULL, 0);
	T_CHECK(open_engine(&t_records) == 0, "open");
	T_CHECK(run_once() == 1, "gives up: run fails");
	T_CHECK(g.t[0].calls == 4, "1 + retry_max attempts");
	T_CHECK(g.nsleeps == 3, "retry_max waits");
	T_CHECK(committed("a") == 0, "nothing committed");
	sd = state_dest_get(&g.en.st, "a", 0);
	T_CHECK(sd != NULL && sd->last_err != NULL &&
	    strstr(sd->last_err, "giving up after 3 retries") != NULL,
	    "the error is kept for status");
	finish();
}

/* Too large: the run is halved; one line alone is skipped and counted. */
static void
test_split(void)
{
	static const struct answer s[] = {
		{ DEST_SPLIT, -1, 0 },		/* 10 */
		{ DEST_OK, -1, 0 },		/* 5 */
		{ DEST_SPLIT, -1, 0 },		/* 5 */
		{ DEST_SPLIT, -1, 0 },		/* 3 */
		{ DEST_SPLIT, -1, 0 },		/* 2 */
		{ DEST_SPLIT, -1, 0 },		/* 1: line 5 skipped */
	};
	struct state_rec *r;

	start(1, s, 6, NULL, 0);
	T_CHECK(open_engine(&t_records) == 0, "open");
	T_CHECK(run_once() == 0, "run ok");
	T_CHECK(g.t[0].call_nlines[0] == 10 && g.t[0].call_nlines[1] == 5,
	    "halved");
	T_CHECK(g.t[0].call_nlines[3] == 3 && g.t[0].call_nlines[4] == 2 &&
	    g.t[0].call_nlines[5] == 1, "halved down to one line");
	T_CHECK(g.t[0].got[5] == 0, "the line nobody takes is not sent");
	r = state_get(&g.en.st, "a", g.dir, DAY_NAME, 0);
	T_CHECK(r != NULL && r->oversize == 1, "and counted oversize");
	T_CHECK(committed("a") == g.line_off[NLINES], "the rest went");
	T_CHECK(g.t[0].early_commits == 0, "commit after ack (split)");
	finish();
}

/* A permanent error stops the destination at once: no retry. */
static void
test_stop(void)
{
	static const struct answer s[] = { { DEST_OK, 4, 0 },
	    { DEST_STOP, -1, 0 } };

	start(1, s, 2, NULL, 0);
	T_CHECK(open_engine(&t_records) == 0, "open");
	T_CHECK(run_once() == 1, "run fails");
	T_CHECK(g.t[0].calls == 2, "no call after the stop");
	T_CHECK(g.nsleeps == 0, "no backoff");
	T_CHECK(committed("a") == g.line_off[4], "what was acked stays");
	finish();
}

/* A crash between put() and the commit: the next run (state reloaded)
 * puts exactly the same range again, so one object covers it. */
static void
test_crash_between_put_and_commit(void)
{
	struct state_rec *r;

	start(1, NULL, 0, NULL, 0);
	g.t[0].stop_after_put = 1;
	T_CHECK(open_engine(&t_objects) == 0, "open");
	run_once();
	T_CHECK(g.t[0].nobjs == 1, "stored");
	T_CHECK(committed("a") == 0, "not committed");
	r = state_get(&g.en.st, "a", g.dir, DAY_NAME, 0);
	T_CHECK(r != NULL && r->pending && r->pend_end == g.line_off[NLINES],
	    "the range was recorded before the put");
	finish();

	setup(1);
	g.stop = 0;
	T_CHECK(open_engine(&t_objects) == 0, "reopen");
	r = state_get(&g.en.st, "a", g.dir, DAY_NAME, 0);
	T_CHECK(r != NULL && r->pending, "pending range reloaded");
	T_CHECK(run_once() == 0, "rerun ok");
	T_CHECK(g.t[0].nobjs == 1 && g.t[0].obj_start[0] == 0 &&
	    g.t[0].obj_end[0] == g.line_off[NLINES],
	    "the same range again: one object, no overlap");
	T_CHECK(committed("a") == g.line_off[NLINES], "committed now");
	finish();
}

/* One destination down and retrying, the other makes progress. */
static void
test_one_down_other_ships(void)
{
	static const struct answer down[] = {
		{ DEST_RETRY, -1, 0 }, { DEST_RETRY, -1, 0 },
		{ DEST_RETRY, -1, 0 }, { DEST_RETRY, -1, 0 },
	};

	start(2, down, 4, NULL, 0);
	T_CHECK(open_engine(&t_records) == 0, "open");
	T_CHECK(run_once() == 1, "the run reports the failed destination");
	T_CHECK(committed("a") == 0, "a: nothing");
	T_CHECK(all_once(&g.t[1]), "b: every line once");
	T_CHECK(committed("b") == g.line_off[NLINES], "b: committed to the end");
	T_CHECK(g.t[1].early_commits == 0, "b: commit after ack");
	finish();
}

/*
 * SPEC 2.3: a destination backing off never delays another.  ship: a
 * (first) retries; b ships at once, before any wait; then a is tried
 * again at its due times and completes.  run (follow): the pass never
 * sleeps; a's next attempt is a due time the caller waits for.
 */
static void
test_backoff_never_delays_others(void)
{
	static const struct answer down[] = {
		{ DEST_RETRY, -1, 0 }, { DEST_RETRY, -1, 0 },
	};
	struct ship_opts o;

	start(2, down, 2, NULL, 0);
	T_CHECK(open_engine(&t_records) == 0, "open");
	T_CHECK(run_once() == 0, "ship: both complete");
	T_CHECK(g.t[1].calls >= 1 && g.t[1].call_at[0] == 1000000,
	    "b shipped before any wait for a");
	T_CHECK(g.t[0].calls == 3 && g.t[0].call_at[1] == 1000000 + 499 &&
	    g.t[0].call_at[2] == 1000000 + 499 + 999, "a retried at its due times");
	T_CHECK(all_once(&g.t[0]) && all_once(&g.t[1]), "every line once, each");
	finish();

	start(2, down, 2, NULL, 0);
	T_CHECK(open_engine(&t_records) == 0, "open");
	memset(&o, 0, sizeof(o));
	o.stop = &g.stop;
	o.follow = 1;
	T_CHECK(engine_run(&g.en, &o) == 1, "run: a still retrying");
	T_CHECK(g.nsleeps == 0, "run: the pass never sleeps");
	T_CHECK(all_once(&g.t[1]), "run: b shipped in full");
	T_CHECK(engine_next_attempt_ms(&g.en) == 1000000 + 499,
	    "run: a's next attempt is due after its backoff");
	T_CHECK(engine_run(&g.en, &o) == 1 && g.t[0].calls == 1,
	    "run: a is not tried before it is due");
	g.clock = engine_next_attempt_ms(&g.en);
	T_CHECK(engine_run(&g.en, &o) == 1 && g.t[0].calls == 2,
	    "run: a tried again when due (and fails again)");
	g.clock = engine_next_attempt_ms(&g.en);
	T_CHECK(engine_run(&g.en, &o) == 0 && all_once(&g.t[0]),
	    "run: a recovers; every line once");
	T_CHECK(engine_next_attempt_ms(&g.en) == 0 && g.nsleeps == 0,
	    "run: nothing waiting, never slept");
	finish();
}

/*
 * A multi-part object upload (issue 11 #8): each acknowledged part moves
 * the progress figure at once, by the bytes it covers and never past the
 * range; the offset stays until put() returns DEST_OK.  A failed attempt's
 * parts are not counted twice when the retry reports them again.  With
 * progress off the hook is NULL.
 */
static void
test_parts_move_progress_not_offsets(void)
{
	struct ship_opts o;
	uint64_t total = g.line_off[NLINES];

	start(1, NULL, 0, NULL, 0);
	g.t[0].parts = 4;
	T_CHECK(open_engine(&t_objects) == 0, "open");
	memset(&o, 0, sizeof(o));
	o.stop = &g.stop;
	o.progress = 1;
	T_CHECK(engine_run(&g.en, &o) == 0, "parts: run ok");
	T_CHECK(g.t[0].no_hook == 0, "parts: put() got the hook");
	T_CHECK(g.t[0].prog_moved == 4, "parts: the figure moved at each part");
	T_CHECK(g.t[0].prog_wrong == 0, "parts: by the part's bytes, capped");
	T_CHECK(g.t[0].offset_moved == 0, "parts: offsets did not move");
	T_CHECK(g.t[0].prog_max == total, "parts: never past the range");
	T_CHECK(g.en.prog.done[0] == total && committed("a") == total,
	    "parts: after DEST_OK, figure and offset at the end");
	finish();

	/* Two parts, then a failure; the retry acks all four again. */
	start(1, NULL, 0, NULL, 0);
	g.t[0].parts = 4;
	g.t[0].fail_after = 2;
	T_CHECK(open_engine(&t_objects) == 0, "open");
	T_CHECK(engine_run(&g.en, &o) == 0, "retry: run ok");
	T_CHECK(g.t[0].calls == 2, "retry: two puts");
	T_CHECK(g.t[0].prog_moved == 6 && g.t[0].prog_wrong == 0,
	    "retry: moved at each part of both attempts");
	T_CHECK(g.t[0].offset_moved == 0, "retry: offsets did not move");
	T_CHECK(g.t[0].prog_max == total, "retry: parts not counted twice");
	T_CHECK(g.en.prog.done[0] == total && committed("a") == total,
	    "retry: the end, once");
	finish();

	start(1, NULL, 0, NULL, 0);
	g.t[0].parts = 4;
	T_CHECK(open_engine(&t_objects) == 0, "open");
	T_CHECK(run_once() == 0 && g.t[0].no_hook == 1,
	    "progress off: no hook");
	finish();
}

int
main(void)
{
	char tmpl[] = "/tmp/test_ship.XXXXXX";

	if (mkdtemp(tmpl) == NULL)
		return 1;
	snprintf(g.root, sizeof(g.root), "%s", tmpl);
	snprintf(g.dir, sizeof(g.dir), "%s/audit", g.root);
	if (mkdir(g.dir, 0700) == -1)
		return 1;
	write_day();

	test_commit_after_ack();
	test_partial_ack();
	test_retry_backoff();
	test_split();
	test_stop();
	test_crash_between_put_and_commit();
	test_one_down_other_ships();
	test_backoff_never_delays_others();
	test_parts_move_progress_not_offsets();

	{
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", g.root);
		if (system(cmd) != 0)
			perror("rm");
	}
	return t_done("ship");
}
