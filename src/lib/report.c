/*
 * report.c - streaming aggregation for `auditship report` (see report.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"
#include "report.h"

#define OPEN_INIT	1024

/* A 64-bit hash of p[0..n), 8 bytes at a time (never 0). */
static uint64_t
hash_bytes(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;

	while (n >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		p += 8;
		n -= 8;
	}
	if (n > 0) {
		/* the tail byte by byte: memcpy of a variable length is a
		 * library call, dearer than the few bytes */
		w = 0;
		while (n > 0)
			w = w << 8 | (unsigned char)p[--n];
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	}
	h ^= h >> 29;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 32;
	return h == 0 ? 1 : h;
}

/* Copy a C string into a fixed field, cut. */
static void
set_field(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Decode a raw JSON string slice into a fixed field; a cut ends in "...".
 * plain: the slice is its own text (REV_PLAIN_*). */
static void
set_json_field(char *dst, size_t cap, struct slice s, unsigned plain)
{
	int cut;
	size_t n;

	if (s.p == NULL) {
		dst[0] = '\0';
		return;
	}
	if (plain && s.len < cap) {
		memcpy(dst, s.p, s.len);
		dst[s.len] = '\0';
		return;
	}
	n = jsonl_unescape(s.p, s.len, dst, cap - 1, &cut);
	if (cut && cap > 8) {
		/* back off to a UTF-8 boundary, then mark the cut */
		if (n > cap - 5)
			n = cap - 5;
		while (n > 0 && ((unsigned char)dst[n] & 0xc0) == 0x80)
			n--;
		memcpy(dst + n, "...", 3);
		n += 3;
	}
	dst[n] = '\0';
}

int
report_init(struct report *r, const char *from, const char *to,
    const char *dest)
{
	memset(r, 0, sizeof(*r));
	set_field(r->from, sizeof(r->from), from);
	set_field(r->to, sizeof(r->to), to);
	r->with_dest = dest != NULL;
	r->dest = dest;
	r->other_tool = SIZE_MAX;
	r->day_cap = 1024;
	r->day_sess = calloc(r->day_cap, sizeof(uint64_t));
	if (r->day_sess == NULL) {
		report_free(r);
		return -1;
	}
	return 0;
}

void
report_free(struct report *r)
{
	free(r->rows);
	free(r->tools);
	free(r->calls.e);
	free(r->sessions.e);
	free(r->day_sess);
	memset(r, 0, sizeof(*r));
}

/* ---- open tables (linear probing, backward-shift deletion) ---- */

static struct report_open_ent *
open_find(struct report_open *t, uint64_t h)
{
	size_t i;

	if (t->cap == 0)
		return NULL;
	for (i = h & (t->cap - 1); t->e[i].h != 0; i = (i + 1) & (t->cap - 1))
		if (t->e[i].h == h)
			return &t->e[i];
	return NULL;
}

static int
open_grow(struct report_open *t)
{
	struct report_open_ent *old = t->e, *ne;
	size_t ocap = t->cap, ncap = ocap ? ocap * 2 : OPEN_INIT, i, j;

	if ((ne = calloc(ncap, sizeof(*ne))) == NULL)
		return -1;
	for (i = 0; i < ocap; i++) {
		if (old[i].h == 0)
			continue;
		for (j = old[i].h & (ncap - 1); ne[j].h != 0; j = (j + 1) & (ncap - 1))
			;
		ne[j] = old[i];
	}
	free(old);
	t->e = ne;
	t->cap = ncap;
	return 0;
}

/* A new entry for h (NULL when it is already there or does not fit). */
static struct report_open_ent *
open_add(struct report_open *t, uint64_t h)
{
	size_t i;

	if (open_find(t, h) != NULL)
		return NULL;
	if (t->n >= REPORT_MAX_OPEN) {
		t->untracked++;
		return NULL;
	}
	/* keep the load under 1/2 */
	if ((t->n + 1) * 2 > t->cap && open_grow(t) == -1) {
		t->untracked++;
		return NULL;
	}
	for (i = h & (t->cap - 1); t->e[i].h != 0; i = (i + 1) & (t->cap - 1))
		;
	t->e[i].h = h;
	t->e[i].seq = t->seq++;
	t->e[i].rules = 0;
	t->n++;
	return &t->e[i];
}

static void
open_del(struct report_open *t, struct report_open_ent *ent)
{
	size_t mask = t->cap - 1, i = (size_t)(ent - t->e), j, k;

	t->e[i].h = 0;
	t->n--;
	for (j = (i + 1) & mask; t->e[j].h != 0; j = (j + 1) & mask) {
		k = t->e[j].h & mask;
		/* move e[j] into the hole at i when its home is not in (i, j] */
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			t->e[i] = t->e[j];
			t->e[j].h = 0;
			i = j;
		}
	}
}

