/*
 * dest.h - the destination interface.
 *
 * A destination is one file (dest_syslog.c, dest_http.c, dest_s3.c,
 * dest_dir.c) that fills a static const struct dest_ops and is listed by
 * one line in the table in dest.c.  That struct is all auditship knows of
 * it: its configuration keys (with their defaults), a pure check() of
 * the combinations the keys cannot express, and the callbacks.  The
 * engine (ship.c) owns everything else: reading lines, batching, retries
 * with backoff, offsets and commits, and reading lines again for a
 * destination that must resend.  A destination never sleeps to retry,
 * never touches the state file, never opens a daily file and never exits.
 *
 * Two kinds:
 *  - DEST_RECORDS (syslog, http) get runs of complete lines through send()
 *    and say how many of them were acknowledged.
 *  - DEST_OBJECTS (s3, dir) get byte ranges of a daily file through put()
 *    and store them as one gzip object whose key is derived from the range
 *    (SPEC §3.4).  The engine records the range before put() and, after a
 *    crash, calls put() again with exactly the same range, so an object
 *    store never holds two objects covering the same bytes (SPEC §3.1).
 *
 * How to add one: /README.md, "Adding a destination".
 */
#ifndef AUDITSHIP_DEST_H
#define AUDITSHIP_DEST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "caps.h"
#include "err.h"
#include "keyfmt.h"
#include "seal.h"

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

/* What an object destination reports of a stored object, for the day's
 * seal (SPEC §7): its key and the SHA-256 (hex) of the bytes stored. */
struct dest_stored {
	char		 key[LIM_KEY];
	char		 sha256[65];
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
	/* When not NULL and the destination seals, put() fills it on
	 * DEST_OK (empty key: the destination cannot say). */
	struct dest_stored *stored;
	/* Progress only.  When not NULL, an upload in several parts (S3
	 * UploadPart, Azure Put Block) calls acked(ctx, n) once the store
	 * acknowledged a part (or already held it, on a resume), n = the
	 * range's uncompressed bytes that part adds to what the parts so far
	 * can be read back as.  The engine shows them on the progress line;
	 * offsets still move only on put()'s DEST_OK (SPEC §3.1).  NULL
	 * (progress off): nothing to count. */
	void		(*acked)(void *ctx, uint64_t n);
};

/* A seal (SPEC §7) as dest_put_seal() hands it to send_seal(). */
struct dest_seal {
	const struct dest_file *file;	/* the day it seals */
	struct seal_record rec;		/* statement, sig, bytes */
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

/*
 * A line handed back by dest->reread(): return 0 to go on, -1 (e set) to
 * stop the re-read (it then returns -1 with that error).
 */
typedef int (*dest_line_fn)(void *arg, const struct dest_line *l,
    struct err *e);

/* The engine's defaults for the plain fields below (SPEC §3.5). */
#define DEST_RETRY_MAX_DEFAULT		8
#define DEST_RETRY_TIME_MS_DEFAULT	(5 * 60 * 1000)
/* Every network timeout's default: the key tables write it as text. */
#define DEST_TIMEOUT_DEFAULT		"30s"

struct dest {
	const char	*name;		/* [destination NAME] */
	const struct dest_ops *ops;
	const struct conf_section *conf;
	const struct config *cfg;
	void		*priv;		/* the destination's own state */

	/*
	 * Plain settings for the engine, filled by open() from the parsed
	 * (so already valid) section; the engine reads no key by name.
	 * dest_init() sets the defaults before open().
	 */
	size_t		 max_batch_lines; /* DEST_RECORDS: never more lines */
	size_t		 max_batch_bytes; /* ... nor more line bytes per send */
	unsigned	 retry_max;	/* attempts per run (retry_max) */
	uint64_t	 retry_max_time_ms; /* their time budget per run */
	uint64_t	 timeout_ms;	/* one network operation, 0: none */
	int		 daily;		/* DEST_OBJECTS: upload = daily */
	int		 seal;		/* seal = true (SPEC §7; every type) */
	const char	*lock_mode;	/* object_lock_mode, NULL when none */
	unsigned	 lock_days;	/* object_lock_retain_days */
	uint64_t	 min_chunk;	/* DEST_OBJECTS chunk: bytes ... */
	uint64_t	 flush_interval_ms; /* ... or time before an upload */
	const char	*prefix;	/* DEST_OBJECTS: the keys' prefix ... */
	const char	*key_format;	/* ... and template (defaulted per upload) */

