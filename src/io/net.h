/*
 * net.h - plain sockets for the syslog destination: address parsing (pure),
 * connecting udp/tcp/unix sockets with a timeout, writing with a timeout,
 * and noticing a stream peer that went away.
 *
 * Like redis' anet: functions never log and never exit; they return -1 and
 * describe the failure in the caller's struct err, naming the call and the
 * address ("connect 127.0.0.1:514: Connection refused").  Every descriptor
 * is O_CLOEXEC and non-blocking; waiting is done with poll(2) and bounded.
 */
#ifndef AUDITSHIP_NET_H
#define AUDITSHIP_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "err.h"

#define NET_HOST_MAX	253	/* DNS name or IP literal */
#define NET_PATH_MAX	107	/* sun_path minus its NUL */
#define NET_ADDR_TEXT	300	/* "[v6]:port" or a socket path, for messages */

enum net_kind {
	NET_INET,		/* host + port */
	NET_UNIX,		/* socket path */
};

struct net_addr {
	enum net_kind	 kind;
	char		 host[NET_HOST_MAX + 1];	/* no brackets */
	uint16_t	 port;
	int		 v6;		/* host was written as an IPv6 literal */
	char		 path[NET_PATH_MAX + 1];
};

/*
 * Parse an address (pure).  unix_path: the transport is a local socket and
 * s is its path.  Otherwise s is "host:port", "host", "[v6]:port", "[v6]"
 * or a bare IPv6 literal ("::1"); a missing port is def_port.  host is a
 * DNS name or an IPv4/IPv6 literal (an IPv6 literal may carry a %zone).
 * Returns 0, or -1 with a reason in e.
 */
int	net_addr_parse(const char *s, int unix_path, uint16_t def_port,
	    struct net_addr *a, struct err *e);

/* "host:port", "[v6]:port" or the path, for messages (pure, cut to cap). */
void	net_addr_text(const struct net_addr *a, char *out, size_t cap);

/* 1 when host is an IPv4 or IPv6 literal (TLS then checks the IP SAN). */
int	net_host_is_ip(const char *host);

/*
 * Connect a socket of *socktype (SOCK_STREAM or SOCK_DGRAM) to a, waiting
 * at most timeout_ms.  For NET_UNIX a datagram socket is tried first and a
 * path that is a stream socket is connected as one: *socktype says which.
 * Every address a name resolves to is tried in order.  Returns the fd
 * (non-blocking, close-on-exec; the caller closes it) or -1.
 */
int	net_connect(const struct net_addr *a, int *socktype, int timeout_ms,
	    struct err *e);

/*
 * Wait until fd has one of events (POLLIN/POLLOUT); returns the revents,
 * 0 on timeout, -1 on a poll error (EINTR retried).
 */
int	net_wait(int fd, short events, int timeout_ms);

/*
 * Without blocking: has the stream peer gone away?  0: it looks alive;
 * 2: it closed in order (a FIN, nothing pending: it had read everything
 * we sent); 1: it reset the connection or a socket error is pending, so
 * what we sent last may be lost.  The reason goes to e.  Data the peer
 * sent is left alone (syslog receivers never send any).
 */
int	net_peer_closed(int fd, struct err *e);

/*
 * Write p[0..n) to a stream socket.  Waits for the socket to become
 * writable, at most timeout_ms without progress.  *done is the number of
 * bytes the kernel accepted, also on failure.  Returns 0 when all were
 * written, -1 otherwise.
 */
int	net_write(int fd, const void *p, size_t n, int timeout_ms,
	    size_t *done, struct err *e);

/*
 * Wait until the peer's TCP has acknowledged every byte written so far
 * (SIOCOUTQ reaches 0), at most timeout_ms without progress.  Returns 0,
 * or -1 with *unacked the bytes still unacknowledged.  For non-TCP
 * sockets returns 0 at once.
 */
int	net_drain(int fd, int timeout_ms, size_t *unacked, struct err *e);

/*
 * Send datagrams iov[0..n) (one message each) on a connected datagram
 * socket, batching with sendmmsg(2).  Stops at the first message that
 * cannot be sent: returns how many were sent, and when fewer than n, sets
 * *err_no (EMSGSIZE: that message is too big for the transport; anything
 * else: a socket failure, described in e).
 */
size_t	net_send_dgrams(int fd, struct iovec *iov, size_t n, int timeout_ms,
	    int *err_no, struct err *e);

#endif
