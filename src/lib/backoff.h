/*
 * backoff.h - pure retry timing (SPEC §3.5): exponential backoff with full
 * jitter, Retry-After honoured, within an attempt count and a time budget.
 */
#ifndef AUDITSHIP_BACKOFF_H
#define AUDITSHIP_BACKOFF_H

#include <stdint.h>

struct backoff {
	uint64_t	 base_ms;	/* first cap, e.g. 500 */
	uint64_t	 max_ms;	/* largest single wait, e.g. 30000 */
	unsigned	 retry_max;	/* attempts after the first */
	uint64_t	 budget_ms;	/* total waiting allowed */
	unsigned	 attempt;	/* retries done so far */
	uint64_t	 waited_ms;	/* total waited so far */
};

void	backoff_init(struct backoff *b, unsigned retry_max, uint64_t budget_ms);
/*
 * The wait before the next attempt, or -1 when retries or budget are
 * spent.  rnd is a uniform random 32-bit value (the caller's, so tests pin
 * it); retry_after_ms > 0 is the server's request, taken as the wait when
 * it fits the budget.  Counts the attempt.
 */
int64_t	backoff_next(struct backoff *b, uint32_t rnd, uint64_t retry_after_ms);
/* A success resets the attempt counter (not the budget). */
void	backoff_success(struct backoff *b);

#endif
