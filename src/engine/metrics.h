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

/* Pure: render the metrics for every configured destination into out. */
int	metrics_render(const struct config *cfg, const struct state *st,
	    int exit_code, long long now, struct buf *out);
/* Render and atomically replace cfg->metrics_file (no-op when unset). */
int	metrics_write(const struct config *cfg, const struct state *st,
	    int exit_code, struct err *e);

#endif
