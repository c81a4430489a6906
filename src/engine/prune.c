/*
 * prune.c - local retention (see prune.h).  prune_decide() and
 * prune_old_enough() are pure and tested as tables (test_prune.c); the
 * pass gathers what each destination's state says and deletes.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "log.h"
#include "prune.h"
#include "sealer.h"
#include "source.h"

#define PRUNE_LIST_MAX	(1u << 20)	/* pruned-days lines we read */

enum prune_why
prune_decide(int old_enough, int closed, const struct prune_ack *a, size_t n,
    size_t *culprit)
{
	size_t i;

	*culprit = 0;
	if (!old_enough)
		return PRUNE_KEEP_YOUNG;
	if (!closed)
		return PRUNE_KEEP_OPEN;
	for (i = 0; i < n; i++) {
		*culprit = i;
		if (!a[i].found)
			return PRUNE_KEEP_NEVER;
		if (!a[i].same_file)
			return PRUNE_KEEP_OTHER_FILE;
		if (a[i].pending)
			return PRUNE_KEEP_PENDING;
		if (a[i].off != a[i].need)
			return PRUNE_KEEP_UNACKED;
		if (a[i].changed)
			return PRUNE_KEEP_CHANGED;
		if (a[i].seals && !a[i].sealed)
			return PRUNE_KEEP_UNSEALED;
	}
	*culprit = 0;
	return n == 0 ? PRUNE_KEEP_NEVER : PRUNE_DELETE;
}

const char *
prune_why_text(enum prune_why why)
{
	switch (why) {
	case PRUNE_DELETE:
		return "acknowledged whole by every destination";
	case PRUNE_KEEP_YOUNG:
		return "not older than prune_after";
	case PRUNE_KEEP_OPEN:
		return "the day is not closed yet";
	case PRUNE_KEEP_NEVER:
		return "never shipped";
	case PRUNE_KEEP_OTHER_FILE:
		return "what was shipped is of another file (replaced or reset)";
	case PRUNE_KEEP_PENDING:
		return "an upload is under way";
	case PRUNE_KEEP_UNACKED:
		return "not every byte acknowledged";
	case PRUNE_KEEP_CHANGED:
		return "changed since a ship last read it";
	case PRUNE_KEEP_UNSEALED:
		return "its seal is not stored";
	}
	return "?";
}

int
prune_old_enough(const char *date, int local, time_t now, uint64_t after_ms)
{
	struct tm tm;
	time_t end;

	memset(&tm, 0, sizeof(tm));
	if (strptime(date, "%Y-%m-%d", &tm) == NULL)
		return 0;
	tm.tm_mday += 1;	/* the day ends when the next one starts */
	tm.tm_isdst = -1;
	end = local ? mktime(&tm) : timegm(&tm);
	if (end == (time_t)-1 || now < end)
		return 0;
	return (uint64_t)(now - end) * 1000 >= after_ms;
}

static const struct conf_section *
prune_section(const struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nsections; i++)
		if (strcmp(cfg->sections[i].name, "auditship") == 0)
			return &cfg->sections[i];
	return NULL;
}

uint64_t
prune_after_ms(const struct config *cfg)
{
	const struct conf_section *s = prune_section(cfg);

	return s != NULL && conf_is_set(s, "prune_after") ?
	    conf_num(s, "prune_after") : 0;
}

/* Is the day's seal stored at this destination (sealer.c, SPEC §7)? */
static int
prune_sealed(const struct state *st, const struct conf_section *d,
    const struct stream *s, const struct day_file *df)
{
	return sealer_day_sealed((struct state *)st, d, s->dir, df->name);
}

/* Append one "pruned" line, durably, before the file goes. */
static int
prune_record(const char *state_dir, const struct stream *s,
    const struct day_file *df, uint64_t bytes, time_t now, struct err *e)
{
	char path[LIM_PATH], es[LIM_PATH * 3], en[256 * 3];
	struct buf line;
	int fd, rc = -1;

	if (snprintf(path, sizeof(path), "%s/pruned", state_dir) >=
	    (int)sizeof(path) || state_escape(s->dir, es, sizeof(es)) == -1 ||
	    state_escape(df->name, en, sizeof(en)) == -1)
		return err_set(e, "prune: path too long");
	buf_init(&line, sizeof(es) + sizeof(en) + 128);
	if (buf_printf(&line, "%s\t%s\t%s\t%" PRIu64 "\t%lld\n", es, en,
	    df->date, bytes, (long long)now) == -1) {
		buf_free(&line);
		return err_set(e, "prune: line too long");
	}
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0600)) == -1) {
		err_sys(e, "open %s", path);
		goto out;
	}
	if (fs_write_all(fd, line.p, line.len) == -1 || fsync(fd) == -1) {
		err_sys(e, "write %s", path);
		close(fd);
		goto out;
	}
	rc = close(fd) == -1 ? err_sys(e, "close %s", path) : 0;
out:
	buf_free(&line);
	return rc;
}

