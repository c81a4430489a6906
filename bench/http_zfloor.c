/*
 * http_zfloor.c - the zlib floor for bench/http: gzip a file at a level,
 * streaming in 256 KiB reads and 64 KiB outputs that are discarded, and
 * print the CPU seconds spent (user + system), bytes in and bytes out.
 * This is the least any gzip shipper can spend on the same bytes.
 *
 *   http_zfloor LEVEL FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <zlib.h>

int
main(int argc, char **argv)
{
	static unsigned char in[256 << 10], out[64 << 10];
	struct rusage ru;
	z_stream zs;
	FILE *f;
	size_t n;
	int level, flush;

	if (argc != 3 || (level = atoi(argv[1])) < 1 || level > 9) {
		fprintf(stderr, "usage: http_zfloor LEVEL FILE\n");
		return 2;
	}
	if ((f = fopen(argv[2], "rb")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return 1;
	do {
		n = fread(in, 1, sizeof(in), f);
		flush = n < sizeof(in) ? Z_FINISH : Z_NO_FLUSH;
		zs.next_in = in;
		zs.avail_in = (uInt)n;
		do {
			zs.next_out = out;
			zs.avail_out = sizeof(out);
			deflate(&zs, flush);
		} while (zs.avail_out == 0);
	} while (flush != Z_FINISH);
	getrusage(RUSAGE_SELF, &ru);
	printf("%.3f %lu %lu\n", ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6,
	    (unsigned long)zs.total_in, (unsigned long)zs.total_out);
	deflateEnd(&zs);
	fclose(f);
	return 0;
}
