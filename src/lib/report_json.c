/*
 * report_json.c - `auditship report --format json` (SPEC §8): one
 * document, keys in a fixed order (documented in the README).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static void
j_key(struct buf *o, const char *k)
{
	report_json_str(o, k);
	buf_addc(o, ':');
}

static void
j_tri(struct buf *o, int v)
{
	buf_adds(o, v < 0 ? "null" : v ? "true" : "false");
}

/* The row's date/user/host of a first occurrence. */
static void
j_where(const struct report *r, struct buf *o, const struct report_first *f)
{
	const struct report_row *row = f->row < r->nrows ? &r->rows[f->row] : NULL;

	j_key(o, "date");
	if (row) report_json_str(o, row->date); else buf_adds(o, "null");
	buf_addc(o, ',');
	j_key(o, "user");
	if (row) report_json_str(o, row->user); else buf_adds(o, "null");
	buf_addc(o, ',');
	j_key(o, "host");
	if (row) report_json_str(o, row->host); else buf_adds(o, "null");
}

/* A list's "first" array; textkey names f->text (NULL: not shown). */
static void
j_first(const struct report *r, struct buf *o, const struct report_list *l,
    const char *textkey, int with_tool)
{
	size_t i;

	j_key(o, "first");
	buf_addc(o, '[');
	for (i = 0; i < l->nfirst; i++) {
		const struct report_first *f = &l->first[i];

		if (i > 0)
			buf_addc(o, ',');
		buf_addc(o, '{');
		j_key(o, "ts");
		report_json_str(o, f->ts);
		buf_addc(o, ',');
		j_where(r, o, f);
		buf_addc(o, ',');
		j_key(o, "session");
		report_json_str(o, f->session);
		if (with_tool) {
			buf_addc(o, ',');
			j_key(o, "tool");
			report_json_str(o, f->tool);
		}
		if (textkey != NULL) {
			buf_addc(o, ',');
			j_key(o, textkey);
			report_json_str(o, f->text);
		}
		buf_addc(o, '}');
	}
	buf_addc(o, ']');
}

