/*
 * az_sharedkey.c - Azure Storage Shared Key signing, pure (see
 * az_sharedkey.h).  Each step appends to a caller's bounded buffer, as
 * the SigV4 signer does; the only library call is crypto.c's HMAC.
 *
 * Deliberately not here: Shared Key Lite, the Table service's shorter
 * string, account SAS generation (a SAS token is the operator's, we only
 * append it), and any I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "az_sharedkey.h"
#include "crypto.h"
#include "pair.h"
#include "parse.h"

/* --------------------------------------------------------------- headers */

struct az_hview {
	char		 name[64];	/* lowercased */
	const char	*value;
};

static int
az_hview_cmp(const void *a, const void *b)
{
	return strcmp(((const struct az_hview *)a)->name,
	    ((const struct az_hview *)b)->name);
}

/* Append v with whitespace runs folded to one space, trimmed. */
static int
az_add_folded(struct buf *out, const char *v)
{
	int space = 0, any = 0;

	for (; *v != '\0'; v++) {
		if (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n') {
			space = any;
			continue;
		}
		if (space && buf_addc(out, ' ') == -1)
			return -1;
		space = 0;
		any = 1;
		if (buf_addc(out, *v) == -1)
			return -1;
	}
	return 0;
}

int
az_sharedkey_canon_headers(struct buf *out, const struct pair *h,
    size_t n)
{
	struct az_hview v[AZ_SHAREDKEY_MAX_HEADERS];
	size_t i, j, k, m = 0, len;

	for (i = 0; i < n; i++) {
		len = strlen(h[i].name);
		if (len < 5 || strncasecmp(h[i].name, "x-ms-", 5) != 0)
			continue;
		if (m == AZ_SHAREDKEY_MAX_HEADERS || len >= sizeof(v[m].name))
			return -1;
		for (k = 0; k < len; k++) {
			char c = h[i].name[k];
			v[m].name[k] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
		}
		v[m].name[len] = '\0';
		v[m].value = h[i].value != NULL ? h[i].value : "";
		m++;
	}
	/* qsort is not stable: repeated names keep no particular order,
	 * which only matters for headers we never send twice. */
	qsort(v, m, sizeof(v[0]), az_hview_cmp);
	for (i = 0; i < m; i = j) {
		if (buf_printf(out, "%s:", v[i].name) == -1 ||
		    az_add_folded(out, v[i].value) == -1)
			return -1;
		for (j = i + 1; j < m && strcmp(v[j].name, v[i].name) == 0; j++)
			if (buf_addc(out, ',') == -1 ||
			    az_add_folded(out, v[j].value) == -1)
				return -1;
		if (buf_addc(out, '\n') == -1)
			return -1;
	}
	return 0;
}

/* -------------------------------------------------------------- resource */

/* Percent-decode p[0..n) ('+' is a space) into a new string; NULL on bad
 * encoding or no memory. */
