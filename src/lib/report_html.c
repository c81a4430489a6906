/*
 * report_html.c - `auditship report --format html`: one self-contained
 * page.  Inline CSS and inline SVG charts only: no script, no font, no
 * image, no link to anything; a print stylesheet keeps table rows whole
 * and repeats table headers on each page.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define H_USERS	8	/* users coloured apart in the chart; more are "others" */
#define H_BARS	12	/* tools shown in a bar chart */

static const char *const palette[H_USERS + 1] = { "#2b6cb0", "#dd6b20",
	"#38a169", "#805ad5", "#d53f8c", "#319795", "#b7791f", "#718096",
	"#a0aec0" };

static const char css[] =
    "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "color:#1a202c;margin:24px auto;max-width:1100px;padding:0 16px}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;"
    "border-bottom:2px solid #e2e8f0;padding-bottom:4px}"
    ".sub{color:#4a5568;margin:0 0 16px}"
    ".cards{display:flex;flex-wrap:wrap;gap:10px}"
    ".card{border:1px solid #e2e8f0;border-radius:6px;padding:8px 12px;"
    "min-width:120px}.card b{display:block;font-size:20px}"
    ".card.warn b{color:#c53030}"
    "table{border-collapse:collapse;width:100%;font-size:13px;"
    "margin:6px 0}th,td{border-bottom:1px solid #e2e8f0;padding:3px 6px;"
    "text-align:left;vertical-align:top}th{background:#f7fafc}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    "td.cmd{font-family:ui-monospace,Menlo,Consolas,monospace;"
    "word-break:break-all}"
    "tr.gap td{color:#c53030}.bad{color:#c53030;font-weight:bold}"
    ".charts{display:flex;flex-wrap:wrap;gap:16px}"
    ".chart{flex:1 1 480px}.legend span{margin-right:12px;white-space:nowrap}"
    ".legend i{display:inline-block;width:10px;height:10px;margin-right:4px}"
    "@media print{body{margin:0;max-width:none;font-size:11px}"
    "table{font-size:10px;page-break-inside:auto}"
    "tr,.card,svg{page-break-inside:avoid;break-inside:avoid}"
    "thead{display:table-header-group}h2{page-break-after:avoid;"
    "break-after:avoid}.chart{flex:1 1 100%}svg{max-width:100%;height:auto}}";

static void
h(struct buf *o, const char *s)
{
	report_html_str(o, s);
}

static void
td_num(struct buf *o, uint64_t v)
{
	buf_printf(o, "<td class=\"n\">%" PRIu64 "</td>", v);
}

static const char *
tri(int v)
{
	return v < 0 ? "&ndash;" : v ? "yes" : "<span class=\"bad\">no</span>";
}

static void
card(struct buf *o, const char *label, uint64_t v, int warn)
{
	buf_printf(o, "<div class=\"card%s\"><b>%" PRIu64 "</b>",
	    warn && v > 0 ? " warn" : "", v);
	h(o, label);
	buf_adds(o, "</div>");
}

static void
first_table(const struct report *r, struct buf *o, const struct report_list *l,
    const char *textcol)
{
	size_t i;

	if (l->nfirst == 0)
		return;
	buf_adds(o, "<table><thead><tr><th>time</th><th>user</th>"
	    "<th>session</th><th>tool</th>");
	if (textcol != NULL) {
		buf_adds(o, "<th>");
		h(o, textcol);
		buf_adds(o, "</th>");
	}
	buf_adds(o, "</tr></thead><tbody>");
	for (i = 0; i < l->nfirst; i++) {
		const struct report_first *f = &l->first[i];
		const struct report_row *w = f->row < r->nrows ? &r->rows[f->row] : NULL;

		buf_adds(o, "<tr><td>");
		h(o, f->ts[0] ? f->ts : (w ? w->date : ""));
		buf_adds(o, "</td><td>");
		h(o, w ? w->user : "");
		buf_adds(o, "</td><td class=\"cmd\">");
		h(o, f->session);
		buf_adds(o, "</td><td>");
		h(o, f->tool);
		if (textcol != NULL) {
			buf_adds(o, "</td><td class=\"cmd\">");
			h(o, f->text);
		}
		buf_adds(o, "</td></tr>");
	}
	buf_adds(o, "</tbody></table>");
}

/* A one-column table of a list's messages. */
static void
text_table(struct buf *o, const struct report_list *l)
{
	size_t i;

	if (l->nfirst == 0)
		return;
	buf_adds(o, "<table><tbody>");
	for (i = 0; i < l->nfirst; i++) {
		buf_adds(o, "<tr><td class=\"cmd\">");
		h(o, l->first[i].text);
		buf_adds(o, "</td></tr>");
	}
	buf_adds(o, "</tbody></table>");
}

/* Stacked bars: events per day, one colour per user. */
static void
chart_days(const struct report *r, struct buf *o, const size_t *idx)
{
	const char *users[H_USERS];
	size_t nu = 0, nd = 0, i, j, k;
	uint64_t max = 1, day_tot = 0;
	const char *last = NULL;
	double bw, x, y0;
	const double W = 520, H = 200, L = 48, B = 24;

	for (i = 0; i < r->nrows; i++) {
		const struct report_row *w = &r->rows[idx[i]];

		for (j = 0; j < nu && strcmp(users[j], w->user) != 0; j++)
			;
		if (j == nu && nu < H_USERS)
			users[nu++] = w->user;
		if (last == NULL || strcmp(last, w->date) != 0) {
			nd++;
			day_tot = 0;
			last = w->date;
		}
		day_tot += w->events;
		if (day_tot > max)
			max = day_tot;
	}
	buf_adds(o, "<div class=\"chart\"><h3>Events per day and user</h3>");
	buf_printf(o, "<svg viewBox=\"0 0 %.0f %.0f\" "
	    "width=\"%.0f\" height=\"%.0f\" role=\"img\">", W, H, W, H);
	buf_printf(o, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
	    "stroke=\"#a0aec0\"/>", L, H - B, W, H - B);
	buf_printf(o, "<text x=\"%.0f\" y=\"12\" font-size=\"10\" "
	    "text-anchor=\"end\">%" PRIu64 "</text>", L - 4, max);
	bw = nd ? (W - L - 4) / (double)nd : 0;
	x = L + 2;
	y0 = H - B;
	last = NULL;
	for (i = 0, k = 0; i < r->nrows; i++) {
		const struct report_row *w = &r->rows[idx[i]];
		double bh;

		if (last == NULL || strcmp(last, w->date) != 0) {
			if (last != NULL)
				x += bw;
			y0 = H - B;
			last = w->date;
			if (nd <= 16 || k % ((nd + 15) / 16) == 0)
				buf_printf(o, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"9\" "
				    "text-anchor=\"middle\">%.5s</text>", x + bw / 2,
				    H - 8, w->date + 5);
			k++;
		}
		for (j = 0; j < nu && strcmp(users[j], w->user) != 0; j++)
			;
		bh = (H - B - 16) * (double)w->events / (double)max;
		if (bh <= 0)
			continue;
		y0 -= bh;
		buf_printf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"%s\"><title>", x + 1, y0,
		    bw > 3 ? bw - 2 : 1, bh, palette[j]);
		h(o, w->date);
		buf_adds(o, " ");
		h(o, w->user);
		buf_printf(o, ": %" PRIu64 "</title></rect>", w->events);
	}
	buf_adds(o, "</svg><div class=\"legend\">");
	for (j = 0; j < nu; j++) {
		buf_printf(o, "<span><i style=\"background:%s\"></i>", palette[j]);
		h(o, users[j]);
		buf_adds(o, "</span>");
	}
	if (nu == H_USERS)
		buf_printf(o, "<span><i style=\"background:%s\"></i>others</span>",
		    palette[H_USERS]);
	buf_adds(o, "</div></div>");
}

