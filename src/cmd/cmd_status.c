/*
 * cmd_status.c - `auditship status [--json]` (SPEC §4): per stream, day and
 * destination, bytes shipped of bytes present, lag, last success, last
 * error, counters; days missing between a stream's first and last day are
 * listed as gaps.  Reads the state without taking the lock: the state file
 * is replaced atomically, so a concurrent ship never shows a torn one.
 * Each row is collected first (status_cell_get, status_total_get), then
 * printed as text or JSON (status_*_text, status_*_json).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "jsonl.h"
#include "log.h"
#include "metrics.h"
#include "prune.h"
#include "source.h"
#include "sealer.h"
#include "state.h"
#include "vis.h"

static void
fmt_time(int64_t t, char *out, size_t cap)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t <= 0) {
		snprintf(out, cap, "never");
		return;
	}
	gmtime_r(&tt, &tm);
	strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Names are bytes: invalid UTF-8 stays recoverable as \u00XX per byte
 * (issue 17 #9), never U+FFFD. */
static void
json_str(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	jsonl_escape_bytes(b, s, strlen(s));
	buf_addc(b, '"');
}

/*
 * Text output: a name or an error from outside, terminal-safe (vis.h):
 * no escape sequence reaches the terminal, a "\n" in a directory name
 * cannot spoof a line.  Up to 8 results are valid at once (one printf).
 */
static const char *
txt(const char *s)
{
	static struct buf ring[8];
	static unsigned at;
	struct buf *b = &ring[at++ % 8];

	if (b->max == 0)
		buf_init(b, 4 * LIM_PATH + 64);
	buf_reset(b);
	if (s == NULL || vis_append(b, s, strlen(s)) == -1 || b->p == NULL)
		return s == NULL || s[0] == '\0' ? "" : "(too long)";
	return b->p;
}

static void
json_time(struct buf *b, int64_t t)
{
	char ts[32];

	if (t <= 0) {
		buf_adds(b, "null");
		return;
	}
	fmt_time(t, ts, sizeof(ts));
	json_str(b, ts);
}

/* Next calendar day of YYYY-MM-DD. */
static void
next_day(const char *d, char out[11])
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	strptime(d, "%Y-%m-%d", &tm);
	tm.tm_hour = 12;
	t = timegm(&tm) + 86400;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The days of stream dir deleted by prune: a JSON list of dates, and one
 * text line (count, first, last). */
static void
status_pruned(const struct prune_list *l, const char *dir, struct buf *j,
    int json)
{
	const char *first = NULL, *last = NULL;
	size_t i, n = 0;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->stream[i], dir) != 0)
			continue;
		if (n++ > 0)
			buf_addc(j, ',');
		json_str(j, l->date[i]);
		if (first == NULL || strcmp(l->date[i], first) < 0)
			first = l->date[i];
		if (last == NULL || strcmp(l->date[i], last) > 0)
			last = l->date[i];
	}
	if (!json && n > 0)
		printf("  pruned: %zu day%s deleted locally after every destination"
		    " had them (%s .. %s)\n", n, n == 1 ? "" : "s", first, last);
}

/* A name matching the day pattern that is not a day file (issue 17 #8). */
struct status_skip {
	struct buf	*j;
	int		 json, n;
};

static void
status_skip_cb(void *ctx, const char *name, const char *why)
{
	struct status_skip *sk = ctx;

	if (sk->n++ > 0)
		buf_addc(sk->j, ',');
	buf_adds(sk->j, "{\"name\":");
	json_str(sk->j, name);
	buf_adds(sk->j, ",\"why\":");
	json_str(sk->j, why);
	buf_addc(sk->j, '}');
	if (!sk->json)
		printf("  skipped: %s: %s, not a regular file\n", txt(name), why);
}

