/*
 * test_redact.c - the redactor on real-shaped secrets and on look-alikes
 * that must survive (SPEC §6).  The secrets are the documented example
 * credentials of each vendor or random strings of the right shape; none
 * is live.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "redact.h"
#include "test.h"

struct rcase {
	const char *name;
	const char *in;
	const char *want;
};

static const struct rcase secrets[] = {
	{ "authorization-bearer-jwt",
	  "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
	  "Authorization: Bearer <REDACTED:bearer>" },
	{ "curl-header-basic",
	  "curl -H 'Authorization: Basic dXNlcjpwYXNzd29yZA==' https://api.example.com",
	  "curl -H 'Authorization: Basic <REDACTED:basic_auth>' https://api.example.com" },
	{ "curl-header-bearer-double-quoted",
	  "curl -sS -H \"Authorization: Bearer 0a1b2c3d4e5f6a7b8c9d\" -d x https://h",
	  "curl -sS -H \"Authorization: Bearer <REDACTED:bearer>\" -d x https://h" },
	{ "bearer-without-header",
	  "use Bearer abcDEF1234567890xyz for the call",
	  "use Bearer <REDACTED:bearer> for the call" },
	{ "github-classic-pat-env",
	  "export GITHUB_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a",
	  "export GITHUB_TOKEN=<REDACTED:github>" },
	{ "github-oauth-bare",
	  "token is gho_16C7e42F292c6912E7710c838347Ae178B4a ok",
	  "token is <REDACTED:github> ok" },
	{ "github-fine-grained-pat",
	  "gh auth login --with-token <<< github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab",
	  "gh auth login --with-token <<< <REDACTED:github>" },
	{ "github-app-token-in-url",
	  "git clone https://x-access-token:ghs_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r.git",
	  "git clone https://<REDACTED:url_credentials>@github.com/o/r.git" },
	{ "github-token-as-url-user",
	  "git remote add o https://ghu_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r",
	  "git remote add o https://<REDACTED:url_credentials>@github.com/o/r" },
	{ "anthropic-key-env",
	  "ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789-ABCDEFGHIJKLMNOPQRSTUV_wxyz-AA claude",
	  "ANTHROPIC_API_KEY=<REDACTED:anthropic> claude" },
	{ "openai-project-key-python",
	  "client = OpenAI(api_key=\"sk-proj-AbCdEf1234567890GhIjKlMnOpQrStUvWxYz\")",
	  "client = OpenAI(api_key=\"<REDACTED:openai>\")" },
	{ "openai-key-in-prose",
	  "the key sk-abcdefghij1234567890ABCDEFGHIJ leaked",
	  "the key <REDACTED:openai> leaked" },
	{ "aws-credentials-file",
	  "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
	  "[default]\naws_access_key_id = <REDACTED:aws_access_key_id>\naws_secret_access_key = <REDACTED:key>\n" },
	{ "aws-csv-export",
	  "User name,Access key ID,Secret access key\ndeploy,AKIAIOSFODNN7EXAMPLE,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
	  "User name,Access key ID,Secret access key\ndeploy,<REDACTED:aws_access_key_id>,<REDACTED:aws_secret_key>\n" },
	{ "aws-sts-key-id",
	  "AccessKeyId: ASIAY34FZKBOKMUTVV7A",
	  "AccessKeyId: <REDACTED:aws_access_key_id>" },
	{ "aws-env-secret",
	  "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY aws s3 ls",
	  "AWS_SECRET_ACCESS_KEY=<REDACTED:key> aws s3 ls" },
	{ "aws-session-token",
	  "export AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ",
	  "export AWS_SESSION_TOKEN=<REDACTED:token>" },
	{ "gcp-api-key-query",
	  "curl 'https://maps.googleapis.com/maps/api/geocode/json?address=x&key=AIzaSyA-1234567890abcdefghijklmnopqrstu'",
	  "curl 'https://maps.googleapis.com/maps/api/geocode/json?address=x&key=<REDACTED:gcp_api_key>'" },
	{ "gcp-api-key-bare",
	  "AIzaSyA-1234567890abcdefghijklmnopqrstu",
	  "<REDACTED:gcp_api_key>" },
	{ "slack-bot-token",
	  "SLACK=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
	  "SLACK=<REDACTED:slack>" },
	{ "slack-user-token-bare",
	  "token xoxp-123456789012-123456789012-123456789012-abcdef0123456789abcdef0123456789 set",
	  "token <REDACTED:slack> set" },
	{ "jwt-in-json-text",
	  "{\"id_token\":\"eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJpc3MiOiJodHRwczovL2lkcCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ\"}",
	  "{\"id_token\":\"<REDACTED:jwt>\"}" },
	{ "jwt-bare",
	  "got eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9. back",
	  "got <REDACTED:jwt> back" },
	{ "pem-rsa-private-key",
	  "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi\nZm9vYmFy\n-----END RSA PRIVATE KEY-----\nnext line",
	  "<REDACTED:private_key>\nnext line" },
	{ "pem-openssh-truncated",
	  "cat id_ed25519\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
	  "cat id_ed25519\n<REDACTED:private_key>" },
	{ "pem-pkcs8-in-service-account-json",
	  "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----\\n\"}",
	  "{\"type\": \"service_account\", \"private_key\": \"<REDACTED:key>\"}" },
	{ "postgres-url",
	  "DATABASE_URL=postgres://app:s3cr3t@db.internal:5432/app",
	  "DATABASE_URL=postgres://<REDACTED:database_url>@db.internal:5432/app" },
	{ "mongodb-srv-url",
	  "mongosh \"mongodb+srv://admin:pa55w0rd@cluster0.abcde.mongodb.net/test\"",
	  "mongosh \"mongodb+srv://<REDACTED:database_url>@cluster0.abcde.mongodb.net/test\"" },
	{ "redis-url-password-only",
	  "redis-cli -u redis://:authpass@localhost:6379/0",
	  "redis-cli -u redis://<REDACTED:database_url>@localhost:6379/0" },
	{ "https-userinfo",
	  "pip install --index-url https://deploy:Xy9pQ2rT@pypi.internal/simple pkg",
	  "pip install --index-url https://<REDACTED:url_credentials>@pypi.internal/simple pkg" },
	{ "password-equals",
	  "password=hunter2",
	  "password=<REDACTED:password>" },
	{ "cli-password-equals",
	  "mysql -u root --password=hunter2 shop",
	  "mysql -u root --password=<REDACTED:password> shop" },
	{ "cli-token-space",
	  "vault login --token s.abcdef123456",
	  "vault login --token <REDACTED:token>" },
	{ "curl-user-password",
	  "curl -u admin:Sup3rS3cret https://x.example",
	  "curl -u admin:<REDACTED:basic_auth> https://x.example" },
	{ "yaml-api-key",
	  "api_key: 8f3a9c2e7b1d4f6a",
	  "api_key: <REDACTED:api_key>" },
	{ "header-x-api-key",
	  "X-Api-Key: 0123456789abcdef0123",
	  "X-Api-Key: <REDACTED:api_key>" },
	{ "client-secret",
	  "client_secret=abc123def456&grant_type=client_credentials",
	  "client_secret=<REDACTED:secret>&grant_type=client_credentials" },
	{ "quoted-password-with-space",
	  "DB_PASSWORD='p@ss w0rd' ./run",
	  "DB_PASSWORD='<REDACTED:password>' ./run" },
	{ "json-in-output",
	  "{\"password\": \"hunter2\", \"user\": \"bob\"}",
	  "{\"password\": \"<REDACTED:password>\", \"user\": \"bob\"}" },
	{ "yaml-api-key-word",
	  "api_key: hunter",
	  "api_key: <REDACTED:api_key>" },
	{ "yaml-compound-token-word",
	  "github_token: letmein",
	  "github_token: <REDACTED:token>" },
	{ "yaml-bare-token-random",
	  "token: 9f86d081884c",
	  "token: <REDACTED:token>" },
	{ "secret-yaml",
	  "secret: mysecretvalue",
	  "secret: <REDACTED:secret>" },
	{ "token-query-param",
	  "GET /callback?code=x&access_token=ya29.a0AfH6SMBx1234",
	  "GET /callback?code=x&access_token=<REDACTED:token>" },
	{ "camel-case-token",
	  "accessToken=abcdef0123456789",
	  "accessToken=<REDACTED:token>" },
	{ "gitlab-private-token-header",
	  "PRIVATE-TOKEN: glpat-abcdefghij0123456789",
	  "PRIVATE-TOKEN: <REDACTED:gitlab>" },
	{ "gitlab-pat-bare",
	  "git clone https://oauth2@gitlab.com/x glpat-Zx8Yw7Vu6Ts5Rq4Po3Nm",
	  "git clone https://oauth2@gitlab.com/x <REDACTED:gitlab>" },
	{ "stripe-secret-key-bare",
	  "stripe.api_key in config: sk_live_51HfKq2Lm3Nn4Pp5Qq6Rr7Ss8Tt",
	  "stripe.api_key in config: <REDACTED:stripe>" },
	{ "stripe-restricted-key",
	  "rk_live_51HfKq2Lm3Nn4Pp5Qq6Rr7Ss8Tt",
	  "<REDACTED:stripe>" },
	{ "npm-token-npmrc",
	  "//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789",
	  "//registry.npmjs.org/:_authToken=<REDACTED:npm>" },
	/* issue 11 #4, SPEC §6 paragraph 2 */
	{ "pgpassword-env", "PGPASSWORD=hunter2 psql -h db -U app",
	  "PGPASSWORD=<REDACTED:password> psql -h db -U app" },
	{ "mysql-pwd-env", "MYSQL_PWD=s3cr3tpw mysql -u root",
	  "MYSQL_PWD=<REDACTED:password> mysql -u root" },
	{ "secret-key-base-env", "SECRET_KEY_BASE=0a1b2c3d4e5f6a7b rails s",
	  "SECRET_KEY_BASE=<REDACTED:secret> rails s" },
	{ "token-env-suffix", "DEPLOY_TOKEN=abc123def456 ./deploy.sh",
	  "DEPLOY_TOKEN=<REDACTED:token> ./deploy.sh" },
	{ "secret-env-suffix", "export CLIENT_SECRET=plainwords ; run",
	  "export CLIENT_SECRET=<REDACTED:secret> ; run" },
	{ "password-env-suffix", "DB_ADMIN_PASSWORD='correct horse' ./migrate",
	  "DB_ADMIN_PASSWORD='<REDACTED:password>' ./migrate" },
	{ "mysql-glued-p", "mysql -u root -phunter2 mydb",
	  "mysql -u root -p<REDACTED:password> mydb" },
	{ "mysqldump-glued-p-quoted", "sudo /usr/bin/mysqldump -uroot -p'hunter 2' db > d.sql",
	  "sudo /usr/bin/mysqldump -uroot -p'<REDACTED:password>' db > d.sql" },
	{ "sshpass-p", "sshpass -p 'hunter2' ssh deploy@host",
	  "sshpass -p '<REDACTED:password>' ssh deploy@host" },
	{ "docker-login-p", "docker login -u me -p hunter2 registry.example.com",
	  "docker login -u me -p <REDACTED:password> registry.example.com" },
	{ "docker-login-password", "docker login --username me --password hunter2 ghcr.io",
	  "docker login --username me --password <REDACTED:password> ghcr.io" },
	{ "psql-password-flag", "cd x && mariadb -psecretpw -h db",
	  "cd x && mariadb -p<REDACTED:password> -h db" },
	{ "aws-configure-set-secret",
	  "aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	  "aws configure set aws_secret_access_key <REDACTED:key>" },
	{ "aws-configure-set-profile-token",
	  "aws configure set profile.prod.aws_session_token FwoGZXIvYXdzEJr //end",
	  "aws configure set profile.prod.aws_session_token <REDACTED:token> //end" },
	{ "slack-webhook",
	  "curl -X POST https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX -d x",
	  "curl -X POST https://hooks.slack.com/services/<REDACTED:slack_webhook> -d x" },
	{ "discord-webhook",
	  "post to https://discord.com/api/webhooks/123456789012345678/abcDEF_ghi-JKL0123 now",
	  "post to https://discord.com/api/webhooks/<REDACTED:discord_webhook> now" },
	{ "jwt-bare",
	  "id_token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok",
	  "id_token <REDACTED:jwt> ok" },
	{ "cookie-header", "curl -H 'Cookie: session=abc123; theme=dark' https://x",
	  "curl -H 'Cookie: <REDACTED:cookie>' https://x" },
	{ "set-cookie-line", "Set-Cookie: sid=31d4d96e407aad42; Path=/\nnext",
	  "Set-Cookie: <REDACTED:cookie>\nnext" },
	{ "authorization-other-scheme", "Authorization: Token abcdef0123456789",
	  "Authorization: Token <REDACTED:authorization>" },
	{ "card-visa-spaces", "card 4111 1111 1111 1111 on file",
	  "card <REDACTED:card> on file" },
	{ "card-mastercard-plain", "pay with 5555555555554444.",
	  "pay with <REDACTED:card>." },
	{ "card-amex-dashes", "amex 3782-822463-10005 exp 12/29",
	  "amex <REDACTED:card> exp 12/29" },
	{ "card-mastercard-2-series", "{\"pan\":\"2223003122003222\"}",
	  "{\"pan\":\"<REDACTED:card>\"}" },
	{ "already-redacted-is-stable",
	  "password=<REDACTED:password>",
	  "password=<REDACTED:password>" },
};

