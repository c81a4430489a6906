/* Unit tests for gz.c: gzip round trips (streamed and whole-buffer),
 * multi-member input, truncation. */
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "gz.h"
#include "test.h"

static int
sink_buf(void *ctx, const void *p, size_t n, struct err *e)
{
	(void)e;
	return buf_add(ctx, p, n);
}

static void
compress_into(struct buf *out, const char *p, size_t n, int level)
{
	struct err e = { 0, "" };
	struct gz_out *z = gz_out_new(level, sink_buf, out, &e);

	T_CHECK(z != NULL, "gz_out_new");
	T_CHECK(gz_out_write(z, p, n, &e) == 0, "gz_out_write");
	T_CHECK(gz_out_finish(z, &e) == 0, "gz_out_finish");
	T_CHECK(gz_out_total_in(z) == n, "total_in counts input");
	gz_out_free(z);
}

/* Decompress gz via a temp file and compare with want. */
static void
check_gunzip(const struct buf *gz, const char *want, size_t wlen, const char *name)
{
	char path[] = "/tmp/test_gz.XXXXXX";
	int fd = mkstemp(path);
	struct err e = { 0, "" };
	struct buf got;
	char tmp[777];
	ssize_t n;
	struct gz_in *z;

	buf_init(&got, 1 << 24);
	T_CHECK(fd >= 0 && write(fd, gz->p, gz->len) == (ssize_t)gz->len, "write temp");
	lseek(fd, 0, SEEK_SET);
	z = gz_in_new(fd, &e);
	while ((n = gz_in_read(z, tmp, sizeof(tmp), &e)) > 0)
		buf_add(&got, tmp, (size_t)n);
	T_CHECK(n == 0, name);
	T_CHECK(got.len == wlen && (wlen == 0 || memcmp(got.p, want, wlen) == 0), name);
	gz_in_free(z);
	close(fd);
	unlink(path);
	buf_free(&got);
}

int
main(void)
{
	struct buf gz, both;
	char *data;
	size_t i, n = 300000;

	data = malloc(n);
	for (i = 0; i < n; i++)
		data[i] = (i % 97 == 0) ? '\n' : (char)('a' + (i * 7) % 26);
	buf_init(&gz, 1 << 24);
	compress_into(&gz, data, n, 6);
	T_CHECK(gz.len > 18 && gz.len < n, "compressed smaller");
	T_CHECK((unsigned char)gz.p[0] == 0x1f && (unsigned char)gz.p[1] == 0x8b, "gzip magic");
	check_gunzip(&gz, data, n, "round trip level 6");

	/* Two members, as `cat a.gz b.gz` makes, read as one stream. */
	buf_init(&both, 1 << 24);
	compress_into(&both, data, 1000, 1);
	compress_into(&both, data + 1000, 5000, 9);
	check_gunzip(&both, data, 6000, "multi-member");

	/* Whole-buffer gzip (HTTP bodies): appended after what out holds,
	 * read back by zlib at every level, empty input included. */
	{
		struct err e = { 0, "" };
		struct gz_whole *g;
		struct buf w, small;
		int level;

		for (level = 1; level <= 9; level += 4) {
			g = gz_whole_new(level, &e);
			T_CHECK(g != NULL, "gz_whole_new");
			buf_init(&w, 1 << 24);
			T_CHECK(gz_whole_compress(g, data, n, &w, &e) == 0, "gz_whole_compress");
			T_CHECK(w.len > 18 && w.len < n / 2, "whole: compressed smaller");
			check_gunzip(&w, data, n, "whole round trip");
			/* A second member on the same compressor and buffer. */
			T_CHECK(gz_whole_compress(g, data, 777, &w, &e) == 0, "second member");
			{
				char *twice = malloc(n + 777);
				memcpy(twice, data, n);
				memcpy(twice + n, data, 777);
				check_gunzip(&w, twice, n + 777, "whole: two members");
				free(twice);
			}
			buf_reset(&w);
			T_CHECK(gz_whole_compress(g, "", 0, &w, &e) == 0 && w.len >= 18,
			    "whole: empty input is a valid member");
			check_gunzip(&w, "", 0, "whole: empty");
			buf_free(&w);
			/* No room for the worst case: refused, buffer unchanged. */
			buf_init(&small, 100);
			T_CHECK(gz_whole_compress(g, data, n, &small, &e) == -1 &&
			    small.len == 0 && strstr(e.msg, "no room") != NULL,
			    "whole: too small a buffer is an error");
			buf_free(&small);
			gz_whole_free(g);
		}
	}

	/* A truncated stream is an error, not a short success. */
	{
		struct buf cut = gz;
		cut.len = gz.len / 2;
		char path[] = "/tmp/test_gz.XXXXXX";
		int fd = mkstemp(path);
		struct err e = { 0, "" };
		char tmp[4096];
		ssize_t r;
		struct gz_in *z;

		T_CHECK(write(fd, cut.p, cut.len) == (ssize_t)cut.len, "write cut");
		lseek(fd, 0, SEEK_SET);
		z = gz_in_new(fd, &e);
		while ((r = gz_in_read(z, tmp, sizeof(tmp), &e)) > 0)
			;
		T_CHECK(r == -1 && strstr(e.msg, "truncated") != NULL, "truncated detected");
		gz_in_free(z);
		close(fd);
		unlink(path);
	}
	buf_free(&gz);
	buf_free(&both);
	free(data);
	return t_done("gz");
}
