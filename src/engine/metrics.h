/*
 * metrics.h - Prometheus text-format metrics file (SPEC §2.1 metrics_file),
 * replaced atomically after each run so a node_exporter textfile collector
 * can alert on a shipper that stopped.
 */
#ifndef AUDITSHIP_METRICS_H
#define AUDITSHIP_METRICS_H

#include "config.h"
#include "err.h"
#include "state.h"

/* A destination's counters summed over every stream and day. */
struct metric_sum {
	uint64_t lines, bytes, lag, invalid, oversize, truncated, resets, rejected;
};

/* Pure: sum the records of destination dest (status shows them too). */
void	metrics_sum_dest(const struct state *st, const char *dest,
	    struct metric_sum *m);

/* Pure: render the metrics for every configured destination into out. */
int	metrics_render(const struct config *cfg, const struct state *st,
	    int exit_code, long long now, struct buf *out);
/* Render and atomically replace cfg->metrics_file (no-op when unset). */
int	metrics_write(const struct config *cfg, const struct state *st,
	    int exit_code, struct err *e);

#endif
