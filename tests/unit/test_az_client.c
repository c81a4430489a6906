/*
 * test_az_client.c - the pure parts of the azblob client: endpoint URLs,
 * block ids, retain-until dates, error codes and their classification
 * (SPEC §3.5).
 */
#include <stdio.h>
#include <string.h>

#include "az_client.h"
#include "http.h"
#include "test.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_endpoint(void)
{
	static const struct {
		const char *name, *ep, *scheme, *auth, *base;
	} rows[] = {
		{ "azure", "https://acct.blob.core.windows.net", "https",
		  "acct.blob.core.windows.net", "" },
		{ "azure-slash", "https://acct.blob.core.windows.net/", "https",
		  "acct.blob.core.windows.net", "" },
		{ "azurite", "http://127.0.0.1:10000/devstoreaccount1", "http",
		  "127.0.0.1:10000", "/devstoreaccount1" },
		{ "azurite-slash", "http://127.0.0.1:10000/devstoreaccount1/",
		  "http", "127.0.0.1:10000", "/devstoreaccount1" },
		{ "no-scheme", "acct.blob.core.windows.net", NULL, NULL, NULL },
		{ "ftp", "ftp://x", NULL, NULL, NULL },
		{ "userinfo", "https://u:p@x", NULL, NULL, NULL },
		{ "query", "https://x/?sv=1", NULL, NULL, NULL },
		{ "empty-host", "https:///x", NULL, NULL, NULL },
	};
	char s[8], a[256], b[256];
	size_t i;

	for (i = 0; i < N(rows); i++) {
		int rc = az_client_parse_endpoint(rows[i].ep, s, sizeof(s), a,
		    sizeof(a), b, sizeof(b));
		if (rows[i].scheme == NULL) {
			T_CHECK(rc == -1, rows[i].name);
			continue;
		}
		T_CHECK(rc == 0, rows[i].name);
		T_STREQ(s, rows[i].scheme, rows[i].name);
		T_STREQ(a, rows[i].auth, rows[i].name);
		T_STREQ(b, rows[i].base, rows[i].name);
	}
}

static void
test_block_id(void)
{
	uint8_t m1[16] = { 0 }, m2[16] = { 0 };
	char a[64], b[64], c[64], d[64];

	m2[15] = 1;
	az_client_block_id(0, m1, a);
	az_client_block_id(0, m1, b);
	az_client_block_id(1, m1, c);
	az_client_block_id(0, m2, d);
	T_STREQ(a, b, "deterministic");
	T_CHECK(strcmp(a, c) != 0, "index matters");
	T_CHECK(strcmp(a, d) != 0, "bytes matter");
	/* Azure: every id of a blob the same length, at most 64 bytes
	 * before encoding.  "00000-" + 32 hex = 38 bytes -> 52 base64. */
	T_CHECK(strlen(a) == 52 && strlen(c) == 52, "fixed length");
	az_client_block_id(49999, m2, c);
	T_CHECK(strlen(c) == 52, "fixed length at the last block");
	/* base64("00000-00000000000000000000000000000000") */
	T_STREQ(a, "MDAwMDAtMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA=",
	    "known id");
}

static void
test_until(void)
{
	char u[32];

	az_client_until((time_t)1796180400, 3, u);
	T_STREQ(u, "Sat, 05 Dec 2026 03:00:00 GMT", "rfc1123 + 3 days");
}

static void
test_classify(void)
{
	static const struct {
		const char *name;
		long status;
		const char *code;
		enum dest_rc want;
	} rows[] = {
		{ "server-busy", 503, "ServerBusy", DEST_RETRY },
		{ "internal", 500, "InternalError", DEST_RETRY },
		{ "timeout-code", 500, "OperationTimedOut", DEST_RETRY },
		{ "gateway", 502, "", DEST_RETRY },
		{ "408", 408, "", DEST_RETRY },
		{ "429", 429, "", DEST_RETRY },
		{ "auth", 403, "AuthenticationFailed", DEST_STOP },
		{ "authz", 403, "AuthorizationPermissionMismatch", DEST_STOP },
		{ "no-container", 404, "ContainerNotFound", DEST_STOP },
		{ "immutable", 409, "BlobImmutableDueToPolicy", DEST_STOP },
		{ "bad-request", 400, "InvalidHeaderValue", DEST_STOP },
		{ "md5", 400, "Md5Mismatch", DEST_STOP },
	};
	size_t i;

	for (i = 0; i < N(rows); i++)
		T_CHECK(az_client_classify(rows[i].status, rows[i].code) ==
		    rows[i].want, rows[i].name);
}

