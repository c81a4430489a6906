/*
 * test_az_sharedkey.c - the Azure Shared Key signer, stage by stage:
 * canonicalized headers, canonicalized resource, string to sign, and the
 * Authorization value, on the examples of Azure's "Authorize with Shared
 * Key" page plus the cases our requests hit (emulator paths, block ids
 * with '+' '/' '=', a zero Content-Length, folded header values).
 * Expected signatures were computed with Python's hmac module, an
 * implementation independent of ours; tests/integ/azblob_sharedkey_sdk.sh
 * compares against the Azure SDK for JavaScript at test time.
 */
#include <stdint.h>
#include <string.h>

#include "az_sharedkey.h"
#include "test.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* The emulator's published account key (Azurite, devstoreaccount1). */
static const char *dev_key =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/"
    "K1SZFPTOtr/KBHBeksoGMGw==";

static void
test_resource(void)
{
	static const struct {
		const char *name, *account, *path, *query, *want;
	} rows[] = {
		/* The documentation's three examples. */
		{ "doc-basic", "myaccount", "/mycontainer",
		  "restype=container&comp=metadata",
		  "/myaccount/mycontainer\ncomp:metadata\nrestype:container" },
		{ "doc-multiple-values", "myaccount", "/container",
		  "restype=container&comp=list&include=snapshots&"
		  "include=metadata&include=uncommittedblobs",
		  "/myaccount/container\ncomp:list\n"
		  "include:metadata,snapshots,uncommittedblobs\n"
		  "restype:container" },
		{ "doc-secondary", "myaccount-secondary", "/mycontainer/myblob",
		  NULL, "/myaccount/mycontainer/myblob" },
		{ "doc-timeout", "myaccount", "/mycontainer",
		  "restype=container&comp=metadata&timeout=20",
		  "/myaccount/mycontainer\ncomp:metadata\nrestype:container\n"
		  "timeout:20" },
		/* Emulator URL: the account is in the path and signed twice. */
		{ "emulator-path", "devstoreaccount1",
		  "/devstoreaccount1/logs/a/b.gz", "",
		  "/devstoreaccount1/devstoreaccount1/logs/a/b.gz" },
		/* Values are decoded: block ids are base64 (+ / =). */
		{ "blockid-decoded", "acct", "/c/b",
		  "comp=block&blockid=MDAwMDEtYWJj%2B%2Fx%3D%3D",
		  "/acct/c/b\nblockid:MDAwMDEtYWJj+/x==\ncomp:block" },
		/* Names are lowercased; valueless parameters sign as "name:". */
		{ "name-case-valueless", "acct", "/c", "RESTYPE=container&comp",
		  "/acct/c\ncomp:\nrestype:container" },
		{ "plus-is-space", "acct", "/c", "prefix=a+b%2Bc",
		  "/acct/c\nprefix:a b+c" },
		{ "empty-path", "acct", "", "comp=list", "/acct/\ncomp:list" },
		{ "bad-escape", "acct", "/c", "prefix=%zz", NULL },
	};
	struct buf b;
	size_t i;

	for (i = 0; i < N(rows); i++) {
		buf_init(&b, 4096);
		int rc = az_sharedkey_canon_resource(&b, rows[i].account,
		    rows[i].path, rows[i].query);
		if (rows[i].want == NULL)
			T_CHECK(rc == -1, rows[i].name);
		else {
			T_CHECK(rc == 0, rows[i].name);
			T_STREQ(b.p, rows[i].want, rows[i].name);
		}
		buf_free(&b);
	}
}

