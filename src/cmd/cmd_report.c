/*
 * cmd_report.c - `auditship report` (SPEC §8): read the local trail or a
 * dir archive destination, day by day and line by line, into the pure
 * aggregation of report.c, then render text, JSON or HTML.
 *
 * Read errors (an unreadable file, a corrupt gzip object) are counted in
 * the report, logged, and never stop the rest; the exit status is then 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "caps.h"
#include "gz.h"
#include "cmd.h"
#include "archive.h"
#include "keyfmt.h"
#include "log.h"
#include "prune.h"
#include "reader.h"
#include "report.h"
#include "source.h"
#include "state.h"
#include "verify.h"

#define REPORT_MAX_USERS	64	/* --user options */
#define REPORT_MAX_DAY_OBJECTS	LIM_REPORT_DAY_OBJECTS
#define REPORT_MAX_RANGE	LIM_REPORT_RANGE
#define REPORT_OUT_MAX		LIM_REPORT_OUT

static const char report_usage[] =
    "usage: auditship [-c FILE] report [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "                 [--dest NAME] [--user U]... [--format text|json|html] [-o FILE]\n"
    "  Summarise the audit trail for the days --from..--to (default: the last\n"
    "  7 closed days and today): per day and user, per tool (calls, failures,\n"
    "  p50/p95 duration), completeness signs, denials, risky actions, redactions.\n"
    "  Reads the local daily files, or with --dest a dir archive destination\n"
    "  (its objects and seals).  Exit 0, 1 when a file or object could not be\n"
    "  read (the report still covers the rest), 2 usage or configuration error.\n"
    "\n"
    "risky-action rules (matched on the redacted command and file path):\n";

struct rep_opts {
	const char	*from, *to, *dest, *out, *format;
	const char	*users[REPORT_MAX_USERS];
	size_t		 nusers;
};

/* date + delta days into out (YYYY-MM-DD). */
static void
date_add(const char *date, int delta, char out[11])
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (date[0] - '0') * 1000 + (date[1] - '0') * 100 +
	    (date[2] - '0') * 10 + (date[3] - '0') - 1900;
	tm.tm_mon = (date[5] - '0') * 10 + (date[6] - '0') - 1;
	tm.tm_mday = (date[8] - '0') * 10 + (date[9] - '0') + delta;
	tm.tm_hour = 12;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Copy a date (YYYY-MM-DD, checked by cmd_valid_day or made here). */
static void
date_copy(char dst[11], const char *src)
{
	memcpy(dst, src, 10);
	dst[10] = '\0';
}

static int
user_wanted(const struct rep_opts *o, const char *user)
{
	size_t i;

	if (o->nusers == 0)
		return 1;
	for (i = 0; i < o->nusers; i++)
		if (strcmp(o->users[i], user) == 0)
			return 1;
	return 0;
}

/* Feed one file (plain or gzip) into the current day.  -1 on a read
 * error, which is recorded in the report and logged. */
static int
feed_file(struct report *r, const char *path, int gz, const char *label)
{
	struct reader rd;
	struct reader_line ln;
	struct err e = { 0, "" };
	int rc;

	if (reader_open(&rd, path, gz, 0, UINT64_MAX, LIM_LINE_MAX, &e) == -1) {
		log_warn("report: %s", e.msg);
		report_day_error(r, label, e.msg);
		return -1;
	}
	while ((rc = reader_next(&rd, &ln, &e)) == 1) {
		if (ln.flags & READER_OVERSIZE)
			report_line(r, "", 0, 0);	/* counted invalid */
		else
			report_line(r, ln.p, ln.len, (ln.flags & READER_FRAGMENT) != 0);
	}
	reader_close(&rd);
	if (rc == -1) {
		log_warn("report: %s: %s", label, e.msg);
		report_day_error(r, label, e.msg);
		return -1;
	}
	return 0;
}

