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
/*
 * A SHA-256 whose state can be saved as text and resumed later: the hash of
 * everything shipped of a daily file is carried in the state file, so each
 * byte is hashed once however many runs it takes (SPEC §3.3, §7).  "" is
 * the state of the empty input.
 */
#define CRYPTO_SHA_STATE	224	/* hex text + NUL */
struct crypto_sha;
/* NULL when state is not one crypto_sha_save() wrote. */
struct crypto_sha *crypto_sha_resume(const char *state);
void	crypto_sha_update(struct crypto_sha *h, const void *p, size_t n);
void	crypto_sha_save(const struct crypto_sha *h, char out[CRYPTO_SHA_STATE]);
/* The digest so far; h can go on. */
void	crypto_sha_peek(const struct crypto_sha *h, uint8_t out[CRYPTO_SHA256_LEN]);
void	crypto_sha_copy(struct crypto_sha *dst, const struct crypto_sha *src);
void	crypto_sha_free(struct crypto_sha *h);
/* Hex digest of a saved state ("" = of nothing); -1 on a bad state. */
int	crypto_sha_state_hex(const char *state, char out[65]);

/*
 * Ed25519 signing keys (SPEC §7), through the EVP API.  The private key
 * lives in a PEM PKCS#8 file, mode 0600; its public key beside it as
 * PATH.pub (PEM SubjectPublicKeyInfo).  The key id is the hex of the first
 * 16 bytes of SHA-256 over the raw 32-byte public key.
 */
#define CRYPTO_ED25519_PUB	32
#define CRYPTO_ED25519_SIG	64
#define CRYPTO_KEY_ID		33	/* 32 hex + NUL */
struct err;
struct buf;
struct crypto_sign_key;
/* Create a new key at path (and path.pub); refuses to replace one unless
 * force.  Returns the loaded key or NULL (e set). */
struct crypto_sign_key *crypto_ed25519_keygen(const char *path, int force,
	    struct err *e);
/* Load path: refuses a file readable or writable by group or others, a
 * missing, corrupt or non-Ed25519 one, each with a clear message. */
struct crypto_sign_key *crypto_ed25519_load(const char *path, struct err *e);
/* A key from a raw 32-byte seed (tests). */
struct crypto_sign_key *crypto_ed25519_from_seed(const uint8_t seed[32]);
void	crypto_ed25519_free(struct crypto_sign_key *k);
int	crypto_ed25519_sign(struct crypto_sign_key *k, const void *msg,
	    size_t n, uint8_t sig[CRYPTO_ED25519_SIG]);
void	crypto_ed25519_pub(const struct crypto_sign_key *k,
	    uint8_t pub[CRYPTO_ED25519_PUB]);
const char *crypto_ed25519_key_id(const struct crypto_sign_key *k);
/* The public key as PEM text (appended to out). */
int	crypto_ed25519_pub_pem(const struct crypto_sign_key *k, struct buf *out);
/* 1 good signature, 0 bad. */
int	crypto_ed25519_verify(const uint8_t pub[CRYPTO_ED25519_PUB],
	    const void *msg, size_t n, const uint8_t sig[CRYPTO_ED25519_SIG]);
/* Read a public key PEM file (a .pub); 0 or -1 (e set). */
int	crypto_ed25519_load_pub(const char *path,
	    uint8_t pub[CRYPTO_ED25519_PUB], struct err *e);
/* Hex key id of a raw public key. */
void	crypto_key_id(const uint8_t pub[CRYPTO_ED25519_PUB],
	    char out[CRYPTO_KEY_ID]);

/* Overwrite n bytes so the compiler cannot skip it. */
void	crypto_wipe(void *p, size_t n);

#endif
