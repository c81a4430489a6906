/*
 * fuzz_report_event.c - libFuzzer target for the report's event parser
 * (report_event.c, the jsonl.c member iterator and unescape) and the
 * aggregation and JSON renderer behind it: any input, split into lines,
 * is counted without a crash; a line parses iff jsonl_is_object accepts
 * it, and so does a walk entering every nested object in place; the
 * one-pass parser finds the very fields (same slices) a walk with
 * jsonl_iter finds; the rule table never reads past its input; the JSON document
 * rendered from the lot is always one valid object.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"
#include "report.h"
#include "report_event.h"
#include "report_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* v is a string of printable ASCII (0x20-0x7f) with no backslash. */
static int
plain_str(struct slice v)
{
	size_t i;

	if (v.len < 2 || v.p[0] != '"')
		return 0;
	for (i = 1; i + 1 < v.len; i++)
		if ((unsigned char)v.p[i] < 0x20 || (unsigned char)v.p[i] >= 0x80 ||
		    v.p[i] == '\\')
			return 0;
	return 1;
}

/* The same event by another walker: jsonl_iter, entering where
 * report_walk_enter says (what report_event_parse must agree with). */
static int
ref_parse(const char *p, size_t len, struct report_event *ev)
{
	struct report_walk w;
	struct jsonl_iter it, child;
	struct slice k, v;
	int r = -1;

	report_walk_begin(&w, ev);
	if (!jsonl_iter_init(&it, p, len))
		return -1;
	while ((r = jsonl_iter_next_key(&it, &k)) == 1) {
		enum rev_key c = report_event_key(k.p, k.len);
		enum rev_at at = report_walk_enter(&w, c);

		if (at != REV_AT_TOP && jsonl_iter_enter(&it, &child)) {
			while ((r = jsonl_iter_next(&child, &k, &v)) == 1)
				report_walk_member(&w, at,
				    report_event_key(k.p, k.len), v, plain_str(v));
			if (r == -1)
				break;
			jsonl_iter_leave(&it, &child);
		} else if (jsonl_iter_value(&it, &v) == -1) {
			r = -1;
			break;
		} else if (at == REV_AT_TOP)
			report_walk_member(&w, at, c, v, plain_str(v));
	}
	if (r == -1)
		return -1;
	report_walk_end(&w);
	return 0;
}

static int
same_slice(struct slice a, struct slice b)
{
	return a.p == b.p && a.len == b.len;
}

static int
same_event(const struct report_event *a, const struct report_event *b)
{
	return a->kind == b->kind && same_slice(a->ts, b->ts) &&
	    same_slice(a->session, b->session) &&
	    same_slice(a->tool_use_id, b->tool_use_id) &&
	    same_slice(a->tool, b->tool) && same_slice(a->command, b->command) &&
	    same_slice(a->path, b->path) && same_slice(a->agent_id, b->agent_id) &&
	    a->plain == b->plain &&
	    a->failed == b->failed && a->has_duration == b->has_duration &&
	    a->duration_ms == b->duration_ms;
}

/* Walk it entering every object value: 0 valid to its end, -1 not. */
static int
walk_all(struct jsonl_iter *it)
{
	struct jsonl_iter child;
	struct slice k, v;
	int r;

	while ((r = jsonl_iter_next_key(it, &k)) == 1) {
		if (jsonl_iter_enter(it, &child)) {
			if (walk_all(&child) == -1)
				return -1;
			jsonl_iter_leave(it, &child);
		} else if (jsonl_iter_value(it, &v) == -1)
			return -1;
	}
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct report r;
	const char *p = (const char *)data, *end = p + size;
	struct report_event ev, ref;
	struct buf out;
	struct jsonl_iter it;
	char tmp[256];
	int cut, rc;

	if (size > (1u << 20))
		return 0;
	rc = report_event_parse(p, size, &ev);
	if ((rc == 0) != jsonl_is_object(p, size))
		abort();
	/* the one-pass walker keeps what the iterator walk keeps */
	if (ref_parse(p, size, &ref) != rc || (rc == 0 && !same_event(&ev, &ref)))
		abort();
	/* walking every nested object in place agrees with the validator */
	if ((jsonl_iter_init(&it, p, size) && walk_all(&it) == 0) !=
	    jsonl_is_object(p, size))
		abort();
	(void)jsonl_unescape(p, size, tmp, sizeof(tmp), &cut);
	(void)report_rules_match(p, size, p, size);
	if (report_init(&r, "2026-11-20", "2026-11-21", NULL) == -1)
		return 0;
	report_day_begin(&r, "2026-11-20", "u", "h");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		report_line(&r, p, n, nl == NULL);
		p += n + 1;
	}
	report_finish(&r);
	buf_init(&out, 1u << 24);
	if (report_json(&r, &out) == 0 && !jsonl_is_object(out.p, out.len))
		abort();
	buf_reset(&out);
	(void)report_text(&r, &out);
	buf_reset(&out);
	(void)report_html(&r, &out);
	buf_free(&out);
	report_free(&r);
	return 0;
}