static const char *const lookalikes[] = {
	"commit 3f786850e387550fdab836ed7e6dc881de23001b",
	"session 8c35adc1-4b2e-4f1a-9c3d-2e5f6a7b8c9d ok",
	"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
	"Each token counts toward the max_tokens limit; the token budget is 200k.",
	"Use a bearer token in the Authorization header.",
	"token: expired",
	"sorted(items, key=lambda x: x[1])",
	"git push -u origin main",
	"docker run -u 1000:1000 img",
	"ssh://git@github.com/o/r.git and git@github.com:o/r.git",
	"https://example.com/path?q=1&page=2",
	"max_tokens=4096 token_count=12 input_tokens: 5",
	"task-runner sk-learn risk-free",
	"Enter password:",
	"AKIA is a prefix; AKIASHORT too",
	"Basic configuration is fine",
	"export PATH=$HOME/bin:$PATH",
	"token=$GITHUB_TOKEN",
	"{\"tokenizer\": \"bert-base\"}",
	"the secret is out",
	"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----",
	"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
	"primary_key=id sort_key=name",
	"pk_live_51HfKq2Lm3Nn4Pp5Qq6Rr7Ss8Tt is a publishable key",
	"npm_modules and sk_live_short stay",
	"ls -la /home/dev/.ssh",
	"pytest -q tests/ && git commit -m 'fix token refresh'",
	"a 40-char id next to no key id: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	/* look-alikes of the issue 11 #4 shapes */
	"psql -p 5432 -h db -U app",
	"docker run -p 8080:80 nginx",
	"mysql -u root -p mydb",
	"ls -phunter2 /tmp",
	"PWD=/home/dev OLDPWD=/tmp",
	"TOKEN_COUNT=12 MAX_TOKENS=4096 PASSWORD_MIN_LENGTH=",
	"aws configure set region eu-west-1",
	"aws configure get aws_secret_access_key",
	"see https://api.slack.com/messaging/webhooks and https://discord.com/developers",
	"the cookie consent banner and the Set-Cookie header",
	"order 4111 1111 1111 1112 (bad check digit)",
	"ts 1732000000123456789 and 1700000000000",
	"at 2026-11-20-12-30-45-1234 build 4111-11111-1111-111",
	"version 4.1111.1111.1111.1111 and id 41111111111111112",
	"AKIAIOSFODNN7EXAMPLE beside 3f786850e387550fdab836ed7e6dc881de23001b",
};

