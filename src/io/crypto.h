/*
 * crypto.h - the only user of libcrypto: digests, HMAC, encodings.
 *
 * Pure functions over bytes; no I/O.  Incremental contexts exist for
 * streaming bodies (an upload is hashed while it is compressed).
 */
#ifndef AUDITSHIP_CRYPTO_H
#define AUDITSHIP_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_SHA256_LEN	32
#define CRYPTO_MD5_LEN		16

void	crypto_sha256(const void *p, size_t n, uint8_t out[CRYPTO_SHA256_LEN]);
void	crypto_md5(const void *p, size_t n, uint8_t out[CRYPTO_MD5_LEN]);
void	crypto_hmac_sha256(const void *key, size_t klen, const void *msg,
	    size_t mlen, uint8_t out[CRYPTO_SHA256_LEN]);

/* Streaming digests; kind is CRYPTO_SHA256 or CRYPTO_MD5.  The context is
 * opaque and owned by the caller (crypto_digest_free). */
enum crypto_digest_kind { CRYPTO_SHA256, CRYPTO_MD5 };
struct crypto_digest;
struct crypto_digest *crypto_digest_new(enum crypto_digest_kind kind);
void	crypto_digest_update(struct crypto_digest *d, const void *p, size_t n);
/* Writes 32 (sha256) or 16 (md5) bytes; the context can then be freed. */
void	crypto_digest_final(struct crypto_digest *d, uint8_t *out);
void	crypto_digest_free(struct crypto_digest *d);

/* Lowercase hex of n bytes into out (2n+1 bytes, NUL-terminated). */
void	crypto_hex(const uint8_t *p, size_t n, char *out);
/* Standard base64 with padding into out (4*ceil(n/3)+1 bytes). */
void	crypto_base64(const uint8_t *p, size_t n, char *out);
/* Overwrite n bytes so the compiler cannot skip it. */
void	crypto_wipe(void *p, size_t n);

#endif
