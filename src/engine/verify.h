/*
 * verify.h - checking an archive's seals (SPEC §7), one stream at a time,
 * for `auditship verify` and `auditship report --dest`.
 *
 * verify_stream() reads only the archive (and, with opts.local, this
 * host's daily files), and returns one result per day of [from, to]: the
 * problems found, each naming the object or seal key it concerns.  Memory
 * is bounded by one stream's days and one day's objects.
 */
#ifndef AUDITSHIP_VERIFY_H
#define AUDITSHIP_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "archive.h"
#include "config.h"
#include "crypto.h"
#include "err.h"

struct verify_key {
	uint8_t		 pub[CRYPTO_ED25519_PUB];
	char		 id[CRYPTO_KEY_ID];
	char		*path;
};

struct verify_opts {
	const struct config *cfg;
	const struct verify_key *keys;	/* trusted public keys */
	size_t		 nkeys;
	int		 local;		/* --local: compare this host's files */
	int		 fast;		/* --fast (s3: trust stored checksums) */
	const char	*from;		/* NULL: the stream's first seal */
	const char	*to;		/* required: last day checked */
};

struct verify_problem {
	char		*key;		/* object or seal key ("" if none) */
	char		*what;
};

struct verify_day {
	char		 date[11];
	int		 sealed;	/* a seal that parses and verifies */
	unsigned	 seals;		/* seal objects found */
	uint64_t	 objects, bytes;	/* checked; uncompressed bytes */
	/* --fast: objects checked by the server's stored checksum (not
	 * downloaded), and dir files hashed without decompressing */
	uint64_t	 by_checksum, stored_only;
	struct verify_problem *p;
	size_t		 np;
};

struct verify_stream {
	char		*host, *user;
	struct verify_day *days;	/* in date order */
	size_t		 ndays;
};

/* Verify stream host/user of archive a.  0 (problems are in out), or -1
 * when the archive cannot be read at all (e set). */
int	verify_stream(struct archive *a, const struct verify_opts *o,
	    const char *host, const char *user, struct verify_stream *out,
	    struct err *e);
void	verify_stream_free(struct verify_stream *s);

/* Trusted keys: a .pub file, or every *.pub in a directory.  Appends to
 * *keys.  0 or -1 (e set). */
int	verify_load_keys(const char *path, struct verify_key **keys,
	    size_t *n, struct err *e);
void	verify_keys_free(struct verify_key *keys, size_t n);

#endif
