/*
 * report_rules.h - the risky-action rule table of `auditship report`
 * (SPEC §8), in one place: report_rules.c.  Each rule has an id, a one-line
 * description, a match over the (already redacted) command and the file
 * path of a tool call, and an example it must match and a look-alike it
 * must not (the unit tests check both for every rule).  Tool output is
 * never looked at.
 */
#ifndef AUDITSHIP_REPORT_RULES_H
#define AUDITSHIP_REPORT_RULES_H

#include <stddef.h>

struct report_rule {
	const char	*id;
	const char	*desc;
	/* 1 when the rule matches; cmd and path are decoded text, either
	 * may be empty. */
	int		(*match)(const char *cmd, size_t clen, const char *path,
			    size_t plen);
	const char	*example_cmd, *example_path;
	const char	*lookalike_cmd, *lookalike_path;
	/* The cheap first look (report_rules.c's G_* bits): the rule runs
	 * only when one of gate_cmd is in the command or one of gate_path
	 * in the path; a gate never makes a rule match. */
	unsigned	 gate_cmd, gate_path;
};

#define REPORT_RULE_HOOKS	6	/* index of "hooks-settings" */

extern const struct report_rule report_rules[];
extern const size_t report_nrules;

/* Bit i set when report_rules[i] matches. */
unsigned report_rules_match(const char *cmd, size_t clen, const char *path,
	    size_t plen);

#endif