/* Bytes present: the file size, or the uncompressed size a ship recorded. */
static uint64_t
present_bytes(const struct state *st, const struct config *cfg,
    const struct stream *s, const struct day_file *df)
{
	size_t i, n = config_dest_count(cfg);

	if (!df->gz)
		return (uint64_t)df->st.st_size;
	for (i = 0; i < n; i++) {
		struct state_rec *r = state_get((struct state *)st,
		    config_dest(cfg, i)->dest_name, s->dir, df->name, 0);

		if (r != NULL && r->gz && r->gz_csize == (uint64_t)df->st.st_size)
			return r->size;
	}
	return (uint64_t)df->st.st_size;
}

/* One day of one stream at one destination, as status shows it. */
struct status_cell {
	const char	*date, *dest;
	uint64_t	 off, present, lag, lines;
	int64_t		 lag_s, last_ok;
	uint64_t	 invalid, oversize, truncated, resets, seal_seq;
	int		 pending;
	int		 seals;		/* the destination seals (SPEC §7) */
	int		 sealed;
};

static void
status_cell_get(struct state *st, const struct conf_section *dcs,
    const struct stream *s, const struct day_file *df, uint64_t present,
    time_t now, struct status_cell *c)
{
	struct state_rec *r = state_get(st, dcs->dest_name, s->dir, df->name,
	    0);

	memset(c, 0, sizeof(*c));
	c->date = df->date;
	c->dest = dcs->dest_name;
	c->seals = dest_conf_seals(dcs);	/* SPEC §7: else null */
	c->sealed = c->seals && r != NULL && r->off > 0 &&
	    sealer_day_sealed(st, dcs, s->dir, df->name);
	c->present = present;
	c->off = r ? r->off : 0;
	c->lag = present > c->off ? present - c->off : 0;
	c->lag_s = c->lag > 0 ? (int64_t)now - (int64_t)df->st.st_mtime : 0;
	if (c->lag_s < 0)
		c->lag_s = 0;
	if (r == NULL)
		return;
	c->lines = r->lines;
	c->last_ok = r->last_ok;
	c->invalid = r->invalid;
	c->oversize = r->oversize;
	c->truncated = r->truncated;
	c->resets = r->resets;
	c->pending = r->pending;
	c->seal_seq = r->seal_seq;
}

static void
status_cell_json(struct buf *j, const struct status_cell *c)
{
	buf_adds(j, "{\"name\":");
	json_str(j, c->dest);
	buf_printf(j, ",\"shipped_bytes\":%" PRIu64 ",\"lag_bytes\":%"
	    PRIu64 ",\"lag_seconds\":%" PRId64 ",\"lines\":%" PRIu64
	    ",\"last_success\":", c->off, c->lag, c->lag_s, c->lines);
	json_time(j, c->last_ok);
	buf_printf(j, ",\"invalid_lines\":%" PRIu64 ",\"oversize_lines\":%"
	    PRIu64 ",\"truncated_lines\":%" PRIu64 ",\"resets\":%" PRIu64
	    ",\"pending_upload\":%s,\"sealed\":%s,\"seals\":%" PRIu64 "}",
	    c->invalid, c->oversize, c->truncated, c->resets,
	    c->pending ? "true" : "false",
	    !c->seals ? "null" : c->sealed ? "true" : "false", c->seal_seq);
}

static void
status_cell_text(const struct status_cell *c)
{
	char sp[40], counts[96], t1[32];

	snprintf(sp, sizeof(sp), "%" PRIu64 "/%" PRIu64, c->off, c->present);
	snprintf(counts, sizeof(counts), "%" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%"
	    PRIu64, c->invalid, c->oversize, c->truncated, c->resets);
	fmt_time(c->last_ok, t1, sizeof(t1));
	printf("  %-10s  %-16s %-27s %12" PRIu64 " %-20s %-34s %s\n",
	    txt(c->date), txt(c->dest), sp, c->lag, t1, counts,
	    !c->seals ? "-" : c->sealed ? "yes" : "no");
}

/* One destination over every stream and day. */
struct status_total {
	const char	*name, *type;
	struct metric_sum sum;		/* over its records */
	uint64_t	 errors;
	int64_t		 last_ok, last_err_at;
	const char	*last_err;	/* NULL: none */
};