	/*
	 * Set by the engine: read lines again for a resend (syslog after a
	 * broken connection).  Hands each() the lines of the daily file
	 * `name` of stream `stream_dir` (as in struct dest_file) whose first
	 * byte is at an offset in [first, last], in order, wherever that
	 * day is now (compressed since, the engine knows how to find it).
	 * Returns 0, or -1 with e set (the file is gone or unreadable, or
	 * each() failed).  Lines over the engine's line limit are skipped,
	 * as they were never sent.  NULL outside the engine.
	 */
	int		(*reread)(struct dest *d, const char *stream_dir,
			    const char *name, uint64_t first, uint64_t last,
			    dest_line_fn each, void *arg, struct err *e);
	void		*reread_ctx;	/* the engine's, for reread() */

	/* Filled by send()/put(). */
	struct dest_counts counts;
	uint64_t	 retry_after_ms; /* with DEST_RETRY: server asked */
};

struct dest_ops {
	const char	*type;		/* "syslog", "http", "s3", "dir" */
	enum dest_kind	 kind;
	/* Every key of [destination NAME] with this type, "type" included
	 * (see struct conf_key in config.h: name, kind, default text or a
	 * default function of the keys before it, flags, bounds).  config.c
	 * validates the file against it and adds the defaults. */
	struct conf_table keys;
	/* Pure: the rules across keys of one parsed section (this needs
	 * that).  Report each with conf_reject(); 0 when all is well. */
	int		(*check)(const struct conf_section *s,
			    struct conf_report *r);
	/* Read settings from d->conf (parsed and checked: trust it) into
	 * d->priv and the plain fields of d.  No network I/O: `check` calls
	 * it.  -1 only for what needs the world (a secret file, a CA). */
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
	/* Seals (SPEC §7); a type sets the one of its kind, or neither when
	 * it cannot seal.  The engine calls them through dest_put_seal().
	 * DEST_OBJECTS: store p[0..n) as the seal number seq of the day of
	 * f, under the key next to the day's objects, never replacing a
	 * different object (an identical one already there is DEST_OK).
	 * Fills *stored. */
	enum dest_rc	(*put_seal)(struct dest *d, const struct dest_file *f,
			    unsigned seq, const void *p, size_t n,
			    struct dest_stored *stored, struct err *e);
	/* DEST_RECORDS: send the seal s as one more record of its day. */
	enum dest_rc	(*send_seal)(struct dest *d, const struct dest_seal *s,
			    struct err *e);
	/* `check --connect`: prove the destination is reachable, storing
	 * nothing.  0 or -1 with a message saying which failure it was. */
	int		(*probe)(struct dest *d, struct err *e);
	/* Free d->priv, close connections.  Safe after a failed open. */
	void		(*close)(struct dest *d);
};

/*
 * The start of a destination's ops, which names its parts after its type
 * T: the key table T_keys and the callbacks T_check, T_open, T_probe and
 * T_close.  The ops add send or put (and put_seal or send_seal) after it:
 *   const struct dest_ops dest_dir_ops = {
 *       DEST_OPS(dir, DEST_OBJECTS),
 *       .put = dir_put, .put_seal = dir_put_seal,
 *   };
 */
#define DEST_OPS(t, k)							\
	.type = #t, .kind = (k),					\
	.keys = { #t, t##_keys, CONF_NKEYS(t##_keys) },			\
	.check = t##_check, .open = t##_open, .probe = t##_probe,	\
	.close = t##_close

/* The registered type, or NULL. */
const struct dest_ops *dest_find(const char *type);
/* The i-th registered type, NULL past the end (dest.c's table order). */
const struct dest_ops *dest_type_at(size_t i);
/* "syslog, http, s3, dir": the registered types, for messages. */
const char *dest_types(void);

/* Zero d and set the plain fields' defaults: before open(). */
void	dest_init(struct dest *d, const struct dest_ops *ops,
	    const struct conf_section *s, const struct config *cfg);

/* Helpers for the tables and checks of destinations. */
/* open(): a zeroed d->priv of size bytes, or NULL (e set). */
void	*dest_priv_alloc(struct dest *d, size_t size, struct err *e);
/* The type can seal: it has put_seal or send_seal. */
int	dest_ops_seal(const struct dest_ops *ops);
/* Store or send the seal object p[0..n) (seal number seq of f's day):
 * DEST_OBJECTS through put_seal; DEST_RECORDS split (a malformed one is
 * DEST_STOP) and handed to send_seal, *stored left empty. */
enum dest_rc dest_put_seal(struct dest *d, const struct dest_file *f,
	    unsigned seq, const void *p, size_t n, struct dest_stored *stored,
	    struct err *e);
/* key_format's default: KEYFMT_DAILY for upload = daily, else _CHUNK. */
int	dest_def_key_format(const struct conf_section *s, struct buf *out);
/* key_format is a valid template (DEST_OBJECTS). */
int	dest_check_key_format(const struct conf_section *s,
	    struct conf_report *r);
/* A url-like key, when set, starts with http:// or https://. */
int	dest_check_url(const struct conf_section *s, const char *key,
	    struct conf_report *r);
/* A CONF_SECRET_KEYS secret is given: KEY, KEY_env or KEY_file set. */
int	dest_secret_given(const struct conf_section *s, const char *key);
/* For what reads a section without opening its destination (status,
 * prune, run's timer): whether it seals (its type can, and seal = true),
 * and its flush_interval (0: none, a record destination). */
int	dest_conf_seals(const struct conf_section *s);
uint64_t dest_conf_flush_ms(const struct conf_section *s);
/* The key template's variables of o's range (SPEC §3.4). */
struct keyfmt_vars dest_object_vars(const struct dest_object *o);
/* Read upload, min_chunk, flush_interval, Object Lock, prefix and
 * key_format into d (DEST_OBJECTS). */
void	dest_object_fields(struct dest *d);
/* Read timeout, retry_max, retry_max_time into d. */
void	dest_retry_fields(struct dest *d);

/*
 * What an HTTP exchange means to the engine, the same for every
 * HTTP-based destination (SPEC §3.5).  hrc and rs are http_do()'s:
 *   2xx                          DEST_OK
 *   network error, 408, 429, 5xx DEST_RETRY, *retry_after_ms from the
 *                                server's Retry-After (0: none)
 *   413, 400                     DEST_SPLIT (the payload, not the link:
 *                                the caller decides for a lone event)
 *   401, 403, 3xx, other 4xx,
 *   TLS verification, bad URL    DEST_STOP
 * Pure but for the clock Retry-After dates are read against.
 */
struct http_response;
enum dest_rc dest_http_rc(int hrc, const struct http_response *rs,
	    uint64_t *retry_after_ms);

/* The key table rows every HTTP-client destination has, in this order. */
#define DEST_HTTP_CLIENT_KEYS						\
	{ "timeout", CONF_DURATION, DEST_TIMEOUT_DEFAULT, 0, NULL, 1,	\
	    24LL * 3600 * 1000, NULL },					\
	{ "retry_max", CONF_INT, "8", 0, NULL, 0, 1000, NULL },		\
	{ "retry_max_time", CONF_DURATION, "5m", 0, NULL, 0,		\
	    7LL * 24 * 3600 * 1000, NULL },				\
	{ "ca_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0, NULL },	\
	{ "verify", CONF_BOOL, "true", 0, NULL, 0, 0, NULL }

/* The key table rows of an object store's keys and uploads (s3, azblob),
 * in this order: key_format's default (KEYFMT_CHUNK or KEYFMT_DAILY)
 * follows upload. */
#define DEST_OBJECT_KEYS						\
	{ "prefix", CONF_STR, "", 0, NULL, 0, 0, NULL },		\
	{ "upload", CONF_ENUM, "chunk", 0, "chunk|daily", 0, 0, NULL },	\
	{ "key_format", CONF_STR, NULL, 0, NULL, 0, 0,			\
	    dest_def_key_format },					\
	{ "min_chunk", CONF_SIZE, "0", 0, NULL, 0, 0, NULL },		\
	{ "flush_interval", CONF_DURATION, "60s", 0, NULL, 1,		\
	    7LL * 24 * 3600 * 1000, NULL },				\
	{ "compress_level", CONF_INT, "6", 0, NULL, 1, 9, NULL }

extern const struct dest_ops dest_dir_ops;
/* An opened dir destination's path (for reading it back: archive.c). */
const char *dest_dir_path(const struct dest *d);
extern const struct dest_ops dest_syslog_ops;
extern const struct dest_ops dest_http_ops;
extern const struct dest_ops dest_s3_ops;
extern const struct dest_ops dest_azblob_ops;
extern const struct dest_ops dest_otlp_ops;
extern const struct dest_ops dest_relp_ops;

#endif