static char *
redact_str(const char *in, int *n)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	*n = redact_append(&b, in, strlen(in));
	if (b.p == NULL)
		return strdup("");
	return b.p;
}

static void
test_secrets(void)
{
	size_t i;
	int n;

	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
		char *got = redact_str(secrets[i].in, &n);

		T_STREQ(got, secrets[i].want, secrets[i].name);
		free(got);
	}
}

static void
test_lookalikes(void)
{
	size_t i;
	int n;

	for (i = 0; i < sizeof(lookalikes) / sizeof(lookalikes[0]); i++) {
		const char *in = lookalikes[i];
		char *got = redact_str(in, &n);
		const char *want = in;

		/* The last case keeps its commit id but loses the key id. */
		if (i == sizeof(lookalikes) / sizeof(lookalikes[0]) - 1)
			want = "<REDACTED:aws_access_key_id> beside "
			    "3f786850e387550fdab836ed7e6dc881de23001b";
		T_STREQ(got, want, in);
		free(got);
	}
}

static void
test_names(void)
{
	static const struct { const char *name, *kind; } t[] = {
		{ "DB_PASSWORD", "password" },
		{ "x-api-key", "api_key" },
		{ "apiKey", "api_key" },
		{ "accessToken", "token" },
		{ "aws_secret_access_key", "key" },
		{ "--client-secret", "secret" },
		{ "Authorization", "authorization" },
		{ "credentials", "credential" },
		{ "sort_key", NULL },
		{ "key", NULL },
		{ "max_tokens", NULL },
		{ "token_count", NULL },
		{ "session_id", NULL },
		{ "tool_use_id", NULL },
		{ "passthrough", NULL },
		{ "PGPASSWORD", "password" },
		{ "MYSQL_PWD", "password" },
		{ "PWD", NULL },
		{ "SECRET_KEY_BASE", "secret" },
		{ "Cookie", "cookie" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *k = redact_name_kind(t[i].name, strlen(t[i].name));

		T_STREQ(k ? k : "(none)", t[i].kind ? t[i].kind : "(none)",
		    t[i].name);
	}
}

static void
test_members(void)
{
	static const struct { const char *name, *in, *want; } t[] = {
		{ "Authorization", "Bearer abc123def456ghi", "Bearer <REDACTED:bearer>" },
		{ "authorization", "Basic dXNlcjpwYXNz", "Basic <REDACTED:basic_auth>" },
		{ "password", "hunter2", "<REDACTED:password>" },
		{ "OPENAI_API_KEY", "sk-proj-AbCdEf1234567890GhIjKlMnOpQrStUvWxYz", "<REDACTED:openai>" },
		{ "GITHUB_TOKEN", "ghp_16C7e42F292c6912E7710c838347Ae178B4a", "<REDACTED:github>" },
		{ "key", "user_id", "user_id" },
		{ "key", "9f86d081884c7d659a2feaa0c55ad015", "<REDACTED:key>" },
		{ "description", "uses a token from env", "uses a token from env" },
		{ "token", "", "" },
		{ "command", "echo password=hunter2", "echo password=<REDACTED:password>" },
		{ "Cookie", "sid=31d4d96e407aad42; theme=dark", "<REDACTED:cookie>" },
		{ "command", "PGPASSWORD=hunter2 pg_dump db", "PGPASSWORD=<REDACTED:password> pg_dump db" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct buf b;

		buf_init(&b, 4096);
		T_CHECK(redact_member(&b, t[i].name, strlen(t[i].name), t[i].in,
		    strlen(t[i].in)) >= 0, t[i].name);
		T_STREQ(b.p ? b.p : "", t[i].want, t[i].name);
		buf_free(&b);
	}
}

/* A full buffer is an error, never a silently shortened copy. */
static void
test_bounds(void)
{
	struct buf b;
	const char *in = "password=hunter2 and more text after it";

	buf_init(&b, 10);
	T_CHECK(redact_append(&b, in, strlen(in)) == -1, "small buffer fails");
	buf_free(&b);

	/* NUL bytes are just bytes; the scan stops at len. */
	buf_init(&b, 100);
	T_CHECK(redact_append(&b, "a\0password=x", 12) == 1, "nul inside");
	T_CHECK(b.len == 2 + strlen("password=<REDACTED:password>"), "nul len");
	buf_free(&b);

	/* Truncated shapes at the very end of the text. */
	buf_init(&b, 100);
	T_CHECK(redact_append(&b, "ghp_", 4) == 0, "bare prefix");
	T_CHECK(redact_append(&b, "-----BEGIN ", 11) == 0, "bare pem");
	T_CHECK(redact_append(&b, "x=", 2) == 0, "empty value");
	T_CHECK(redact_append(&b, "https://", 8) == 0, "empty url");
	T_CHECK(redact_append(&b, "a://@", 5) == 0, "empty userinfo");
	buf_free(&b);
}

static size_t
markers(const struct buf *b)
{
	const char *p = b->p, *end = b->p + b->len;
	size_t n = 0;

	while (p != NULL && p < end &&
	    (p = memmem(p, (size_t)(end - p), "<REDACTED:", 10)) != NULL) {
		n++;
		p += 10;
	}
	return n;
}

/*
 * Random text built from the redactor's trigger pieces: whatever it is
 * given, it returns and never reads past the end (the sanitizer build
 * checks), and a second pass never undoes the first: every marker stays.
 */
static void
test_random(void)
{
	static const char *const piece[] = {
		"ghp_", "github_pat_", "sk-", "sk-ant-", "AKIA", "ASIA", "AIza",
		"xoxb-", "eyJ", ".", ":", "=", "//", "@", "-----BEGIN ",
		"PRIVATE KEY-----", "-----END ", "\n", "\"", "'", " ", "-u ",
		"--token ", "password", "Bearer ", "Basic ", "key", "0123456789",
		"abcdefghij", "ABCDEFGHIJKLMNOP", "/+", "$", "<", "\0", "postgres",
	};
	unsigned long r = 99;
	char in[512];
	size_t n, k, undone = 0, failed = 0;
	int i;
	struct buf a, b;

	buf_init(&a, 1 << 16);
	buf_init(&b, 1 << 16);
	for (i = 0; i < 20000; i++) {
		n = 0;
		for (k = 0; k < (size_t)(i % 24); k++) {
			const char *pc;
			size_t pl;

			r = r * 6364136223846793005ul + 1442695040888963407ul;
			pc = piece[(r >> 33) % (sizeof(piece) / sizeof(piece[0]))];
			pl = pc[0] == '\0' ? 1 : strlen(pc);
			if (n + pl > sizeof(in))
				break;
			memcpy(in + n, pc, pl);
			n += pl;
		}
		buf_reset(&a);
		buf_reset(&b);
		if (redact_append(&a, in, n) < 0 ||
		    (a.len > 0 && redact_append(&b, a.p, a.len) < 0)) {
			failed++;
			continue;
		}
		if (a.len > 0 && markers(&b) < markers(&a))
			undone++;
	}
	T_CHECK(failed == 0, "random text always redacts");
	T_CHECK(undone == 0, "a second pass keeps every marker");
	buf_free(&a);
	buf_free(&b);
}

int
main(void)
{
	test_secrets();
	test_lookalikes();
	test_names();
	test_members();
	test_bounds();
	test_random();
	return t_done("redact");
}