/* The REPORT_FIRST oldest entries of t, as a list. */
static void
open_to_list(const struct report_open *t, struct report_list *l)
{
	uint64_t last = 0;
	size_t k, i;
	int have_last = 0;

	l->count = t->n;
	l->nfirst = 0;
	for (k = 0; k < REPORT_FIRST && k < t->n; k++) {
		const struct report_open_ent *best = NULL;

		for (i = 0; i < t->cap; i++) {
			const struct report_open_ent *e = &t->e[i];

			if (e->h == 0 || (have_last && e->seq <= last))
				continue;
			if (best == NULL || e->seq < best->seq)
				best = e;
		}
		if (best == NULL)
			break;
		l->first[l->nfirst++] = best->f;
		last = best->seq;
		have_last = 1;
	}
}

/* ---- rows, tools, lists ---- */

int
report_day_begin(struct report *r, const char *date, const char *user,
    const char *host)
{
	struct report_row *row;
	size_t i;

	if (r->in_day)
		report_day_end(r);
	for (i = r->nrows; i > 0; i--) {
		row = &r->rows[i - 1];
		if (strcmp(row->date, date) == 0 && strcmp(row->user, user) == 0 &&
		    strcmp(row->host, host) == 0) {
			r->cur = i - 1;
			r->in_day = 1;
			return 0;
		}
	}
	if (r->nrows >= REPORT_MAX_ROWS) {
		r->rows_dropped++;
		r->cur = SIZE_MAX;
		r->in_day = 1;
		return -1;
	}
	if (r->nrows == r->rows_cap) {
		size_t ncap = r->rows_cap ? r->rows_cap * 2 : 64;
		struct report_row *nr = realloc(r->rows, ncap * sizeof(*nr));

		if (nr == NULL) {
			r->rows_dropped++;
			r->cur = SIZE_MAX;
			r->in_day = 1;
			return -1;
		}
		r->rows = nr;
		r->rows_cap = ncap;
	}
	row = &r->rows[r->nrows];
	memset(row, 0, sizeof(*row));
	set_field(row->date, sizeof(row->date), date);
	set_field(row->user, sizeof(row->user), user);
	set_field(row->host, sizeof(row->host), host);
	row->sealed = -1;
	row->verified = -1;
	r->cur = r->nrows++;
	r->in_day = 1;
	return 0;
}

static struct report_row *
cur_row(struct report *r)
{
	return r->in_day && r->cur != SIZE_MAX ? &r->rows[r->cur] : NULL;
}

void
report_day_end(struct report *r)
{
	struct report_row *row = cur_row(r);

	if (row != NULL)
		row->sessions += r->day_nsess;
	if (r->day_nsess > 0)
		memset(r->day_sess, 0, r->day_cap * sizeof(uint64_t));
	r->day_nsess = 0;
	r->last_sess_len = 0;
	r->in_day = 0;
}

void
report_day_gap(struct report *r)
{
	struct report_row *row = cur_row(r);

	if (row != NULL && row->events == 0 && row->invalid == 0)
		row->gap = 1;
}

void
report_day_pruned(struct report *r)
{
	struct report_row *row = cur_row(r);

	if (row != NULL)
		row->pruned = 1;
}

void
report_day_resets(struct report *r, uint64_t n)
{
	struct report_row *row = cur_row(r);

	if (row != NULL)
		row->resets += n;
	r->resets += n;
}

