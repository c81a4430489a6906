/*
 * bench/s3_xml_hostile.c - CPU time of the S3 XML element finder on
 * worst-case 64 KiB error bodies (issue 17 #7), beside the floor: one
 * pass over the same bytes counting '<'.  Built and run by bench/s3_xml.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "s3_xml.h"

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
main(void)
{
	static const char *const unit[] = { "<", "<Code ", "</a:", "<a:", "<Part>" };
	struct s3_xml_error x;
	struct buf b;
	double t0, t, floor;
	size_t k;
	volatile size_t sink;
	size_t lt, i;

	for (k = 0; k < sizeof(unit) / sizeof(unit[0]); k++) {
		buf_init(&b, 70000);
		buf_adds(&b, "<Error>");
		while (b.len + strlen(unit[k]) <= 65536)
			buf_adds(&b, unit[k]);
		t0 = now();
		(void)s3_xml_error(b.p, b.len, &x);
		t = now() - t0;
		t0 = now();
		for (lt = 0, i = 0; i < b.len; i++)
			lt += b.p[i] == '<';
		floor = now() - t0;
		sink = lt;
		(void)sink;
		printf("64 KiB of \"%s\": s3_xml_error %8.1f us   floor (one pass counting '<') %6.1f us\n",
		    unit[k], t * 1e6, floor * 1e6);
		buf_free(&b);
	}
	return 0;
}
