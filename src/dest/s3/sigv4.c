/*
 * sigv4.c - AWS Signature Version 4 for S3 (see sigv4.h).
 *
 * The signer follows the shape of curl's lib/http_aws_sigv4.c: each stage
 * appends to a bounded buffer and fails as a whole, so a test can check the
 * canonical request, the string to sign and the Authorization separately.
 * It also carries the fixes curl needed over the years: '*' and every other
 * reserved byte is percent-encoded (curl #7559), a query parameter without
 * a value is signed as "name=" (#8107), query values are decoded and
 * re-encoded so ' ', '/', ':' come out as %20, %2F, %3A (#11794), and S3
 * paths are encoded once, so a key holding '=' is not double-encoded
 * (#13754).
 *
 * Pure: no clock, no environment, no I/O.  The secret key only ever sits
 * in local buffers that are wiped before return.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "pair.h"
#include "parse.h"
#include "sigv4.h"

/* Work buffers are bounded; a request larger than this is a bug. */
#define SIGV4_MAX_STAGE	(64u << 10)

static const char sigv4_hexdigits[] = "0123456789ABCDEF";

void
sigv4_amz_date(time_t now, char out[SIGV4_AMZDATE_LEN + 1])
{
	struct tm tm;

	gmtime_r(&now, &tm);
	if (strftime(out, SIGV4_AMZDATE_LEN + 1, "%Y%m%dT%H%M%SZ", &tm) == 0)
		out[0] = '\0';
}

size_t
sigv4_base_headers(struct pair *h, const char *host, const char *amzdate,
    const char *payload_hash, const char *token)
{
	size_t n = 0;

	h[n].name = "host";
	h[n++].value = host;
	h[n].name = "x-amz-date";
	h[n++].value = amzdate;
	h[n].name = "x-amz-content-sha256";
	h[n++].value = payload_hash;
	if (token != NULL && *token != '\0') {
		h[n].name = "x-amz-security-token";
		h[n++].value = token;
	}
	return n;
}

static int
sigv4_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c == '~';
}

int
sigv4_uri_encode(struct buf *out, const char *s, size_t n, int keep_slash)
{
	size_t i;
	unsigned char c;
	char enc[3];

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (sigv4_unreserved(c) || (keep_slash && c == '/')) {
			if (buf_addc(out, (char)c) == -1)
				return -1;
			continue;
		}
		enc[0] = '%';
		enc[1] = sigv4_hexdigits[c >> 4];
		enc[2] = sigv4_hexdigits[c & 0x0f];
		if (buf_add(out, enc, 3) == -1)
			return -1;
	}
	return 0;
}

int
sigv4_canonical_uri(struct buf *out, const char *path, struct err *e)
{
	size_t n = path != NULL ? strlen(path) : 0;

	/* S3 signs the path as sent, encoded once: no normalisation of "//"
	 * or dot segments (unlike the other AWS services). */
	if (n == 0 || path[0] != '/') {
		if (buf_addc(out, '/') == -1)
			goto full;
	}
	if (sigv4_uri_encode(out, path != NULL ? path : "", n, 1) == -1)
		goto full;
	return 0;
full:
	return err_set(e, "sigv4: canonical URI too long");
}

/* Decode one query component, then re-encode it with the unreserved set. */
static int
sigv4_query_component(struct buf *out, const char *s, size_t n,
    struct err *e)
{
	struct buf raw;
	size_t i;
	int hi, lo, rc = -1;
	char c;

	buf_init(&raw, SIGV4_MAX_STAGE);
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c == '%') {
			if (i + 2 >= n) {
				err_set(e, "sigv4: truncated %%XX in query");
				goto done;
			}
			hi = parse_hexval(s[i + 1]);
			lo = parse_hexval(s[i + 2]);
			if (hi < 0 || lo < 0) {
				err_set(e, "sigv4: bad %%XX in query");
				goto done;
			}
			c = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+') {
			/* Form encoding: a literal '+' is a space (curl). */
			c = ' ';
		}
		if (buf_addc(&raw, c) == -1)
			goto full;
	}
	if (sigv4_uri_encode(out, raw.p != NULL ? raw.p : "", raw.len, 0) == -1)
		goto full;
	rc = 0;
	goto done;
full:
	err_set(e, "sigv4: query too long");
done:
	buf_free(&raw);
	return rc;
}

static char *
sigv4_take(struct buf *b)
{
	char *p;

	if (b->p == NULL)
		return strdup("");
	p = b->p;
	buf_init(b, b->max);
	return p;
}

