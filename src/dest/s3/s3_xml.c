/*
 * s3_xml.c - find, decode and build the few XML elements S3 uses (see
 * s3_xml.h).  Pure: bytes in, bytes out.
 *
 * Deliberately not an XML parser.  S3's answers are generated, flat and
 * small (capped at LIM_HTTP_RESP_BODY by http.c); finding "<Name>" and its
 * "</Name>" is enough and cannot be confused by nesting in these
 * documents, because the names we look for occur once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3_xml.h"

#define S3_XML_NS	"http://s3.amazonaws.com/doc/2006-03-01/"

/* Does an element named name start at p ("<" already matched at p-1)?
 * Skips an optional "prefix:".  Returns a pointer after the start tag's
 * '>' (and sets *empty for "<Name/>"), or NULL. */
static const char *
s3_xml_start_tag(const char *p, const char *end, const char *name, int *empty)
{
	const char *q = p, *colon = NULL;
	size_t nl = strlen(name);

	/* Closing tags, comments, declarations are not starts. */
	if (q >= end || *q == '/' || *q == '!' || *q == '?')
		return NULL;
	/* Every scan stops at the next '<' (never part of a tag: XML does
	 * not allow it in attribute values either), so each byte is looked
	 * at by at most one start tag and a hostile body costs linear time
	 * ("<<<<...", "<Code <Code ..." once cost 2-4 s per 64 KiB). */
	for (; q < end && *q != '>' && *q != ' ' && *q != '\t' &&
	    *q != '\n' && *q != '\r' && *q != '/' && *q != '<'; q++)
		if (*q == ':')
			colon = q;
	if (colon != NULL)
		p = colon + 1;
	if ((size_t)(q - p) != nl || memcmp(p, name, nl) != 0)
		return NULL;
	while (q < end && *q != '>' && *q != '<')
		q++;
	if (q >= end || *q != '>')
		return NULL;
	*empty = q[-1] == '/';
	return q + 1;
}

/* Append the decoded text p[0..n) to out. */
static int
s3_xml_decode(struct buf *out, const char *p, size_t n)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&apos;", '\'' },
	};
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (p[i] != '&') {
			if (buf_addc(out, p[i]) == -1)
				return -1;
			continue;
		}
		for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
			size_t el = strlen(ents[k].ent);
			if (n - i >= el && memcmp(p + i, ents[k].ent, el) == 0) {
				if (buf_addc(out, ents[k].c) == -1)
					return -1;
				i += el - 1;
				break;
			}
		}
		if (k < sizeof(ents) / sizeof(ents[0]))
			continue;
		if (n - i > 2 && p[i + 1] == '#') {
			/* Numeric reference: ASCII range only; anything else
			 * is kept as written (we only ever display it). */
			size_t j = i + 2;
			unsigned long v = 0;
			int hex = 0;
			if (j < n && (p[j] == 'x' || p[j] == 'X')) {
				hex = 1;
				j++;
			}
			for (; j < n && p[j] != ';' && j - i < 10; j++) {
				char c = p[j];
				int d = c >= '0' && c <= '9' ? c - '0' :
				    hex && c >= 'a' && c <= 'f' ? c - 'a' + 10 :
				    hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
				if (d < 0)
					break;
				v = v * (hex ? 16 : 10) + (unsigned long)d;
			}
			if (j < n && p[j] == ';' && v > 0 && v < 0x80) {
				if (buf_addc(out, (char)v) == -1)
					return -1;
				i = j;
				continue;
			}
		}
		if (buf_addc(out, '&') == -1)
			return -1;
	}
	return 0;
}

int
s3_xml_text(const char *p, size_t n, const char *name, struct buf *out)
{
	const char *end = p + n, *lt, *body, *close;
	int empty;

	for (lt = p; lt < end; lt++) {
		if (*lt != '<')
			continue;
		if ((body = s3_xml_start_tag(lt + 1, end, name, &empty)) == NULL)
			continue;
		if (empty)
			return 1;
		/* The text up to the next tag: the element's own text for
		 * leaves, nothing useful for containers (callers only ask
		 * containers whether they exist). */
		for (close = body; close < end && *close != '<'; close++)
			;
		if (close >= end)
			return -1;
		return s3_xml_decode(out, body, (size_t)(close - body)) == -1 ?
		    -1 : 1;
	}
	return 0;
}

