/*
 * test_fmt_syslog.c - syslog records (SPEC §3.2, §3.3; RFC 5424, RFC 3164,
 * RFC 6587), as tables of {name, input, expected}.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "buf.h"
#include "fmt_syslog.h"
#include "test.h"

/* 2026-11-21T09:30:05.123456Z */
#define NOW_SEC		1795253405
#define NOW_USEC	123456

static void
test_pri(void)
{
	static const struct {
		const char *name, *fac, *sev;
		int want;	/* -1: error */
	} cases[] = {
		{ "default-local0-info", "local0", "info", 134 },
		{ "kern-emerg", "kern", "emerg", 0 },
		{ "local7-debug", "local7", "debug", 191 },
		{ "auth-warning", "auth", "warning", 36 },
		{ "authpriv-err", "authpriv", "err", 83 },
		{ "security-13-warn", "security", "warn", 108 },
		{ "ntp-12", "ntp", "notice", 101 },
		{ "alias-error-panic", "daemon", "panic", 24 },
		{ "bad-facility", "local8", "info", -1 },
		{ "bad-severity", "user", "information", -1 },
		{ "case-sensitive", "LOCAL0", "info", -1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *bad = NULL;
		int pri = -2, rc;

		rc = fmt_syslog_pri(cases[i].fac, cases[i].sev, &pri, &bad);
		if (cases[i].want == -1)
			T_CHECK(rc == -1 && bad != NULL, cases[i].name);
		else
			T_CHECK(rc == 0 && pri == cases[i].want, cases[i].name);
	}
}

static void
test_names(void)
{
	static const struct {
		const char *name, *in;
		int app_ok;
		const char *token;
	} cases[] = {
		{ "plain", "claude-code", 1, "claude-code" },
		{ "empty", "", 0, "-" },
		{ "space", "claude code", 0, "claude_code" },
		{ "newline", "host\nname", 0, "host_name" },
		{ "utf8", "h\xc3\xa9te", 0, "h__te" },
		{ "48-chars", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1,
		  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
		{ "49-chars", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0,
		  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
	};
	size_t i;
	struct buf b;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&b, 1024);
		T_CHECK(fmt_syslog_app_ok(cases[i].in) == cases[i].app_ok,
		    cases[i].name);
		T_CHECK(fmt_syslog_token(&b, cases[i].in, 255) == 0,
		    cases[i].name);
		T_STREQ(b.p, cases[i].token, cases[i].name);
		buf_free(&b);
	}
	buf_init(&b, 1024);
	T_CHECK(fmt_syslog_token(&b, "abcdef", 3) == 0, "token-max");
	T_STREQ(b.p, "abc", "token-max");
	buf_free(&b);
}

static void
test_escapes(void)
{
	static const struct {
		const char *name;
		const char *in;
		size_t len;
		const char *sd, *msg;
	} cases[] = {
		{ "plain", "2026-11-20.jsonl", 16, "2026-11-20.jsonl",
		  "2026-11-20.jsonl" },
		/* RFC 5424 §6.3.3: '"', '\' and ']' escaped in PARAM-VALUE. */
		{ "sd-specials", "a\"b\\c]d", 7, "a\\\"b\\\\c\\]d",
		  "a\"b\\\\c]d" },
		{ "controls", "a\nb\rc\td\x01" "e\x7f", 10,
		  "a\\x0ab\\x0dc\\x09d\\x01e\\x7f", "a\\nb\\rc\\td\\x01e\\x7f" },
		{ "nul-byte", "a\0b", 3, "a\\x00b", "a\\x00b" },
		{ "utf8-kept", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14,
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
		{ "invalid-utf8", "a\xff" "b\xc3", 4, "a\\xffb\\xc3",
		  "a\\xffb\\xc3" },
		{ "overlong", "\xc0\xaf", 2, "\\xc0\\xaf", "\\xc0\\xaf" },
		{ "surrogate", "\xed\xa0\x80", 3, "\\xed\\xa0\\x80",
		  "\\xed\\xa0\\x80" },
		{ "empty", "", 0, "", "" },
	};
	size_t i;
	struct buf b;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&b, 1024);
		T_CHECK(fmt_syslog_sd_escape(&b, cases[i].in, cases[i].len) == 0,
		    cases[i].name);
		T_STREQ(b.len ? b.p : "", cases[i].sd, cases[i].name);
		buf_free(&b);
		buf_init(&b, 1024);
		T_CHECK(fmt_syslog_msg_escape(&b, cases[i].in, cases[i].len) ==
		    0, cases[i].name);
		T_STREQ(b.len ? b.p : "", cases[i].msg, cases[i].name);
		buf_free(&b);
	}
	buf_init(&b, 4);
	T_CHECK(fmt_syslog_msg_escape(&b, "\x01\x02", 2) == -1, "escape-full");
	buf_free(&b);
}

