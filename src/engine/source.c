/*
 * source.c - stream discovery and daily-file naming (SPEC §2.2).
 *
 * Streams come from glob(3) over [source] dir; each stream's {user} is the
 * owner of its daily files.
 * Listing a directory never opens the files: that is the reader's job.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "parse.h"
#include "source.h"

/* Take n digits at s into field (n + 1 bytes); a field the pattern names
 * twice (%Y-%m-%d-%m) must say the same both times. */
static int
take_digits(char *field, const char *s, size_t n)
{
	if (!parse_all_digits(s, n) || (field[0] != '\0' && memcmp(field, s, n) != 0))
		return 0;
	memcpy(field, s, n);
	return 1;
}

int
source_match(const char *pattern, const char *name, char date[11], int *gz)
{
	const char *p = pattern, *s = name;
	char y[5] = "", m[3] = "", d[3] = "", *field;
	size_t width;

	while (*p != '\0') {
		if (*p != '%') {
			if (*s++ != *p++)
				return 0;
			continue;
		}
		switch (p[1]) {
		case 'Y':
		case 'm':
		case 'd':
			field = p[1] == 'Y' ? y : p[1] == 'm' ? m : d;
			width = p[1] == 'Y' ? 4 : 2;
			if (!take_digits(field, s, width))
				return 0;
			s += width;
			break;
		case 'F':
			if (!take_digits(y, s, 4) || s[4] != '-' ||
			    !take_digits(m, s + 5, 2) || s[7] != '-' ||
			    !take_digits(d, s + 8, 2))
				return 0;
			s += 10;
			break;
		case '%':
			if (*s++ != '%')
				return 0;
			break;
		default:
			return 0;	/* conversions we do not match */
		}
		p += 2;
	}
	if (*s == '\0')
		*gz = 0;
	else if (strcmp(s, ".gz") == 0)
		*gz = 1;
	else
		return 0;
	if (y[0] == '\0' || m[0] == '\0' || d[0] == '\0')
		return 0;
	if (strcmp(m, "01") < 0 || strcmp(m, "12") > 0 ||
	    strcmp(d, "01") < 0 || strcmp(d, "31") > 0)
		return 0;
	memcpy(date, y, 4);		/* YYYY-MM-DD, no printf per file */
	date[4] = '-';
	memcpy(date + 5, m, 2);
	date[7] = '-';
	memcpy(date + 8, d, 2);
	date[10] = '\0';
	return 1;
}

int
source_name_for(const char *pattern, const char *date, char *out, size_t cap)
{
	size_t o = 0, add;
	const char *p, *piece;

	for (p = pattern; *p != '\0'; p++) {
		piece = p;
		add = 1;
		if (*p == '%') {
			switch (p[1]) {
			case 'Y': piece = date; add = 4; break;
			case 'm': piece = date + 5; add = 2; break;
			case 'd': piece = date + 8; add = 2; break;
			case 'F': piece = date; add = 10; break;
			case '%': piece = "%"; add = 1; break;
			default: return -1;
			}
			p++;
		}
		if (o + add >= cap)
			return -1;
		memcpy(out + o, piece, add);
		o += add;
	}
	out[o] = '\0';
	return 0;
}

