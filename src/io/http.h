/*
 * http.h - the only user of libcurl: one request in, status/headers/body out.
 *
 * A client wraps one curl easy handle so connections are kept alive and
 * reused across requests (HTTP/1.1 keep-alive, HTTP/2 when offered over
 * TLS).  Proxies come from the usual https_proxy/no_proxy variables, as
 * libcurl reads them.  Nothing here retries or sleeps: the engine owns that.
 * Headers marked secret, and Authorization, never appear in debug output.
 */
#ifndef AUDITSHIP_HTTP_H
#define AUDITSHIP_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "err.h"

struct http_opts {
	const char	*ca_file;	/* NULL: system CAs */
	int		 verify;	/* verify peer and host name */
	uint64_t	 timeout_ms;	/* whole request; 0: none */
	uint64_t	 connect_timeout_ms; /* 0: min(timeout, 10s) */
	const char	*log_name;	/* "dest NAME" for debug lines */
};

struct http_header {
	const char	*name;
	const char	*value;
	int		 secret;	/* mask in any output */
};

struct http_request {
	const char	*method;	/* GET PUT POST HEAD DELETE */
	const char	*url;
	const struct http_header *headers;
	size_t		 nheaders;
	/* Body from memory ... */
	const void	*body;
	size_t		 body_len;
	/* ... or streamed: read() returns bytes, 0 at end, -1 to abort. */
	ssize_t		(*body_read)(void *ctx, void *p, size_t cap);
	void		*body_ctx;
	uint64_t	 body_size;	/* exact length when streamed */
	/* Optional: start the stream over (0 ok, -1 cannot).  libcurl needs
	 * it to resend on a fresh connection after a reused one was found
	 * closed; without it such a request fails as HTTP_NET_ERROR.
	 * Memory bodies rewind by themselves. */
	int		(*body_rewind)(void *ctx);
	/* Optional: where a 2xx answer's body goes, piece by piece,
	 * instead of rs->body (a download of any size in bounded memory).
	 * Returns 0, or -1 to abort the transfer (HTTP_FATAL).  Other
	 * answers' bodies still go to rs->body, for their error text. */
	int		(*resp_sink)(void *ctx, const void *p, size_t n);
	void		*resp_ctx;
};

struct http_response {
	long		 status;	/* 0 when no HTTP answer came */
	struct buf	 body;		/* first LIM_HTTP_RESP_BODY bytes */
	struct buf	 headers;	/* "name: value\n" lines of the final response */
};

enum http_rc {
	HTTP_OK,		/* an HTTP answer came (any status) */
	HTTP_NET_ERROR,		/* connect/reset/timeout/TLS: retryable */
	HTTP_TLS_ERROR,		/* certificate verification failed */
	HTTP_FATAL,		/* bad URL, out of memory: not retryable */
};

struct http_client *http_client_new(const struct http_opts *o, struct err *e);
void	http_client_free(struct http_client *c);
/* *c, made from o the first time it is needed: 0, or -1 with e set. */
int	http_client_once(struct http_client **c, const struct http_opts *o,
	    struct err *e);
/*
 * An object store's two clients: *hc for requests without a large body,
 * *hc_body for uploads and downloads.  http.c's timeout covers a whole
 * request, so *hc_body's is o's plus max_body bytes at min_rate bytes/s:
 * a slow link still gets the largest object through, a stalled one is
 * given up on eventually.  -1 with e set (free both: either may be set).
 */
int	http_client_pair(const struct http_opts *o, uint64_t max_body,
	    uint64_t min_rate, struct http_client **hc,
	    struct http_client **hc_body, struct err *e);

/*
 * An object store's client set-up (s3, azblob): http_client_pair() from
 * the destination's TLS and timeout settings.
 */
int	http_store_pair(const char *ca_file, int verify, uint64_t timeout_ms,
	    const char *log_name, uint64_t max_body, uint64_t min_rate,
	    struct http_client **hc, struct http_client **hc_body,
	    struct err *e);

