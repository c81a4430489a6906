/*
 * main.c - argv, command dispatch, exit status.  The only caller of exit()
 * (by returning from main).  SPEC §1.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "log.h"

static const char main_usage[] =
    "usage: auditship [-c FILE] [-v] COMMAND [OPTIONS]\n"
    "\n"
    "Ship the audit trail of AI coding agents (daily JSONL files) to syslog,\n"
    "an HTTPS log intake, S3 with Object Lock, or a local archive.\n"
    "\n"
    "commands:\n"
    "  ship   [--day YYYY-MM-DD] [--dest NAME]... [--from-start] [--dry-run]\n"
    "         ship what is new, once (cron, systemd timer)\n"
    "  run    follow the files and ship as lines arrive, until SIGTERM/SIGINT\n"
    "  status [--json]      bytes shipped of present, lag, errors, gaps\n"
    "  check  [--connect]   validate the configuration; --connect probes each destination\n"
    "  verify [--dest NAME]... [--from D] [--to D] [--host H]... [--user U]...\n"
    "         [--key FILE|DIR]... [--local] [--fast] [--json]\n"
    "         prove from the destination alone that every day is complete and unaltered\n"
    "  report [--from D] [--to D] [--dest NAME] [--user U]... [--format text|json|html]\n"
    "         [-o FILE]  what the agents did, per day, user and tool (report --help)\n"
    "  prune  [--dry-run]   delete local days that are safely elsewhere (prune_after)\n"
    "  keygen [--force]     create the Ed25519 key that signs seals\n"
    "  key                  print the public signing key and its id\n"
    "  hook   [--dir DIR] [--minimal]   append one hook event (Claude Code hooks)\n"
    "  install-hook [--settings FILE | --managed] [--minimal] [--uninstall]\n"
    "         register the appender for every audit event of Claude Code\n"
    "\n"
    "options:\n"
    "  -c FILE     configuration (else $AUDITSHIP_CONFIG, else\n"
    "              /etc/auditship/auditship.ini, else the embedded default)\n"
    "  -v          debug diagnostics\n"
    "  --version   print the version\n"
    "\n"
    "exit status: 0 shipped, 1 a destination failed, 2 usage or configuration\n"
    "error, 75 another auditship holds the state lock\n";

/* The commands that load the configuration first. */
static const struct {
	const char	*name;
	int		(*run)(const struct config *, int, char **);
} main_cmds[] = {
	{ "ship", cmd_ship }, { "status", cmd_status }, { "check", cmd_check },
	{ "report", cmd_report }, { "keygen", cmd_keygen }, { "key", cmd_key },
	{ "verify", cmd_verify }, { "prune", cmd_prune },
};

int
main(int argc, char **argv)
{
	const char *explicit_path = NULL, *path, *cmd;
	struct config cfg;
	struct err e = { 0, "" };
	sigset_t block;
	size_t ci;
	int i, rc;

	/* Block SIGTERM/SIGINT until the command installs its handlers, and
	 * never die of SIGPIPE on a socket a peer closed. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, NULL);
	signal(SIGPIPE, SIG_IGN);

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) {
			if (i + 1 >= argc) {
				log_error("-c needs a file name");
				return EXIT_USAGE;
			}
			explicit_path = argv[++i];
		} else if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
			log_set_level(LOG_LVL_DEBUG);
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("auditship %s\n", AUDITSHIP_VERSION);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(main_usage, stdout);
			return EXIT_OK;
		} else
			break;
	}
	if (i >= argc) {
		log_usage(main_usage);
		return EXIT_USAGE;
	}
	cmd = argv[i];
	argc -= i;
	argv += i;

	if (strcmp(cmd, "hook") == 0) {
		/* The hook must never fail the agent: a config it cannot
		 * read just means the default (UTC) day boundary. */
		int day_local = 0, k, own_boundary = 0;

		for (k = 1; k < argc; k++)
			if (strncmp(argv[k], "--day-boundary", 14) == 0 ||
			    strcmp(argv[k], "--help") == 0 ||
			    strcmp(argv[k], "-h") == 0 ||
			    strcmp(argv[k], "--version") == 0)
				own_boundary = 1;
		path = own_boundary ? NULL : config_resolve_path(explicit_path);
		if (path != NULL && config_load(&cfg, path, &e) == 0) {
			day_local = cfg.day_local;
			config_free(&cfg);
		} else if (path != NULL)
			log_warn("hook: cannot read the configuration for "
			    "day_boundary (%s); naming the file by the UTC day",
			    e.msg);
		return cmd_hook(argc, argv, day_local);
	}
	if (strcmp(cmd, "install-hook") == 0) {
		/* The config, when one is readable, only says which calendar
		 * day the appender must name its files by. */
		int day_local = 0;

		path = config_resolve_path(explicit_path);
		if (path != NULL && config_load(&cfg, path, &e) == 0) {
			day_local = cfg.day_local;
			config_free(&cfg);
		}
		return cmd_install_hook(argc, argv, day_local);
	}
	if (strcmp(cmd, "run") == 0) {
		if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
			printf("usage: auditship [-c FILE] run\n"
			    "  Follow the daily files and ship lines as they arrive (s3 and dir:\n"
			    "  every flush_interval or min_chunk), until SIGTERM or SIGINT.\n"
			    "  SIGHUP re-reads the configuration.\n");
			return EXIT_OK;
		}
		return cmd_run(config_resolve_path(explicit_path), argc, argv);
	}
	for (ci = 0; ci < sizeof(main_cmds) / sizeof(main_cmds[0]); ci++)
		if (strcmp(cmd, main_cmds[ci].name) == 0)
			break;
	if (ci == sizeof(main_cmds) / sizeof(main_cmds[0])) {
		log_error("unknown command %s (see auditship --help)", cmd);
		return EXIT_USAGE;
	}
	if (strcmp(cmd, "check") == 0 && argc == 2 &&
	    strcmp(argv[1], "--list-keys") == 0)
		return cmd_list_keys();	/* needs no config */
	path = config_resolve_path(explicit_path);
	if (cmd_load_config(&cfg, path, cmd_config_flags(cmd, argc, argv),
	    &e) == -1)
		return EXIT_USAGE;
	rc = main_cmds[ci].run(&cfg, argc, argv);
	config_free(&cfg);
	log_clear_secrets();
	return rc;
}
