/*
 * config.c - load and validate the configuration (SPEC §2, STYLE §6.12).
 *
 * Three steps.  (1) inih splits the file into (section, key, value) and our
 * handler only records them, with the line number our own reader counted
 * (Debian's libinih 55 passes the handler none).  (2) A pure pass checks
 * every record against the tables in conf_keys.c, expands ${VAR} and "~",
 * parses values with parse.c, adds defaults and checks the combinations
 * the tables cannot express; the environment, $HOME, the host name and the
 * file's mode come in as parameters.  (3) config_load() does the I/O around
 * it: reads the file (bounded), and reads every *_file secret once so a
 * missing one is a configuration error with a line number, not a failure
 * in the middle of a run.
 *
 * This is the only user of inih.  It never logs and never exits: errors go
 * to the caller as "FILE:LINE: [section] key: reason".
 */
#include <ctype.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "conf_keys.h"
#include "config.h"
#include "crypto.h"
#include "vis.h"
#include "fsutil.h"
#include "dest.h"
#include "fmt_http.h"
#include "freeall.h"
#include "caps.h"
#include "log.h"
#include "parse.h"

#define CFG_STR_(x)		#x
#define CFG_STR(x)		CFG_STR_(x)

#define CFG_EMBEDDED_NAME	"(embedded default)"
#define CFG_SYSTEM_PATH		"/etc/auditship/auditship.ini"

/* One "[...]" header line as written. */
struct cfg_raw_sect {
	char	*text;
	int	 line;
};

/* One "key = value" line, attributed to the header before it. */
struct cfg_raw_kv {
	size_t	 sect;
	char	*key;
	char	*val;
	int	 line;
};

/* State shared by the inih reader and handler. */
struct cfg_reader {
	const char	*p, *end;	/* unread input */
	int		 line;		/* line the reader handed out last */
	int		 syntax_line;	/* first line we refused ourselves */
	char		 syntax_why[96];
	int		 oom;
	struct cfg_raw_sect *sects;
	size_t		 nsects;
	struct cfg_raw_kv *kvs;
	size_t		 nkvs;
};

/* Everything the pure pass needs to know about the file and the world. */
struct cfg_build {
	const char		*path;
	const struct config_env	*env;
	struct err		*e;	/* the first problem */
	struct buf		*report; /* every problem, a line each; or NULL */
	int			*nerr;	/* problems so far */
	unsigned		 flags;	/* CONFIG_SECRETS_* */
	struct buf		*warn;	/* warnings, a line each */
};

/* ---- errors ------------------------------------------------------------ */

/*
 * "PATH:LINE: [section] key: reason".  line 0 drops ":LINE", key NULL drops
 * " key", sect NULL drops " [section]".
 */
