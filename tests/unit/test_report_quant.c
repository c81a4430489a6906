/* Unit tests for report_quant.c: buckets, precision, nearest-rank. */
#include <stdint.h>
#include <stdlib.h>

#include "report_quant.h"
#include "test.h"

int
main(void)
{
	struct quant *q = calloc(1, sizeof(*q));
	uint64_t v, prev = 0;
	unsigned b, pb = 0;
	int ok_exact = 1, ok_err = 1, ok_mono = 1;

	for (v = 0; v < 16; v++)
		if (quant_value(quant_bucket(v)) != v)
			ok_exact = 0;
	T_CHECK(ok_exact, "exact below 16");
	/* every value reports within 1/32 of itself; buckets never go down */
	for (v = 1; v < ((uint64_t)1 << 41); v = v + 1 + v / 7) {
		uint64_t r;

		b = quant_bucket(v);
		r = quant_value(b);
		if ((r > v ? r - v : v - r) * 32 > v)
			ok_err = 0;
		if (b < pb || (b == pb && v < prev))
			ok_mono = 0;
		pb = b;
		prev = v;
	}
	T_CHECK(ok_err, "within 1/32");
	T_CHECK(ok_mono, "monotonic buckets");
	T_CHECK(quant_bucket(UINT64_MAX) == QUANT_BUCKETS - 1, "clamped top");
	T_CHECK(quant_get(q, 0.5) == 0, "empty");

	/* 1..100: p50 = 50, p95 = 95 by nearest rank (within a bucket) */
	for (v = 1; v <= 100; v++)
		quant_add(q, v);
	T_CHECK(q->n == 100, "count");
	T_CHECK(quant_get(q, 0.5) == quant_value(quant_bucket(50)), "p50 of 1..100");
	T_CHECK(quant_get(q, 0.95) == quant_value(quant_bucket(95)), "p95 of 1..100");
	T_CHECK(quant_get(q, 1.0) == quant_value(quant_bucket(100)), "max");

	/* a single value */
	free(q);
	q = calloc(1, sizeof(*q));
	quant_add(q, 7);
	T_CHECK(quant_get(q, 0.5) == 7 && quant_get(q, 0.95) == 7, "one value");
	/* skew: 99 fast, 1 slow: p95 is fast, max is slow */
	for (v = 0; v < 98; v++)
		quant_add(q, 7);
	quant_add(q, 60000);
	T_CHECK(quant_get(q, 0.95) == 7, "p95 ignores one outlier in 100");
	T_CHECK(quant_get(q, 1.0) == quant_value(quant_bucket(60000)), "max outlier");
	free(q);
	return t_done("report_quant");
}
