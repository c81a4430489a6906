/*
 * fuzz_s3_xml.c - the S3 XML element finder (s3_xml.c).  Oracles: decoded
 * text is never longer than the input; the error fields stay
 * NUL-terminated in their arrays; part numbers and counts are sane; and
 * the finder is linear: at start-up, worst-case bodies of 4 KiB and 64 KiB
 * are timed, and the larger may cost at most ~16x the smaller (a quadratic
 * finder costs 256x: 2-4 s of CPU for one 64 KiB error body).
 */
#include "fuzz.h"
#include "s3_xml.h"

static const char *const hostile[] = {
	"<", "<Code ", "</", "</a:", "<a:", "<Code", "<Error><Code>&#",
	"<Part><PartNumber>1</PartNumber>", "<Part>",
};

static int
part_cb(void *ctx, const struct s3_xml_listed *lp)
{
	size_t *n = ctx;

	FUZZ_CHECK(strlen(lp->etag) < sizeof(lp->etag), "etag terminated");
	(*n)++;
	return 0;
}

static double
time_parse(const char *unit, size_t size)
{
	struct buf b, out;
	struct s3_xml_error x;
	struct s3_xml_lock l;
	double t0;
	int trunc;
	unsigned next;
	size_t parts = 0;

	buf_init(&b, size + 64);
	buf_adds(&b, "<Error>");
	while (b.len + strlen(unit) <= size)
		buf_adds(&b, unit);
	buf_init(&out, 1 << 20);
	t0 = fuzz_now();
	(void)s3_xml_text(b.p, b.len, "Message", &out);
	(void)s3_xml_error(b.p, b.len, &x);
	(void)s3_xml_lock_config(b.p, b.len, &l);
	(void)s3_xml_list_parts(b.p, b.len, part_cb, &parts, &trunc, &next);
	t0 = fuzz_now() - t0;
	buf_free(&out);
	buf_free(&b);
	return t0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t k;

	(void)argc;
	(void)argv;
	for (k = 0; k < sizeof(hostile) / sizeof(hostile[0]); k++) {
		/* Best of three, and an absolute floor: the machine may be
		 * busy (quadratic once took 100 s here, linear takes ms). */
		double small = 1e9, big = 1e9, t;
		int run;

		for (run = 0; run < 3; run++) {
			if ((t = time_parse(hostile[k], 4096)) < small)
				small = t;
			if ((t = time_parse(hostile[k], 65536)) < big)
				big = t;
		}
		if (big > 0.5 && big > 40 * small) {
			fprintf(stderr, "s3_xml: \"%s\" x 64 KiB took %.3f s "
			    "(4 KiB: %.5f s): not linear\n", hostile[k], big, small);
			abort();
		}
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct s3_xml_error x;
	struct s3_xml_lock l;
	struct buf out;
	size_t parts = 0;
	int trunc, n;
	unsigned next;

	buf_init(&out, 1 << 20);
	if (s3_xml_text(p, size, "Code", &out) == 1)
		FUZZ_CHECK(out.len <= size, "decoded text shorter than input");
	buf_free(&out);
	if (s3_xml_error(p, size, &x) == 1) {
		FUZZ_CHECK(memchr(x.code, '\0', sizeof(x.code)) != NULL, "code terminated");
		FUZZ_CHECK(memchr(x.message, '\0', sizeof(x.message)) != NULL,
		    "message terminated");
	}
	if (s3_xml_lock_config(p, size, &l) == 0)
		FUZZ_CHECK(memchr(l.mode, '\0', sizeof(l.mode)) != NULL, "mode terminated");
	n = s3_xml_list_parts(p, size, part_cb, &parts, &trunc, &next);
	FUZZ_CHECK(n < 0 || (size_t)n == parts, "count is the parts seen");
	FUZZ_CHECK(n < 0 || (size_t)n <= size / 6, "no more parts than <Part>s fit");
	(void)s3_xml_classify(size > 0 ? data[0] * 3 : 500, x.code);
	return 0;
}