/* The most resets any destination recorded for this day file. */
static uint64_t
local_resets(const struct config *cfg, struct state *st, int have_state,
    const struct stream *s, const char *name)
{
	uint64_t best = 0;
	size_t i;

	if (!have_state)
		return 0;
	for (i = 0; i < config_dest_count(cfg); i++) {
		struct state_rec *rec = state_get(st, config_dest(cfg, i)->dest_name,
		    s->dir, name, 0);

		if (rec != NULL && rec->resets > best)
			best = rec->resets;
	}
	return best;
}

static int
report_local(const struct config *cfg, const struct rep_opts *o,
    struct report *r, const char *today)
{
	struct stream *streams = NULL;
	struct day_file *days = NULL;
	struct state st;
	struct prune_list pruned;
	struct err e = { 0, "" };
	struct stat sb;
	size_t ns = 0, nd, si, di;
	int have_state = 0, errors = 0;
	char last[11];

	memset(&st, 0, sizeof(st));
	if (stat(cfg->state_dir, &sb) == 0 &&
	    state_open(&st, cfg->state_dir, 0, &e) == 0)
		have_state = 1;
	err_clear(&e);
	prune_list_load(cfg->state_dir, &pruned);
	if (source_streams(cfg, &streams, &ns, &e) == -1) {
		log_warn("report: %s", e.msg);
		report_day_error(r, "source", e.msg);
		err_clear(&e);
		errors++;
	}
	/* gaps are days up to today at most */
	date_copy(last, strcmp(o->to, today) < 0 ? o->to : today);
	for (si = 0; si < ns; si++) {
		const struct stream *s = &streams[si];
		char d[11];

		if (!user_wanted(o, s->user))
			continue;
		if (source_days(cfg, s, &days, &nd, &e) == -1) {
			log_warn("report: %s", e.msg);
			report_day_begin(r, o->from, s->user, cfg->hostname);
			report_day_error(r, s->dir, e.msg);
			report_day_end(r);
			err_clear(&e);
			errors++;
			continue;
		}
		di = 0;
		date_copy(d, o->from);
		while (nd > 0 && strcmp(d, o->to) <= 0) {
			while (di < nd && strcmp(days[di].date, d) < 0)
				di++;
			if (di < nd && strcmp(days[di].date, d) == 0) {
				report_day_begin(r, d, s->user, cfg->hostname);
				if (feed_file(r, days[di].path, days[di].gz,
				    days[di].path) == -1)
					errors++;
				report_day_resets(r, local_resets(cfg, &st,
				    have_state, s, days[di].name));
				report_day_end(r);
			} else if (prune_list_has(&pruned, s->dir, d)) {
				/* deleted by prune once safely elsewhere: not a
				 * gap; its lines are at the destinations */
				report_day_begin(r, d, s->user, cfg->hostname);
				report_day_pruned(r);
				report_day_end(r);
			} else if (strcmp(d, days[0].date) > 0 &&
			    strcmp(d, last) <= 0) {
				report_day_begin(r, d, s->user, cfg->hostname);
				report_day_gap(r);
				report_day_end(r);
			}
			date_add(d, 1, d);
		}
		source_days_free(days, nd);
		days = NULL;
	}
	source_streams_free(streams, ns);
	prune_list_free(&pruned);
	if (have_state)
		state_close(&st);
	return errors;
}

/* ---- archive destinations (through archive.c: dir today, s3 when it
 * can read one) ---- */

/* A sorted list of names, bounded. */
struct names {
	char	**v;
	size_t	 n, cap;
};

static int
names_add(void *ctx, const char *name)
{
	struct names *l = ctx;

	if (l->n >= REPORT_MAX_DAY_OBJECTS)
		return 0;
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		char **nv = realloc(l->v, ncap * sizeof(*nv));

		if (nv == NULL)
			return -1;
		l->v = nv;
		l->cap = ncap;
	}
	if ((l->v[l->n] = strdup(name)) == NULL)
		return -1;
	l->n++;
	return 0;
}

static int
names_add_key(void *ctx, const char *key, uint64_t size)
{
	(void)size;
	return names_add(ctx, key);
}

