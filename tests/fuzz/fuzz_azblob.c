/*
 * fuzz_azblob.c - what the azblob destination parses from the service and
 * signs: a List Blobs page (az_client_list_page), an error code from
 * headers and an XML body (az_client_error_code), and the canonicalized
 * resource of a query (az_sharedkey_canon_resource).  Input: page,
 * response headers, query, separated by NUL bytes.
 * Oracles: the listing reports at most one entry per "<Name" with a
 * non-empty name, and a 16-byte marker buffer fails cleanly instead of
 * growing; the error code is a NUL-terminated string within its buffer;
 * the resource of a query without escapes or newlines starts with
 * "/acct/c" and carries one line per query part at most, each with ':'.
 */
#include <stdlib.h>
#include <string.h>

#include "az_client.h"
#include "az_sharedkey.h"
#include "fuzz.h"
#include "http.h"

struct seen {
	size_t	n;
};

static int
on_item(void *ctx, const char *name, uint64_t size, int is_prefix)
{
	struct seen *s = ctx;

	(void)size;
	(void)is_prefix;
	FUZZ_CHECK(name != NULL && name[0] != '\0', "listed an empty name");
	s->n++;
	return 0;
}

static size_t
count(const char *p, const char *what)
{
	size_t c = 0, w = strlen(what);

	while ((p = strstr(p, what)) != NULL) {
		c++;
		p += w;
	}
	return c;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *part[3], *mem, code[64];
	struct seen s = { 0 };
	struct err e = { 0, "" };
	struct http_response rs;
	struct buf marker, small, res;
	size_t lines, i;

	fuzz_split(data, size, part, 3, &mem);

	buf_init(&marker, 4096);
	if (az_client_list_page(part[0], strlen(part[0]), on_item, &s,
	    &marker, &e) == 0)
		/* Every entry is opened by its own <Blob> or <BlobPrefix>
		 * (a page of broken XML may still hold a <Name> the entry
		 * scan never takes, or an entry whose name is prefixed). */
		FUZZ_CHECK(s.n <= count(part[0], "<Blob>") +
		    count(part[0], "<BlobPrefix>"),
		    "more entries than entry tags");
	buf_free(&marker);
	buf_init(&small, 16);
	s.n = 0;
	(void)az_client_list_page(part[0], strlen(part[0]), on_item, &s, &small,
	    &e);
	FUZZ_CHECK(small.len <= 16, "marker past its max");
	buf_free(&small);

	http_response_init(&rs);
	(void)buf_adds(&rs.headers, part[1]);
	(void)buf_adds(&rs.body, part[0]);
	az_client_error_code(&rs, code, sizeof(code));
	FUZZ_CHECK(memchr(code, '\0', sizeof(code)) != NULL, "code unterminated");
	http_response_free(&rs);

	buf_init(&res, 1 << 16);
	/* Without escapes no value can hold a newline of its own. */
	if (az_sharedkey_canon_resource(&res, "acct", "/c", part[2]) == 0 &&
	    strchr(part[2], '%') == NULL && strchr(part[2], '\n') == NULL) {
		FUZZ_CHECK(strncmp(res.p, "/acct/c", 7) == 0, "resource prefix");
		lines = count(res.p, "\n");
		FUZZ_CHECK(lines <= count(part[2], "&") + 1, "more lines than parts");
		for (i = 0; i < res.len; i++)
			if (res.p[i] == '\n')
				FUZZ_CHECK(memchr(res.p + i + 1, ':',
				    res.len - i - 1) != NULL, "a line without ':'");
	}
	buf_free(&res);
	free(mem);
	return 0;
}
