/*
 * tls.c - the only OpenSSL socket user: a TLS client for syslog (RFC 5425).
 *
 * One SSL_CTX per destination, built once (CA set, client certificate,
 * TLS 1.2 minimum, verification on by default); one SSL per connection on
 * a non-blocking descriptor owned by the caller, every wait bounded by
 * poll(2).  Like OpenBSD syslogd, a CA file that fails to load is an error
 * rather than a silent fall-back to the system CAs.
 *
 * TLS 1.3 moves the server's verdict on a client certificate after the
 * client's handshake is done: SSL_connect() succeeds, and a rejection
 * arrives as an alert a round trip later.  Lines written in that window
 * would count as delivered, so tls_connect() waits (briefly) for the
 * server's first post-handshake message: a session ticket proves it
 * accepted us, an alert proves it did not.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <limits.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net.h"
#include "tls.h"

/* How long a TLS 1.3 client waits for the server's verdict (see above). */
#define TLS_VERDICT_WAIT_MS	300
/*
 * OpenSSL hands each record (16 KiB of plaintext at most) to its BIO on
 * its own, so a run of a megabyte cost 64 write(2) calls and as many TCP
 * pushes, a third of all CPU over tls.  After the handshake the records
 * go through a buffer this large and leave in one system call per buffer.
 */
#define TLS_WBUF		(256u << 10)

struct tls_client {
	SSL_CTX		*ctx;
	int		 verify;
};

struct tls_conn {
	SSL		*ssl;
	int		 fd;
	int		 ticket;	/* the server sent a session ticket */
};

static int tls_conn_index = -1;

/* OpenSSL's reason for the oldest queued error, then clear the queue. */
static void
tls_reason(char *out, size_t cap)
{
	unsigned long code = ERR_get_error();
	const char *r = code != 0 ? ERR_reason_error_string(code) : NULL;
	int n;

	/* OpenSSL 3 files a failed fopen() as a system error: errno. */
	if (code != 0 && ERR_SYSTEM_ERROR(code))
		r = strerror(ERR_GET_REASON(code));

	/* A reason cut to fit is still a reason: only n < 0 matters. */
	if (r != NULL)
		n = snprintf(out, cap, "%s", r);
	else if (code != 0)
		n = snprintf(out, cap, "OpenSSL error %lx", code);
	else
		n = snprintf(out, cap, "unknown TLS error");
	if (n < 0 && cap > 0)
		out[0] = '\0';
	ERR_clear_error();
}

/* A TLS 1.3 session ticket arrived: the server accepted the handshake. */
static int
tls_new_session(SSL *ssl, SSL_SESSION *sess)
{
	struct tls_conn *t = SSL_get_ex_data(ssl, tls_conn_index);

	(void)sess;
	if (t != NULL)
		t->ticket = 1;
	return 0;		/* we keep no session: OpenSSL frees it */
}