void
source_today(time_t now, int local, char out[11])
{
	struct tm tm;

	if (local)
		localtime_r(&now, &tm);
	else
		gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int
source_day_closed(const char *date, const char *today, int gz, time_t mtime,
    time_t now, uint64_t settle_ms)
{
	if (strcmp(date, today) >= 0)
		return 0;
	if (gz)
		return 1;
	/* A file modified "in the future" (clock step) is not settled yet. */
	if (mtime > now)
		return 0;
	return (uint64_t)(now - mtime) * 1000 >= settle_ms;
}

/*
 * SPEC §2.2: a stream's {user} is the owner of its files.  The first
 * daily file found decides; a directory with none yet falls back to the
 * directory's owner (the hook creates both as the same user).
 */
static char *
source_owner(const char *dir, const char *pattern, uid_t uid)
{
	struct passwd pw, *res = NULL;
	char pwbuf[4096], num[32], date[11], path[LIM_PATH];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int gz;

	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (!source_match(pattern, de->d_name, date, &gz))
				continue;
			if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) <
			    (int)sizeof(path) && stat(path, &st) == 0 &&
			    S_ISREG(st.st_mode)) {
				uid = st.st_uid;
				break;
			}
		}
		closedir(d);
	}
	if (getpwuid_r(uid, &pw, pwbuf, sizeof(pwbuf), &res) == 0 && res != NULL)
		return strdup(pw.pw_name);
	snprintf(num, sizeof(num), "%u", (unsigned)uid);
	return strdup(num);
}

static int
stream_cmp(const void *a, const void *b)
{
	return strcmp(((const struct stream *)a)->dir,
	    ((const struct stream *)b)->dir);
}

/* glob(3) gives its error callback no context: one run at a time. */
static char source_glob_err[LIM_ERR_MSG];

static int
source_glob_errfunc(const char *path, int err)
{
	if (source_glob_err[0] == '\0')
		snprintf(source_glob_err, sizeof(source_glob_err),
		    "cannot read %.200s: %s", path, strerror(err));
	return 0;	/* go on with what can be read */
}

int
source_streams(const struct config *cfg, struct stream **out, size_t *n,
    struct err *e)
{
	glob_t g;
	struct stream *s = NULL;
	struct stat st;
	size_t i, ns = 0;
	int rc;

	*out = NULL;
	*n = 0;
	source_glob_err[0] = '\0';
	rc = glob(cfg->source_dir, GLOB_NOSORT | GLOB_ONLYDIR,
	    source_glob_errfunc, &g);
	if (rc == GLOB_NOMATCH) {
		/* An unreadable directory on the way hides streams: say so. */
		if (source_glob_err[0] != '\0')
			return err_set(e, "[source] dir %s: %s", cfg->source_dir,
			    source_glob_err);
		return 0;
	}
	if (rc != 0)
		return err_set(e, "[source] dir %s: glob failed", cfg->source_dir);
	if (g.gl_pathc > LIM_STREAMS) {
		globfree(&g);
		return err_set(e, "[source] dir %s matches more than %d directories",
		    cfg->source_dir, LIM_STREAMS);
	}
	if ((s = calloc(g.gl_pathc ? g.gl_pathc : 1, sizeof(*s))) == NULL) {
		globfree(&g);
		return err_sys(e, "malloc");
	}
	for (i = 0; i < g.gl_pathc; i++) {
		int bad = stat(g.gl_pathv[i], &st) == -1;

		if (bad || !S_ISDIR(st.st_mode)) {
			if (bad && errno == ELOOP && source_glob_err[0] == '\0')
				snprintf(source_glob_err, sizeof(source_glob_err),
				    "%s: a symlink loop", g.gl_pathv[i]);
			continue;
		}
		s[ns].dir = strdup(g.gl_pathv[i]);
		s[ns].user = source_owner(g.gl_pathv[i], cfg->pattern, st.st_uid);
		if (s[ns].dir == NULL || s[ns].user == NULL) {
			free(s[ns].dir);
			free(s[ns].user);
			continue;
		}
		/* Trailing slashes would make two names for one stream. */
		while (strlen(s[ns].dir) > 1 && s[ns].dir[strlen(s[ns].dir) - 1] == '/')
			s[ns].dir[strlen(s[ns].dir) - 1] = '\0';
		ns++;
	}
	globfree(&g);
	if (ns > 1)
		qsort(s, ns, sizeof(*s), stream_cmp);
	*out = s;
	*n = ns;
	if (source_glob_err[0] != '\0')
		return err_set(e, "[source] dir %s: %s (the other streams are "
		    "shipped)", cfg->source_dir, source_glob_err);
	return 0;
}

