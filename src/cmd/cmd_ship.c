/*
 * cmd_ship.c - `auditship ship`: one pass over everything eligible, for
 * cron and systemd timers (SPEC §1).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "log.h"
#include "metrics.h"
#include "ship.h"

static volatile sig_atomic_t ship_stop;

static void
ship_on_signal(int sig)
{
	/* A second signal means "now": state writes are atomic. */
	if (ship_stop)
		_exit(128 + sig);
	ship_stop = 1;
}

static const char ship_usage[] =
    "usage: auditship [-c FILE] ship [--day YYYY-MM-DD] [--dest NAME]... "
    "[--from-start] [--dry-run]\n"
    "  Ship every complete line not yet acknowledged to each destination.\n"
    "  --day YYYY-MM-DD  only that day's file (backfill)\n"
    "  --dest NAME       only this destination (repeatable)\n"
    "  --from-start      ship the selected days again from byte 0\n"
    "  --dry-run         print what would ship; ship nothing\n";

int
cmd_one_flag(const char *name, int argc, char **argv, const char *flag,
    const char *usage, int *set)
{
	int a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], flag) == 0)
			*set = 1;
		else if (strcmp(argv[a], "--help") == 0 ||
		    strcmp(argv[a], "-h") == 0) {
			fputs(usage, stdout);
			return EXIT_OK;
		} else {
			log_error("%s: unknown option %s", name, argv[a]);
			return EXIT_USAGE;
		}
	}
	return -1;
}

/* 1 when s is a real calendar date YYYY-MM-DD. */
int
cmd_valid_day(const char *s)
{
	struct tm tm;
	char back[11];
	const char *end;

	if (strlen(s) != 10)
		return 0;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end == NULL || *end != '\0')
		return 0;
	/* strptime accepts 2026-02-31; a round trip through timegm does not. */
	tm.tm_hour = 12;
	{
		time_t t = timegm(&tm);
		struct tm norm;

		gmtime_r(&t, &norm);
		strftime(back, sizeof(back), "%Y-%m-%d", &norm);
	}
	return strcmp(back, s) == 0;
}

void
cmd_install_stop_handlers(volatile sig_atomic_t *flag, void (*handler)(int))
{
	struct sigaction sa;
	sigset_t block;

	(void)flag;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
}

int
cmd_ship(const struct config *cfg, int argc, char **argv)
{
	struct ship_opts o;
	struct engine en;
	struct err e = { 0, "" };
	char **only = NULL;
	size_t nonly = 0;
	int i, rc, config_err;

	memset(&o, 0, sizeof(o));
	if ((only = calloc((size_t)argc + 1, sizeof(*only))) == NULL)
		return EXIT_DEST;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(ship_usage, stdout);
			free(only);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--day") == 0 && i + 1 < argc) {
			o.day = argv[++i];
			if (!cmd_valid_day(o.day)) {
				log_error("ship: --day %s: not a date in the form YYYY-MM-DD", o.day);
				free(only);
				return EXIT_USAGE;
			}
		} else if (strcmp(argv[i], "--dest") == 0 && i + 1 < argc) {
			only[nonly++] = argv[++i];
		} else if (strcmp(argv[i], "--from-start") == 0) {
			o.from_start = 1;
		} else if (strcmp(argv[i], "--dry-run") == 0) {
			o.dry_run = 1;
		} else {
			log_error("ship: unknown or incomplete option %s (see auditship ship --help)",
			    argv[i]);
			free(only);
			return EXIT_USAGE;
		}
	}
	o.progress = !o.dry_run && isatty(STDERR_FILENO);
	o.stop = &ship_stop;
	cmd_install_stop_handlers(&ship_stop, ship_on_signal);

	rc = engine_open(&en, cfg, only, nonly, !o.dry_run, &config_err, &e);
	free(only);
	if (rc == STATE_LOCKED) {
		log_error("%s; try again later", e.msg);
		engine_close(&en);
		return EXIT_LOCKED;
	}
	if (rc == -1) {
		log_error("%s", e.msg);
		engine_close(&en);
		return config_err ? EXIT_USAGE : EXIT_DEST;
	}
	rc = engine_run(&en, &o);
	if (ship_stop) {
		log_warn("ship: interrupted; what was acknowledged is kept");
		rc = EXIT_DEST;
	}
	if (!o.dry_run && !ship_stop && cmd_prune_after_ship(cfg, &en.st) == -1)
		rc = 1;
	if (!o.dry_run && metrics_write(cfg, &en.st, rc, &e) == -1)
		log_warn("metrics_file: %s", e.msg);
	engine_close(&en);
	return rc == 0 ? EXIT_OK : EXIT_DEST;
}
