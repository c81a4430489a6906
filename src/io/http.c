/*
 * http.c - the only user of libcurl (see http.h).
 *
 * One client owns one easy handle.  Every request starts with
 * curl_easy_reset(), which forgets the previous request's options but keeps
 * live connections, the TLS session cache and the DNS cache, so HTTP/1.1
 * keep-alive and HTTP/2 connections are reused across batches.
 *
 * What it deliberately does not do: retry, sleep, follow redirects (a 3xx
 * is an answer the caller sees), or print anything except through the
 * redacting debug callback when the log level is debug (STYLE §6.11).
 * Error messages name the method and the URL without its query string or
 * user info, and are scrubbed of every secret header value, because
 * libcurl's own error text may quote what it was given.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "http.h"
#include "caps.h"
#include "lazylib.h"
#include "log.h"
#include "parse.h"

/* libcurl is opened by the first client, not at start (lazylib.h). */
#define LIBCURL_API(X)					\
	X(global_init, curl_global_init)		\
	X(easy_init, curl_easy_init)			\
	X(easy_cleanup, curl_easy_cleanup)		\
	X(easy_reset, curl_easy_reset)			\
	X(easy_setopt, curl_easy_setopt)		\
	X(easy_perform, curl_easy_perform)		\
	X(easy_getinfo, curl_easy_getinfo)		\
	X(easy_strerror, curl_easy_strerror)		\
	X(slist_append, curl_slist_append)		\
	X(slist_free_all, curl_slist_free_all)
static struct {
	LIBCURL_API(LAZYLIB_MEMBER)
} libcurl;

/* Response headers of one answer, all lines together. */
#define HTTP_RESP_HEADERS_MAX	(64u << 10)
/* Default connect timeout when the caller gives none (http.h). */
#define HTTP_CONNECT_TIMEOUT_MS	10000
/* Bytes of a request body curl takes per read callback (it allows 16 KiB
 * to 2 MiB). */
#define HTTP_UPLOAD_BUFFER	(512L << 10)

struct http_client {
	CURL		*h;
	char		*ca_file;
	char		*log_name;
	int		 verify;
	uint64_t	 timeout_ms;
	uint64_t	 connect_timeout_ms;
	char		 errbuf[CURL_ERROR_SIZE];
};

/* State of one http_do() shared with the callbacks. */
struct http_xfer {
	struct http_client *c;
	const struct http_request *rq;
	struct http_response *rs;
	uint64_t	 sent;		/* body bytes handed to curl */
	int		 read_failed;
	/* The answer as it arrives, to notice one that came early. */
	long		 status;	/* of the last status line */
	int		 headers_done;	/* final (non-1xx) headers complete */
	long long	 clen;		/* its Content-Length, -1: none */
	uint64_t	 got;		/* its body bytes so far */
	int		 early;		/* aborted: complete answer, body unsent */
	int		 sink_failed;	/* resp_sink refused a piece */
};

static int http_curl_initialised;

static char *
http_strdup_opt(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

/*
 * libcurl takes proxies from the environment; a password in one of those
 * URLs is a secret like any other, so every log line masks it (error text
 * included), not only the URLs http_mask_userinfo() recognises.
 */
static char *http_authority_password(char *auth, const char *stops,
    size_t *n, char **end);

static void
http_proxy_secrets(void)
{
	static const char *const vars[] = {
		"https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy", "ALL_PROXY",
	};
	char url[LIM_SECRET], *auth, *pw, *end;
	const char *v;
	size_t i, n;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		if ((v = getenv(vars[i])) == NULL || strlen(v) >= sizeof(url))
			continue;
		memcpy(url, v, strlen(v) + 1);
		auth = strstr(url, "://");
		auth = auth != NULL ? auth + 3 : url;
		if ((pw = http_authority_password(auth, "/?#", &n, &end)) != NULL &&
		    n > 0) {
			pw[n] = '\0';
			log_add_secret(pw);
		}
		explicit_bzero(url, sizeof(url));
	}
}

/* Fill libcurl from the library; once (the caller remembers success). */
static int
libcurl_load(struct err *e)
{
	void *h;

	if ((h = lazylib_open(AUDITSHIP_LIBCURL_SONAME, "http, s3, azblob "
	    "and otlp destinations", e)) == NULL)
		return -1;
#define LIBCURL_LOAD(m, sym) \
	LAZYLIB_LOAD(libcurl, h, AUDITSHIP_LIBCURL_SONAME, e, m, sym)
	LIBCURL_API(LIBCURL_LOAD)
#undef LIBCURL_LOAD
	return 0;
}