static int
cfg_vfail(const struct cfg_build *b, int line, const char *sect,
    const char *key, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static int
cfg_vfail(const struct cfg_build *b, int line, const char *sect,
    const char *key, const char *fmt, va_list ap)
{
	char reason[LIM_ERR_MSG], where[32];

	if (vsnprintf(reason, sizeof(reason), fmt, ap) < 0)
		reason[0] = '\0';
	where[0] = '\0';
	if (line > 0 && snprintf(where, sizeof(where), ":%d", line) < 0)
		where[0] = '\0';
	(*b->nerr)++;
	if (b->report != NULL && *b->nerr <= CONFIG_ERRORS_MAX)
		buf_printf(b->report, "%s%s:%s%s%s%s%s %s\n", b->path, where,
		    sect ? " " : "", sect ? sect : "", key ? " " : "",
		    key ? key : "", sect || key ? ":" : "", reason);
	else if (b->report != NULL && *b->nerr == CONFIG_ERRORS_MAX + 1)
		buf_printf(b->report, "%s: more errors; only the first %d are "
		    "shown\n", b->path, CONFIG_ERRORS_MAX);
	return err_set(b->e, "%s%s:%s%s%s%s%s %s", b->path, where,
	    sect ? " " : "", sect ? sect : "", key ? " " : "", key ? key : "",
	    sect || key ? ":" : "", reason);
}

static int
cfg_fail(const struct cfg_build *b, int line, const char *sect,
    const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int
cfg_fail(const struct cfg_build *b, int line, const char *sect,
    const char *key, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = cfg_vfail(b, line, sect, key, fmt, ap);
	va_end(ap);
	return rc;
}

/* A section as it appears in messages: "[source]", "[destination x]". */
static void
cfg_sect_label(const struct conf_section *s, char *out, size_t size)
{
	int n;

	if (s->dest_name != NULL)
		n = snprintf(out, size, "[destination %s]", s->dest_name);
	else
		n = snprintf(out, size, "[%s]", s->name);
	if (n < 0 || (size_t)n >= size)
		snprintf(out, size, "[%s]", s->name);
}

/* Longest key name we build a "_env"/"_file" variant of. */
#define CFG_KEYLEN	64

/* ---- step 1: inih and our reader --------------------------------------- */

static char *
cfg_strndup(const char *s, size_t n)
{
	char *p;

	if ((p = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void
cfg_reader_free(struct cfg_reader *r)
{
	size_t i;

	for (i = 0; i < r->nsects; i++)
		free(r->sects[i].text);
	for (i = 0; i < r->nkvs; i++) {
		free(r->kvs[i].key);
		if (r->kvs[i].val != NULL) {
			/* It may be an inline secret. */
			crypto_wipe(r->kvs[i].val, strlen(r->kvs[i].val));
			free(r->kvs[i].val);
		}
	}
	free(r->sects);
	free(r->kvs);
	r->sects = NULL;
	r->kvs = NULL;
	r->nsects = r->nkvs = 0;
}

static void
cfg_syntax(struct cfg_reader *r, const char *why)
{
	if (r->syntax_line == 0) {
		r->syntax_line = r->line;
		if (snprintf(r->syntax_why, sizeof(r->syntax_why), "%s",
		    why) < 0)
			r->syntax_why[0] = '\0';
	}
}

/*
 * A section header the way inih sees one: "[" after white space, up to the
 * first "]".  We keep our own copy because inih cuts section names at 50
 * bytes and, without INI_CALL_HANDLER_ON_NEW_SECTION, never reports a
 * section that has no keys.
 */
static void
cfg_note_section(struct cfg_reader *r, const char *line)
{
	struct cfg_raw_sect *ns;
	const char *close;

	/* inih skips a UTF-8 byte order mark at the start of the file. */
	if (r->line == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0)
		line += 3;
	/* inih skips what isspace() does, \r \v \f included: so must we,
	 * or "\f[destination b]" would add b's keys to the section before. */
	while (isspace((unsigned char)*line))
		line++;
	if (*line != '[' || (close = strchr(line, ']')) == NULL)
		return;
	if (r->nsects == LIM_CONF_SECTIONS) {
		cfg_syntax(r, "too many sections");
		return;
	}
	ns = realloc(r->sects, (r->nsects + 1) * sizeof(*ns));
	if (ns == NULL) {
		r->oom = 1;
		return;
	}
	r->sects = ns;
	ns[r->nsects].line = r->line;
	if ((ns[r->nsects].text = cfg_strndup(line + 1,
	    (size_t)(close - line - 1))) == NULL) {
		r->oom = 1;
		return;
	}
	r->nsects++;
}

/*
 * inih's fgets: hands out one line at a time and counts them.  inih calls
 * the handler for a line before it reads the next, so r->line is the
 * line of every handler call.  A line longer than LIM_CONF_LINE (or one
 * holding a NUL) is replaced by an empty line and remembered as an error:
 * inih would otherwise split it into two "lines" silently.
 */
static char *
cfg_read_line(char *str, int num, void *stream)
{
	struct cfg_reader *r = stream;
	const char *nl;
	size_t len;

	if (r->p >= r->end)
		return NULL;
	nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	len = nl != NULL ? (size_t)(nl - r->p) + 1 : (size_t)(r->end - r->p);
	r->line++;
	if (len > LIM_CONF_LINE || num < 2 || len > (size_t)num - 1) {
		cfg_syntax(r, "line too long (the limit is "
		    CFG_STR(LIM_CONF_LINE) " bytes)");
		len = 0;
	} else if (memchr(r->p, '\0', len) != NULL) {
		cfg_syntax(r, "NUL byte in the line");
		len = 0;
	}
	if (len == 0) {
		r->p = nl != NULL ? nl + 1 : r->end;
		str[0] = '\n';
		str[1] = '\0';
		return str;
	}
	memcpy(str, r->p, len);
	str[len] = '\0';
	r->p += len;
	cfg_note_section(r, str);
	return str;
}

static int
cfg_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct cfg_reader *r = user;
	struct cfg_raw_kv *nk;

	(void)section;		/* ours is not cut at 50 bytes */
	if (r->nsects == 0) {
		cfg_syntax(r, "key outside of any section");
		return 1;
	}
	if (r->nkvs == LIM_CONF_KEYS) {
		cfg_syntax(r, "too many keys");
		return 1;
	}
	if ((nk = realloc(r->kvs, (r->nkvs + 1) * sizeof(*nk))) == NULL) {
		r->oom = 1;
		return 0;
	}
	r->kvs = nk;
	nk += r->nkvs;
	nk->sect = r->nsects - 1;
	nk->line = r->line;
	nk->key = strdup(name);
	nk->val = strdup(value != NULL ? value : "");
	if (nk->key == NULL || nk->val == NULL) {
		free(nk->key);
		free(nk->val);
		r->oom = 1;
		return 0;
	}
	r->nkvs++;
	return 1;
}

/* ---- step 2: the pure pass --------------------------------------------- */

static void
cfg_value_free(struct conf_value *v)
{
	free(v->key);
	if (v->text != NULL) {
		if (v->secret)
			crypto_wipe(v->text, strlen(v->text));
		free(v->text);
	}
}

static void
cfg_section_free(struct conf_section *s)
{
	size_t i;

	for (i = 0; i < s->nvals; i++)
		cfg_value_free(&s->vals[i]);
	free(s->vals);
	free(s->name);
	free(s->dest_name);
	free(s->type);
	memset(s, 0, sizeof(*s));
}

static const struct conf_table *
cfg_table(const struct conf_section *s)
{
	if (s->type != NULL)
		return conf_keys_dest(s->type);
	if (strcmp(s->name, "auditship") == 0)
		return &conf_table_auditship;
	return &conf_table_source;
}

static const struct conf_value *
cfg_find(const struct conf_section *s, const char *key)
{
	size_t i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < s->nvals; i++)
		if (strcmp(s->vals[i].key, key) == 0)
			return &s->vals[i];
	return NULL;
}

static int
cfg_dest_name_ok(const char *name)
{
	const char *p;

	if (*name == '\0')
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
		    *p == '-'))
			return 0;
	return 1;
}

/*
 * Parse a header's text into s->name / s->dest_name.  Blanks around the
 * name and between "destination" and NAME are allowed.
 */
static int
cfg_parse_header(const struct cfg_build *b, const struct cfg_raw_sect *rs,
    struct conf_section *s)
{
	const char *p = rs->text, *end;
	size_t len;

	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	len = (size_t)(end - p);
	s->line = rs->line;
	if ((len == 9 && strncmp(p, "auditship", 9) == 0) ||
	    (len == 6 && strncmp(p, "source", 6) == 0)) {
		s->name = cfg_strndup(p, len);
		return s->name != NULL ? 0 : err_set(b->e, "out of memory");
	}
	if (len > 11 && strncmp(p, "destination", 11) == 0 &&
	    (p[11] == ' ' || p[11] == '\t')) {
		p += 12;
		while (*p == ' ' || *p == '\t')
			p++;
		if ((s->name = strdup("destination")) == NULL ||
		    (s->dest_name = cfg_strndup(p, (size_t)(end - p))) == NULL)
			return err_set(b->e, "out of memory");
		if (!cfg_dest_name_ok(s->dest_name))
			return cfg_fail(b, rs->line, NULL, NULL,
			    "[%.64s]: bad destination name \"%.64s\" (use "
			    "letters, digits, '_', '.' and '-')",
			    rs->text, s->dest_name);
		return 0;
	}
	if (len == 11 && strncmp(p, "destination", 11) == 0)
		return cfg_fail(b, rs->line, NULL, NULL,
		    "[destination]: a destination needs a name: "
		    "[destination NAME]");
	return cfg_fail(b, rs->line, NULL, NULL, "[%.64s]: unknown section "
	    "(expected [auditship], [source] or [destination NAME])",
	    rs->text);
}

/* Append a value to s (room was reserved by the caller). */
static struct conf_value *
cfg_add_value(struct conf_section *s, const char *key, const char *text,
    int line, int secret)
{
	struct conf_value *v = &s->vals[s->nvals];

	memset(v, 0, sizeof(*v));
	v->key = strdup(key);
	v->text = strdup(text);
	if (v->key == NULL || v->text == NULL) {
		free(v->key);
		free(v->text);
		return NULL;
	}
	v->line = line;
	v->secret = secret;
	s->nvals++;
	return v;
}

/* Parse v->text by k's type into v->num.  Returns 0 or -1 (e set). */
static int
cfg_parse_value(const struct conf_key *k, struct conf_value *v,
    struct err *e)
{
	uint64_t max;
	int i;

	switch (k->type) {
	case CONF_STR:
		v->num = 0;
		return 0;
	case CONF_BOOL:
		if (parse_bool(v->text, &i, e) == -1)
			return -1;
		v->num = (uint64_t)i;
		return 0;
	case CONF_ENUM:
		if ((i = parse_enum(v->text, k->choices, e)) < 0)
			return -1;
		v->num = (uint64_t)i;
		return 0;
	case CONF_INT:
		return parse_uint(v->text, (uint64_t)k->min, (uint64_t)k->max,
		    &v->num, e);
	case CONF_SIZE:
	case CONF_DURATION:
		if ((k->type == CONF_SIZE ? parse_size(v->text, &v->num, e) :
		    parse_duration(v->text, &v->num, e)) == -1)
			return -1;
		if (k->max <= 0)
			return 0;
		max = (uint64_t)k->max;
		if (v->num < (uint64_t)k->min || v->num > max) {
			if (k->type == CONF_SIZE)
				return err_set(e, "%s is out of range (%lld "
				    "to %lld bytes)", v->text, k->min, k->max);
			return err_set(e, "%s is out of range (%lld ms to "
			    "%lld ms)", v->text, k->min, k->max);
		}
		return 0;
	}
	return err_set(e, "bad key table entry");
}

static const char *
cfg_env_get(const struct config_env *env, const char *name)
{
	return env->getenv != NULL ? env->getenv(env->ctx, name) : NULL;
}

/* parse_getenv_fn over a config_env (whose getenv may be NULL). */
static const char *
cfg_env_lookup(void *ctx, const char *name)
{
	return cfg_env_get(ctx, name);
}

/* An XDG base directory: the variable when it is an absolute path (the
 * XDG spec says to ignore relative ones), else HOME/fallback. */
static int
cfg_xdg_dir(const struct config_env *env, const char *var,
    const char *fallback, struct buf *out)
{
	const char *v = cfg_env_get(env, var);

	if (v != NULL && v[0] == '/')
		return buf_printf(out, "%s/auditship", v);
	if (env->home == NULL || env->home[0] == '\0')
		return -1;
	return buf_printf(out, "%s/%s/auditship", env->home, fallback);
}

/*
 * The default of a key that depends on the environment or on other keys
 * of its section, or k->def.  Writes it into out; returns 0, 1 when there
 * is no default, -1 on error (e set).
 */
static int
cfg_default(const struct cfg_build *b, const struct conf_section *s,
    const struct conf_key *k, struct buf *out)
{
	char label[96];

	cfg_sect_label(s, label, sizeof(label));
	if (s->type == NULL && strcmp(s->name, "auditship") == 0) {
		if (strcmp(k->name, "state_dir") == 0) {
			if (b->env->is_root)
				return buf_adds(out, "/var/lib/auditship");
			if (cfg_xdg_dir(b->env, "XDG_STATE_HOME",
			    ".local/state", out) == -1)
				return cfg_fail(b, s->line, label, k->name,
				    "no default: HOME is not set; set "
				    "state_dir");
			return 0;
		}
		if (strcmp(k->name, "hostname") == 0) {
			if (b->env->hostname == NULL ||
			    b->env->hostname[0] == '\0')
				return cfg_fail(b, s->line, label, k->name,
				    "cannot determine the host name; set "
				    "hostname");
			return buf_adds(out, b->env->hostname);
		}
	}
	if (k->def_fn != NULL)
		return k->def_fn(s, out) == -1 ? err_set(b->e, "out of "
		    "memory") : 0;
	if (k->def == NULL)
		return 1;
	return buf_adds(out, k->def);
}

/*
 * Expand ${VAR} and, for paths, "~" in a value as written.  Into out.
 * One pair of double quotes around the whole value is dropped, as
 * operators used to systemd or shell write them ("api_key = "abc"" must
 * not send the quotes); nothing inside is unescaped.
 */
static int
cfg_expand(const struct cfg_build *b, const struct conf_key *k,
    const char *raw, struct buf *out, struct err *why)
{
	struct buf tmp, unq;
	size_t len = strlen(raw);
	int rc;

	if (len > LIM_CONF_VALUE)
		return err_set(why, "value longer than %d bytes",
		    LIM_CONF_VALUE);
	buf_init(&unq, LIM_CONF_VALUE);
	if (len >= 2 && raw[0] == '"' && raw[len - 1] == '"') {
		if (buf_add(&unq, raw + 1, len - 2) == -1)
			return err_set(why, "out of memory");
		raw = unq.p;
	}
	buf_init(&tmp, LIM_CONF_VALUE);
	rc = parse_expand_vars(&tmp, raw, cfg_env_lookup, (void *)b->env, why);
	if (rc == 0 && (k->flags & CONF_PATH))
		rc = parse_expand_home(out, tmp.p != NULL ? tmp.p : "",
		    b->env->home, why);
	else if (rc == 0 && buf_add(out, tmp.p != NULL ? tmp.p : "",
	    tmp.len) == -1)
		rc = err_set(why, "value too long");
	buf_free_secret(&tmp);
	buf_free_secret(&unq);
	return rc;
}

static int
cfg_set(const struct conf_section *s, const char *key)
{
	const struct conf_value *v = cfg_find(s, key);

	return v != NULL && v->line > 0;
}

/* A short value as written without the quotes cfg_expand() drops; raw
 * itself when it has none or does not fit. */
static const char *
cfg_unquote(const char *raw, char *tmp, size_t size)
{
	size_t len = strlen(raw);

	if (len >= 2 && len - 2 < size && raw[0] == '"' &&
	    raw[len - 1] == '"') {
		memcpy(tmp, raw + 1, len - 2);
		tmp[len - 2] = '\0';
		return tmp;
	}
	return raw;
}

/* parse_is_var_ref() on a value as written, quotes allowed. */
static int
cfg_is_var_ref(const char *raw)
{
	char tmp[256];

	return parse_is_var_ref(cfg_unquote(raw, tmp, sizeof(tmp)));
}

/*
 * The rules about secrets (SPEC §2): at most one of KEY, KEY_env, KEY_file;
 * a KEY_env must name a set, non-empty variable; and a secret written in
 * the file itself (not a lone "${VAR}") makes a group/other-readable file
 * an error, as ssh does with a private key.
 */
static int
cfg_check_secrets(const struct cfg_build *b, struct conf_section *s,
    const struct conf_table *t, const char *label,
    const struct cfg_raw_kv *kvs, size_t nkvs, size_t sect_idx)
{
	const struct conf_value *v, *prev, *first, *later;
	const char *ev;
	char var[CFG_KEYLEN + 8];
	size_t i, j, k;
	static const char *const sfx[] = { "", "_env", "_file" };

	for (i = 0; i < t->nkeys; i++) {
		if (!(t->keys[i].flags & CONF_SECRET))
			continue;
		prev = NULL;
		for (j = 0; j < 3; j++) {
			if (snprintf(var, sizeof(var), "%s%s",
			    t->keys[i].name, sfx[j]) >= (int)sizeof(var))
				return err_set(b->e, "key name too long");
			if ((v = cfg_find(s, var)) == NULL)
				continue;
			if (prev != NULL) {
				/* Blame the one written last. */
				first = prev->line < v->line ? prev : v;
				later = prev->line < v->line ? v : prev;
				return cfg_fail(b, later->line, label,
				    later->key, "%s is set too (line %d): set "
				    "only one of %s, %s_env, %s_file",
				    first->key, first->line, t->keys[i].name,
				    t->keys[i].name, t->keys[i].name);
			}
			prev = v;
			if (j == 1) {
				ev = cfg_env_get(b->env, v->text);
				if (ev != NULL && ev[0] != '\0')
					continue;
				if (b->flags & (CONFIG_SECRETS_WARN |
				    CONFIG_SECRETS_SKIP)) {
					/* The running service needs it, not
					 * status or check (SPEC §4). */
					s->secret_unset = 1;
					buf_printf(b->warn, "%s:%d: %s %s: "
					    "environment variable %.64s is %s\n",
					    b->path, v->line, label, var,
					    v->text, ev == NULL ? "not set" :
					    "empty");
					continue;
				}
				return cfg_fail(b, v->line, label, var,
				    "environment variable %.64s is %s",
				    v->text, ev == NULL ? "not set" : "empty");
			}
		}
	}
	if (b->env->file_mode == 0 || (b->env->file_mode & 044) == 0)
		return 0;
	for (i = 0; i < s->nvals; i++) {
		v = &s->vals[i];
		if (!v->secret || v->line == 0)
			continue;
		/* Look at the text as written: a secret that comes from the
		 * environment is not in the file.  For KEY that means a lone
		 * "${VAR}" (KEY_env is the better spelling); a header value
		 * has no KEY_env, so any ${VAR} in it will do. */
		for (k = 0; k < nkvs; k++)
			if (kvs[k].sect == sect_idx && kvs[k].line == v->line)
				break;
		if (k == nkvs)
			continue;
		if (strncmp(v->key, "header.", 7) == 0) {
			if (strstr(kvs[k].val, "${") != NULL)
				continue;
			return cfg_fail(b, v->line, label, v->key,
			    "%s is readable by group/others (mode %03o) and "
			    "holds a credential header; chmod 600 it or "
			    "write the value as ${VAR}", b->path,
			    b->env->file_mode & 0777);
		}
		if (cfg_is_var_ref(kvs[k].val))
			continue;
		return cfg_fail(b, v->line, label, v->key,
		    "%s is readable by group/others (mode %03o) and holds %s; "
		    "chmod 600 it or use %s_env/%s_file", b->path,
		    b->env->file_mode & 0777, v->key, v->key, v->key);
	}
	return 0;
}

/*
 * A header.NAME whose value is treated as a credential: masked by
 * config_print, registered with the log, and subject to the file-mode
 * rule.  That is every header but a few known to carry none.
 */
static int
cfg_secret_header(const char *key)
{
	return strncmp(key, "header.", 7) == 0 &&
	    !fmt_http_header_public(key + 7);
}

/* What a destination's check() reports to (config.h). */
struct conf_report {
	const struct cfg_build	*b;
	int			 n;	/* problems reported */
};

int
conf_reject(struct conf_report *r, const struct conf_section *s, int line,
    const char *key, const char *fmt, ...)
{
	char label[96];
	va_list ap;
	int rc;

	cfg_sect_label(s, label, sizeof(label));
	r->n++;
	va_start(ap, fmt);
	rc = cfg_vfail(r->b, line > 0 ? line : s->line, label, key, fmt, ap);
	va_end(ap);
	return rc;
}

/* Combinations the tables cannot express: the type's own check(). */
static int
cfg_check_dest(const struct cfg_build *b, const struct conf_section *s)
{
	const struct dest_ops *ops = dest_find(s->type);
	struct conf_report r = { b, 0 };

	if (ops == NULL)	/* cfg_build_section() refused it */
		return err_set(b->e, "unknown destination type");
	if (ops->check == NULL)
		return 0;
	return ops->check(s, &r) == -1 || r.n > 0 ? -1 : 0;
}

/* "unknown key", with a hint when we can guess what was meant. */
static int
cfg_unknown_key(const struct cfg_build *b, const struct conf_section *s,
    const struct conf_table *t, const char *label,
    const struct cfg_raw_kv *kv)
{
	const char *near = conf_keys_suggest(t, kv->key);
	const char *other = s->type != NULL ?
	    conf_keys_other_type(s->type, kv->key) : NULL;

	if (near != NULL)
		return cfg_fail(b, kv->line, label, kv->key, "unknown key%s%s "
		    "(did you mean %s?)", s->type ? " for type " : "",
		    s->type ? s->type : "", near);
	if (other != NULL)
		return cfg_fail(b, kv->line, label, kv->key, "unknown key for "
		    "type %s (it is a key of type %s)", s->type, other);
	return cfg_fail(b, kv->line, label, kv->key, "unknown key%s%s",
	    s->type ? " for type " : "", s->type ? s->type : "");
}

/* 1 when a key line of section si called name was refused. */
static int
cfg_key_failed(const struct cfg_reader *r, size_t si,
    const unsigned char *failed, const char *name)
{
	size_t i;

	for (i = 0; i < r->nkvs; i++)
		if (failed[i] && r->kvs[i].sect == si &&
		    strcmp(r->kvs[i].key, name) == 0)
			return 1;
	return 0;
}

/*
 * Add text as the value of key (k's entry) to s and parse it: from the key
 * line `line`, or k's default when line is 0 (reported at the section's
 * header).  Returns 0, 1 when it does not parse (reported), -1 when out
 * of memory.
 */
static int
cfg_add_parsed(const struct cfg_build *b, const struct conf_key *k,
    const char *label, struct conf_section *s, const char *key, int line,
    const struct buf *text, int secret)
{
	struct conf_value *v;
	struct err why;

	v = cfg_add_value(s, key, text->p ? text->p : "", line, secret);
	if (v == NULL)
		return err_set(b->e, "out of memory");
	err_clear(&why);
	if (cfg_parse_value(k, v, &why) == -1) {
		cfg_fail(b, line != 0 ? line : s->line, label, key, "%s%s",
		    line != 0 ? "" : "default: ", why.msg);
		return 1;
	}
	return 0;
}

/*
 * Check, expand and parse the key line kv of section s (table t).
 * Returns 0, 1 when it was refused (reported), -1 when out of memory.
 */
static int
cfg_build_key(const struct cfg_build *b, const struct conf_table *t,
    const char *label, const struct cfg_raw_kv *kv, struct conf_section *s,
    struct buf *text)
{
	const struct conf_key *k;
	const struct conf_value *dup;
	struct err why;

	if ((k = conf_keys_find(t, kv->key)) == NULL) {
		cfg_unknown_key(b, s, t, label, kv);
		return 1;
	}
	if ((dup = cfg_find(s, kv->key)) != NULL) {
		cfg_fail(b, kv->line, label, kv->key,
		    "duplicate key (first set on line %d)", dup->line);
		return 1;
	}
	err_clear(&why);
	buf_reset(text);
	if (cfg_expand(b, k, kv->val, text, &why) == -1) {
		cfg_fail(b, kv->line, label, kv->key, "%s", why.msg);
		return 1;
	}
	if ((k->flags & CONF_REQUIRED) && text->len == 0) {
		cfg_fail(b, kv->line, label, kv->key, "must not be empty");
		return 1;
	}
	/* Cron and systemd run us from "/": a relative path would mean
	 * something else there than in a shell. */
	if ((k->flags & CONF_PATH) && text->len > 0 && text->p[0] != '/') {
		cfg_fail(b, kv->line, label, kv->key,
		    "must be an absolute path (or start with ~/)");
		return 1;
	}
	return cfg_add_parsed(b, k, label, s, kv->key, kv->line, text,
	    (k->flags & CONF_SECRET) != 0 || cfg_secret_header(kv->key));
}

/*
 * The default of key k for section s, added as a value.  Returns 0, 1
 * when it could not be made (reported), -1 when out of memory.
 */
static int
cfg_build_default(const struct cfg_build *b, const struct conf_key *k,
    const char *label, struct conf_section *s, struct buf *text)
{
	struct err why;
	int drc, before = *b->nerr;

	buf_reset(text);
	if ((drc = cfg_default(b, s, k, text)) == -1)
		return *b->nerr > before ? 1 : err_set(b->e, "out of memory");
	if (drc == 1)
		return 0;
	/* Defaults in the table are written as a user would, with "~" for
	 * $HOME. */
	if (k->flags & CONF_PATH) {
		struct buf home;

		buf_init(&home, LIM_CONF_VALUE);
		err_clear(&why);
		if (parse_expand_home(&home, text->p ? text->p : "",
		    b->env->home, &why) == -1) {
			buf_free(&home);
			cfg_fail(b, s->line, label, k->name, "default %s: %s",
			    text->p, why.msg);
			return 1;
		}
		buf_reset(text);
		drc = buf_add(text, home.p ? home.p : "", home.len);
		buf_free(&home);
		if (drc == -1)
			return err_set(b->e, "out of memory");
	}
	return cfg_add_parsed(b, k, label, s, k->name, 0, text,
	    (k->flags & CONF_SECRET) != 0);
}

/*
 * Build section s from raw header rs and its key lines: check each key
 * against the table, expand and parse values, add defaults, check the
 * section's combinations.  Every problem is reported (cfg_fail) and the
 * build goes on, so that one run shows them all.  Returns 0 (s built,
 * perhaps with problems), 1 when s cannot be built at all (bad header,
 * no or unknown type: reported; the caller drops it), -1 out of memory.
 */
static int
cfg_build_section(const struct cfg_build *b, const struct cfg_reader *r,
    size_t si, struct conf_section *s)
{
	const struct conf_table *t;
	const struct conf_key *k;
	unsigned char *failed = NULL;
	struct buf text;
	char label[96], tbuf[32];
	const char *type;
	size_t i, n = 0;
	int rc = -1, krc, nbad = 0, before = *b->nerr;

	buf_init(&text, LIM_CONF_VALUE);
	if (cfg_parse_header(b, &r->sects[si], s) == -1) {
		rc = *b->nerr > before ? 1 : -1;
		goto out;
	}
	cfg_sect_label(s, label, sizeof(label));
	for (i = 0; i < r->nkvs; i++)
		if (r->kvs[i].sect == si)
			n++;
	if (s->dest_name != NULL) {
		for (i = 0; i < r->nkvs; i++)
			if (r->kvs[i].sect == si &&
			    strcmp(r->kvs[i].key, "type") == 0)
				break;
		if (i == r->nkvs) {
			cfg_fail(b, s->line, label, "type", "missing (one of "
			    "%s)", conf_keys_dest_types());
			rc = 1;
			goto out;
		}
		/* The types are dest.c's table; each carries its keys. */
		type = cfg_unquote(r->kvs[i].val, tbuf, sizeof(tbuf));
		if (dest_find(type) == NULL) {
			cfg_fail(b, r->kvs[i].line, label, "type",
			    "unknown destination type \"%.32s\" (one of %s)",
			    type, conf_keys_dest_types());
			rc = 1;
			goto out;
		}
		if ((s->type = strdup(type)) == NULL) {
			err_set(b->e, "out of memory");
			goto out;
		}
	}
	t = cfg_table(s);
	if ((s->vals = calloc(n + t->nkeys, sizeof(*s->vals))) == NULL ||
	    (failed = calloc(r->nkvs + 1, 1)) == NULL) {
		err_set(b->e, "out of memory");
		goto out;
	}

	/* The keys the file sets, in file order. */
	for (i = 0; i < r->nkvs; i++) {
		if (r->kvs[i].sect != si)
			continue;
		if ((krc = cfg_build_key(b, t, label, &r->kvs[i], s,
		    &text)) == -1)
			goto out;
		if (krc == 1) {
			failed[i] = 1;
			nbad++;
		}
	}

	/* Required keys, then the defaults of the keys not set, in table
	 * order, so that a computed default can look at earlier keys.  A
	 * key whose line was refused is neither missing nor defaulted. */
	for (i = 0; i < t->nkeys; i++) {
		k = &t->keys[i];
		if ((k->flags & CONF_REQUIRED) && cfg_find(s, k->name) == NULL &&
		    !cfg_key_failed(r, si, failed, k->name)) {
			cfg_fail(b, s->line, label, k->name, "missing "
			    "(required for %s)", s->type ? s->type : label);
			nbad++;
		}
	}
	for (i = 0; i < t->nkeys; i++) {
		k = &t->keys[i];
		if ((k->flags & CONF_PREFIX) || cfg_find(s, k->name) != NULL ||
		    cfg_key_failed(r, si, failed, k->name))
			continue;
		if ((krc = cfg_build_default(b, k, label, s, &text)) == -1)
			goto out;
		nbad += krc;
	}
	/* The rules across keys only make sense once every key is good. */
	before = *b->nerr;
	if (nbad == 0 && cfg_check_secrets(b, s, t, label, r->kvs, r->nkvs,
	    si) == -1 && *b->nerr == before)
		goto out;
	if (nbad == 0 && *b->nerr == before && s->type != NULL &&
	    cfg_check_dest(b, s) == -1 && *b->nerr == before)
		goto out;
	rc = 0;
out:
	free(failed);
	buf_free_secret(&text);
	return rc;
}

static int
cfg_dup_str(char **dst, const struct conf_section *s, const char *key,
    struct err *e)
{
	const struct conf_value *v = cfg_find(s, key);

	*dst = NULL;
	if (v == NULL)
		return 0;
	if ((*dst = strdup(v->text)) == NULL)
		return err_set(e, "out of memory");
	return 0;
}

/* Add an empty section for [auditship] or [source] when the file has
 * none, so that its defaults exist. */
static int
cfg_add_implicit(const struct cfg_build *b, struct config *cfg,
    const char *name)
{
	struct cfg_reader none;
	struct cfg_raw_sect rs;
	size_t i;

	for (i = 0; i < cfg->nsections; i++)
		if (cfg->sections[i].dest_name == NULL &&
		    strcmp(cfg->sections[i].name, name) == 0)
			return 0;
	memset(&none, 0, sizeof(none));
	rs.text = (char *)name;
	rs.line = 0;
	none.sects = &rs;
	none.nsects = 1;
	return cfg_build_section(b, &none, 0, &cfg->sections[cfg->nsections++]);
}

static int
cfg_section_order(const void *a, const void *b)
{
	const struct conf_section *x = a, *y = b;
	int rx, ry;

	/* [auditship], [source], then destinations in file order. */
	rx = x->dest_name != NULL ? 2 : strcmp(x->name, "auditship") == 0 ?
	    0 : 1;
	ry = y->dest_name != NULL ? 2 : strcmp(y->name, "auditship") == 0 ?
	    0 : 1;
	if (rx != ry)
		return rx - ry;
	return x->line - y->line;
}

int
config_parse(struct config *cfg, const char *name, const char *text,
    size_t len, const struct config_env *env, struct err *e)
{
	return config_parse_report(cfg, name, text, len, env, 0, NULL, e);
}

int
config_parse_report(struct config *cfg, const char *name, const char *text,
    size_t len, const struct config_env *env, unsigned flags,
    struct buf *report, struct err *e)
{
	struct cfg_reader r;
	struct cfg_build b;
	struct conf_section *s, *o;
	struct buf warn;
	char label[96];
	size_t i, j, ndest = 0, nheaders = 0;
	int line, nerr = 0, brc;

	memset(cfg, 0, sizeof(*cfg));
	memset(&r, 0, sizeof(r));
	buf_init(&warn, LIM_CONF_FILE);
	b.path = name;
	b.env = env;
	b.e = e;
	b.report = report;
	b.nerr = &nerr;
	b.flags = flags;
	b.warn = &warn;
	if ((cfg->path = strdup(name)) == NULL)
		return err_set(e, "out of memory");

	/* inih's switches are globals in Debian's build: set them each time.
	 * No multi-line values, so an indented line is a key of its own and
	 * a second handler call for one key is always a real duplicate; a
	 * heap line buffer big enough for LIM_CONF_LINE (+ "\r\n\0") from
	 * the start: without realloc inih never grows it past
	 * ini_initial_alloc. */
	ini_allow_multiline = false;
	ini_allow_no_value = false;
	ini_stop_on_first_error = false;
	ini_use_stack = false;
	ini_allow_realloc = false;
	ini_max_line = LIM_CONF_LINE + 3;
	ini_initial_alloc = LIM_CONF_LINE + 3;
	r.p = text;
	r.end = text + len;
	line = ini_parse_stream(cfg_read_line, &r, cfg_handler, &r);
	if (r.oom || line == -2) {
		err_set(e, "%s: out of memory", name);
		goto fail;
	}
	if (line < 0) {
		err_set(e, "%s: cannot parse", name);
		goto fail;
	}
	/* The syntax errors in line order (ours and inih's first one), then
	 * on: inih went on after them, so the sections are all there. */
	if (r.syntax_line > 0 && (line == 0 || r.syntax_line <= line))
		cfg_fail(&b, r.syntax_line, NULL, NULL, "%s", r.syntax_why);
	if (line > 0 && line != r.syntax_line)
		cfg_fail(&b, line, NULL, NULL, "syntax error: expected "
		    "\"[section]\", \"key = value\" or a comment");
	if (r.syntax_line > line && line > 0)
		cfg_fail(&b, r.syntax_line, NULL, NULL, "%s", r.syntax_why);

	/* Two extra slots for implicit [auditship] and [source]. */
	cfg->sections = calloc(r.nsects + 2, sizeof(*cfg->sections));
	if (cfg->sections == NULL) {
		err_set(e, "out of memory");
		goto fail;
	}
	for (i = 0; i < r.nsects; i++) {
		s = &cfg->sections[cfg->nsections++];
		if ((brc = cfg_build_section(&b, &r, i, s)) == -1)
			goto fail;
		if (s->dest_name != NULL || (brc == 1 && s->name != NULL &&
		    strcmp(s->name, "destination") == 0))
			nheaders++;
		if (brc == 1) {
			/* Reported; nothing of it can be checked further. */
			cfg_section_free(s);
			cfg->nsections--;
			continue;
		}
		for (j = 0; j + 1 < cfg->nsections; j++) {
			o = &cfg->sections[j];
			if (strcmp(o->name, s->name) != 0 ||
			    (s->dest_name != NULL &&
			    strcmp(o->dest_name, s->dest_name) != 0))
				continue;
			cfg_sect_label(s, label, sizeof(label));
			cfg_fail(&b, s->line, NULL, NULL, "%s: %s appears "
			    "twice (first on line %d)", label,
			    s->dest_name ? "destination name" : "section",
			    o->line);
			break;
		}
		if (j + 1 < cfg->nsections) {
			cfg_section_free(s);
			cfg->nsections--;
			continue;
		}
		if (s->dest_name != NULL && ++ndest > LIM_DESTS) {
			if (ndest == LIM_DESTS + 1)
				cfg_fail(&b, s->line, NULL, NULL, "too many "
				    "destinations (the limit is %d)",
				    LIM_DESTS);
			cfg_section_free(s);
			cfg->nsections--;
		}
	}
	if (nheaders == 0)
		cfg_fail(&b, 0, NULL, NULL, "no [destination NAME] section: "
		    "nothing to ship to");
	if (cfg_add_implicit(&b, cfg, "auditship") == -1 ||
	    cfg_add_implicit(&b, cfg, "source") == -1)
		goto fail;
	qsort(cfg->sections, cfg->nsections, sizeof(*cfg->sections),
	    cfg_section_order);

	s = &cfg->sections[0];
	if (cfg_dup_str(&cfg->state_dir, s, "state_dir", e) == -1 ||
	    cfg_dup_str(&cfg->hostname, s, "hostname", e) == -1 ||
	    cfg_dup_str(&cfg->metrics_file, s, "metrics_file", e) == -1 ||
	    cfg_dup_str(&cfg->signing_key_file, s, "signing_key_file", e) == -1)
		goto fail;
	if (cfg->signing_key_file == NULL && cfg->state_dir != NULL) {
		size_t n = strlen(cfg->state_dir) + sizeof("/signing.key");

		if ((cfg->signing_key_file = malloc(n)) == NULL) {
			err_set(e, "out of memory");
			goto fail;
		}
		snprintf(cfg->signing_key_file, n, "%s/signing.key", cfg->state_dir);
	}
	cfg->day_local = conf_num(s, "day_boundary") == 1;
	cfg->settle_ms = conf_num(s, "settle");
	s = &cfg->sections[1];
	if (cfg_dup_str(&cfg->source_dir, s, "dir", e) == -1 ||
	    cfg_dup_str(&cfg->pattern, s, "pattern", e) == -1)
		goto fail;
	if (cfg->hostname != NULL && cfg->hostname[0] == '\0')
		cfg_fail(&b, conf_line(&cfg->sections[0], "hostname"),
		    "[auditship]", "hostname", "must not be empty");
	if (cfg->pattern != NULL && (cfg->pattern[0] == '\0' ||
	    strchr(cfg->pattern, '/') != NULL))
		cfg_fail(&b, conf_line(s, "pattern"), "[source]", "pattern",
		    "must be a file name without \"/\"");
	if (nerr > 0)
		goto fail;
	if (warn.len > 0 && (cfg->warnings = strdup(warn.p)) == NULL) {
		err_set(e, "out of memory");
		goto fail;
	}
	buf_free(&warn);
	cfg_reader_free(&r);
	return 0;
fail:
	buf_free(&warn);
	cfg_reader_free(&r);
	config_free(cfg);
	return -1;
}

/* ---- step 3: I/O -------------------------------------------------------- */

static const char *
cfg_real_getenv(void *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}

/* The real environment: HOME (else the passwd entry), root, host name. */
static void
cfg_real_env(struct config_env *env, char *host, size_t hostsize)
{
	struct passwd *pw;

	memset(env, 0, sizeof(*env));
	env->getenv = cfg_real_getenv;
	env->home = getenv("HOME");
	if ((env->home == NULL || env->home[0] == '\0') &&
	    (pw = getpwuid(geteuid())) != NULL)
		env->home = pw->pw_dir;
	env->is_root = geteuid() == 0;
	if (gethostname(host, hostsize) == 0) {
		host[hostsize - 1] = '\0';
		env->hostname = host;
	}
}

const char *
config_resolve_path(const char *explicit_path)
{
	const char *p;

	if (explicit_path != NULL)
		return explicit_path;
	if ((p = getenv("AUDITSHIP_CONFIG")) != NULL && p[0] != '\0')
		return p;
	if (access(CFG_SYSTEM_PATH, F_OK) == 0)
		return CFG_SYSTEM_PATH;
	return NULL;
}

/*
 * Read every secret once: a *_file that cannot be read is a configuration
 * error now, with its line, and every secret value is registered with the
 * log so that no later message can carry it.
 */
static int
cfg_load_secrets(const struct config *cfg, struct err *e)
{
	const struct conf_section *s;
	const struct conf_table *t;
	struct buf sec;
	struct err why;
	char var[CFG_KEYLEN + 8];
	size_t i, j;
	int line, rc;

	for (i = 0; i < cfg->nsections; i++) {
		s = &cfg->sections[i];
		t = cfg_table(s);
		/* Credential headers have no KEY_env/KEY_file form. */
		for (j = 0; j < s->nvals; j++)
			if (s->vals[j].secret &&
			    strncmp(s->vals[j].key, "header.", 7) == 0)
				log_add_secret(s->vals[j].text);
		for (j = 0; j < t->nkeys; j++) {
			if (!(t->keys[j].flags & CONF_SECRET))
				continue;
			/* An unset KEY_env was a warning (check). */
			if (s->secret_unset && snprintf(var, sizeof(var),
			    "%s_env", t->keys[j].name) < (int)sizeof(var) &&
			    conf_str(s, var) != NULL &&
			    (getenv(conf_str(s, var)) == NULL ||
			    getenv(conf_str(s, var))[0] == '\0'))
				continue;
			err_clear(&why);
			rc = conf_secret(s, t->keys[j].name, &sec, &why);
			buf_free_secret(&sec);
			if (rc != -1)
				continue;
			/* Only a KEY_file can fail here. */
			line = 0;
			if (snprintf(var, sizeof(var), "%s_file",
			    t->keys[j].name) < (int)sizeof(var))
				line = conf_line(s, var);
			return err_set(e, "%s:%d: %s", cfg->path, line,
			    why.msg);
		}
	}
	return 0;
}

int
config_load(struct config *cfg, const char *path, struct err *e)
{
	return config_load_report(cfg, path, 0, NULL, e);
}

int
config_load_report(struct config *cfg, const char *path, unsigned flags,
    struct buf *report, struct err *e)
{
	struct config_env env;
	struct stat st;
	struct buf text;
	char host[256];
	const char *xdg;
	int rc = -1;

	memset(cfg, 0, sizeof(*cfg));
	buf_init(&text, LIM_CONF_FILE);
	cfg_real_env(&env, host, sizeof(host));
	if (path == NULL) {
		/* SPEC §2.4: one dir destination, everything else default. */
		xdg = getenv("XDG_DATA_HOME");
		if (buf_printf(&text, "[destination archive]\ntype = dir\n"
		    "path = %s/auditship/archive\n",
		    xdg != NULL && xdg[0] == '/' ? "${XDG_DATA_HOME}" :
		    "~/.local/share") == -1) {
			err_set(e, "out of memory");
			goto out;
		}
		if (config_parse(cfg, CFG_EMBEDDED_NAME, text.p, text.len,
		    &env, e) == -1)
			goto out;
		cfg->embedded = 1;
		rc = 0;
		goto out;
	}
	if (fs_read_file(path, &text, LIM_CONF_FILE, &st, "file", e) == -1)
		goto out;
	env.file_mode = (unsigned)(st.st_mode & 07777);
	if (config_parse_report(cfg, path, text.p != NULL ? text.p : "",
	    text.len, &env, flags, report, e) == -1)
		goto out;
	/* status needs no secret (SPEC §4): it reads none. */
	if (!(flags & CONFIG_SECRETS_SKIP) && cfg_load_secrets(cfg, e) == -1) {
		config_free(cfg);
		goto out;
	}
	rc = 0;
out:
	buf_free_secret(&text);
	return rc;
}

void
config_free(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nsections; i++)
		cfg_section_free(&cfg->sections[i]);
	FREE_ALL(cfg->sections, cfg->path, cfg->state_dir, cfg->hostname,
	    cfg->metrics_file, cfg->signing_key_file, cfg->warnings,
	    cfg->source_dir, cfg->pattern);
	memset(cfg, 0, sizeof(*cfg));
}

