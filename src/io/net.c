/*
 * net.c - sockets for the syslog destination (see net.h).
 *
 * Address parsing is pure and table-tested (test_net_addr.c).  The rest is
 * thin, bounded I/O: non-blocking descriptors, poll(2) with a timeout for
 * every wait, MSG_NOSIGNAL on every stream write (SIGPIPE is ignored at
 * start anyway), and errors that name the call.  TLS lives in tls.c; the
 * framing of what is written lives in fmt_syslog.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "net.h"

#define NET_MMSG_BATCH	64	/* datagrams per sendmmsg(2) */

static int
net_parse_port(const char *s, size_t len, uint16_t *port)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || len > 5)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* An IPv6 literal, with an optional %zone (RFC 6874 style, unescaped). */
static int
net_is_v6(const char *s, size_t len)
{
	char tmp[INET6_ADDRSTRLEN + 1];
	struct in6_addr a6;
	const char *pct = memchr(s, '%', len);
	size_t alen = pct != NULL ? (size_t)(pct - s) : len, i;

	if (alen == 0 || alen >= sizeof(tmp))
		return 0;
	if (pct != NULL) {
		if (pct + 1 == s + len)
			return 0;
		for (i = alen + 1; i < len; i++)
			if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
			    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
			    s[i] == '.' || s[i] == '-' || s[i] == '_'))
				return 0;
	}
	memcpy(tmp, s, alen);
	tmp[alen] = '\0';
	return inet_pton(AF_INET6, tmp, &a6) == 1;
}

/* A DNS name (letters, digits, '-', '_', '.') or an IPv4 literal. */
static int
net_is_hostname(const char *s, size_t len)
{
	size_t i, label = 0;

	if (len == 0 || len > NET_HOST_MAX || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				return 0;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
		if (++label > 63)
			return 0;
	}
	return 1;
}

int
net_host_is_ip(const char *host)
{
	struct in_addr a4;

	return inet_pton(AF_INET, host, &a4) == 1 ||
	    net_is_v6(host, strlen(host));
}

int
net_addr_parse(const char *s, int unix_path, uint16_t def_port,
    struct net_addr *a, struct err *e)
{
	const char *host, *colon, *close;
	size_t hlen, len = strlen(s);

	memset(a, 0, sizeof(*a));
	if (unix_path) {
		a->kind = NET_UNIX;
		if (len == 0)
			return err_set(e, "empty socket path");
		if (len > NET_PATH_MAX)
			return err_set(e, "socket path longer than %d bytes",
			    NET_PATH_MAX);
		memcpy(a->path, s, len + 1);
		return 0;
	}
	a->kind = NET_INET;
	a->port = def_port;
	if (len == 0)
		return err_set(e, "empty address");
	if (s[0] == '[') {
		/* "[v6]" or "[v6]:port" (RFC 3986 §3.2.2 brackets). */
		if ((close = strchr(s, ']')) == NULL)
			return err_set(e, "\"%s\": missing ']'", s);
		host = s + 1;
		hlen = (size_t)(close - host);
		if (!net_is_v6(host, hlen))
			return err_set(e, "\"%s\": not an IPv6 address in "
			    "brackets", s);
		if (close[1] != '\0' && (close[1] != ':' ||
		    net_parse_port(close + 2, strlen(close + 2), &a->port) == -1))
			return err_set(e, "\"%s\": bad port (want [v6]:1-65535)",
			    s);
		a->v6 = 1;
	} else if ((colon = strchr(s, ':')) != NULL &&
	    strchr(colon + 1, ':') != NULL) {
		/* Two colons and no brackets: a bare IPv6 literal. */
		if (!net_is_v6(s, len))
			return err_set(e, "\"%s\": not an IPv6 address (write "
			    "[v6]:port to give a port)", s);
		host = s;
		hlen = len;
		a->v6 = 1;
	} else {
		host = s;
		hlen = colon != NULL ? (size_t)(colon - s) : len;
		if (colon != NULL && net_parse_port(colon + 1,
		    strlen(colon + 1), &a->port) == -1)
			return err_set(e, "\"%s\": bad port (want host:1-65535)",
			    s);
		if (!net_is_hostname(host, hlen))
			return err_set(e, "\"%s\": not a host name or IP "
			    "address", s);
	}
	if (hlen > NET_HOST_MAX)
		return err_set(e, "\"%s\": host longer than %d bytes", s,
		    NET_HOST_MAX);
	memcpy(a->host, host, hlen);
	a->host[hlen] = '\0';
	return 0;
}

