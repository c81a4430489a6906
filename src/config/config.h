/*
 * config.h - the validated configuration (SPEC §2).
 *
 * config_load() parses the INI file with inih, expands ${VAR}, checks every
 * key against the per-section tables in conf_keys.c and parses values with
 * the pure parsers in parse.c.  Errors read "FILE:LINE: [section] key:
 * reason" and are returned before anything ships.  After a successful load
 * every key of every section is known to be valid, so getters cannot fail:
 * a destination reads its settings with conf_str()/conf_size()/... and gets
 * the table default when the file did not set the key.
 */
#ifndef AUDITSHIP_CONFIG_H
#define AUDITSHIP_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

enum conf_type {
	CONF_STR,
	CONF_BOOL,
	CONF_SIZE,		/* bytes, K/M/G suffixes */
	CONF_DURATION,		/* milliseconds, s/m/h/d suffixes */
	CONF_INT,		/* bounded by min/max */
	CONF_ENUM,		/* one of choices, "a|b|c" */
};

#define CONF_REQUIRED	0x01	/* must be set */
#define CONF_SECRET	0x02	/* never printed; makes a 0644 file an error */
#define CONF_PREFIX	0x04	/* name is a prefix: "header." matches header.X */
#define CONF_PATH	0x08	/* a leading "~" or "~/" expands to $HOME */

struct conf_section;

struct conf_key {
	const char	*name;
	enum conf_type	 type;
	const char	*def;		/* default, as text; NULL: none */
	unsigned	 flags;
	const char	*choices;	/* CONF_ENUM: "udp|tcp|tls|unix" */
	long long	 min, max;	/* CONF_INT bounds; SIZE/DURATION
					 * too when max > 0 (ms, bytes) */
	/* A default that depends on other keys of the section (syslog
	 * address on transport): writes it as text into out, 0 or -1.
	 * Keys earlier in the table already hold their values (set or
	 * defaulted), so read them with conf_str()/conf_num(). */
	int		(*def_fn)(const struct conf_section *s, struct buf *out);
};

/* A section's keys: [auditship], [source], or a destination type's
 * (struct dest_ops in dest.h carries its own). */
struct conf_table {
	const char		*name;	/* "auditship", "source", or a type */
	const struct conf_key	*keys;
	size_t			 nkeys;
};

#define CONF_NKEYS(a)	(sizeof(a) / sizeof((a)[0]))

/* A secret and the two ways to keep it out of the file: KEY, KEY_env
 * (an environment variable's name), KEY_file (a path). */