/* ---- getters ----------------------------------------------------------- */

size_t
config_dest_count(const struct config *cfg)
{
	size_t i, n = 0;

	for (i = 0; i < cfg->nsections; i++)
		if (cfg->sections[i].dest_name != NULL)
			n++;
	return n;
}

const struct conf_section *
config_dest(const struct config *cfg, size_t idx)
{
	size_t i;

	for (i = 0; i < cfg->nsections; i++)
		if (cfg->sections[i].dest_name != NULL && idx-- == 0)
			return &cfg->sections[i];
	return NULL;
}

/* The table entry for key, for the default of a hand-built section. */
static const struct conf_key *
cfg_table_key(const struct conf_section *s, const char *key)
{
	const struct conf_table *t;

	if (s == NULL || s->name == NULL)
		return NULL;
	if ((t = cfg_table(s)) == NULL)
		return NULL;
	return conf_keys_find(t, key);
}

const char *
conf_str(const struct conf_section *s, const char *key)
{
	const struct conf_value *v = cfg_find(s, key);
	const struct conf_key *k;

	if (v != NULL)
		return v->text;
	k = cfg_table_key(s, key);
	return k != NULL ? k->def : NULL;
}

const char *
conf_str_opt(const struct conf_section *s, const char *key)
{
	const char *v = conf_str(s, key);

	return v != NULL && *v != '\0' ? v : NULL;
}

