/*
 * conf_keys.c - the keys of [auditship] and [source] (SPEC §2.1-2.2), and
 * the lookups config.c uses on every table.
 *
 * Fluent Bit's config_map idea: one static table per section.  Each
 * destination type carries its own table in its struct dest_ops (dest.h);
 * the list of types is dest.c's.  A default written as NULL here is
 * either "none" or depends on the environment (state_dir, hostname);
 * config.c computes those.
 */
#include <ctype.h>
#include <string.h>

#include "conf_keys.h"
#include "caps.h"
#include "dest.h"

#define SEC	1000LL
#define DAY	(24LL * 3600 * SEC)

static const struct conf_key keys_auditship[] = {
	{ "state_dir", CONF_STR, NULL, CONF_PATH, NULL, 0, 0, NULL },
	{ "hostname", CONF_STR, NULL, 0, NULL, 0, 0, NULL },
	{ "day_boundary", CONF_ENUM, "utc", 0, "utc|local", 0, 0, NULL },
	{ "settle", CONF_DURATION, "300s", 0, NULL, 0, 365 * DAY, NULL },
	{ "metrics_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0, NULL },
	/* STATE_DIR/signing.key: computed (SPEC §7). */
	{ "signing_key_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0, NULL },
	/* Local retention (SPEC §2.1); none: never delete.  prune.c. */
	{ "prune_after", CONF_DURATION, NULL, 0, NULL, 1 * SEC, 36500 * DAY,
	    NULL },
};

static const struct conf_key keys_source[] = {
	{ "dir", CONF_STR, "~/.claude/audit", CONF_PATH, NULL, 0, 0, NULL },
	{ "pattern", CONF_STR, "%Y-%m-%d.jsonl", 0, NULL, 0, 0, NULL },
};

const struct conf_table conf_table_auditship = {
	"auditship", keys_auditship, CONF_NKEYS(keys_auditship)
};
const struct conf_table conf_table_source = {
	"source", keys_source, CONF_NKEYS(keys_source)
};

const struct conf_table *
conf_keys_dest(const char *type)
{
	const struct dest_ops *ops = dest_find(type);

	return ops != NULL ? &ops->keys : NULL;
}

const char *
conf_keys_dest_types(void)
{
	return dest_types();
}

const struct conf_key *
conf_keys_find(const struct conf_table *t, const char *key)
{
	size_t i, n;

	for (i = 0; i < t->nkeys; i++) {
		if (t->keys[i].flags & CONF_PREFIX) {
			n = strlen(t->keys[i].name);
			if (strncmp(key, t->keys[i].name, n) == 0 &&
			    key[n] != '\0')
				return &t->keys[i];
		} else if (strcmp(key, t->keys[i].name) == 0)
			return &t->keys[i];
	}
	return NULL;
}

/* Levenshtein distance of a and b ignoring case, capped at 3. */
static size_t
conf_keys_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, sub, best;
	size_t row[CONF_KEYS_NAME_MAX + 1];

	if (la > CONF_KEYS_NAME_MAX || lb > CONF_KEYS_NAME_MAX)
		return 3;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			/* Case does not count: "URL" means url. */
			sub = prev + (tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]));
			cur = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 :
			    row[j - 1] + 1;
			if (sub < cur)
				cur = sub;
			prev = row[j];
			row[j] = cur;
			if (cur < best)
				best = cur;
		}
		if (best >= 3)
			return 3;
	}
	return row[lb] < 3 ? row[lb] : 3;
}

const char *
conf_keys_suggest(const struct conf_table *t, const char *key)
{
	const char *best = NULL;
	size_t i, d, bestd = 3;

	for (i = 0; i < t->nkeys; i++) {
		if (t->keys[i].flags & CONF_PREFIX)
			continue;
		d = conf_keys_distance(key, t->keys[i].name);
		/* One typo in a short name, two in a longer one. */
		if (d < bestd && d <= (strlen(key) < 6 ? 1u : 2u)) {
			bestd = d;
			best = t->keys[i].name;
		}
	}
	return best;
}

const char *
conf_keys_other_type(const char *type, const char *key)
{
	const struct dest_ops *ops;
	size_t i;

	for (i = 0; (ops = dest_type_at(i)) != NULL; i++)
		if (strcmp(ops->type, type) != 0 &&
		    conf_keys_find(&ops->keys, key) != NULL)
			return ops->type;
	return NULL;
}
