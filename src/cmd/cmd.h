/*
 * cmd.h - the commands main.c dispatches to.  Each returns the process exit
 * status (SPEC §1): 0 ok, 1 a destination failed, 2 usage/config, 75 locked.
 * argv[0] is the command name; options follow.
 */
#ifndef AUDITSHIP_CMD_H
#define AUDITSHIP_CMD_H

#include <signal.h>

#include "config.h"

#define EXIT_OK		0
#define EXIT_DEST	1
#define EXIT_USAGE	2
#define EXIT_LOCKED	75

int	cmd_ship(const struct config *cfg, int argc, char **argv);
int	cmd_run(const char *config_path, int argc, char **argv);
int	cmd_status(const struct config *cfg, int argc, char **argv);
int	cmd_check(const struct config *cfg, int argc, char **argv);
int	cmd_report(const struct config *cfg, int argc, char **argv);
int	cmd_keygen(const struct config *cfg, int argc, char **argv);
int	cmd_key(const struct config *cfg, int argc, char **argv);
int	cmd_verify(const struct config *cfg, int argc, char **argv);
/* The hook appender (SPEC §6).  day_local: day_boundary = local in the
 * config, when one could be read.  Always returns 0. */
int	cmd_hook(int argc, char **argv, int day_local);
/* install-hook (SPEC §6).  day_local as for cmd_hook: the installed
 * appender reads no config, so a local day boundary is passed to it. */
int	cmd_install_hook(int argc, char **argv, int day_local);
/* prune [--dry-run] (SPEC §2.1). */
int	cmd_prune(const struct config *cfg, int argc, char **argv);
/* After ship/run: prune with st (locked) when prune_after is set; -1 when
 * a deletion failed (logged). */
struct state;
int	cmd_prune_after_ship(const struct config *cfg, struct state *st);
/* check --list-keys: every key of the config tables, "SECTION KEY DEF". */
int	cmd_list_keys(void);

/* Load the configuration as command cmd needs it (cmd_check.c): status
 * reads no secret, check without --connect only warns about an unset
 * secret variable.  On failure logs every problem (not only the first)
 * and returns -1. */
unsigned cmd_config_flags(const char *cmd, int argc, char **argv);
int	cmd_load_config(struct config *cfg, const char *path, unsigned flags,
	    struct err *e);

/* Shared helpers (cmd_ship.c): 1 when s is a calendar date YYYY-MM-DD;
 * install handler for SIGTERM and SIGINT and unblock them. */
int	cmd_valid_day(const char *s);
/* The options of a command whose only one is flag: *set when given;
 * --help or -h prints usage (EXIT_OK); anything else is logged as "NAME:
 * unknown option X" (EXIT_USAGE).  -1 when the command goes on. */
int	cmd_one_flag(const char *name, int argc, char **argv, const char *flag,
	    const char *usage, int *set);
void	cmd_install_stop_handlers(volatile sig_atomic_t *flag,
	    void (*handler)(int));

#endif