/* Horizontal bars over the top tools: calls (failures == 0) or failures. */
static void
chart_tools(const struct report *r, struct buf *o, const size_t *tidx,
    size_t nt, int failures)
{
	size_t i, n = nt < H_BARS ? nt : H_BARS;
	uint64_t max = 1;
	const double W = 520, L = 150, RH = 18;
	double H = RH * (double)n + 8;

	for (i = 0; i < n; i++) {
		const struct report_tool *t = &r->tools[tidx[i]];
		uint64_t v = failures ? t->failures : t->calls;

		if (v > max)
			max = v;
	}
	buf_printf(o, "<div class=\"chart\"><h3>%s</h3>", failures ?
	    "Failures by tool" : "Tool mix (calls)");
	buf_printf(o, "<svg viewBox=\"0 0 %.0f %.0f\" "
	    "width=\"%.0f\" height=\"%.0f\" role=\"img\">", W, H, W, H);
	for (i = 0; i < n; i++) {
		const struct report_tool *t = &r->tools[tidx[i]];
		uint64_t v = failures ? t->failures : t->calls;
		double bl = (W - L - 70) * (double)v / (double)max;
		double y = 4 + RH * (double)i;

		buf_printf(o, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"11\" "
		    "text-anchor=\"end\">", L - 6, y + 12);
		h(o, t->name);
		buf_printf(o, "</text><rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.0f\" fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" "
		    "font-size=\"11\">%" PRIu64 "</text>", L, y + 2, bl, RH - 5,
		    failures ? "#c53030" : "#2b6cb0", L + bl + 4, y + 12, v);
	}
	buf_adds(o, "</svg></div>");
}