struct http_client *
http_client_new(const struct http_opts *o, struct err *e)
{
	struct http_client *c = NULL;

	if (!http_curl_initialised) {
		if (libcurl_load(e) != 0)
			return NULL;
		/* Not thread-safe by itself; auditship has no threads. */
		if (libcurl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			err_set(e, "libcurl initialisation failed");
			return NULL;
		}
		http_curl_initialised = 1;
		http_proxy_secrets();
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		err_set(e, "http client: out of memory");
		return NULL;
	}
	c->verify = o->verify;
	c->timeout_ms = o->timeout_ms;
	c->connect_timeout_ms = o->connect_timeout_ms;
	if (c->connect_timeout_ms == 0) {
		c->connect_timeout_ms = HTTP_CONNECT_TIMEOUT_MS;
		if (c->timeout_ms != 0 && c->timeout_ms < c->connect_timeout_ms)
			c->connect_timeout_ms = c->timeout_ms;
	}
	if ((o->ca_file != NULL && (c->ca_file = strdup(o->ca_file)) == NULL) ||
	    (c->log_name = http_strdup_opt(o->log_name ? o->log_name : "http")) == NULL ||
	    (c->h = libcurl.easy_init()) == NULL) {
		err_set(e, "http client: out of memory");
		goto fail;
	}
	return c;
fail:
	http_client_free(c);
	return NULL;
}

int
http_client_once(struct http_client **c, const struct http_opts *o,
    struct err *e)
{
	if (*c == NULL && (*c = http_client_new(o, e)) == NULL)
		return -1;
	return 0;
}

int
http_client_pair(const struct http_opts *o, uint64_t max_body,
    uint64_t min_rate, struct http_client **hc, struct http_client **hc_body,
    struct err *e)
{
	struct http_opts bo = *o;

	if ((*hc = http_client_new(o, e)) == NULL)
		return -1;
	if (bo.timeout_ms != 0)
		bo.timeout_ms += max_body / min_rate * 1000;
	if ((*hc_body = http_client_new(&bo, e)) == NULL)
		return -1;
	return 0;
}

int
http_store_pair(const char *ca_file, int verify, uint64_t timeout_ms,
    const char *log_name, uint64_t max_body, uint64_t min_rate,
    struct http_client **hc, struct http_client **hc_body, struct err *e)
{
	struct http_opts ho;

	memset(&ho, 0, sizeof(ho));
	ho.ca_file = ca_file;
	ho.verify = verify;
	ho.timeout_ms = timeout_ms;
	ho.log_name = log_name;
	return http_client_pair(&ho, max_body, min_rate, hc, hc_body, e);
}

void
http_rq_init(struct http_rq *r, const char *method, const char *key)
{
	memset(r, 0, sizeof(*r));
	r->method = method;
	r->key = key;
}

void
http_rq_hdr(struct http_rq *r, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (r->nh == HTTP_RQ_MAX_HEADERS)
		return;
	va_start(ap, fmt);
	if (vsnprintf(r->vals[r->nh], HTTP_RQ_VALUE, fmt, ap) < 0)
		r->vals[r->nh][0] = '\0';
	va_end(ap);
	r->h[r->nh].name = name;
	r->h[r->nh].value = r->vals[r->nh];
	r->h[r->nh].secret = 0;
	r->nh++;
}

void
http_rq_file(struct http_rq *r, int fd, uint64_t off, uint64_t len)
{
	r->file = 1;
	r->fd = fd;
	r->off = off;
	r->len = len;
}

enum http_rc
http_rq_do(struct http_client *hc, const struct http_rq *r, const char *url,
    const struct http_header *hh, size_t n, struct http_response *rs,
    struct err *e)
{
	struct http_file_body rd;
	struct http_request rq;

	memset(&rq, 0, sizeof(rq));
	rq.method = r->method;
	rq.url = url;
	rq.headers = hh;
	rq.nheaders = n;
	if (r->file) {
		http_request_file_body(&rq, &rd, r->fd, r->off, r->len);
	} else if (r->body != NULL) {
		rq.body = r->body;
		rq.body_len = r->body_len;
	}
	rq.resp_sink = r->resp_sink;
	rq.resp_ctx = r->resp_ctx;
	return http_do(hc, &rq, rs, e);
}

void
http_client_free(struct http_client *c)
{
	if (c == NULL)
		return;
	if (c->h != NULL)
		libcurl.easy_cleanup(c->h);
	free(c->ca_file);
	free(c->log_name);
	free(c);
}

void
http_response_init(struct http_response *rs)
{
	rs->status = 0;
	buf_init(&rs->body, LIM_HTTP_RESP_BODY);
	buf_init(&rs->headers, HTTP_RESP_HEADERS_MAX);
}

void
http_response_free(struct http_response *rs)
{
	buf_free(&rs->body);
	buf_free(&rs->headers);
	rs->status = 0;
}

/* Case-insensitive compare of n bytes of a with the NUL-terminated b. */
static int
http_name_eq(const char *a, size_t n, const char *b)
{
	return strlen(b) == n && strncasecmp(a, b, n) == 0;
}

