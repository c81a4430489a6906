/*
 * s3_list.c - one ListObjectsV2 answer parsed (pure; see s3_archive.h).
 */
#include <stdio.h>
#include <string.h>

#include "caps.h"
#include "s3_archive.h"
#include "s3_xml.h"
#include "seal.h"

/* The span between <tag> and </tag> starting at or after p; NULL if none. */
static const char *
s3_list_span(const char *p, const char *end, const char *tag, size_t tl,
    const char **close)
{
	char open[32], shut[32];
	const char *b;
	size_t ol, sl;

	ol = (size_t)snprintf(open, sizeof(open), "<%.*s>", (int)tl, tag);
	sl = (size_t)snprintf(shut, sizeof(shut), "</%.*s>", (int)tl, tag);
	if ((b = memmem(p, (size_t)(end - p), open, ol)) == NULL)
		return NULL;
	b += ol;
	*close = memmem(b, (size_t)(end - b), shut, sl);
	return b;
}

static int
s3_list_size(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

/* Every <tag> entry of the document: its <field> text to fn. */
static int
s3_list_entries(const char *p, const char *end, const char *tag,
    const char *field, int is_prefix, s3_list_fn fn, void *ctx,
    struct err *e)
{
	const char *b, *close;
	struct buf name, size;
	uint64_t sz = 0;
	int rc = 0;

	buf_init(&name, LIM_KEY + 1);
	buf_init(&size, 32);
	while (rc == 0 && (b = s3_list_span(p, end, tag, strlen(tag),
	    &close)) != NULL) {
		if (close == NULL) {
			rc = err_set(e, "ListObjectsV2: a <%s> is not closed",
			    tag);
			break;
		}
		buf_reset(&name);
		buf_reset(&size);
		if (s3_xml_text(b, (size_t)(close - b), field, &name) != 1 ||
		    name.len == 0 || memchr(name.p, '\0', name.len) != NULL) {
			rc = err_set(e, "ListObjectsV2: a <%s> without a good "
			    "<%s>", tag, field);
			break;
		}
		if (!is_prefix && (s3_xml_text(b, (size_t)(close - b), "Size",
		    &size) != 1 || s3_list_size(size.p, &sz) == -1)) {
			rc = err_set(e, "ListObjectsV2: %s: a bad <Size>",
			    name.p);
			break;
		}
		if (fn(ctx, name.p, is_prefix ? 0 : sz, is_prefix) == -1)
			rc = -1;
		p = close;
	}
	buf_free(&name);
	buf_free(&size);
	return rc;
}

int
s3_list_page(const char *p, size_t n, s3_list_fn fn, void *ctx,
    int *truncated, struct buf *token, struct err *e)
{
	const char *end = p + n;
	struct buf t;
	int r;

	*truncated = 0;
	buf_reset(token);
	if (memmem(p, n, "<ListBucketResult", 17) == NULL)
		return err_set(e, "ListObjectsV2: not a ListBucketResult");
	buf_init(&t, 16);
	r = s3_xml_text(p, n, "IsTruncated", &t);
	*truncated = r == 1 && t.len == 4 && memcmp(t.p, "true", 4) == 0;
	buf_free(&t);
	if (r == -1)
		return err_set(e, "ListObjectsV2: a bad <IsTruncated>");
	if (s3_list_entries(p, end, "Contents", "Key", 0, fn, ctx, e) == -1 ||
	    s3_list_entries(p, end, "CommonPrefixes", "Prefix", 1, fn, ctx,
	    e) == -1)
		return -1;
	if (s3_xml_text(p, n, "NextContinuationToken", token) == -1)
		return err_set(e, "ListObjectsV2: a bad <NextContinuationToken>");
	if (*truncated && token->len == 0)
		return err_set(e, "ListObjectsV2: truncated without a "
		    "<NextContinuationToken>");
	return 0;
}

int
s3_checksum_full(const char *v, char hex[65])
{
	static const char dig[] = "0123456789abcdef";
	uint8_t md[33];
	size_t n, i;

	hex[0] = '\0';
	if (v == NULL || (n = strlen(v)) != 44 || memchr(v, '-', n) != NULL ||
	    seal_b64_decode(v, n, md, sizeof(md), &i) == -1 || i != 32)
		return 0;
	for (i = 0; i < 32; i++) {
		hex[2 * i] = dig[md[i] >> 4];
		hex[2 * i + 1] = dig[md[i] & 15];
	}
	hex[64] = '\0';
	return 1;
}