static char *
az_decode(const char *p, size_t n, int lower)
{
	char *s = malloc(n + 1);
	size_t i, o = 0;
	int hi, lo;

	if (s == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		char c = p[i];
		if (c == '%') {
			if (i + 2 >= n || (hi = parse_hexval(p[i + 1])) < 0 ||
			    (lo = parse_hexval(p[i + 2])) < 0)
				goto bad;
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+') {
			c = ' ';
		}
		if (lower && c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		s[o++] = c;
	}
	s[o] = '\0';
	return s;
bad:
	free(s);
	return NULL;
}

int
az_sharedkey_canon_resource(struct buf *out, const char *account,
    const char *path, const char *query)
{
	/* Decoded; the names lowercased. */
	struct owned_pair pv[AZ_SHAREDKEY_MAX_PARAMS];
	const char *p, *amp, *eq, *sec;
	size_t np = 0, i, j, alen;
	int rc = -1;

	/* The secondary endpoint's account signs as the primary. */
	alen = strlen(account);
	sec = strstr(account, "-secondary");
	if (sec != NULL && sec[10] == '\0')
		alen = (size_t)(sec - account);
	if (buf_addc(out, '/') == -1 || buf_add(out, account, alen) == -1 ||
	    buf_adds(out, path != NULL && *path != '\0' ? path : "/") == -1)
		return -1;
	for (p = query; p != NULL && *p != '\0'; p = *amp ? amp + 1 : amp) {
		amp = p + strcspn(p, "&");
		if (amp == p)
			continue;
		if (np == AZ_SHAREDKEY_MAX_PARAMS)
			goto done;
		eq = memchr(p, '=', (size_t)(amp - p));
		pv[np].name = az_decode(p, (size_t)((eq ? eq : amp) - p), 1);
		pv[np].value = eq ? az_decode(eq + 1, (size_t)(amp - eq - 1), 0) :
		    az_decode("", 0, 0);
		np++;
		if (pv[np - 1].name == NULL || pv[np - 1].value == NULL)
			goto done;
	}
	owned_pairs_sort(pv, np);
	for (i = 0; i < np; i = j) {
		if (buf_printf(out, "\n%s:%s", pv[i].name, pv[i].value) == -1)
			goto done;
		for (j = i + 1; j < np && strcmp(pv[j].name, pv[i].name) == 0;
		    j++)
			if (buf_printf(out, ",%s", pv[j].value) == -1)
				goto done;
	}
	rc = 0;
done:
	owned_pairs_free(pv, np);
	return rc;
}

/* -------------------------------------------------------- string to sign */

static const char *
az_hget(const struct az_request *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value != NULL ?
			    r->headers[i].value : "";
	return "";
}

int
az_sharedkey_string_to_sign(struct buf *out, const char *account,
    const struct az_request *r)
{
	static const char *const std[] = {
		"Content-Encoding", "Content-Language", "Content-Length",
		"Content-MD5", "Content-Type", "Date", "If-Modified-Since",
		"If-Match", "If-None-Match", "If-Unmodified-Since", "Range",
	};
	const char *v;
	size_t i;

	if (buf_printf(out, "%s\n", r->method) == -1)
		return -1;
	for (i = 0; i < sizeof(std) / sizeof(std[0]); i++) {
		v = az_hget(r, std[i]);
		/* Version 2015-02-21 and later: a zero length signs as "". */
		if (i == 2 && strcmp(v, "0") == 0)
			v = "";
		if (buf_printf(out, "%s\n", v) == -1)
			return -1;
	}
	if (az_sharedkey_canon_headers(out, r->headers, r->nheaders) == -1)
		return -1;
	return az_sharedkey_canon_resource(out, account, r->path, r->query);
}

int
az_sharedkey_authorization(struct buf *out, const char *account,
    const uint8_t *key, size_t klen, const struct az_request *r,
    struct err *e)
{
	struct buf sts;
	uint8_t mac[CRYPTO_SHA256_LEN];
	char b64[4 * ((CRYPTO_SHA256_LEN + 2) / 3) + 1];
	int rc = -1;

	buf_init(&sts, 16384);
	buf_reset(out);
	if (az_sharedkey_string_to_sign(&sts, account, r) == -1) {
		err_set(e, "shared key: request too large to sign");
		goto done;
	}
	crypto_hmac_sha256(key, klen, sts.p, sts.len, mac);
	crypto_base64(mac, sizeof(mac), b64);
	if (buf_printf(out, "SharedKey %s:%s", account, b64) == -1) {
		err_set(e, "shared key: account name too long");
		goto done;
	}
	rc = 0;
done:
	crypto_wipe(mac, sizeof(mac));
	buf_free(&sts);
	return rc;
}

/* ------------------------------------------------------------------ bits */

static int
az_b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
az_sharedkey_decode_key(const char *b64, uint8_t *out, size_t cap, size_t *n)
{
	const char *p = b64, *end;
	uint32_t acc = 0;
	size_t o = 0, bits = 0, pad = 0, chars = 0;
	int v;

	*n = 0;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (; p < end; p++) {
		if (*p == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = az_b64val(*p)) < 0)
			return -1;
		chars++;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == cap)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* One leftover character cannot encode a byte; padding must make
	 * the length a multiple of four when present. */
	if (chars % 4 == 1 || pad > 2 || (pad > 0 && (chars + pad) % 4 != 0) ||
	    o == 0)
		return -1;
	*n = o;
	return 0;
}

void
az_sharedkey_date(time_t t, char out[AZ_SHAREDKEY_DATE_LEN + 1])
{
	static const char days[7][4] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char months[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec"
	};
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 0) {
		out[0] = '\0';
		return;
	}
	/* Unsigned and reduced, so the width of every field is known. */
	snprintf(out, AZ_SHAREDKEY_DATE_LEN + 1,
	    "%s, %02u %s %04u %02u:%02u:%02u GMT", days[(unsigned)tm.tm_wday % 7],
	    (unsigned)tm.tm_mday % 100, months[(unsigned)tm.tm_mon % 12],
	    (unsigned)(tm.tm_year + 1900) % 10000, (unsigned)tm.tm_hour % 100,
	    (unsigned)tm.tm_min % 100, (unsigned)tm.tm_sec % 100);
}

int
az_sas_query(struct buf *out, const char *query, const char *token)
{
	int q = query != NULL && *query != '\0';

	if (token != NULL && *token == '?')
		token++;
	if (q && buf_adds(out, query) == -1)
		return -1;
	if (token == NULL || *token == '\0')
		return 0;
	if (q && buf_addc(out, '&') == -1)
		return -1;
	return buf_adds(out, token);
}