static void
test_time(void)
{
	static const struct {
		const char *name, *in, *norm;
		int64_t sec;	/* -1: rejected */
	} cases[] = {
		{ "utc-ms", "2026-11-20T15:04:05.123Z",
		  "2026-11-20T15:04:05.123Z", 1795187045 },
		{ "no-frac", "2026-11-20T15:04:05Z", "2026-11-20T15:04:05Z",
		  1795187045 },
		{ "offset-kept", "2026-11-20T16:04:05+01:00",
		  "2026-11-20T16:04:05+01:00", 1795187045 },
		{ "neg-offset", "2026-11-20T10:04:05.5-05:00",
		  "2026-11-20T10:04:05.5-05:00", 1795187045 },
		{ "lowercase", "2026-11-20t15:04:05z", "2026-11-20T15:04:05Z",
		  1795187045 },
		{ "space-sep", "2026-11-20 15:04:05Z", "2026-11-20T15:04:05Z",
		  1795187045 },
		{ "frac-cut-to-6", "2026-11-20T15:04:05.123456789Z",
		  "2026-11-20T15:04:05.123456Z", 1795187045 },
		{ "epoch", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", 0 },
		{ "leap-day", "2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z",
		  1709164800 },
		{ "not-leap-year", "2026-02-29T00:00:00Z", NULL, -1 },
		{ "century-not-leap", "2100-02-29T00:00:00Z", NULL, -1 },
		{ "leap-second", "2016-12-31T23:59:60Z", NULL, -1 },
		{ "month-zero", "2026-00-10T00:00:00Z", NULL, -1 },
		{ "day-31-nov", "2026-11-31T00:00:00Z", NULL, -1 },
		{ "no-zone", "2026-11-20T15:04:05", NULL, -1 },
		{ "epoch-number", "1795100645", NULL, -1 },
		{ "offset-hour-24", "2026-11-20T15:04:05+24:00", NULL, -1 },
	};
	size_t i;
	struct buf b;
	int64_t sec;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&b, 128);
		sec = -99;
		rc = fmt_syslog_time_parse(cases[i].in, strlen(cases[i].in),
		    &b, &sec);
		if (cases[i].sec == -1)
			T_CHECK(rc == -1, cases[i].name);
		else {
			T_CHECK(rc == 0 && sec == cases[i].sec, cases[i].name);
			T_STREQ(b.p, cases[i].norm, cases[i].name);
		}
		buf_free(&b);
	}
}

/* A fixed zone one hour east of UTC (the cases below). */
static long
plus_one_hour(int64_t utc_sec)
{
	(void)utc_sec;
	return 3600;
}

/* Central European: +2 h until 2026-10-25T01:00:00Z, +1 h from then. */
#define CET_SWITCH	1792890000LL
static long
cet_2026(int64_t utc_sec)
{
	return utc_sec < CET_SWITCH ? 7200 : 3600;
}

