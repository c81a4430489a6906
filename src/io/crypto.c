/*
 * crypto.c - digests, HMAC and encodings over libcrypto (see crypto.h).
 */
/* SHA256_Init & co. are deprecated in OpenSSL 3 but are the only API whose
 * state can be saved and resumed; they run the same SHA-NI code as EVP. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "buf.h"
#include "caps.h"
#include "crypto.h"
#include "err.h"
#include "fsutil.h"
#include "parse.h"

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

/* --- Ed25519 (SPEC §7) ------------------------------------------------ */

struct crypto_sign_key {
	EVP_PKEY	*pk;
	uint8_t		 pub[CRYPTO_ED25519_PUB];
	char		 id[CRYPTO_KEY_ID];
};

void
crypto_key_id(const uint8_t pub[CRYPTO_ED25519_PUB], char out[CRYPTO_KEY_ID])
{
	uint8_t h[CRYPTO_SHA256_LEN];

	crypto_sha256(pub, CRYPTO_ED25519_PUB, h);
	crypto_hex(h, 16, out);
}

static struct crypto_sign_key *
key_wrap(EVP_PKEY *pk)
{
	struct crypto_sign_key *k;
	size_t n = CRYPTO_ED25519_PUB;

	if (pk == NULL)
		return NULL;
	if (EVP_PKEY_id(pk) != EVP_PKEY_ED25519 ||
	    (k = calloc(1, sizeof(*k))) == NULL) {
		EVP_PKEY_free(pk);
		return NULL;
	}
	k->pk = pk;
	if (EVP_PKEY_get_raw_public_key(pk, k->pub, &n) != 1 ||
	    n != CRYPTO_ED25519_PUB) {
		crypto_ed25519_free(k);
		return NULL;
	}
	crypto_key_id(k->pub, k->id);
	return k;
}

struct crypto_sign_key *
crypto_ed25519_from_seed(const uint8_t seed[32])
{
	return key_wrap(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL,
	    seed, 32));
}

void
crypto_ed25519_free(struct crypto_sign_key *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pk);
	free(k);
}

void
crypto_ed25519_pub(const struct crypto_sign_key *k,
    uint8_t pub[CRYPTO_ED25519_PUB])
{
	memcpy(pub, k->pub, CRYPTO_ED25519_PUB);
}

const char *
crypto_ed25519_key_id(const struct crypto_sign_key *k)
{
	return k->id;
}

int
crypto_ed25519_sign(struct crypto_sign_key *k, const void *msg, size_t n,
    uint8_t sig[CRYPTO_ED25519_SIG])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t len = CRYPTO_ED25519_SIG;
	int ok;

	if (ctx == NULL)
		return -1;
	ok = EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pk) == 1 &&
	    EVP_DigestSign(ctx, sig, &len, msg, n) == 1 &&
	    len == CRYPTO_ED25519_SIG;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

int
crypto_ed25519_verify(const uint8_t pub[CRYPTO_ED25519_PUB], const void *msg,
    size_t n, const uint8_t sig[CRYPTO_ED25519_SIG])
{
	EVP_PKEY *pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub,
	    CRYPTO_ED25519_PUB);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	ok = pk != NULL && ctx != NULL &&
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pk) == 1 &&
	    EVP_DigestVerify(ctx, sig, CRYPTO_ED25519_SIG, msg, n) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return ok;
}

static int
pem_of(EVP_PKEY *pk, int priv, struct buf *out)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long n;
	int rc = -1;

	if (b == NULL)
		return -1;
	if ((priv ? PEM_write_bio_PrivateKey(b, pk, NULL, NULL, 0, NULL, NULL) :
	    PEM_write_bio_PUBKEY(b, pk)) == 1 && (n = BIO_get_mem_data(b, &p)) > 0)
		rc = buf_add(out, p, (size_t)n);
	BIO_free(b);
	return rc;
}

int
crypto_ed25519_pub_pem(const struct crypto_sign_key *k, struct buf *out)
{
	return pem_of(k->pk, 0, out);
}

/* Write the public key beside the private one (0644). */
static int
key_write_pub(const struct crypto_sign_key *k, const char *path, struct err *e)
{
	struct buf pem, pub;
	int rc = -1;

	buf_init(&pem, 4096);
	buf_init(&pub, LIM_PATH);
	if (buf_printf(&pub, "%s.pub", path) == -1 || pem_of(k->pk, 0, &pem) == -1)
		err_set(e, "%s.pub: cannot encode the public key", path);
	else
		rc = fs_atomic_write(pub.p, pem.p, pem.len, 0644, e);
	buf_free(&pem);
	buf_free(&pub);
	return rc;
}

