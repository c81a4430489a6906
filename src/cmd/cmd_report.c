/*
 * cmd_report.c - `auditship report` (SPEC §8): read the local trail or a
 * dir archive destination, day by day and line by line, into the pure
 * aggregation of report.c, then render text, JSON or HTML.
 *
 * Read errors (an unreadable file, a corrupt gzip object) are counted in
 * the report, logged, and never stop the rest; the exit status is then 1.
 */
#include <dirent.h>
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
#include "cmd.h"
#include "keyfmt.h"
#include "log.h"
#include "prune.h"
#include "reader.h"
#include "report.h"
#include "source.h"
#include "state.h"

#define REPORT_MAX_USERS	64	/* --user options */
#define REPORT_MAX_DAY_OBJECTS	100000	/* objects of one day listed */
#define REPORT_MAX_RANGE	3660	/* days in --from..--to */
#define REPORT_OUT_MAX		(256u << 20)

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
	snprintf(last, sizeof(last), "%s", strcmp(o->to, today) < 0 ? o->to : today);
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
		snprintf(d, sizeof(d), "%s", o->from);
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

/* ---- dir archive ---- */

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the entries of dir (directories when dirs, else regular
 * files) that start with prefix; *n set.  NULL with *n = 0 when none. */
static char **
list_dir(const char *dir, int dirs, const char *prefix, size_t *n, int *err)
{
	DIR *d;
	struct dirent *de;
	char **v = NULL, path[LIM_PATH];
	size_t cap = 0, pl = strlen(prefix);
	struct stat sb;

	*n = 0;
	*err = 0;
	if ((d = opendir(dir)) == NULL) {
		*err = errno;
		return NULL;
	}
	while ((de = readdir(d)) != NULL && *n < REPORT_MAX_DAY_OBJECTS) {
		if (de->d_name[0] == '.' || strncmp(de->d_name, prefix, pl) != 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(path) || stat(path, &sb) == -1)
			continue;
		if (dirs ? !S_ISDIR(sb.st_mode) : !S_ISREG(sb.st_mode))
			continue;
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **nv = realloc(v, ncap * sizeof(*nv));

			if (nv == NULL)
				break;
			v = nv;
			cap = ncap;
		}
		if ((v[*n] = strdup(de->d_name)) == NULL)
			break;
		(*n)++;
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), name_cmp);
	return v;
}

static void
free_names(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
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

static int
report_dir(const struct config *cfg, const struct conf_section *ds,
    const struct rep_opts *o, struct report *r, const char *today)
{
	const char *root = conf_str(ds, "path"), *prefix = conf_str(ds, "prefix");
	const char *up = conf_str(ds, "upload");
	const char *fmt = conf_is_set(ds, "key_format") ? conf_str(ds, "key_format") :
	    (up != NULL && strcmp(up, "daily") == 0) ? KEYFMT_DAILY : KEYFMT_CHUNK;
	char base[LIM_PATH], last[11];
	char **hosts, **users;
	size_t nh, nu, hi, ui;
	int errors = 0, err;

	(void)cfg;
	if (strncmp(fmt, "{host}/{user}/", 14) != 0) {
		log_error("report: [destination %s] key_format %s: report reads "
		    "archives whose keys start with {host}/{user}/", o->dest, fmt);
		return -2;
	}
	if (snprintf(base, sizeof(base), "%s/%s", root,
	    prefix != NULL ? prefix : "") >= (int)sizeof(base)) {
		log_error("report: archive path too long");
		return -2;
	}
	snprintf(last, sizeof(last), "%s", strcmp(o->to, today) < 0 ? o->to : today);
	hosts = list_dir(base, 1, "", &nh, &err);
	if (err != 0) {
		log_warn("report: cannot list archive %s: %s", base, strerror(err));
		report_day_error(r, base, strerror(err));
		return 1;
	}
	for (hi = 0; hi < nh; hi++) {
		char hdir[LIM_PATH];

		if (snprintf(hdir, sizeof(hdir), "%s/%s", base, hosts[hi]) >=
		    (int)sizeof(hdir))
			continue;
		users = list_dir(hdir, 1, "", &nu, &err);
		for (ui = 0; ui < nu; ui++) {
			struct keyfmt_vars v = { hosts[hi], users[ui], NULL, 0, 0, 0 };
			char d[11], first[11] = "";

			if (!user_wanted(o, users[ui]))
				continue;
			snprintf(d, sizeof(d), "%s", o->from);
			while (strcmp(d, o->to) <= 0) {
				struct buf key;
				struct err e = { 0, "" };
				char dpath[LIM_PATH], dprefix[16], opath[LIM_PATH];
				char **objs;
				const char *slash;
				size_t no, oi;
				int gmax = -1, sealed = 0, g;

				v.date = d;
				buf_init(&key, LIM_KEY);
				if (keyfmt_render(&key, "", fmt, &v, &e) == -1 ||
				    buf_addc(&key, '\0') == -1) {
					buf_free(&key);
					break;
				}
				slash = strrchr(key.p, '/');
				if (slash == NULL || snprintf(dpath, sizeof(dpath),
				    "%s/%.*s", base, (int)(slash - key.p), key.p) >=
				    (int)sizeof(dpath)) {
					buf_free(&key);
					break;
				}
				buf_free(&key);
				snprintf(dprefix, sizeof(dprefix), "%s.", d);
				objs = list_dir(dpath, 0, dprefix, &no, &err);
				for (oi = 0; oi < no; oi++) {
					if (strncmp(objs[oi] + 11, "seal.", 5) == 0) {
						sealed = 1;
						continue;	/* a seal, not lines */
					}
					if ((g = object_generation(objs[oi])) > gmax)
						gmax = g;
				}
				if (gmax >= 0 || sealed) {
					if (first[0] == '\0')
						snprintf(first, sizeof(first), "%s", d);
					report_day_begin(r, d, users[ui], hosts[hi]);
					for (oi = 0; oi < no; oi++) {
						if (object_generation(objs[oi]) != gmax ||
						    strncmp(objs[oi] + 11, "seal.", 5) == 0)
							continue;
						if (snprintf(opath, sizeof(opath), "%s/%s",
						    dpath, objs[oi]) >= (int)sizeof(opath))
							continue;
						if (feed_file(r, opath, 1, opath) == -1)
							errors++;
					}
					if (gmax > 0)
						report_day_resets(r, (uint64_t)gmax);
					report_day_seal(r, sealed, -1);
					if (gmax < 0)
						report_day_gap(r);
					report_day_end(r);
				} else if (first[0] != '\0' && strcmp(d, last) <= 0) {
					report_day_begin(r, d, users[ui], hosts[hi]);
					report_day_gap(r);
					report_day_seal(r, 0, -1);
					report_day_end(r);
				}
				free_names(objs, no);
				date_add(d, 1, d);
			}
		}
		free_names(users, nu);
	}
	free_names(hosts, nh);
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
	snprintf(to, sizeof(to), "%s", o.to ? o.to : today);
	if (o.from)
		snprintf(from, sizeof(from), "%s", o.from);
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
		if (strcmp(ds->type, "dir") != 0) {
			log_error("report: [destination %s] is of type %s; report "
			    "--dest reads dir archives", o.dest, ds->type);
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