static void
test_records(void)
{
	static const struct {
		const char *name;
		enum fmt_syslog_format format;
		enum fmt_syslog_framing framing;
		const char *line;
		size_t len;
		unsigned flags;
		const char *want;
		unsigned what;
	} cases[] = {
		{ "5424-event-ts", FMT_SYSLOG_RFC5424, FMT_SYSLOG_FRAME_NONE,
		  "{\"ts\":\"2026-11-20T15:04:05.123Z\",\"a\":1}", 39, 0,
		  "<134>1 2026-11-20T15:04:05.123Z devbox claude-code - - "
		  "[auditship@32473 user=\"alice\" file=\"2026-11-20.jsonl\" offset=\"1234\"] "
		  "{\"ts\":\"2026-11-20T15:04:05.123Z\",\"a\":1}", 0 },
		{ "5424-timestamp-member", FMT_SYSLOG_RFC5424,
		  FMT_SYSLOG_FRAME_NONE,
		  "{\"x\":{\"ts\":\"nope\"},\"timestamp\":\"2026-11-20T16:04:05+01:00\"}",
		  59, 0,
		  "<134>1 2026-11-20T16:04:05+01:00 devbox claude-code - - "
		  "[auditship@32473 user=\"alice\" file=\"2026-11-20.jsonl\" offset=\"1234\"] "
		  "{\"x\":{\"ts\":\"nope\"},\"timestamp\":\"2026-11-20T16:04:05+01:00\"}", 0 },
		{ "5424-no-ts-uses-now", FMT_SYSLOG_RFC5424, FMT_SYSLOG_FRAME_NONE,
		  "{\"a\":\"b\"}", 9, 0,
		  "<134>1 2026-11-21T09:30:05.123456Z devbox claude-code - - "
		  "[auditship@32473 user=\"alice\" file=\"2026-11-20.jsonl\" offset=\"1234\"] "
		  "{\"a\":\"b\"}", 0 },
		{ "5424-ts-not-string", FMT_SYSLOG_RFC5424, FMT_SYSLOG_FRAME_NONE,
		  "{\"ts\":1795100645}", 17, 0,
		  "<134>1 2026-11-21T09:30:05.123456Z devbox claude-code - - "
		  "[auditship@32473 user=\"alice\" file=\"2026-11-20.jsonl\" offset=\"1234\"] "
		  "{\"ts\":1795100645}", 0 },
		{ "5424-ts-not-rfc3339", FMT_SYSLOG_RFC5424, FMT_SYSLOG_FRAME_NONE,
		  "{\"ts\":\"yesterday\"}", 18, 0,
		  "<134>1 2026-11-21T09:30:05.123456Z devbox claude-code - - "
		  "[auditship@32473 user=\"alice\" file=\"2026-11-20.jsonl\" offset=\"1234\"] "
		  "{\"ts\":\"yesterday\"}", 0 },
		{ "5424-json-whitespace-tab-cr", FMT_SYSLOG_RFC5424,
		  FMT_SYSLOG_FRAME_NONE, "{\t\"a\" :\r1 }", 11, 0,
		  "<134>1 2026-11-21T09:30:05.123456Z devbox claude-code - - "
		  "[auditship@32473 user=\"alice\" file=\"2026-11-20.jsonl\" offset=\"1234\"] "
		  "{ \"a\" : 1 }", 0 },
		{ "5424-invalid-json", FMT_SYSLOG_RFC5424, FMT_SYSLOG_FRAME_NONE,
		  "{\"ts\":\"2026-11-20T15:04:05Z\",\"cut", 33, 0,
		  "<134>1 2026-11-21T09:30:05.123456Z devbox claude-code - - "
		  "[auditship@32473 user=\"alice\" file=\"2026-11-20.jsonl\" offset=\"1234\" "
		  "invalid_json=\"true\"] {\"ts\":\"2026-11-20T15:04:05Z\",\"cut",
		  FMT_SYSLOG_INVALID },
		{ "5424-binary-junk", FMT_SYSLOG_RFC5424, FMT_SYSLOG_FRAME_NONE,
		  "\x00\x01\xff\\\r\tz", 7, 0,
		  "<134>1 2026-11-21T09:30:05.123456Z devbox claude-code - - "
		  "[auditship@32473 user=\"alice\" file=\"2026-11-20.jsonl\" offset=\"1234\" "
		  "invalid_json=\"true\"] \\x00\\x01\\xff\\\\\\r\\tz",
		  FMT_SYSLOG_INVALID },
		{ "5424-invalid-utf8-in-json", FMT_SYSLOG_RFC5424,
		  FMT_SYSLOG_FRAME_NONE, "{\"a\":\"\xff\"}", 9, 0,
		  "<134>1 2026-11-21T09:30:05.123456Z devbox claude-code - - "
		  "[auditship@32473 user=\"alice\" file=\"2026-11-20.jsonl\" offset=\"1234\" "
		  "invalid_json=\"true\"] {\"a\":\"\\xff\"}", FMT_SYSLOG_INVALID },
		{ "5424-fragment", FMT_SYSLOG_RFC5424, FMT_SYSLOG_FRAME_NONE,
		  "{\"a\":", 5, FMT_SYSLOG_LINE_FRAGMENT,
		  "<134>1 2026-11-21T09:30:05.123456Z devbox claude-code - - "
		  "[auditship@32473 user=\"alice\" file=\"2026-11-20.jsonl\" offset=\"1234\" "
		  "invalid_json=\"true\" fragment=\"true\"] {\"a\":",
		  FMT_SYSLOG_INVALID },
		{ "5424-octet-counting", FMT_SYSLOG_RFC5424, FMT_SYSLOG_FRAME_OCTET,
		  "{}", 2, 0,
		  "129 <134>1 2026-11-21T09:30:05.123456Z devbox claude-code - - "
		  "[auditship@32473 user=\"alice\" file=\"2026-11-20.jsonl\" offset=\"1234\"] {}",
		  0 },
		{ "5424-newline", FMT_SYSLOG_RFC5424, FMT_SYSLOG_FRAME_NEWLINE,
		  "{}", 2, 0,
		  "<134>1 2026-11-21T09:30:05.123456Z devbox claude-code - - "
		  "[auditship@32473 user=\"alice\" file=\"2026-11-20.jsonl\" offset=\"1234\"] {}\n",
		  0 },
		{ "5424-newline-cr-in-junk", FMT_SYSLOG_RFC5424,
		  FMT_SYSLOG_FRAME_NEWLINE, "a\rb", 3, 0,
		  "<134>1 2026-11-21T09:30:05.123456Z devbox claude-code - - "
		  "[auditship@32473 user=\"alice\" file=\"2026-11-20.jsonl\" offset=\"1234\" "
		  "invalid_json=\"true\"] a\\rb\n", FMT_SYSLOG_INVALID },
		{ "3164-event-ts-local", FMT_SYSLOG_RFC3164, FMT_SYSLOG_FRAME_NONE,
		  "{\"ts\":\"2026-11-02T15:04:05.123Z\"}", 33, 0,
		  "<134>Nov  2 16:04:05 devbox claude-code: "
		  "{\"ts\":\"2026-11-02T15:04:05.123Z\"}", 0 },
		{ "3164-now", FMT_SYSLOG_RFC3164, FMT_SYSLOG_FRAME_NEWLINE,
		  "x", 1, 0,
		  "<134>Nov 21 10:30:05 devbox claude-code: x\n",
		  FMT_SYSLOG_INVALID },
		{ "3164-octet", FMT_SYSLOG_RFC3164, FMT_SYSLOG_FRAME_OCTET,
		  "{}", 2, 0, "43 <134>Nov 21 10:30:05 devbox claude-code: {}", 0 },
	};
	struct fmt_syslog f = {
		.pri = 134, .hostname = "devbox", .app_name = "claude-code",
		.tz_offset = plus_one_hour,
	};
	size_t i, msglen;
	unsigned what;
	struct buf b;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&b, 4096);
		f.format = cases[i].format;
		f.framing = cases[i].framing;
		what = 0;
		msglen = 0;
		T_CHECK(fmt_syslog_record(&b, &f, "alice", "2026-11-20.jsonl",
		    cases[i].line, cases[i].len, 1234, cases[i].flags, NOW_SEC,
		    NOW_USEC, &msglen, &what) == 0, cases[i].name);
		T_STREQ(b.p, cases[i].want, cases[i].name);
		T_CHECK(what == cases[i].what, cases[i].name);
		T_CHECK(memchr(b.p, '\n', b.len - (cases[i].framing ==
		    FMT_SYSLOG_FRAME_NEWLINE)) == NULL, cases[i].name);
		if (cases[i].framing == FMT_SYSLOG_FRAME_NONE)
			T_CHECK(msglen == b.len, cases[i].name);
		buf_free(&b);
	}

	/* Appends: two records in one buffer, and "full" leaves it intact. */
	f.format = FMT_SYSLOG_RFC5424;
	f.framing = FMT_SYSLOG_FRAME_OCTET;
	buf_init(&b, 4096);
	T_CHECK(fmt_syslog_record(&b, &f, "u", "f", "{}", 2, 0, 0, NOW_SEC, 0,
	    &msglen, &what) == 0, "append-1");
	i = b.len;
	buf_free(&b);
	buf_init(&b, i + i / 2);
	T_CHECK(fmt_syslog_record(&b, &f, "u", "f", "{}", 2, 0, 0, NOW_SEC, 0,
	    &msglen, &what) == 0, "append-1");
	i = b.len;
	T_CHECK(fmt_syslog_record(&b, &f, "u", "f", "{}", 2, 1, 0, NOW_SEC, 0,
	    &msglen, &what) == -1, "append-full");
	T_CHECK(b.len == i, "append-full-unchanged");
	buf_free(&b);

	/* RFC 3164 time is the local time of the event's own instant: one
	 * from before a DST change keeps its hour when shipped after it. */
	f.format = FMT_SYSLOG_RFC3164;
	f.framing = FMT_SYSLOG_FRAME_NONE;
	f.tz_offset = cet_2026;
	buf_init(&b, 4096);
	T_CHECK(fmt_syslog_record(&b, &f, "u", "f", "{\"ts\":\"2026-10-25T00:59:59Z\"}",
	    29, 0, 0, NOW_SEC, 0, &msglen, &what) == 0, "3164-before-dst-end");
	T_STREQ(b.p, "<134>Oct 25 02:59:59 devbox claude-code: "
	    "{\"ts\":\"2026-10-25T00:59:59Z\"}", "3164-before-dst-end");
	buf_reset(&b);
	T_CHECK(fmt_syslog_record(&b, &f, "u", "f", "{\"ts\":\"2026-10-25T01:00:00Z\"}",
	    29, 0, 0, NOW_SEC, 0, &msglen, &what) == 0, "3164-after-dst-end");
	T_STREQ(b.p, "<134>Oct 25 02:00:00 devbox claude-code: "
	    "{\"ts\":\"2026-10-25T01:00:00Z\"}", "3164-after-dst-end");
	buf_reset(&b);
	f.tz_offset = NULL;	/* no zone given: UTC */
	T_CHECK(fmt_syslog_record(&b, &f, "u", "f", "{}", 2, 0, 0, NOW_SEC, 0,
	    &msglen, &what) == 0, "3164-utc");
	T_STREQ(b.p, "<134>Nov 21 09:30:05 devbox claude-code: {}", "3164-utc");
	buf_free(&b);
	f.format = FMT_SYSLOG_RFC5424;
	f.tz_offset = plus_one_hour;

	/* SD user and file name escaped; offset is a full uint64. */
	f.framing = FMT_SYSLOG_FRAME_NONE;
	buf_init(&b, 4096);
	T_CHECK(fmt_syslog_record(&b, &f, "b]o\"b", "we\"ird]\\.jsonl", "{}", 2,
	    UINT64_MAX, 0, NOW_SEC, 0, &msglen, &what) == 0, "sd-file");
	T_STREQ(b.p, "<134>1 2026-11-21T09:30:05.000000Z devbox claude-code - - "
	    "[auditship@32473 user=\"b\\]o\\\"b\" file=\"we\\\"ird\\]\\\\.jsonl\" "
	    "offset=\"18446744073709551615\"] {}", "sd-file");
	/* Two users' files of one name differ in their identity (SPEC 3.2). */
	buf_reset(&b);
	T_CHECK(fmt_syslog_record(&b, &f, "bob", "2026-12-01.jsonl", "{}", 2,
	    0, 0, NOW_SEC, 0, &msglen, &what) == 0, "sd-user-bob");
	T_STREQ(b.p, "<134>1 2026-11-21T09:30:05.000000Z devbox claude-code - - "
	    "[auditship@32473 user=\"bob\" file=\"2026-12-01.jsonl\" "
	    "offset=\"0\"] {}", "sd-user-bob");
	buf_free(&b);
}

