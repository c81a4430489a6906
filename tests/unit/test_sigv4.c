/*
 * test_sigv4.c - the SigV4 signer, stage by stage.
 *
 * Rows: the four worked examples of AWS's "Signature Calculations for the
 * Authorization Header" page for S3 (AKIAIOSFODNN7EXAMPLE, 20130524), each
 * checked as canonical request, string to sign and Authorization; then one
 * row per bug curl's signer had (*, valueless parameters, + vs %2B, '=' in
 * S3 keys, non-ASCII keys, spaces/'/'/':' in values).
 *
 * "test_sigv4 --oracle" reads request descriptions on stdin and prints our
 * Authorization for each: tests/integ/sigv4_oracle.py compares them with
 * botocore's.  Block format, one field per line, tab-separated:
 *   method M / path HEX / query Q / header NAME VALUE (repeatable) /
 *   payload HASH / date AMZDATE / key AK SK REGION / end
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "sigv4.h"
#include "test.h"

#define EX_AK	"AKIAIOSFODNN7EXAMPLE"
#define EX_SK	"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define EX_DATE	"20130524T000000Z"
#define EX_HOST	"examplebucket.s3.amazonaws.com"
#define EX_SCOPE "20130524/us-east-1/s3/aws4_request"

static const struct sigv4_key ex_key = { EX_AK, EX_SK, "us-east-1", "s3" };

struct example {
	const char	*name;
	const char	*method, *path, *query;
	struct pair h[6];
	size_t		 nh;
	const char	*payload;
	const char	*creq, *sts_hash, *signature, *signed_headers;
};

static const struct example examples[] = {
	{ "aws-get-object", "GET", "/test.txt", NULL,
	  { { "Host", EX_HOST }, { "Range", "bytes=0-9" },
	    { "x-amz-content-sha256", SIGV4_EMPTY_SHA256 },
	    { "x-amz-date", EX_DATE } }, 4, SIGV4_EMPTY_SHA256,
	  "GET\n/test.txt\n\nhost:" EX_HOST "\nrange:bytes=0-9\n"
	  "x-amz-content-sha256:" SIGV4_EMPTY_SHA256 "\n"
	  "x-amz-date:" EX_DATE "\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
	  SIGV4_EMPTY_SHA256,
	  "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
	  "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
	  "host;range;x-amz-content-sha256;x-amz-date" },
	{ "aws-put-object", "PUT", "/test$file.text", NULL,
	  { { "Date", "Fri, 24 May 2013 00:00:00 GMT" }, { "Host", EX_HOST },
	    { "x-amz-date", EX_DATE },
	    { "x-amz-storage-class", "REDUCED_REDUNDANCY" },
	    { "x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072" } },
	  5, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
	  "PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013 00:00:00 GMT\n"
	  "host:" EX_HOST "\n"
	  "x-amz-content-sha256:44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072\n"
	  "x-amz-date:" EX_DATE "\nx-amz-storage-class:REDUCED_REDUNDANCY\n\n"
	  "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n"
	  "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
	  "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d",
	  "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
	  "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class" },
	{ "aws-get-bucket-lifecycle", "GET", "/", "lifecycle",
	  { { "Host", EX_HOST },
	    { "x-amz-content-sha256", SIGV4_EMPTY_SHA256 },
	    { "x-amz-date", EX_DATE } }, 3, SIGV4_EMPTY_SHA256,
	  "GET\n/\nlifecycle=\nhost:" EX_HOST "\n"
	  "x-amz-content-sha256:" SIGV4_EMPTY_SHA256 "\n"
	  "x-amz-date:" EX_DATE "\n\nhost;x-amz-content-sha256;x-amz-date\n"
	  SIGV4_EMPTY_SHA256,
	  "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca",
	  "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
	  "host;x-amz-content-sha256;x-amz-date" },
	{ "aws-list-objects", "GET", "/", "prefix=J&max-keys=2",
	  { { "Host", EX_HOST },
	    { "x-amz-content-sha256", SIGV4_EMPTY_SHA256 },
	    { "x-amz-date", EX_DATE } }, 3, SIGV4_EMPTY_SHA256,
	  "GET\n/\nmax-keys=2&prefix=J\nhost:" EX_HOST "\n"
	  "x-amz-content-sha256:" SIGV4_EMPTY_SHA256 "\n"
	  "x-amz-date:" EX_DATE "\n\nhost;x-amz-content-sha256;x-amz-date\n"
	  SIGV4_EMPTY_SHA256,
	  "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7",
	  "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
	  "host;x-amz-content-sha256;x-amz-date" },
};

static void
test_examples(void)
{
	size_t i;

	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		const struct example *x = &examples[i];
		struct sigv4_request rq = { x->method, x->path, x->query, x->h,
		    x->nh, x->payload };
		struct buf creq, sts, auth, want;
		struct err e = { 0, "" };
		char sts_want[512];

		buf_init(&creq, 1 << 16);
		buf_init(&sts, 1 << 16);
		buf_init(&auth, 1 << 12);
		buf_init(&want, 1 << 12);
		T_CHECK(sigv4_authorization(&auth, &ex_key, &rq, EX_DATE, &creq,
		    &sts, &e) == 0, x->name);
		T_STREQ(creq.p, x->creq, x->name);
		snprintf(sts_want, sizeof(sts_want), "AWS4-HMAC-SHA256\n%s\n%s\n%s",
		    EX_DATE, EX_SCOPE, x->sts_hash);
		T_STREQ(sts.p, sts_want, x->name);
		buf_printf(&want, "AWS4-HMAC-SHA256 Credential=%s/%s, "
		    "SignedHeaders=%s, Signature=%s", EX_AK, EX_SCOPE,
		    x->signed_headers, x->signature);
		T_STREQ(auth.p, want.p, x->name);
		buf_free(&creq);
		buf_free(&sts);
		buf_free(&auth);
		buf_free(&want);
	}
}

static void
test_signing_key(void)
{
	/* The signing key of AWS's SigV4 documentation example (IAM,
	 * 20150830/us-east-1/iam). */
	static const struct sigv4_key k = { "AKIDEXAMPLE",
	    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "iam" };
	uint8_t out[32];
	char hex[65];
	struct err e = { 0, "" };

	T_CHECK(sigv4_signing_key(&k, "20150830T123600Z", out, &e) == 0,
	    "signing key");
	crypto_hex(out, sizeof(out), hex);
	T_STREQ(hex, "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9",
	    "signing key iam example");
}