/* Copy the text of element name into dst[cap] (truncated), "" if absent. */
static int
s3_xml_copy(const char *p, size_t n, const char *name, char *dst, size_t cap)
{
	struct buf b;
	int rc;

	buf_init(&b, 4096);
	rc = s3_xml_text(p, n, name, &b);
	if (rc == 1 && b.p != NULL)
		snprintf(dst, cap, "%s", b.p);
	else
		dst[0] = '\0';
	buf_free(&b);
	return rc;
}

int
s3_xml_error(const char *p, size_t n, struct s3_xml_error *x)
{
	struct buf b;
	int is_error;

	x->code[0] = x->message[0] = '\0';
	if (p == NULL || n == 0)
		return 0;
	buf_init(&b, 4096);
	/* <Error> opens the document (after an optional declaration). */
	is_error = s3_xml_text(p, n, "Error", &b) != 0;
	buf_free(&b);
	if (!is_error)
		return 0;
	s3_xml_copy(p, n, "Code", x->code, sizeof(x->code));
	s3_xml_copy(p, n, "Message", x->message, sizeof(x->message));
	return 1;
}

int
s3_xml_lock_config(const char *p, size_t n, struct s3_xml_lock *x)
{
	char en[32], num[32];
	char *endp;
	unsigned long v;

	memset(x, 0, sizeof(*x));
	if (p == NULL || n == 0)
		return -1;
	if (s3_xml_copy(p, n, "ObjectLockConfiguration", num,
	    sizeof(num)) != 1)
		return -1;
	s3_xml_copy(p, n, "ObjectLockEnabled", en, sizeof(en));
	x->enabled = strcmp(en, "Enabled") == 0;
	s3_xml_copy(p, n, "Mode", x->mode, sizeof(x->mode));
	if (s3_xml_copy(p, n, "Days", num, sizeof(num)) == 1) {
		v = strtoul(num, &endp, 10);
		if (*endp == '\0')
			x->days = v;
	} else if (s3_xml_copy(p, n, "Years", num, sizeof(num)) == 1) {
		v = strtoul(num, &endp, 10);
		if (*endp == '\0' && v < 100000)
			x->days = v * 365;
	}
	return 0;
}

/* Find "<name>" or "<prefix:name>" at or after p; returns the '<' or NULL. */
static const char *
s3_xml_find_open(const char *p, const char *end, const char *name,
    const char **body)
{
	const char *lt;
	int empty;

	for (lt = p; lt < end; lt++) {
		if (*lt != '<')
			continue;
		if ((*body = s3_xml_start_tag(lt + 1, end, name, &empty)) != NULL &&
		    !empty)
			return lt;
	}
	return NULL;
}

/* Find "</name>" (any prefix) at or after p. */
static const char *
s3_xml_find_close(const char *p, const char *end, const char *name)
{
	size_t nl = strlen(name);
	const char *q;

	for (q = p; q + 2 + nl < end; q++) {
		const char *s, *colon;

		if (q[0] != '<' || q[1] != '/')
			continue;
		s = q + 2;
		for (colon = s; colon < end && *colon != '>' && *colon != ':' &&
		    *colon != '<'; colon++)
			;
		if (colon < end && *colon == ':')
			s = colon + 1;
		if ((size_t)(end - s) > nl && memcmp(s, name, nl) == 0 &&
		    s[nl] == '>')
			return q;
	}
	return NULL;
}

int
s3_xml_list_parts(const char *p, size_t n,
    int (*fn)(void *ctx, const struct s3_xml_listed *lp), void *ctx,
    int *truncated, unsigned *next_marker)
{
	const char *end = p + n, *at, *body, *close;
	struct s3_xml_listed lp;
	char num[32], *ep;
	unsigned long v;
	int count = 0;

	*truncated = 0;
	*next_marker = 0;
	if (p == NULL || s3_xml_copy(p, n, "ListPartsResult", num,
	    sizeof(num)) != 1)
		return -1;
	for (at = p; (at = s3_xml_find_open(at, end, "Part", &body)) != NULL;
	    at = close) {
		if ((close = s3_xml_find_close(body, end, "Part")) == NULL)
			return -1;
		memset(&lp, 0, sizeof(lp));
		s3_xml_copy(body, (size_t)(close - body), "PartNumber", num,
		    sizeof(num));
		v = strtoul(num, &ep, 10);
		if (num[0] == '\0' || *ep != '\0' || v == 0 || v > 100000)
			return -1;
		lp.number = (unsigned)v;
		s3_xml_copy(body, (size_t)(close - body), "ETag", lp.etag,
		    sizeof(lp.etag));
		{
			size_t el = strlen(lp.etag);
			if (el >= 2 && lp.etag[0] == '"' && lp.etag[el - 1] == '"') {
				memmove(lp.etag, lp.etag + 1, el - 2);
				lp.etag[el - 2] = '\0';
			}
		}
		s3_xml_copy(body, (size_t)(close - body), "Size", num,
		    sizeof(num));
		lp.size = strtoull(num, &ep, 10);
		if (fn(ctx, &lp) == -1)
			return -1;
		count++;
	}
	if (s3_xml_copy(p, n, "IsTruncated", num, sizeof(num)) == 1)
		*truncated = strcmp(num, "true") == 0;
	if (s3_xml_copy(p, n, "NextPartNumberMarker", num, sizeof(num)) == 1) {
		v = strtoul(num, &ep, 10);
		if (*ep == '\0' && v <= 100000)
			*next_marker = (unsigned)v;
	}
	return count;
}

