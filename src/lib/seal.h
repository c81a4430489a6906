/*
 * seal.h - the seal of a stream's day (SPEC §7), pure: the statement's
 * serialiser and parser, the "sig" line, base64, the chain link and the
 * check that a day's objects tile [0, bytes).
 *
 * Hashes and signatures come in and go out as bytes or hex; signing and
 * hashing are crypto.c's.  A seal object is exactly two lines:
 *
 *   {statement JSON}\n
 *   sig <key_id> <base64 Ed25519 signature of the statement's bytes>\n
 *
 * The statement's members are written in this fixed order (the parser
 * accepts any order and skips members it does not know):
 *   auditship_seal, host, user, date, seq, state, file, bytes, lines,
 *   sha256, objects, resets, invalid, oversize, lock, prev, key_id,
 *   sealed_at
 * with objects = [{key, start, end, sha256, stored_sha256}...] (this
 * generation of the file, in file order), resets = [{generation, objects}]
 * (earlier generations, oldest first), lock = null or {mode, retain_until}.
 */
#ifndef AUDITSHIP_SEAL_H
#define AUDITSHIP_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

#define SEAL_VERSION	1
#define SEAL_HEX	65		/* 64 hex digits + NUL */
#define SEAL_KEY_ID	33		/* 32 hex digits + NUL */
#define SEAL_SIG_LEN	64		/* Ed25519 */
#define SEAL_MAX_BYTES	(16u << 20)	/* longest seal object we write/read */
#define SEAL_MAX_OBJECTS 200000		/* objects one seal may list */

struct seal_obj {
	char		*key;
	uint64_t	 start, end;
	char		 sha256[SEAL_HEX];	/* uncompressed bytes */
	char		 stored_sha256[SEAL_HEX];	/* stored bytes */
	unsigned	 generation;		/* file resets before it */
};

struct seal_stmt {
	int		 version;
	char		*host, *user, *date;	/* date YYYY-MM-DD */
	unsigned	 seq;			/* 1, 2, ... */
	int		 empty;			/* state "empty" */
	char		*file;			/* NULL for an empty day */
	uint64_t	 bytes, lines;
	char		 sha256[SEAL_HEX];
	unsigned	 generation;		/* objects of this gen: "objects" */
	struct seal_obj	*objs;			/* all generations, file order */
	size_t		 nobjs;
	uint64_t	 invalid, oversize;
	char		*lock_mode;		/* NULL: "lock":null */
	char		*lock_until;
	char		 prev[SEAL_HEX];	/* "" for null */
	char		 key_id[SEAL_KEY_ID];
	char		 sealed_at[32];
};

/* Append the statement (one line, no "\n") to out.  -1 when out is full. */
int	seal_stmt_write(struct buf *out, const struct seal_stmt *s);

/* The second line, "sig KEY_ID BASE64" with no "\n". */
int	seal_sig_write(struct buf *out, const char *key_id,
	    const uint8_t sig[SEAL_SIG_LEN]);

/*
 * The two lines of a seal object p[0..n): the statement (no "\n") and the
 * sig line's content after "sig " (no "\n"), borrowed from p.  For the
 * record destinations, which carry both in one record.  0, or -1 when p
 * is not "STATEMENT\nsig …\n".
 */
int	seal_split(const char *p, size_t n, const char **stmt, size_t *slen,
	    const char **sig, size_t *siglen);

/* What a record destination sends of a seal object: seal_split()'s two
 * parts and the statement's bytes (its record's offset). */
struct seal_record {
	const char	*stmt, *sig;
	size_t		 slen, siglen;
	uint64_t	 bytes;
};
/* Pure: split and parse p[0..n) into r.  0, or -1 (e set). */
int	seal_record_parts(const char *p, size_t n, struct seal_record *r,
	    struct err *e);

/*
 * Split a seal object into its statement (line 1 without "\n") and parse
 * both lines: the statement into s (strings allocated; seal_stmt_free),
 * the sig line into key_id and sig.  Returns 0, or -1 with what is wrong
 * in e ("not two lines", "unknown auditship_seal version 2", "malformed
 * sig line", ...).  s is always safe to free afterwards.
 */
int	seal_parse(const char *p, size_t len, struct seal_stmt *s,
	    struct slice *stmt, char key_id[SEAL_KEY_ID],
	    uint8_t sig[SEAL_SIG_LEN], struct err *e);
/* Just the statement JSON (line 1). */
int	seal_stmt_parse(const char *p, size_t len, struct seal_stmt *s,
	    struct err *e);
void	seal_stmt_free(struct seal_stmt *s);

/* Add one object to s (copies key). -1 on malloc failure or cap. */
int	seal_stmt_add_obj(struct seal_stmt *s, const char *key, uint64_t start,
	    uint64_t end, const char *sha256, const char *stored_sha256,
	    unsigned generation);

/*
 * The chain (SPEC §7): a seal's prev must be the hash of the stream's
 * previous seal (prev_hash, hex), or null for the first (prev_hash NULL).
 * 0, or -1 with the reason in e.
 */
int	seal_link_check(const struct seal_stmt *s, const char *prev_hash,
	    struct err *e);

/*
 * The objects of generation gen tile [0, bytes) in order: no gap, no
 * overlap, nothing out of order.  0, or -1 naming the first offending key.
 */
int	seal_tiling_check(const struct seal_obj *o, size_t n, unsigned gen,
	    uint64_t bytes, struct err *e);

/* Standard base64 with padding; out holds 4*ceil(n/3)+1 bytes. */
void	seal_b64_encode(const uint8_t *p, size_t n, char *out);
/* Decode strict padded base64; -1 on a bad character, length or cap. */
int	seal_b64_decode(const char *s, size_t n, uint8_t *out, size_t cap,
	    size_t *outlen);

/* 1 when s is n lowercase hex digits. */
int	seal_is_hex(const char *s, size_t n);

#endif
