/*
 * keyfmt.h - pure rendering of object keys (SPEC §3.4), shared by the s3 and
 * dir destinations.
 */
#ifndef AUDITSHIP_KEYFMT_H
#define AUDITSHIP_KEYFMT_H

#include <stdint.h>

#include "buf.h"
#include "err.h"

#define KEYFMT_CHUNK	"{host}/{user}/{yyyy}/{mm}/{dd}/{date}.{start}-{end}.jsonl.gz"
#define KEYFMT_DAILY	"{host}/{user}/{yyyy}/{mm}/{dd}/{date}.jsonl.gz"

struct keyfmt_vars {
	const char	*host;
	const char	*user;
	const char	*date;		/* YYYY-MM-DD */
	uint64_t	 start, end;
	unsigned	 generation;	/* times the file was reset (SPEC §3.3) */
};

/* 0 when fmt names only known variables and braces balance; else -1 with
 * the offending variable in e.  For config validation. */
int	keyfmt_check(const char *fmt, struct err *e);
/* Append prefix + rendered fmt to out.  Variables are used as given; a "/"
 * or ".." coming from a variable value is replaced by "_" so a value can
 * never add a directory level.  With generation N > 0 (the file shrank or
 * was replaced N times and is shipped again from 0), ".resetN" goes before
 * a final ".jsonl.gz" (else at the end), so the objects of the content
 * first shipped are kept as evidence, never overwritten.  -1 when out is
 * full or fmt is bad. */
int	keyfmt_render(struct buf *out, const char *prefix, const char *fmt,
	    const struct keyfmt_vars *v, struct err *e);

/* The key of a day's seal number seq (SPEC §7): the day's object prefix
 * (the rendered key up to its last "/") + "{date}.seal.json" for seq 1,
 * "{date}.seal.N.json" after.  -1 when out is full or fmt is bad. */
int	keyfmt_seal_key(struct buf *out, const char *prefix, const char *fmt,
	    const struct keyfmt_vars *v, unsigned seq, struct err *e);

#endif