struct crypto_sign_key *
crypto_ed25519_keygen(const char *path, int force, struct err *e)
{
	EVP_PKEY_CTX *pc;
	EVP_PKEY *pk = NULL;
	struct crypto_sign_key *k;
	struct buf pem;
	struct stat sb;

	if (!force && lstat(path, &sb) == 0) {
		err_set(e, "%s exists: refusing to replace a signing key "
		    "(keygen --force replaces it; seals made with the old key then "
		    "verify only with the old public key)", path);
		return NULL;
	}
	if ((pc = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL)) == NULL ||
	    EVP_PKEY_keygen_init(pc) != 1 || EVP_PKEY_keygen(pc, &pk) != 1) {
		EVP_PKEY_CTX_free(pc);
		err_set(e, "cannot generate an Ed25519 key");
		return NULL;
	}
	EVP_PKEY_CTX_free(pc);
	if ((k = key_wrap(pk)) == NULL) {
		err_set(e, "cannot generate an Ed25519 key");
		return NULL;
	}
	buf_init(&pem, 4096);
	if (pem_of(k->pk, 1, &pem) == -1) {
		err_set(e, "cannot encode the private key");
		goto fail;
	}
	if (fs_atomic_write(path, pem.p, pem.len, 0600, e) == -1 ||
	    key_write_pub(k, path, e) == -1)
		goto fail;
	buf_free_secret(&pem);
	return k;
fail:
	buf_free_secret(&pem);
	crypto_ed25519_free(k);
	return NULL;
}

/* Read a small PEM file whole (keys are < 1 KiB); refuses big files. */
static int
read_small(const char *path, struct buf *out, int is_private, struct err *e)
{
	struct stat sb;
	char tmp[4096];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (errno == ELOOP)
			fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd == -1)
			return err_sys(e, "%s", path);
	}
	if (fstat(fd, &sb) == -1) {
		close(fd);
		return err_sys(e, "%s", path);
	}
	if (is_private && (sb.st_mode & 077) != 0) {
		close(fd);
		return err_set(e, "%s: signing key is readable or writable by group "
		    "or others (mode %04o): refusing it (chmod 600 %s)", path,
		    (unsigned)(sb.st_mode & 07777), path);
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > 65536) {
		close(fd);
		return err_set(e, "%s: not a key file", path);
	}
	while ((n = read(fd, tmp, sizeof(tmp))) > 0)
		if (buf_add(out, tmp, (size_t)n) == -1)
			break;
	crypto_wipe(tmp, sizeof(tmp));
	close(fd);
	if (n != 0)
		return err_set(e, "%s: cannot read", path);
	return 0;
}

struct crypto_sign_key *
crypto_ed25519_load(const char *path, struct err *e)
{
	struct buf pem;
	BIO *b;
	EVP_PKEY *pk = NULL;
	struct crypto_sign_key *k = NULL;

	buf_init(&pem, 65536);
	if (read_small(path, &pem, 1, e) == -1) {
		buf_free_secret(&pem);
		return NULL;
	}
	if ((b = BIO_new_mem_buf(pem.p, (int)pem.len)) != NULL)
		pk = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	buf_free_secret(&pem);
	ERR_clear_error();
	if (pk == NULL) {
		err_set(e, "%s: not a PEM private key (corrupt?)", path);
		return NULL;
	}
	if (EVP_PKEY_id(pk) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(pk);
		err_set(e, "%s: not an Ed25519 key", path);
		return NULL;
	}
	if ((k = key_wrap(pk)) == NULL)
		err_set(e, "%s: cannot use this key", path);
	return k;
}

int
crypto_ed25519_load_pub(const char *path, uint8_t pub[CRYPTO_ED25519_PUB],
    struct err *e)
{
	struct buf pem;
	BIO *b;
	EVP_PKEY *pk = NULL;
	size_t n = CRYPTO_ED25519_PUB;
	int rc = -1;