int
conf_bool(const struct conf_section *s, const char *key)
{
	return conf_num(s, key) != 0;
}

uint64_t
conf_num(const struct conf_section *s, const char *key)
{
	const struct conf_value *v = cfg_find(s, key);
	const struct conf_key *k;
	struct conf_value tmp;

	if (v != NULL)
		return v->num;
	/* Loaded sections carry their defaults; this is for a section a
	 * test built by hand. */
	if ((k = cfg_table_key(s, key)) == NULL || k->def == NULL)
		return 0;
	memset(&tmp, 0, sizeof(tmp));
	tmp.text = (char *)k->def;
	if (cfg_parse_value(k, &tmp, NULL) == -1)
		return 0;
	return tmp.num;
}

int
conf_is_set(const struct conf_section *s, const char *key)
{
	return cfg_set(s, key);
}

int
conf_line(const struct conf_section *s, const char *key)
{
	const struct conf_value *v = cfg_find(s, key);

	return v != NULL ? v->line : 0;
}

const struct conf_value *
conf_prefixed(const struct conf_section *s, const char *prefix, size_t i)
{
	size_t j, n = strlen(prefix);

	if (s == NULL)
		return NULL;
	for (j = 0; j < s->nvals; j++)
		if (strncmp(s->vals[j].key, prefix, n) == 0 && i-- == 0)
			return &s->vals[j];
	return NULL;
}