struct uri_case {
	const char *name, *path, *want;
};

static const struct uri_case uri_cases[] = {
	{ "root", "/", "/" },
	{ "empty", "", "/" },
	{ "plain", "/bucket/host/dev/2026/11/20/2026-11-20.jsonl.gz",
	  "/bucket/host/dev/2026/11/20/2026-11-20.jsonl.gz" },
	{ "curl-7559-star", "/b/a*b", "/b/a%2Ab" },
	{ "curl-13754-equals-once", "/b/k=v", "/b/k%3Dv" },
	{ "space", "/b/a b", "/b/a%20b" },
	{ "plus", "/b/a+b", "/b/a%2Bb" },
	{ "percent-literal", "/b/100%", "/b/100%25" },
	{ "non-ascii-utf8", "/b/caf\xc3\xa9/\xe6\x97\xa5", "/b/caf%C3%A9/%E6%97%A5" },
	{ "no-dot-normalisation", "/b/./x/../y//z", "/b/./x/../y//z" },
	{ "reserved", "/b/!$&'()*+,;=:@", "/b/%21%24%26%27%28%29%2A%2B%2C%3B%3D%3A%40" },
	{ "unreserved", "/b/AZaz09-_.~", "/b/AZaz09-_.~" },
};

static void
test_uri(void)
{
	size_t i;

	for (i = 0; i < sizeof(uri_cases) / sizeof(uri_cases[0]); i++) {
		struct buf b;
		struct err e = { 0, "" };

		buf_init(&b, 4096);
		T_CHECK(sigv4_canonical_uri(&b, uri_cases[i].path, &e) == 0,
		    uri_cases[i].name);
		T_STREQ(b.p, uri_cases[i].want, uri_cases[i].name);
		buf_free(&b);
	}
}

struct query_case {
	const char *name, *query, *want;
	int fails;
};

