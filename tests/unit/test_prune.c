/*
 * test_prune.c - local retention's pure part (prune.c): the verdict for a
 * day from what each destination acknowledged, and the age rule.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prune.h"
#include "test.h"

static void
test_decide(void)
{
	/* found, same_file, pending, off, need, changed, seals, sealed */
	static const struct prune_ack ok = { 1, 1, 0, 100, 100, 0, 0, 0 };
	static const struct prune_ack sealed = { 1, 1, 0, 100, 100, 0, 1, 1 };
	static const struct prune_ack unsealed = { 1, 1, 0, 100, 100, 0, 1, 0 };
	static const struct prune_ack never = { 0, 0, 0, 0, 100, 0, 0, 0 };
	static const struct prune_ack other = { 1, 0, 0, 100, 100, 0, 0, 0 };
	static const struct prune_ack pending = { 1, 1, 1, 100, 100, 0, 0, 0 };
	static const struct prune_ack short_ = { 1, 1, 0, 99, 100, 0, 0, 0 };
	static const struct prune_ack unmeasured = { 1, 1, 0, 100, UINT64_MAX, 0, 0, 0 };
	static const struct prune_ack changed = { 1, 1, 0, 100, 100, 1, 0, 0 };
	static const struct {
		const char *name;
		int old, closed;
		struct prune_ack a[2];
		size_t n;
		enum prune_why want;
		size_t culprit;
	} t[] = {
		{ "all acknowledged", 1, 1, { ok, ok }, 2, PRUNE_DELETE, 0 },
		{ "sealed where it seals", 1, 1, { ok, sealed }, 2, PRUNE_DELETE, 0 },
		{ "young", 0, 1, { ok, ok }, 2, PRUNE_KEEP_YOUNG, 0 },
		{ "open", 1, 0, { ok, ok }, 2, PRUNE_KEEP_OPEN, 0 },
		{ "one never shipped", 1, 1, { ok, never }, 2, PRUNE_KEEP_NEVER, 1 },
		{ "another file", 1, 1, { other, ok }, 2, PRUNE_KEEP_OTHER_FILE, 0 },
		{ "upload under way", 1, 1, { ok, pending }, 2, PRUNE_KEEP_PENDING, 1 },
		{ "one byte short", 1, 1, { ok, short_ }, 2, PRUNE_KEEP_UNACKED, 1 },
		{ "gz size not measured", 1, 1, { unmeasured, ok }, 2, PRUNE_KEEP_UNACKED, 0 },
		{ "touched since", 1, 1, { changed, ok }, 2, PRUNE_KEEP_CHANGED, 0 },
		{ "unsealed", 1, 1, { ok, unsealed }, 2, PRUNE_KEEP_UNSEALED, 1 },
		{ "no destination", 1, 1, { ok, ok }, 0, PRUNE_KEEP_NEVER, 0 },
	};
	size_t i, c;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		enum prune_why w = prune_decide(t[i].old, t[i].closed, t[i].a,
		    t[i].n, &c);

		T_CHECK(w == t[i].want, t[i].name);
		if (w != PRUNE_DELETE && w != PRUNE_KEEP_YOUNG &&
		    w != PRUNE_KEEP_OPEN && t[i].n > 0)
			T_CHECK(c == t[i].culprit, t[i].name);
		T_CHECK(prune_why_text(w)[0] != '?', t[i].name);
	}
}

static void
test_old_enough(void)
{
	/* 2026-11-20 ends at 2026-11-21T00:00:00Z = 1795219200 */
	static const struct {
		const char *date;
		long long now;
		unsigned long long after_ms;
		int want;
	} t[] = {
		{ "2026-11-20", 1795219200LL, 0, 1 },
		{ "2026-11-20", 1795219199LL, 0, 0 },
		{ "2026-11-20", 1795219200LL + 86400, 86400000ULL, 1 },
		{ "2026-11-20", 1795219200LL + 86399, 86400000ULL, 0 },
		{ "2026-11-20", 1795219200LL + 90 * 86400, 90ULL * 86400000, 1 },
		{ "2026-12-31", 1798761600LL, 0, 1 },	/* year end */
		{ "2026-12-31", 1798761599LL, 0, 0 },
		{ "not-a-date", 1798761600LL, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		T_CHECK(prune_old_enough(t[i].date, 0, (time_t)t[i].now,
		    t[i].after_ms) == t[i].want, t[i].date);
	/* local calendar: in UTC+2 the day ends two hours earlier */
	setenv("TZ", "Etc/GMT-2", 1);
	tzset();
	T_CHECK(prune_old_enough("2026-11-20", 1, 1795219200LL - 7200, 0) == 1,
	    "local day end");
	T_CHECK(prune_old_enough("2026-11-20", 1, 1795219200LL - 7201, 0) == 0,
	    "local: not yet");
}

int
main(void)
{
	test_decide();
	test_old_enough();
	return t_done("prune");
}