void
net_addr_text(const struct net_addr *a, char *out, size_t cap)
{
	int n;

	if (a->kind == NET_UNIX)
		n = snprintf(out, cap, "%s", a->path);
	else if (a->v6)
		n = snprintf(out, cap, "[%s]:%u", a->host, (unsigned)a->port);
	else
		n = snprintf(out, cap, "%s:%u", a->host, (unsigned)a->port);
	if (n < 0 && cap > 0)
		out[0] = '\0';
	/* n >= cap: the text is cut, which is fine for a message. */
}

static int64_t
net_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
net_wait(int fd, short events, int timeout_ms)
{
	struct pollfd pfd;
	int64_t deadline = net_now_ms() + timeout_ms, left;
	int n;

	for (;;) {
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		left = deadline - net_now_ms();
		if (left < 0)
			left = 0;
		n = poll(&pfd, 1, (int)left);
		if (n > 0)
			return pfd.revents;
		if (n == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

/* Wait for a non-blocking connect(2) to finish; 0 or -1 (errno set). */
static int
net_connect_wait(int fd, int timeout_ms)
{
	int r, soerr = 0;
	socklen_t sl = sizeof(soerr);

	r = net_wait(fd, POLLOUT, timeout_ms);
	if (r == -1)
		return -1;
	if (r == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == -1)
		return -1;
	if (soerr != 0) {
		errno = soerr;
		return -1;
	}
	return 0;
}

static int
net_connect_one(int family, int socktype, const struct sockaddr *sa,
    socklen_t salen, int timeout_ms)
{
	int fd, one = 1, saved;

	fd = socket(family, socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (socktype == SOCK_STREAM && family != AF_UNIX) {
		/* Whole batches are written at once; do not hold the tail
		 * back waiting for an ACK (Nagle + delayed ACK). */
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
		(void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one,
		    sizeof(one));
	}
	if (connect(fd, sa, salen) == 0)
		return fd;
	if ((errno == EINPROGRESS || errno == EAGAIN) &&
	    net_connect_wait(fd, timeout_ms) == 0)
		return fd;
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int
net_connect(const struct net_addr *a, int *socktype, int timeout_ms,
    struct err *e)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct sockaddr_un sun;
	char port[8], text[NET_ADDR_TEXT], ip[INET6_ADDRSTRLEN] = "";
	int fd = -1, rc, last = 0;

	net_addr_text(a, text, sizeof(text));
	if (a->kind == NET_UNIX) {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		memcpy(sun.sun_path, a->path, strlen(a->path) + 1);
		*socktype = SOCK_DGRAM;
		fd = net_connect_one(AF_UNIX, SOCK_DGRAM,
		    (struct sockaddr *)&sun, sizeof(sun), timeout_ms);
		if (fd == -1 && errno == EPROTOTYPE) {
			/* The path is a stream socket (syslog-ng, journald
			 * stream): speak stream to it. */
			*socktype = SOCK_STREAM;
			fd = net_connect_one(AF_UNIX, SOCK_STREAM,
			    (struct sockaddr *)&sun, sizeof(sun), timeout_ms);
		}
		if (fd == -1)
			return err_sys(e, "connect %s", text);
		return fd;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = *socktype;
	rc = snprintf(port, sizeof(port), "%u", (unsigned)a->port);
	if (rc < 0 || (size_t)rc >= sizeof(port))
		return err_set(e, "port %u", (unsigned)a->port);
	if ((rc = getaddrinfo(a->host, port, &hints, &res)) != 0)
		return err_set(e, "resolve %s: %s", a->host,
		    rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = net_connect_one(ai->ai_family, ai->ai_socktype,
		    ai->ai_addr, ai->ai_addrlen, timeout_ms);
		if (fd != -1)
			break;
		last = errno;
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, ip, sizeof(ip),
		    NULL, 0, NI_NUMERICHOST) != 0)
			ip[0] = '\0';
	}
	freeaddrinfo(res);
	if (fd != -1)
		return fd;
	errno = last;
	if (last == ETIMEDOUT)
		return err_set(e, "connect %s: timed out after %d ms", text,
		    timeout_ms);
	if (ip[0] != '\0' && strcmp(ip, a->host) != 0)
		return err_sys(e, "connect %s (%s)", text, ip);
	return err_sys(e, "connect %s", text);
}

int
net_peer_closed(int fd, struct err *e)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLRDHUP };
	int soerr = 0;
	socklen_t sl = sizeof(soerr);
	char c;
	ssize_t r;

	if (poll(&pfd, 1, 0) <= 0)
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 &&
	    soerr != 0) {
		errno = soerr;
		err_sys(e, "connection failed");
		return 1;
	}
	if (!(pfd.revents & (POLLIN | POLLHUP | POLLRDHUP | POLLERR)))
		return 0;
	r = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	if (r == 0) {
		/* A FIN with nothing unread: Linux answers close() with a
		 * RST when unread data remains, so the peer read it all. */
		err_set(e, "peer closed the connection");
		return 2;
	}
	if (r == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR) {
		err_sys(e, "connection failed");
		return 1;
	}
	if (pfd.revents & (POLLHUP | POLLRDHUP | POLLERR)) {
		err_set(e, "peer closed the connection");
		return 1;
	}
	return 0;
}

