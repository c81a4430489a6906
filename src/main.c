/*
 * main.c - argv, command dispatch, exit status.  The only caller of exit().
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "log.h"

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("auditship %s\n", AUDITSHIP_VERSION);
		return EXIT_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "hook") == 0)
		return cmd_hook(argc - 1, argv + 1, 0);
	log_error("usage: auditship [-c FILE] ship|run|status|check|hook");
	return EXIT_USAGE;
}
