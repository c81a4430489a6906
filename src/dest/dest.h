/*
 * dest.h - the destination interface.
 *
 * A destination is one file (dest_syslog.c, dest_http.c, dest_s3.c,
 * dest_dir.c) that fills a static const struct dest_ops and is found by
 * type name in the table in dest.c.  The engine (ship.c) owns everything
 * else: reading lines, batching, retries with backoff, offsets and commits.
 * A destination never sleeps to retry, never touches the state file and
 * never exits.
 *
 * Two kinds:
 *  - DEST_RECORDS (syslog, http) get runs of complete lines through send()
 *    and say how many of them were acknowledged.
 *  - DEST_OBJECTS (s3, dir) get byte ranges of a daily file through put()
 *    and store them as one gzip object whose key is derived from the range
 *    (SPEC §3.4).  The engine records the range before put() and, after a
 *    crash, calls put() again with exactly the same range, so an object
 *    store never holds two objects covering the same bytes (SPEC §3.1).
 */
#ifndef AUDITSHIP_DEST_H
#define AUDITSHIP_DEST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "err.h"

enum dest_rc {
	DEST_OK,	/* done; for send() *nacked says how far */
	DEST_RETRY,	/* transient failure: engine backs off, calls again */
	DEST_SPLIT,	/* payload too large (413): engine halves the run */
	DEST_STOP,	/* permanent (401/403, bad config): stop this dest */
};

enum dest_kind {
	DEST_RECORDS,
	DEST_OBJECTS,
};

/* One daily file of one stream, as a destination sees it. */
struct dest_file {
	const char	*host;		/* [auditship] hostname */
	const char	*user;		/* owner of the stream's files */
	const char	*stream_dir;	/* the matched source directory */
	const char	*name;		/* "2026-11-20.jsonl" (no .gz) */
	const char	*date;		/* "2026-11-20" */
	int		 closed;	/* the day is over and settled */
};

#define DEST_LINE_FRAGMENT	0x01	/* final bytes of a closed day, no \n */

/* One event: a line without its "\n" (and without a "\r" before it). */
struct dest_line {
	const char	*p;
	size_t		 len;
	uint64_t	 offset;	/* of the line's first byte in the file */
	unsigned	 flags;
};

/* A run of consecutive lines of one file, for DEST_RECORDS. */
struct dest_batch {
	const struct dest_file *file;
	const struct dest_line *lines;
	size_t		 nlines;
};

/* A byte range of one file, for DEST_OBJECTS. */
struct dest_object {
	const struct dest_file *file;
	uint64_t	 start, end;	/* uncompressed bytes [start, end) */
	int		 whole_day;	/* upload = daily: start 0, day closed */
	unsigned	 generation;	/* file resets so far: keyfmt_vars */
	/* Stream the raw bytes of the range: returns bytes read, 0 at the
	 * end of the range, -1 on error (e set).  rewind() starts over. */
	ssize_t		(*read)(void *ctx, void *p, size_t cap, struct err *e);
	int		(*rewind)(void *ctx, struct err *e);
	void		*ctx;
	/* A short note the destination wants kept with this pending upload
	 * (a multipart upload id): note holds what a crashed earlier attempt
	 * saved ("" if none); note_save() durably records a new one before
	 * the destination relies on it. */
	const char	*note;
	int		(*note_save)(void *ctx, const char *note, struct err *e);
};

/* What a send()/put() saw that status must count (SPEC §3.3, §4).  The
 * engine zeroes it before each call and adds it to the file's counters. */
struct dest_counts {
	uint64_t	 invalid_json;	/* lines carried as escaped strings */
	uint64_t	 oversize;	/* lines over the limit, reported */
	uint64_t	 truncated;	/* lines cut to fit (never silently) */
	uint64_t	 rejected;	/* lines the server refused (HTTP 400
					 * for that one event), reported */
};

struct dest {
	const char	*name;		/* [destination NAME] */
	const struct dest_ops *ops;
	const struct conf_section *conf;
	const struct config *cfg;
	void		*priv;		/* the destination's own state */

	/* Set by open() for the engine (DEST_RECORDS): the engine never
	 * hands send() more lines or more line bytes than this. */
	size_t		 max_batch_lines;
	size_t		 max_batch_bytes;

	/* Filled by send()/put(). */
	struct dest_counts counts;
	uint64_t	 retry_after_ms; /* with DEST_RETRY: server asked */
};

struct dest_ops {
	const char	*type;		/* "syslog", "http", "s3", "dir" */
	enum dest_kind	 kind;
	/* Read settings from d->conf into d->priv; check what the tables
	 * cannot (combinations).  No network I/O: `check` calls it. */
	int		(*open)(struct dest *d, struct err *e);
	/* DEST_RECORDS: deliver lines in order; *nacked = how many leading
	 * lines were acknowledged (also on failure).  Lines it cannot carry
	 * (over a limit) count as acknowledged and go to d->counts. */
	enum dest_rc	(*send)(struct dest *d, const struct dest_batch *b,
			    size_t *nacked, struct err *e);
	/* DEST_OBJECTS: store the range as one object; DEST_OK only once the
	 * store acknowledged it durably (fsynced rename; S3 checksum match). */
	enum dest_rc	(*put)(struct dest *d, const struct dest_object *o,
			    struct err *e);
	/* `check --connect`: prove the destination is reachable, storing
	 * nothing.  0 or -1 with a message saying which failure it was. */
	int		(*probe)(struct dest *d, struct err *e);
	/* Free d->priv, close connections.  Safe after a failed open. */
	void		(*close)(struct dest *d);
};

/* The registered type, or NULL. */
const struct dest_ops *dest_find(const char *type);

extern const struct dest_ops dest_dir_ops;
extern const struct dest_ops dest_syslog_ops;
extern const struct dest_ops dest_http_ops;
extern const struct dest_ops dest_s3_ops;
extern const struct dest_ops dest_otlp_ops;
extern const struct dest_ops dest_relp_ops;

#endif
