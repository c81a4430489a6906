/*
 * dest_syslog.c - the syslog destination (SPEC §2.3 type = syslog, §3.1,
 * §3.2, §3.3): udp, tcp, tls (RFC 5425) and local unix sockets.
 *
 * send() formats a run of lines into one buffer (fmt_syslog.c) and writes
 * it with as few system calls as possible: one write loop for a stream,
 * sendmmsg(2) for datagrams.  A line counts as acknowledged when its
 * record's bytes were written (SPEC §3.1) and, on TCP, acknowledged by the
 * peer's TCP (SIOCOUTQ drained), so a receiver that dies while our send
 * queue still holds data does not lose it silently.
 *
 * A receiver that goes away (restart, reset) is noticed before a write
 * burst (FIN/RST/alert seen on the socket) or by the failed write; send()
 * returns DEST_RETRY with *nacked exact and the engine backs off and calls
 * again, when we reconnect.  What the old receiver may have accepted but
 * not read (its socket buffer at the moment it died) cannot be known, so
 * on the new connection we first resend the records of the last runs we
 * wrote, at least SYSLOG_RESEND_BYTES of them: duplicates, which downstream
 * removes by the SD file/offset, rather than a silent gap.  What is kept
 * for that is not the records (16 MiB of memory, more than our budget)
 * but where their lines are: the daily file, first and last offset, count
 * and length.  A resend asks the engine for those lines again
 * (dest->reread; append-only audit files still hold them seconds later),
 * formats them again and checks that count and length agree; a file that
 * changed under us is reported, never silently skipped.
 *
 * Not here: retry timing, offsets, batching policy (ship.c); record
 * layout (fmt_syslog.c); sockets and TLS (net.c, tls.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dest.h"
#include "fmt_syslog.h"
#include "caps.h"
#include "log.h"
#include "seal.h"
#include "net.h"
#include "syslog_ident.h"
#include "tls.h"

/*
 * Records resent after a broken connection, at least.  They must cover
 * what a receiver killed mid-stream may have accepted but not read: its
 * kernel receive buffer (Linux autotunes up to tcp_rmem's max, 6 MiB by
 * default) plus its own in-memory queue.  8 MiB proved too tight in
 * restart tests (syslog_restart.sh: a few hundred lines of 60,000 lost
 * one run in ten); 16 MiB doubles the margin.  The window is file
 * positions (see the file comment), so its size costs duplicates, not
 * memory; at most SYSLOG_KEPT runs, which small runs in follow mode
 * never fill.
 */
#define SYSLOG_RESEND_BYTES		(16u << 20)
#define SYSLOG_KEPT			64
#define SYSLOG_UDP_MAX_MESSAGE		2048
#define CFG_NUM_(x)			#x
#define CFG_NUM(x)			CFG_NUM_(x)

/* The delivered lines of one earlier run, for a resend. */
struct syslog_kept {
	char			*dir;		/* the stream's directory */
	char			*name;		/* daily file (no .gz) */
	char			*user;		/* its stream's owner (SD user=) */
	uint64_t		 first, last;	/* offsets of first, last line */
	size_t			 nlines;
	uint64_t		 bytes;		/* sum of the lines' lengths */
	size_t			 rec_bytes;	/* their records, as written */
};

enum syslog_transport {
	SYSLOG_UDP,
	SYSLOG_TCP,
	SYSLOG_TLS,
	SYSLOG_UNIX,
};

struct syslog_priv {
	enum syslog_transport	 transport;
	struct net_addr		 addr;
	char			 text[NET_ADDR_TEXT];
	enum fmt_syslog_framing	 framing;	/* on a stream */
	struct fmt_syslog	 fmt;
	struct buf		 host;
	char			 app[FMT_SYSLOG_APP_MAX + 1];
	uint64_t		 max_message;	/* datagrams only */
	int			 timeout_ms;	/* connect; write without progress */
	struct tls_client	*tls;