struct tls_client *
tls_client_new(const struct tls_config *c, struct err *e)
{
	struct tls_client *t = NULL;
	char why[160];

	ERR_clear_error();
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		err_sys(e, "calloc");
		goto fail;
	}
	t->verify = c->verify;
	if ((t->ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		tls_reason(why, sizeof(why));
		err_set(e, "SSL_CTX_new: %s", why);
		goto fail;
	}
	if (SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION) != 1) {
		tls_reason(why, sizeof(why));
		err_set(e, "TLS 1.2 minimum: %s", why);
		goto fail;
	}
	/* Big writes go out as far as the socket takes them; a retried
	 * write may come from a buffer that moved (same bytes). */
	SSL_CTX_set_mode(t->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_verify(t->ctx, c->verify ? SSL_VERIFY_PEER :
	    SSL_VERIFY_NONE, NULL);
	if (c->ca_file != NULL) {
		if (SSL_CTX_load_verify_locations(t->ctx, c->ca_file,
		    NULL) != 1) {
			tls_reason(why, sizeof(why));
			err_set(e, "ca_file %s: %s", c->ca_file, why);
			goto fail;
		}
	} else if (SSL_CTX_set_default_verify_paths(t->ctx) != 1) {
		tls_reason(why, sizeof(why));
		err_set(e, "system CA certificates: %s", why);
		goto fail;
	}
	if ((c->cert_file == NULL) != (c->key_file == NULL)) {
		err_set(e, "cert_file and key_file go together");
		goto fail;
	}
	if (c->cert_file != NULL) {
		if (SSL_CTX_use_certificate_chain_file(t->ctx,
		    c->cert_file) != 1) {
			tls_reason(why, sizeof(why));
			err_set(e, "cert_file %s: %s", c->cert_file, why);
			goto fail;
		}
		if (SSL_CTX_use_PrivateKey_file(t->ctx, c->key_file,
		    SSL_FILETYPE_PEM) != 1) {
			tls_reason(why, sizeof(why));
			err_set(e, "key_file %s: %s", c->key_file, why);
			goto fail;
		}
		if (SSL_CTX_check_private_key(t->ctx) != 1) {
			tls_reason(why, sizeof(why));
			err_set(e, "key_file %s does not match cert_file %s: %s",
			    c->key_file, c->cert_file, why);
			goto fail;
		}
	}
	/* Ask to hear of session tickets (tls_verdict), keep none. */
	SSL_CTX_set_session_cache_mode(t->ctx, SSL_SESS_CACHE_CLIENT |
	    SSL_SESS_CACHE_NO_INTERNAL_STORE);
	SSL_CTX_sess_set_new_cb(t->ctx, tls_new_session);
	if (tls_conn_index == -1)
		tls_conn_index = SSL_get_ex_new_index(0, NULL, NULL, NULL,
		    NULL);
	return t;
fail:
	tls_client_free(t);
	return NULL;
}

void
tls_client_free(struct tls_client *t)
{
	if (t == NULL)
		return;
	SSL_CTX_free(t->ctx);
	free(t);
}

static int64_t
tls_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Describe a failed SSL call r on t, and classify it. */
static void
tls_fail_text(struct tls_conn *t, int r, const char *what, int verify,
    enum tls_fail *why, struct err *e)
{
	int se = SSL_get_error(t->ssl, r), saved = errno;
	unsigned long code = ERR_peek_error();
	long vr = SSL_get_verify_result(t->ssl);
	char reason[160];

	if (verify && vr != X509_V_OK) {
		*why = TLS_FAIL_VERIFY;
		ERR_clear_error();
		err_set(e, "%s: certificate verify failed: %s", what,
		    X509_verify_cert_error_string(vr));
		return;
	}
	switch (se) {
	case SSL_ERROR_ZERO_RETURN:
		*why = TLS_FAIL_NET;
		err_set(e, "%s: server closed the connection", what);
		break;
	case SSL_ERROR_SYSCALL:
		*why = TLS_FAIL_NET;
		ERR_clear_error();
		if (saved == 0)
			err_set(e, "%s: server closed the connection", what);
		else {
			errno = saved;
			err_sys(e, "%s", what);
		}
		break;
	default:
		/* A protocol failure or an alert from the server
		 * (ERR_GET_REASON >= SSL_AD_REASON_OFFSET): retrying the
		 * same handshake will not help. */
		*why = TLS_FAIL_REJECTED;
		tls_reason(reason, sizeof(reason));
		err_set(e, "%s: %s%s", what, reason,
		    code != 0 && ERR_GET_REASON(code) >= SSL_AD_REASON_OFFSET ?
		    " (alert from the server)" : "");
		break;
	}
}

void
tls_conn_free(struct tls_conn *t)
{
	if (t == NULL)
		return;
	if (t->ssl != NULL) {
		/* One non-blocking try at close_notify; never wait. */
		(void)SSL_shutdown(t->ssl);
		(void)BIO_flush(SSL_get_wbio(t->ssl));
		ERR_clear_error();
		SSL_free(t->ssl);
	}
	free(t);
}

/* The server's verdict after a TLS 1.3 handshake (see the file comment). */
static int
tls_verdict(struct tls_conn *t, enum tls_fail *why, struct err *e)
{
	int64_t deadline = tls_now_ms() + TLS_VERDICT_WAIT_MS, left;
	char scratch[256];
	int r;

	while (!t->ticket) {
		left = deadline - tls_now_ms();
		if (left <= 0)
			return 0;	/* no word from the server: go on */
		r = net_wait(t->fd, POLLIN, (int)left);
		if (r <= 0)
			return 0;
		r = SSL_read(t->ssl, scratch, sizeof(scratch));
		if (r > 0)
			continue;	/* unexpected data: ignore */
		if (SSL_get_error(t->ssl, r) == SSL_ERROR_WANT_READ)
			continue;
		tls_fail_text(t, r, "server refused the connection after the "
		    "handshake", 0, why, e);
		*why = TLS_FAIL_REJECTED;
		return -1;
	}
	return 0;
}