#define CONF_SECRET_KEYS(name)						\
	{ name, CONF_STR, NULL, CONF_SECRET, NULL, 0, 0, NULL },	\
	{ name "_env", CONF_STR, NULL, 0, NULL, 0, 0, NULL },		\
	{ name "_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0, NULL }

/*
 * Where a destination's check() reports what is wrong with a section:
 * conf_reject() records "FILE:LINE: [destination NAME] KEY: reason"
 * (line 0: the section's header line) and returns -1.
 */
struct conf_report;
int	conf_reject(struct conf_report *r, const struct conf_section *s,
	    int line, const char *key, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

struct conf_value {
	char		*key;		/* full key as written */
	char		*text;		/* value after ${VAR} expansion */
	int		 line;		/* 0 for a default */
	int		 secret;	/* wipe on free, never print */
	uint64_t	 num;		/* SIZE bytes, DURATION ms, BOOL 0/1, INT,
					 * ENUM index in choices (syslog
					 * facility/severity: the code) */
};

struct conf_section {
	char		*name;		/* "auditship", "source", "destination" */
	char		*dest_name;	/* NAME of [destination NAME], else NULL */
	char		*type;		/* destination type, else NULL */
	int		 line;		/* line of the section header */
	int		 secret_unset;	/* a KEY_env names an unset variable
					 * (CONFIG_SECRETS_WARN/SKIP) */
	struct conf_value *vals;	/* keys set in the file, then defaults */
	size_t		 nvals;
};

struct config {
	char		*path;		/* file read, or "(embedded default)" */
	int		 embedded;	/* no file: SPEC §2.4 */
	/* [auditship] */
	char		*state_dir;
	char		*hostname;
	int		 day_local;	/* day_boundary = local */
	uint64_t	 settle_ms;
	char		*metrics_file;	/* NULL: none */
	char		*signing_key_file; /* SPEC §7; default STATE_DIR/signing.key */
	/* [source] */
	char		*source_dir;	/* ~ expanded; may be a glob */
	char		*pattern;	/* strftime pattern of a daily file */
	/* "FILE:LINE: [section] key: reason" lines (an unset secret
	 * variable under CONFIG_SECRETS_WARN), or NULL */
	char		*warnings;
	/* sections as read, [auditship] and [source] included */
	struct conf_section *sections;
	size_t		 nsections;
};

/*
 * Resolve which file to read (SPEC §1): explicit path, else
 * $AUDITSHIP_CONFIG, else /etc/auditship/auditship.ini when it exists, else
 * NULL for the embedded default.  Returns a pointer into static storage or
 * the argument.
 */
const char *config_resolve_path(const char *explicit_path);

/*
 * What the pure pass needs from the world, so that it can be tested with
 * any environment: config_load() fills it from the real one.
 */
struct config_env {
	/* ${VAR} and KEY_env lookups: the value or NULL when unset. */
	const char	*(*getenv)(void *ctx, const char *name);
	void		*ctx;
	const char	*home;		/* for "~"; NULL: unknown */
	int		 is_root;	/* state_dir default */
	const char	*hostname;	/* hostname default; NULL: unknown */
	unsigned	 file_mode;	/* st_mode & 07777 of the file; 0: none */
};

/*
 * The pure part of config_load(): parse and validate INI text (len bytes,
 * need not be NUL-terminated) read from a file called name (used in
 * messages).  Checks everything but *_file secrets, which it does not
 * read.  Returns 0 (free cfg with config_free) or -1 with e set.
 */
int	config_parse(struct config *cfg, const char *name, const char *text,
	    size_t len, const struct config_env *env, struct err *e);

/*
 * Load and validate.  path NULL means the embedded default.  On success
 * returns 0 and fills *cfg (free with config_free); on failure -1 with a
 * "FILE:LINE: [section] key: reason" message in e.
 */
int	config_load(struct config *cfg, const char *path, struct err *e);

/* At most this many problems are listed by the *_report() variants. */
#define CONFIG_ERRORS_MAX	20
/* An unset or empty KEY_env secret variable is a warning (in
 * cfg->warnings; the section's secret_unset is set), not an error: for
 * `check` without --connect, as only the running service needs it. */
#define CONFIG_SECRETS_WARN	0x01
/* The same, and no *_file secret is read: `status` reads no secret. */
#define CONFIG_SECRETS_SKIP	0x02

/*
 * config_load() / config_parse() that report every problem of the file,
 * not only the first (which e holds, as ever): one "FILE:LINE: [section]
 * key: reason" line each into report (when not NULL), at most
 * CONFIG_ERRORS_MAX of them.  flags: CONFIG_SECRETS_*.
 */
int	config_load_report(struct config *cfg, const char *path,
	    unsigned flags, struct buf *report, struct err *e);
int	config_parse_report(struct config *cfg, const char *name,
	    const char *text, size_t len, const struct config_env *env,
	    unsigned flags, struct buf *report, struct err *e);
void	config_free(struct config *cfg);

/* The [destination NAME] sections, in file order. */
size_t	config_dest_count(const struct config *cfg);
const struct conf_section *config_dest(const struct config *cfg, size_t i);

/* Typed getters: the value set in the file, else the table default.
 * conf_str returns NULL when neither exists; numeric getters return 0. */
const char *conf_str(const struct conf_section *s, const char *key);
/* conf_str, with NULL for an empty value too (an optional setting). */
const char *conf_str_opt(const struct conf_section *s, const char *key);
int	 conf_bool(const struct conf_section *s, const char *key);
uint64_t conf_num(const struct conf_section *s, const char *key);
/* 1 when the file set the key (not a default). */
int	 conf_is_set(const struct conf_section *s, const char *key);
/* The line a key was set on (0 when defaulted), for error messages. */
int	 conf_line(const struct conf_section *s, const char *key);
/* Visit keys that start with prefix ("header."): i-th match or NULL. */
const struct conf_value *conf_prefixed(const struct conf_section *s,
	    const char *prefix, size_t i);

/*
 * Read a secret configured as KEY, KEY_env (name of an environment
 * variable) or KEY_file (path; trailing newline stripped) into out, which
 * this function initialises (any old content is not freed) and the caller
 * frees with buf_free_secret, whatever the result.  Returns 1 when found, 0 when
 * none of the three is set, -1 on error (message names the key, never the
 * value).  The value is registered with log_add_secret().
 */
int	conf_secret(const struct conf_section *s, const char *key,
	    struct buf *out, struct err *e);

/* Print the resolved configuration, secrets masked (auditship check). */
void	config_print(const struct config *cfg, struct buf *out);

#endif
