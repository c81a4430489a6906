/*
 * backoff.c - exponential backoff with full jitter (SPEC §3.5).  Pure.
 *
 * "Full jitter": the wait is uniform in [0, min(max, base * 2^attempt)),
 * which spreads retries of many shippers hitting one intake after an
 * outage.  A server's Retry-After replaces the computed wait.
 */
#include "backoff.h"

void
backoff_init(struct backoff *b, unsigned retry_max, uint64_t budget_ms)
{
	b->base_ms = 500;
	b->max_ms = 30000;
	b->retry_max = retry_max;
	b->budget_ms = budget_ms;
	b->attempt = 0;
	b->waited_ms = 0;
}

int64_t
backoff_next(struct backoff *b, uint32_t rnd, uint64_t retry_after_ms)
{
	uint64_t cap, wait;

	if (b->attempt >= b->retry_max)
		return -1;
	if (retry_after_ms > 0)
		wait = retry_after_ms;
	else {
		cap = b->base_ms << (b->attempt < 16 ? b->attempt : 16);
		if (cap > b->max_ms)
			cap = b->max_ms;
		wait = (uint64_t)(((double)rnd / 4294967296.0) * (double)cap);
	}
	if (b->waited_ms + wait > b->budget_ms)
		return -1;
	b->attempt++;
	b->waited_ms += wait;
	return (int64_t)wait;
}

void
backoff_success(struct backoff *b)
{
	b->attempt = 0;
}