/* Replace every occurrence of secret in the NUL-terminated s by "****". */
static void
http_mask(char *s, const char *secret)
{
	size_t slen;
	char *hit;

	if (secret == NULL || (slen = strlen(secret)) < 4)
		return;
	while ((hit = strstr(s, secret)) != NULL) {
		memcpy(hit, "****", 4);
		memmove(hit + 4, hit + slen, strlen(hit + slen) + 1);
	}
}

/*
 * The password of the authority that starts at auth (just after "://")
 * and ends before the first of stops: *n bytes at the returned pointer,
 * or NULL without one.  *end is where the authority ends.
 */
static char *
http_authority_password(char *auth, const char *stops, size_t *n, char **end)
{
	char *at = NULL, *colon, *q;

	*end = auth + strcspn(auth, stops);
	for (q = auth; q < *end; q++)
		if (*q == '@')
			at = q;		/* the last '@': passwords may hold one */
	if (at == NULL || (colon = memchr(auth, ':', (size_t)(at - auth))) == NULL)
		return NULL;
	*n = (size_t)(at - colon - 1);
	return colon + 1;
}

void
http_mask_userinfo(char *s)
{
	char *auth, *pw;
	size_t n;

	while ((auth = strstr(s, "://")) != NULL) {
		/* The authority ends at a path, or wherever a message quotes
		 * the URL. */
		if ((pw = http_authority_password(auth + 3, "/?# \t'\"", &n,
		    &s)) == NULL)
			continue;
		if (n <= 4) {
			/* Same length: nothing moves. */
			memset(pw, '*', n);
			continue;
		}
		memcpy(pw, "****", 4);
		memmove(pw + 4, pw + n, strlen(pw + n) + 1);
		s = pw + 4;
	}
}

/* Names whose values never print, whatever the caller marked. */
static int
http_name_is_secret(const char *name, size_t n)
{
	static const char *const names[] = {
		"authorization", "proxy-authorization", "x-amz-security-token",
		"dd-api-key", "dd-application-key", "x-api-key", "cookie",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (http_name_eq(name, n, names[i]))
			return 1;
	return 0;
}

static int
http_header_is_secret(const struct http_request *rq, const char *name, size_t n)
{
	size_t i;

	if (http_name_is_secret(name, n))
		return 1;
	for (i = 0; rq != NULL && i < rq->nheaders; i++)
		if (rq->headers[i].secret && http_name_eq(name, n, rq->headers[i].name))
			return 1;
	return 0;
}

/* Scrub every secret header value of rq out of s. */
static void
http_scrub(char *s, const struct http_request *rq)
{
	size_t i;

	for (i = 0; rq != NULL && i < rq->nheaders; i++)
		if (rq->headers[i].secret ||
		    http_name_is_secret(rq->headers[i].name, strlen(rq->headers[i].name)))
			http_mask(s, rq->headers[i].value);
}

/*
 * The URL as it may appear in a message: scheme, host, port and path, with
 * user info and query removed (a query may carry an API key).
 */
static void
http_safe_url(const char *url, char *out, size_t cap)
{
	const char *auth, *at, *end, *q;
	size_t n = 0, len;

	out[0] = '\0';
	if (url == NULL)
		return;
	auth = strstr(url, "://");
	auth = auth ? auth + 3 : url;
	end = auth + strcspn(auth, "/?#");
	at = memchr(auth, '@', (size_t)(end - auth));
	q = url + strcspn(url, "?#");
	/* scheme:// */
	len = (size_t)(auth - url);
	if (len < cap) {
		memcpy(out, url, len);
		n = len;
	}
	if (at != NULL)
		auth = at + 1;
	len = (size_t)(q - auth);
	if (q < auth)
		len = 0;
	if (n + len >= cap)
		len = cap - n - 1;
	memcpy(out + n, auth, len);
	out[n + len] = '\0';
}

static size_t
http_write_cb(char *p, size_t size, size_t nmemb, void *ud)
{
	struct http_xfer *x = ud;
	size_t n = size * nmemb, room;

	x->got += n;
	if (x->rq->resp_sink != NULL && x->status >= 200 && x->status < 300) {
		if (x->rq->resp_sink(x->rq->resp_ctx, p, n) == -1) {
			x->sink_failed = 1;
			return 0;	/* curl aborts the transfer */
		}
		return n;
	}
	/* Keep the first LIM_HTTP_RESP_BODY bytes for error reports; the
	 * rest is read and dropped so the connection stays usable. */
	room = x->rs->body.max - x->rs->body.len;
	if (room > 0)
		(void)buf_add(&x->rs->body, p, n < room ? n : room);
	return n;
}

static size_t
http_header_cb(char *p, size_t size, size_t nmemb, void *ud)
{
	struct http_xfer *x = ud;
	size_t n = size * nmemb, len = n;

	while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
		len--;
	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* A new status line: 100 Continue, or an interim answer;
		 * only the final response's headers are kept. */
		const char *sp = memchr(p, ' ', len);

		buf_reset(&x->rs->headers);
		x->status = sp != NULL ? strtol(sp + 1, NULL, 10) : 0;
		x->headers_done = 0;
		x->clen = -1;
		x->got = 0;
		return n;
	}
	if (len == 0 && x->status >= 200)
		x->headers_done = 1;
	if (len > 15 && strncasecmp(p, "content-length:", 15) == 0)
		x->clen = strtoll(p + 15, NULL, 10);
	if (len == 0 || len > LIM_HTTP_HEADER || memchr(p, ':', len) == NULL)
		return n;
	/* Past the cap the remaining headers are dropped, not an error. */
	if (buf_reserve(&x->rs->headers, len + 1) == 0) {
		(void)buf_add(&x->rs->headers, p, len);
		(void)buf_addc(&x->rs->headers, '\n');
	}
	return n;
}

