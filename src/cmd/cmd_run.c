/*
 * cmd_run.c - `auditship run`: follow the daily files and ship lines as they
 * arrive, until SIGTERM/SIGINT (SPEC §1).
 *
 * inotify watches every stream directory; a periodic rescan (every
 * RUN_RESCAN_MS) catches what inotify cannot (new glob matches, network
 * file systems, the day rollover and settle times).  Signal handlers only
 * set flags; the loop checks them between batches and sleeps in short
 * ppoll() slices so a signal is acted on within RUN_SLICE_MS.  SIGHUP
 * reloads the configuration; a bad new one is reported and the old kept.
 */
#include <errno.h>
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
#define RUN_DEBOUNCE_MS	200	/* gather a burst of appends into one pass */
#define RUN_SLICE_MS	250	/* longest sleep between signal checks */

static volatile sig_atomic_t run_stop, run_reload;

static void
run_on_stop(int sig)
{
	if (run_stop)
		_exit(128 + sig);	/* second signal: now (state is atomic) */
	run_stop = 1;
}

static void
run_on_hup(int sig)
{
	(void)sig;
	run_reload = 1;
}

/* Add a watch for every stream directory (inotify dedups repeats). */
static void
run_watch(int ifd, const struct config *cfg)
{
	struct stream *s = NULL;
	size_t n = 0, i;
	struct err e = { 0, "" };

	if (ifd == -1)
		return;
	(void)source_streams(cfg, &s, &n, &e);	/* engine_run reports errors */
	for (i = 0; i < n; i++)
		if (inotify_add_watch(ifd, s[i].dir, IN_MODIFY | IN_CREATE |
		    IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF) == -1)
			log_debug("inotify %s: %s", s[i].dir, strerror(errno));
	source_streams_free(s, n);
}

/* Drain pending inotify events; 1 when there were any. */
static int
run_drain(int ifd)
{
	char ev[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	int any = 0;

	while (read(ifd, ev, sizeof(ev)) > 0)
		any = 1;
	return any;
}

/* Shortest flush_interval of the object destinations (0: none). */
static int64_t
run_flush_ms(const struct config *cfg)
{
	size_t i, n = config_dest_count(cfg);
	int64_t best = 0, v;

	for (i = 0; i < n; i++) {
		const struct conf_section *s = config_dest(cfg, i);

		if (conf_str(s, "flush_interval") == NULL)
			continue;
		v = (int64_t)conf_num(s, "flush_interval");
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
	struct pollfd pfd;
	int ifd, rc, config_err, status = EXIT_OK, events = 1;
	int64_t last_pass = 0, flush_ms, now;

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
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = run_on_hup;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGHUP, &sa, NULL);
	}
	cmd_install_stop_handlers(&run_stop, run_on_stop);

	memset(&o, 0, sizeof(o));
	o.follow = 1;
	o.stop = &run_stop;
	ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (ifd == -1)
		log_warn_sys("inotify_init1 (falling back to rescans every %d s)",
		    RUN_RESCAN_MS / 1000);
	run_watch(ifd, &cfg);
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
				 * takes it: close first, reopen, fall back. */
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
					run_watch(ifd, &cfg);
					flush_ms = run_flush_ms(&cfg);
				}
			}
			events = 1;
		}
		if (events || now - last_pass >= RUN_RESCAN_MS ||
		    (flush_ms > 0 && now - last_pass >= flush_ms)) {
			if (!events)
				run_watch(ifd, &cfg);
			rc = engine_run(&en, &o);
			/* Local retention: at the start, then every 10 min. */
			if (run_last_prune == 0 || now - run_last_prune >= 600000) {
				(void)cmd_prune_after_ship(&cfg, &en.st);
				run_last_prune = engine_now_ms();
			}
			if (metrics_write(&cfg, &en.st, rc, &e) == -1) {
				log_warn("metrics_file: %s", e.msg);
				err_clear(&e);
			}
			last_pass = engine_now_ms();
			events = 0;
		}
		pfd.fd = ifd;
		pfd.events = POLLIN;
		if (poll(&pfd, ifd == -1 ? 0 : 1, RUN_SLICE_MS) > 0 && run_drain(ifd)) {
			/* Let a burst of appends settle into one pass. */
			struct timespec ts = { 0, RUN_DEBOUNCE_MS * 1000000L };

			nanosleep(&ts, NULL);
			run_drain(ifd);
			events = 1;
		}
	}
	if (ifd != -1)
		close(ifd);
	if (run_stop)
		log_info("run: stopping on signal; acknowledged progress is saved");
	engine_close(&en);
	config_free(&cfg);
	return status;
}
