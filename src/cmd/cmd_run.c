/*
 * cmd_run.c - `auditship run`: follow the daily files and ship lines as they
 * arrive, until SIGTERM/SIGINT (SPEC §1).
 *
 * inotify watches every stream directory; a periodic full pass (every
 * RUN_RESCAN_MS) catches what inotify cannot (new glob matches, network
 * file systems, the day rollover and settle times) and seals.  A pass
 * that file events trigger visits only the files they named and each
 * stream's today file: a burst of appends costs a few stats, not a stat
 * of every day of every stream.
 *
 * The loop sleeps in one poll() until the earliest of: a file event, the
 * next attempt of a destination that is retrying (engine_next_attempt_ms;
 * the engine never sleeps for a backoff, so one destination that is down
 * never delays the others, SPEC 2.3), the flush cadence, the rescan, or a
 * signal.  Signal handlers set a flag and write a byte to a self-pipe that
 * poll() watches, so a signal is acted on at once, never lost between the
 * flag test and the sleep; the engine checks the flags between batches and
 * SIGHUP also ends a pass early.  SIGHUP reloads the configuration; a bad
 * new one is reported and the old kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "log.h"
#include "metrics.h"
#include "ship.h"
#include "source.h"

#define RUN_RESCAN_MS	5000	/* rescan even without events */
/* Tests set AUDITSHIP_RESCAN_MS (1..3600000) to tell what a targeted pass
 * shipped from what a rescan did; nothing else should. */
static int64_t run_rescan_ms = RUN_RESCAN_MS;
#define RUN_DEBOUNCE_MS	200	/* gather a burst of appends into one pass */
#define RUN_MAX_TARGETS	256	/* more named files: a full pass instead */

/* inotify watch descriptors and their stream directories. */
struct run_wd {
	int		 wd;
	char		*dir;
};

/* What the events since the last pass asked for. */
struct run_events {
	struct run_wd	 wds[LIM_STREAMS];
	size_t		 nwds;
	struct ship_target t[RUN_MAX_TARGETS];
	size_t		 nt;
	int		 any;		/* a pass is due */
	int		 full;		/* ... and it must be a full one */
};

static volatile sig_atomic_t run_stop, run_reload;
static int run_wake[2] = { -1, -1 };	/* self-pipe: a signal wakes poll() */

static void
run_poke(void)
{
	int saved = errno;

	if (run_wake[1] != -1)
		(void)!write(run_wake[1], "", 1);
	errno = saved;
}

static void
run_on_stop(int sig)
{
	if (run_stop)
		_exit(128 + sig);	/* second signal: now (state is atomic) */
	run_stop = 1;
	run_poke();
}

static void
run_on_hup(int sig)
{
	(void)sig;
	run_reload = 1;
	run_poke();
}

/* Empty the self-pipe. */
static void
run_wake_drain(void)
{
	char b[64];

	while (read(run_wake[0], b, sizeof(b)) > 0)
		;
}

/* How long poll() may sleep: until the earliest full pass (rescan or
 * flush), or retry of a destination that is backing off. */
static int
run_timeout(const struct engine *en, int64_t last_full, int64_t flush_ms)
{
	int64_t deadline = last_full + run_rescan_ms, next, left;

	if (flush_ms > 0 && last_full + flush_ms < deadline)
		deadline = last_full + flush_ms;
	next = engine_next_attempt_ms(en);
	if (next > 0 && next < deadline)
		deadline = next;
	left = deadline - engine_now_ms();
	if (left < 0)
		left = 0;
	if (left > run_rescan_ms)
		left = run_rescan_ms;
	return (int)left;
}

/* Add a watch for every stream (inotify dedups repeats) and remember
 * which directory each descriptor is. */
static void
run_watch(int ifd, const struct stream *st, size_t ns, struct run_events *ev)
{
	size_t i, k;
	int wd;

	if (ifd == -1)
		return;
	for (i = 0; i < ns; i++) {
		if ((wd = inotify_add_watch(ifd, st[i].dir, IN_MODIFY |
		    IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF)) == -1) {
			log_debug("inotify %s: %s", st[i].dir, strerror(errno));
			continue;
		}
		for (k = 0; k < ev->nwds; k++)
			if (ev->wds[k].wd == wd)
				break;
		if (k < ev->nwds) {
			if (strcmp(ev->wds[k].dir, st[i].dir) == 0)
				continue;
			free(ev->wds[k].dir);	/* a descriptor reused */
		} else if (ev->nwds < LIM_STREAMS)
			ev->nwds++;
		else
			continue;	/* its events make full passes */
		ev->wds[k].wd = wd;
		ev->wds[k].dir = strdup(st[i].dir);
		if (ev->wds[k].dir == NULL)
			ev->nwds = k;
	}
}