static size_t
http_read_cb(char *p, size_t size, size_t nmemb, void *ud)
{
	struct http_xfer *x = ud;
	const struct http_request *rq = x->rq;
	size_t cap = size * nmemb, n;
	ssize_t r;

	if (rq->body_read != NULL) {
		if (x->sent >= rq->body_size)
			return 0;
		if (cap > rq->body_size - x->sent)
			cap = (size_t)(rq->body_size - x->sent);
		r = rq->body_read(rq->body_ctx, p, cap);
		if (r < 0 || (r == 0 && x->sent < rq->body_size)) {
			/* A short body would make curl send a request that
			 * does not match its Content-Length. */
			x->read_failed = 1;
			return CURL_READFUNC_ABORT;
		}
		x->sent += (uint64_t)r;
		return (size_t)r;
	}
	if (x->sent >= rq->body_len)
		return 0;
	n = rq->body_len - (size_t)x->sent;
	if (n > cap)
		n = cap;
	memcpy(p, (const char *)rq->body + x->sent, n);
	x->sent += n;
	return n;
}

/*
 * A server may answer before it has read the whole body (a 401/413 decided
 * from the headers, or nginx's `return`).  Over HTTP/2, libcurl 7.88 then
 * keeps waiting for flow-control window the server will never open, until
 * the timeout, spinning.  Once the final answer is complete (Content-Length
 * bytes received) while body bytes are still unsent, stop the transfer and
 * take the answer we have.
 */
static int
http_progress_cb(void *ud, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct http_xfer *x = ud;

	(void)dltotal;
	(void)dlnow;
	if (x->headers_done && x->clen >= 0 && x->got >= (uint64_t)x->clen &&
	    ultotal > 0 && ulnow < ultotal) {
		x->early = 1;
		return 1;
	}
	return 0;
}

/* curl rewinds when it resends on a fresh connection (a reused one that
 * the server had closed, or an HTTP/2 stream refused). */
static int
http_seek_cb(void *ud, curl_off_t off, int origin)
{
	struct http_xfer *x = ud;
	const struct http_request *rq = x->rq;

	if (origin != SEEK_SET || off != 0)
		return CURL_SEEKFUNC_CANTSEEK;
	if (rq->body_read != NULL) {
		if (rq->body_rewind == NULL || rq->body_rewind(rq->body_ctx) != 0)
			return CURL_SEEKFUNC_CANTSEEK;
	}
	x->sent = 0;
	return CURL_SEEKFUNC_OK;
}

/* Log one block of header lines, secret values masked. */
static void
http_debug_headers(struct http_xfer *x, const char *dir, const char *p, size_t n)
{
	char line[LIM_HTTP_HEADER + 1];
	const char *nl, *colon;
	size_t len, pos;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		len = nl ? (size_t)(nl - p) : n;
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len > 0) {
			if (len > LIM_HTTP_HEADER)
				len = LIM_HTTP_HEADER;
			memcpy(line, p, len);
			line[len] = '\0';
			colon = memchr(line, ':', len);
			if (colon != NULL && http_header_is_secret(x->rq, line,
			    (size_t)(colon - line))) {
				pos = (size_t)(colon - line) + 1;
				if (pos + 6 <= sizeof(line))
					memcpy(line + pos, " ****", 6);
				else
					line[pos] = '\0';
			}
			http_scrub(line, x->rq);
			http_mask_userinfo(line);
			log_debug("%s: %s %s", x->c->log_name, dir, line);
		}
		if (nl == NULL)
			break;
		n -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
}

