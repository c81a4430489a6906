/*
 * hookset.h - the auditship entries of a Claude Code settings tree
 * (SPEC §6, `auditship install-hook`): which events, what an entry looks
 * like, which existing entries are ours, and merging them in or out while
 * leaving every other key and hook as it was.  Pure; the file I/O is in
 * cmd_install_hook.c.
 */
#ifndef AUDITSHIP_HOOKSET_H
#define AUDITSHIP_HOOKSET_H

#include "buf.h"
#include "err.h"
#include "sjson.h"

#define HOOKSET_TIMEOUT	5	/* seconds Claude Code waits for the hook */

/* The events install-hook registers, NULL-terminated. */
extern const char *const hookset_events[];

/* 1 when a command hook's command runs the appender: its first word's
 * base name is auditship-hook, or auditship followed by "hook". */
int	hookset_is_ours(const char *command);
/* Append word to out, single-quoted for sh when it needs quoting. */
int	hookset_quote(struct buf *out, const char *word);
/* -1 (and why) unless root is shaped as Claude Code reads it: an object
 * whose "hooks", when present, maps events to lists of
 * {"matcher":…, "hooks":[…]} objects. */
int	hookset_check(const struct sj *root, struct err *e);
/* Put command on every event (updating an entry of ours in place, never
 * adding a second), or with command NULL take every entry of ours out
 * (and the groups, lists and "hooks" object only we filled). */
int	hookset_apply(struct sj *root, const char *command, struct err *e);
/* 1 when root holds at least one entry of ours. */
int	hookset_has_ours(const struct sj *root);

#endif