static const struct query_case query_cases[] = {
	{ "none", NULL, "", 0 },
	{ "empty", "", "", 0 },
	{ "curl-8107-valueless", "uploads", "uploads=", 0 },
	{ "valueless-empty-value", "uploads=", "uploads=", 0 },
	{ "sort-by-key", "uploadId=abc&partNumber=2", "partNumber=2&uploadId=abc", 0 },
	{ "sort-same-key-by-value", "a=2&a=1&b=0", "a=1&a=2&b=0", 0 },
	{ "key-case-sorts-uppercase-first", "b=1&B=2&a=3", "B=2&a=3&b=1", 0 },
	{ "curl-7559-star", "prefix=a*b", "prefix=a%2Ab", 0 },
	{ "plus-is-space", "prefix=a+b", "prefix=a%20b", 0 },
	{ "percent-2B-stays", "prefix=a%2Bb", "prefix=a%2Bb", 0 },
	{ "lowercase-hex-normalised", "prefix=a%2bb%3a", "prefix=a%2Bb%3A", 0 },
	{ "curl-11794-space-slash-colon", "prefix=a%20b/c:d",
	  "prefix=a%20b%2Fc%3Ad", 0 },
	{ "equals-in-value", "k=a=b", "k=a%3Db", 0 },
	{ "equals-encoded-in-key", "a%3Db=c", "a%3Db=c", 0 },
	{ "tilde-unreserved", "k=%7E", "k=~", 0 },
	{ "non-ascii", "prefix=%C3%A9", "prefix=%C3%A9", 0 },
	{ "non-ascii-raw", "prefix=\xc3\xa9", "prefix=%C3%A9", 0 },
	{ "empty-parts-skipped", "a=1&&b=2&", "a=1&b=2", 0 },
	{ "bad-escape", "a=%zz", NULL, 1 },
	{ "truncated-escape", "a=%2", NULL, 1 },
	{ "multipart-part", "partNumber=10&uploadId=2~xYz.0_-", "partNumber=10&uploadId=2~xYz.0_-", 0 },
	{ "object-lock", "object-lock", "object-lock=", 0 },
};

static void
test_query(void)
{
	size_t i;

	for (i = 0; i < sizeof(query_cases) / sizeof(query_cases[0]); i++) {
		const struct query_case *c = &query_cases[i];
		struct buf b;
		struct err e = { 0, "" };
		int rc;

		buf_init(&b, 4096);
		rc = sigv4_canonical_query(&b, c->query, &e);
		if (c->fails) {
			T_CHECK(rc == -1 && e.msg[0] != '\0', c->name);
		} else {
			T_CHECK(rc == 0, c->name);
			T_STREQ(b.p != NULL ? b.p : "", c->want, c->name);
		}
		buf_free(&b);
	}
}

static void
test_query_cap(void)
{
	struct buf q, b;
	struct err e = { 0, "" };
	int i;

	buf_init(&q, 1 << 16);
	buf_init(&b, 1 << 16);
	for (i = 0; i < SIGV4_MAX_QUERY_PARTS + 1; i++)
		buf_printf(&q, "%sk%d=v", i ? "&" : "", i);
	T_CHECK(sigv4_canonical_query(&b, q.p, &e) == -1, "query cap");
	buf_free(&q);
	buf_free(&b);
}

static void
test_headers(void)
{
	static const struct pair h[] = {
		{ "X-Amz-Meta-B", "  two   words  " },
		{ "Host", "h" },
		{ "x-amz-meta-b", "second" },
		{ "X-AMZ-META-A", "\tx\t y " },
	};
	struct buf c, s;
	struct err e = { 0, "" };

	buf_init(&c, 4096);
	buf_init(&s, 4096);
	T_CHECK(sigv4_canonical_headers(&c, &s, h, 4, &e) == 0, "headers");
	T_STREQ(c.p, "host:h\nx-amz-meta-a:x y\nx-amz-meta-b:two words,second\n",
	    "headers trim/merge/sort");
	T_STREQ(s.p, "host;x-amz-meta-a;x-amz-meta-b", "signed headers");
	buf_free(&c);
	buf_free(&s);
}

static void
test_amz_date(void)
{
	char d[SIGV4_AMZDATE_LEN + 1];

	sigv4_amz_date((time_t)1369353600, d);
	T_STREQ(d, "20130524T000000Z", "amz date");
	sigv4_amz_date((time_t)1795000000, d);
	T_STREQ(d, "20261118T110640Z", "amz date 2026");
}

/* The signed-first headers: the token only when there is one. */
static void
test_base_headers(void)
{
	struct pair h[4];
	size_t n;

	n = sigv4_base_headers(h, EX_HOST, EX_DATE, SIGV4_UNSIGNED_PAYLOAD,
	    NULL);
	T_CHECK(n == 3, "no token: three headers");
	T_STREQ(h[0].name, "host", "host first");
	T_STREQ(h[0].value, EX_HOST, "host value");
	T_STREQ(h[1].name, "x-amz-date", "date second");
	T_STREQ(h[1].value, EX_DATE, "date value");
	T_STREQ(h[2].name, "x-amz-content-sha256", "payload hash third");
	T_STREQ(h[2].value, SIGV4_UNSIGNED_PAYLOAD, "payload hash value");
	T_CHECK(sigv4_base_headers(h, EX_HOST, EX_DATE, SIGV4_EMPTY_SHA256,
	    "") == 3, "an empty token is no token");
	n = sigv4_base_headers(h, EX_HOST, EX_DATE, SIGV4_EMPTY_SHA256,
	    "FwoGZXIvYXdzEXAMPLE");
	T_CHECK(n == 4, "with a session token: four headers");
	T_STREQ(h[3].name, "x-amz-security-token", "token header name");
	T_STREQ(h[3].value, "FwoGZXIvYXdzEXAMPLE", "token header value");
}