static int
http_debug_cb(CURL *h, curl_infotype type, char *p, size_t n, void *ud)
{
	struct http_xfer *x = ud;
	char text[512];
	size_t len;

	(void)h;
	switch (type) {
	case CURLINFO_TEXT:
		len = n < sizeof(text) - 1 ? n : sizeof(text) - 1;
		memcpy(text, p, len);
		while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
			len--;
		text[len] = '\0';
		http_scrub(text, x->rq);
		http_mask_userinfo(text);
		log_debug("%s: * %s", x->c->log_name, text);
		break;
	case CURLINFO_HEADER_OUT:
		http_debug_headers(x, ">", p, n);
		break;
	case CURLINFO_HEADER_IN:
		http_debug_headers(x, "<", p, n);
		break;
	case CURLINFO_DATA_OUT:
		log_debug("%s: > [%zu body bytes]", x->c->log_name, n);
		break;
	case CURLINFO_DATA_IN:
		log_debug("%s: < [%zu body bytes]", x->c->log_name, n);
		break;
	default:
		break;		/* TLS records: nothing a reader needs */
	}
	return 0;
}

/* Which http_rc a libcurl failure is. */
static enum http_rc
http_classify(CURLcode cc, const struct http_xfer *x)
{
	if (x->read_failed)
		return HTTP_FATAL;
	switch (cc) {
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
		return HTTP_TLS_ERROR;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_NOT_BUILT_IN:
	case CURLE_OUT_OF_MEMORY:
	case CURLE_BAD_FUNCTION_ARGUMENT:
	case CURLE_FAILED_INIT:
	case CURLE_UNKNOWN_OPTION:
	case CURLE_ABORTED_BY_CALLBACK:
	case CURLE_READ_ERROR:
		return HTTP_FATAL;
	default:
		/* Resolve, connect, reset, timeout, TLS handshake, HTTP/2
		 * stream errors: all may pass, so the engine retries. */
		return HTTP_NET_ERROR;
	}
}

/* Append "Name: value" to the list; values with CR/LF are refused. */
static int
http_add_header(struct curl_slist **l, const char *name, const char *value,
    struct err *e)
{
	struct curl_slist *nl;
	struct buf b;
	int rc = -1;

	buf_init(&b, LIM_HTTP_HEADER);
	if (strpbrk(name, "\r\n: ") != NULL || name[0] == '\0' ||
	    strpbrk(value, "\r\n") != NULL) {
		/* The value is not quoted: it may be a secret. */
		err_set(e, "invalid request header %.64s", name);
		goto out;
	}
	/* "Name;" is curl's way to send a header with an empty value. */
	if ((value[0] == '\0' ? buf_printf(&b, "%s;", name) :
	    buf_printf(&b, "%s: %s", name, value)) == -1) {
		err_set(e, "request header %.64s too long", name);
		goto out;
	}
	if ((nl = libcurl.slist_append(*l, b.p)) == NULL) {
		err_set(e, "http: out of memory");
		goto out;
	}
	*l = nl;
	rc = 0;
out:
	buf_free_secret(&b);
	return rc;
}

/*
 * What a failed transfer means (http_classify()), with the message
 * "WHAT: reason" in e: libcurl's detail first (it names the host, the
 * certificate problem), scrubbed: it may quote what it was given.
 */
static enum http_rc
http_fail(struct http_client *c, CURLcode cc, const struct http_xfer *x,
    const char *what, struct err *e)
{
	enum http_rc rc = http_classify(cc, x);
	char cerr[CURL_ERROR_SIZE];

	if (snprintf(cerr, sizeof(cerr), "%s", c->errbuf[0] ? c->errbuf :
	    libcurl.easy_strerror(cc)) < 0)
		cerr[0] = '\0';
	http_scrub(cerr, x->rq);
	http_mask_userinfo(cerr);
	if (x->read_failed)
		err_set(e, "%s: reading the request body failed", what);
	else if (cc == CURLE_SSL_CACERT_BADFILE)
		err_set(e, "%s: TLS: cannot use the CA file (ca_file): %s", what,
		    cerr);
	else if (rc == HTTP_TLS_ERROR)
		err_set(e, "%s: TLS certificate verification failed: %s (check "
		    "ca_file, or the server's certificate)", what, cerr);
	else
		err_set(e, "%s: %s", what, cerr);
	return rc;
}

#define HTTP_SETOPT(opt, val) do {					\
	if ((cc = libcurl.easy_setopt(h, (opt), (val))) != CURLE_OK)	\
		goto curl_fail;						\
} while (0)

/* Reset c's handle and set what every transfer has: url, the protocols,
 * TLS verification as configured, the connect timeout, the debug trace
 * (x).  CURLE_OK, or curl_easy_setopt()'s error. */