/* Note one event: the file it names in its stream, or, when it names none
 * or a directory we cannot place, a full pass. */
static void
run_event(struct run_events *ev, const struct inotify_event *ie)
{
	const char *dir = NULL;
	size_t k;

	ev->any = 1;
	if ((ie->mask & (IN_Q_OVERFLOW | IN_IGNORED | IN_DELETE_SELF)) ||
	    ie->len == 0 || ie->name[0] == '\0') {
		ev->full = 1;
		return;
	}
	for (k = 0; k < ev->nwds; k++)
		if (ev->wds[k].wd == ie->wd)
			dir = ev->wds[k].dir;
	if (dir == NULL) {
		ev->full = 1;
		return;
	}
	for (k = 0; k < ev->nt; k++)
		if (ev->t[k].dir == dir && strcmp(ev->t[k].name, ie->name) == 0)
			return;
	if (ev->nt == RUN_MAX_TARGETS || (ev->t[ev->nt].name = strdup(ie->name)) == NULL) {
		ev->full = 1;
		return;
	}
	ev->t[ev->nt++].dir = dir;
}

/* Drain pending inotify events into ev. */
static void
run_drain(int ifd, struct run_events *ev)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n, at;

	while ((n = read(ifd, buf, sizeof(buf))) > 0)
		for (at = 0; at + (ssize_t)sizeof(struct inotify_event) <= n;) {
			const struct inotify_event *ie = (const void *)(buf + at);

			run_event(ev, ie);
			at += (ssize_t)sizeof(*ie) + ie->len;
		}
}

/* After a pass: nothing asked for. */
static void
run_events_clear(struct run_events *ev)
{
	size_t k;

	for (k = 0; k < ev->nt; k++)
		free((char *)ev->t[k].name);
	ev->nt = 0;
	ev->any = ev->full = 0;
}

static void
run_events_free(struct run_events *ev)
{
	size_t k;

	run_events_clear(ev);
	for (k = 0; k < ev->nwds; k++)
		free(ev->wds[k].dir);
	ev->nwds = 0;
}

/* Shortest flush_interval of the object destinations (0: none). */
static int64_t
run_flush_ms(const struct config *cfg)
{
	size_t i, n = config_dest_count(cfg);
	int64_t best = 0, v;

	for (i = 0; i < n; i++) {
		const struct conf_section *s = config_dest(cfg, i);

		v = (int64_t)dest_conf_flush_ms(s);
		if (v > 0 && (best == 0 || v < best))
			best = v;
	}
	return best;
}

/* When `run` last pruned (monotonic ms; 0: not yet). */
static int64_t run_last_prune;