/* Read a *_file secret: bounded, trailing newline stripped. */
static int
cfg_read_secret_file(const char *label, const char *key, const char *path,
    struct buf *out, struct err *e)
{
	struct stat st;
	struct err why = { 0, "" };

	if (fs_read_file(path, out, LIM_SECRET, &st, "file", &why) == -1)
		return err_set(e, "%s %s: %s", label, key, why.msg);
	if (out->len > 0 && out->p[out->len - 1] == '\n')
		buf_truncate(out, out->len - 1);
	if (out->len > 0 && out->p[out->len - 1] == '\r')
		buf_truncate(out, out->len - 1);
	if (out->len == 0)
		return err_set(e, "%s %s: %s is empty", label, key, path);
	if (memchr(out->p, '\0', out->len) != NULL ||
	    memchr(out->p, '\n', out->len) != NULL)
		return err_set(e, "%s %s: %s holds more than one line (or a "
		    "NUL byte)", label, key, path);
	return 0;
}

int
conf_secret(const struct conf_section *s, const char *key,
    struct buf *out, struct err *e)
{
	const struct conf_value *v, *venv, *vfile;
	const char *ev;
	char var[CFG_KEYLEN + 8], label[96];
	int rc;

	buf_init(out, LIM_SECRET);
	cfg_sect_label(s, label, sizeof(label));
	v = cfg_find(s, key);
	if (snprintf(var, sizeof(var), "%s_env", key) >= (int)sizeof(var))
		return err_set(e, "%s %s: key name too long", label, key);
	venv = cfg_find(s, var);
	if (snprintf(var, sizeof(var), "%s_file", key) >= (int)sizeof(var))
		return err_set(e, "%s %s: key name too long", label, key);
	vfile = cfg_find(s, var);
	if ((v != NULL) + (venv != NULL) + (vfile != NULL) > 1)
		return err_set(e, "%s %s: set only one of %s, %s_env, %s_file",
		    label, key, key, key, key);
	if (v != NULL) {
		if (buf_adds(out, v->text) == -1)
			return err_set(e, "%s %s: longer than %d bytes",
			    label, key, LIM_SECRET);
	} else if (venv != NULL) {
		ev = getenv(venv->text);
		if (ev == NULL || ev[0] == '\0')
			return err_set(e, "%s %s: environment variable %.64s "
			    "is %s", label, venv->key, venv->text,
			    ev == NULL ? "not set" : "empty");
		if (buf_adds(out, ev) == -1)
			return err_set(e, "%s %s: environment variable %.64s "
			    "is longer than %d bytes", label, venv->key,
			    venv->text, LIM_SECRET);
	} else if (vfile != NULL) {
		rc = cfg_read_secret_file(label, vfile->key, vfile->text,
		    out, e);
		if (rc == -1) {
			buf_free_secret(out);
			buf_init(out, LIM_SECRET);
			return -1;
		}
	} else
		return 0;
	log_add_secret(out->p);
	return 1;
}