static CURLcode
http_setup(struct http_client *c, const char *url, struct http_xfer *x)
{
	CURL *h = c->h;
	CURLcode cc;

	libcurl.easy_reset(h);
	c->errbuf[0] = '\0';
	HTTP_SETOPT(CURLOPT_ERRORBUFFER, c->errbuf);
	HTTP_SETOPT(CURLOPT_URL, url);
	HTTP_SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
	HTTP_SETOPT(CURLOPT_NOSIGNAL, 1L);
	HTTP_SETOPT(CURLOPT_SSL_VERIFYPEER, c->verify ? 1L : 0L);
	HTTP_SETOPT(CURLOPT_SSL_VERIFYHOST, c->verify ? 2L : 0L);
	if (c->ca_file != NULL)
		HTTP_SETOPT(CURLOPT_CAINFO, c->ca_file);
	HTTP_SETOPT(CURLOPT_CONNECTTIMEOUT_MS, (long)c->connect_timeout_ms);
	if (log_get_level() >= LOG_LVL_DEBUG) {
		HTTP_SETOPT(CURLOPT_DEBUGFUNCTION, http_debug_cb);
		HTTP_SETOPT(CURLOPT_DEBUGDATA, x);
		HTTP_SETOPT(CURLOPT_VERBOSE, 1L);
	}
	return CURLE_OK;
curl_fail:
	return cc;
}

enum http_rc
http_do(struct http_client *c, const struct http_request *rq,
    struct http_response *rs, struct err *e)
{
	struct http_xfer x = { .c = c, .rq = rq, .rs = rs };
	struct curl_slist *hl = NULL;
	enum http_rc rc = HTTP_FATAL;
	char safe[512], what[576];
	CURL *h = c->h;
	CURLcode cc;
	size_t i;
	long status = 0;
	int has_body;

	http_safe_url(rq->url, safe, sizeof(safe));
	rs->status = 0;
	buf_reset(&rs->body);
	buf_reset(&rs->headers);
	has_body = rq->body != NULL || rq->body_read != NULL;

	for (i = 0; i < rq->nheaders; i++)
		if (http_add_header(&hl, rq->headers[i].name,
		    rq->headers[i].value, e) == -1)
			goto out;
	/* Expect: 100-continue costs a round trip per batch, and some
	 * intakes answer it badly; "Expect:" with no value removes it. */
	{
		struct curl_slist *nl = libcurl.slist_append(hl, "Expect:");
		if (nl == NULL) {
			err_set(e, "http: out of memory");
			goto out;
		}
		hl = nl;
	}