int
s3_xml_complete_body(struct buf *out, const struct s3_xml_part *parts,
    size_t n)
{
	size_t i;

	if (buf_adds(out, "<CompleteMultipartUpload xmlns=\"" S3_XML_NS
	    "\">") == -1)
		return -1;
	for (i = 0; i < n; i++) {
		/* ETags are quoted hex, upload checksums base64: neither
		 * holds '<' or '&', so no escaping is needed. */
		if (buf_printf(out, "<Part><PartNumber>%u</PartNumber>"
		    "<ETag>%s</ETag>", parts[i].number, parts[i].etag) == -1)
			return -1;
		if (parts[i].sha256_b64[0] != '\0' && buf_printf(out,
		    "<ChecksumSHA256>%s</ChecksumSHA256>",
		    parts[i].sha256_b64) == -1)
			return -1;
		if (buf_adds(out, "</Part>") == -1)
			return -1;
	}
	return buf_adds(out, "</CompleteMultipartUpload>");
}

int
s3_xml_retention_body(struct buf *out, const char *mode, const char *until)
{
	return buf_printf(out, "<Retention xmlns=\"" S3_XML_NS "\"><Mode>%s"
	    "</Mode><RetainUntilDate>%s</RetainUntilDate></Retention>", mode,
	    until);
}

int
s3_xml_legal_hold_body(struct buf *out, int on)
{
	return buf_printf(out, "<LegalHold xmlns=\"" S3_XML_NS "\"><Status>%s"
	    "</Status></LegalHold>", on ? "ON" : "OFF");
}

enum s3_xml_class
s3_xml_classify(long status, const char *code)
{
	static const struct {
		const char *code;
		enum s3_xml_class cls;
	} codes[] = {
		{ "SlowDown", S3_XML_RETRY },
		{ "RequestTimeout", S3_XML_RETRY },
		{ "InternalError", S3_XML_RETRY },
		{ "ServiceUnavailable", S3_XML_RETRY },
		{ "OperationAborted", S3_XML_RETRY },
		/* The bytes changed on the way: send them again. */
		{ "BadDigest", S3_XML_RETRY },
		{ "XAmzContentSHA256Mismatch", S3_XML_RETRY },
		{ "IncompleteBody", S3_XML_RETRY },
		{ "AccessDenied", S3_XML_CREDENTIALS },
		{ "InvalidAccessKeyId", S3_XML_CREDENTIALS },
		{ "SignatureDoesNotMatch", S3_XML_CREDENTIALS },
		{ "InvalidToken", S3_XML_CREDENTIALS },
		{ "InvalidSecurity", S3_XML_CREDENTIALS },
		{ "AccountProblem", S3_XML_CREDENTIALS },
		{ "RequestTimeTooSkewed", S3_XML_CLOCK },
		{ "ExpiredToken", S3_XML_EXPIRED },
		{ "TokenRefreshRequired", S3_XML_EXPIRED },
		{ "NoSuchBucket", S3_XML_BUCKET },
		{ "InvalidBucketName", S3_XML_BUCKET },
		{ "PermanentRedirect", S3_XML_BUCKET },
		{ "AuthorizationHeaderMalformed", S3_XML_BUCKET },
		{ "IllegalLocationConstraintException", S3_XML_BUCKET },
	};
	size_t i;

	if (code != NULL && code[0] != '\0')
		for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
			if (strcmp(code, codes[i].code) == 0)
				return codes[i].cls;
	/* SPEC §3.5: 408, 429 and 5xx are retried; 401/403 stop at once. */
	if (status == 408 || status == 429 || status >= 500 || status == 0)
		return S3_XML_RETRY;
	if (status == 401 || status == 403)
		return S3_XML_CREDENTIALS;
	if (status == 301 || status == 307)
		return S3_XML_BUCKET;
	return S3_XML_STOP;
}
