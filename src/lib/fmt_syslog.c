/*
 * fmt_syslog.c - pure syslog record formatting (see fmt_syslog.h).
 *
 * Implements the syslog records of SPEC §3.2: RFC 5424 (§6: HEADER,
 * STRUCTURED-DATA with our SD-ID auditship@32473, MSG) and the RFC 3164
 * form "<PRI>Mmm dd hh:mm:ss HOSTNAME TAG: MSG", framed per RFC 6587
 * §3.4.1 (octet counting) or §3.4.2 (newline), and the bad-input rules of
 * SPEC §3.3 (never drop a line; carry what is not JSON escaped).
 *
 * It deliberately does not re-serialise events: a valid JSON line goes out
 * byte for byte (control whitespace aside), and nothing here reads the
 * clock, the time zone or the host name - they are parameters (the zone
 * lookup, fmt_syslog_local_offset(), is what dest_syslog.c passes in).  The hot
 * path (one call per shipped line) avoids printf: digits are written by
 * hand.
 */
#include <string.h>
#include <time.h>

#include "fmt_syslog.h"
#include "parse.h"
#include "jsonl.h"

struct fmt_name {
	const char	*name;
	int		 value;
};

/* Names as in <syslog.h>, codes 12-15 named as conf_keys.c names them
 * (RFC 5424 §6.2.1 leaves them to the system). */
static const struct fmt_name fmt_facilities[] = {
	{ "kern", 0 }, { "user", 1 }, { "mail", 2 }, { "daemon", 3 },
	{ "auth", 4 }, { "syslog", 5 }, { "lpr", 6 }, { "news", 7 },
	{ "uucp", 8 }, { "cron", 9 }, { "authpriv", 10 }, { "ftp", 11 },
	{ "ntp", 12 }, { "security", 13 }, { "console", 14 },
	{ "solaris-cron", 15 }, { "local0", 16 }, { "local1", 17 }, { "local2", 18 },
	{ "local3", 19 }, { "local4", 20 }, { "local5", 21 }, { "local6", 22 },
	{ "local7", 23 },
};

static const struct fmt_name fmt_severities[] = {
	{ "emerg", 0 }, { "panic", 0 }, { "alert", 1 }, { "crit", 2 },
	{ "err", 3 }, { "error", 3 }, { "warning", 4 }, { "warn", 4 },
	{ "notice", 5 }, { "info", 6 }, { "debug", 7 },
};

static const char fmt_months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static const char fmt_hex[] = "0123456789abcdef";

static int
fmt_lookup(const struct fmt_name *t, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].value;
	return -1;
}

int
fmt_syslog_pri(const char *facility, const char *severity, int *pri,
    const char **bad)
{
	int fac, sev;

	fac = fmt_lookup(fmt_facilities,
	    sizeof(fmt_facilities) / sizeof(fmt_facilities[0]), facility);
	if (fac == -1) {
		*bad = facility;
		return -1;
	}
	sev = fmt_lookup(fmt_severities,
	    sizeof(fmt_severities) / sizeof(fmt_severities[0]), severity);
	if (sev == -1) {
		*bad = severity;
		return -1;
	}
	*pri = fac * 8 + sev;
	return 0;
}

int
fmt_syslog_app_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 33 || (unsigned char)s[i] > 126 ||
		    i >= FMT_SYSLOG_APP_MAX)
			return 0;
	return i > 0;
}

int
fmt_syslog_token(struct buf *out, const char *s, size_t max)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || max == 0)
		return buf_addc(out, '-');
	for (i = 0; s[i] != '\0' && i < max; i++) {
		unsigned char c = (unsigned char)s[i];

		if (buf_addc(out, c >= 33 && c <= 126 ? (char)c : '_') == -1)
			return -1;
	}
	return 0;
}

/*
 * The one escaper behind both public ones.  specials lists the printable
 * ASCII bytes that get a backslash in front; named selects "\n", "\r",
 * "\t" over "\xNN" for those three.
 */
