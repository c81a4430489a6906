/*
 * sigv4.h - AWS Signature Version 4 for S3, as a chain of small pure steps.
 *
 * Each step appends to a caller-owned struct buf and can be tested on its
 * own (canonical URI, canonical query, canonical headers, canonical
 * request, string to sign, signing key, Authorization).  Nothing here reads
 * the clock, the environment or the network: the request time and the
 * credentials are arguments.
 *
 * S3 rules (differences from the generic SigV4 suite):
 *  - the canonical URI is the object path URI-encoded exactly once, '/'
 *    kept, no dot-segment or "//" normalisation;
 *  - the payload hash (x-amz-content-sha256) is signed and is either the
 *    hex SHA-256 of the body or "UNSIGNED-PAYLOAD".
 */
#ifndef AUDITSHIP_SIGV4_H
#define AUDITSHIP_SIGV4_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "err.h"
#include "pair.h"

#define SIGV4_ALGORITHM		"AWS4-HMAC-SHA256"
#define SIGV4_UNSIGNED_PAYLOAD	"UNSIGNED-PAYLOAD"
#define SIGV4_EMPTY_SHA256	\
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SIGV4_AMZDATE_LEN	16	/* "20130524T000000Z" */
#define SIGV4_MAX_QUERY_PARTS	128	/* as curl: refuse more */
#define SIGV4_MAX_HEADERS	64

/* One request as the signer sees it.  All strings are borrowed. */
struct sigv4_request {
	const char	*method;	/* "PUT" */
	/* The path, NOT encoded ("/bucket/a b=c.gz"): encoded once here,
	 * and the caller must put sigv4_uri_encode(path, keep '/') in the
	 * URL so both agree. */
	const char	*path;
	/* The query as it appears in the URL after '?', without the '?'
	 * ("uploadId=x%2By&partNumber=2"), or NULL/"". */
	const char	*query;
	/* Headers to sign: must include host, x-amz-date and
	 * x-amz-content-sha256 (with the payload hash below). */
	const struct pair *headers;
	size_t		 nheaders;
	const char	*payload_hash;	/* hex SHA-256 or UNSIGNED-PAYLOAD */
};

/* The signing identity.  secret_key is borrowed and never copied except
 * into wiped stack buffers. */
struct sigv4_key {
	const char	*access_key;
	const char	*secret_key;
	const char	*region;	/* "us-east-1" */
	const char	*service;	/* "s3" */
};

/* "20130524T000000Z" for now (UTC) into out (SIGV4_AMZDATE_LEN + 1). */
void	sigv4_amz_date(time_t now, char out[SIGV4_AMZDATE_LEN + 1]);

/* The headers a request signs first, into h (room for 4): host,
 * x-amz-date, x-amz-content-sha256 and, with a session token (not NULL or
 * ""), x-amz-security-token.  Returns how many. */
size_t	sigv4_base_headers(struct pair *h, const char *host,
	    const char *amzdate, const char *payload_hash, const char *token);

/* Append s[0..n) percent-encoded per RFC 3986: unreserved bytes
 * (A-Z a-z 0-9 - _ . ~) as they are, '/' kept when keep_slash, every
 * other byte as %XX with uppercase hex.  -1 when out is full. */
int	sigv4_uri_encode(struct buf *out, const char *s, size_t n,
	    int keep_slash);

/* Canonical URI of an S3 path: single encoding, '/' kept; "" -> "/". */
int	sigv4_canonical_uri(struct buf *out, const char *path, struct err *e);

/*
 * Canonical query string from a URL query: split on '&', each part split
 * at the first '='; names and values are percent-decoded (a literal '+'
 * means a space, as in form encoding, so it becomes %20 while %2B stays
 * %2B) and re-encoded with the unreserved set; a part without '=' gets "=";
 * pairs sort by encoded name, then value.  More than
 * SIGV4_MAX_QUERY_PARTS parts, or a bad %XX, is an error.
 */
int	sigv4_canonical_query(struct buf *out, const char *query,
	    struct err *e);

/*
 * Canonical headers ("name:value\n" each) into canon and the signed header
 * list ("host;x-amz-date") into signed_names.  Names are lowercased,
 * values trimmed with inner runs of spaces collapsed to one, duplicate
 * names merged with ',' in the order given, names sorted.
 */
int	sigv4_canonical_headers(struct buf *canon, struct buf *signed_names,
	    const struct pair *h, size_t n, struct err *e);

/* The canonical request (method, URI, query, headers, signed headers,
 * payload hash joined by '\n'); signed_names receives the signed list. */
int	sigv4_canonical_request(struct buf *out, struct buf *signed_names,
	    const struct sigv4_request *rq, struct err *e);

/* "AWS4-HMAC-SHA256\n<amzdate>\n<scope>\n<hex sha256(creq)>". */
int	sigv4_string_to_sign(struct buf *out, const char *amzdate,
	    const char *scope, const char *creq, size_t creq_len);

/* "<yyyymmdd>/<region>/<service>/aws4_request". */
int	sigv4_scope(struct buf *out, const char *amzdate,
	    const struct sigv4_key *k);

/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service),
 * "aws4_request").  out is a secret: the caller wipes it. */
int	sigv4_signing_key(const struct sigv4_key *k, const char *amzdate,
	    uint8_t out[32], struct err *e);

/*
 * The whole chain: append the Authorization header value
 * ("AWS4-HMAC-SHA256 Credential=AK/scope, SignedHeaders=..., Signature=...")
 * to out.  amzdate must be the x-amz-date header value.  When creq/sts are
 * not NULL they receive the intermediate stages (for tests and debug).
 */
int	sigv4_authorization(struct buf *out, const struct sigv4_key *k,
	    const struct sigv4_request *rq, const char *amzdate,
	    struct buf *creq, struct buf *sts, struct err *e);

#endif