static void
test_headers(void)
{
	static const struct pair doc[] = {
		{ "x-ms-date", "Sat, 21 Feb 2015 00:48:38 GMT" },
		{ "x-ms-version", "2014-02-14" },
		{ "Content-Type", "text/plain" },
	};
	static const struct pair messy[] = {
		{ "X-MS-Version", "2021-08-06" },
		{ "x-ms-meta-Note", "  two   words\there  " },
		{ "Content-MD5", "abc" },
		{ "x-ms-blob-type", "BlockBlob" },
		{ "x-ms-meta-note", "again" },
		{ "x-ms-date", "Wed, 02 Dec 2026 03:00:00 GMT" },
	};
	struct buf b;

	buf_init(&b, 4096);
	T_CHECK(az_sharedkey_canon_headers(&b, doc, N(doc)) == 0, "doc");
	T_STREQ(b.p, "x-ms-date:Sat, 21 Feb 2015 00:48:38 GMT\n"
	    "x-ms-version:2014-02-14\n", "doc-headers");
	buf_reset(&b);
	T_CHECK(az_sharedkey_canon_headers(&b, messy, N(messy)) == 0, "messy");
	/* Lowercased, sorted, folded, trimmed; a repeated name joined.  The
	 * join order of repeats is unspecified, so only one of each here is
	 * compared exactly. */
	{
		static const char want[] = "x-ms-blob-type:BlockBlob\n"
		    "x-ms-date:Wed, 02 Dec 2026 03:00:00 GMT\nx-ms-meta-note:";
		T_CHECK(strncmp(b.p, want, sizeof(want) - 1) == 0,
		    "messy-order");
	}
	T_CHECK(strstr(b.p, "two words here") != NULL, "messy-folded");
	T_CHECK(strstr(b.p, ",") != NULL, "messy-joined");
	T_CHECK(strstr(b.p, "x-ms-version:2021-08-06\n") != NULL &&
	    b.p[b.len - 1] == '\n', "messy-version-last");
	T_CHECK(strstr(b.p, "Content-MD5") == NULL, "messy-only-x-ms");
	buf_free(&b);
}

static void
test_string_to_sign(void)
{
	/* The documentation's example: GET container metadata. */
	static const struct pair doc[] = {
		{ "x-ms-date", "Fri, 26 Jun 2015 23:39:12 GMT" },
		{ "x-ms-version", "2015-02-21" },
	};
	/* A Put Blob as we send it to the emulator. */
	static const struct pair put[] = {
		{ "Content-Length", "1234" },
		{ "Content-MD5", "kfp4CKD9PnTskzRMEDSsXA==" },
		{ "Content-Type", "application/gzip" },
		{ "If-None-Match", "*" },
		{ "x-ms-blob-type", "BlockBlob" },
		{ "x-ms-date", "Wed, 02 Dec 2026 03:00:00 GMT" },
		{ "x-ms-version", "2021-08-06" },
	};
	static const struct pair zero[] = {
		{ "Content-Length", "0" },
		{ "x-ms-date", "Wed, 02 Dec 2026 03:00:00 GMT" },
		{ "x-ms-version", "2021-08-06" },
	};
	struct az_request r = { "GET", "/mycontainer",
		"restype=container&comp=metadata&timeout=20", doc, N(doc) };
	struct buf b;
	uint8_t key[AZ_SHAREDKEY_KEY_MAX];
	size_t klen;
	struct err e = { 0, "" };

	buf_init(&b, 8192);
	T_CHECK(az_sharedkey_string_to_sign(&b, "myaccount", &r) == 0, "doc");
	T_STREQ(b.p, "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Fri, 26 Jun 2015 "
	    "23:39:12 GMT\nx-ms-version:2015-02-21\n/myaccount/mycontainer\n"
	    "comp:metadata\nrestype:container\ntimeout:20", "doc-sts");

	T_CHECK(az_sharedkey_decode_key(dev_key, key, sizeof(key), &klen) == 0 &&
	    klen == 64, "decode-dev-key");
	T_CHECK(az_sharedkey_authorization(&b, "myaccount", key, klen, &r,
	    &e) == 0, "doc-auth");
	T_STREQ(b.p, "SharedKey myaccount:"
	    "1u9lui2jDxj0+fpbHjQ5m5NnastJRSYM+PSmfi8TXx4=", "doc-auth-value");

	r.method = "PUT";
	r.path = "/devstoreaccount1/logs/h/u/2026-11-20.000000000000-"
	    "000000001234.jsonl.gz";
	r.query = NULL;
	r.headers = put;
	r.nheaders = N(put);
	buf_reset(&b);
	T_CHECK(az_sharedkey_string_to_sign(&b, "devstoreaccount1", &r) == 0,
	    "put");
	T_STREQ(b.p, "PUT\n\n\n1234\nkfp4CKD9PnTskzRMEDSsXA==\napplication/gzip"
	    "\n\n\n\n*\n\n\nx-ms-blob-type:BlockBlob\nx-ms-date:Wed, 02 Dec "
	    "2026 03:00:00 GMT\nx-ms-version:2021-08-06\n/devstoreaccount1/"
	    "devstoreaccount1/logs/h/u/2026-11-20.000000000000-000000001234."
	    "jsonl.gz", "put-sts");
	T_CHECK(az_sharedkey_authorization(&b, "devstoreaccount1", key, klen,
	    &r, &e) == 0, "put-auth");
	T_STREQ(b.p, "SharedKey devstoreaccount1:"
	    "6TXIbpc66ppRoJnJjb/rH8m0uDYMtohLjmrk+MwOx5Y=", "put-auth-value");

	/* Version 2015-02-21 and later: Content-Length 0 signs as "". */
	r.headers = zero;
	r.nheaders = N(zero);
	r.path = "/c/b";
	buf_reset(&b);
	T_CHECK(az_sharedkey_string_to_sign(&b, "a", &r) == 0, "zero");
	T_CHECK(strncmp(b.p, "PUT\n\n\n\n\n", 8) == 0, "zero-length-empty");
	buf_free(&b);
}