	if ((cc = http_setup(c, rq->url, &x)) != CURLE_OK)
		goto curl_fail;
	HTTP_SETOPT(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	HTTP_SETOPT(CURLOPT_USERAGENT, "auditship/" AUDITSHIP_VERSION);
	HTTP_SETOPT(CURLOPT_TCP_KEEPALIVE, 1L);
	HTTP_SETOPT(CURLOPT_FOLLOWLOCATION, 0L);
	if (c->timeout_ms != 0)
		HTTP_SETOPT(CURLOPT_TIMEOUT_MS, (long)c->timeout_ms);
	HTTP_SETOPT(CURLOPT_HTTPHEADER, hl);
	HTTP_SETOPT(CURLOPT_WRITEFUNCTION, http_write_cb);
	HTTP_SETOPT(CURLOPT_WRITEDATA, &x);
	HTTP_SETOPT(CURLOPT_HEADERFUNCTION, http_header_cb);
	HTTP_SETOPT(CURLOPT_HEADERDATA, &x);

	if (strcmp(rq->method, "HEAD") == 0) {
		HTTP_SETOPT(CURLOPT_NOBODY, 1L);
	} else if (strcmp(rq->method, "GET") == 0 && !has_body) {
		HTTP_SETOPT(CURLOPT_HTTPGET, 1L);
	} else if (strcmp(rq->method, "PUT") == 0) {
		HTTP_SETOPT(CURLOPT_UPLOAD, 1L);
		HTTP_SETOPT(CURLOPT_INFILESIZE_LARGE, (curl_off_t)(rq->body_read ?
		    rq->body_size : rq->body_len));
	} else if (strcmp(rq->method, "POST") == 0) {
		HTTP_SETOPT(CURLOPT_POST, 1L);
		HTTP_SETOPT(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(rq->body_read ?
		    rq->body_size : rq->body_len));
	} else {
		HTTP_SETOPT(CURLOPT_CUSTOMREQUEST, rq->method);
		if (has_body) {
			HTTP_SETOPT(CURLOPT_UPLOAD, 1L);
			HTTP_SETOPT(CURLOPT_INFILESIZE_LARGE, (curl_off_t)(rq->body_read ?
			    rq->body_size : rq->body_len));
		}
	}
	if (strcmp(rq->method, "PUT") == 0 || strcmp(rq->method, "POST") == 0 ||
	    has_body) {
		HTTP_SETOPT(CURLOPT_READFUNCTION, http_read_cb);
		HTTP_SETOPT(CURLOPT_READDATA, &x);
		/* curl's 64 KiB default meant a read callback, a poll(2)
		 * and a progress callback per 64 KiB of a body. */
		HTTP_SETOPT(CURLOPT_UPLOAD_BUFFERSIZE, HTTP_UPLOAD_BUFFER);
		HTTP_SETOPT(CURLOPT_SEEKFUNCTION, http_seek_cb);
		HTTP_SETOPT(CURLOPT_SEEKDATA, &x);
		HTTP_SETOPT(CURLOPT_XFERINFOFUNCTION, http_progress_cb);
		HTTP_SETOPT(CURLOPT_XFERINFODATA, &x);
		HTTP_SETOPT(CURLOPT_NOPROGRESS, 0L);
	}

	cc = libcurl.easy_perform(h);
	if (cc == CURLE_ABORTED_BY_CALLBACK && x.early) {
		/* The whole answer came before the whole body went. */
		rs->status = x.status;
		log_debug("%s: %s %s answered %ld before the whole body was sent",
		    c->log_name, rq->method, safe, x.status);
		rc = HTTP_OK;
		goto out;
	}
	if (cc == CURLE_WRITE_ERROR && x.sink_failed) {
		err_set(e, "%s %s: the response body could not be stored",
		    rq->method, safe);
		rc = HTTP_FATAL;
		goto out;
	}
	if (cc != CURLE_OK)
		goto curl_fail;
	(void)libcurl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	rs->status = status;
	rc = HTTP_OK;
	goto out;

curl_fail:
	snprintf(what, sizeof(what), "%s %s", rq->method, safe);
	rc = http_fail(c, cc, &x, what, e);
	if (e != NULL)
		e->code = (int)cc;
out:
	/* The handle keeps pointers into this frame; forget them. */
	libcurl.easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	libcurl.easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	if (hl != NULL) {
		struct curl_slist *it;
		for (it = hl; it != NULL; it = it->next)
			if (it->data != NULL)
				memset(it->data, 0, strlen(it->data));
		libcurl.slist_free_all(hl);
	}
	return rc;
}

enum http_rc
http_connect(struct http_client *c, const char *url, struct err *e)
{
	struct http_request rq = { .method = "CONNECT", .url = url };
	struct http_xfer x = { .c = c, .rq = &rq };
	enum http_rc rc = HTTP_OK;
	char safe[512], what[576];
	CURL *h = c->h;
	CURLcode cc;

	http_safe_url(url, safe, sizeof(safe));
	if ((cc = http_setup(c, url, &x)) != CURLE_OK)
		goto curl_fail;
	HTTP_SETOPT(CURLOPT_CONNECT_ONLY, 1L);
	if ((cc = libcurl.easy_perform(h)) == CURLE_OK)
		goto out;
curl_fail:
	snprintf(what, sizeof(what), "connect %s", safe);
	rc = http_fail(c, cc, &x, what, e);
out:
	libcurl.easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	/* A connect-only connection cannot carry requests: drop it. */
	libcurl.easy_reset(h);
	return rc;
}

int
http_header_get(const struct http_response *rs, const char *name, char *out,
    size_t cap)
{
	const char *p, *end, *nl, *colon, *v;
	size_t len;

	if (cap == 0 || rs->headers.p == NULL)
		return 0;
	p = rs->headers.p;
	end = p + rs->headers.len;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		colon = memchr(p, ':', (size_t)(nl - p));
		if (colon == NULL || !http_name_eq(p, (size_t)(colon - p), name))
			continue;
		v = colon + 1;
		while (v < nl && (*v == ' ' || *v == '\t'))
			v++;
		len = (size_t)(nl - v);
		while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
			len--;
		if (len >= cap)
			len = cap - 1;
		memcpy(out, v, len);
		out[len] = '\0';
		return 1;
	}
	return 0;
}

/* ---- Retry-After (pure) ---- */

static const char *const http_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
static const char *const http_wkdays[7] = {
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
};
static const char *const http_weekdays[7] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday",
};

/* Parse exactly n digits at *p; advance.  -1 when not digits. */
static long
http_digits(const char **p, const char *end, int n)
{
	long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (*p >= end || !isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	return v;
}

static int
http_lit(const char **p, const char *end, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(end - *p) < n || memcmp(*p, s, n) != 0)
		return -1;
	*p += n;
	return 0;
}

static int
http_month(const char **p, const char *end)
{
	int i;

	for (i = 0; i < 12; i++)
		if (http_lit(p, end, http_months[i]) == 0)
			return i + 1;
	return -1;
}

/* "HH:MM:SS" */
static int
http_clock(const char **p, const char *end, long *hh, long *mm, long *ss)
{
	if ((*hh = http_digits(p, end, 2)) < 0 || http_lit(p, end, ":") ||
	    (*mm = http_digits(p, end, 2)) < 0 || http_lit(p, end, ":") ||
	    (*ss = http_digits(p, end, 2)) < 0)
		return -1;
	if (*hh > 23 || *mm > 59 || *ss > 60)
		return -1;
	return 0;
}

