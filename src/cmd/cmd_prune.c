/*
 * cmd_prune.c - `auditship prune [--dry-run]` (SPEC §1, §2.1): delete the
 * local daily files that are safely elsewhere (prune.h says when).  Holds
 * the state lock like ship (exit 75 when another auditship has it).
 * `ship` and `run` prune too when prune_after is set (cmd_prune_after_ship).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "log.h"
#include "prune.h"
#include "state.h"

static const char prune_usage[] =
    "usage: auditship [-c FILE] prune [--dry-run]\n"
    "  Delete local daily files older than prune_after that every destination\n"
    "  acknowledged whole and, where it seals, sealed.  --dry-run deletes\n"
    "  nothing and says for each day what it would do and why.\n";

static void
prune_summary(const struct prune_result *r, int dry_run)
{
	log_info("prune: %s %zu day%s (%llu bytes), kept %zu%s",
	    dry_run ? "would delete" : "deleted", r->deleted,
	    r->deleted == 1 ? "" : "s", (unsigned long long)r->bytes, r->kept,
	    r->failed ? ", some deletions failed" : "");
}

int
cmd_prune(const struct config *cfg, int argc, char **argv)
{
	struct prune_result r;
	struct state st;
	struct err e = { 0, "" };
	int dry_run = 0, i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(prune_usage, stdout);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--dry-run") == 0)
			dry_run = 1;
		else {
			log_error("prune: unknown option %s (see auditship prune "
			    "--help)", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (prune_after_ms(cfg) == 0) {
		log_error("prune: prune_after is not set in [auditship] of %s; "
		    "nothing is ever deleted without it", cfg->path);
		return EXIT_USAGE;
	}
	memset(&st, 0, sizeof(st));
	rc = state_open(&st, cfg->state_dir, 1, &e);
	if (rc == STATE_LOCKED) {
		log_error("%s; try again later", e.msg);
		state_close(&st);
		return EXIT_LOCKED;
	}
	if (rc != 0) {
		log_error("%s", e.msg);
		state_close(&st);
		return EXIT_DEST;
	}
	rc = prune_pass(cfg, &st, dry_run, time(NULL), &r);
	prune_summary(&r, dry_run);
	state_close(&st);
	return rc == 0 ? EXIT_OK : EXIT_DEST;
}

int
cmd_prune_after_ship(const struct config *cfg, struct state *st)
{
	struct prune_result r;

	if (prune_after_ms(cfg) == 0)
		return 0;
	if (prune_pass(cfg, st, 0, time(NULL), &r) == -1) {
		prune_summary(&r, 0);
		return -1;
	}
	if (r.deleted > 0)
		prune_summary(&r, 0);
	return 0;
}