static void
test_decode_key(void)
{
	static const struct {
		const char *name, *in;
		int ok;
		size_t len;
	} rows[] = {
		{ "padded", "AAEC", 1, 3 },
		{ "pad1", "AAE=", 1, 2 },
		{ "unpadded", "AAE", 1, 2 },
		{ "spaces", "  AAEC\n", 1, 3 },
		{ "one-char-left", "AAECA", 0, 0 },
		{ "bad-char", "AA*C", 0, 0 },
		{ "pad-middle", "AA=C", 0, 0 },
		{ "too-much-pad", "AA===", 0, 0 },
		{ "empty", "", 0, 0 },
	};
	uint8_t out[8];
	size_t i, n;

	for (i = 0; i < N(rows); i++) {
		int rc = az_sharedkey_decode_key(rows[i].in, out, sizeof(out), &n);
		T_CHECK((rc == 0) == rows[i].ok, rows[i].name);
		if (rows[i].ok)
			T_CHECK(n == rows[i].len, rows[i].name);
	}
	T_CHECK(az_sharedkey_decode_key("AAECAwQFBgcICQ==", out, sizeof(out),
	    &n) == -1, "too-long-for-cap");
	T_CHECK(az_sharedkey_decode_key("AAEC", out, sizeof(out), &n) == 0 &&
	    out[0] == 0 && out[1] == 1 && out[2] == 2, "bytes");
}

static void
test_date_and_sas(void)
{
	char d[AZ_SHAREDKEY_DATE_LEN + 1];
	struct buf b;

	az_sharedkey_date((time_t)1435361952, d);
	T_STREQ(d, "Fri, 26 Jun 2015 23:39:12 GMT", "date-doc-day");
	az_sharedkey_date((time_t)1796180400, d);
	T_STREQ(d, "Wed, 02 Dec 2026 03:00:00 GMT", "date");
	buf_init(&b, 512);
	T_CHECK(az_sas_query(&b, "comp=block&blockid=x", "?sv=2021&sig=a%2Bb")
	    == 0, "sas");
	T_STREQ(b.p, "comp=block&blockid=x&sv=2021&sig=a%2Bb", "sas-joined");
	buf_reset(&b);
	T_CHECK(az_sas_query(&b, NULL, "sv=2021&sig=z") == 0, "sas-alone");
	T_STREQ(b.p, "sv=2021&sig=z", "sas-alone-value");
	buf_reset(&b);
	T_CHECK(az_sas_query(&b, "restype=container", NULL) == 0, "no-sas");
	T_STREQ(b.p, "restype=container", "no-sas-value");
	buf_free(&b);
}

int
main(void)
{
	test_resource();
	test_headers();
	test_string_to_sign();
	test_decode_key();
	test_date_and_sas();
	return t_done("az_sharedkey");
}
