/*
 * dest_relp.c - the RELP destination (type = relp): syslog records over
 * rsyslog's Reliable Event Logging Protocol, through librelp's client, so
 * that an offset moves only past records the receiver acknowledged with
 * "rsp 200" (after it took the message), never on a TCP write alone.
 * librelp is used here and nowhere else.
 *
 * Records are formatted exactly as the syslog destination formats them
 * (fmt_syslog.c, RFC 5424 with the SPEC §3.2 identity in its structured
 * data, or RFC 3164), unframed: RELP frames them.
 *
 * What librelp's client API tells, and what it does not (librelp 1.11,
 * src/relpclt.c, relpsess.c, scrsp.c): relpCltSendSyslog() copies a frame
 * into the session's list of unacknowledged frames and returns; it blocks
 * only while `window` frames are unacknowledged.  An "rsp 200" removes its
 * frame from that list silently; there is no per-frame callback and no
 * call that waits for the list to drain.  A non-200 answer also removes its
 * frame and is reported only through the engine's onErr callback (which
 * does not say which frame).  relpCltReconnect() re-opens a broken session
 * and resends exactly the frames still on the list.  Destroying the client
 * closes the session gracefully: it sends "close" and waits for its answer,
 * which the server sends after answering every frame before it.
 *
 * So the acknowledgement of a run of frames is the close handshake: send()
 * opens a session, hands it up to max_batch_lines frames, closes it, and
 * acknowledges the run when the close was answered and no error of any
 * kind (broken session, timeout, non-200 answer, TLS) was reported on the
 * way.  The window keeps `window` frames in flight meanwhile.  When the
 * session breaks mid-run (receiver killed or restarted), send() returns
 * DEST_RETRY acknowledging nothing but keeps the broken session; the
 * engine backs off and calls again with the same run, and send() then
 * reconnects, librelp resends exactly the frames it had not seen
 * acknowledged, and the rest of the run follows.  Duplicates are then only
 * frames the old receiver took but had not answered.  What cannot be
 * exact: after a "500" (the frame is gone from librelp's list), after a
 * failed close, or when auditship itself stops, the whole run is sent
 * again (at most max_batch_lines records), because librelp cannot say
 * which of its frames were answered.
 *
 * Not here: retry timing, offsets (ship.c); record layout (fmt_syslog.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <librelp.h>

#include "caps.h"
#include "config.h"
#include "dest.h"
#include "fmt_syslog.h"
#include "lazylib.h"
#include "log.h"
#include "net.h"
#include "seal.h"
#include "syslog_ident.h"

/* librelp is opened by the first relp destination, not at start
 * (lazylib.h): its members are librelp's functions without "relp". */
#define LIBRELP_API(X)					\
	X(CltAddPermittedPeer, relpCltAddPermittedPeer)	\
	X(CltConnect, relpCltConnect)	\
	X(CltEnableTLS, relpCltEnableTLS)	\
	X(CltHintBurstBegin, relpCltHintBurstBegin)	\
	X(CltHintBurstEnd, relpCltHintBurstEnd)	\
	X(CltReconnect, relpCltReconnect)	\
	X(CltSendSyslog, relpCltSendSyslog)	\
	X(CltSetAuthMode, relpCltSetAuthMode)	\
	X(CltSetCACert, relpCltSetCACert)	\
	X(CltSetConnTimeout, relpCltSetConnTimeout)	\
	X(CltSetOwnCert, relpCltSetOwnCert)	\
	X(CltSetPrivKey, relpCltSetPrivKey)	\
	X(CltSetTimeout, relpCltSetTimeout)	\
	X(CltSetUsrPtr, relpCltSetUsrPtr)	\
	X(CltSetWindowSize, relpCltSetWindowSize)	\
	X(EngineCltConstruct, relpEngineCltConstruct)	\
	X(EngineCltDestruct, relpEngineCltDestruct)	\
	X(EngineConstruct, relpEngineConstruct)	\
	X(EngineDestruct, relpEngineDestruct)	\
	X(EngineSetDbgprint, relpEngineSetDbgprint)	\
	X(EngineSetEnableCmd, relpEngineSetEnableCmd)	\
	X(EngineSetOnAuthErr, relpEngineSetOnAuthErr)	\
	X(EngineSetOnErr, relpEngineSetOnErr)	\
	X(EngineSetOnGenericErr, relpEngineSetOnGenericErr)	\
	X(EngineSetTLSLibByName, relpEngineSetTLSLibByName)
