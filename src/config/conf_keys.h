/*
 * conf_keys.h - the static key tables of the configuration (SPEC §2.1-2.3).
 *
 * One table per section ([auditship], [source]); each destination type
 * carries its own in struct dest_ops (dest.h): name, type, default,
 * flags, enum choices and integer bounds.  config.c validates a file
 * against them; nothing else needs to know the key names except the
 * destination reading its own.
 */
#ifndef AUDITSHIP_CONF_KEYS_H
#define AUDITSHIP_CONF_KEYS_H

#include <stddef.h>

#include "config.h"

extern const struct conf_table conf_table_auditship;
extern const struct conf_table conf_table_source;

/* The table of destination type `type`, or NULL when there is none. */
const struct conf_table *conf_keys_dest(const char *type);

/* The registered destination types, "syslog, http, s3, dir", for
 * error messages (dest.c's table). */
const char *conf_keys_dest_types(void);

/*
 * The entry of table t that `key` names: an exact match, or a CONF_PREFIX
 * entry that key extends by at least one character ("header.X-Id").
 * NULL when the key is unknown.
 */
const struct conf_key *conf_keys_find(const struct conf_table *t,
	    const char *key);

/* Longest key name conf_keys_suggest() compares. */
#define CONF_KEYS_NAME_MAX	64

/*
 * For "unknown key" messages: the key of t closest to key (one or two
 * typos away), or NULL.
 */
const char *conf_keys_suggest(const struct conf_table *t, const char *key);

/* The first destination type other than type whose table has key, or
 * NULL ("url" is a key of http, not of dir). */
const char *conf_keys_other_type(const char *type, const char *key);

#endif