	int			 fd;
	int			 socktype;
	struct tls_conn		*conn;
	int			 broke;		/* last connection failed */

	struct buf		 w;		/* this run's records */
	/* Earlier runs, oldest first from kept[head], for a resend. */
	struct syslog_kept	 kept[SYSLOG_KEPT];
	size_t			 head, nkept, kept_bytes;
	size_t			*ends;		/* record end of each line */
	struct iovec		*iov;
	size_t			*iov_line;	/* line of each datagram */
};

static const char *const syslog_transports[] = { "udp", "tcp", "tls", "unix" };

/* "FILE:LINE: [destination NAME] key: reason" (SPEC §2). */
static int
syslog_conf_err(struct dest *d, struct err *e, const char *key,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
syslog_conf_err(struct dest *d, struct err *e, const char *key,
    const char *fmt, ...)
{
	char why[LIM_ERR_MSG];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (n < 0)
		why[0] = '\0';
	return err_set(e, "%s:%d: [destination %s] %s: %s",
	    d->cfg != NULL && d->cfg->path != NULL ? d->cfg->path : "config",
	    conf_line(d->conf, key), d->name, key, why);
}

static void
syslog_disconnect(struct syslog_priv *p)
{
	tls_conn_free(p->conn);
	p->conn = NULL;
	if (p->fd != -1)
		close(p->fd);
	p->fd = -1;
}

static void
syslog_close(struct dest *d)
{
	struct syslog_priv *p = d->priv;
	size_t i;

	if (p == NULL)
		return;
	syslog_disconnect(p);
	tls_client_free(p->tls);
	buf_free(&p->host);
	buf_free(&p->w);
	for (i = 0; i < SYSLOG_KEPT; i++) {
		free(p->kept[i].dir);
		free(p->kept[i].name);
		free(p->kept[i].user);
	}
	free(p->ends);
	free(p->iov);
	free(p->iov_line);
	free(p);
	d->priv = NULL;
}

/* ---- configuration (SPEC §2.3 type = syslog) --------------------- */

static int
syslog_def_address(const struct conf_section *s, struct buf *out)
{
	const char *t = conf_str(s, "transport");

	if (strcmp(t, "unix") == 0)
		return buf_adds(out, "/dev/log");
	return buf_adds(out, strcmp(t, "tls") == 0 ? "127.0.0.1:6514" :
	    "127.0.0.1:514");
}

static int
syslog_def_max_message(const struct conf_section *s, struct buf *out)
{
	return buf_adds(out, strcmp(conf_str(s, "transport"), "udp") == 0 ?
	    CFG_NUM(SYSLOG_UDP_MAX_MESSAGE) : "1M");
}

static const struct conf_key syslog_keys[] = {
	{ "type", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0, NULL },
	{ "transport", CONF_ENUM, "tcp", 0, "udp|tcp|tls|unix", 0, 0, NULL },
	/* 127.0.0.1:514, :6514 for tls, /dev/log for unix. */
	{ "address", CONF_STR, NULL, 0, NULL, 0, 0, syslog_def_address },
	{ "format", CONF_ENUM, "rfc5424", 0, "rfc5424|rfc3164", 0, 0, NULL },
	{ "framing", CONF_ENUM, "octet-counting", 0,
	    "octet-counting|newline", 0, 0, NULL },
	SYSLOG_IDENT_KEYS,
	/* 2048 for udp, 1M otherwise. */
	{ "max_message", CONF_SIZE, NULL, 0, NULL, 64, LIM_LINE_MAX,
	    syslog_def_max_message },
	{ "ca_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0, NULL },
	{ "cert_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0, NULL },
	{ "key_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0, NULL },
	{ "verify", CONF_BOOL, "true", 0, NULL, 0, 0, NULL },
	{ "timeout", CONF_DURATION, DEST_TIMEOUT_DEFAULT, 0, NULL, 1,
	    24LL * 3600 * 1000, NULL },
	{ "seal", CONF_BOOL, "true", 0, NULL, 0, 0, NULL },	/* SPEC §7 */
};

static int
syslog_check(const struct conf_section *s, struct conf_report *r)
{
	static const char *const tls_keys[] = { "ca_file", "cert_file",
	    "key_file", "verify" };
	const char *t = conf_str(s, "transport");
	int bad = 0;
	size_t i;

	if (conf_is_set(s, "framing") && (strcmp(t, "udp") == 0 ||
	    strcmp(t, "unix") == 0))
		bad |= conf_reject(r, s, conf_line(s, "framing"), "framing",
		    "applies to transport tcp or tls only, not %s", t);
	bad |= syslog_ident_check_cert(s, r);
	if (strcmp(t, "tls") != 0)
		for (i = 0; i < sizeof(tls_keys) / sizeof(tls_keys[0]); i++)
			if (conf_is_set(s, tls_keys[i]))
				bad |= conf_reject(r, s, conf_line(s,
				    tls_keys[i]), tls_keys[i],
				    "only used with transport = tls");
	bad |= syslog_ident_check_app(s, r);
	return bad ? -1 : 0;
}

static int
syslog_open(struct dest *d, struct err *e)
{
	const struct conf_section *s = d->conf;
	struct syslog_priv *p;
	struct tls_config tc;
	struct err sub;
	const char *bad = NULL;

	err_clear(&sub);
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return err_sys(e, "calloc");
	d->priv = p;
	p->fd = -1;
	buf_init(&p->host, FMT_SYSLOG_HOST_MAX + 1);
	buf_init(&p->w, LIM_SYSLOG_WBUF);

	/* The table's choices are in the order of enum syslog_transport. */
	p->transport = (enum syslog_transport)conf_num(s, "transport");
	if (net_addr_parse(conf_str(s, "address"), p->transport == SYSLOG_UNIX,
	    p->transport == SYSLOG_TLS ? 6514 : 514, &p->addr, &sub) == -1)
		return syslog_conf_err(d, e, "address", "%s", sub.msg);
	net_addr_text(&p->addr, p->text, sizeof(p->text));
	p->fmt.format = conf_num(s, "format") == 1 ? FMT_SYSLOG_RFC3164 :
	    FMT_SYSLOG_RFC5424;
	p->framing = conf_num(s, "framing") == 1 ? FMT_SYSLOG_FRAME_NEWLINE :
	    FMT_SYSLOG_FRAME_OCTET;
	/* A unix stream socket gets octet counting, which rsyslog and
	 * syslog-ng detect (check() refuses framing with udp and unix). */
	if (fmt_syslog_pri(conf_str(s, "facility"), conf_str(s, "severity"),
	    &p->fmt.pri, &bad) == -1)
		return syslog_conf_err(d, e, bad == conf_str(s, "facility") ?
		    "facility" : "severity", "\"%s\": not a syslog.h name",
		    bad);
	p->max_message = conf_num(s, "max_message");
	d->timeout_ms = conf_num(s, "timeout");
	p->timeout_ms = (int)d->timeout_ms;

	if (syslog_ident_set(d, conf_str(s, "app_name"), &p->fmt, &p->host,
	    p->app, e) == -1)
		return -1;

	if (p->transport == SYSLOG_TLS) {
		memset(&tc, 0, sizeof(tc));
		tc.ca_file = conf_str(s, "ca_file");
		tc.cert_file = conf_str(s, "cert_file");
		tc.key_file = conf_str(s, "key_file");
		tc.verify = conf_bool(s, "verify");
		if ((p->tls = tls_client_new(&tc, &sub)) == NULL) {
			/* tls.c names the file's key first: point at it. */
			const char *key = strncmp(sub.msg, "cert_file", 9) == 0 ?
			    "cert_file" : strncmp(sub.msg, "key_file", 8) == 0 ?
			    "key_file" : "ca_file";

			if (conf_is_set(s, key))
				return err_set(e, "%s:%d: [destination %s] %s",
				    d->cfg != NULL ? d->cfg->path : "config",
				    conf_line(s, key), d->name, sub.msg);
			return err_set(e, "[destination %s] %s", d->name,
			    sub.msg);
		}
		if (!tc.verify)
			log_dest(LOG_LVL_WARN, d->name, "verify = false: the "
			    "server's certificate and name are NOT checked; "
			    "anyone on the path can read and alter the audit "
			    "trail");
	}

	p->ends = calloc(LIM_SYSLOG_BATCH_LINES, sizeof(*p->ends));
	p->iov = calloc(LIM_SYSLOG_BATCH_LINES, sizeof(*p->iov));
	p->iov_line = calloc(LIM_SYSLOG_BATCH_LINES, sizeof(*p->iov_line));
	if (p->ends == NULL || p->iov == NULL || p->iov_line == NULL)
		return err_sys(e, "calloc");
	d->max_batch_lines = LIM_SYSLOG_BATCH_LINES;
	d->max_batch_bytes = LIM_SYSLOG_BATCH_BYTES;
	return 0;
}

/*
 * Connect (and handshake).  DEST_RETRY for what may pass (refused, reset,
 * timeout), DEST_STOP for what will not until the configuration changes
 * (certificate rejected either way).
 */
static enum dest_rc
syslog_connect(struct dest *d, struct err *e)
{
	struct syslog_priv *p = d->priv;
	struct err sub;
	enum tls_fail why;
	char desc[96];

	err_clear(&sub);
	p->socktype = p->transport == SYSLOG_UDP ? SOCK_DGRAM : SOCK_STREAM;
	p->fd = net_connect(&p->addr, &p->socktype, p->timeout_ms,
	    &sub);
	if (p->fd == -1) {
		err_set(e, "%s", sub.msg);
		return DEST_RETRY;
	}
	if (p->transport == SYSLOG_TLS) {
		p->conn = tls_connect(p->tls, p->fd, p->addr.host,
		    p->timeout_ms, &why, &sub);
		if (p->conn == NULL) {
			syslog_disconnect(p);
			err_set(e, "%s: %s", p->text, sub.msg);
			return why == TLS_FAIL_NET ? DEST_RETRY : DEST_STOP;
		}
		tls_describe(p->conn, desc, sizeof(desc));
		log_dest(LOG_LVL_DEBUG, d->name, "connected to %s (%s)",
		    p->text, desc);
	} else
		log_dest(LOG_LVL_DEBUG, d->name, "connected to %s (%s%s)",
		    p->text, syslog_transports[p->transport],
		    p->transport == SYSLOG_UNIX ? (p->socktype == SOCK_STREAM ?
		    " stream" : " datagram") : "");
	return DEST_OK;
}

static int
syslog_write(struct syslog_priv *p, const char *b, size_t n, size_t *done,
    struct err *e)
{
	if (p->conn != NULL)
		return tls_write(p->conn, b, n, p->timeout_ms, done, e);
	return net_write(p->fd, b, n, p->timeout_ms, done, e);
}

/* Whether the stream's receiver went away since our last write: 0 no,
 * 2 in order (it read everything), 1 so that data may be lost. */
static int
syslog_peer_gone(struct syslog_priv *p, struct err *e)
{
	if (p->socktype != SOCK_STREAM)
		return 0;
	if (p->conn != NULL)
		return tls_peer_closed(p->conn, e);
	return net_peer_closed(p->fd, e);
}

/* Forget the oldest kept run. */
static void
syslog_kept_drop(struct syslog_priv *p)
{
	struct syslog_kept *k = &p->kept[p->head];

	p->kept_bytes -= k->rec_bytes;
	free(k->dir);
	free(k->name);
	free(k->user);
	memset(k, 0, sizeof(*k));
	p->head = (p->head + 1) % SYSLOG_KEPT;
	p->nkept--;
}

/* Remember where the n delivered lines of this run are, and drop what the
 * window no longer needs: runs older than SYSLOG_RESEND_BYTES of records. */
static void
syslog_kept_add(struct syslog_priv *p, const struct dest_batch *b, size_t n,
    size_t rec_bytes)
{
	const struct dest_file *f = b->file;
	struct syslog_kept *k;
	size_t i;

	if (n == 0)
		return;
	if (f == NULL || f->stream_dir == NULL || f->name == NULL)
		return;		/* never from the engine */
	if (p->nkept == SYSLOG_KEPT)
		syslog_kept_drop(p);
	k = &p->kept[(p->head + p->nkept) % SYSLOG_KEPT];
	k->dir = strdup(f->stream_dir);
	k->name = strdup(f->name);
	k->user = strdup(f->user != NULL ? f->user : "");
	if (k->dir == NULL || k->name == NULL || k->user == NULL) {
		/* Out of memory: this run cannot be resent. */
		free(k->dir);
		free(k->name);
		free(k->user);
		memset(k, 0, sizeof(*k));
		return;
	}
	k->first = b->lines[0].offset;
	k->last = b->lines[n - 1].offset;
	k->nlines = n;
	k->bytes = 0;
	for (i = 0; i < n; i++)
		k->bytes += b->lines[i].len;
	k->rec_bytes = rec_bytes;
	p->nkept++;
	p->kept_bytes += rec_bytes;
	while (p->nkept > 1 && p->kept_bytes - p->kept[p->head].rec_bytes >=
	    SYSLOG_RESEND_BYTES)
		syslog_kept_drop(p);
}

/* One resend in progress: the records of a kept run, written in
 * batches as dest->reread() hands their lines back. */
struct syslog_resend {
	struct syslog_priv	*p;
	const struct syslog_kept *k;
	struct timespec		 now;
	size_t			 nlines;
	uint64_t		 bytes;
	int			 net;		/* a write failed */
};

static int
syslog_resend_flush(struct syslog_resend *rs, struct err *e)
{
	struct buf *w = &rs->p->w;
	size_t done;

	if (w->len == 0)
		return 0;
	if (syslog_write(rs->p, w->p, w->len, &done, e) == -1) {
		rs->net = 1;
		return -1;
	}
	buf_reset(w);
	return 0;
}

/* dest_line_fn: format one line again, write when the buffer is full. */
static int
syslog_resend_line(void *arg, const struct dest_line *l, struct err *e)
{
	struct syslog_resend *rs = arg;
	size_t msglen;
	unsigned what = 0;

	if (fmt_syslog_record(&rs->p->w, &rs->p->fmt, rs->k->user, rs->k->name,
	    l->p, l->len, l->offset, l->flags & DEST_LINE_FRAGMENT ?
	    FMT_SYSLOG_LINE_FRAGMENT : 0, (int64_t)rs->now.tv_sec,
	    (uint32_t)(rs->now.tv_nsec / 1000), &msglen, &what) == -1)
		return err_set(e, "line at offset %llu too large to format",
		    (unsigned long long)l->offset);
	rs->nlines++;
	rs->bytes += l->len;
	if (rs->p->w.len >= LIM_SYSLOG_BATCH_BYTES)
		return syslog_resend_flush(rs, e);
	return 0;
}

/* Format and write the kept run k again, its lines read back by the
 * engine.  0, or -1 with e set: a write failure (*net set) or the file no
 * longer holding the lines (reported by the caller, the resend goes on
 * with the next run). */
static int
syslog_resend_run(struct dest *d, const struct syslog_kept *k, int *net,
    struct err *e)
{
	struct syslog_priv *p = d->priv;
	struct syslog_resend rs;
	int result = -1;

	memset(&rs, 0, sizeof(rs));
	rs.p = p;
	rs.k = k;
	clock_gettime(CLOCK_REALTIME, &rs.now);
	buf_reset(&p->w);
	if (d->reread == NULL) {
		err_set(e, "internal: no re-read outside the engine");
		goto out;
	}
	if (d->reread(d, k->dir, k->name, k->first, k->last,
	    syslog_resend_line, &rs, e) == -1 || syslog_resend_flush(&rs,
	    e) == -1)
		goto out;
	if (rs.nlines != k->nlines || rs.bytes != k->bytes) {
		err_set(e, "%s/%s changed since it was shipped: found %zu lines "
		    "of %llu bytes from offset %llu to %llu where %zu lines of "
		    "%llu bytes were sent", k->dir, k->name, rs.nlines,
		    (unsigned long long)rs.bytes, (unsigned long long)k->first,
		    (unsigned long long)k->last, k->nlines,
		    (unsigned long long)k->bytes);
		goto out;
	}
	result = 0;
out:
	*net = rs.net;
	if (p->w.cap > LIM_SYSLOG_KEEP)
		buf_free(&p->w);
	return result;
}

/*
 * On a new connection after a broken one: resend the records of the kept
 * runs (see the file comment), oldest first.
 */
static int
syslog_replay(struct dest *d, struct err *e)
{
	struct syslog_priv *p = d->priv;
	struct err sub;
	size_t total = 0, k;
	int net;

	for (k = 0; k < p->nkept; k++) {
		const struct syslog_kept *kr =
		    &p->kept[(p->head + k) % SYSLOG_KEPT];

		err_clear(&sub);
		if (syslog_resend_run(d, kr, &net, &sub) == -1) {
			if (net)
				return err_set(e, "%s", sub.msg);
			/* The lines are gone from the file: say so loudly,
			 * as the gap it may be, and resend the rest. */
			log_dest(LOG_LVL_ERROR, d->name, "reconnected to %s but "
			    "could NOT resend %zu lines the old connection may "
			    "not have delivered: %s", p->text, kr->nlines,
			    sub.msg);
			continue;
		}
		total += kr->rec_bytes;
	}
	if (total > 0)
		log_dest(LOG_LVL_INFO, d->name, "reconnected to %s; resent the "
		    "last %zu bytes of records, which the old connection may "
		    "not have delivered (duplicates carry the same file and "
		    "offset)", p->text, total);
	return 0;
}

/* Lines whose records end at or before byte n of the run. */
static size_t
syslog_lines_within(const struct syslog_priv *p, size_t nlines, size_t n)
{
	size_t lo = 0, hi = nlines;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->ends[mid] <= n)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Datagrams: one per record, lines over max_message reported, not sent. */
static enum dest_rc
syslog_send_dgrams(struct dest *d, const struct dest_batch *b,
    size_t *nacked, struct err *e)
{
	struct syslog_priv *p = d->priv;
	struct buf *w = &p->w;
	size_t i, n = 0, start = 0, sent, over = 0, largest = 0;
	uint64_t first_off = 0;
	struct err sub;
	int err_no;

	err_clear(&sub);
	for (i = 0; i < b->nlines; i++) {
		size_t end = p->ends[i];

		if (end - start > p->max_message) {
			/* RFC 5426 §3.2: a datagram may not be cut silently;
			 * SPEC §2.3: report and count it, keep going. */
			if (over++ == 0)
				first_off = b->lines[i].offset;
			if (end - start > largest)
				largest = end - start;
		} else {
			p->iov[n].iov_base = w->p + start;
			p->iov[n].iov_len = end - start;
			p->iov_line[n++] = i;
		}
		start = end;
	}
	sent = net_send_dgrams(p->fd, p->iov, n, p->timeout_ms,
	    &err_no, &sub);
	while (sent < n && err_no == EMSGSIZE) {
		/* Over what the socket can carry at all. */
		i = p->iov_line[sent];
		if (over++ == 0 || b->lines[i].offset < first_off)
			first_off = b->lines[i].offset;
		if (p->iov[sent].iov_len > largest)
			largest = p->iov[sent].iov_len;
		sent++;
		sent += net_send_dgrams(p->fd, p->iov + sent, n - sent,
		    p->timeout_ms, &err_no, &sub);
	}
	d->counts.oversize += over;
	if (over > 0)
		log_dest(LOG_LVL_WARN, d->name, "%zu line(s) of %s longer than "
		    "max_message = %llu bytes or than a %s datagram can carry "
		    "were NOT sent (largest %zu bytes, first at offset %llu); "
		    "use transport = tcp or tls for big events", over,
		    b->file->name, (unsigned long long)p->max_message,
		    syslog_transports[p->transport], largest,
		    (unsigned long long)first_off);
	*nacked = sent < n ? p->iov_line[sent] : b->nlines;
	if (sent < n) {
		syslog_disconnect(p);
		err_set(e, "%s: %s", p->text, sub.msg);
		return DEST_RETRY;
	}
	return DEST_OK;
}

/* Connect, and resend what a broken stream may have lost. */
static enum dest_rc
syslog_reconnect(struct dest *d, struct err *e)
{
	struct syslog_priv *p = d->priv;
	struct err sub;
	enum dest_rc rc;

	err_clear(&sub);
	if ((rc = syslog_connect(d, e)) != DEST_OK)
		return rc;
	if (p->broke && p->socktype == SOCK_STREAM &&
	    syslog_replay(d, &sub) == -1) {
		syslog_disconnect(p);
		err_set(e, "%s: %s", p->text, sub.msg);
		return DEST_RETRY;
	}
	p->broke = 0;
	return DEST_OK;
}

static enum dest_rc
syslog_send(struct dest *d, const struct dest_batch *b, size_t *nacked,
    struct err *e)
{
	struct syslog_priv *p = d->priv;
	struct buf *w;
	struct timespec now;
	struct err sub;
	size_t i, msglen, done = 0, unacked = 0, n;
	unsigned what = 0;
	enum dest_rc rc;
	int failed = 0, gone;

	*nacked = 0;
	err_clear(&sub);
	if (b->nlines > LIM_SYSLOG_BATCH_LINES)
		return err_set(e, "internal: %zu lines in one run", b->nlines),
		    DEST_STOP;
	if (p->fd != -1 && (gone = syslog_peer_gone(p, &sub)) != 0) {
		/* Noticed before writing into a dead socket.  An orderly
		 * close came after the receiver read all we wrote (and the
		 * last run was drained): nothing to resend. */
		log_dest(gone == 2 ? LOG_LVL_INFO : LOG_LVL_WARN, d->name,
		    "%s: %s; reconnecting", p->text, sub.msg);
		err_clear(&sub);
		syslog_disconnect(p);
		if (gone == 1)
			p->broke = 1;
	}
	if (p->fd == -1 && (rc = syslog_reconnect(d, e)) != DEST_OK)
		return rc;

	/* The shipping time, for events without their own (SPEC §3.2). */
	clock_gettime(CLOCK_REALTIME, &now);
	p->fmt.framing = p->socktype == SOCK_DGRAM ? FMT_SYSLOG_FRAME_NONE :
	    p->framing;
	w = &p->w;
	buf_reset(w);
	for (i = 0; i < b->nlines; i++) {
		const struct dest_line *l = &b->lines[i];

		if (fmt_syslog_record(w, &p->fmt, b->file->user ? b->file->user :
		    "", b->file->name, l->p, l->len,
		    l->offset, l->flags & DEST_LINE_FRAGMENT ?
		    FMT_SYSLOG_LINE_FRAGMENT : 0, (int64_t)now.tv_sec,
		    (uint32_t)(now.tv_nsec / 1000), &msglen, &what) == -1)
			break;
		if (what & FMT_SYSLOG_INVALID)
			d->counts.invalid_json++;
		what = 0;
		p->ends[i] = w->len;
	}
	n = i;
	if (n == 0) {
		/* Only a line beyond LIM_SYSLOG_WBUF gets here. */
		d->counts.oversize++;
		log_dest(LOG_LVL_ERROR, d->name, "line of %s at offset %llu "
		    "(%zu bytes) is too large to format and was NOT sent",
		    b->file->name, (unsigned long long)b->lines[0].offset,
		    b->lines[0].len);
		*nacked = 1;
		return DEST_OK;
	}
	if (p->socktype == SOCK_DGRAM) {
		struct dest_batch part = *b;

		part.nlines = n;
		return syslog_send_dgrams(d, &part, nacked, e);
	}

	if (syslog_write(p, w->p, w->len, &done, &sub) == -1)
		failed = 1;
	else if (net_drain(p->fd, p->timeout_ms, &unacked, &sub) == -1) {
		/* Written, but the peer's TCP has not taken it all. */
		failed = 1;
		done = unacked < done ? done - unacked : 0;
	}
	*nacked = syslog_lines_within(p, n, done);
	syslog_kept_add(p, b, *nacked, *nacked > 0 ? p->ends[*nacked - 1] : 0);
	if (w->cap > LIM_SYSLOG_KEEP) {
		/* A giant line made it grow: give the memory back. */
		buf_free(w);
	}
	if (failed) {
		syslog_disconnect(p);
		p->broke = 1;
		err_set(e, "%s: %s", p->text, sub.msg);
		return DEST_RETRY;
	}
	return DEST_OK;
}

/*
 * A seal (SPEC §7) as one extra record: fmt_syslog_seal().  Acknowledged
 * as lines are: written and taken by the peer's TCP (or sent, for UDP).
 */
static enum dest_rc
syslog_send_seal(struct dest *d, const struct dest_seal *s, struct err *e)
{
	struct syslog_priv *p = d->priv;
	struct iovec iov;
	struct err sub;
	size_t msglen, done = 0, unacked = 0;
	enum dest_rc rc;
	int err_no;

	err_clear(&sub);
	if (p->fd == -1 && (rc = syslog_reconnect(d, e)) != DEST_OK)
		return rc;
	p->fmt.framing = p->socktype == SOCK_DGRAM ? FMT_SYSLOG_FRAME_NONE :
	    p->framing;
	if (syslog_ident_seal(&p->w, &p->fmt, s, &msglen) == -1)
		return err_set(e, "seal record too large"), DEST_STOP;
	if (p->socktype == SOCK_DGRAM) {
		iov.iov_base = p->w.p;
		iov.iov_len = p->w.len;
		if (net_send_dgrams(p->fd, &iov, 1, p->timeout_ms, &err_no,
		    &sub) == 1)
			return DEST_OK;
		syslog_disconnect(p);
		return err_set(e, "%s: %s", p->text, sub.msg), DEST_RETRY;
	}
	if (syslog_write(p, p->w.p, p->w.len, &done, &sub) == -1 ||
	    net_drain(p->fd, p->timeout_ms, &unacked, &sub) == -1) {
		syslog_disconnect(p);
		p->broke = 1;
		return err_set(e, "%s: %s", p->text, sub.msg), DEST_RETRY;
	}
	return DEST_OK;
}

static int
syslog_probe(struct dest *d, struct err *e)
{
	struct syslog_priv *p = d->priv;
	enum dest_rc rc;

	syslog_disconnect(p);
	rc = syslog_connect(d, e);
	syslog_disconnect(p);
	if (rc == DEST_OK && p->transport == SYSLOG_UDP)
		log_dest(LOG_LVL_INFO, d->name, "udp is connectionless: %s "
		    "resolves, but whether anything listens cannot be known",
		    p->text);
	return rc == DEST_OK ? 0 : -1;
}

const struct dest_ops dest_syslog_ops = {
	DEST_OPS(syslog, DEST_RECORDS),
	.send = syslog_send,
	.send_seal = syslog_send_seal,
};