void
report_day_seal(struct report *r, int sealed, int verified)
{
	struct report_row *row = cur_row(r);

	if (row != NULL) {
		row->sealed = sealed;
		row->verified = verified;
	}
}

static void
list_add(struct report_list *l, const struct report_first *f)
{
	l->count++;
	if (l->nfirst < REPORT_FIRST)
		l->first[l->nfirst++] = *f;
}

/* "where: msg" into f->text, cut. */
static void
set_where_msg(struct report_first *f, const char *where, const char *msg)
{
	size_t a = strlen(where), b = strlen(msg);

	if (a > sizeof(f->text) - 3)
		a = sizeof(f->text) - 3;
	memcpy(f->text, where, a);
	if (b > 0 && a + 2 < sizeof(f->text) - 1) {
		memcpy(f->text + a, ": ", 2);
		a += 2;
		if (b > sizeof(f->text) - 1 - a)
			b = sizeof(f->text) - 1 - a;
		memcpy(f->text + a, msg, b);
		a += b;
	}
	f->text[a] = '\0';
}

void
report_day_error(struct report *r, const char *where, const char *msg)
{
	struct report_row *row = cur_row(r);
	struct report_first f;

	memset(&f, 0, sizeof(f));
	f.row = row != NULL ? (uint32_t)r->cur : UINT32_MAX;
	set_where_msg(&f, where, msg);
	if (row != NULL)
		row->errors++;
	list_add(&r->errors, &f);
}

void
report_seal_problem(struct report *r, const char *date, const char *where,
    const char *what)
{
	struct report_first f;

	memset(&f, 0, sizeof(f));
	f.row = UINT32_MAX;
	set_field(f.ts, sizeof(f.ts), date);
	set_where_msg(&f, where, what);
	list_add(&r->seal_problems, &f);
}


/* Double the day's session set (at most REPORT_MAX_DAY_SESSIONS * 2
 * slots); -1 when it cannot grow. */
static int
day_grow(struct report *r)
{
	size_t ncap = r->day_cap * 2, i, j;
	uint64_t *n;

	if (ncap > REPORT_MAX_DAY_SESSIONS * 2 ||
	    (n = calloc(ncap, sizeof(*n))) == NULL)
		return -1;
	for (i = 0; i < r->day_cap; i++) {
		if (r->day_sess[i] == 0)
			continue;
		for (j = r->day_sess[i] & (ncap - 1); n[j] != 0; j = (j + 1) & (ncap - 1))
			;
		n[j] = r->day_sess[i];
	}
	free(r->day_sess);
	r->day_sess = n;
	r->day_cap = ncap;
	return 0;
}

/* The session s is in the day's set: remember it as the last one. */
static void
day_session_last(struct report *r, struct slice s)
{
	if (s.len <= sizeof(r->last_sess)) {
		memcpy(r->last_sess, s.p, s.len);
		r->last_sess_len = s.len;
	}
}

static void
day_session(struct report *r, struct slice s)
{
	size_t i;
	uint64_t h;

	if (s.p == NULL || s.len == 0)
		return;
	if (s.len == r->last_sess_len && memcmp(s.p, r->last_sess, s.len) == 0)
		return;		/* the line before's session: counted */
	h = hash_bytes(s.p, s.len);
	for (;;) {
		size_t mask = r->day_cap - 1;

		for (i = h & mask; r->day_sess[i] != 0; i = (i + 1) & mask)
			if (r->day_sess[i] == h) {
				day_session_last(r, s);
				return;
			}
		if ((r->day_nsess + 1) * 2 <= r->day_cap)
			break;
		if (r->day_nsess >= REPORT_MAX_DAY_SESSIONS || day_grow(r) == -1) {
			r->sessions_untracked++;
			return;
		}
	}
	r->day_sess[i] = h;
	r->day_nsess++;
	day_session_last(r, s);
}

