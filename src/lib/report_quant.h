/*
 * report_quant.h - bounded duration quantiles for `auditship report`.
 *
 * A fixed log-bucket histogram: values 0..15 ms have a bucket each; above,
 * every power of two is split into 16 equal buckets (values past 2^40 ms
 * share the last one).  A quantile is the nearest-rank value's bucket,
 * reported as the bucket's middle: exact below 16 ms, else within 1/32
 * (3.2 %) of the true nearest-rank value.  4.9 KiB per histogram, whatever
 * the number of values.
 */
#ifndef AUDITSHIP_REPORT_QUANT_H
#define AUDITSHIP_REPORT_QUANT_H

#include <stdint.h>

#define QUANT_SUB	16
#define QUANT_MAXEXP	40
#define QUANT_BUCKETS	(QUANT_SUB + (QUANT_MAXEXP - 4 + 1) * QUANT_SUB)

struct quant {
	uint64_t	n;
	uint64_t	b[QUANT_BUCKETS];
};

void	quant_add(struct quant *q, uint64_t v);
/* The q-quantile (0 < q <= 1, e.g. 0.5, 0.95); 0 when empty. */
uint64_t quant_get(const struct quant *q, double p);
/* Pure: bucket of v, and the value that bucket reports. */
unsigned quant_bucket(uint64_t v);
uint64_t quant_value(unsigned bucket);

#endif
