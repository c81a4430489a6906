/*
 * az_client.h - one Azure Blob Storage container as the azblob destination
 * uses it: Shared Key or SAS requests, uploads of byte ranges as gzip
 * block blobs, immutability policies and legal hold, the connect probe.
 *
 * dest_azblob.c reads the configuration into struct az_settings; this file
 * knows no key names.  Nothing here sleeps or retries: results are enum
 * dest_rc and the engine owns backoff (SPEC §3.5).
 */
#ifndef AUDITSHIP_AZ_CLIENT_H
#define AUDITSHIP_AZ_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "dest.h"
#include "err.h"

#define AZ_VERSION		"2021-08-06"	/* x-ms-version we speak */
#define AZ_BLOCK_MIN		(1u << 20)	/* smallest block we cut */
#define AZ_BLOCK_MAX		(16u << 20)	/* largest block we cut */
#define AZ_MAX_SINGLE_PUT	(5000ull << 20)	/* Put Blob limit */
#define AZ_MIN_RATE		(128u << 10)	/* bytes/s an upload may take */
#define AZ_META_SHA256		"x-ms-meta-auditship_sha256"
#define AZ_META_RANGE		"x-ms-meta-auditship_range"

/* Everything the destination's section says, resolved; strings are
 * borrowed from the config (or the destination), which outlives the
 * client. */
struct az_settings {
	const char	*dest_name;	/* for messages */
	const char	*account;
	const char	*container;
	const char	*endpoint;	/* NULL: https://ACCOUNT.blob.core.windows.net */
	const char	*prefix;	/* "" when none */
	const char	*key_format;	/* defaulted per upload mode */
	int		 compress_level;
	const uint8_t	*key;		/* decoded account key, or NULL */
	size_t		 klen;
	const char	*sas;		/* SAS token, or NULL */
	const char	*immutability_mode;	/* NULL, "unlocked", "locked" */
	unsigned	 immutability_days;
	int		 legal_hold;
	uint64_t	 block_threshold;	/* Put Blob up to this size */
	uint64_t	 timeout_ms;
	const char	*ca_file;
	int		 verify;
	const char	*tmp_dir;	/* where compressed bodies wait */
};

struct az_client;

/* Validate settings (names, endpoint URL) and build a client; no network
 * I/O.  NULL with e set ("KEY: reason") on error. */
struct az_client *az_client_new(const struct az_settings *st, struct err *e);
void	az_client_free(struct az_client *c);

/*
 * Store the range of o as one gzip block blob (SPEC §3.1, §3.4): compress
 * to a temp file while hashing, Get Blob Properties on the name (an
 * earlier attempt may have stored it), then Put Blob, or above the
 * threshold Put Block per block (ids derived from the block's bytes, each
 * with Content-MD5) and Put Block List, always with If-None-Match: *; the
 * immutability policy and legal hold ride on the upload and are read back.
 * On DEST_RETRY *retry_after_ms holds the server's Retry-After (0 if none).
 */
enum dest_rc az_client_put(struct az_client *c, const struct dest_object *o,
	    uint64_t *retry_after_ms, struct err *e);

/*
 * Store a seal (SPEC §7) of n bytes at key, like the day's blobs (Put
 * Blob with Content-MD5, If-None-Match, immutability and legal hold),
 * never replacing a different blob; an identical one already there is
 * DEST_OK.  Fills *stored (key, SHA-256 of the bytes).
 */
enum dest_rc az_client_put_seal(struct az_client *c, const char *key,
	    const void *p, size_t n, struct dest_stored *stored,
	    uint64_t *retry_after_ms, struct err *e);

/*
 * List Blobs under prefix (a full blob-name prefix), paged, in the
 * service's lexical order.  With delim, names one level below prefix
 * ("a/b/") are reported once each as prefixes (is_prefix 1, size 0).
 * fn returns 0, or -1 to stop (the listing then returns -1).  0 or -1.
 */
typedef int (*az_list_fn)(void *ctx, const char *name, uint64_t size,
	    int is_prefix);
int	az_client_list(struct az_client *c, const char *prefix, int delim,
	    az_list_fn fn, void *ctx, struct err *e);

/* Pure: one List Blobs answer p[0..n): fn for each <Blob> (Name,
 * Content-Length) and <BlobPrefix> (Name) in document order; the
 * <NextMarker> text appended to marker ("" on the last page).  0, or -1
 * (an entry not closed or without a name, marker full, fn stopped). */
int	az_client_list_page(const char *p, size_t n, az_list_fn fn, void *ctx,
	    struct buf *marker, struct err *e);

/* Get Blob: stream the stored bytes of key to sink.  1 read, 0 no such
 * blob, -1 (e set). */
int	az_client_get(struct az_client *c, const char *key,
	    int (*sink)(void *ctx, const void *p, size_t n), void *ctx,
	    struct err *e);

/* Get Container Properties; writes nothing.  0 or -1 with e set. */
int	az_client_probe(struct az_client *c, struct err *e);

/* ------------------------------------------ pure helpers, for the tests */

/*
 * Split an endpoint URL ("http://127.0.0.1:10000/devstoreaccount1",
 * "https://acct.blob.core.windows.net[/]") into scheme, authority and
 * base path ("" or "/devstoreaccount1", no trailing '/').  -1 when it is
 * not such a URL (userinfo, query or fragment refused).
 */
int	az_client_parse_endpoint(const char *ep, char *scheme, size_t slen,
	    char *authority, size_t alen, char *base, size_t blen);

/* The block id of block i with MD5 md5: base64 of "NNNNN-<md5 hex>", the
 * same length for every block, as Azure requires within a blob. */
void	az_client_block_id(size_t i, const uint8_t md5[16], char out[64]);

/* Retain-until for now + days, RFC 1123 (as x-ms-immutability-policy-
 * until-date wants it), into out[32]. */
void	az_client_until(time_t now, unsigned days, char out[32]);

/* The error code of an answer: the x-ms-error-code header, else the
 * <Code> of an <Error> body; "" when neither.  Into out[cap]. */
struct http_response;
void	az_client_error_code(const struct http_response *rs, char *out,
	    size_t cap);

/* What a failed answer's status and code mean: SPEC §3.5 (408/429/5xx,
 * ServerBusy, OperationTimedOut, InternalError retried; 401/403 and every
 * other 4xx stop at once).  az_fail() applies it on top of dest.c's
 * shared dest_http_rc(), which also reads Retry-After. */
enum dest_rc az_client_classify(long status, const char *code);

#endif