static void
names_free(struct names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Lines out of pushed bytes (an object, decompressed), into the report:
 * a line longer than LIM_LINE_MAX is skipped and counted invalid; empty
 * lines are skipped; a last line without "\n" is a fragment. */
struct line_sink {
	struct report	*r;
	struct buf	 line;
	int		 skipping;
};

static void
sink_line(struct line_sink *ls, const char *p, size_t n, int fragment)
{
	if (n > 0 && p[n - 1] == '\r' && !fragment)
		n--;
	if (n > 0)
		report_line(ls->r, p, n, fragment);
}

static int
line_push(void *ctx, const void *data, size_t n, struct err *e)
{
	struct line_sink *ls = ctx;
	const char *p = data, *end = p + n, *nl;

	(void)e;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			if (!ls->skipping && buf_add(&ls->line, p, (size_t)(end - p)) == -1) {
				buf_reset(&ls->line);
				ls->skipping = 1;
			}
			return 0;
		}
		if (ls->skipping) {
			report_line(ls->r, "", 0, 0);	/* oversize: invalid */
			ls->skipping = 0;
		} else if (ls->line.len == 0)
			sink_line(ls, p, (size_t)(nl - p), 0);
		else if (buf_add(&ls->line, p, (size_t)(nl - p)) == -1)
			report_line(ls->r, "", 0, 0);
		else
			sink_line(ls, ls->line.p, ls->line.len, 0);
		buf_reset(&ls->line);
		p = nl + 1;
	}
	return 0;
}

static void
line_flush(struct line_sink *ls)
{
	if (ls->skipping)
		report_line(ls->r, "", 0, 1);
	else if (ls->line.len > 0)
		sink_line(ls, ls->line.p, ls->line.len, 1);
	buf_reset(&ls->line);
	ls->skipping = 0;
}

/* Stored bytes of an object into its gunzip. */
static int
object_push(void *ctx, const void *p, size_t n, struct err *e)
{
	return gz_push_write(ctx, p, n, e);
}

/* Read one object (gzip) line by line into the current day; -1 on a
 * read or gzip error, recorded in the report and logged. */
static int
feed_object(struct archive *a, const char *key, struct line_sink *ls)
{
	struct err e = { 0, "" };
	struct gz_push *z;
	int rc;

	if ((z = gz_push_new(line_push, ls, &e)) == NULL)
		rc = -1;
	else if ((rc = archive_get(a, key, object_push, z, &e)) == 0)
		rc = err_set(&e, "%s: no such object", key);
	else if (rc == 1)
		rc = gz_push_finish(z, &e);
	gz_push_free(z);
	line_flush(ls);
	if (rc == -1) {
		log_warn("report: %s: %s", key, e.msg);
		report_day_error(ls->r, key, e.msg);
		return -1;
	}
	return 0;
}

/* The reset generation in an object name ("...resetN.jsonl.gz"), 0 when
 * none; -1 when the name is not a day object (a seal, something else). */
static int
object_generation(const char *name)
{
	static const char ext[] = ".jsonl.gz";
	size_t n = strlen(name), el = sizeof(ext) - 1, i;
	const char *r;
	int g = 0;

	if (n <= el || strcmp(name + n - el, ext) != 0)
		return -1;
	if ((r = strstr(name, ".reset")) == NULL)
		return 0;
	for (i = 6; r[i] >= '0' && r[i] <= '9'; i++)
		g = g * 10 + (r[i] - '0');
	return i > 6 ? g : 0;
}

/* Seals of one stream, checked by verify's code (SPEC §7). */
struct seal_info {
	struct verify_stream	 vs;
	int			 ok;	/* vs holds results */
	int			 keyed;	/* a trusted key was loaded */
};

