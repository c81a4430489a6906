/*
 * cmd.h - the commands main.c dispatches to.  Each returns the process exit
 * status (SPEC §1): 0 ok, 1 a destination failed, 2 usage/config, 75 locked.
 * argv[0] is the command name; options follow.
 */
#ifndef AUDITSHIP_CMD_H
#define AUDITSHIP_CMD_H

#include "config.h"

#define EXIT_OK		0
#define EXIT_DEST	1
#define EXIT_USAGE	2
#define EXIT_LOCKED	75

int	cmd_ship(const struct config *cfg, int argc, char **argv);
int	cmd_run(const char *config_path, int argc, char **argv);
int	cmd_status(const struct config *cfg, int argc, char **argv);
int	cmd_check(const struct config *cfg, int argc, char **argv);
/* The hook appender (SPEC §6).  day_local: day_boundary = local in the
 * config, when one could be read.  Always returns 0. */
int	cmd_hook(int argc, char **argv, int day_local);

#endif
