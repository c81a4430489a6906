/*
 * report_quant.c - log-bucket histogram quantiles (see report_quant.h).
 */
#include <stdint.h>

#include "report_quant.h"

unsigned
quant_bucket(uint64_t v)
{
	unsigned e = 63 - (unsigned)__builtin_clzll(v | 1);

	if (v < QUANT_SUB)
		return (unsigned)v;
	if (e > QUANT_MAXEXP)
		return QUANT_BUCKETS - 1;
	/* e >= 4: the top 5 bits are 1ssss; ssss picks the sub-bucket. */
	return QUANT_SUB + (e - 4) * QUANT_SUB +
	    (unsigned)((v >> (e - 4)) & (QUANT_SUB - 1));
}

uint64_t
quant_value(unsigned bucket)
{
	unsigned e, sub;
	uint64_t lo, width;

	if (bucket < QUANT_SUB)
		return bucket;
	if (bucket >= QUANT_BUCKETS)
		bucket = QUANT_BUCKETS - 1;
	e = (bucket - QUANT_SUB) / QUANT_SUB + 4;
	sub = (bucket - QUANT_SUB) % QUANT_SUB;
	width = (uint64_t)1 << (e - 4);
	lo = ((uint64_t)1 << e) + sub * width;
	return lo + width / 2;
}

void
quant_add(struct quant *q, uint64_t v)
{
	q->b[quant_bucket(v)]++;
	q->n++;
}

uint64_t
quant_get(const struct quant *q, double p)
{
	uint64_t rank, seen = 0;
	unsigned i;

	if (q->n == 0)
		return 0;
	/* nearest rank: the smallest value with at least p*n values <= it */
	rank = (uint64_t)(p * (double)q->n);
	if ((double)rank < p * (double)q->n)
		rank++;
	if (rank < 1)
		rank = 1;
	for (i = 0; i < QUANT_BUCKETS; i++) {
		seen += q->b[i];
		if (seen >= rank)
			return quant_value(i);
	}
	return quant_value(QUANT_BUCKETS - 1);
}