static void
status_total_get(const struct state *st, const struct conf_section *cs,
    struct status_total *t)
{
	struct state_dest *sd = state_dest_get((struct state *)st,
	    cs->dest_name, 0);

	memset(t, 0, sizeof(*t));
	t->name = cs->dest_name;
	t->type = cs->type;
	metrics_sum_dest(st, cs->dest_name, &t->sum);
	if (sd == NULL)
		return;
	t->errors = sd->errors;
	t->last_ok = sd->last_ok;
	t->last_err_at = sd->last_err_at;
	t->last_err = sd->last_err;
}

static void
status_total_json(struct buf *j, const struct status_total *t)
{
	buf_adds(j, "{\"name\":");
	json_str(j, t->name);
	buf_adds(j, ",\"type\":");
	json_str(j, t->type);
	buf_printf(j, ",\"shipped_bytes\":%" PRIu64 ",\"lag_bytes\":%" PRIu64
	    ",\"invalid_lines\":%" PRIu64 ",\"oversize_lines\":%" PRIu64
	    ",\"truncated_lines\":%" PRIu64 ",\"rejected_lines\":%" PRIu64
	    ",\"errors\":%" PRIu64 ",\"last_success\":", t->sum.bytes,
	    t->sum.lag, t->sum.invalid, t->sum.oversize, t->sum.truncated,
	    t->sum.rejected, t->errors);
	json_time(j, t->last_ok);
	buf_adds(j, ",\"last_error\":");
	if (t->last_err != NULL)
		json_str(j, t->last_err);
	else
		buf_adds(j, "null");
	buf_adds(j, ",\"last_error_at\":");
	json_time(j, t->last_err_at);
	buf_addc(j, '}');
}

static void
status_total_text(const struct status_total *t)
{
	char t1[32], t2[32];

	fmt_time(t->last_ok, t1, sizeof(t1));
	fmt_time(t->last_err_at, t2, sizeof(t2));
	printf("destination %s (%s): last success %s, lag %" PRIu64 " bytes, "
	    "invalid %" PRIu64 ", oversize %" PRIu64 ", truncated %" PRIu64
	    ", rejected %" PRIu64 "\n", txt(t->name), txt(t->type), t1, t->sum.lag,
	    t->sum.invalid, t->sum.oversize, t->sum.truncated, t->sum.rejected);
	if (t->last_err != NULL)
		printf("  last error (%s): %s\n", t2, txt(t->last_err));
}

static const char status_usage[] =
    "usage: auditship [-c FILE] status [--json]\n"
    "  Per stream, day and destination: bytes shipped of present, lag,\n"
    "  last success, last error, invalid/oversize/truncated counts, gaps.\n";

