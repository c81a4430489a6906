/*
 * metrics.c - Prometheus text exposition format 0.0.4 (see metrics.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fsutil.h"
#include "caps.h"
#include "metrics.h"
#include "sealer.h"

void
metrics_sum_dest(const struct state *st, const char *dest, struct metric_sum *m)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < st->nrecs; i++) {
		const struct state_rec *r = &st->recs[i];

		if (strcmp(r->dest, dest) != 0)
			continue;
		m->lines += r->lines;
		m->bytes += r->bytes;
		m->lag += r->size > r->off ? r->size - r->off : 0;
		m->invalid += r->invalid;
		m->oversize += r->oversize;
		m->truncated += r->truncated;
		m->resets += r->resets;
		m->rejected += r->rejected;
	}
}

/* Label values escape '\', '"' and newline (exposition format). */
static void
label(struct buf *out, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			buf_addc(out, '\\');
		if (*v == '\n') {
			buf_adds(out, "\\n");
			continue;
		}
		buf_addc(out, *v);
	}
}

int
metrics_render(const struct config *cfg, const struct state *st, int exit_code,
    long long now, struct buf *out)
{
	static const struct {
		const char *name, *type, *help;
	} defs[] = {
		{ "auditship_shipped_lines_total", "counter", "Lines acknowledged by the destination." },
		{ "auditship_shipped_bytes_total", "counter", "Bytes of daily files acknowledged by the destination." },
		{ "auditship_lag_bytes", "gauge", "Bytes present in daily files and not yet acknowledged." },
		{ "auditship_errors_total", "counter", "Runs in which the destination failed." },
		{ "auditship_last_success_timestamp_seconds", "gauge", "Unix time of the last acknowledged batch." },
		{ "auditship_invalid_lines_total", "counter", "Lines that were not a JSON object, carried escaped." },
		{ "auditship_oversize_lines_total", "counter", "Lines over a destination limit, reported and counted." },
		{ "auditship_truncated_lines_total", "counter", "Lines cut to fit a destination." },
		{ "auditship_file_resets_total", "counter", "Daily files that shrank or were replaced and were shipped again." },
		{ "auditship_rejected_lines_total", "counter", "Lines the destination refused (HTTP 400), reported and skipped." },
		{ "auditship_sealed_days", "gauge", "Days sealed at the destination as they stand (SPEC 7)." },
		{ "auditship_unsealed_closed_days", "gauge", "Past days acknowledged whole and not (or no longer) sealed." },
	};
	size_t i, k, n = config_dest_count(cfg);

	for (k = 0; k < sizeof(defs) / sizeof(defs[0]); k++) {
		buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", defs[k].name,
		    defs[k].help, defs[k].name, defs[k].type);
		for (i = 0; i < n; i++) {
			const struct conf_section *s = config_dest(cfg, i);
			struct state_dest *sd = NULL;
			struct metric_sum m;
			uint64_t v = 0;
			size_t j;

			for (j = 0; j < st->ndests; j++)
				if (strcmp(st->dests[j].name, s->dest_name) == 0)
					sd = &st->dests[j];
			metrics_sum_dest(st, s->dest_name, &m);
			switch (k) {
			case 0: v = m.lines; break;
			case 1: v = m.bytes; break;
			case 2: v = m.lag; break;
			case 3: v = sd ? sd->errors : 0; break;
			case 4: v = sd ? (uint64_t)sd->last_ok : 0; break;
			case 5: v = m.invalid; break;
			case 6: v = m.oversize; break;
			case 7: v = m.truncated; break;
			case 8: v = m.resets; break;
			case 9: v = m.rejected; break;
			case 10:
			case 11: {
				uint64_t sealed, unsealed;

				sealer_counts(cfg, (struct state *)st, s, (time_t)now,
				    &sealed, &unsealed);
				v = k == 10 ? sealed : unsealed;
				break;
			}
			}
			buf_printf(out, "%s{dest=\"", defs[k].name);
			label(out, s->dest_name);
			buf_printf(out, "\",type=\"%s\"} %" PRIu64 "\n", s->type, v);
		}
	}
	buf_printf(out, "# HELP auditship_last_run_timestamp_seconds Unix time the last run ended.\n"
	    "# TYPE auditship_last_run_timestamp_seconds gauge\n"
	    "auditship_last_run_timestamp_seconds %lld\n"
	    "# HELP auditship_last_run_exit_code Exit status of the last run.\n"
	    "# TYPE auditship_last_run_exit_code gauge\n"
	    "auditship_last_run_exit_code %d\n", now, exit_code);
	return out->len < out->max ? 0 : -1;
}

int
metrics_write(const struct config *cfg, const struct state *st, int exit_code,
    struct err *e)
{
	struct buf out;
	int rc;

	if (cfg->metrics_file == NULL || cfg->metrics_file[0] == '\0')
		return 0;
	buf_init(&out, 4u << 20);
	if (metrics_render(cfg, st, exit_code, (long long)time(NULL), &out) == -1) {
		buf_free(&out);
		return err_set(e, "metrics: too many destinations");
	}
	rc = fs_atomic_write(cfg->metrics_file, out.p, out.len, 0644, e);
	buf_free(&out);
	return rc;
}
