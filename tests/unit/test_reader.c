/* Unit tests for reader.c (line splitting, fragments, oversize lines,
 * .gz input, fingerprints) and source.c (daily-file name matching). */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "caps.h"
#include "reader.h"
#include "source.h"
#include "test.h"

struct split_case {
	const char *name; const char *in; size_t len;
	int found; size_t linelen, used;
};

static const struct split_case split_cases[] = {
	{ "plain line", "abc\ndef", 7, 1, 3, 4 },
	{ "CRLF", "abc\r\nx", 6, 1, 3, 5 },
	{ "lone CR kept", "a\rb\n", 4, 1, 3, 4 },
	{ "NUL inside", "a\0b\n", 4, 1, 3, 4 },
	{ "empty line", "\nabc", 4, 1, 0, 1 },
	{ "CR only line", "\r\n", 2, 1, 0, 2 },
	{ "no newline", "abc", 3, 0, 0, 0 },
	{ "empty input", "", 0, 0, 0, 0 },
};

static void
test_split(void)
{
	size_t i, ll, used;

	for (i = 0; i < sizeof(split_cases) / sizeof(split_cases[0]); i++) {
		const struct split_case *c = &split_cases[i];
		int got;

		ll = used = 0;
		got = reader_split(c->in, c->len, &ll, &used);
		T_CHECK(got == c->found, c->name);
		if (got)
			T_CHECK(ll == c->linelen && used == c->used, c->name);
	}
}

static char *
write_tmp(const char *data, size_t len)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_reader.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		abort();
	close(fd);
	return path;
}

/* Read every line of data[start..end) and join them as "len@offset/flags;". */
static void
read_all(const char *path, int gz, uint64_t start, uint64_t end, size_t max,
    char *out, size_t cap)
{
	struct reader r;
	struct reader_line ln;
	struct err e = { 0, "" };
	size_t o = 0;
	int rc;

	out[0] = '\0';
	memset(&ln, 0, sizeof(ln));
	T_CHECK(reader_open(&r, path, gz, start, end, max, &e) == 0, "reader_open");
	while ((rc = reader_next(&r, &ln, &e)) == 1)
		o += (size_t)snprintf(out + o, cap - o, "%zu@%llu-%llu/%u;", ln.len,
		    (unsigned long long)ln.offset, (unsigned long long)ln.next, ln.flags);
	T_CHECK(rc == 0, "reader ends cleanly");
	reader_close(&r);
}

static void
test_lines(void)
{
	const char data[] = "{\"a\":1}\n\r\n\n{\"b\":2}\r\n{\"c\"";
	char got[512], *path = write_tmp(data, sizeof(data) - 1);
	uint64_t last;
	struct err e = { 0, "" };

	/* Empty and CR-only lines are skipped; CRLF stripped; fragment flagged. */
	read_all(path, 0, 0, sizeof(data) - 1, 1024, got, sizeof(got));
	T_STREQ(got, "7@0-8/0;7@11-20/0;4@20-24/1;", "lines, empty skipped, fragment last");
	/* The open-day end: up to the last newline, no fragment. */
	T_CHECK(reader_last_newline(path, sizeof(data) - 1, &last, &e) == 0 && last == 20,
	    "last newline");
	read_all(path, 0, 0, last, 1024, got, sizeof(got));
	T_STREQ(got, "7@0-8/0;7@11-20/0;", "complete lines only");
	/* Starting mid-file at an offset. */
	read_all(path, 0, 11, last, 1024, got, sizeof(got));
	T_STREQ(got, "7@11-20/0;", "from an offset");
	unlink(path);
}

static void
test_oversize(void)
{
	char data[3000], got[512], *path;
	size_t i;

	/* line 1: 10 bytes; line 2: 2000 bytes (over a 100-byte cap); line 3 */
	memset(data, 'x', sizeof(data));
	data[10] = '\n';
	data[2011] = '\n';
	for (i = 2012; i < 2020; i++)
		data[i] = 'y';
	data[2020] = '\n';
	path = write_tmp(data, 2021);
	read_all(path, 0, 0, 2021, 100, got, sizeof(got));
	T_STREQ(got, "10@0-11/0;2000@11-2012/2;8@2012-2021/0;", "oversize reported whole, next line intact");
	unlink(path);
}

/*
 * Issue 17 #10: a CRLF line of exactly max_line bytes whose "\r" is the
 * last byte of a read chunk was reported oversize; an oversize line's
 * length counted its "\r" while a short line's did not.
 */
