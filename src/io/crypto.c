/*
 * crypto.c - digests, HMAC and encodings over libcrypto (see crypto.h).
 */
#include <stdlib.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto.h"

struct crypto_digest {
	EVP_MD_CTX	*ctx;
};

void
crypto_sha256(const void *p, size_t n, uint8_t out[CRYPTO_SHA256_LEN])
{
	unsigned int len = CRYPTO_SHA256_LEN;

	EVP_Digest(p, n, out, &len, EVP_sha256(), NULL);
}

void
crypto_md5(const void *p, size_t n, uint8_t out[CRYPTO_MD5_LEN])
{
	unsigned int len = CRYPTO_MD5_LEN;

	EVP_Digest(p, n, out, &len, EVP_md5(), NULL);
}

void
crypto_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
    uint8_t out[CRYPTO_SHA256_LEN])
{
	unsigned int len = CRYPTO_SHA256_LEN;

	HMAC(EVP_sha256(), key, (int)klen, msg, mlen, out, &len);
}

struct crypto_digest *
crypto_digest_new(enum crypto_digest_kind kind)
{
	struct crypto_digest *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	if ((d->ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(d->ctx, kind == CRYPTO_MD5 ? EVP_md5() :
	    EVP_sha256(), NULL) != 1) {
		crypto_digest_free(d);
		return NULL;
	}
	return d;
}

void
crypto_digest_update(struct crypto_digest *d, const void *p, size_t n)
{
	EVP_DigestUpdate(d->ctx, p, n);
}

void
crypto_digest_final(struct crypto_digest *d, uint8_t *out)
{
	unsigned int len;

	EVP_DigestFinal_ex(d->ctx, out, &len);
}

void
crypto_digest_free(struct crypto_digest *d)
{
	if (d == NULL)
		return;
	EVP_MD_CTX_free(d->ctx);
	free(d);
}

void
crypto_hex(const uint8_t *p, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

void
crypto_base64(const uint8_t *p, size_t n, char *out)
{
	EVP_EncodeBlock((unsigned char *)out, p, (int)n);
}

void
crypto_wipe(void *p, size_t n)
{
	OPENSSL_cleanse(p, n);
}
