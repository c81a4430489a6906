/*
 * test_s3_xml.c - element finding, S3 error documents, multipart and
 * Object Lock answers as AWS and Ceph RGW send them, built bodies, and the
 * error classification table.
 */
#include <time.h>
#include <string.h>

#include "s3_xml.h"
#include "test.h"

static const char aws_error[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature "
    "we calculated does not match the signature you provided. Check your key "
    "and signing method.</Message><AWSAccessKeyId>AKIA</AWSAccessKeyId>"
    "<RequestId>4442587FB7D0A2F9</RequestId></Error>";

/* RGW: namespace-less, BucketName and HostId after Code. */
static const char rgw_error[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchBucket"
    "</Code><BucketName>nope</BucketName><RequestId>tx0000-0</RequestId>"
    "<HostId>1-default</HostId></Error>";

static const char initiate[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<InitiateMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<Bucket>b</Bucket><Key>k &amp; v.gz</Key>"
    "<UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>"
    "</InitiateMultipartUploadResult>";

static const char lock_on[] =
    "<ObjectLockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention>"
    "<Mode>GOVERNANCE</Mode><Days>7</Days></DefaultRetention></Rule>"
    "</ObjectLockConfiguration>";

static const char lock_years[] =
    "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>"
    "<Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Years>2</Years>"
    "</DefaultRetention></Rule></ObjectLockConfiguration>";

static const char lock_bare[] =
    "<ObjectLockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>";

static void
test_text(void)
{
	static const struct {
		const char *name, *doc, *elem, *want;
		int rc;
	} cases[] = {
		{ "simple", "<a><b>x</b></a>", "b", "x", 1 },
		{ "absent", "<a><b>x</b></a>", "c", "", 0 },
		{ "prefix", "<s3:a><s3:UploadId>u1</s3:UploadId></s3:a>", "UploadId", "u1", 1 },
		{ "not-a-longer-name", "<UploadIdX>no</UploadIdX><UploadId>yes</UploadId>", "UploadId", "yes", 1 },
		{ "attributes", "<Key a=\"1\">v</Key>", "Key", "v", 1 },
		{ "entities", "<Key>a&amp;b&lt;c&gt;&quot;&apos;&#65;&#x42;</Key>", "Key", "a&b<c>\"'AB", 1 },
		{ "unknown-entity-kept", "<Key>a&nbsp;b</Key>", "Key", "a&nbsp;b", 1 },
		{ "empty-element", "<a><Key/></a>", "Key", "", 1 },
		{ "unclosed", "<Key>abc", "Key", "", -1 },
		{ "closing-tag-not-start", "</Key><Key>2</Key>", "Key", "2", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b;
		int rc;

		buf_init(&b, 1024);
		rc = s3_xml_text(cases[i].doc, strlen(cases[i].doc),
		    cases[i].elem, &b);
		T_CHECK(rc == cases[i].rc, cases[i].name);
		if (rc == 1)
			T_STREQ(b.p != NULL ? b.p : "", cases[i].want, cases[i].name);
		buf_free(&b);
	}
}

static void
test_errors(void)
{
	struct s3_xml_error x;

	T_CHECK(s3_xml_error(aws_error, strlen(aws_error), &x) == 1, "aws error");
	T_STREQ(x.code, "SignatureDoesNotMatch", "aws error code");
	T_CHECK(strncmp(x.message, "The request signature", 21) == 0, "aws message");
	T_CHECK(s3_xml_error(rgw_error, strlen(rgw_error), &x) == 1, "rgw error");
	T_STREQ(x.code, "NoSuchBucket", "rgw code");
	T_STREQ(x.message, "", "rgw no message");
	T_CHECK(s3_xml_error(initiate, strlen(initiate), &x) == 0, "not an error");
	T_CHECK(s3_xml_error("", 0, &x) == 0, "empty body");
	T_CHECK(s3_xml_error("<html>502</html>", 16, &x) == 0, "html body");
}

static void
test_initiate(void)
{
	struct buf b;

	buf_init(&b, 1024);
	T_CHECK(s3_xml_text(initiate, strlen(initiate), "UploadId", &b) == 1, "uploadid");
	T_STREQ(b.p, "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA", "uploadid value");
	buf_reset(&b);
	T_CHECK(s3_xml_text(initiate, strlen(initiate), "Key", &b) == 1, "key");
	T_STREQ(b.p, "k & v.gz", "key decoded");
	buf_free(&b);
}

static void
test_lock(void)
{
	struct s3_xml_lock l;

	T_CHECK(s3_xml_lock_config(lock_on, strlen(lock_on), &l) == 0, "lock on");
	T_CHECK(l.enabled == 1, "lock enabled");
	T_STREQ(l.mode, "GOVERNANCE", "lock mode");
	T_CHECK(l.days == 7, "lock days");
	T_CHECK(s3_xml_lock_config(lock_years, strlen(lock_years), &l) == 0, "years");
	T_CHECK(l.enabled && l.days == 730, "years as days");
	T_STREQ(l.mode, "COMPLIANCE", "years mode");
	T_CHECK(s3_xml_lock_config(lock_bare, strlen(lock_bare), &l) == 0, "bare");
	T_CHECK(l.enabled == 1 && l.mode[0] == '\0' && l.days == 0, "bare: no default");
	T_CHECK(s3_xml_lock_config(rgw_error, strlen(rgw_error), &l) == -1, "error is not config");
}

static void
test_bodies(void)
{
	struct s3_xml_part parts[2] = {
		{ 1, "\"a54357aff0632cce46d942af68356b38\"", "" },
		{ 2, "\"0c78aef83f66abc1fa1e8477f296d394\"", "" },
	};
	struct buf b;

	buf_init(&b, 4096);
	T_CHECK(s3_xml_complete_body(&b, parts, 2) == 0, "complete");
	T_STREQ(b.p, "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
	    "<Part><PartNumber>1</PartNumber><ETag>\"a54357aff0632cce46d942af68356b38\"</ETag></Part>"
	    "<Part><PartNumber>2</PartNumber><ETag>\"0c78aef83f66abc1fa1e8477f296d394\"</ETag></Part>"
	    "</CompleteMultipartUpload>", "complete body");
	buf_reset(&b);
	memcpy(parts[0].sha256_b64, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", 45);
	T_CHECK(s3_xml_complete_body(&b, parts, 1) == 0, "complete sha");
	T_CHECK(strstr(b.p, "<ChecksumSHA256>47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=</ChecksumSHA256></Part>") != NULL,
	    "complete body sha256");
	buf_reset(&b);
	T_CHECK(s3_xml_retention_body(&b, "COMPLIANCE", "2026-12-20T10:00:00Z") == 0, "retention");
	T_STREQ(b.p, "<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>COMPLIANCE</Mode>"
	    "<RetainUntilDate>2026-12-20T10:00:00Z</RetainUntilDate></Retention>", "retention body");
	buf_reset(&b);
	T_CHECK(s3_xml_legal_hold_body(&b, 1) == 0, "legal hold");
	T_STREQ(b.p, "<LegalHold xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>ON</Status></LegalHold>",
	    "legal hold body");
	buf_free(&b);
}

struct collected {
	struct s3_xml_listed parts[4];
	size_t n;
};

static int
collect(void *ctx, const struct s3_xml_listed *lp)
{
	struct collected *c = ctx;

	if (c->n == 4)
		return -1;
	c->parts[c->n++] = *lp;
	return 0;
}

static void
test_list_parts(void)
{
	static const char aws[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<ListPartsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
	    "<Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId>"
	    "<PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker>"
	    "<MaxParts>2</MaxParts><IsTruncated>true</IsTruncated>"
	    "<Part><PartNumber>1</PartNumber><LastModified>2026-11-21T09:00:00.000Z</LastModified>"
	    "<ETag>&quot;7778aef83f66abc1fa1e8477f296d394&quot;</ETag><Size>5242880</Size></Part>"
	    "<Part><PartNumber>2</PartNumber><ETag>\"aaaaaef83f66abc1fa1e8477f296d394\"</ETag>"
	    "<Size>1024</Size></Part></ListPartsResult>";
	static const char empty[] = "<ListPartsResult><IsTruncated>false</IsTruncated></ListPartsResult>";
	struct collected c;
	int trunc;
	unsigned next;

	memset(&c, 0, sizeof(c));
	T_CHECK(s3_xml_list_parts(aws, strlen(aws), collect, &c, &trunc, &next) == 2, "list parts");
	T_CHECK(c.n == 2 && c.parts[0].number == 1 && c.parts[1].number == 2, "part numbers");
	T_STREQ(c.parts[0].etag, "7778aef83f66abc1fa1e8477f296d394", "entity-quoted etag");
	T_STREQ(c.parts[1].etag, "aaaaaef83f66abc1fa1e8477f296d394", "quoted etag");
	T_CHECK(c.parts[0].size == 5242880 && c.parts[1].size == 1024, "sizes");
	T_CHECK(trunc == 1 && next == 2, "truncated + marker");
	memset(&c, 0, sizeof(c));
	T_CHECK(s3_xml_list_parts(empty, strlen(empty), collect, &c, &trunc, &next) == 0, "no parts");
	T_CHECK(trunc == 0, "not truncated");
	T_CHECK(s3_xml_list_parts(rgw_error, strlen(rgw_error), collect, &c, &trunc, &next) == -1,
	    "error document is not a list");
}

static void
test_classify(void)
{
	static const struct {
		long status;
		const char *code;
		enum s3_xml_class want;
	} cases[] = {
		{ 503, "SlowDown", S3_XML_RETRY },
		{ 503, "", S3_XML_RETRY },
		{ 500, "InternalError", S3_XML_RETRY },
		{ 400, "RequestTimeout", S3_XML_RETRY },
		{ 400, "BadDigest", S3_XML_RETRY },
		{ 408, "", S3_XML_RETRY },
		{ 429, "", S3_XML_RETRY },
		{ 0, "", S3_XML_RETRY },
		{ 403, "AccessDenied", S3_XML_CREDENTIALS },
		{ 403, "InvalidAccessKeyId", S3_XML_CREDENTIALS },
		{ 403, "SignatureDoesNotMatch", S3_XML_CREDENTIALS },
		{ 403, "", S3_XML_CREDENTIALS },
		{ 401, "", S3_XML_CREDENTIALS },
		{ 403, "RequestTimeTooSkewed", S3_XML_CLOCK },
		{ 400, "ExpiredToken", S3_XML_EXPIRED },
		{ 404, "NoSuchBucket", S3_XML_BUCKET },
		{ 400, "InvalidBucketName", S3_XML_BUCKET },
		{ 301, "PermanentRedirect", S3_XML_BUCKET },
		{ 301, "", S3_XML_BUCKET },
		{ 400, "AuthorizationHeaderMalformed", S3_XML_BUCKET },
		{ 400, "InvalidRequest", S3_XML_STOP },
		{ 400, "InvalidArgument", S3_XML_STOP },
		{ 404, "", S3_XML_STOP },
	};
	size_t i;
	char name[96];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(name, sizeof(name), "classify %ld %s", cases[i].status,
		    cases[i].code);
		T_CHECK(s3_xml_classify(cases[i].status, cases[i].code) ==
		    cases[i].want, name);
	}
}

/*
 * Issue 17 #7: the element finder is linear.  A hostile 64 KiB error body
 * ("<<<<...", "<Code <Code ...", "</a:</a:...") cost 2-4 s of CPU per
 * parse; linear it costs well under a millisecond.  The bound (0.25 s for
 * all of them) leaves room for a sanitizer build on a busy machine.
 */
static void
test_linear(void)
{
	static const char *const units[] = { "<", "<Code ", "</a:", "<a:", "<Part>" };
	struct s3_xml_error x;
	struct buf b;
	struct timespec t0, t1;
	double took;
	size_t k;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
		buf_init(&b, 70000);
		buf_adds(&b, "<Error>");
		while (b.len + strlen(units[k]) <= 65536)
			buf_adds(&b, units[k]);
		T_CHECK(s3_xml_error(b.p, b.len, &x) == 1, "hostile body is an error");
		buf_free(&b);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (took >= 0.25)
		fprintf(stderr, "hostile bodies took %.3f s\n", took);
	T_CHECK(took < 0.25, "64 KiB hostile bodies parse in linear time");
}

int
main(void)
{
	test_linear();
	test_text();
	test_errors();
	test_initiate();
	test_lock();
	test_bodies();
	test_list_parts();
	test_classify();
	return t_done("s3_xml");
}