static void
test_error_code(void)
{
	struct http_response rs;
	char code[64];

	http_response_init(&rs);
	buf_adds(&rs.headers, "Content-Type: application/xml\n"
	    "x-ms-error-code: BlobAlreadyExists\n");
	az_client_error_code(&rs, code, sizeof(code));
	T_STREQ(code, "BlobAlreadyExists", "from the header");
	buf_reset(&rs.headers);
	buf_adds(&rs.body, "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	    "<Error><Code>ContainerNotFound</Code><Message>The specified "
	    "container does not exist.\nRequestId:x</Message></Error>");
	az_client_error_code(&rs, code, sizeof(code));
	T_STREQ(code, "ContainerNotFound", "from the XML body");
	buf_reset(&rs.body);
	buf_adds(&rs.body, "<html>proxy error</html>");
	az_client_error_code(&rs, code, sizeof(code));
	T_STREQ(code, "", "neither");
	http_response_free(&rs);
}

struct listed {
	char	names[8][64];
	uint64_t sizes[8];
	int	prefix[8];
	size_t	n;
};

static int
on_listed(void *ctx, const char *name, uint64_t size, int is_prefix)
{
	struct listed *l = ctx;

	if (l->n == 8)
		return -1;
	snprintf(l->names[l->n], sizeof(l->names[0]), "%s", name);
	l->sizes[l->n] = size;
	l->prefix[l->n] = is_prefix;
	l->n++;
	return 0;
}

static void
test_list_page(void)
{
	/* As Azure answers List Blobs (properties trimmed). */
	static const char page[] = "\xef\xbb\xbf<?xml version=\"1.0\" "
	    "encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\"x\" "
	    "ContainerName=\"logs\"><Prefix>h/</Prefix><MaxResults>25"
	    "</MaxResults><Blobs><Blob><Name>h/u/2026-11-20.jsonl.gz</Name>"
	    "<Properties><Content-Length>1234</Content-Length><BlobType>"
	    "BlockBlob</BlobType></Properties></Blob><Blob><Name>h/a&amp;b"
	    "</Name><Properties><Content-Length>0</Content-Length>"
	    "</Properties></Blob><BlobPrefix><Name>h/v/</Name></BlobPrefix>"
	    "</Blobs><NextMarker>2!96!MDAw</NextMarker></EnumerationResults>";
	static const char last[] = "<EnumerationResults><Blobs /><NextMarker />"
	    "</EnumerationResults>";
	static const char open_entry[] = "<Blobs><Blob><Name>x</Name>";
	static const char empty_name[] = "<Blobs><Blob><Name></Name></Blob>";
	struct listed l;
	struct buf m;
	struct err e = { 0, "" };

	memset(&l, 0, sizeof(l));
	buf_init(&m, 256);
	T_CHECK(az_client_list_page(page, sizeof(page) - 1, on_listed, &l, &m,
	    &e) == 0, "page");
	T_CHECK(l.n == 3, "three entries");
	T_STREQ(l.names[0], "h/u/2026-11-20.jsonl.gz", "blob name");
	T_CHECK(l.sizes[0] == 1234 && !l.prefix[0], "blob size");
	T_STREQ(l.names[1], "h/a&b", "entity decoded");
	T_STREQ(l.names[2], "h/v/", "prefix");
	T_CHECK(l.prefix[2], "is a prefix");
	T_STREQ(m.p, "2!96!MDAw", "next marker");
	buf_reset(&m);
	memset(&l, 0, sizeof(l));
	T_CHECK(az_client_list_page(last, sizeof(last) - 1, on_listed, &l, &m,
	    &e) == 0 && l.n == 0 && m.len == 0, "last page");
	T_CHECK(az_client_list_page(open_entry, sizeof(open_entry) - 1,
	    on_listed, &l, &m, &e) == -1, "entry not closed");
	T_CHECK(az_client_list_page(empty_name, sizeof(empty_name) - 1,
	    on_listed, &l, &m, &e) == -1, "empty name (fuzz finding)");
	buf_free(&m);
}

int
main(void)
{
	test_endpoint();
	test_block_id();
	test_until();
	test_classify();
	test_error_code();
	test_list_page();
	return t_done("az_client");
}
