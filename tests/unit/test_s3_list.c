/*
 * test_s3_list.c - ListObjectsV2 pages as AWS and Ceph RGW send them:
 * keys, sizes, common prefixes, IsTruncated, NextContinuationToken, and
 * malformed pages refused.
 */
#include <stdio.h>
#include <string.h>

#include "s3_archive.h"
#include "test.h"

struct seen {
	char	 out[1024];
	size_t	 n;
};

static int
collect(void *ctx, const char *name, uint64_t size, int is_prefix)
{
	struct seen *s = ctx;
	size_t l = strlen(s->out);

	snprintf(s->out + l, sizeof(s->out) - l, "%s%s=%llu;",
	    is_prefix ? "P:" : "", name, (unsigned long long)size);
	s->n++;
	return 0;
}

static int
stop(void *ctx, const char *name, uint64_t size, int is_prefix)
{
	(void)ctx; (void)name; (void)size; (void)is_prefix;
	return -1;
}

static const char aws_page[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<Name>b</Name><Prefix>h/u/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>"
    "<IsTruncated>true</IsTruncated><Contents><Key>h/u/2026/11/20/a &amp; b.jsonl.gz</Key>"
    "<LastModified>2026-11-21T00:00:00.000Z</LastModified><ETag>&quot;abc&quot;</ETag>"
    "<ChecksumAlgorithm>SHA256</ChecksumAlgorithm><Size>123</Size>"
    "<StorageClass>STANDARD</StorageClass></Contents>"
    "<Contents><Key>h/u/2026/11/20/2026-11-20.seal.json</Key><Size>0</Size>"
    "<Owner><ID>x</ID><DisplayName>Key</DisplayName></Owner></Contents>"
    "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
    "<StartAfter></StartAfter></ListBucketResult>";

/* RGW: no namespace prefix issues, delimiter answer with CommonPrefixes. */
static const char rgw_delim[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult "
    "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>sealed</Name>"
    "<Prefix></Prefix><MaxKeys>40</MaxKeys><Delimiter>/</Delimiter>"
    "<IsTruncated>false</IsTruncated><CommonPrefixes><Prefix>hostA/</Prefix>"
    "</CommonPrefixes><CommonPrefixes><Prefix>hostB/</Prefix></CommonPrefixes>"
    "<KeyCount>2</KeyCount></ListBucketResult>";

static const char empty[] =
    "<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount>"
    "<IsTruncated>false</IsTruncated></ListBucketResult>";

static void
one(const char *doc, int want_rc, const char *want_out, int want_trunc,
    const char *want_token, const char *name)
{
	struct seen s;
	struct buf tok;
	struct err e = { 0, "" };
	int trunc = -1, rc;
	char label[160];

	memset(&s, 0, sizeof(s));
	buf_init(&tok, 4096);
	rc = s3_list_page(doc, strlen(doc), collect, &s, &trunc, &tok, &e);
	snprintf(label, sizeof(label), "%s: rc", name);
	T_CHECK(rc == want_rc, label);
	if (want_rc == 0) {
		snprintf(label, sizeof(label), "%s: entries", name);
		T_STREQ(s.out, want_out, label);
		snprintf(label, sizeof(label), "%s: truncated", name);
		T_CHECK(trunc == want_trunc, label);
		snprintf(label, sizeof(label), "%s: token", name);
		T_STREQ(tok.p != NULL ? tok.p : "", want_token, label);
	} else {
		snprintf(label, sizeof(label), "%s: message", name);
		T_CHECK(e.msg[0] != '\0', label);
	}
	buf_free(&tok);
}

/* x-amz-checksum-sha256 values: only a full-object one is trusted. */
static void
checksums(void)
{
	static const struct {
		const char *v, *hex;
	} t[] = {
		/* sha256("") */
		{ "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=-3", NULL },
		{ "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU", NULL },
		{ "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF==", NULL },
		{ "1B2M2Y8AsgTpgAmY7PhCfg==", NULL },	/* an MD5: 16 bytes */
		{ "", NULL },
		{ "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSu!U=", NULL },
	};
	char hex[65], label[96];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(label, sizeof(label), "checksum %zu", i);
		T_CHECK(s3_checksum_full(t[i].v, hex) == (t[i].hex != NULL), label);
		if (t[i].hex != NULL)
			T_CHECK(strcmp(hex, t[i].hex) == 0, label);
		else
			T_CHECK(hex[0] == '\0', label);
	}
	T_CHECK(s3_checksum_full(NULL, hex) == 0, "checksum NULL");
}

int
main(void)
{
	struct buf tok;
	struct err e = { 0, "" };
	int trunc;

	one(aws_page, 0, "h/u/2026/11/20/a & b.jsonl.gz=123;"
	    "h/u/2026/11/20/2026-11-20.seal.json=0;", 1,
	    "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=", "aws page");
	one(rgw_delim, 0, "P:hostA/=0;P:hostB/=0;", 0, "", "rgw delimiter");
	one(empty, 0, "", 0, "", "empty");
	one("<Error><Code>AccessDenied</Code></Error>", -1, NULL, 0, NULL,
	    "not a listing");
	one("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
	    -1, NULL, 0, NULL, "truncated without token");
	one("<ListBucketResult><Contents><Key>k</Key><Size>12",
	    -1, NULL, 0, NULL, "unclosed contents");
	one("<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents>"
	    "</ListBucketResult>", -1, NULL, 0, NULL, "negative size");
	one("<ListBucketResult><Contents><Key>k</Key></Contents>"
	    "</ListBucketResult>", -1, NULL, 0, NULL, "no size");
	one("<ListBucketResult><Contents><Size>1</Size></Contents>"
	    "</ListBucketResult>", -1, NULL, 0, NULL, "no key");
	one("<ListBucketResult><Contents><Key>k</Key><Size>99999999999999999999"
	    "</Size></Contents></ListBucketResult>", -1, NULL, 0, NULL,
	    "size overflow");
	buf_init(&tok, 64);
	T_CHECK(s3_list_page(aws_page, strlen(aws_page), stop, NULL, &trunc,
	    &tok, &e) == -1, "callback stops the walk");
	buf_free(&tok);
	checksums();
	return t_done("s3_list");
}