static struct {
	LIBRELP_API(LAZYLIB_MEMBER)
} librelp;
static int librelp_loaded;

static int
librelp_load(struct err *e)
{
	void *h;

	if (librelp_loaded)
		return 0;
	if ((h = lazylib_open(AUDITSHIP_LIBRELP_SONAME, "relp destinations",
	    e)) == NULL)
		return -1;
#define LIBRELP_LOAD(m, sym) \
	LAZYLIB_LOAD(librelp, h, AUDITSHIP_LIBRELP_SONAME, e, m, sym)
	LIBRELP_API(LIBRELP_LOAD)
#undef LIBRELP_LOAD
	librelp_loaded = 1;
	return 0;
}

#define RELP_DEFAULT_PORT	2514
#define RELP_BATCH_LINES	4096		/* frames per session, at most */
#define RELP_BATCH_BYTES	(4u << 20)
#define RELP_ERRS_KEPT		1		/* first error kept verbatim */
#define RELP_CORK_WINDOW	1024		/* cork from this window on */

struct relp_dest {
	const char	*name;
	struct net_addr	 addr;
	char		 text[NET_HOST_MAX + 16];
	char		 port[8];
	int		 tls, verify;
	char		*ca_file, *cert_file, *key_file;
	int		 window;
	unsigned	 timeout_s;
	size_t		 max_message;
	struct fmt_syslog fmt;
	struct buf	 host;
	char		 app[FMT_SYSLOG_APP_MAX + 1];
	struct buf	 rec;		/* one record */

	relpEngine_t	*eng;
	relpClt_t	*clt;		/* the session of the current run */
	int		 broken;	/* clt's session broke: reconnect */
	/* The run clt carries: its file, first offset, frames handed. */
	char		*pend_file;
	uint64_t	 pend_first;
	size_t		 pend_n;

	/* What librelp reported through its callbacks since they were
	 * last cleared: how many, and the first message. */
	unsigned	 nerr;
	int		 auth_err;
	int		 rsp_err;	/* a non-200 answer was seen */
	/* Counts of the run, added to d->counts once it is acknowledged. */
	uint64_t	 run_invalid, run_oversize;
	char		 err[LIM_ERR_MSG];
};