	buf_init(&pem, 65536);
	if (read_small(path, &pem, 0, e) == -1) {
		buf_free(&pem);
		return -1;
	}
	if ((b = BIO_new_mem_buf(pem.p, (int)pem.len)) != NULL)
		pk = PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	BIO_free(b);
	buf_free(&pem);
	ERR_clear_error();
	if (pk == NULL || EVP_PKEY_id(pk) != EVP_PKEY_ED25519 ||
	    EVP_PKEY_get_raw_public_key(pk, pub, &n) != 1 || n != CRYPTO_ED25519_PUB)
		err_set(e, "%s: not an Ed25519 public key (PEM)", path);
	else
		rc = 0;
	EVP_PKEY_free(pk);
	return rc;
}

/* --- resumable SHA-256 ------------------------------------------------ */

struct crypto_sha {
	SHA256_CTX	 c;
};

/* Lowercase only: the state is ours. */
static int
hex_nibble(char c)
{
	return c >= 'A' && c <= 'F' ? -1 : parse_hexval(c);
}

static int
hex_u32(const char **p, uint32_t *v)
{
	int i, h;

	for (*v = 0, i = 0; i < 8; i++) {
		if ((h = hex_nibble((*p)[i])) < 0)
			return -1;
		*v = *v << 4 | (uint32_t)h;
	}
	*p += 8;
	return 0;
}

struct crypto_sha *
crypto_sha_resume(const char *state)
{
	struct crypto_sha *h;
	const char *p = state;
	uint32_t v, num;
	unsigned i;
	int a, b;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	SHA256_Init(&h->c);
	if (state == NULL || state[0] == '\0')
		return h;
	/* h0..h7 Nl Nh num (8 hex each), then num bytes of the block. */
	for (i = 0; i < 8; i++) {
		if (hex_u32(&p, &v) == -1)
			goto bad;
		h->c.h[i] = v;
	}
	if (hex_u32(&p, &v) == -1)
		goto bad;
	h->c.Nl = v;
	if (hex_u32(&p, &v) == -1)
		goto bad;
	h->c.Nh = v;
	if (hex_u32(&p, &num) == -1 || num >= SHA256_CBLOCK ||
	    strlen(p) != 2 * (size_t)num)
		goto bad;
	for (i = 0; i < num; i++) {
		if ((a = hex_nibble(p[2 * i])) < 0 || (b = hex_nibble(p[2 * i + 1])) < 0)
			goto bad;
		((unsigned char *)h->c.data)[i] = (unsigned char)(a << 4 | b);
	}
	h->c.num = num;
	/* The partial block must match the length counter. */
	if (((h->c.Nl >> 3) & (SHA256_CBLOCK - 1)) != num)
		goto bad;
	return h;
bad:
	free(h);
	return NULL;
}

void
crypto_sha_update(struct crypto_sha *h, const void *p, size_t n)
{
#ifdef AUDITSHIP_BENCH_NO_HASH
	/* bench/syslog, bench/verify: a baseline build that shows what the
	 * shipped-bytes hash costs.  Its seals are wrong; never shipped. */
	(void)h;
	(void)p;
	(void)n;
	return;
#endif
	SHA256_Update(&h->c, p, n);
}

void
crypto_sha_save(const struct crypto_sha *h, char out[CRYPTO_SHA_STATE])
{
	size_t o = 0;
	unsigned i;

	for (i = 0; i < 8; i++, o += 8)
		snprintf(out + o, 9, "%08x", (unsigned)h->c.h[i]);
	snprintf(out + o, 9, "%08x", (unsigned)h->c.Nl);
	o += 8;
	snprintf(out + o, 9, "%08x", (unsigned)h->c.Nh);
	o += 8;
	snprintf(out + o, 9, "%08x", (unsigned)h->c.num);
	o += 8;
	crypto_hex((const uint8_t *)h->c.data, h->c.num, out + o);
}

void
crypto_sha_peek(const struct crypto_sha *h, uint8_t out[CRYPTO_SHA256_LEN])
{
	SHA256_CTX c = h->c;

	SHA256_Final(out, &c);
}

void
crypto_sha_copy(struct crypto_sha *dst, const struct crypto_sha *src)
{
	dst->c = src->c;
}

void
crypto_sha_free(struct crypto_sha *h)
{
	free(h);
}

int
crypto_sha_state_hex(const char *state, char out[65])
{
	struct crypto_sha *h = crypto_sha_resume(state);
	uint8_t d[CRYPTO_SHA256_LEN];

	if (h == NULL)
		return -1;
	crypto_sha_peek(h, d);
	crypto_sha_free(h);
	crypto_hex(d, sizeof(d), out);
	return 0;
}