/* The real zone lookup, with its cache, across a DST change. */
static void
test_local_offset(void)
{
	static const struct {
		int64_t	 sec;
		long	 want;
	} at[] = {
		{ 1768435200, -18000 },	/* 2026-01-15, EST */
		{ 1784073600, -14400 },	/* 2026-07-15, EDT */
		{ 1784073601, -14400 },	/* same slot: from the cache */
		{ 1768435200, -18000 },	/* back again */
		{ 1793512799, -14400 },	/* 2026-11-01T05:59:59Z, EDT */
		{ 1793512800, -18000 },	/* 2026-11-01T06:00:00Z, EST */
	};
	size_t i;

	setenv("TZ", "America/New_York", 1);
	tzset();
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		char name[64];

		snprintf(name, sizeof(name), "local-offset-%zu", i);
		T_CHECK(fmt_syslog_local_offset(at[i].sec) == at[i].want, name);
	}
}

/* Seal records (SPEC §7): the statement as MSG, SD seal="1" sig="…". */
static void
test_seals(void)
{
	static const struct {
		const char		*name;
		enum fmt_syslog_format	 format;
		enum fmt_syslog_framing	 framing;
		const char		*sig;
		const char		*want;
	} cases[] = {
		{ "seal-5424-newline", FMT_SYSLOG_RFC5424, FMT_SYSLOG_FRAME_NEWLINE,
		  "0123 QUJD",
		  "<134>1 2026-11-21T09:30:05.123456Z devbox claude-code - - "
		  "[auditship@32473 seal=\"1\" sig=\"0123 QUJD\"] "
		  "{\"auditship_seal\":1,\"seq\":1}\n" },
		{ "seal-5424-octet", FMT_SYSLOG_RFC5424, FMT_SYSLOG_FRAME_OCTET,
		  "k\"]\\",
		  "127 <134>1 2026-11-21T09:30:05.123456Z devbox claude-code - - "
		  "[auditship@32473 seal=\"1\" sig=\"k\\\"\\]\\\\\"] "
		  "{\"auditship_seal\":1,\"seq\":1}" },
		{ "seal-3164", FMT_SYSLOG_RFC3164, FMT_SYSLOG_FRAME_NEWLINE,
		  "0123 QUJD",
		  "<134>Nov 21 10:30:05 devbox claude-code: "
		  "{\"auditship_seal\":1,\"seq\":1}\n" },
	};
	static const char stmt[] = "{\"auditship_seal\":1,\"seq\":1}";
	struct fmt_syslog f = {
		.pri = 134, .hostname = "devbox", .app_name = "claude-code",
		.tz_offset = plus_one_hour,
	};
	size_t i, msglen;
	struct buf b;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&b, 4096);
		f.format = cases[i].format;
		f.framing = cases[i].framing;
		T_CHECK(fmt_syslog_seal(&b, &f, stmt, strlen(stmt), cases[i].sig,
		    strlen(cases[i].sig), NOW_SEC, NOW_USEC, &msglen) == 0,
		    cases[i].name);
		T_STREQ(b.p, cases[i].want, cases[i].name);
		buf_free(&b);
	}
	buf_init(&b, 16);
	T_CHECK(fmt_syslog_seal(&b, &f, stmt, strlen(stmt), "k", 1, NOW_SEC,
	    NOW_USEC, &msglen) == -1 && b.len == 0, "seal-full");
	buf_free(&b);
}

int
main(void)
{
	test_seals();
	test_pri();
	test_local_offset();
	test_names();
	test_escapes();
	test_time();
	test_records();
	return t_done("fmt_syslog");
}