int
report_json(const struct report *r, struct buf *o)
{
	size_t *idx, i, n;

	n = r->nrows > REPORT_MAX_TOOLS + 1 ? r->nrows : REPORT_MAX_TOOLS + 1;
	if ((idx = calloc(n, sizeof(*idx))) == NULL)
		return -1;
	buf_addc(o, '{');
	j_key(o, "from");
	report_json_str(o, r->from);
	buf_addc(o, ',');
	j_key(o, "to");
	report_json_str(o, r->to);
	buf_addc(o, ',');
	j_key(o, "dest");
	if (r->dest) report_json_str(o, r->dest); else buf_adds(o, "null");
	buf_adds(o, ",");

	j_key(o, "days");
	buf_addc(o, '[');
	report_sorted_rows(r, idx);
	for (i = 0; i < r->nrows; i++) {
		const struct report_row *w = &r->rows[idx[i]];

		if (i > 0)
			buf_addc(o, ',');
		buf_adds(o, "{\"date\":");
		report_json_str(o, w->date);
		buf_adds(o, ",\"user\":");
		report_json_str(o, w->user);
		buf_adds(o, ",\"host\":");
		report_json_str(o, w->host);
		buf_printf(o, ",\"events\":%" PRIu64 ",\"sessions\":%" PRIu64
		    ",\"tool_calls\":%" PRIu64 ",\"failures\":%" PRIu64
		    ",\"invalid_lines\":%" PRIu64 ",\"resets\":%" PRIu64
		    ",\"errors\":%d,\"gap\":%s,\"pruned\":%s,\"sealed\":", w->events,
		    w->sessions, w->tool_calls, w->failures, w->invalid, w->resets,
		    w->errors, w->gap ? "true" : "false", w->pruned ? "true" : "false");
		j_tri(o, w->sealed);
		buf_adds(o, ",\"verified\":");
		j_tri(o, w->verified);
		buf_addc(o, '}');
	}
	buf_adds(o, "],");

	j_key(o, "tools");
	buf_addc(o, '{');
	report_sorted_tools(r, idx);
	n = r->ntools;
	for (i = 0; i < n; i++) {
		const struct report_tool *t = &r->tools[idx[i]];

		if (i > 0)
			buf_addc(o, ',');
		report_json_str(o, t->name);
		buf_printf(o, ":{\"calls\":%" PRIu64 ",\"failures\":%" PRIu64,
		    t->calls, t->failures);
		if (t->q.n > 0)
			buf_printf(o, ",\"p50_ms\":%" PRIu64 ",\"p95_ms\":%" PRIu64
			    ",\"durations\":%" PRIu64 "}", quant_get(&t->q, 0.5),
			    quant_get(&t->q, 0.95), t->q.n);
		else
			buf_adds(o, ",\"p50_ms\":null,\"p95_ms\":null,\"durations\":0}");
	}
	buf_adds(o, "},");

	buf_printf(o, "\"unmatched_calls\":{\"count\":%" PRIu64
	    ",\"untracked\":%" PRIu64 ",", r->unmatched.count, r->calls.untracked);
	j_first(r, o, &r->unmatched, "tool_use_id", 1);
	buf_printf(o, "},\"open_sessions\":{\"count\":%" PRIu64
	    ",\"untracked\":%" PRIu64 ",", r->open_sessions.count,
	    r->sessions.untracked);
	j_first(r, o, &r->open_sessions, NULL, 0);
	buf_printf(o, "},\"denials\":%" PRIu64 ",\"denied\":{\"count\":%"
	    PRIu64 ",", r->denials.count, r->denials.count);
	j_first(r, o, &r->denials, "command", 1);
	buf_adds(o, "},\"risky\":[");
	for (i = 0; i < report_nrules; i++) {
		if (i > 0)
			buf_addc(o, ',');
		buf_adds(o, "{\"rule\":");
		report_json_str(o, report_rules[i].id);
		buf_printf(o, ",\"count\":%" PRIu64 ",", r->risky[i].count);
		j_first(r, o, &r->risky[i], "command", 1);
		buf_addc(o, '}');
	}
	buf_adds(o, "],\"redactions\":{");
	for (i = 0; i <= REPORT_MAX_KINDS; i++) {
		if (r->kinds[i].n == 0)
			continue;
		if (o->len > 0 && o->p[o->len - 1] != '{')
			buf_addc(o, ',');
		report_json_str(o, r->kinds[i].kind);
		buf_printf(o, ":%" PRIu64, r->kinds[i].n);
	}
	buf_printf(o, "},\"invalid_lines\":%" PRIu64 ",\"truncated_lines\":%"
	    PRIu64 ",\"resets\":%" PRIu64 ",\"other_events\":%" PRIu64
	    ",\"events\":%" PRIu64 ",\"lines\":%" PRIu64 ",\"errors\":{\"count\":%"
	    PRIu64 ",\"first\":[", r->invalid_lines, r->truncated_lines,
	    r->resets, r->other_events, r->events, r->lines, r->errors.count);
	for (i = 0; i < r->errors.nfirst; i++) {
		const struct report_first *f = &r->errors.first[i];

		if (i > 0)
			buf_addc(o, ',');
		buf_addc(o, '{');
		j_where(r, o, f);
		buf_adds(o, ",\"message\":");
		report_json_str(o, f->text);
		buf_addc(o, '}');
	}
	buf_printf(o, "]},\"seal_problems\":{\"count\":%" PRIu64 ",\"first\":[",
	    r->seal_problems.count);
	for (i = 0; i < r->seal_problems.nfirst; i++) {
		/* the date is kept in ts */
		buf_printf(o, "%s{\"date\":", i > 0 ? "," : "");
		report_json_str(o, r->seal_problems.first[i].ts);
		buf_adds(o, ",\"message\":");
		report_json_str(o, r->seal_problems.first[i].text);
		buf_addc(o, '}');
	}
	buf_printf(o, "]},\"untracked\":{\"rows\":%" PRIu64
	    ",\"day_sessions\":%" PRIu64 "}}\n", r->rows_dropped,
	    r->sessions_untracked);
	free(idx);
	return o->max > 0 && o->len + 1 >= o->max ? -1 : 0;
}
