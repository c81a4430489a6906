/*
 * zfloor.c - the CPU floor for gzip-shipping a file: read it, deflate it at
 * one level with gzip framing, write the result, nothing else.
 *
 * bench/ship runs it on the same corpus as `auditship ship` so the cost of
 * everything auditship adds (line accounting, state, fsync, key layout) can
 * be read as a ratio against zlib itself.  Fixed buffers only, so its peak
 * RSS is the floor too.  It deliberately uses zlib the way src/io/gz.c does
 * (deflateInit2, windowBits 15 + 16, memLevel 8, default strategy).
 *
 *   zfloor [-l LEVEL] [-o OUT] [-r] FILE
 *
 * OUT defaults to /dev/null.  -r prints "in BYTES out BYTES" on stdout.
 * Built by bench/ship, not by CMake: it is a measuring stick, not product.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#define ZF_IN	(256u << 10)	/* as LIM_READ_CHUNK */
#define ZF_OUT	(64u << 10)	/* as GZ_CHUNK */

static unsigned char zf_in[ZF_IN];
static unsigned char zf_out[ZF_OUT];

static int
zf_write(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Run deflate until it wants more input (or, with Z_FINISH, is done). */
static int
zf_deflate(z_stream *zs, int flush, int out)
{
	int rc;

	do {
		zs->next_out = zf_out;
		zs->avail_out = sizeof(zf_out);
		rc = deflate(zs, flush);
		if (rc == Z_STREAM_ERROR)
			return -1;
		if (zf_write(out, zf_out, sizeof(zf_out) - zs->avail_out) == -1)
			return -1;
	} while (zs->avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
	return 0;
}

static int
zf_usage(void)
{
	fprintf(stderr, "usage: zfloor [-l LEVEL] [-o OUT] [-r] FILE\n");
	return 2;
}

int
main(int argc, char **argv)
{
	const char *outpath = "/dev/null";
	z_stream zs;
	int level = 6, report = 0, in = -1, out = -1, c, rc = 1;
	ssize_t n;
	char *end;
	long l;

	while ((c = getopt(argc, argv, "l:o:r")) != -1) {
		switch (c) {
		case 'l':
			errno = 0;
			l = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || l < 1 || l > 9)
				return zf_usage();
			level = (int)l;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'r':
			report = 1;
			break;
		default:
			return zf_usage();
		}
	}
	if (optind != argc - 1)
		return zf_usage();
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		fprintf(stderr, "zfloor: deflateInit2 failed\n");
		return 1;
	}
	if ((in = open(argv[optind], O_RDONLY | O_CLOEXEC)) == -1) {
		fprintf(stderr, "zfloor: open %s: %s\n", argv[optind], strerror(errno));
		goto out;
	}
	if ((out = open(outpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1) {
		fprintf(stderr, "zfloor: open %s: %s\n", outpath, strerror(errno));
		goto out;
	}
	for (;;) {
		n = read(in, zf_in, sizeof(zf_in));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			fprintf(stderr, "zfloor: read: %s\n", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		zs.next_in = zf_in;
		zs.avail_in = (uInt)n;
		if (zf_deflate(&zs, Z_NO_FLUSH, out) == -1)
			goto wfail;
	}
	zs.next_in = NULL;
	zs.avail_in = 0;
	if (zf_deflate(&zs, Z_FINISH, out) == -1)
		goto wfail;
	if (report)
		printf("in %lu out %lu\n", (unsigned long)zs.total_in,
		    (unsigned long)zs.total_out);
	rc = 0;
	goto out;
wfail:
	fprintf(stderr, "zfloor: deflate or write %s failed: %s\n", outpath,
	    strerror(errno));
out:
	deflateEnd(&zs);
	if (in != -1)
		close(in);
	if (out != -1 && close(out) == -1 && rc == 0) {
		fprintf(stderr, "zfloor: close %s: %s\n", outpath, strerror(errno));
		rc = 1;
	}
	return rc;
}
