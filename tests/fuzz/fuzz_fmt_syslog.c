/*
 * fuzz_fmt_syslog.c - fmt_syslog.c.  Oracles: the message never holds a
 * byte below 0x20 (newline framing cannot be broken by content), octet
 * counting states the message's true length, *msglen is what was framed,
 * and an RFC 3339 time that parses gives a normalised form that parses
 * to the same second.
 */
#include "fuzz.h"
#include "fmt_syslog.h"

static long
plus_90_min(int64_t t)
{
	(void)t;
	return 5400;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct fmt_syslog f;
	struct buf b;
	size_t msglen, k, start;
	unsigned what, sel = size > 0 ? data[0] : 0;
	int64_t sec, sec2;

	memset(&f, 0, sizeof(f));
	f.format = sel & 1 ? FMT_SYSLOG_RFC3164 : FMT_SYSLOG_RFC5424;
	f.framing = (enum fmt_syslog_framing)((sel >> 1) % 3);
	f.pri = 134;
	f.hostname = "devbox";
	f.app_name = "claude-code";
	f.tz_offset = sel & 8 ? plus_90_min : NULL;
	buf_init(&b, 8 * size + 1024);
	what = 0;
	FUZZ_CHECK(fmt_syslog_record(&b, &f, "alice", "2026-11-20.jsonl", p, size,
	    (uint64_t)size * 977, sel & 16 ? FMT_SYSLOG_LINE_FRAGMENT : 0,
	    1795000000, 123456, &msglen, &what) == 0, "record fits 8x");
	start = 0;
	if (f.framing == FMT_SYSLOG_FRAME_OCTET) {
		unsigned long long n = 0;

		for (k = 0; k < b.len && b.p[k] >= '0' && b.p[k] <= '9'; k++)
			n = n * 10 + (unsigned long long)(b.p[k] - '0');
		FUZZ_CHECK(k > 0 && k < b.len && b.p[k] == ' ', "LEN SP");
		start = k + 1;
		FUZZ_CHECK(n == b.len - start, "octet count is the length");
	}
	if (f.framing == FMT_SYSLOG_FRAME_NEWLINE) {
		FUZZ_CHECK(b.len > 0 && b.p[b.len - 1] == '\n', "ends in LF");
		b.len--;
	}
	FUZZ_CHECK(msglen == b.len - start, "msglen is the message");
	for (k = start; k < b.len; k++)
		FUZZ_CHECK((unsigned char)b.p[k] >= 0x20, "no control byte in a message");
	buf_free(&b);

	buf_init(&b, 256);
	if (size < 200 && fmt_syslog_time_parse(p, size, &b, &sec) == 0) {
		struct buf b2;

		buf_init(&b2, 256);
		FUZZ_CHECK(fmt_syslog_time_parse(b.p, b.len, &b2, &sec2) == 0,
		    "normalised time parses");
		FUZZ_CHECK(sec == sec2, "same second");
		FUZZ_CHECK(b.len == b2.len && memcmp(b.p, b2.p, b.len) == 0,
		    "normalising is idempotent");
		buf_free(&b2);
	}
	buf_free(&b);
	return 0;
}
