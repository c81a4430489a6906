/*
 * fuzz_gz.c - gzip in and out (gz.c), with the fuzz build's 5-byte zlib
 * chunk and 7-byte reads.  Oracles: any input decompresses or fails
 * cleanly (never more than the cap at once); input compressed by gz_out
 * (streamed, in pieces) and by gz_whole decompresses to the same bytes.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "gz.h"

static int
sink(void *ctx, const void *p, size_t n, struct err *e)
{
	(void)e;
	return buf_add(ctx, p, n);
}

/* Decompress p[0..n) into out; -1 on a gzip error. */
static int
gunzip(const void *p, size_t n, struct buf *out)
{
	struct gz_in *z;
	struct err e = { 0, "" };
	char chunk[13];
	ssize_t k;
	int fd;

	if ((fd = memfd_create("fuzz_gz", 0)) == -1)
		abort();
	if (n > 0 && write(fd, p, n) != (ssize_t)n)
		abort();
	lseek(fd, 0, SEEK_SET);
	if ((z = gz_in_new(fd, &e)) == NULL)
		abort();
	while ((k = gz_in_read(z, chunk, sizeof(chunk), &e)) > 0) {
		FUZZ_CHECK((size_t)k <= sizeof(chunk), "read within cap");
		if (buf_add(out, chunk, (size_t)k) == -1)
			break;
	}
	gz_in_free(z);
	close(fd);
	return k == -1 ? -1 : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf z, back;
	struct err e = { 0, "" };
	struct gz_out *o;
	struct gz_whole *w;
	size_t at, step;

	buf_init(&back, 1 << 20);
	(void)gunzip(data, size, &back);	/* hostile stream */
	buf_free(&back);

	buf_init(&z, 2 * size + 1024);
	FUZZ_CHECK((o = gz_out_new(1 + size % 9, sink, &z, &e)) != NULL, "gz_out");
	step = size > 0 ? 1 + data[0] % 17 : 1;
	for (at = 0; at < size; at += step)
		FUZZ_CHECK(gz_out_write(o, data + at, size - at < step ? size - at :
		    step, &e) == 0, "gz_out_write");
	FUZZ_CHECK(gz_out_finish(o, &e) == 0, "gz_out_finish");
	FUZZ_CHECK(gz_out_total_in(o) == size, "total_in");
	gz_out_free(o);
	buf_init(&back, size + 1);
	FUZZ_CHECK(gunzip(z.p, z.len, &back) == 0, "own stream decompresses");
	FUZZ_CHECK(back.len == size && (size == 0 || memcmp(back.p, data, size) == 0),
	    "stream round trip");
	buf_free(&back);
	buf_reset(&z);

	FUZZ_CHECK((w = gz_whole_new(6, &e)) != NULL, "gz_whole");
	FUZZ_CHECK(gz_whole_compress(w, data, size, &z, &e) == 0, "whole");
	gz_whole_free(w);
	buf_init(&back, size + 1);
	FUZZ_CHECK(gunzip(z.p, z.len, &back) == 0, "whole decompresses");
	FUZZ_CHECK(back.len == size && (size == 0 || memcmp(back.p, data, size) == 0),
	    "whole round trip");
	buf_free(&back);
	buf_free(&z);
	return 0;
}