static void
seal_check(struct archive *a, const struct config *cfg,
    const struct verify_key *keys, size_t nkeys, const struct rep_opts *o,
    const char *host, const char *user, struct seal_info *si, struct report *r)
{
	struct verify_opts vo;
	struct err e = { 0, "" };
	size_t i, j;
	char where[LIM_PATH];

	memset(si, 0, sizeof(*si));
	si->keyed = nkeys > 0;
	if (a == NULL)
		return;
	memset(&vo, 0, sizeof(vo));
	vo.cfg = cfg;
	vo.keys = keys;
	vo.nkeys = nkeys;
	vo.from = o->from;
	vo.to = o->to;
	if (verify_stream(a, &vo, host, user, &si->vs, &e) == -1) {
		log_warn("report: seals of %s/%s: %s", host, user, e.msg);
		return;
	}
	si->ok = 1;
	if (!si->keyed)
		return;
	for (i = 0; i < si->vs.ndays; i++) {
		const struct verify_day *d = &si->vs.days[i];

		for (j = 0; j < d->np; j++) {
			if (snprintf(where, sizeof(where), "%s %s/%s %s", d->date,
			    host, user, d->p[j].key) >= (int)sizeof(where))
				where[sizeof(where) - 1] = '\0';	/* cut, still named */
			report_seal_problem(r, d->date, where, d->p[j].what);
		}
	}
}

/* sealed / verified of one day from the seal check. */
static void
seal_day(struct report *r, const struct seal_info *si, const char *date,
    int seal_seen)
{
	size_t i;

	if (si->ok)
		for (i = 0; i < si->vs.ndays; i++) {
			const struct verify_day *d = &si->vs.days[i];

			if (strcmp(d->date, date) != 0)
				continue;
			report_day_seal(r, d->seals > 0, !si->keyed ? -1 :
			    d->sealed && d->np == 0);
			return;
		}
	report_day_seal(r, seal_seen, -1);
}

