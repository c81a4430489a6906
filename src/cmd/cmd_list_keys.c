/*
 * cmd_list_keys.c - `auditship check --list-keys` (hidden, for the man
 * page test and for scripts): every configuration key auditship accepts,
 * one per line as "SECTION KEY DEFAULT", read from the same tables that
 * validate a file.  SECTION is "auditship", "source" or "destination:TYPE";
 * DEFAULT is "-" for none or computed; a prefix key prints as "header.NAME".
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "conf_keys.h"

static void
lk_table(const char *section, const struct conf_table *t)
{
	size_t i;

	for (i = 0; i < t->nkeys; i++)
		printf("%s %s%s %s\n", section, t->keys[i].name,
		    (t->keys[i].flags & CONF_PREFIX) ? "NAME" : "",
		    t->keys[i].def != NULL && t->keys[i].def[0] != '\0' ?
		    t->keys[i].def : "-");
}

int
cmd_list_keys(void)
{
	const char *types = conf_keys_dest_types(), *p, *q;
	const struct conf_table *t;
	char type[64], section[96];
	size_t n;

	lk_table("auditship", &conf_table_auditship);
	lk_table("source", &conf_table_source);
	/* "syslog, http, s3, dir" */
	for (p = types; *p != '\0'; p = *q ? q + 1 : q) {
		while (*p == ' ' || *p == ',')
			p++;
		for (q = p; *q != '\0' && *q != ',' && *q != ' '; q++)
			;
		n = (size_t)(q - p);
		if (n == 0 || n >= sizeof(type))
			continue;
		memcpy(type, p, n);
		type[n] = '\0';
		if ((t = conf_keys_dest(type)) == NULL)
			continue;
		snprintf(section, sizeof(section), "destination:%s", type);
		lk_table(section, t);
	}
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_DEST;
}