static const struct conf_key relp_keys[] = {
	{ "type", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0, NULL },
	{ "address", CONF_STR, "127.0.0.1:2514", 0, NULL, 0, 0, NULL },
	{ "tls", CONF_BOOL, "false", 0, NULL, 0, 0, NULL },
	{ "ca_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0, NULL },
	{ "cert_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0, NULL },
	{ "key_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0, NULL },
	{ "verify", CONF_BOOL, "true", 0, NULL, 0, 0, NULL },
	{ "format", CONF_ENUM, "rfc5424", 0, "rfc5424|rfc3164", 0, 0, NULL },
	SYSLOG_IDENT_KEYS,
	/* Frames in flight.  rsyslog's omrelp uses 128; 1024 costs about a
	 * quarter less CPU per GiB here (bench/relp) and bounds the duplicates
	 * a broken session can cause to 1024 frames. */
	{ "window", CONF_INT, "1024", 0, NULL, 2, 65536, NULL },
	{ "max_message", CONF_SIZE, "1M", 0, NULL, 64, LIM_LINE_MAX, NULL },
	{ "timeout", CONF_DURATION, DEST_TIMEOUT_DEFAULT, 0, NULL, 1000,
	    24LL * 3600 * 1000, NULL },
	{ "retry_max", CONF_INT, "8", 0, NULL, 0, 1000, NULL },
	{ "retry_max_time", CONF_DURATION, "5m", 0, NULL, 0,
	    7LL * 24 * 3600 * 1000, NULL },
	{ "seal", CONF_BOOL, "true", 0, NULL, 0, 0, NULL },	/* SPEC §7 */
};

static int
relp_check(const struct conf_section *s, struct conf_report *r)
{
	int bad = 0, tls = conf_bool(s, "tls");

	bad |= syslog_ident_check_cert(s, r);
	if (!tls && (conf_is_set(s, "ca_file") || conf_is_set(s, "cert_file")))
		bad |= conf_reject(r, s, conf_line(s, conf_is_set(s, "ca_file") ?
		    "ca_file" : "cert_file"), conf_is_set(s, "ca_file") ?
		    "ca_file" : "cert_file", "needs tls = true");
	/* librelp always verifies the receiver's chain, against the CA
	 * file it is given (not the system store). */
	if (tls && !conf_is_set(s, "ca_file"))
		bad |= conf_reject(r, s, conf_line(s, "tls"), "ca_file",
		    "required with tls = true (librelp checks the receiver's "
		    "certificate against this CA, whatever verify says)");
	bad |= syslog_ident_check_app(s, r);
	return bad ? -1 : 0;
}

/*
 * librelp's callbacks.  onErr and onAuthErr carry the client's user
 * pointer (our struct relp_dest); onGenericErr carries none, and auditship
 * runs one RELP session at a time, so the last one opened is the one.
 */
static struct relp_dest *relp_current;

static void
relp_note(struct relp_dest *p, const char *what, const char *msg,
    relpRetVal code)
{
	if (p == NULL || code == RELP_RET_WRN_NO_KEEPALIVE)
		return;
	if (code == RELP_RET_RSP_STATE_ERR)
		p->rsp_err = 1;
	if (p->nerr++ < RELP_ERRS_KEPT)
		snprintf(p->err, sizeof(p->err), "%s: %s (librelp %d)",
		    what != NULL ? what : "relp", msg != NULL ? msg : "error",
		    (int)code);
}

static void
relp_on_err(void *usr, char *objinfo, char *msg, relpRetVal code)
{
	relp_note(usr, objinfo, msg, code);
}

static void
relp_on_auth_err(void *usr, char *authinfo, char *msg, relpRetVal code)
{
	struct relp_dest *p = usr;

	relp_note(p, authinfo, msg, code);
	if (p != NULL)
		p->auth_err = 1;
}

static void
relp_on_generic_err(char *objinfo, char *msg, relpRetVal code)
{
	relp_note(relp_current, objinfo, msg, code);
}

static void
relp_dbg(char *fmt, ...)
{
	(void)fmt;
}

static void relp_close(struct dest *d);

/*
 * librelp up to 1.13 (tcp.c isAnonAuth(): "ownCertFile == NULL") drops the
 * client's auth mode to anonymous when it has no certificate of its own:
 * the receiver's chain is still verified against the CA, its name is not.
 * Fixed upstream in August 2026 ("Fix client TLS auth mode credential
 * selection"), after 1.13.
 */
#ifndef AUDITSHIP_RELP_VERSION
#define AUDITSHIP_RELP_VERSION "0"
#endif

static int
relp_lib_anon_only(void)
{
	const char *v = AUDITSHIP_RELP_VERSION;
	unsigned long maj, min;
	char *end;

	maj = strtoul(v, &end, 10);
	if (*end != '.')
		return 1;
	min = strtoul(end + 1, NULL, 10);
	return maj < 1 || (maj == 1 && min <= 13);
}

static int
relp_conf_err(struct dest *d, struct err *e, const char *key, const char *fmt,
    const char *v)
{
	char why[LIM_ERR_MSG];

	snprintf(why, sizeof(why), fmt, v);
	return err_set(e, "[destination %s] %s: %s", d->name, key, why);
}

static char *
relp_dup(const char *s)
{
	return s != NULL && s[0] != '\0' ? strdup(s) : NULL;
}

static int
relp_open(struct dest *d, struct err *e)
{
	const struct conf_section *s = d->conf;
	struct relp_dest *p;
	struct err sub = { 0, "" };

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return err_set(e, "[destination %s] out of memory", d->name);
	d->priv = p;
	p->name = d->name;
	buf_init(&p->host, FMT_SYSLOG_HOST_MAX + 1);
	buf_init(&p->rec, 4 * (size_t)LIM_LINE_MAX + 4096);

	if (net_addr_parse(conf_str(s, "address"), 0, RELP_DEFAULT_PORT,
	    &p->addr, &sub) == -1) {
		relp_conf_err(d, e, "address", "%s", sub.msg);
		goto fail;
	}
	net_addr_text(&p->addr, p->text, sizeof(p->text));
	snprintf(p->port, sizeof(p->port), "%u", (unsigned)p->addr.port);

	/* The tables' choices are in the order of the enums and codes. */
	p->fmt.format = (enum fmt_syslog_format)conf_num(s, "format");
	p->fmt.framing = FMT_SYSLOG_FRAME_NONE;	/* RELP frames them */
	p->fmt.pri = (int)(conf_num(s, "facility") * 8 + conf_num(s, "severity"));
	if (syslog_ident_set(d, conf_str(s, "app_name"), &p->fmt, &p->host,
	    p->app, e) == -1)
		goto fail;

	p->window = (int)conf_num(s, "window");
	dest_retry_fields(d);
	p->timeout_s = (unsigned)((d->timeout_ms + 999) / 1000);
	p->max_message = (size_t)conf_num(s, "max_message");

	p->tls = conf_bool(s, "tls");
	p->verify = conf_bool(s, "verify");
	p->ca_file = relp_dup(conf_str(s, "ca_file"));
	p->cert_file = relp_dup(conf_str(s, "cert_file"));
	p->key_file = relp_dup(conf_str(s, "key_file"));
	if (p->tls && !p->verify)
		log_dest(LOG_LVL_WARN, d->name, "verify = false: the name in the "
		    "receiver's certificate is NOT checked (its chain still is, "
		    "against ca_file)");
	if (p->tls && p->verify && p->cert_file == NULL && relp_lib_anon_only())
		log_dest(LOG_LVL_WARN, d->name, "librelp %s checks the receiver's "
		    "certificate against ca_file but not the name in it unless a "
		    "client certificate is set (cert_file, key_file): set them to "
		    "have %s checked", AUDITSHIP_RELP_VERSION, p->addr.host);

	if (librelp_load(e) != 0)
		goto fail;
	if (librelp.EngineConstruct(&p->eng) != RELP_RET_OK) {
		err_set(e, "[destination %s] librelp: cannot make an engine",
		    d->name);
		goto fail;
	}
	librelp.EngineSetDbgprint(p->eng, relp_dbg);
	librelp.EngineSetOnErr(p->eng, relp_on_err);
	librelp.EngineSetOnAuthErr(p->eng, relp_on_auth_err);
	librelp.EngineSetOnGenericErr(p->eng, relp_on_generic_err);
	librelp.EngineSetEnableCmd(p->eng, (unsigned char *)"syslog",
	    eRelpCmdState_Required);
	if (p->tls && librelp.EngineSetTLSLibByName(p->eng, "openssl") !=
	    RELP_RET_OK) {
		err_set(e, "[destination %s] librelp: no OpenSSL TLS", d->name);
		goto fail;
	}

	d->max_batch_lines = RELP_BATCH_LINES;
	d->max_batch_bytes = RELP_BATCH_BYTES;
	return 0;
fail:
	relp_close(d);
	return -1;
}

/* End the session: gracefully (close handshake) when it is healthy.
 * Returns 0 when the close was answered and nothing went wrong since the
 * callbacks were cleared. */
static int
relp_session_end(struct relp_dest *p)
{
	unsigned before;

	if (p->clt == NULL)
		return -1;
	relp_current = p;
	before = p->nerr;
	librelp.EngineCltDestruct(p->eng, &p->clt);
	p->clt = NULL;
	p->broken = 0;
	p->pend_n = 0;
	p->run_invalid = p->run_oversize = 0;
	free(p->pend_file);
	p->pend_file = NULL;
	return p->nerr == 0 && before == 0 ? 0 : -1;
}

static void
relp_clear_errs(struct relp_dest *p)
{
	p->nerr = 0;
	p->auth_err = 0;
	p->rsp_err = 0;
	p->err[0] = '\0';
}

/* A new session to the receiver: DEST_OK, or DEST_RETRY / DEST_STOP. */
static enum dest_rc
relp_session_new(struct relp_dest *p, struct err *e)
{
	relpRetVal r;

	relp_current = p;
	if (librelp.EngineCltConstruct(p->eng, &p->clt) != RELP_RET_OK) {
		p->clt = NULL;
		err_set(e, "librelp: cannot make a client");
		return DEST_STOP;
	}
	librelp.CltSetUsrPtr(p->clt, p);
	librelp.CltSetTimeout(p->clt, p->timeout_s);
	librelp.CltSetConnTimeout(p->clt, (int)p->timeout_s);
	librelp.CltSetWindowSize(p->clt, p->window);
	if (p->tls) {
		librelp.CltEnableTLS(p->clt);
		if (p->ca_file != NULL)
			librelp.CltSetCACert(p->clt, p->ca_file);
		if (p->cert_file != NULL) {
			librelp.CltSetOwnCert(p->clt, p->cert_file);
			librelp.CltSetPrivKey(p->clt, p->key_file);
		}
		if (p->verify) {
			/* The receiver's certificate must chain to ca_file and
			 * name the host we connect to (as a TLS client does). */
			librelp.CltSetAuthMode(p->clt, "name");
			librelp.CltAddPermittedPeer(p->clt, p->addr.host);
		} else
			librelp.CltSetAuthMode(p->clt, "certvalid");
	}
	r = librelp.CltConnect(p->clt, p->addr.v6 ? AF_INET6 : AF_UNSPEC,
	    (unsigned char *)p->port, (unsigned char *)p->addr.host);
	if (r == RELP_RET_OK)
		return DEST_OK;
	librelp.EngineCltDestruct(p->eng, &p->clt);
	p->clt = NULL;
	if (p->auth_err || r == RELP_RET_AUTH_CERT_INVL ||
	    r == RELP_RET_AUTH_ERR_NAME || r == RELP_RET_AUTH_NO_CERT ||
	    r == RELP_RET_AUTH_ERR_FP || r == RELP_RET_ERR_TLS_SETUP) {
		/* Retrying cannot fix a certificate. */
		err_set(e, "%s: TLS: the receiver's certificate was not accepted "
		    "(check ca_file and that the certificate names %s): %s",
		    p->text, p->addr.host, p->err[0] ? p->err : "librelp error");
		return DEST_STOP;
	}
	err_set(e, "%s: cannot open a RELP session: %s", p->text,
	    p->err[0] ? p->err : "connection failed");
	return DEST_RETRY;
}

static void
relp_close(struct dest *d)
{
	struct relp_dest *p = d->priv;

	if (p == NULL)
		return;
	if (p->clt != NULL)
		(void)relp_session_end(p);
	if (p->eng != NULL)
		librelp.EngineDestruct(&p->eng);
	if (relp_current == p)
		relp_current = NULL;
	free(p->ca_file);
	free(p->cert_file);
	free(p->key_file);
	free(p->pend_file);
	buf_free(&p->host);
	buf_free(&p->rec);
	free(p);
	d->priv = NULL;
}

static enum dest_rc
relp_send(struct dest *d, const struct dest_batch *b, size_t *nacked,
    struct err *e)
{
	struct relp_dest *p = d->priv;
	struct timespec now;
	size_t i, msglen;
	uint64_t invalid, oversize;
	unsigned what;
	int cork, ncork;
	relpRetVal r = RELP_RET_OK;
	enum dest_rc rc;

	*nacked = 0;
	if (b->nlines == 0)
		return DEST_OK;
	/* The session carries another run (the engine moved on): start
	 * over, it is only a resend. */
	if (p->clt != NULL && (p->pend_file == NULL ||
	    strcmp(p->pend_file, b->file->name) != 0 ||
	    p->pend_first != b->lines[0].offset || b->nlines < p->pend_n)) {
		p->broken = 0;
		(void)relp_session_end(p);
	}
	relp_clear_errs(p);
	if (p->clt != NULL && p->broken) {
		/* librelp resends the frames it had not seen answered. */
		relp_current = p;
		if ((r = librelp.CltReconnect(p->clt)) != RELP_RET_OK) {
			err_set(e, "%s: RELP session broken, reconnect failed: %s",
			    p->text, p->err[0] ? p->err : "connection failed");
			return DEST_RETRY;
		}
		p->broken = 0;
		log_dest(LOG_LVL_INFO, d->name, "%s: RELP session re-opened; "
		    "librelp resent the frames not yet acknowledged", p->text);
		relp_clear_errs(p);
	}
	if (p->clt == NULL) {
		if ((rc = relp_session_new(p, e)) != DEST_OK)
			return rc;
		p->pend_n = 0;
		p->pend_first = b->lines[0].offset;
		if ((p->pend_file = strdup(b->file->name)) == NULL) {
			(void)relp_session_end(p);
			return err_set(e, "out of memory"), DEST_STOP;
		}
	}

	/*
	 * With a large window, frames go out corked (relpCltHintBurstBegin:
	 * TCP_CORK), uncorked every half window: the kernel then sends full
	 * segments, not one per frame (a third less CPU per GiB, bench/relp).
	 * Corking a whole run stalls: frames held in the cork while librelp
	 * waits for a full window's answers wait for the cork's 200 ms.
	 * Uncorking every half window leaves the tail of each half to Nagle
	 * (librelp does not set TCP_NODELAY), and corked again it can wait
	 * up to the 200 ms too: ~30 ms per half window measured on loopback,
	 * none seen at 1024 frames (one such wait per 512 frames, mostly
	 * hidden by the frames in flight), 10 s for 11,000 lines at 64.  So
	 * below RELP_CORK_WINDOW, one send() per frame, as librelp does.
	 */
	clock_gettime(CLOCK_REALTIME, &now);
	cork = p->window >= RELP_CORK_WINDOW;
	ncork = 0;
	if (cork)
		librelp.CltHintBurstBegin(p->clt);
	for (i = p->pend_n; i < b->nlines; i++) {
		const struct dest_line *l = &b->lines[i];

		if (l->len == 0)
			continue;	/* SPEC §3.3: empty lines are skipped */
		if (cork && ++ncork > p->window / 2) {
			librelp.CltHintBurstEnd(p->clt);
			librelp.CltHintBurstBegin(p->clt);
			ncork = 1;
		}
		buf_reset(&p->rec);
		what = 0;
		if (fmt_syslog_record(&p->rec, &p->fmt, b->file->user != NULL ?
		    b->file->user : "", b->file->name, l->p, l->len, l->offset,
		    l->flags & DEST_LINE_FRAGMENT ? FMT_SYSLOG_LINE_FRAGMENT : 0, (int64_t)now.tv_sec,
		    (uint32_t)(now.tv_nsec / 1000), &msglen, &what) == -1 ||
		    msglen > p->max_message) {
			/* Never cut, never silent (SPEC §3.3). */
			p->run_oversize++;
			log_dest(LOG_LVL_ERROR, d->name, "%s offset %" PRIu64
			    ": record of %zu bytes is over max_message (%zu): "
			    "not sent, counted as oversize", b->file->name,
			    l->offset, p->rec.len, p->max_message);
			continue;
		}
		r = librelp.CltSendSyslog(p->clt, (unsigned char *)p->rec.p,
		    p->rec.len);
		if (r != RELP_RET_OK)
			break;
		if (what & FMT_SYSLOG_INVALID)
			p->run_invalid++;
	}
	if (cork && r == RELP_RET_OK)	/* a broken session's socket is gone */
		librelp.CltHintBurstEnd(p->clt);
	if (i < b->nlines) {
		p->pend_n = i;
		if (r == RELP_RET_RSP_STATE_ERR || p->rsp_err) {
			/* A "500": librelp dropped that frame from its list,
			 * so only the whole run can be sent again. */
			err_set(e, "%s: the receiver refused a frame (rsp 500): "
			    "%s; the run of %zu records will be sent again",
			    p->text, p->err, b->nlines);
			(void)relp_session_end(p);
			return DEST_RETRY;
		}
		p->broken = 1;
		err_set(e, "%s: RELP session broken after %zu of %zu records: "
		    "%s", p->text, i, b->nlines, p->err[0] ? p->err :
		    "connection lost");
		return DEST_RETRY;
	}
	/* Every frame handed over: the close handshake is the barrier. */
	invalid = p->run_invalid;
	oversize = p->run_oversize;
	if (relp_session_end(p) == -1) {
		err_set(e, "%s: the receiver did not acknowledge the run of %zu "
		    "records (%s%s); it will be sent again", p->text, b->nlines,
		    p->rsp_err ? "rsp 500: " : "",
		    p->err[0] ? p->err : "close not answered");
		return DEST_RETRY;
	}
	d->counts.invalid_json += invalid;
	d->counts.oversize += oversize;
	*nacked = b->nlines;
	return DEST_OK;
}

/*
 * A seal (SPEC §7) as one more record, formatted as the syslog
 * destination's (fmt_syslog_seal()), in a session of its own: acknowledged
 * when the close handshake is answered with nothing reported on the way,
 * i.e. after the receiver's "rsp 200" to its frame, as the lines are.
 */
static enum dest_rc
relp_send_seal(struct dest *d, const struct dest_seal *s, struct err *e)
{
	struct relp_dest *p = d->priv;
	size_t msglen;
	relpRetVal r;
	enum dest_rc rc;

	if (syslog_ident_seal(&p->rec, &p->fmt, s, &msglen) == -1 ||
	    msglen > p->max_message)
		return err_set(e, "seal record of %zu bytes is over max_message "
		    "(%zu)", p->rec.len, p->max_message), DEST_STOP;
	if (p->clt != NULL) {
		p->broken = 0;
		(void)relp_session_end(p);
	}
	relp_clear_errs(p);
	if ((rc = relp_session_new(p, e)) != DEST_OK)
		return rc;
	r = librelp.CltSendSyslog(p->clt, (unsigned char *)p->rec.p, p->rec.len);
	if (relp_session_end(p) == -1 || r != RELP_RET_OK)
		return err_set(e, "%s: the receiver did not acknowledge the seal "
		    "record (%s%s)", p->text, p->rsp_err ? "rsp 500: " : "",
		    p->err[0] ? p->err : "close not answered"), DEST_RETRY;
	return DEST_OK;
}

/* `check --connect`: open a RELP session and close it. */
static int
relp_probe(struct dest *d, struct err *e)
{
	struct relp_dest *p = d->priv;

	relp_clear_errs(p);
	if (p->clt != NULL)
		(void)relp_session_end(p);
	if (relp_session_new(p, e) != DEST_OK)
		return -1;
	if (relp_session_end(p) == -1)
		return err_set(e, "%s: the RELP session did not close cleanly: %s",
		    p->text, p->err[0] ? p->err : "close not answered");
	return 0;
}

const struct dest_ops dest_relp_ops = {
	DEST_OPS(relp, DEST_RECORDS),
	.send = relp_send,
	.send_seal = relp_send_seal,
};