static struct report_tool *
tool_get(struct report *r, struct slice name, unsigned plain)
{
	char buf[64];
	uint64_t h;
	size_t i, n;
	int cut;

	if (name.p == NULL || name.len == 0) {
		name.p = "(unknown)";
		name.len = 9;
		n = 9;
		memcpy(buf, name.p, n);
	} else if (plain && name.len < sizeof(buf)) {
		n = name.len;
		memcpy(buf, name.p, n);
	} else
		n = jsonl_unescape(name.p, name.len, buf, sizeof(buf) - 1, &cut);
	buf[n] = '\0';
	h = hash_bytes(buf, n);
	for (i = h & 1023; r->tool_slot[i] != 0; i = (i + 1) & 1023) {
		struct report_tool *t = &r->tools[r->tool_slot[i] - 1];

		if (strcmp(t->name, buf) == 0)
			return t;
	}
	if (r->ntools >= REPORT_MAX_TOOLS && r->other_tool != SIZE_MAX)
		return &r->tools[r->other_tool];
	if (r->ntools == r->tools_cap) {
		size_t ncap = r->tools_cap ? r->tools_cap * 2 : 16;
		struct report_tool *nt;

		if (ncap > REPORT_MAX_TOOLS + 1)
			ncap = REPORT_MAX_TOOLS + 1;
		if ((nt = realloc(r->tools, ncap * sizeof(*nt))) == NULL)
			return NULL;
		r->tools = nt;
		r->tools_cap = ncap;
	}
	memset(&r->tools[r->ntools], 0, sizeof(r->tools[0]));
	if (r->ntools >= REPORT_MAX_TOOLS) {
		/* one more entry folds every further name */
		set_field(r->tools[r->ntools].name, sizeof(r->tools[0].name), "(other)");
		r->other_tool = r->ntools;
		return &r->tools[r->ntools++];
	}
	set_field(r->tools[r->ntools].name, sizeof(r->tools[0].name), buf);
	r->tool_slot[i] = (uint16_t)(r->ntools + 1);
	return &r->tools[r->ntools++];
}