/* Put a TLS_WBUF buffer in front of the socket for writing (see above);
 * reads still come straight from the socket. */
static int
tls_buffer_writes(struct tls_conn *t)
{
	BIO *sock = SSL_get_wbio(t->ssl), *buf;

	if ((buf = BIO_new(BIO_f_buffer())) == NULL)
		return -1;
	if (BIO_set_write_buffer_size(buf, TLS_WBUF) != 1 ||
	    BIO_up_ref(sock) != 1) {
		BIO_free(buf);
		return -1;
	}
	BIO_push(buf, sock);
	SSL_set0_wbio(t->ssl, buf);	/* the SSL owns buf, buf the socket */
	return 0;
}

/* Write out what the buffer holds, waiting at most timeout_ms for each
 * step of progress.  0, or -1 with e set. */
static int
tls_flush(struct tls_conn *t, int timeout_ms, struct err *e)
{
	BIO *wbio = SSL_get_wbio(t->ssl);
	int w;

	for (;;) {
		errno = 0;
		if (BIO_flush(wbio) > 0)
			return 0;
		if (!BIO_should_retry(wbio)) {
			ERR_clear_error();
			if (errno == 0)
				return err_set(e, "write: server closed the "
				    "connection");
			return err_sys(e, "write");
		}
		w = net_wait(t->fd, POLLOUT, timeout_ms);
		if (w == -1)
			return err_sys(e, "poll");
		if (w == 0)
			return err_set(e, "write timed out after %d ms "
			    "(receiver not reading)", timeout_ms);
	}
}

struct tls_conn *
tls_connect(struct tls_client *c, int fd, const char *host, int timeout_ms,
    enum tls_fail *why, struct err *e)
{
	struct tls_conn *t = NULL;
	char ip[NET_HOST_MAX + 1];
	int64_t deadline = tls_now_ms() + timeout_ms, left;
	int r, se, w;
	const char *pct;

	*why = TLS_FAIL_NET;
	ERR_clear_error();
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		err_sys(e, "calloc");
		goto fail;
	}
	t->fd = fd;
	if ((t->ssl = SSL_new(c->ctx)) == NULL ||
	    SSL_set_fd(t->ssl, fd) != 1 ||
	    SSL_set_ex_data(t->ssl, tls_conn_index, t) != 1) {
		tls_reason(ip, sizeof(ip));
		err_set(e, "SSL_new: %s", ip);
		goto fail;
	}
	if (net_host_is_ip(host)) {
		/* An IP literal: no SNI (RFC 6066 §3); match the IP SAN. */
		pct = strchr(host, '%');
		r = snprintf(ip, sizeof(ip), "%.*s", pct != NULL ?
		    (int)(pct - host) : (int)strlen(host), host);
		if (r < 0 || (size_t)r >= sizeof(ip)) {
			err_set(e, "host %s too long", host);
			goto fail;
		}
		if (c->verify && X509_VERIFY_PARAM_set1_ip_asc(
		    SSL_get0_param(t->ssl), ip) != 1) {
			err_set(e, "cannot verify against IP %s", ip);
			goto fail;
		}
	} else {
		if (SSL_set_tlsext_host_name(t->ssl, host) != 1 ||
		    (c->verify && SSL_set1_host(t->ssl, host) != 1)) {
			err_set(e, "cannot verify against host name %s", host);
			goto fail;
		}
		SSL_set_hostflags(t->ssl,
		    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	}
	for (;;) {
		r = SSL_connect(t->ssl);
		if (r == 1)
			break;
		se = SSL_get_error(t->ssl, r);
		if (se != SSL_ERROR_WANT_READ && se != SSL_ERROR_WANT_WRITE) {
			tls_fail_text(t, r, "TLS handshake", c->verify, why, e);
			goto fail;
		}
		left = deadline - tls_now_ms();
		w = left > 0 ? net_wait(fd, se == SSL_ERROR_WANT_READ ?
		    POLLIN : POLLOUT, (int)left) : 0;
		if (w == 0) {
			err_set(e, "TLS handshake: timed out after %d ms",
			    timeout_ms);
			goto fail;
		}
		if (w == -1) {
			err_sys(e, "TLS handshake: poll");
			goto fail;
		}
	}
	if (SSL_version(t->ssl) >= TLS1_3_VERSION &&
	    tls_verdict(t, why, e) == -1)
		goto fail;
	if (tls_buffer_writes(t) == -1) {
		tls_reason(ip, sizeof(ip));
		err_set(e, "write buffer: %s", ip);
		goto fail;
	}
	return t;
fail:
	if (t != NULL && t->ssl != NULL) {
		SSL_free(t->ssl);
		t->ssl = NULL;
	}
	free(t);
	ERR_clear_error();
	return NULL;
}