int
report_html(const struct report *r, struct buf *o)
{
	size_t *idx, *tidx, i, n, nt;
	uint64_t tot_ev = 0, tot_calls = 0, tot_fail = 0, risky = 0;

	n = r->nrows > 0 ? r->nrows : 1;
	idx = calloc(n, sizeof(*idx));
	tidx = calloc(REPORT_MAX_TOOLS + 1, sizeof(*tidx));
	if (idx == NULL || tidx == NULL) {
		free(idx);
		free(tidx);
		return -1;
	}
	report_sorted_rows(r, idx);
	report_sorted_tools(r, tidx);
	nt = r->ntools;
	for (i = 0; i < r->nrows; i++) {
		tot_ev += r->rows[i].events;
		tot_calls += r->rows[i].tool_calls;
		tot_fail += r->rows[i].failures;
	}
	for (i = 0; i < report_nrules; i++)
		risky += r->risky[i].count;

	buf_adds(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width\">"
	    "<title>auditship report ");
	h(o, r->from);
	buf_adds(o, " to ");
	h(o, r->to);
	buf_printf(o, "</title><style>%s</style></head><body>\n", css);
	buf_adds(o, "<h1>Agent activity ");
	h(o, r->from);
	buf_adds(o, " to ");
	h(o, r->to);
	buf_adds(o, "</h1><p class=\"sub\">auditship report, ");
	if (r->dest) {
		buf_adds(o, "archive destination ");
		h(o, r->dest);
	} else
		buf_adds(o, "local trail");
	buf_adds(o, "</p><div class=\"cards\">");
	card(o, "events", tot_ev, 0);
	card(o, "tool calls", tot_calls, 0);
	card(o, "failures", tot_fail, 1);
	card(o, "denials", r->denials.count, 1);
	card(o, "risky actions", risky, 1);
	card(o, "calls without outcome", r->unmatched.count, 1);
	card(o, "sessions without end", r->open_sessions.count, 1);
	card(o, "invalid lines", r->invalid_lines, 1);
	card(o, "file resets", r->resets, 1);
	card(o, "read errors", r->errors.count, 1);
	buf_adds(o, "</div>\n<div class=\"charts\">");
	chart_days(r, o, idx);
	chart_tools(r, o, tidx, nt, 0);
	chart_tools(r, o, tidx, nt, 1);
	buf_adds(o, "</div>\n");

	buf_adds(o, "<h2>Days</h2><table><thead><tr><th>date</th><th>user</th>"
	    "<th>host</th><th class=\"n\">events</th><th class=\"n\">sessions</th>"
	    "<th class=\"n\">tool calls</th><th class=\"n\">failures</th>"
	    "<th class=\"n\">invalid</th><th class=\"n\">resets</th>"
	    "<th>sealed</th><th>verified</th></tr></thead><tbody>");
	for (i = 0; i < r->nrows; i++) {
		const struct report_row *w = &r->rows[idx[i]];

		buf_printf(o, "<tr%s><td>", w->gap ? " class=\"gap\"" : "");
		h(o, w->date);
		buf_adds(o, "</td><td>");
		h(o, w->user);
		buf_adds(o, "</td><td>");
		h(o, w->host);
		buf_adds(o, "</td>");
		if (w->gap)
			buf_adds(o, "<td colspan=\"6\">no file (gap)</td>");
		else if (w->pruned)
			buf_adds(o, "<td colspan=\"6\">pruned locally (read it with --dest)</td>");
		else {
			td_num(o, w->events);
			td_num(o, w->sessions);
			td_num(o, w->tool_calls);
			td_num(o, w->failures);
			td_num(o, w->invalid);
			td_num(o, w->resets);
		}
		buf_printf(o, "<td>%s</td><td>%s</td></tr>", tri(w->sealed),
		    tri(w->verified));
	}
	buf_adds(o, "</tbody></table>\n");

	buf_adds(o, "<h2>Tools</h2><table><thead><tr><th>tool</th>"
	    "<th class=\"n\">calls</th><th class=\"n\">failures</th>"
	    "<th class=\"n\">p50 ms</th><th class=\"n\">p95 ms</th></tr></thead><tbody>");
	for (i = 0; i < nt; i++) {
		const struct report_tool *t = &r->tools[tidx[i]];

		buf_adds(o, "<tr><td>");
		h(o, t->name);
		buf_adds(o, "</td>");
		td_num(o, t->calls);
		td_num(o, t->failures);
		if (t->q.n > 0) {
			td_num(o, quant_get(&t->q, 0.5));
			td_num(o, quant_get(&t->q, 0.95));
		} else
			buf_adds(o, "<td class=\"n\">&ndash;</td><td class=\"n\">&ndash;</td>");
		buf_adds(o, "</tr>");
	}
	buf_adds(o, "</tbody></table>\n");

	buf_adds(o, "<h2>Completeness</h2><table><tbody>");
	buf_printf(o, "<tr><td>tool calls with a PreToolUse and no outcome</td>"
	    "<td class=\"n\">%" PRIu64 "</td></tr>", r->unmatched.count);
	buf_printf(o, "<tr><td>sessions with a SessionStart and no SessionEnd</td>"
	    "<td class=\"n\">%" PRIu64 "</td></tr>", r->open_sessions.count);
	buf_printf(o, "<tr><td>invalid lines (truncated: %" PRIu64 ")</td>"
	    "<td class=\"n\">%" PRIu64 "</td></tr>", r->truncated_lines,
	    r->invalid_lines);
	buf_printf(o, "<tr><td>file resets</td><td class=\"n\">%" PRIu64
	    "</td></tr>", r->resets);
	buf_printf(o, "<tr><td>other events (shape not known)</td>"
	    "<td class=\"n\">%" PRIu64 "</td></tr>", r->other_events);
	buf_printf(o, "<tr><td>read errors</td><td class=\"n\">%" PRIu64
	    "</td></tr></tbody></table>", r->errors.count);
	if (r->with_dest) {
		buf_printf(o, "<h3>Seal problems found by verify: %" PRIu64 "</h3>",
		    r->seal_problems.count);
		text_table(o, &r->seal_problems);
	}
	if (r->unmatched.nfirst) {
		buf_adds(o, "<h3>Calls without an outcome (first)</h3>");
		first_table(r, o, &r->unmatched, "tool_use_id");
	}
	if (r->open_sessions.nfirst) {
		buf_adds(o, "<h3>Sessions without end (first)</h3>");
		first_table(r, o, &r->open_sessions, NULL);
	}
	if (r->errors.nfirst) {
		buf_adds(o, "<h3>Read errors (first)</h3>");
		text_table(o, &r->errors);
	}

	buf_printf(o, "\n<h2>Permission denials: %" PRIu64 "</h2>",
	    r->denials.count);
	first_table(r, o, &r->denials, "command");

	buf_adds(o, "\n<h2>Risky actions</h2><table><thead><tr><th>rule</th>"
	    "<th class=\"n\">count</th><th>what it matches</th></tr></thead><tbody>");
	for (i = 0; i < report_nrules; i++) {
		buf_adds(o, "<tr><td>");
		h(o, report_rules[i].id);
		buf_adds(o, "</td>");
		td_num(o, r->risky[i].count);
		buf_adds(o, "<td>");
		h(o, report_rules[i].desc);
		buf_adds(o, "</td></tr>");
	}
	buf_adds(o, "</tbody></table>");
	for (i = 0; i < report_nrules; i++) {
		if (r->risky[i].nfirst == 0)
			continue;
		buf_adds(o, "<h3>");
		h(o, report_rules[i].id);
		buf_adds(o, " (first)</h3>");
		first_table(r, o, &r->risky[i], "command or path");
	}

	buf_adds(o, "\n<h2>Redactions</h2><table><thead><tr><th>kind</th>"
	    "<th class=\"n\">count</th></tr></thead><tbody>");
	for (i = 0; i <= REPORT_MAX_KINDS; i++) {
		if (r->kinds[i].n == 0)
			continue;
		buf_adds(o, "<tr><td>");
		h(o, r->kinds[i].kind);
		buf_adds(o, "</td>");
		td_num(o, r->kinds[i].n);
		buf_adds(o, "</tr>");
	}
	buf_adds(o, "</tbody></table>\n</body></html>\n");
	free(idx);
	free(tidx);
	return 0;
}