static void
test_crlf_boundary(void)
{
	size_t max = LIM_READ_CHUNK - 1, n = max + 2 + 4;
	char *data = malloc(n), got[512], want[512], *path;

	memset(data, 'x', max);
	memcpy(data + max, "\r\nab\n", 5);
	path = write_tmp(data, max + 5);
	read_all(path, 0, 0, max + 5, max, got, sizeof(got));
	snprintf(want, sizeof(want), "%zu@0-%zu/0;2@%zu-%zu/0;", max, max + 2,
	    max + 2, max + 5);
	T_STREQ(got, want, "CRLF line of max_line bytes at a chunk boundary");
	unlink(path);
	/* one byte longer: oversize, its length without the "\r" */
	memset(data, 'x', max + 1);
	memcpy(data + max + 1, "\r\n", 2);
	path = write_tmp(data, max + 3);
	read_all(path, 0, 0, max + 3, max, got, sizeof(got));
	snprintf(want, sizeof(want), "%zu@0-%zu/2;", max + 1, max + 3);
	T_STREQ(got, want, "oversize CRLF line: length without CR");
	unlink(path);
	free(data);
}

static void
test_gz(void)
{
	char got[512], fp1[65], fp2[65];
	char cmd[256], *path;
	struct err e = { 0, "" };
	uint64_t size;

	path = write_tmp("{\"a\":1}\n{\"b\":2}\n", 16);
	T_CHECK(reader_fingerprint(path, 0, 16, fp1, &e) == 0, "fingerprint plain");
	snprintf(cmd, sizeof(cmd), "gzip -c %s > %s.gz", path, path);
	T_CHECK(system(cmd) == 0, "gzip");
	snprintf(cmd, sizeof(cmd), "%s.gz", path);
	T_CHECK(reader_gz_size(cmd, &size, &e) == 0 && size == 16, "gz size");
	read_all(cmd, 1, 8, 16, 1024, got, sizeof(got));
	T_STREQ(got, "7@8-16/0;", "gz from an offset");
	T_CHECK(reader_fingerprint(cmd, 1, 16, fp2, &e) == 0, "fingerprint gz");
	T_STREQ(fp2, fp1, "same bytes, same fingerprint through gzip");
	unlink(cmd);
	unlink(path);
}

struct match_case {
	const char *pattern, *name; int want; const char *date; int gz;
};

static const struct match_case match_cases[] = {
	{ "%Y-%m-%d.jsonl", "2026-11-20.jsonl", 1, "2026-11-20", 0 },
	{ "%Y-%m-%d.jsonl", "2026-11-20.jsonl.gz", 1, "2026-11-20", 1 },
	{ "%Y-%m-%d.jsonl", "2026-11-20.jsonl.tmp", 0, NULL, 0 },
	{ "%Y-%m-%d.jsonl", "2026-13-20.jsonl", 0, NULL, 0 },
	{ "%Y-%m-%d.jsonl", "x2026-11-20.jsonl", 0, NULL, 0 },
	{ "%Y-%m-%d.jsonl", "2026-1-20.jsonl", 0, NULL, 0 },
	{ "audit-%Y%m%d.log", "audit-20261120.log", 1, "2026-11-20", 0 },
	{ "%F.jsonl", "2026-11-20.jsonl", 1, "2026-11-20", 0 },
	{ "100%%-%F", "100%-2026-11-20", 1, "2026-11-20", 0 },
	{ "%Y/%m", "2026/11", 0, NULL, 0 },	/* no day: never a daily file */
	/* issue 17 (fuzz_source): a field named twice must agree */
	{ "%m%m%d%Y", "6702146222", 0, NULL, 0 },
	{ "%Y-%m-%d.%d", "2026-11-20.21", 0, NULL, 0 },
	{ "%Y-%m-%d.%d", "2026-11-20.20", 1, "2026-11-20", 0 },
};

static void
test_match(void)
{
	size_t i;
	char date[11], name[64];
	int gz;

	for (i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		const struct match_case *c = &match_cases[i];
		int got = source_match(c->pattern, c->name, date, &gz);

		T_CHECK(got == c->want, c->name);
		if (got && c->want) {
			T_STREQ(date, c->date, c->name);
			T_CHECK(gz == c->gz, c->name);
		}
	}
	T_CHECK(source_name_for("audit-%Y%m%d.log", "2026-11-20", name, sizeof(name)) == 0, "name_for");
	T_STREQ(name, "audit-20261120.log", "name_for renders");
	source_today(86400 * 365, 0, date);
	T_STREQ(date, "1971-01-01", "today UTC");
	/* closed: a past day settled; today never; a .gz past day at once */
	T_CHECK(source_day_closed("2026-11-19", "2026-11-20", 0, 1000, 1400, 300000) == 1, "settled past day");
	T_CHECK(source_day_closed("2026-11-19", "2026-11-20", 0, 1000, 1200, 300000) == 0, "unsettled past day");
	T_CHECK(source_day_closed("2026-11-20", "2026-11-20", 0, 0, 99999, 0) == 0, "today is open");
	T_CHECK(source_day_closed("2026-11-19", "2026-11-20", 1, 1000, 1000, 300000) == 1, "gz past day");
	T_CHECK(source_day_closed("2026-11-19", "2026-11-20", 0, 5000, 1000, 0) == 0, "mtime in the future");
}

int
main(void)
{
	test_split();
	test_lines();
	test_oversize();
	test_crlf_boundary();
	test_gz();
	test_match();
	return t_done("reader");
}