static int
fmt_escape(struct buf *out, const char *p, size_t len, const char *specials,
    int named)
{
	const unsigned char *u = (const unsigned char *)p, *end = u + len;
	const unsigned char *run = u;
	char esc[4];
	size_t n, elen;

	while (u < end) {
		unsigned char c = *u;

		if (c >= 0x80) {
			if ((n = jsonl_utf8_seq(u, end)) != 0) {
				u += n;
				continue;
			}
		} else if (c >= 0x20 && c != 0x7f && (c == ' ' ||
		    /* specials is a subset of these three: most bytes need
		     * no strchr() (this runs over SD file= per record). */
		    (c != '"' && c != '\\' && c != ']') ||
		    strchr(specials, c) == NULL)) {
			u++;
			continue;
		}
		elen = 2;
		esc[0] = '\\';
		if (c >= 0x20 && c < 0x7f)
			esc[1] = (char)c;
		else if (named && c == '\n')
			esc[1] = 'n';
		else if (named && c == '\r')
			esc[1] = 'r';
		else if (named && c == '\t')
			esc[1] = 't';
		else {
			esc[1] = 'x';
			esc[2] = fmt_hex[c >> 4];
			esc[3] = fmt_hex[c & 0xf];
			elen = 4;
		}
		if (buf_add(out, run, (size_t)(u - run)) == -1 ||
		    buf_add(out, esc, elen) == -1)
			return -1;
		u++;
		run = u;
	}
	return buf_add(out, run, (size_t)(u - run));
}

int
fmt_syslog_sd_escape(struct buf *out, const char *p, size_t len)
{
	/* RFC 5424 §6.3.3: '"', '\' and ']' MUST be escaped in PARAM-VALUE. */
	return fmt_escape(out, p, len, "\"\\]", 0);
}

int
fmt_syslog_msg_escape(struct buf *out, const char *p, size_t len)
{
	return fmt_escape(out, p, len, "\\", 1);
}

static void
fmt_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static unsigned
fmt_num(const char *s, size_t n)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

int
fmt_syslog_time_parse(const char *s, size_t len, struct buf *out,
    int64_t *sec)
{
	static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	unsigned y, mo, d, h, mi, se, oh = 0, om = 0;
	size_t i, fstart, fend;
	int sign = 0;
	char z[40];
	size_t zl;

	if (!jsonl_is_rfc3339(s, len))
		return -1;
	y = fmt_num(s, 4);
	mo = fmt_num(s + 5, 2);
	d = fmt_num(s + 8, 2);
	h = fmt_num(s + 11, 2);
	mi = fmt_num(s + 14, 2);
	se = fmt_num(s + 17, 2);
	/* RFC 5424 §6.2.3: no leap seconds, a real calendar date. */
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || se > 59 ||
	    (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0))))
		return -1;
	i = 19;
	fstart = fend = i;
	if (s[i] == '.') {
		fstart = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		fend = i;
	}
	if (s[i] == '+' || s[i] == '-') {
		sign = s[i] == '+' ? 1 : -1;
		oh = fmt_num(s + i + 1, 2);
		om = fmt_num(s + i + 4, 2);
		if (oh > 23 || om > 59)
			return -1;
	}
	*sec = (parse_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    se) - sign * (int64_t)(oh * 3600 + om * 60);
	if (out == NULL)
		return 0;
	/* Normalise: 'T', at most 6 fraction digits (TIME-SECFRAC), 'Z'. */
	memcpy(z, s, 19);
	z[10] = 'T';
	zl = 19;
	if (fend > fstart) {
		z[zl++] = '.';
		for (i = fstart; i < fend && i < fstart + 6; i++)
			z[zl++] = s[i];
	}
	if (sign == 0)
		z[zl++] = 'Z';
	else {
		memcpy(z + zl, s + len - 6, 6);
		zl += 6;
	}
	return buf_add(out, z, zl);
}