static int
report_dir(const struct config *cfg, const struct conf_section *ds,
    const struct rep_opts *o, struct report *r, const char *today)
{
	struct archive *a;
	struct verify_key *keys = NULL;
	struct names hosts = { NULL, 0, 0 }, users = { NULL, 0, 0 };
	struct line_sink ls;
	size_t nkeys = 0, hi, ui;
	struct err e = { 0, "" };
	const char *fmt;
	char pub[LIM_PATH], last[11];
	int errors = 0;

	if ((a = archive_open(cfg, ds, &e)) == NULL) {
		log_error("report: %s", e.msg);
		return -2;
	}
	fmt = archive_key_format(a);
	if (strncmp(fmt, "{host}/{user}/", 14) != 0) {
		log_error("report: [destination %s] key_format %s: report reads "
		    "archives whose keys start with {host}/{user}/", o->dest, fmt);
		archive_close(a);
		return -2;
	}
	/* seals are checked with this host's public key, as verify does
	 * without --key; without one, sealed says a seal is present and
	 * verified stays null */
	if (snprintf(pub, sizeof(pub), "%s.pub", cfg->signing_key_file) <
	    (int)sizeof(pub) && verify_load_keys(pub, &keys, &nkeys, &e) == -1) {
		log_warn("report: %s: seals not verified (verified is null)", e.msg);
		nkeys = 0;
		err_clear(&e);
	}
	memset(&ls, 0, sizeof(ls));
	ls.r = r;
	buf_init(&ls.line, LIM_LINE_MAX);
	date_copy(last, strcmp(o->to, today) < 0 ? o->to : today);
	if (archive_children(a, "", names_add, &hosts, &e) == -1) {
		log_warn("report: cannot list the archive: %s", e.msg);
		report_day_error(r, o->dest, e.msg);
		errors++;
	}
	for (hi = 0; hi < hosts.n; hi++) {
		char hp[LIM_KEY];

		if (snprintf(hp, sizeof(hp), "%s/", hosts.v[hi]) >= (int)sizeof(hp))
			continue;
		err_clear(&e);
		if (archive_children(a, hp, names_add, &users, &e) == -1) {
			log_warn("report: cannot list %s: %s", hp, e.msg);
			report_day_error(r, hp, e.msg);
			errors++;
		}
		for (ui = 0; ui < users.n; ui++) {
			struct keyfmt_vars v = { hosts.v[hi], users.v[ui], NULL, 0, 0, 0 };
			struct seal_info si;
			char d[11], first[11] = "";

			if (!user_wanted(o, users.v[ui]))
				continue;
			seal_check(a, cfg, keys, nkeys, o, hosts.v[hi], users.v[ui], &si, r);
			date_copy(d, o->from);
			for (; strcmp(d, o->to) <= 0; date_add(d, 1, d)) {
				struct names objs = { NULL, 0, 0 };
				struct buf key;
				const char *slash, *base;
				char dprefix[LIM_KEY];
				size_t oi;
				int gmax = -1, sealed = 0, g;

				/* the day's objects: under the rendered key's
				 * directory, named DATE.* */
				v.date = d;
				buf_init(&key, LIM_KEY);
				if (keyfmt_render(&key, "", fmt, &v, &e) == -1 ||
				    buf_addc(&key, '\0') == -1 ||
				    (slash = strrchr(key.p, '/')) == NULL ||
				    snprintf(dprefix, sizeof(dprefix), "%.*s",
				    (int)(slash + 1 - key.p), key.p) >= (int)sizeof(dprefix)) {
					buf_free(&key);
					break;
				}
				buf_free(&key);
				err_clear(&e);
				if (archive_list(a, dprefix, names_add_key, &objs, &e) == -1) {
					report_day_begin(r, d, users.v[ui], hosts.v[hi]);
					report_day_error(r, dprefix, e.msg);
					report_day_end(r);
					log_warn("report: cannot list %s: %s", dprefix, e.msg);
					errors++;
				}
				for (oi = 0; oi < objs.n; oi++) {
					base = strrchr(objs.v[oi], '/');
					base = base ? base + 1 : objs.v[oi];
					if (strncmp(base, d, 10) != 0 || base[10] != '.')
						continue;
					if (strncmp(base + 11, "seal.", 5) == 0)
						sealed = 1;
					if ((g = object_generation(base)) > gmax)
						gmax = g;
				}
				if (gmax >= 0 || sealed) {
					if (first[0] == '\0')
						date_copy(first, d);
					report_day_begin(r, d, users.v[ui], hosts.v[hi]);
					for (oi = 0; oi < objs.n; oi++) {
						base = strrchr(objs.v[oi], '/');
						base = base ? base + 1 : objs.v[oi];
						g = object_generation(base);
						if (strncmp(base, d, 10) != 0 || base[10] != '.' ||
						    g < 0 || g != gmax)
							continue;
						if (feed_object(a, objs.v[oi], &ls) == -1)
							errors++;
					}
					if (gmax > 0)
						report_day_resets(r, (uint64_t)gmax);
					seal_day(r, &si, d, sealed);
					if (gmax < 0)
						report_day_gap(r);
					report_day_end(r);
				} else if (first[0] != '\0' && strcmp(d, last) <= 0) {
					report_day_begin(r, d, users.v[ui], hosts.v[hi]);
					report_day_gap(r);
					seal_day(r, &si, d, 0);
					report_day_end(r);
				}
				names_free(&objs);
			}
			if (si.ok)
				verify_stream_free(&si.vs);
		}
		names_free(&users);
	}
	names_free(&hosts);
	buf_free(&ls.line);
	verify_keys_free(keys, nkeys);
	archive_close(a);
	return errors;
}