void
source_streams_free(struct stream *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(s[i].dir);
		free(s[i].user);
	}
	free(s);
}

static int
day_cmp(const void *a, const void *b)
{
	const struct day_file *x = a, *y = b;
	int c = strcmp(x->date, y->date);

	if (c != 0)
		return c;
	return x->gz - y->gz;	/* plain before .gz */
}

void
source_days_free(struct day_file *days, size_t n)
{
	size_t i;

	for (i = 0; days != NULL && i < n; i++)
		free(days[i].path);
	free(days);
}

/*
 * Why a name that matches the day pattern is not a day file, or NULL when
 * it is one (a regular file, through symlinks; *st filled).
 */
static const char *
source_skip_reason(int dfd, const char *name, struct stat *st)
{
	struct stat l;

	if (fstatat(dfd, name, st, 0) == -1) {
		if (errno == ELOOP)
			return "a symlink loop";
		if (errno == ENOENT && fstatat(dfd, name, &l, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(l.st_mode))
			return "a dangling symlink";
		return errno == EACCES ? "cannot be examined (permission denied)" :
		    "cannot be examined";
	}
	if (S_ISREG(st->st_mode))
		return NULL;
	if (S_ISFIFO(st->st_mode))
		return "a FIFO";
	if (S_ISSOCK(st->st_mode))
		return "a socket";
	if (S_ISDIR(st->st_mode))
		return "a directory";
	return "a device";
}

/*
 * Warn about a skipped name once per process (per run of `ship`; once for
 * the life of `run`), not on every pass over the directory.
 */
static void
source_warn_skip(const char *dir, const char *name, const char *why)
{
	static char *seen[256];
	static size_t nseen;
	char *path;
	size_t i;

	if (asprintf(&path, "%s/%s", dir, name) == -1)
		return;
	for (i = 0; i < nseen; i++)
		if (strcmp(seen[i], path) == 0) {
			free(path);
			return;
		}
	log_warn("%s: skipped: it matches the day-file pattern but is %s, "
	    "not a regular file", path, why);
	if (nseen < sizeof(seen) / sizeof(seen[0]))
		seen[nseen++] = path;	/* kept for the process's life */
	else
		free(path);
}

int
source_skipped(const struct config *cfg, const struct stream *s,
    void (*fn)(void *ctx, const char *name, const char *why), void *ctx)
{
	DIR *dir;
	struct dirent *de;
	struct stat st;
	char date[11];
	const char *why;
	int gz, n = 0;

	if ((dir = opendir(s->dir)) == NULL)
		return -1;
	while ((de = readdir(dir)) != NULL) {
		if (!source_match(cfg->pattern, de->d_name, date, &gz))
			continue;
		if ((why = source_skip_reason(dirfd(dir), de->d_name, &st)) != NULL) {
			fn(ctx, de->d_name, why);
			n++;
		}
	}
	closedir(dir);
	return n;
}

/* Append the day file name (in dfd, matched as date/gz) to *days;
 * 0, 1 when skipped (not a day file), -1 out of memory. */
static int
source_day_add(const struct stream *s, int dfd, const char *name,
    const char *date, int gz, struct day_file **days, size_t *nd,
    size_t *cap)
{
	struct day_file *f, *nd_p;
	const char *why;
	size_t nl, ln, dl;

	if (*nd == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		if ((nd_p = realloc(*days, *cap * sizeof(**days))) == NULL)
			return -1;
		*days = nd_p;
	}
	f = &(*days)[*nd];
	memset(f, 0, sizeof(*f));
	/* fstatat on the open directory: no path walk per file. */
	if ((why = source_skip_reason(dfd, name, &f->st)) != NULL) {
		source_warn_skip(s->dir, name, why);
		return 1;
	}
	memcpy(f->date, date, 11);
	f->gz = gz;
	/* memcpy, not printf: this runs for every day of every stream. */
	nl = strlen(name);
	ln = nl - (gz ? 3 : 0);
	if (ln >= sizeof(f->name))
		ln = sizeof(f->name) - 1;
	memcpy(f->name, name, ln);
	f->name[ln] = '\0';
	dl = strlen(s->dir);
	if ((f->path = malloc(dl + 1 + nl + 1)) == NULL)
		return -1;
	memcpy(f->path, s->dir, dl);
	f->path[dl] = '/';
	memcpy(f->path + dl + 1, name, nl + 1);
	(*nd)++;
	return 0;
}

/* Oldest first; a .gz twin of a plain file for the same day dropped. */
static size_t
source_days_finish(const struct stream *s, struct day_file *days, size_t n)
{
	size_t i, o;

	if (n > 1)
		qsort(days, n, sizeof(*days), day_cmp);
	for (i = 0, o = 0; i < n; i++) {
		if (o > 0 && strcmp(days[o - 1].date, days[i].date) == 0) {
			log_warn("%s: ignoring %s: the uncompressed file for that day exists",
			    s->dir, days[i].path);
			free(days[i].path);
			continue;
		}
		if (o != i)
			days[o] = days[i];
		o++;
	}
	return o;
}

int
source_days(const struct config *cfg, const struct stream *s,
    struct day_file **out, size_t *n, struct err *e)
{
	DIR *dir;
	struct dirent *de;
	struct day_file *days = NULL;
	size_t nd_len = 0, cap = 0;
	char date[11];
	int gz;

	*out = NULL;
	*n = 0;
	if ((dir = opendir(s->dir)) == NULL)
		return err_sys(e, "opendir %s", s->dir);
	while ((de = readdir(dir)) != NULL) {
		if (!source_match(cfg->pattern, de->d_name, date, &gz))
			continue;
		if (source_day_add(s, dirfd(dir), de->d_name, date, gz, &days,
		    &nd_len, &cap) == -1) {
			closedir(dir);
			source_days_free(days, nd_len);
			return err_sys(e, "malloc");
		}
	}
	closedir(dir);
	*out = days;
	*n = source_days_finish(s, days, nd_len);
	return 0;
}

int
source_days_named(const struct config *cfg, const struct stream *s,
    const char *const *names, size_t nnames, struct day_file **out,
    size_t *n, struct err *e)
{
	struct day_file *days = NULL;
	size_t nd_len = 0, cap = 0, i, k;
	char date[11], plain[256 + 3];
	struct stat sb;
	int gz, dfd, rc;

	*out = NULL;
	*n = 0;
	if ((dfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return err_sys(e, "open %s", s->dir);
	for (i = 0; i < nnames; i++) {
		if (!source_match(cfg->pattern, names[i], date, &gz) ||
		    strlen(names[i]) >= sizeof(plain))
			continue;
		for (k = 0; k < nd_len; k++)
			if (strcmp(days[k].date, date) == 0)
				break;
		if (k < nd_len)
			continue;	/* named twice, or as NAME and NAME.gz */
		/* As in a listing: the plain file wins over its .gz. */
		snprintf(plain, sizeof(plain), "%.*s",
		    (int)(strlen(names[i]) - (gz ? 3 : 0)), names[i]);
		if (fstatat(dfd, plain, &sb, AT_SYMLINK_NOFOLLOW) == 0)
			rc = source_day_add(s, dfd, plain, date, 0, &days, &nd_len, &cap);
		else if (snprintf(plain + strlen(plain), 4, ".gz") > 0 &&
		    fstatat(dfd, plain, &sb, AT_SYMLINK_NOFOLLOW) == 0)
			rc = source_day_add(s, dfd, plain, date, 1, &days, &nd_len, &cap);
		else
			continue;	/* gone since: the full pass will see */
		if (rc == -1) {
			close(dfd);
			source_days_free(days, nd_len);
			return err_sys(e, "malloc");
		}
	}
	close(dfd);
	*out = days;
	*n = source_days_finish(s, days, nd_len);
	return 0;
}
