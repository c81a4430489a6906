/*
 * src/hook/main.c - auditship-hook: `auditship hook` as its own small
 * program.  Claude Code starts the hook on every tool call; the full
 * auditship binary spends several milliseconds just loading libcurl and
 * OpenSSL, which the appender never uses.  This one links libc only and
 * takes the same options as `auditship hook`.  It reads no configuration
 * at all: --day-boundary is its only calendar setting (default utc), so an
 * install with day_boundary = local passes --day-boundary local.
 */
#include "cmd.h"

int
main(int argc, char **argv)
{
	return cmd_hook(argc, argv, 0);
}