static int
write_out(const char *path, const struct buf *b)
{
	FILE *f;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0) {
		if (fwrite(b->p, 1, b->len, stdout) != b->len || fflush(stdout) != 0) {
			log_error("report: write to stdout: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		log_error("report: %s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (fwrite(b->p, 1, b->len, f) != b->len || fclose(f) != 0) {
		log_error("report: write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void
print_usage(void)
{
	size_t i;

	fputs(report_usage, stdout);
	for (i = 0; i < report_nrules; i++)
		printf("  %-16s %s\n", report_rules[i].id, report_rules[i].desc);
}

int
cmd_report(const struct config *cfg, int argc, char **argv)
{
	struct rep_opts o;
	struct report *r;
	struct buf out;
	const struct conf_section *ds = NULL;
	char today[11], from[11], to[11];
	int a, errors = 0, rc;
	size_t i;

	memset(&o, 0, sizeof(o));
	o.format = "text";
	for (a = 1; a < argc; a++) {
		const char *opt = argv[a];

		if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
			print_usage();
			return EXIT_OK;
		}
		if (a + 1 >= argc) {
			log_error("report: unknown option %s or it needs a value "
			    "(see report --help)", opt);
			return EXIT_USAGE;
		}
		if (strcmp(opt, "--from") == 0)
			o.from = argv[++a];
		else if (strcmp(opt, "--to") == 0)
			o.to = argv[++a];
		else if (strcmp(opt, "--dest") == 0)
			o.dest = argv[++a];
		else if (strcmp(opt, "--format") == 0)
			o.format = argv[++a];
		else if (strcmp(opt, "-o") == 0 || strcmp(opt, "--output") == 0)
			o.out = argv[++a];
		else if (strcmp(opt, "--user") == 0) {
			if (o.nusers >= REPORT_MAX_USERS) {
				log_error("report: at most %d --user", REPORT_MAX_USERS);
				return EXIT_USAGE;
			}
			o.users[o.nusers++] = argv[++a];
		} else {
			log_error("report: unknown option %s (see report --help)", opt);
			return EXIT_USAGE;
		}
	}
	if (strcmp(o.format, "text") != 0 && strcmp(o.format, "json") != 0 &&
	    strcmp(o.format, "html") != 0) {
		log_error("report: --format %s: text, json or html", o.format);
		return EXIT_USAGE;
	}
	if ((o.from && !cmd_valid_day(o.from)) || (o.to && !cmd_valid_day(o.to))) {
		log_error("report: --from/--to take a date YYYY-MM-DD");
		return EXIT_USAGE;
	}
	source_today(time(NULL), cfg->day_local, today);
	date_copy(to, o.to ? o.to : today);
	if (o.from)
		date_copy(from, o.from);
	else
		date_add(to, -7, from);
	if (strcmp(from, to) > 0) {
		log_error("report: --from %s is after --to %s", from, to);
		return EXIT_USAGE;
	}
	{
		char lim[11];

		date_add(from, REPORT_MAX_RANGE, lim);
		if (strcmp(to, lim) > 0) {
			log_error("report: at most %d days at once", REPORT_MAX_RANGE);
			return EXIT_USAGE;
		}
	}
	o.from = from;
	o.to = to;
	if (o.dest != NULL) {
		for (i = 0; i < config_dest_count(cfg); i++)
			if (strcmp(config_dest(cfg, i)->dest_name, o.dest) == 0)
				ds = config_dest(cfg, i);
		if (ds == NULL) {
			log_error("report: no [destination %s] in %s", o.dest, cfg->path);
			return EXIT_USAGE;
		}
	}
	if ((r = malloc(sizeof(*r))) == NULL || report_init(r, from, to, o.dest) == -1) {
		free(r);
		log_error("report: out of memory");
		return EXIT_DEST;
	}
	if (ds != NULL)
		rc = report_dir(cfg, ds, &o, r, today);
	else
		rc = report_local(cfg, &o, r, today);
	if (rc == -2) {
		report_free(r);
		free(r);
		return EXIT_USAGE;
	}
	errors = rc;
	report_finish(r);
	buf_init(&out, REPORT_OUT_MAX);
	if (strcmp(o.format, "json") == 0)
		rc = report_json(r, &out);
	else if (strcmp(o.format, "html") == 0)
		rc = report_html(r, &out);
	else
		rc = report_text(r, &out);
	if (rc == -1)
		log_error("report: the report did not fit in %u MiB", REPORT_OUT_MAX >> 20);
	else if (write_out(o.out, &out) == -1)
		rc = -1;
	buf_free(&out);
	report_free(r);
	free(r);
	if (rc == -1)
		return EXIT_DEST;
	if (errors > 0)
		log_warn("report: %d file%s or object%s could not be read fully; "
		    "the report says which", errors, errors == 1 ? "" : "s",
		    errors == 1 ? "" : "s");
	return errors > 0 ? EXIT_DEST : EXIT_OK;
}