/* Write v as exactly n decimal digits ending at p + n. */
static void
fmt_digits(char *p, uint64_t v, size_t n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

static size_t
fmt_ndigits(uint64_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static int
fmt_add_u64(struct buf *out, uint64_t v)
{
	char d[20];
	size_t n = fmt_ndigits(v);

	fmt_digits(d, v, n);
	return buf_add(out, d, n);
}

/* "<PRI>" */
static int
fmt_add_pri(struct buf *out, int pri)
{
	return buf_addc(out, '<') == -1 || fmt_add_u64(out, (uint64_t)pri) ==
	    -1 || buf_addc(out, '>') == -1 ? -1 : 0;
}

/* The date of sec seconds since 1970 into *y, *m, *d; "hh:mm:ss" of
 * its time into hms[0..8). */
static void
fmt_split_time(int64_t sec, int64_t *y, unsigned *m, unsigned *d, char *hms)
{
	int64_t days = sec / 86400, rem = sec % 86400;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	fmt_civil_from_days(days, y, m, d);
	fmt_digits(hms, (uint64_t)rem / 3600, 2);
	hms[2] = ':';
	fmt_digits(hms + 3, (uint64_t)rem / 60 % 60, 2);
	hms[5] = ':';
	fmt_digits(hms + 6, (uint64_t)rem % 60, 2);
}

/* The shipping time as an RFC 5424 TIMESTAMP in UTC, microseconds. */
static int
fmt_add_now5424(struct buf *out, int64_t now_sec, uint32_t now_usec)
{
	char t[32];
	int64_t y;
	unsigned m, d;

	fmt_split_time(now_sec, &y, &m, &d, t + 11);
	if (y < 0 || y > 9999)
		y = 0;
	fmt_digits(t, (uint64_t)y, 4);
	t[4] = '-';
	fmt_digits(t + 5, m, 2);
	t[7] = '-';
	fmt_digits(t + 8, d, 2);
	t[10] = 'T';
	t[19] = '.';
	fmt_digits(t + 20, now_usec % 1000000, 6);
	t[26] = 'Z';
	return buf_add(out, t, 27);
}

/* "Mmm dd hh:mm:ss" (RFC 3164 §4.1.2: day space-padded, local time). */
static int
fmt_add_3164(struct buf *out, int64_t sec)
{
	char t[16];
	int64_t y;
	unsigned m, d;

	fmt_split_time(sec, &y, &m, &d, t + 7);
	memcpy(t, fmt_months[m - 1], 3);
	t[3] = ' ';
	t[4] = d < 10 ? ' ' : (char)('0' + d / 10);
	t[5] = (char)('0' + d % 10);
	t[6] = ' ';
	return buf_add(out, t, 15);
}

/* The event's own "ts" or "timestamp" member, when it is a string. */
static int
fmt_event_time(const char *p, size_t len, const char **ts, size_t *tslen)
{
	return jsonl_find_string(p, len, "ts", ts, tslen) ||
	    jsonl_find_string(p, len, "timestamp", ts, tslen);
}

/*
 * 1 when p[0..len) holds a byte below 0x20.  Eight bytes at a time
 * ("hasless" from Bit Twiddling Hacks, exact for n <= 128): this runs over
 * every shipped byte and almost never finds one.
 */
static int
fmt_has_ctl(const char *p, size_t len)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0;
	uint64_t x;

	for (; i + 8 <= len; i += 8) {
		memcpy(&x, u + i, 8);
		if ((x - 0x2020202020202020ULL) & ~x & 0x8080808080808080ULL)
			return 1;
	}
	for (; i < len; i++)
		if (u[i] < 0x20)
			return 1;
	return 0;
}

/*
 * The body: a JSON object as is with its control whitespace made spaces
 * (the only place JSON allows raw control bytes), anything else escaped.
 */
static int
fmt_add_body(struct buf *out, const char *p, size_t len, int valid)
{
	char *q;
	size_t i;

	if (!valid)
		return fmt_syslog_msg_escape(out, p, len);
	if (buf_add(out, p, len) == -1)
		return -1;
	if (!fmt_has_ctl(p, len))
		return 0;
	q = out->p + out->len - len;
	for (i = 0; i < len; i++)
		if ((unsigned char)q[i] < 0x20)
			q[i] = ' ';
	return 0;
}

long
fmt_syslog_local_offset(int64_t utc_sec)
{
	/* Zones change offset on quarter hours at most: one localtime_r()
	 * per 15 minutes of event time.  auditship has no threads. */
	static int64_t slot = INT64_MIN;
	static long off;
	time_t t = (time_t)utc_sec;
	struct tm tm;

	if (utc_sec / 900 != slot) {
		off = localtime_r(&t, &tm) != NULL ? tm.tm_gmtoff : 0;
		slot = utc_sec / 900;
	}
	return off;
}

/* A record; sig not NULL: a seal's (SD seal="1" sig="…" only). */
static int
fmt_record(struct buf *out, const struct fmt_syslog *f,
    const char *user, const char *file, const char *p, size_t len,
    uint64_t offset, unsigned flags, int64_t now_sec, uint32_t now_usec,
    size_t *msglen, unsigned *what, const char *sig, size_t siglen)
{
	size_t start = out->len, n, nd;
	const char *ts = NULL;
	size_t tslen = 0;
	int64_t evsec;
	int valid;

	valid = jsonl_is_object(p, len);
	if (valid && !fmt_event_time(p, len, &ts, &tslen))
		ts = NULL;
	if (fmt_add_pri(out, f->pri) == -1)
		goto full;
	if (f->format == FMT_SYSLOG_RFC3164) {
		/* RFC 3164 has no zone: the receiver reads local time. */
		if (ts == NULL || fmt_syslog_time_parse(ts, tslen, NULL,
		    &evsec) == -1)
			evsec = now_sec;
		if (fmt_add_3164(out, evsec + (f->tz_offset != NULL ?
		    f->tz_offset(evsec) : 0)) == -1 ||
		    buf_addc(out, ' ') == -1 ||
		    buf_adds(out, f->hostname) == -1 ||
		    buf_addc(out, ' ') == -1 ||
		    buf_adds(out, f->app_name) == -1 ||
		    buf_add(out, ": ", 2) == -1)
			goto full;
	} else {
		if (buf_add(out, "1 ", 2) == -1)
			goto full;
		n = out->len;
		if (ts == NULL || fmt_syslog_time_parse(ts, tslen, out,
		    &evsec) == -1) {
			buf_truncate(out, n);
			if (fmt_add_now5424(out, now_sec, now_usec) == -1)
				goto full;
		}
		if (sig != NULL) {
			if (buf_addc(out, ' ') == -1 ||
			    buf_adds(out, f->hostname) == -1 ||
			    buf_addc(out, ' ') == -1 ||
			    buf_adds(out, f->app_name) == -1 ||
			    buf_adds(out, " - - [" FMT_SYSLOG_SD_ID
			    " seal=\"1\" sig=\"") == -1 ||
			    fmt_syslog_sd_escape(out, sig, siglen) == -1 ||
			    buf_add(out, "\"] ", 3) == -1)
				goto full;
		} else if (buf_addc(out, ' ') == -1 ||
		    buf_adds(out, f->hostname) == -1 ||
		    buf_addc(out, ' ') == -1 ||
		    buf_adds(out, f->app_name) == -1 ||
		    buf_adds(out, " - - [" FMT_SYSLOG_SD_ID " user=\"") == -1 ||
		    fmt_syslog_sd_escape(out, user, strlen(user)) == -1 ||
		    buf_add(out, "\" file=\"", 8) == -1 ||
		    fmt_syslog_sd_escape(out, file, strlen(file)) == -1 ||
		    buf_add(out, "\" offset=\"", 10) == -1 ||
		    fmt_add_u64(out, offset) == -1 ||
		    buf_addc(out, '"') == -1)
			goto full;
		else {
			if (!valid && buf_adds(out, " invalid_json=\"true\"") == -1)
				goto full;
			if ((flags & FMT_SYSLOG_LINE_FRAGMENT) &&
			    buf_adds(out, " fragment=\"true\"") == -1)
				goto full;
			if (buf_add(out, "] ", 2) == -1)
				goto full;
		}
	}
	if (f->framing == FMT_SYSLOG_FRAME_OCTET && valid) {
		/* The body goes out as is, so the message length is known
		 * now: put MSG-LEN in front of the short header before the
		 * body is copied, instead of moving the whole record. */
		n = out->len - start + len;
		nd = fmt_ndigits(n);
		if (buf_reserve(out, nd + 1 + len) == -1)
			goto full;
		memmove(out->p + start + nd + 1, out->p + start,
		    out->len - start);
		fmt_digits(out->p + start, n, nd);
		out->p[start + nd] = ' ';
		out->len += nd + 1;
		if (fmt_add_body(out, p, len, valid) == -1)
			goto full;
		*msglen = n;
		return 0;
	}
	if (fmt_add_body(out, p, len, valid) == -1)
		goto full;
	n = out->len - start;
	switch (f->framing) {
	case FMT_SYSLOG_FRAME_NONE:
		break;
	case FMT_SYSLOG_FRAME_NEWLINE:
		/* RFC 6587 §3.4.2; the message holds no LF (see header). */
		if (buf_addc(out, '\n') == -1)
			goto full;
		break;
	case FMT_SYSLOG_FRAME_OCTET:
		/* RFC 6587 §3.4.1: MSG-LEN SP SYSLOG-MSG, no trailer. */
		nd = fmt_ndigits(n);
		if (buf_reserve(out, nd + 1) == -1)
			goto full;
		memmove(out->p + start + nd + 1, out->p + start, n);
		fmt_digits(out->p + start, n, nd);
		out->p[start + nd] = ' ';
		out->len += nd + 1;
		out->p[out->len] = '\0';
		break;
	}
	*msglen = n;
	if (!valid)
		*what |= FMT_SYSLOG_INVALID;
	return 0;
full:
	buf_truncate(out, start);
	return -1;
}

int
fmt_syslog_record(struct buf *out, const struct fmt_syslog *f,
    const char *user, const char *file, const char *p, size_t len,
    uint64_t offset, unsigned flags, int64_t now_sec, uint32_t now_usec,
    size_t *msglen, unsigned *what)
{
	return fmt_record(out, f, user, file, p, len, offset, flags, now_sec,
	    now_usec, msglen, what, NULL, 0);
}

int
fmt_syslog_seal(struct buf *out, const struct fmt_syslog *f,
    const char *stmt, size_t len, const char *sig, size_t siglen,
    int64_t now_sec, uint32_t now_usec, size_t *msglen)
{
	unsigned what = 0;

	return fmt_record(out, f, "", "", stmt, len, 0, 0, now_sec, now_usec,
	    msglen, &what, sig, siglen);
}
