/*
 * report_text.c - `auditship report --format text`: aligned tables that
 * fit 100 columns.  Control bytes in commands are shown as '?', so a
 * command cannot drive the terminal.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define TEXT_WIDTH	100

/* Append s cut to width columns (code points), control bytes as '?';
 * left aligned (pad with spaces) or right aligned. */
static void
cell(struct buf *o, const char *s, size_t width, int right)
{
	size_t cols = 0, i, bytes = 0, n = strlen(s);

	/* count what fits */
	for (i = 0; i < n && cols < width; ) {
		size_t l = 1;
		unsigned char c = (unsigned char)s[i];

		if (c >= 0xc0) {
			while (i + l < n && ((unsigned char)s[i + l] & 0xc0) == 0x80)
				l++;
		}
		i += l;
		cols++;
		bytes = i;
	}
	if (right)
		for (i = cols; i < width; i++)
			buf_addc(o, ' ');
	for (i = 0; i < bytes; i++) {
		unsigned char c = (unsigned char)s[i];

		buf_addc(o, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
	if (!right)
		for (i = cols; i < width; i++)
			buf_addc(o, ' ');
}

static void
num(struct buf *o, uint64_t v, size_t width)
{
	char t[24];

	snprintf(t, sizeof(t), "%" PRIu64, v);
	cell(o, t, width, 1);
}

static void
trim_nl(struct buf *o)
{
	while (o->len > 0 && o->p[o->len - 1] == ' ')
		o->len--;
	buf_addc(o, '\n');
}

static const char *
tri(int v)
{
	return v < 0 ? "-" : v ? "yes" : "NO";
}

/* "  ts  user  session  text" lines of a list, cut to the width. */
static void
firsts(const struct report *r, struct buf *o, const struct report_list *l)
{
	size_t i;

	for (i = 0; i < l->nfirst; i++) {
		const struct report_first *f = &l->first[i];
		const struct report_row *w = f->row < r->nrows ? &r->rows[f->row] : NULL;
		char sess[9];
		size_t sl = strlen(f->session);

		if (sl > 8)
			sl = 8;
		memcpy(sess, f->session, sl);
		sess[sl] = '\0';
		buf_adds(o, "    ");
		cell(o, f->ts[0] ? f->ts : (w ? w->date : "-"), 24, 0);
		buf_addc(o, ' ');
		cell(o, w ? w->user : "-", 10, 0);
		buf_addc(o, ' ');
		cell(o, sess, 8, 0);
		buf_addc(o, ' ');
		cell(o, f->tool[0] ? f->tool : "-", 10, 0);
		buf_addc(o, ' ');
		cell(o, f->text, TEXT_WIDTH - 4 - 25 - 11 - 9 - 11, 0);
		trim_nl(o);
	}
}

struct col {
	const char	*name;
	size_t		 width;
	int		 right;
};

/* The DAYS table: where, then DAY_COUNTS counts, then the seal. */
#define DAY_COUNTS	6
static const struct col day_cols[] = {
	{ "date", 10, 0 }, { "user", 12, 0 }, { "host", 14, 0 },
	{ "events", 9, 1 }, { "sessions", 8, 1 }, { "calls", 8, 1 },
	{ "failed", 7, 1 }, { "invalid", 7, 1 }, { "resets", 6, 1 },
	{ "sealed", 8, 0 },
};
static const struct col tool_cols[] = {
	{ "tool", 40, 0 }, { "calls", 10, 1 }, { "failures", 10, 1 },
	{ "fail%", 6, 1 }, { "p50_ms", 10, 1 }, { "p95_ms", 10, 1 },
};

/* A table's header line. */
static void
header(struct buf *o, const struct col *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(o, ' ');
		cell(o, c[i].name, c[i].width, c[i].right);
	}
	trim_nl(o);
}

/* The count columns of a DAYS line. */
static void
day_counts(struct buf *o, const uint64_t *v)
{
	size_t i;

	for (i = 0; i < DAY_COUNTS; i++) {
		if (i > 0)
			buf_addc(o, ' ');
		num(o, v[i], day_cols[3 + i].width);
	}
}

int
report_text(const struct report *r, struct buf *o)
{
	size_t *idx, i, k, n, errs = 0;
	uint64_t tot[DAY_COUNTS] = { 0 };

	n = r->nrows > REPORT_MAX_TOOLS + 1 ? r->nrows : REPORT_MAX_TOOLS + 1;
	if ((idx = calloc(n, sizeof(*idx))) == NULL)
		return -1;
	buf_printf(o, "auditship report %s .. %s, %s%s\n\n", r->from, r->to,
	    r->dest ? "destination " : "local trail", r->dest ? r->dest : "");

	buf_adds(o, "DAYS\n");
	header(o, day_cols, sizeof(day_cols) / sizeof(day_cols[0]));
	report_sorted_rows(r, idx);
	for (i = 0; i < r->nrows; i++) {
		const struct report_row *w = &r->rows[idx[i]];
		const uint64_t counts[DAY_COUNTS] = { w->events, w->sessions,
		    w->tool_calls, w->failures, w->invalid, w->resets };
		char seal[16];

		cell(o, w->date, 10, 0); buf_addc(o, ' ');
		cell(o, w->user, 12, 0); buf_addc(o, ' ');
		cell(o, w->host, 14, 0); buf_addc(o, ' ');
		if (w->gap || w->pruned) {
			cell(o, w->gap ? "no file" : "pruned", 9, 1);
			buf_addc(o, ' ');
			cell(o, "", 8 + 1 + 8 + 1 + 7 + 1 + 7 + 1 + 6, 0);
		} else
			day_counts(o, counts);
		for (k = 0; k < DAY_COUNTS; k++)
			tot[k] += counts[k];
		buf_addc(o, ' ');
		if (w->sealed < 0)
			snprintf(seal, sizeof(seal), "-");
		else
			snprintf(seal, sizeof(seal), "%s%s", tri(w->sealed),
			    w->sealed == 1 && w->verified == 0 ? ",BAD" :
			    w->sealed == 1 && w->verified == 1 ? ",ok" : "");
		cell(o, seal, 8, 0);
		if (w->errors) {
			buf_adds(o, " E");	/* column 100 */
			errs++;
		}
		trim_nl(o);
	}
	cell(o, "total", 10 + 1 + 12 + 1 + 14, 0); buf_addc(o, ' ');
	day_counts(o, tot);
	trim_nl(o);
	if (errs > 0)
		buf_adds(o, "E: part of the day could not be read (see read errors)\n");

	buf_adds(o, "\nTOOLS\n");
	header(o, tool_cols, sizeof(tool_cols) / sizeof(tool_cols[0]));
	report_sorted_tools(r, idx);
	n = r->ntools;
	for (i = 0; i < n; i++) {
		const struct report_tool *t = &r->tools[idx[i]];
		char pct[16];

		cell(o, t->name, 40, 0); buf_addc(o, ' ');
		num(o, t->calls, 10); buf_addc(o, ' ');
		num(o, t->failures, 10); buf_addc(o, ' ');
		snprintf(pct, sizeof(pct), "%.1f", t->calls ?
		    100.0 * (double)t->failures / (double)t->calls : 0.0);
		cell(o, pct, 6, 1); buf_addc(o, ' ');
		if (t->q.n > 0) {
			num(o, quant_get(&t->q, 0.5), 10); buf_addc(o, ' ');
			num(o, quant_get(&t->q, 0.95), 10);
		} else {
			cell(o, "-", 10, 1); buf_addc(o, ' ');
			cell(o, "-", 10, 1);
		}
		trim_nl(o);
	}

	buf_adds(o, "\nCOMPLETENESS\n");
	buf_printf(o, "  calls without an outcome (PreToolUse only)  %10" PRIu64
	    "%s\n", r->unmatched.count, r->calls.untracked ? " (and more, untracked)" : "");
	firsts(r, o, &r->unmatched);
	buf_printf(o, "  sessions without SessionEnd                 %10" PRIu64
	    "%s\n", r->open_sessions.count,
	    r->sessions.untracked ? " (and more, untracked)" : "");
	firsts(r, o, &r->open_sessions);
	buf_printf(o, "  invalid lines                               %10" PRIu64
	    "  (%" PRIu64 " truncated)\n", r->invalid_lines, r->truncated_lines);
	buf_printf(o, "  file resets                                 %10" PRIu64 "\n",
	    r->resets);
	buf_printf(o, "  other events (shape not known)              %10" PRIu64 "\n",
	    r->other_events);
	buf_printf(o, "  read errors                                 %10" PRIu64 "\n",
	    r->errors.count);
	for (i = 0; i < r->errors.nfirst; i++) {
		const struct report_first *f = &r->errors.first[i];

		buf_adds(o, "    ");
		cell(o, f->text, TEXT_WIDTH - 4, 0);
		trim_nl(o);
	}

	if (r->with_dest) {
		buf_printf(o, "  seal problems (verify)                      %10" PRIu64 "\n",
		    r->seal_problems.count);
		for (i = 0; i < r->seal_problems.nfirst; i++) {
			buf_adds(o, "    ");
			cell(o, r->seal_problems.first[i].text, TEXT_WIDTH - 4, 0);
			trim_nl(o);
		}
	}

	buf_printf(o, "\nPERMISSION DENIALS %" PRIu64 "\n", r->denials.count);
	firsts(r, o, &r->denials);

	buf_adds(o, "\nRISKY ACTIONS\n");
	for (i = 0; i < report_nrules; i++) {
		cell(o, report_rules[i].id, 16, 0); buf_addc(o, ' ');
		num(o, r->risky[i].count, 8); buf_adds(o, "  ");
		cell(o, report_rules[i].desc, TEXT_WIDTH - 27, 0);
		trim_nl(o);
		firsts(r, o, &r->risky[i]);
	}

	buf_adds(o, "\nREDACTIONS\n");
	for (i = 0, n = 0; i <= REPORT_MAX_KINDS; i++) {
		if (r->kinds[i].n == 0)
			continue;
		buf_adds(o, "  ");
		cell(o, r->kinds[i].kind, 32, 0);
		num(o, r->kinds[i].n, 10);
		trim_nl(o);
		n++;
	}
	if (n == 0)
		buf_adds(o, "  none\n");
	free(idx);
	return 0;
}