int
sigv4_canonical_query(struct buf *out, const char *query, struct err *e)
{
	struct owned_pair pairs[SIGV4_MAX_QUERY_PARTS];
	struct buf nb, vb;
	const char *p, *amp, *eq, *end;
	size_t np = 0, i;
	int rc = -1;

	buf_init(&nb, SIGV4_MAX_STAGE);
	buf_init(&vb, SIGV4_MAX_STAGE);
	if (query == NULL)
		query = "";
	for (p = query; *p != '\0'; p = *amp != '\0' ? amp + 1 : amp) {
		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		if (amp == p)
			continue;	/* "a=1&&b=2": an empty part is nothing */
		if (np == SIGV4_MAX_QUERY_PARTS) {
			err_set(e, "sigv4: more than %d query parameters",
			    SIGV4_MAX_QUERY_PARTS);
			goto done;
		}
		eq = memchr(p, '=', (size_t)(amp - p));
		end = eq != NULL ? eq : amp;
		if (sigv4_query_component(&nb, p, (size_t)(end - p), e) == -1)
			goto done;
		/* A parameter without a value is signed as "name=" (#8107). */
		if (eq != NULL && sigv4_query_component(&vb, eq + 1,
		    (size_t)(amp - eq - 1), e) == -1)
			goto done;
		pairs[np].name = sigv4_take(&nb);
		pairs[np].value = sigv4_take(&vb);
		if (pairs[np].name == NULL || pairs[np].value == NULL) {
			free(pairs[np].name);
			free(pairs[np].value);
			err_set(e, "sigv4: out of memory");
			goto done;
		}
		np++;
	}
	owned_pairs_sort(pairs, np);
	for (i = 0; i < np; i++) {
		if (buf_printf(out, "%s%s=%s", i > 0 ? "&" : "",
		    pairs[i].name, pairs[i].value) == -1) {
			err_set(e, "sigv4: query too long");
			goto done;
		}
	}
	rc = 0;
done:
	owned_pairs_free(pairs, np);
	buf_free(&nb);
	buf_free(&vb);
	return rc;
}

struct sigv4_hdr {
	char	*name;		/* lowercased */
	struct buf value;	/* trimmed, merged */
	size_t	 order;
};

