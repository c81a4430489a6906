/*
 * az_sharedkey.h - Azure Storage Shared Key authorization for the Blob
 * service, as a chain of small pure steps (Azure's "Authorize with Shared
 * Key", the format for version 2009-09-19 and later, with the 2015-02-21
 * rule that a zero Content-Length signs as "").
 *
 *   StringToSign = VERB "\n" Content-Encoding "\n" Content-Language "\n"
 *                  Content-Length "\n" Content-MD5 "\n" Content-Type "\n"
 *                  Date "\n" If-Modified-Since "\n" If-Match "\n"
 *                  If-None-Match "\n" If-Unmodified-Since "\n" Range "\n"
 *                  CanonicalizedHeaders CanonicalizedResource
 *   Authorization = "SharedKey " account ":" base64(HMAC-SHA256(key, StringToSign))
 *
 * where key is the base64-decoded account key.  Nothing here reads the
 * clock, the environment or the network: the date is a parameter, so the
 * documentation's examples pin every step (tests/unit/test_az_sharedkey.c).
 * A SAS token needs no signing: az_sas_query() only joins it to a query.
 */
#ifndef AUDITSHIP_AZ_SHAREDKEY_H
#define AUDITSHIP_AZ_SHAREDKEY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "err.h"
#include "pair.h"

#define AZ_SHAREDKEY_MAX_HEADERS	48	/* headers one request signs */
#define AZ_SHAREDKEY_MAX_PARAMS		32	/* query parameters */
#define AZ_SHAREDKEY_KEY_MAX		128	/* decoded account key bytes */
#define AZ_SHAREDKEY_DATE_LEN		29	/* "Fri, 26 Jun 2015 23:39:12 GMT" */

/* One request as it goes on the wire. */
struct az_request {
	const char	*method;	/* "PUT" */
	/* The URL path exactly as sent (percent-encoded, starting with
	 * "/"); for an emulator-style URL it includes the account
	 * ("/devstoreaccount1/container/blob"), and so does the signed
	 * resource, as the Azure SDKs and Azurite agree. */
	const char	*path;
	const char	*query;		/* after '?', encoded; NULL or "" */
	const struct pair *headers;	/* every header sent */
	size_t		 nheaders;
};

/*
 * CanonicalizedHeaders: every x-ms-* header, name lowercased, sorted by
 * name (byte order), values with runs of whitespace folded to one space
 * and trimmed, repeated names joined with ","; each "name:value\n".
 * Appended to out.  0, or -1 (too many headers, out full).
 */
int	az_sharedkey_canon_headers(struct buf *out, const struct pair *h,
	    size_t n);

/*
 * CanonicalizedResource: "/" account path, then for each query parameter,
 * sorted by lowercased name, "\nname:value" with the value percent-decoded
 * ('+' as a space) and repeated names' values sorted and joined with ",".
 * A secondary account name ("myaccount-secondary") signs as the primary.
 * 0, or -1 (too many parameters, bad encoding, out full).
 */
int	az_sharedkey_canon_resource(struct buf *out, const char *account,
	    const char *path, const char *query);

/* The whole StringToSign of r for account, appended to out.  0 or -1. */
int	az_sharedkey_string_to_sign(struct buf *out, const char *account,
	    const struct az_request *r);

/*
 * "SharedKey account:signature" into out (which is reset first).  key is
 * the decoded account key (az_sharedkey_decode_key).  0, or -1 with e set
 * (the message never holds the key).
 */
int	az_sharedkey_authorization(struct buf *out, const char *account,
	    const uint8_t *key, size_t klen, const struct az_request *r,
	    struct err *e);

/*
 * Decode a base64 account key (standard alphabet, padding optional,
 * surrounding whitespace ignored) into out[cap]; *n = its length.
 * 0, or -1 when it is not base64 or longer than cap.
 */
int	az_sharedkey_decode_key(const char *b64, uint8_t *out, size_t cap,
	    size_t *n);

/* RFC 1123 date for x-ms-date, in English whatever the locale:
 * "Fri, 26 Jun 2015 23:39:12 GMT" into out[AZ_SHAREDKEY_DATE_LEN + 1]. */
void	az_sharedkey_date(time_t t, char out[AZ_SHAREDKEY_DATE_LEN + 1]);

/*
 * The query of a SAS-authorized request: query (may be NULL or "") and the
 * token (a leading '?' dropped) joined with '&', into out (appended).
 * 0, or -1 when out is full.
 */
int	az_sas_query(struct buf *out, const char *query, const char *token);

#endif