/*
 * One object-store request before signing (s3, azblob): the headers the
 * caller adds, and a body from memory or a range of a file.  The signer
 * turns it into a URL and the headers on the wire; http_rq_do() sends it.
 */
#define HTTP_RQ_MAX_HEADERS	24
#define HTTP_RQ_VALUE		512

struct http_rq {
	const char	*method;
	const char	*key;		/* NULL: the bucket/container itself */
	const char	*query;		/* encoded, without '?' */
	struct http_header h[HTTP_RQ_MAX_HEADERS];
	size_t		 nh;
	char		 vals[HTTP_RQ_MAX_HEADERS][HTTP_RQ_VALUE];
	const void	*body;
	size_t		 body_len;
	int		 file;		/* 1: the body is [off, off+len) of fd */
	int		 fd;
	uint64_t	 off, len;
	const char	*payload_hex;	/* s3: NULL, SHA-256 of the memory body */
	/* Optional: a 2xx answer's body piece by piece (resp_sink above). */
	int		(*resp_sink)(void *ctx, const void *p, size_t n);
	void		*resp_ctx;
};

/* An empty request for method on key (NULL: the bucket or container). */
void	http_rq_init(struct http_rq *r, const char *method, const char *key);
/* Add a header (printf value); past HTTP_RQ_MAX_HEADERS it is dropped,
 * which the fixed sets of the callers never reach. */
void	http_rq_hdr(struct http_rq *r, const char *name, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* The body: [off, off+len) of fd. */
void	http_rq_file(struct http_rq *r, int fd, uint64_t off, uint64_t len);
/* Send r to url with the n headers hh (the signed set) on client hc. */
enum http_rc http_rq_do(struct http_client *hc, const struct http_rq *r,
	    const char *url, const struct http_header *hh, size_t n,
	    struct http_response *rs, struct err *e);

/* rs must be zeroed or reset by http_response_init(); the caller frees it
 * with http_response_free().  e says what failed for anything but HTTP_OK.
 * A complete answer that arrives before the whole body was sent (a server
 * deciding on the headers alone) is returned as HTTP_OK with its status. */
void	http_response_init(struct http_response *rs);
void	http_response_free(struct http_response *rs);
enum http_rc http_do(struct http_client *c, const struct http_request *rq,
	    struct http_response *rs, struct err *e);

/* A slice [off, off+len) of an open file, streamed as a request body with
 * pread() (so it can start over on a fresh connection). */
struct http_file_body {
	int		 fd;
	uint64_t	 off, len, pos;
};
/* Point rq's streamed body at fb, set to [off, off+len) of fd; fb must
 * outlive the http_do() call. */
void	http_request_file_body(struct http_request *rq,
	    struct http_file_body *fb, int fd, uint64_t off, uint64_t len);

/*
 * Open a connection to url's host and port (TCP, then the TLS handshake
 * with certificate checks for https) and send nothing: `check --connect`
 * proves reachability without storing anything.  Returns HTTP_OK or the
 * failure class, with e set.
 */
enum http_rc http_connect(struct http_client *c, const char *url,
	    struct err *e);

/* Value of a response header (case-insensitive name), NUL-terminated copy
 * into out (cap bytes); 1 found, 0 absent. */
int	http_header_get(const struct http_response *rs, const char *name,
	    char *out, size_t cap);

/*
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, relative
 * to now (Unix seconds).  Returns milliseconds, or -1 when the value is
 * neither.  Pure.
 */
long long http_retry_after_ms(const char *value, long long now);

/*
 * Mask the password of every "scheme://user:password@" in the
 * NUL-terminated s in place ("scheme://user:****@"): libcurl's verbose text
 * prints proxy URLs from https_proxy and friends as they were given.
 */
void	http_mask_userinfo(char *s);

#endif