/* Count "<REDACTED:kind>" markers in the raw line. */
static void
count_redactions(struct report *r, const char *p, size_t len)
{
	const char *end = p + len, *m;

	while ((m = memmem(p, (size_t)(end - p), "<REDACTED:", 10)) != NULL) {
		const char *k = m + 10, *e = k;
		size_t n, i;

		while (e < end && e - k < 31 && ((*e >= 'a' && *e <= 'z') ||
		    (*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9') ||
		    *e == '_' || *e == '-'))
			e++;
		p = e;
		if (e >= end || *e != '>' || e == k)
			continue;
		n = (size_t)(e - k);
		for (i = 0; i < r->nkinds; i++)
			if (strlen(r->kinds[i].kind) == n &&
			    memcmp(r->kinds[i].kind, k, n) == 0)
				break;
		if (i == r->nkinds) {
			if (r->nkinds < REPORT_MAX_KINDS) {
				memcpy(r->kinds[i].kind, k, n);
				r->kinds[i].kind[n] = '\0';
				r->nkinds++;
			} else {
				i = REPORT_MAX_KINDS;
				set_field(r->kinds[i].kind, sizeof(r->kinds[i].kind),
				    "(other)");
			}
		}
		r->kinds[i].n++;
	}
}

/* text: one of ev's slices, text_plain its REV_PLAIN_* bit. */
static void
fill_first(struct report *r, const struct report_event *ev,
    struct report_first *f, struct slice text, unsigned text_plain)
{
	f->row = r->cur != SIZE_MAX ? (uint32_t)r->cur : UINT32_MAX;
	set_json_field(f->ts, sizeof(f->ts), ev->ts, ev->plain & REV_PLAIN_TS);
	set_json_field(f->session, sizeof(f->session), ev->session,
	    ev->plain & REV_PLAIN_SESSION);
	set_json_field(f->tool, sizeof(f->tool), ev->tool,
	    ev->plain & REV_PLAIN_TOOL);
	set_json_field(f->text, sizeof(f->text), text, ev->plain & text_plain);
}

/* The command, else the path, else fallback (REV_PLAIN_* bit fb): the
 * text an occurrence is listed by, and its bit in *bit. */
static struct slice
cmd_or_path(const struct report_event *ev, struct slice fallback,
    unsigned fb, unsigned *bit)
{
	if (ev->command.p != NULL) {
		*bit = REV_PLAIN_CMD;
		return ev->command;
	}
	if (ev->path.p != NULL) {
		*bit = REV_PLAIN_PATH;
		return ev->path;
	}
	*bit = fb;
	return fallback;
}

/* The decoded text of a raw JSON string slice for the rules: the raw
 * bytes themselves when they hold no escape (most commands), else decoded
 * into tmp; at most cap bytes. */
static const char *
rule_text(struct slice raw, unsigned plain, char *tmp, size_t cap,
    size_t *len)
{
	int cut;

	if (raw.p == NULL) {
		*len = 0;
		return "";
	}
	if (plain || memchr(raw.p, '\\', raw.len) == NULL) {
		*len = raw.len < cap ? raw.len : cap;
		return raw.p;
	}
	*len = jsonl_unescape(raw.p, raw.len, tmp, cap, &cut);
	return tmp;
}

/* The rules that match ev's command and path. */
static unsigned
event_rules(const struct report_event *ev)
{
	char cmdbuf[REPORT_CMD_MAX], pathbuf[REPORT_PATH_MAX];
	const char *cmd, *path;
	size_t cl, pl;
	unsigned m;

	cmd = rule_text(ev->command, ev->plain & REV_PLAIN_CMD, cmdbuf,
	    sizeof(cmdbuf), &cl);
	path = rule_text(ev->path, ev->plain & REV_PLAIN_PATH, pathbuf,
	    sizeof(pathbuf), &pl);
	m = (cl || pl) ? report_rules_match(cmd, cl, path, pl) : 0;
	if (ev->kind == REV_CONFIG_CHANGE)
		m |= 1u << REPORT_RULE_HOOKS;
	return m;
}

static void
add_risky(struct report *r, const struct report_event *ev, unsigned m)
{
	struct report_first f;
	struct slice text;
	unsigned bit;
	size_t i;

	if (m == 0)
		return;
	memset(&f, 0, sizeof(f));
	text = cmd_or_path(ev, ev->tool, REV_PLAIN_TOOL, &bit);
	fill_first(r, ev, &f, text, bit);
	for (i = 0; i < report_nrules && i < REPORT_MAX_RULES; i++)
		if (m & (1u << i))
			list_add(&r->risky[i], &f);
}

void
report_line(struct report *r, const char *p, size_t len, int fragment)
{
	struct report_row *row = cur_row(r);
	struct report_event ev;
	struct report_open_ent *oe;
	struct report_tool *t;
	uint64_t h;

	r->lines++;
	if (len > 0 && memchr(p, '<', len) != NULL)
		count_redactions(r, p, len);
	if (fragment || report_event_parse(p, len, &ev) == -1) {
		r->invalid_lines++;
		if (fragment)
			r->truncated_lines++;
		if (row != NULL)
			row->invalid++;
		return;
	}
	r->events++;
	if (row != NULL)
		row->events++;
	day_session(r, ev.session);
	switch (ev.kind) {
	case REV_OTHER:
		r->other_events++;
		break;
	case REV_SESSION_START:
		if (ev.session.p == NULL)
			break;
		h = hash_bytes(ev.session.p, ev.session.len);
		if ((oe = open_add(&r->sessions, h)) != NULL)
			fill_first(r, &ev, &oe->f, ev.session,
			    REV_PLAIN_SESSION);
		break;
	case REV_SESSION_END:
		if (ev.session.p != NULL && (oe = open_find(&r->sessions,
		    hash_bytes(ev.session.p, ev.session.len))) != NULL)
			open_del(&r->sessions, oe);
		break;
	case REV_PRE:
		/* a call's risky actions are counted once, on its PreToolUse
		 * (so an attempt that never finished is seen too) */
		add_risky(r, &ev, event_rules(&ev));
		if (ev.tool_use_id.p != NULL && (oe = open_add(&r->calls,
		    hash_bytes(ev.tool_use_id.p, ev.tool_use_id.len))) != NULL)
			fill_first(r, &ev, &oe->f, ev.tool_use_id,
			    REV_PLAIN_USE_ID);
		break;
	case REV_POST:
	case REV_FAIL:
	case REV_DENIED:
	case REV_TOOL:
		oe = NULL;
		if (ev.tool_use_id.p != NULL && ev.kind != REV_TOOL)
			oe = open_find(&r->calls, hash_bytes(ev.tool_use_id.p,
			    ev.tool_use_id.len));
		if (oe != NULL)
			open_del(&r->calls, oe);
		else
			add_risky(r, &ev, event_rules(&ev));
		if (ev.kind == REV_DENIED) {
			struct report_first f;
			struct slice text;
			unsigned bit;

			memset(&f, 0, sizeof(f));
			text = cmd_or_path(&ev, ev.path, REV_PLAIN_PATH, &bit);
			fill_first(r, &ev, &f, text, bit);
			list_add(&r->denials, &f);
			break;
		}
		if (row != NULL) {
			row->tool_calls++;
			row->failures += ev.failed != 0;
		}
		if ((t = tool_get(r, ev.tool, ev.plain & REV_PLAIN_TOOL)) == NULL)
			break;	/* out of memory: the row has counted it */
		t->calls++;
		t->failures += ev.failed != 0;
		if (ev.has_duration)
			quant_add(&t->q, ev.duration_ms);
		break;
	case REV_CONFIG_CHANGE:
		add_risky(r, &ev, event_rules(&ev));
		break;
	case REV_KNOWN:
		break;
	}
}

void
report_finish(struct report *r)
{
	if (r->in_day)
		report_day_end(r);
	open_to_list(&r->calls, &r->unmatched);
	open_to_list(&r->sessions, &r->open_sessions);
	r->finished = 1;
}

/* ---- shared by the renderers ---- */

static const struct report *sort_r;

static int
row_cmp(const void *a, const void *b)
{
	const struct report_row *x = &sort_r->rows[*(const size_t *)a];
	const struct report_row *y = &sort_r->rows[*(const size_t *)b];
	int c;

	if ((c = strcmp(x->date, y->date)) != 0)
		return c;
	if ((c = strcmp(x->user, y->user)) != 0)
		return c;
	return strcmp(x->host, y->host);
}

static int
tool_cmp(const void *a, const void *b)
{
	const struct report_tool *x = &sort_r->tools[*(const size_t *)a];
	const struct report_tool *y = &sort_r->tools[*(const size_t *)b];

	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	return strcmp(x->name, y->name);
}

void
report_sorted_rows(const struct report *r, size_t *idx)
{
	size_t i;

	for (i = 0; i < r->nrows; i++)
		idx[i] = i;
	sort_r = r;
	qsort(idx, r->nrows, sizeof(*idx), row_cmp);
}

void
report_sorted_tools(const struct report *r, size_t *idx)
{
	size_t i, n = r->ntools;

	for (i = 0; i < r->ntools; i++)
		idx[i] = i;
	sort_r = r;
	qsort(idx, n, sizeof(*idx), tool_cmp);
}

int
report_json_str(struct buf *out, const char *s)
{
	if (buf_addc(out, '"') == -1 || jsonl_escape(out, s, strlen(s)) == -1 ||
	    buf_addc(out, '"') == -1)
		return -1;
	return 0;
}

int
report_html_str(struct buf *out, const char *s)
{
	const char *start = s;

	for (; *s != '\0'; s++) {
		const char *rep = NULL;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		/* so that text (a command holding a URL) never reads as a
		 * reference to fetch: "https://", "src=", "url(" */
		case ':': rep = "&#58;"; break;
		case '=': rep = "&#61;"; break;
		case '(': rep = "&#40;"; break;
		default: continue;
		}
		if (buf_add(out, start, (size_t)(s - start)) == -1 ||
		    buf_adds(out, rep) == -1)
			return -1;
		start = s + 1;
	}
	return buf_add(out, start, (size_t)(s - start));
}
