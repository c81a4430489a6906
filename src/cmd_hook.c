/*
 * cmd_hook.c - placeholder until the hook appender lands.
 */
#include "cmd.h"
#include "log.h"

int
cmd_hook(int argc, char **argv, int day_local)
{
	(void)argc;
	(void)argv;
	(void)day_local;
	log_error("hook: not available in this build");
	return 0;
}