/*
 * RFC 9110 §5.6.7: IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT",
 * obsolete RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT" and asctime
 * "Sun Nov  6 08:49:37 1994".  Returns 0 and Unix seconds in *t.
 */
static int
http_parse_date(const char *p, const char *end, long long now, long long *t)
{
	long day, mon, year, hh, mm, ss;
	const char *q;
	int i, form = 0;

	for (i = 0; i < 7 && form == 0; i++) {
		q = p;
		if (http_lit(&q, end, http_weekdays[i]) == 0 &&
		    http_lit(&q, end, ", ") == 0)
			form = 850;
		else if ((q = p, http_lit(&q, end, http_wkdays[i])) == 0) {
			if (http_lit(&q, end, ", ") == 0)
				form = 1123;
			else if (http_lit(&q, end, " ") == 0)
				form = 1;	/* asctime */
		}
	}
	if (form == 0)
		return -1;
	p = q;
	if (form == 1123) {
		if ((day = http_digits(&p, end, 2)) < 0 || http_lit(&p, end, " ") ||
		    (mon = http_month(&p, end)) < 0 || http_lit(&p, end, " ") ||
		    (year = http_digits(&p, end, 4)) < 0 || http_lit(&p, end, " ") ||
		    http_clock(&p, end, &hh, &mm, &ss) || http_lit(&p, end, " GMT"))
			return -1;
	} else if (form == 850) {
		if ((day = http_digits(&p, end, 2)) < 0 || http_lit(&p, end, "-") ||
		    (mon = http_month(&p, end)) < 0 || http_lit(&p, end, "-") ||
		    (year = http_digits(&p, end, 2)) < 0 || http_lit(&p, end, " ") ||
		    http_clock(&p, end, &hh, &mm, &ss) || http_lit(&p, end, " GMT"))
			return -1;
		/* RFC 9110 §5.6.7: a two-digit year more than 50 years in
		 * the future is the most recent past year with those digits. */
		{
			long long nowyear = 1970 + now / 31556952;
			year += (long)(nowyear / 100) * 100;
			if (year > nowyear + 50)
				year -= 100;
		}
	} else {
		if ((mon = http_month(&p, end)) < 0 || http_lit(&p, end, " "))
			return -1;
		if (p < end && *p == ' ') {
			p++;
			day = http_digits(&p, end, 1);
		} else
			day = http_digits(&p, end, 2);
		if (day < 0 || http_lit(&p, end, " ") ||
		    http_clock(&p, end, &hh, &mm, &ss) || http_lit(&p, end, " ") ||
		    (year = http_digits(&p, end, 4)) < 0)
			return -1;
	}
	if (p != end || day < 1 || day > 31)
		return -1;
	*t = (long long)parse_days_from_civil(year, (unsigned)mon,
	    (unsigned)day) * 86400 +
	    hh * 3600 + mm * 60 + ss;
	return 0;
}

long long
http_retry_after_ms(const char *value, long long now)
{
	/* Longer waits than a day are nonsense from a log intake; the engine
	 * caps waits by its budget anyway, this only bounds the arithmetic. */
	const long long cap_s = 86400;
	const char *p, *end;
	long long v = 0, t;

	if (value == NULL)
		return -1;
	p = value;
	end = value + strlen(value);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p == end)
		return -1;
	if (isdigit((unsigned char)*p)) {
		for (; p < end; p++) {
			if (!isdigit((unsigned char)*p))
				return -1;
			if (v <= cap_s)
				v = v * 10 + (*p - '0');
		}
		return (v > cap_s ? cap_s : v) * 1000;
	}
	if (http_parse_date(p, end, now, &t) == -1)
		return -1;
	if (t <= now)
		return 0;
	return (t - now > cap_s ? cap_s : t - now) * 1000;
}

static ssize_t
http_file_body_read(void *ctx, void *p, size_t cap)
{
	struct http_file_body *fb = ctx;
	ssize_t r;

	if (fb->pos >= fb->len)
		return 0;
	if (cap > fb->len - fb->pos)
		cap = (size_t)(fb->len - fb->pos);
	do {
		r = pread(fb->fd, p, cap, (off_t)(fb->off + fb->pos));
	} while (r == -1 && errno == EINTR);
	if (r <= 0)
		return -1;
	fb->pos += (uint64_t)r;
	return r;
}

static int
http_file_body_rewind(void *ctx)
{
	((struct http_file_body *)ctx)->pos = 0;
	return 0;
}

void
http_request_file_body(struct http_request *rq, struct http_file_body *fb,
    int fd, uint64_t off, uint64_t len)
{
	fb->fd = fd;
	fb->off = off;
	fb->len = len;
	fb->pos = 0;
	rq->body_read = http_file_body_read;
	rq->body_rewind = http_file_body_rewind;
	rq->body_ctx = fb;
	rq->body_size = len;
}
