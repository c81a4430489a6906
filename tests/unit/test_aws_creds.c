/*
 * test_aws_creds.c - the pure parts of the credential chain: the shared
 * credentials file, the ECS/IMDS JSON documents, expiry times and the
 * refresh rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws_creds.h"
#include "test.h"

static const char ini[] =
    "# comment\n"
    "[default]\n"
    "aws_access_key_id = AKIADEFAULT\n"
    "aws_secret_access_key=secretdefault\r\n"
    "\n"
    "[ prod ]\n"
    "; another comment\n"
    "AWS_ACCESS_KEY_ID\t=\tAKIAPROD  \n"
    "aws_secret_access_key = sec/ret+prod==\n"
    "aws_session_token = tok en\n"
    "region = eu-west-1\n"
    "[onlykey]\n"
    "aws_access_key_id = AKIAONLY\n"
    "[prodx]\n"
    "aws_access_key_id = WRONG\n"
    "aws_secret_access_key = WRONG\n";

struct ini_case {
	const char *name, *text, *profile;
	int rc;
	const char *ak, *sk, *tok;
};

static const struct ini_case ini_cases[] = {
	{ "default", ini, "default", 1, "AKIADEFAULT", "secretdefault", "" },
	{ "named-trimmed-case-insensitive", ini, "prod", 1, "AKIAPROD",
	  "sec/ret+prod==", "tok en" },
	{ "missing-secret", ini, "onlykey", 0, NULL, NULL, NULL },
	{ "absent-profile", ini, "nope", 0, NULL, NULL, NULL },
	{ "prefix-is-not-match", ini, "pro", 0, NULL, NULL, NULL },
	{ "empty-file", "", "default", 0, NULL, NULL, NULL },
	{ "no-trailing-newline", "[default]\naws_access_key_id=A1\naws_secret_access_key=S1",
	  "default", 1, "A1", "S1", "" },
	{ "bad-header", "[default\naws_access_key_id=A\n", "default", -1, NULL, NULL, NULL },
	{ "bad-line", "[default]\njunk\n", "default", -1, NULL, NULL, NULL },
	{ "bad-line-other-profile-ignored", "[x]\njunk\n[default]\naws_access_key_id=A\n"
	  "aws_secret_access_key=S\n", "default", 1, "A", "S", "" },
};

static void
test_ini(void)
{
	size_t i;

	for (i = 0; i < sizeof(ini_cases) / sizeof(ini_cases[0]); i++) {
		const struct ini_case *k = &ini_cases[i];
		struct aws_creds c;
		struct err e = { 0, "" };
		int rc;

		aws_creds_init(&c);
		rc = aws_creds_parse_ini(&c, k->text, strlen(k->text),
		    k->profile, "test", &e);
		T_CHECK(rc == k->rc, k->name);
		if (rc == 1) {
			T_STREQ(c.access_key.p, k->ak, k->name);
			T_STREQ(c.secret_key.p, k->sk, k->name);
			T_STREQ(c.token.p != NULL ? c.token.p : "", k->tok, k->name);
			T_CHECK(c.expires == 0, k->name);
		}
		if (rc == -1) {
			/* Messages name the line, never a value. */
			T_CHECK(strstr(e.msg, "test:") != NULL, k->name);
		}
		aws_creds_free(&c);
	}
}

static void
test_json(void)
{
	static const char ecs[] = "{\"RoleArn\":\"arn:aws:iam::1:role/x\","
	    "\"AccessKeyId\":\"ASIAECS\",\"SecretAccessKey\":\"s3cr\\/et\","
	    "\"Token\":\"TOKEN==\",\"Expiration\":\"2026-11-21T15:00:00Z\"}";
	static const char imds[] = "{\n  \"Code\" : \"Success\",\n"
	    "  \"LastUpdated\" : \"2026-11-21T09:00:00Z\",\n  \"Type\" : \"AWS-HMAC\",\n"
	    "  \"AccessKeyId\" : \"ASIAIMDS\",\n  \"SecretAccessKey\" : \"imdssecret\",\n"
	    "  \"Token\" : \"imdstoken\",\n  \"Expiration\" : \"2026-11-21T15:00:00.000+00:00\"\n}";
	static const char failed[] = "{\"Code\":\"AssumeRoleUnauthorizedAccess\","
	    "\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\"}";
	static const char nosecret[] = "{\"AccessKeyId\":\"A\"}";
	struct aws_creds c;
	struct err e = { 0, "" };

	aws_creds_init(&c);
	T_CHECK(aws_creds_parse_json(&c, ecs, strlen(ecs), "ECS", &e) == 0, "ecs json");
	T_STREQ(c.access_key.p, "ASIAECS", "ecs ak");
	T_STREQ(c.secret_key.p, "s3cr/et", "ecs sk unescaped");
	T_STREQ(c.token.p, "TOKEN==", "ecs token");
	T_CHECK(c.expires == 1795273200LL, "ecs expiry");
	T_STREQ(c.source, "ECS", "source");
	T_CHECK(aws_creds_parse_json(&c, imds, strlen(imds), "IMDS", &e) == 0, "imds json");
	T_STREQ(c.access_key.p, "ASIAIMDS", "imds ak");
	T_STREQ(c.token.p, "imdstoken", "imds token");
	T_CHECK(c.expires == 1795273200LL, "imds expiry with fraction and offset");
	err_clear(&e);
	T_CHECK(aws_creds_parse_json(&c, failed, strlen(failed), "IMDS", &e) == -1, "code not success");
	err_clear(&e);
	T_CHECK(aws_creds_parse_json(&c, nosecret, strlen(nosecret), "ECS", &e) == -1, "no secret");
	err_clear(&e);
	T_CHECK(aws_creds_parse_json(&c, "nope", 4, "ECS", &e) == -1, "not json");
	aws_creds_free(&c);
}