/* What destination d's state says about the file df. */
static void
prune_ack_of(const struct state *st, const struct conf_section *d,
    const struct stream *s, const struct day_file *df, struct prune_ack *a)
{
	struct state_rec *r;

	memset(a, 0, sizeof(*a));
	a->seals = dest_conf_seals(d);
	r = state_get((struct state *)st, d->dest_name, s->dir, df->name, 0);
	if (r == NULL)
		return;
	a->found = 1;
	a->same_file = r->dev == (uint64_t)df->st.st_dev &&
	    r->ino == (uint64_t)df->st.st_ino && r->gz == df->gz;
	a->pending = r->pending;
	a->changed = r->ctime_ns != (int64_t)df->st.st_ctim.tv_sec *
	    1000000000 + df->st.st_ctim.tv_nsec;
	a->off = r->off;
	if (!df->gz)
		a->need = (uint64_t)df->st.st_size;
	else if (r->gz_csize == (uint64_t)df->st.st_size &&
	    r->gz_mtime == (int64_t)df->st.st_mtime)
		a->need = r->size;
	else
		a->need = UINT64_MAX;	/* not measured at this size */
	a->sealed = a->seals && prune_sealed(st, d, s, df);
}

int
prune_pass(const struct config *cfg, struct state *st, int dry_run,
    time_t now, struct prune_result *res)
{
	uint64_t after = prune_after_ms(cfg);
	size_t ndest = config_dest_count(cfg), ns = 0, nd, si, di, k, culprit;
	struct prune_ack acks[LIM_DESTS];
	struct stream *streams = NULL;
	struct day_file *days;
	struct err e = { 0, "" };
	char today[11];
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (after == 0 || ndest > LIM_DESTS)
		return 0;
	source_today(now, cfg->day_local, today);
	if (source_streams(cfg, &streams, &ns, &e) == -1) {
		log_warn("prune: %s", e.msg);
		err_clear(&e);
	}
	for (si = 0; si < ns; si++) {
		const struct stream *s = &streams[si];

		if (source_days(cfg, s, &days, &nd, &e) == -1) {
			log_warn("prune: %s", e.msg);
			err_clear(&e);
			continue;
		}
		for (di = 0; di < nd; di++) {
			const struct day_file *df = &days[di];
			enum prune_why why;
			int closed;

			for (k = 0; k < ndest; k++)
				prune_ack_of(st, config_dest(cfg, k), s, df,
				    &acks[k]);
			closed = source_day_closed(df->date, today, df->gz,
			    df->st.st_mtime, now, cfg->settle_ms);
			why = prune_decide(prune_old_enough(df->date,
			    cfg->day_local, now, after), closed, acks, ndest,
			    &culprit);
			if (why != PRUNE_DELETE) {
				res->kept++;
				if (dry_run && why >= PRUNE_KEEP_NEVER)
					printf("keep          %s  %s: %s [dest %s]\n",
					    df->date, df->path, prune_why_text(why),
					    config_dest(cfg, culprit)->dest_name);
				else if (dry_run)
					printf("keep          %s  %s: %s\n", df->date,
					    df->path, prune_why_text(why));
				continue;
			}
			if (dry_run) {
				printf("would delete  %s  %s: %s\n", df->date,
				    df->path, prune_why_text(why));
				res->deleted++;
				res->bytes += acks[0].need;
				continue;
			}
			if (prune_record(cfg->state_dir, s, df, acks[0].need,
			    now, &e) == -1 || (unlink(df->path) == -1 &&
			    err_sys(&e, "unlink %s", df->path) == -1) ||
			    fs_fsync_parent(df->path, &e) == -1) {
				log_error("prune: %s: %s", df->date, e.msg);
				err_clear(&e);
				res->failed++;
				rc = -1;
				continue;
			}
			log_info("prune: deleted %s (%s, %" PRIu64 " bytes, "
			    "acknowledged whole by all %zu destination%s)",
			    df->path, df->date, acks[0].need, ndest,
			    ndest == 1 ? "" : "s");
			res->deleted++;
			res->bytes += acks[0].need;
		}
		source_days_free(days, nd);
	}
	source_streams_free(streams, ns);
	return rc;
}

void
prune_list_load(const char *state_dir, struct prune_list *l)
{
	char path[LIM_PATH], chunk[8192], *line, *nl, *f[5];
	struct buf b;
	ssize_t n;
	size_t cap = 0;
	int fd, i;

	memset(l, 0, sizeof(*l));
	if (snprintf(path, sizeof(path), "%s/pruned", state_dir) >=
	    (int)sizeof(path) || (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	buf_init(&b, PRUNE_LIST_MAX);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (buf_add(&b, chunk, (size_t)n) == -1)
			break;
	close(fd);
	for (line = b.p; line != NULL && *line != '\0'; line = nl) {
		if ((nl = strchr(line, '\n')) == NULL)
			break;	/* a torn last line */
		*nl++ = '\0';
		f[0] = line;
		for (i = 1; i < 5; i++)
			if ((f[i] = strchr(f[i - 1], '\t')) != NULL)
				*f[i]++ = '\0';
			else
				break;
		if (i < 5 || state_unescape(f[0]) == -1)
			continue;
		if (l->n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			char **ns = realloc(l->stream, nc * sizeof(*ns));
			char **nd;

			if (ns == NULL)
				break;
			l->stream = ns;
			if ((nd = realloc(l->date, nc * sizeof(*nd))) == NULL)
				break;
			l->date = nd;
			cap = nc;
		}
		if ((l->stream[l->n] = strdup(f[0])) == NULL)
			break;
		if ((l->date[l->n] = strdup(f[2])) == NULL) {
			free(l->stream[l->n]);
			break;
		}
		l->n++;
	}
	buf_free(&b);
}

int
prune_list_has(const struct prune_list *l, const char *stream,
    const char *date)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->date[i], date) == 0 &&
		    strcmp(l->stream[i], stream) == 0)
			return 1;
	return 0;
}

void
prune_list_free(struct prune_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->stream[i]);
		free(l->date[i]);
	}
	free(l->stream);
	free(l->date);
	memset(l, 0, sizeof(*l));
}