int
cmd_run(const char *config_path, int argc, char **argv)
{
	struct config cfg, ncfg;
	struct engine en;
	struct ship_opts o;
	struct err e = { 0, "" };
	struct pollfd pfd[2];
	struct run_events *ev;
	int ifd, rc, config_err, status = EXIT_OK, full;
	int64_t last_full = 0, flush_ms, now, next;

	if (argc > 1) {
		log_error("run: unknown option %s (see auditship run --help)", argv[1]);
		return EXIT_USAGE;
	}
	if (cmd_load_config(&cfg, config_path, 0, &e) == -1)
		return EXIT_USAGE;
	rc = engine_open(&en, &cfg, NULL, 0, 1, &config_err, &e);
	if (rc != 0) {
		log_error("%s%s", e.msg, rc == STATE_LOCKED ? "; try again later" : "");
		engine_close(&en);
		config_free(&cfg);
		return rc == STATE_LOCKED ? EXIT_LOCKED : config_err ? EXIT_USAGE : EXIT_DEST;
	}
	if ((ev = calloc(1, sizeof(*ev))) == NULL) {
		log_error("run: out of memory");
		engine_close(&en);
		config_free(&cfg);
		return EXIT_DEST;
	}
	ev->any = ev->full = 1;	/* the catch-up: a full pass first */
	if (pipe2(run_wake, O_NONBLOCK | O_CLOEXEC) == -1) {
		free(ev);
		log_error("run: pipe: %s", strerror(errno));
		engine_close(&en);
		config_free(&cfg);
		return EXIT_DEST;
	}
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = run_on_hup;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGHUP, &sa, NULL);
	}
	cmd_install_stop_handlers(&run_stop, run_on_stop);

	{
		const char *v = getenv("AUDITSHIP_RESCAN_MS");
		long ms = v != NULL ? strtol(v, NULL, 10) : 0;

		if (ms > 0 && ms <= 3600000)
			run_rescan_ms = ms;
	}
	memset(&o, 0, sizeof(o));
	o.follow = 1;
	o.stop = &run_stop;
	o.yield = &run_reload;
	ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (ifd == -1)
		log_warn_sys("inotify_init1 (falling back to rescans every %d s)",
		    RUN_RESCAN_MS / 1000);
	{
		/* Watch before the catch-up pass: nothing it takes long over
		 * waits for the next rescan.  (engine_run reports errors.) */
		struct stream *st = NULL;
		size_t ns = 0;

		(void)source_streams(&cfg, &st, &ns, &e);
		err_clear(&e);
		run_watch(ifd, st, ns, ev);
		source_streams_free(st, ns);
	}
	flush_ms = run_flush_ms(&cfg);
	log_info("run: following %s (config %s)", cfg.source_dir, cfg.path);

	while (!run_stop) {
		now = engine_now_ms();
		if (run_reload) {
			run_reload = 0;
			err_clear(&e);
			if (config_load(&ncfg, config_path, &e) == -1)
				log_error("SIGHUP: %s; keeping the running configuration", e.msg);
			else {
				struct engine nen;

				/* Our lock must be released before the new engine
				 * takes it: save, close first, reopen, fall back. */
				(void)engine_save(&en);
				engine_close(&en);
				rc = engine_open(&nen, &ncfg, NULL, 0, 1, &config_err, &e);
				if (rc != 0) {
					log_error("SIGHUP: %s; keeping the running configuration",
					    e.msg);
					engine_close(&nen);
					config_free(&ncfg);
					err_clear(&e);
					if (engine_open(&en, &cfg, NULL, 0, 1, &config_err, &e) != 0) {
						log_error("%s", e.msg);
						status = EXIT_DEST;
						break;
					}
				} else {
					config_free(&cfg);
					cfg = ncfg;
					en = nen;
					en.cfg = &cfg;
					for (size_t i = 0; i < en.ndests; i++)
						en.dests[i].cfg = &cfg;
					log_info("SIGHUP: configuration reloaded from %s", cfg.path);
					flush_ms = run_flush_ms(&cfg);
				}
			}
			ev->any = ev->full = 1;
		}
		next = engine_next_attempt_ms(&en);
		full = ev->full || now - last_full >= run_rescan_ms ||
		    (flush_ms > 0 && now - last_full >= flush_ms) ||
		    (next > 0 && now >= next);
		if (full || ev->any) {
			o.only = full ? NULL : ev->t;
			o.nonly = full ? 0 : ev->nt;
			rc = engine_run(&en, &o);
			o.only = NULL;
			o.nonly = 0;
			run_events_clear(ev);
			if (full) {
				run_watch(ifd, en.streams, en.nstreams, ev);
				last_full = engine_now_ms();
			}
			/* Local retention: at the start, then every 10 min. */
			if (run_last_prune == 0 || now - run_last_prune >= 600000) {
				(void)cmd_prune_after_ship(&cfg, &en.st);
				run_last_prune = engine_now_ms();
			}
			if (metrics_write(&cfg, &en.st, rc, &e) == -1) {
				log_warn("metrics_file: %s", e.msg);
				err_clear(&e);
			}
		}
		if (run_stop || run_reload)
			continue;	/* arrived during the pass */
		pfd[0].fd = run_wake[0];
		pfd[0].events = POLLIN;
		pfd[1].fd = ifd;
		pfd[1].events = POLLIN;
		if (poll(pfd, ifd == -1 ? 1 : 2, run_timeout(&en, last_full,
		    flush_ms)) <= 0)
			continue;
		if (pfd[0].revents & POLLIN)
			run_wake_drain();
		if (ifd != -1 && (pfd[1].revents & POLLIN)) {
			run_drain(ifd, ev);
			if (ev->any) {
				/* Let a burst of appends settle into one pass (a
				 * signal still cuts the wait short). */
				pfd[0].revents = 0;
				if (poll(pfd, 1, RUN_DEBOUNCE_MS) > 0)
					run_wake_drain();
				run_drain(ifd, ev);
			}
		}
	}
	if (ifd != -1)
		close(ifd);
	run_events_free(ev);
	free(ev);
	close(run_wake[0]);
	close(run_wake[1]);
	run_wake[0] = run_wake[1] = -1;
	if (run_stop)
		log_info("run: stopping on signal; acknowledged progress is saved");
	if (engine_save(&en) == -1 && status == EXIT_OK)
		status = EXIT_DEST;
	engine_close(&en);
	config_free(&cfg);
	return status;
}