static void
test_time(void)
{
	static const struct {
		const char *s;
		int rc;
		long long want;
	} cases[] = {
		{ "2026-11-21T15:00:00Z", 0, 1795273200LL },
		{ "2026-11-21T15:00:00.123Z", 0, 1795273200LL },
		{ "2026-11-21T15:00:00+00:00", 0, 1795273200LL },
		{ "1970-01-01T00:00:00Z", 0, 0 },
		{ "2026-11-21T15:00:00+02:00", -1, 0 },
		{ "2026-11-21 15:00:00Z", -1, 0 },
		{ "tomorrow", -1, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long long t = -7;
		int rc = aws_creds_parse_time(cases[i].s, &t);
		T_CHECK(rc == cases[i].rc, cases[i].s);
		if (rc == 0)
			T_CHECK(t == cases[i].want, cases[i].s);
	}
}

static void
test_stale(void)
{
	struct aws_creds c;
	struct err e = { 0, "" };

	aws_creds_init(&c);
	T_CHECK(aws_creds_stale(&c, 1000) == 1, "empty is stale");
	aws_creds_set(&c, "AK", 2, "SECRETKEY", 9, NULL, 0, 0, "static", &e);
	T_CHECK(aws_creds_stale(&c, 1LL << 40) == 0, "static never stale");
	aws_creds_set(&c, "AK", 2, "SECRETKEY", 9, "TOKEN", 5, 10000, "imds", &e);
	T_CHECK(aws_creds_stale(&c, 10000 - AWS_CREDS_REFRESH_MARGIN - 1) == 0, "fresh");
	T_CHECK(aws_creds_stale(&c, 10000 - AWS_CREDS_REFRESH_MARGIN) == 1, "refresh margin");
	T_CHECK(aws_creds_stale(&c, 20000) == 1, "expired");
	err_clear(&e);
	T_CHECK(aws_creds_set(&c, "", 0, "S", 1, NULL, 0, 0, "x", &e) == -1, "empty ak refused");
	aws_creds_free(&c);
}

/* credentials = profile reads AWS_SHARED_CREDENTIALS_FILE: a file, a
 * missing one (said, not an error of its own) and a FIFO (refused at
 * once: the run must not hang on it). */
static void
test_profile_file(void)
{
	struct aws_creds_opts o = { "profile", NULL, NULL, NULL, "prod", NULL,
	    "dest t" };
	char dir[] = "/tmp/test_aws_creds.XXXXXX", path[128];
	struct aws_creds c;
	struct err e = { 0, "" };
	FILE *f;

	if (mkdtemp(dir) == NULL) {
		T_CHECK(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/credentials", dir);
	f = fopen(path, "w");
	T_CHECK(f != NULL && fputs(ini, f) >= 0 && fclose(f) == 0, "write");
	setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
	aws_creds_init(&c);
	T_CHECK(aws_creds_resolve(&c, &o, 0, &e) == 0, "profile from file");
	T_STREQ(c.access_key.p, "AKIAPROD", "its access key");
	aws_creds_free(&c);
	unlink(path);

	aws_creds_init(&c);
	err_clear(&e);
	T_CHECK(aws_creds_resolve(&c, &o, 0, &e) == -1, "missing file");
	T_CHECK(strstr(e.msg, "absent") != NULL, e.msg);
	aws_creds_free(&c);

	T_CHECK(mkfifo(path, 0600) == 0, "mkfifo");
	aws_creds_init(&c);
	err_clear(&e);
	T_CHECK(aws_creds_resolve(&c, &o, 0, &e) == -1, "a FIFO");
	T_CHECK(strstr(e.msg, "not a regular file (a FIFO)") != NULL, e.msg);
	aws_creds_free(&c);
	unlink(path);
	rmdir(dir);
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
}

int
main(void)
{
	test_ini();
	test_json();
	test_time();
	test_stale();
	test_profile_file();
	return t_done("aws_creds");
}
