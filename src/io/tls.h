/*
 * tls.h - the OpenSSL client for syslog over TLS (RFC 5425).
 *
 * TLS 1.2 or later; the server's certificate chain and its name (DNS name,
 * or IP address SAN when the address is an IP literal) are verified unless
 * the caller turns verification off; a client certificate and key make it
 * mutual TLS.  The library never logs: failures are described in struct
 * err, certificate problems with OpenSSL's own reason ("certificate verify
 * failed: unable to get local issuer certificate", "hostname mismatch").
 * The descriptor stays the caller's: tls_conn_free() does not close it.
 */
#ifndef AUDITSHIP_TLS_H
#define AUDITSHIP_TLS_H

#include <stddef.h>

#include "err.h"

struct tls_config {
	const char	*ca_file;	/* NULL: the system's CAs */
	const char	*cert_file;	/* client certificate (chain), PEM */
	const char	*key_file;	/* its private key, PEM */
	int		 verify;	/* 0: accept any server (warned by caller) */
};

struct tls_client;			/* one per destination (SSL_CTX) */
struct tls_conn;			/* one per connection (SSL) */

/* Why a tls_connect() failed, so the caller can tell "retry later" from
 * "this will not work until someone fixes the configuration". */
enum tls_fail {
	TLS_FAIL_NET,			/* connection lost, timeout: retry */
	TLS_FAIL_VERIFY,		/* we rejected the server's certificate */
	TLS_FAIL_REJECTED,		/* the server rejected us (alert) */
};

/*
 * Build the client context: load ca_file (or the default paths), the
 * client certificate and key (checked to match).  Reads files, no network.
 * Returns the context (free with tls_client_free) or NULL with e set.
 */
struct tls_client *tls_client_new(const struct tls_config *c, struct err *e);
void	tls_client_free(struct tls_client *c);

/*
 * Handshake on the connected non-blocking stream fd, verifying the server
 * as host (a name or an IP literal), within timeout_ms.  With TLS 1.3 it
 * also waits briefly for the server's first post-handshake message, so a
 * server that rejects our client certificate after the handshake is seen
 * here and not after data was written.  Returns the connection or NULL
 * with e set and *why saying which kind of failure it was.
 */
struct tls_conn *tls_connect(struct tls_client *c, int fd, const char *host,
	    int timeout_ms, enum tls_fail *why, struct err *e);

/* Like net_write(): all of p[0..n), *done the bytes accepted, 0 or -1. */
int	tls_write(struct tls_conn *t, const void *p, size_t n, int timeout_ms,
	    size_t *done, struct err *e);

/* Without blocking, as net_peer_closed(): 0 alive, 2 closed in order
 * (close_notify, or a FIN after all we sent was read), 1 reset, alert or
 * error (reason in e).  Reads and discards what the server sent (session
 * tickets). */
int	tls_peer_closed(struct tls_conn *t, struct err *e);

/* Protocol and cipher, e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384". */
void	tls_describe(const struct tls_conn *t, char *out, size_t cap);

/* Send close_notify when it can go out at once, then free.  NULL is ok. */
void	tls_conn_free(struct tls_conn *t);

#endif