/* The whole chain on a key with non-ASCII bytes, '=', '*', '+' and a
 * space, as multipart's "?uploads" sends it: every byte encoded once. */
static void
test_non_ascii_key_full(void)
{
	static const struct pair h[] = {
		{ "host", "127.0.0.1:9000" },
		{ "x-amz-content-sha256", SIGV4_UNSIGNED_PAYLOAD },
		{ "x-amz-date", "20261120T101010Z" },
	};
	struct sigv4_request rq = { "PUT", "/b/caf\xc3\xa9 k=v*+.gz",
	    "uploads", h, 3, SIGV4_UNSIGNED_PAYLOAD };
	struct buf creq, out;
	struct err e = { 0, "" };

	buf_init(&creq, 1 << 16);
	buf_init(&out, 4096);
	T_CHECK(sigv4_authorization(&out, &ex_key, &rq, "20261120T101010Z",
	    &creq, NULL, &e) == 0, "non-ascii full");
	T_STREQ(creq.p, "PUT\n/b/caf%C3%A9%20k%3Dv%2A%2B.gz\nuploads=\n"
	    "host:127.0.0.1:9000\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n"
	    "x-amz-date:20261120T101010Z\n\n"
	    "host;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD",
	    "non-ascii creq");
	buf_free(&creq);
	buf_free(&out);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* --oracle: see the file comment. */
static int
oracle(void)
{
	char line[8192], method[16] = "", query[4096] = "", payload[128] = "";
	char date[32] = "", ak[256] = "", sk[256] = "", region[64] = "";
	char path[4096] = "";
	char hname[SIGV4_MAX_HEADERS][256], hval[SIGV4_MAX_HEADERS][1024];
	struct pair h[SIGV4_MAX_HEADERS];
	size_t nh = 0;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		char *tab, *val;

		line[strcspn(line, "\n")] = '\0';
		tab = strchr(line, '\t');
		val = tab != NULL ? tab + 1 : line + strlen(line);
		if (tab != NULL)
			*tab = '\0';
		if (strcmp(line, "method") == 0) {
			snprintf(method, sizeof(method), "%s", val);
		} else if (strcmp(line, "path") == 0) {
			size_t i, n = strlen(val) / 2;
			for (i = 0; i < n && i + 1 < sizeof(path); i++)
				path[i] = (char)(hexval(val[2 * i]) << 4 |
				    hexval(val[2 * i + 1]));
			path[i] = '\0';
		} else if (strcmp(line, "query") == 0) {
			snprintf(query, sizeof(query), "%s", val);
		} else if (strcmp(line, "header") == 0 && nh < SIGV4_MAX_HEADERS) {
			char *t2 = strchr(val, '\t');
			if (t2 == NULL)
				return 2;
			*t2 = '\0';
			snprintf(hname[nh], sizeof(hname[nh]), "%s", val);
			snprintf(hval[nh], sizeof(hval[nh]), "%s", t2 + 1);
			h[nh].name = hname[nh];
			h[nh].value = hval[nh];
			nh++;
		} else if (strcmp(line, "payload") == 0) {
			snprintf(payload, sizeof(payload), "%s", val);
		} else if (strcmp(line, "date") == 0) {
			snprintf(date, sizeof(date), "%s", val);
		} else if (strcmp(line, "key") == 0) {
			if (sscanf(val, "%255[^\t]\t%255[^\t]\t%63s", ak, sk,
			    region) != 3)
				return 2;
		} else if (strcmp(line, "end") == 0) {
			struct sigv4_key k = { ak, sk, region, "s3" };
			struct sigv4_request rq = { method, path, query, h, nh,
			    payload };
			struct buf out;
			struct err e = { 0, "" };

			buf_init(&out, 1 << 16);
			if (sigv4_authorization(&out, &k, &rq, date, NULL, NULL,
			    &e) == -1)
				printf("ERROR %s\n", e.msg);
			else
				printf("%s\n", out.p);
			fflush(stdout);
			buf_free(&out);
			nh = 0;
			query[0] = path[0] = '\0';
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--oracle") == 0)
		return oracle();
	test_examples();
	test_signing_key();
	test_uri();
	test_query();
	test_query_cap();
	test_headers();
	test_amz_date();
	test_base_headers();
	test_non_ascii_key_full();
	return t_done("sigv4");
}