int
cmd_status(const struct config *cfg, int argc, char **argv)
{
	struct state st;
	struct prune_list pruned;
	struct stream *streams = NULL;
	struct day_file *days = NULL;
	size_t ns = 0, nd, si, dj, di, n = config_dest_count(cfg);
	struct err e = { 0, "" };
	struct buf j;
	int json = 0, rc;
	time_t now = time(NULL);

	if ((rc = cmd_one_flag("status", argc, argv, "--json", status_usage,
	    &json)) != -1)
		return rc;
	if ((rc = state_open(&st, cfg->state_dir, 0, &e)) != 0) {
		log_error("%s", e.msg);
		state_close(&st);
		return EXIT_DEST;
	}
	prune_list_load(cfg->state_dir, &pruned);
	if (source_streams(cfg, &streams, &ns, &e) == -1) {
		log_warn("%s", e.msg);
		err_clear(&e);
	}
	buf_init(&j, 256u << 20);
	buf_printf(&j, "{\"host\":");
	json_str(&j, cfg->hostname);
	buf_adds(&j, ",\"config\":");
	json_str(&j, cfg->path);
	buf_adds(&j, ",\"state_dir\":");
	json_str(&j, cfg->state_dir);
	buf_adds(&j, ",\"streams\":[");
	if (!json)
		printf("auditship status: host %s, state %s\n", txt(cfg->hostname),
		    txt(cfg->state_dir));
	if (!json && ns == 0)
		printf("no source directory matches %s\n", txt(cfg->source_dir));
	for (si = 0; si < ns; si++) {
		const struct stream *s = &streams[si];
		char expect[11] = "";
		int first_gap = 1;

		if (source_days(cfg, s, &days, &nd, &e) == -1) {
			log_error("%s", e.msg);
			err_clear(&e);
			continue;
		}
		if (si > 0)
			buf_addc(&j, ',');
		buf_adds(&j, "{\"dir\":");
		json_str(&j, s->dir);
		buf_adds(&j, ",\"user\":");
		json_str(&j, s->user);
		if (!json)
			printf("\nstream %s (user %s): %zu day file%s\n", txt(s->dir), txt(s->user),
			    nd, nd == 1 ? "" : "s");
		buf_adds(&j, ",\"skipped\":[");
		{
			struct status_skip sk = { &j, json, 0 };

			(void)source_skipped(cfg, s, status_skip_cb, &sk);
		}
		buf_adds(&j, "],\"gaps\":[");

		for (dj = 0; dj < nd; dj++) {
			if (expect[0] != '\0') {
				while (strcmp(expect, days[dj].date) < 0) {
					if (prune_list_has(&pruned, s->dir, expect)) {
						next_day(expect, expect);
						continue;	/* pruned: not a gap */
					}
					if (!first_gap)
						buf_addc(&j, ',');
					json_str(&j, expect);
					if (!json)
						printf("  gap: no file for %s\n", expect);
					first_gap = 0;
					next_day(expect, expect);
				}
			}
			next_day(days[dj].date, expect);
		}
		buf_adds(&j, "],\"pruned\":[");
		status_pruned(&pruned, s->dir, &j, json);
		buf_adds(&j, "],\"days\":[");
		if (!json && nd > 0)
			printf("  %-10s  %-16s %-27s %12s %-20s %-34s %s\n", "day", "destination",
			    "shipped/present bytes", "lag", "last success",
			    "invalid/oversize/truncated/resets", "sealed");
		for (dj = 0; dj < nd; dj++) {
			const struct day_file *df = &days[dj];
			uint64_t present = present_bytes(&st, cfg, s, df);

			if (dj > 0)
				buf_addc(&j, ',');
			buf_adds(&j, "{\"date\":");
			json_str(&j, df->date);
			buf_adds(&j, ",\"file\":");
			json_str(&j, df->path);
			buf_printf(&j, ",\"present_bytes\":%" PRIu64 ",\"compressed\":%s,"
			    "\"destinations\":[", present, df->gz ? "true" : "false");
			for (di = 0; di < n; di++) {
				struct status_cell c;

				status_cell_get(&st, config_dest(cfg, di), s, df,
				    present, now, &c);
				if (di > 0)
					buf_addc(&j, ',');
				status_cell_json(&j, &c);
				if (!json)
					status_cell_text(&c);
			}
			buf_adds(&j, "]}");
		}
		buf_adds(&j, "]}");
		source_days_free(days, nd);
		days = NULL;
	}
	buf_adds(&j, "],\"destinations\":[");
	if (!json)
		printf("\n");
	for (di = 0; di < n; di++) {
		struct status_total t;

		status_total_get(&st, config_dest(cfg, di), &t);
		if (di > 0)
			buf_addc(&j, ',');
		status_total_json(&j, &t);
		if (!json)
			status_total_text(&t);
	}
	buf_adds(&j, "]}\n");
	if (json)
		fwrite(j.p, 1, j.len, stdout);
	buf_free(&j);
	source_streams_free(streams, ns);
	prune_list_free(&pruned);
	state_close(&st);
	return EXIT_OK;
}
