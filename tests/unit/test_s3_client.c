/*
 * test_s3_client.c - the pure helpers of the S3 client: endpoint parsing,
 * Object Lock retain-until dates, part sizes.
 */
#include <string.h>

#include "s3_client.h"
#include "test.h"

static void
test_endpoint(void)
{
	static const struct {
		const char *ep;
		int rc;
		const char *scheme, *auth;
	} cases[] = {
		{ "http://127.0.0.1:9000", 0, "http", "127.0.0.1:9000" },
		{ "http://127.0.0.1:9000/", 0, "http", "127.0.0.1:9000" },
		{ "https://s3.eu-west-1.amazonaws.com", 0, "https", "s3.eu-west-1.amazonaws.com" },
		{ "minio.internal:9000", 0, "https", "minio.internal:9000" },
		{ "http://[::1]:9000", 0, "http", "[::1]:9000" },
		{ "http://host/path", -1, NULL, NULL },
		{ "ftp://host", -1, NULL, NULL },
		{ "http://user:pw@host", -1, NULL, NULL },
		{ "http://", -1, NULL, NULL },
		{ "", -1, NULL, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char scheme[8], auth[256];
		int rc = s3_client_parse_endpoint(cases[i].ep, scheme,
		    sizeof(scheme), auth, sizeof(auth));

		T_CHECK(rc == cases[i].rc, cases[i].ep);
		if (rc == 0) {
			T_STREQ(scheme, cases[i].scheme, cases[i].ep);
			T_STREQ(auth, cases[i].auth, cases[i].ep);
		}
	}
}

static void
test_retain_until(void)
{
	char out[32];

	s3_client_retain_until(1795255200LL, 0, out);	/* 2026-11-21T10:00:00Z */
	T_STREQ(out, "2026-11-21T10:00:00Z", "retain now");
	s3_client_retain_until(1795255200LL, 30, out);
	T_STREQ(out, "2026-12-21T10:00:00Z", "retain 30 days");
	s3_client_retain_until(1795255200LL, 3650, out);
	T_STREQ(out, "2036-11-18T10:00:00Z", "retain 10 years");
}

static void
test_part_size(void)
{
	T_CHECK(s3_client_part_size(1) == S3_PART_MIN, "below S3's minimum");
	T_CHECK(s3_client_part_size(5u << 20) == (5u << 20), "5M");
	T_CHECK(s3_client_part_size(8u << 20) == (8u << 20), "8M");
	T_CHECK(s3_client_part_size(64u << 20) == S3_PART_DEFAULT, "64M default caps at 16M");
	/* 10,000 parts of the largest part size carry 156 GiB. */
	T_CHECK((uint64_t)S3_PART_DEFAULT * S3_MAX_PARTS >= (156ull << 30), "capacity");
}

int
main(void)
{
	test_endpoint();
	test_retain_until();
	test_part_size();
	return t_done("s3_client");
}