int
tls_write(struct tls_conn *t, const void *p, size_t n, int timeout_ms,
    size_t *done, struct err *e)
{
	const char *c = p;
	enum tls_fail why;
	size_t pend;
	int r, se, w;

	*done = 0;
	while (*done < n) {
		size_t k = n - *done;

		r = SSL_write(t->ssl, c + *done, k > INT_MAX ? INT_MAX :
		    (int)k);
		if (r > 0) {
			*done += (size_t)r;
			continue;
		}
		se = SSL_get_error(t->ssl, r);
		if (se == SSL_ERROR_WANT_WRITE || se == SSL_ERROR_WANT_READ) {
			w = net_wait(t->fd, se == SSL_ERROR_WANT_READ ? POLLIN :
			    POLLOUT, timeout_ms);
			if (w == -1) {
				err_sys(e, "poll");
				goto fail;
			}
			if (w == 0) {
				err_set(e, "write timed out after %d ms "
				    "(receiver not reading)", timeout_ms);
				goto fail;
			}
			continue;
		}
		tls_fail_text(t, r, "write", 0, &why, e);
		goto fail;
	}
	if (tls_flush(t, timeout_ms, e) == -1)
		goto fail;
	return 0;
fail:
	/* What still sits in our buffer never reached the kernel.  It is
	 * ciphertext, a little longer than the plaintext it carries, so
	 * *done errs on the side of resending. */
	pend = BIO_wpending(SSL_get_wbio(t->ssl));
	*done = *done > pend ? *done - pend : 0;
	return -1;
}

int
tls_peer_closed(struct tls_conn *t, struct err *e)
{
	struct pollfd pfd = { .fd = t->fd, .events = POLLIN | POLLRDHUP };
	enum tls_fail why;
	char scratch[256];
	int r, se;

	if (poll(&pfd, 1, 0) <= 0)
		return 0;
	if (pfd.revents & POLLIN) {
		/* Let OpenSSL read what came: tickets, or an alert. */
		for (;;) {
			errno = 0;
			ERR_clear_error();
			r = SSL_read(t->ssl, scratch, sizeof(scratch));
			if (r > 0)
				continue;
			se = SSL_get_error(t->ssl, r);
			if (se == SSL_ERROR_WANT_READ)
				break;
			if (se == SSL_ERROR_ZERO_RETURN) {
				err_set(e, "server closed the connection "
				    "(close_notify)");
				return 2;
			}
			/* A bare FIN (no close_notify) still means the
			 * server had read everything: see net_peer_closed. */
			if ((se == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 &&
			    errno == 0) || (se == SSL_ERROR_SSL &&
			    ERR_GET_REASON(ERR_peek_error()) ==
			    SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
				ERR_clear_error();
				err_set(e, "server closed the connection");
				return 2;
			}
			tls_fail_text(t, r, "server", 0, &why, e);
			return 1;
		}
	}
	if (pfd.revents & (POLLERR | POLLHUP | POLLRDHUP)) {
		if ((r = net_peer_closed(t->fd, e)) == 0) {
			err_set(e, "server closed the connection");
			r = 1;
		}
		return r;
	}
	return 0;
}

void
tls_describe(const struct tls_conn *t, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s %s", SSL_get_version(t->ssl),
	    SSL_get_cipher_name(t->ssl));

	if (n < 0 && cap > 0)
		out[0] = '\0';
}