/* ---- config_print ------------------------------------------------------ */

/* 1 when name is KEY_env or KEY_file of a CONF_SECRET KEY of t. */
static int
cfg_secret_variant(const struct conf_table *t, const char *name)
{
	const struct conf_key *k;
	char base[CFG_KEYLEN];
	size_t n = strlen(name), cut;

	if (n > 4 && strcmp(name + n - 4, "_env") == 0)
		cut = n - 4;
	else if (n > 5 && strcmp(name + n - 5, "_file") == 0)
		cut = n - 5;
	else
		return 0;
	if (cut >= sizeof(base))
		return 0;
	memcpy(base, name, cut);
	base[cut] = '\0';
	k = conf_keys_find(t, base);
	return k != NULL && (k->flags & CONF_SECRET);
}

static void
cfg_print_value(struct buf *out, const struct conf_key *k,
    const struct conf_value *v)
{
	const char *text = v->text;

	if (v->secret || (k->flags & CONF_SECRET))
		text = "********";
	/* Values come from the file or the environment: control bytes are
	 * shown escaped (vis.c), never sent raw to the terminal. */
	vis_append(out, v->key, strlen(v->key));
	buf_adds(out, " = ");
	vis_append(out, text, strlen(text));
	if (v->line > 0)
		buf_addc(out, '\n');
	else
		buf_printf(out, "%s; default\n", text[0] != '\0' ? "  " : "");
}

void
config_print(const struct config *cfg, struct buf *out)
{
	const struct conf_section *s;
	const struct conf_table *t;
	const struct conf_value *v;
	const struct conf_key *k;
	char label[96];
	size_t i, j, n;

	buf_printf(out, "; auditship: resolved configuration from %s\n"
	    "; \"; default\" marks a value the file does not set; secrets "
	    "are shown as ********\n", cfg->path);
	for (i = 0; i < cfg->nsections; i++) {
		s = &cfg->sections[i];
		t = cfg_table(s);
		cfg_sect_label(s, label, sizeof(label));
		buf_printf(out, "\n%s\n", label);
		for (j = 0; j < t->nkeys; j++) {
			k = &t->keys[j];
			if (k->flags & CONF_PREFIX) {
				for (n = 0; (v = conf_prefixed(s, k->name,
				    n)) != NULL; n++)
					cfg_print_value(out, k, v);
				continue;
			}
			if ((v = cfg_find(s, k->name)) != NULL) {
				cfg_print_value(out, k, v);
				continue;
			}
			/* KEY_env / KEY_file of an unset secret: noise. */
			if (!cfg_secret_variant(t, k->name))
				buf_printf(out, "; %s = (not set)\n", k->name);
		}
	}
}