int
net_write(int fd, const void *p, size_t n, int timeout_ms, size_t *done,
    struct err *e)
{
	const char *c = p;
	ssize_t w;
	int r;

	*done = 0;
	while (*done < n) {
		w = send(fd, c + *done, n - *done, MSG_NOSIGNAL);
		if (w > 0) {
			*done += (size_t)w;
			continue;
		}
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			r = net_wait(fd, POLLOUT, timeout_ms);
			if (r == -1)
				return err_sys(e, "poll");
			if (r == 0)
				return err_set(e, "write timed out after %d ms "
				    "(receiver not reading)", timeout_ms);
			continue;
		}
		return err_sys(e, "write");
	}
	return 0;
}

int
net_drain(int fd, int timeout_ms, size_t *unacked, struct err *e)
{
	int outq = 0, last = -1;
	int64_t since = net_now_ms();
	struct pollfd pfd;

	*unacked = 0;
	for (;;) {
		if (ioctl(fd, SIOCOUTQ, &outq) == -1) {
			if (errno == ENOTTY || errno == EOPNOTSUPP ||
			    errno == EINVAL)
				return 0;	/* not TCP */
			return err_sys(e, "ioctl SIOCOUTQ");
		}
		*unacked = outq > 0 ? (size_t)outq : 0;
		if (outq <= 0)
			return 0;
		if (outq != last) {
			last = outq;
			since = net_now_ms();
		} else if (net_now_ms() - since > timeout_ms)
			return err_set(e, "%d bytes unacknowledged after %d ms "
			    "(receiver not reading)", outq, timeout_ms);
		/* No event says "all acked": sleep briefly, but wake on an
		 * error or hang-up so a dead peer is noticed at once. */
		pfd.fd = fd;
		pfd.events = POLLRDHUP;
		pfd.revents = 0;
		if (poll(&pfd, 1, 1) > 0 &&
		    (pfd.revents & (POLLERR | POLLHUP | POLLRDHUP))) {
			int soerr = 0;
			socklen_t sl = sizeof(soerr);

			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr,
			    &sl) == 0 && soerr != 0) {
				errno = soerr;
				return err_sys(e, "connection failed with %d "
				    "bytes unacknowledged", outq);
			}
			return err_set(e, "peer closed the connection with %d "
			    "bytes unacknowledged", outq);
		}
	}
}

size_t
net_send_dgrams(int fd, struct iovec *iov, size_t n, int timeout_ms,
    int *err_no, struct err *e)
{
	struct mmsghdr mm[NET_MMSG_BATCH];
	size_t sent = 0, k, i;
	int r, w;

	*err_no = 0;
	while (sent < n) {
		k = n - sent < NET_MMSG_BATCH ? n - sent : NET_MMSG_BATCH;
		memset(mm, 0, sizeof(mm[0]) * k);
		for (i = 0; i < k; i++) {
			mm[i].msg_hdr.msg_iov = &iov[sent + i];
			mm[i].msg_hdr.msg_iovlen = 1;
		}
		w = sendmmsg(fd, mm, (unsigned)k, MSG_NOSIGNAL);
		if (w > 0) {
			sent += (size_t)w;
			continue;
		}
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == ENOBUFS)) {
			/* A local receiver's queue is full: wait for room. */
			r = net_wait(fd, POLLOUT, timeout_ms);
			if (r == -1 || r == 0) {
				*err_no = r == 0 ? ETIMEDOUT : errno;
				if (r == 0)
					err_set(e, "send timed out after %d ms "
					    "(receiver not reading)", timeout_ms);
				else
					err_sys(e, "poll");
				return sent;
			}
			continue;
		}
		*err_no = errno;
		if (errno != EMSGSIZE)
			err_sys(e, "send");
		return sent;
	}
	return sent;
}