static int
sigv4_hdr_cmp(const void *a, const void *b)
{
	const struct sigv4_hdr *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Append v trimmed, inner runs of blanks collapsed to one space. */
static int
sigv4_add_trimmed(struct buf *out, const char *v)
{
	int pending = 0;

	while (*v == ' ' || *v == '\t')
		v++;
	for (; *v != '\0'; v++) {
		if (*v == ' ' || *v == '\t') {
			pending = 1;
			continue;
		}
		if (pending && buf_addc(out, ' ') == -1)
			return -1;
		pending = 0;
		if (buf_addc(out, *v) == -1)
			return -1;
	}
	return 0;
}

int
sigv4_canonical_headers(struct buf *canon, struct buf *signed_names,
    const struct pair *h, size_t n, struct err *e)
{
	struct sigv4_hdr hs[SIGV4_MAX_HEADERS];
	size_t nh = 0, i, j;
	int rc = -1;

	for (i = 0; i < n; i++) {
		char *name;
		size_t k;

		if ((name = strdup(h[i].name)) == NULL) {
			err_set(e, "sigv4: out of memory");
			goto done;
		}
		for (k = 0; name[k] != '\0'; k++)
			if (name[k] >= 'A' && name[k] <= 'Z')
				name[k] = (char)(name[k] - 'A' + 'a');
		/* Duplicates merge into one line, values joined by ','. */
		for (j = 0; j < nh; j++)
			if (strcmp(hs[j].name, name) == 0)
				break;
		if (j < nh) {
			free(name);
			if (buf_addc(&hs[j].value, ',') == -1 ||
			    sigv4_add_trimmed(&hs[j].value, h[i].value) == -1)
				goto full;
			continue;
		}
		if (nh == SIGV4_MAX_HEADERS) {
			free(name);
			err_set(e, "sigv4: more than %d headers", SIGV4_MAX_HEADERS);
			goto done;
		}
		hs[nh].name = name;
		hs[nh].order = nh;
		buf_init(&hs[nh].value, SIGV4_MAX_STAGE);
		nh++;
		if (sigv4_add_trimmed(&hs[nh - 1].value, h[i].value) == -1)
			goto full;
	}
	qsort(hs, nh, sizeof(hs[0]), sigv4_hdr_cmp);
	for (i = 0; i < nh; i++) {
		if (buf_printf(canon, "%s:%s\n", hs[i].name,
		    hs[i].value.p != NULL ? hs[i].value.p : "") == -1 ||
		    buf_printf(signed_names, "%s%s", i > 0 ? ";" : "",
		    hs[i].name) == -1)
			goto full;
	}
	rc = 0;
	goto done;
full:
	err_set(e, "sigv4: headers too long");
done:
	for (i = 0; i < nh; i++) {
		free(hs[i].name);
		buf_free(&hs[i].value);
	}
	return rc;
}

int
sigv4_canonical_request(struct buf *out, struct buf *signed_names,
    const struct sigv4_request *rq, struct err *e)
{
	if (buf_printf(out, "%s\n", rq->method) == -1)
		goto full;
	if (sigv4_canonical_uri(out, rq->path, e) == -1)
		return -1;
	if (buf_addc(out, '\n') == -1)
		goto full;
	if (sigv4_canonical_query(out, rq->query, e) == -1)
		return -1;
	if (buf_addc(out, '\n') == -1)
		goto full;
	if (sigv4_canonical_headers(out, signed_names, rq->headers,
	    rq->nheaders, e) == -1)
		return -1;
	if (buf_printf(out, "\n%s\n%s", signed_names->p != NULL ?
	    signed_names->p : "", rq->payload_hash) == -1)
		goto full;
	return 0;
full:
	return err_set(e, "sigv4: canonical request too long");
}

int
sigv4_scope(struct buf *out, const char *amzdate, const struct sigv4_key *k)
{
	return buf_printf(out, "%.8s/%s/%s/aws4_request", amzdate, k->region,
	    k->service);
}

int
sigv4_string_to_sign(struct buf *out, const char *amzdate, const char *scope,
    const char *creq, size_t creq_len)
{
	uint8_t h[CRYPTO_SHA256_LEN];
	char hex[2 * CRYPTO_SHA256_LEN + 1];

	crypto_sha256(creq, creq_len, h);
	crypto_hex(h, sizeof(h), hex);
	return buf_printf(out, "%s\n%s\n%s\n%s", SIGV4_ALGORITHM, amzdate,
	    scope, hex);
}

int
sigv4_signing_key(const struct sigv4_key *k, const char *amzdate,
    uint8_t out[32], struct err *e)
{
	char kbuf[4 + 256];
	uint8_t t1[CRYPTO_SHA256_LEN], t2[CRYPTO_SHA256_LEN];
	size_t slen = strlen(k->secret_key);

	if (slen > sizeof(kbuf) - 4)
		return err_set(e, "sigv4: secret key longer than %zu bytes",
		    sizeof(kbuf) - 4);
	memcpy(kbuf, "AWS4", 4);
	memcpy(kbuf + 4, k->secret_key, slen);
	crypto_hmac_sha256(kbuf, 4 + slen, amzdate, 8, t1);
	crypto_hmac_sha256(t1, sizeof(t1), k->region, strlen(k->region), t2);
	crypto_hmac_sha256(t2, sizeof(t2), k->service, strlen(k->service), t1);
	crypto_hmac_sha256(t1, sizeof(t1), "aws4_request", 12, out);
	crypto_wipe(kbuf, sizeof(kbuf));
	crypto_wipe(t1, sizeof(t1));
	crypto_wipe(t2, sizeof(t2));
	return 0;
}

int
sigv4_authorization(struct buf *out, const struct sigv4_key *k,
    const struct sigv4_request *rq, const char *amzdate, struct buf *creq_out,
    struct buf *sts_out, struct err *e)
{
	struct buf creq, names, scope, sts;
	uint8_t skey[CRYPTO_SHA256_LEN], sig[CRYPTO_SHA256_LEN];
	char sighex[2 * CRYPTO_SHA256_LEN + 1];
	int rc = -1;

	buf_init(&creq, SIGV4_MAX_STAGE);
	buf_init(&names, SIGV4_MAX_STAGE);
	buf_init(&scope, 512);
	buf_init(&sts, SIGV4_MAX_STAGE);
	if (amzdate == NULL || strlen(amzdate) != SIGV4_AMZDATE_LEN) {
		err_set(e, "sigv4: bad x-amz-date");
		goto done;
	}
	if (sigv4_canonical_request(&creq, &names, rq, e) == -1)
		goto done;
	if (sigv4_scope(&scope, amzdate, k) == -1 ||
	    sigv4_string_to_sign(&sts, amzdate, scope.p, creq.p,
	    creq.len) == -1) {
		err_set(e, "sigv4: string to sign too long");
		goto done;
	}
	if (sigv4_signing_key(k, amzdate, skey, e) == -1)
		goto done;
	crypto_hmac_sha256(skey, sizeof(skey), sts.p, sts.len, sig);
	crypto_hex(sig, sizeof(sig), sighex);
	if (buf_printf(out, "%s Credential=%s/%s, SignedHeaders=%s, "
	    "Signature=%s", SIGV4_ALGORITHM, k->access_key, scope.p, names.p,
	    sighex) == -1) {
		err_set(e, "sigv4: Authorization too long");
		goto done;
	}
	if ((creq_out != NULL && buf_add(creq_out, creq.p, creq.len) == -1) ||
	    (sts_out != NULL && buf_add(sts_out, sts.p, sts.len) == -1)) {
		err_set(e, "sigv4: stage buffer too small");
		goto done;
	}
	rc = 0;
done:
	crypto_wipe(skey, sizeof(skey));
	crypto_wipe(sig, sizeof(sig));
	buf_free(&creq);
	buf_free(&names);
	buf_free(&scope);
	buf_free(&sts);
	return rc;
}
