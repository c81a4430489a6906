/*
 * test_config.c - configuration loading and every error path (SPEC §2).
 *
 * Most cases go through config_parse() with a fake environment (the pure
 * pass); the cases about files (permissions, *_file secrets, the embedded
 * default) go through config_load() on files in a private temp directory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "conf_keys.h"
#include "config.h"
#include "test.h"

#define API	"[destination h]\ntype = http\nurl = https://x.test/api\n"
#define DIRD	"[destination d]\ntype = dir\npath = /srv/archive\n"

static const char *test_env_vars[] = {
	"DD_KEY", "dd-secret-from-env",
	"REGION", "eu-west-1",
	"EMPTY", "",
	"DD_API_KEY", "from-env-dd-0001",
	"X", "0123456789012345678901234567890123456789012345678901234567890123",
	NULL, NULL,
};

static const char *
fake_getenv(void *ctx, const char *name)
{
	const char *const *kv = ctx;

	for (; kv[0] != NULL; kv += 2)
		if (strcmp(kv[0], name) == 0)
			return kv[1];
	return NULL;
}

static struct config_env
test_env(void)
{
	struct config_env env;

	memset(&env, 0, sizeof(env));
	env.getenv = fake_getenv;
	env.ctx = (void *)test_env_vars;
	env.home = "/home/t";
	env.hostname = "testhost";
	return env;
}

static int
parse_text(struct config *cfg, const char *text, struct err *e)
{
	struct config_env env = test_env();

	err_clear(e);
	return config_parse(cfg, "t.ini", text, strlen(text), &env, e);
}

static void
test_errors(void)
{
	static const struct {
		const char	*name, *ini, *msg;
	} cases[] = {
		{ "unknown-section", "[foo]\n" DIRD,
		    "t.ini:1: [foo]: unknown section (expected [auditship], "
		    "[source] or [destination NAME])" },
		{ "unknown-key", "[auditship]\nbogus = 1\n" DIRD,
		    "t.ini:2: [auditship] bogus: unknown key" },
		{ "unknown-key-for-type", DIRD "url = http://x\n",
		    "t.ini:4: [destination d] url: unknown key for type dir "
		    "(it is a key of type http)" },
		{ "unknown-key-nowhere", DIRD "colour = blue\n",
		    "t.ini:4: [destination d] colour: unknown key for type "
		    "dir" },
		{ "unknown-key-typo", API "api_kye = abcd\n",
		    "t.ini:4: [destination h] api_kye: unknown key for type "
		    "http (did you mean api_key?)" },
		{ "unknown-key-typo2", "[auditship]\nstatedir = /x\n" DIRD,
		    "t.ini:2: [auditship] statedir: unknown key (did you mean "
		    "state_dir?)" },
		{ "unknown-key-case", API "URL = x\n",
		    "t.ini:4: [destination h] URL: unknown key for type http "
		    "(did you mean url?)" },
		{ "bad-size", API "auth = none\nmax_batch_bytes = 5X\n",
		    "t.ini:5: [destination h] max_batch_bytes: \"5X\" is not a "
		    "size (a number with an optional K, M or G suffix, e.g. "
		    "512K, 5M)" },
		{ "bad-duration", "[auditship]\nsettle = 5w\n" DIRD,
		    "t.ini:2: [auditship] settle: \"5w\" is not a duration (a "
		    "number with a unit ms, s, m, h or d, e.g. 30s, 5m, "
		    "1h30m)" },
		{ "bad-bool", API "auth = none\nverify = maybe\n",
		    "t.ini:5: [destination h] verify: \"maybe\" is not a "
		    "boolean (true/false, yes/no, on/off, 1/0)" },
		{ "bad-enum", "[destination s]\ntype = syslog\n"
		    "transport = sctp\n",
		    "t.ini:3: [destination s] transport: \"sctp\" must be one "
		    "of: udp|tcp|tls|unix" },
		{ "bad-enum-day", "[auditship]\nday_boundary = UTC\n" DIRD,
		    "t.ini:2: [auditship] day_boundary: \"UTC\" must be one "
		    "of: utc|local" },
		{ "int-out-of-range", API "auth = none\ncompress_level = 10\n",
		    "t.ini:5: [destination h] compress_level: 10 is out of "
		    "range (1 to 9)" },
		{ "int-not-number", API "auth = none\nretry_max = many\n",
		    "t.ini:5: [destination h] retry_max: \"many\" is not a "
		    "whole number" },
		{ "size-under-min", "[destination s]\ntype = syslog\n"
		    "max_message = 10\n",
		    "t.ini:3: [destination s] max_message: 10 is out of range "
		    "(64 to 16777216 bytes)" },
		{ "http-no-url", "[destination h]\ntype = http\nauth = none\n",
		    "t.ini:1: [destination h] url: missing (required for "
		    "http)" },
		{ "http-empty-url", "[destination h]\ntype = http\nurl =\n",
		    "t.ini:3: [destination h] url: must not be empty" },
		{ "http-url-scheme", "[destination h]\ntype = http\n"
		    "url = ftp://x\nauth = none\n",
		    "t.ini:3: [destination h] url: must start with http:// or "
		    "https://" },
		{ "http-no-api-key", API,
		    "t.ini:1: [destination h] api_key: missing: set api_key, "
		    "api_key_env or api_key_file (or auth = none)" },
		{ "s3-no-bucket", "[destination b]\ntype = s3\n"
		    "region = eu-west-1\n",
		    "t.ini:1: [destination b] bucket: missing (required for "
		    "s3)" },
		{ "s3-no-region", "[destination b]\ntype = s3\nbucket = x\n",
		    "t.ini:1: [destination b] region: missing (required for "
		    "s3)" },
		{ "dir-no-path", "[destination d]\ntype = dir\n",
		    "t.ini:1: [destination d] path: missing (required for "
		    "dir)" },
		{ "dest-no-type", "[destination d]\npath = /x\n",
		    "t.ini:1: [destination d] type: missing (one of syslog, "
		    "http, s3, dir, azblob, otlp, relp)" },
		{ "dest-empty-section", "[destination d]\n",
		    "t.ini:1: [destination d] type: missing (one of syslog, "
		    "http, s3, dir, azblob, otlp, relp)" },
		{ "dest-unknown-type", "\n[destination d]\ntype = kafka\n",
		    "t.ini:3: [destination d] type: unknown destination type "
		    "\"kafka\" (one of syslog, http, s3, dir, azblob, otlp, relp)" },
		{ "unset-var", "[auditship]\nhostname = ${NOPE_NOT_SET}\n" DIRD,
		    "t.ini:2: [auditship] hostname: environment variable "
		    "NOPE_NOT_SET is not set" },
		{ "unterminated-var", "[auditship]\nhostname = ${HOST\n" DIRD,
		    "t.ini:2: [auditship] hostname: unterminated \"${\"" },
		{ "dup-dest-name", DIRD "[destination d]\ntype = dir\n"
		    "path = /y\n",
		    "t.ini:4: [destination d]: destination name appears twice "
		    "(first on line 1)" },
		{ "dup-section", "[source]\n[auditship]\n[source]\n" DIRD,
		    "t.ini:3: [source]: section appears twice (first on line "
		    "1)" },
		{ "dup-key", DIRD "path = /z\n",
		    "t.ini:4: [destination d] path: duplicate key (first set "
		    "on line 3)" },
		{ "dup-key-indented", DIRD "  path = /z\n",
		    "t.ini:4: [destination d] path: duplicate key (first set "
		    "on line 3)" },
		{ "lock-mode-no-days", "[destination b]\ntype = s3\n"
		    "bucket = x\nregion = r\nobject_lock_mode = COMPLIANCE\n",
		    "t.ini:5: [destination b] object_lock_mode: needs "
		    "object_lock_retain_days (retain-until = upload time + N "
		    "days)" },
		{ "lock-days-no-mode", "[destination b]\ntype = s3\n"
		    "bucket = x\nregion = r\nobject_lock_retain_days = 30\n",
		    "t.ini:5: [destination b] object_lock_retain_days: needs "
		    "object_lock_mode (GOVERNANCE or COMPLIANCE)" },
		{ "lock-mode-case", "[destination b]\ntype = s3\n"
		    "bucket = x\nregion = r\nobject_lock_mode = compliance\n",
		    "t.ini:5: [destination b] object_lock_mode: \"compliance\" "
		    "must be one of: GOVERNANCE|COMPLIANCE" },
		{ "azblob-account-name", "[destination z]\ntype = azblob\n"
		    "account = My_Acct\ncontainer = logs\nsas_token = sv=1\n",
		    "t.ini:3: [destination z] account: 3 to 24 lowercase "
		    "letters and digits" },
		{ "azblob-container-dashes", "[destination z]\ntype = azblob\n"
		    "account = acct\ncontainer = a--b\nsas_token = sv=1\n",
		    "t.ini:4: [destination z] container: 3 to 63 lowercase "
		    "letters, digits and single dashes" },
		{ "azblob-no-auth", "[destination z]\ntype = azblob\n"
		    "account = acct\ncontainer = logs\n",
		    "t.ini:1: [destination z] account_key: one of account_key "
		    "(or _env / _file) and sas_token (or _env / _file) is "
		    "required" },
		{ "azblob-both-auth", "[destination z]\ntype = azblob\n"
		    "account = acct\ncontainer = logs\nsas_token = sv=1\n"
		    "account_key_file = /k\n",
		    "t.ini:1: [destination z] sas_token: give account_key or "
		    "sas_token, not both" },
		{ "azblob-mode-no-days", "[destination z]\ntype = azblob\n"
		    "account = acct\ncontainer = logs\nsas_token = sv=1\n"
		    "immutability_mode = locked\n",
		    "t.ini:6: [destination z] immutability_mode: needs "
		    "immutability_days (until = upload time + N days)" },
		{ "azblob-endpoint", "[destination z]\ntype = azblob\n"
		    "account = acct\ncontainer = logs\nsas_token = sv=1\n"
		    "endpoint = ftp://x\n",
		    "t.ini:6: [destination z] endpoint: must be an http:// or "
		    "https://host[:port][/path] URL" },
		{ "api-key-and-env", API "api_key = abcd1234\n"
		    "api_key_env = DD_KEY\n",
		    "t.ini:5: [destination h] api_key_env: api_key is set too "
		    "(line 4): set only one of api_key, api_key_env, "
		    "api_key_file" },
		{ "api-key-env-and-file", API "api_key_file = /k\n"
		    "api_key_env = DD_KEY\n",
		    "t.ini:5: [destination h] api_key_env: api_key_file is set "
		    "too (line 4): set only one of api_key, api_key_env, "
		    "api_key_file" },
		{ "api-key-env-unset", API "api_key_env = NOPE_NOT_SET\n",
		    "t.ini:4: [destination h] api_key_env: environment "
		    "variable NOPE_NOT_SET is not set" },
		{ "api-key-env-empty", API "api_key_env = EMPTY\n",
		    "t.ini:4: [destination h] api_key_env: environment "
		    "variable EMPTY is empty" },
		{ "key-format-unknown-var", "[destination b]\ntype = s3\n"
		    "bucket = x\nregion = r\nkey_format = {host}/{month}.gz\n",
		    "t.ini:5: [destination b] key_format: unknown variable "
		    "{month} (known: {host} {user} {date} {yyyy} {mm} {dd} "
		    "{start} {end})" },
		{ "key-format-dir", DIRD "key_format = {host}/{date\n",
		    "t.ini:4: [destination d] key_format: unclosed '{' in key "
		    "format" },
		{ "no-destination", "[auditship]\nsettle = 10s\n",
		    "t.ini: no [destination NAME] section: nothing to ship "
		    "to" },
		{ "empty-file", "",
		    "t.ini: no [destination NAME] section: nothing to ship "
		    "to" },
		{ "syntax-no-equals", DIRD "just words\n",
		    "t.ini:4: syntax error: expected \"[section]\", \"key = "
		    "value\" or a comment" },
		{ "syntax-no-bracket", "[destination d\ntype = dir\n",
		    "t.ini:1: syntax error: expected \"[section]\", \"key = "
		    "value\" or a comment" },
		{ "key-outside-section", "path = /x\n" DIRD,
		    "t.ini:1: key outside of any section" },
		{ "dest-without-name", "[destination]\n" DIRD,
		    "t.ini:1: [destination]: a destination needs a name: "
		    "[destination NAME]" },
		{ "dest-bad-name", "[destination a/b]\ntype = dir\n",
		    "t.ini:1: [destination a/b]: bad destination name \"a/b\" "
		    "(use letters, digits, '_', '.' and '-')" },
		{ "framing-on-udp", "[destination s]\ntype = syslog\n"
		    "transport = udp\nframing = newline\n",
		    "t.ini:4: [destination s] framing: applies to transport "
		    "tcp or tls only, not udp" },
		{ "cert-without-key", "[destination s]\ntype = syslog\n"
		    "transport = tls\ncert_file = /c.pem\n",
		    "t.ini:4: [destination s] cert_file: cert_file and "
		    "key_file go together (mutual TLS)" },
		{ "s3-endpoint-scheme", "[destination b]\ntype = s3\n"
		    "bucket = x\nregion = r\nendpoint = 127.0.0.1:9000\n",
		    "t.ini:5: [destination b] endpoint: must start with "
		    "http:// or https://" },
		{ "s3-key-id-no-secret", "[destination b]\ntype = s3\n"
		    "bucket = x\nregion = r\naccess_key_id = AKIA\n",
		    "t.ini:5: [destination b] access_key_id: needs "
		    "secret_access_key (or secret_access_key_env / "
		    "secret_access_key_file)" },
		{ "s3-kms-without-sse", "[destination b]\ntype = s3\n"
		    "bucket = x\nregion = r\nsse_kms_key_id = k\n",
		    "t.ini:5: [destination b] sse_kms_key_id: needs sse = "
		    "aws:kms" },
		{ "source-pattern-slash", "[source]\npattern = a/%Y.jsonl\n"
		    DIRD,
		    "t.ini:2: [source] pattern: must be a file name without "
		    "\"/\"" },
		{ "header-prefix-alone", API "auth = none\nheader. = x\n",
		    "t.ini:5: [destination h] header.: unknown key for type "
		    "http" },
		{ "relative-path", DIRD "[auditship]\nstate_dir = state\n",
		    "t.ini:5: [auditship] state_dir: must be an absolute path "
		    "(or start with ~/)" },
		{ "relative-dir-path", "[destination d]\ntype = dir\n"
		    "path = ./archive\n",
		    "t.ini:3: [destination d] path: must be an absolute path "
		    "(or start with ~/)" },
		{ "empty-hostname", "[auditship]\nhostname =\n" DIRD,
		    "t.ini:2: [auditship] hostname: must not be empty" },
		{ "nul-byte", "[auditship]\nhost\0name = x\n" DIRD,
		    "t.ini:2: NUL byte in the line" },
	};
	struct config cfg;
	struct config_env env = test_env();
	struct err e;
	size_t i, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&e);
		len = strlen(cases[i].ini);
		if (strcmp(cases[i].name, "nul-byte") == 0)
			len = sizeof("[auditship]\nhost\0name = x\n" DIRD) - 1;
		T_CHECK(config_parse(&cfg, "t.ini", cases[i].ini, len, &env,
		    &e) == -1, cases[i].name);
		T_STREQ(e.msg, cases[i].msg, cases[i].name);
		/* A failed parse leaves nothing to free. */
		T_CHECK(cfg.sections == NULL && cfg.path == NULL,
		    cases[i].name);
	}
}

/* header.NAME keys of http and otlp: at most 32, names without blanks
 * or ':' (the same check serves both types). */
static void
test_header_keys(void)
{
	static const char *types[] = {
		"[destination h]\ntype = http\nurl = https://x.test/api\n"
		"auth = none\n",
		"[destination h]\ntype = otlp\nurl = https://x.test/v1/logs\n",
	};
	struct config cfg;
	struct err e;
	struct buf t;
	char want[160];
	size_t k, i, base;
	int rc;

	for (k = 0; k < 2; k++) {
		buf_init(&t, 1 << 16);
		buf_adds(&t, types[k]);
		base = k == 0 ? 4 : 3;		/* lines before the headers */
		for (i = 0; i < 32; i++)
			buf_printf(&t, "header.X-H%zu = v\n", i);
		rc = parse_text(&cfg, t.p, &e);
		T_STREQ(e.msg, "", "32 headers: accepted");
		if (rc == 0)
			config_free(&cfg);
		buf_adds(&t, "header.X-H32 = v\n");
		T_CHECK(parse_text(&cfg, t.p, &e) == -1, "33 headers");
		snprintf(want, sizeof(want), "t.ini:%zu: [destination h] "
		    "header.X-H32: too many header.NAME keys (at most 32)",
		    base + 33);
		T_STREQ(e.msg, want, "33 headers: the 33rd named");
		buf_reset(&t);
		buf_adds(&t, types[k]);
		buf_adds(&t, "header.X\tY = v\n");
		T_CHECK(parse_text(&cfg, t.p, &e) == -1, "a tab in a name");
		T_CHECK(strstr(e.msg, "invalid header") != NULL, e.msg);
		buf_free(&t);
	}
}

static void
test_inline_secret_never_in_errors(void)
{
	struct config cfg;
	struct err e;

	/* The secret's line has an error after it; the message names the
	 * key, never the value. */
	T_CHECK(parse_text(&cfg, API "api_key = hunter2-secret\n"
	    "api_key = hunter2-other\n", &e) == -1, "dup secret");
	T_CHECK(strstr(e.msg, "hunter2") == NULL, "dup secret: no value");
	T_STREQ(e.msg, "t.ini:5: [destination h] api_key: duplicate key "
	    "(first set on line 4)", "dup secret message");
}

static void
test_file_mode(void)
{
	static const struct {
		const char	*name, *ini;
		unsigned	 mode;
		const char	*msg;	/* NULL: loads */
	} cases[] = {
		{ "inline-0644", API "api_key = abcd1234\n", 0644,
		    "t.ini:4: [destination h] api_key: t.ini is readable by "
		    "group/others (mode 644) and holds api_key; chmod 600 it "
		    "or use api_key_env/api_key_file" },
		{ "inline-0604", API "api_key = abcd1234\n", 0604,
		    "t.ini:4: [destination h] api_key: t.ini is readable by "
		    "group/others (mode 604) and holds api_key; chmod 600 it "
		    "or use api_key_env/api_key_file" },
		{ "inline-0600", API "api_key = abcd1234\n", 0600, NULL },
		{ "inline-0620", API "api_key = abcd1234\n", 0620, NULL },
		{ "env-0644", API "api_key_env = DD_KEY\n", 0644, NULL },
		{ "file-0644", API "api_key_file = /etc/k\n", 0644, NULL },
		{ "var-ref-0644", API "api_key = ${DD_KEY}\n", 0644, NULL },
		{ "quoted-var-ref-0644", API "api_key = \"${DD_KEY}\"\n", 0644,
		    NULL },
		{ "var-mixed-0644", API "api_key = x${DD_KEY}\n", 0644,
		    "t.ini:4: [destination h] api_key: t.ini is readable by "
		    "group/others (mode 644) and holds api_key; chmod 600 it "
		    "or use api_key_env/api_key_file" },
		{ "s3-secret-0644", "[destination b]\ntype = s3\nbucket = b\n"
		    "region = r\naccess_key_id = AKIA\n"
		    "secret_access_key = abcd\n", 0640,
		    "t.ini:6: [destination b] secret_access_key: t.ini is "
		    "readable by group/others (mode 640) and holds "
		    "secret_access_key; chmod 600 it or use "
		    "secret_access_key_env/secret_access_key_file" },
		{ "s3-token-0644", "[destination b]\ntype = s3\nbucket = b\n"
		    "region = r\nsession_token = abcd\n", 0644,
		    "t.ini:5: [destination b] session_token: t.ini is "
		    "readable by group/others (mode 644) and holds "
		    "session_token; chmod 600 it or use "
		    "session_token_env/session_token_file" },
		{ "auth-header-0644", API "auth = none\n"
		    "header.Authorization = Bearer abcd\n", 0644,
		    "t.ini:5: [destination h] header.Authorization: t.ini is "
		    "readable by group/others (mode 644) and holds a "
		    "credential header; chmod 600 it or write the value as "
		    "${VAR}" },
		{ "auth-header-var-0644", API "auth = none\n"
		    "header.Authorization = Bearer ${DD_KEY}\n", 0644, NULL },
		{ "plain-header-0644", API "auth = none\n"
		    "header.Accept = application/json\n", 0644, NULL },
		/* Issue 17 item 10: any header but the allow-list is a
		 * credential. */
		{ "unknown-header-0644", API "auth = none\n"
		    "header.X-Team = sec\n", 0644,
		    "t.ini:5: [destination h] header.X-Team: t.ini is "
		    "readable by group/others (mode 644) and holds a "
		    "credential header; chmod 600 it or write the value as "
		    "${VAR}" },
		{ "no-secret-0666", DIRD, 0666, NULL },
	};
	struct config cfg;
	struct config_env env = test_env();
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		env.file_mode = cases[i].mode;
		err_clear(&e);
		int rc = config_parse(&cfg, "t.ini", cases[i].ini,
		    strlen(cases[i].ini), &env, &e);
		if (cases[i].msg == NULL) {
			T_CHECK(rc == 0, cases[i].name);
			T_STREQ(e.msg, "", cases[i].name);
			if (rc == 0)
				config_free(&cfg);
		} else {
			T_CHECK(rc == -1, cases[i].name);
			T_STREQ(e.msg, cases[i].msg, cases[i].name);
		}
	}
}

static void
test_long_lines(void)
{
	struct config cfg;
	struct err e;
	struct buf ini, val;
	size_t n;

	/* inih's default ini_max_line is 200: a 300-byte and a
	 * LIM_CONF_VALUE-byte value must load whole. */
	for (n = 300; n <= LIM_CONF_VALUE; n += LIM_CONF_VALUE - 300) {
		buf_init(&ini, 1 << 20);
		buf_init(&val, 1 << 20);
		buf_adds(&val, "/srv/");
		while (val.len < n)
			buf_addc(&val, 'a' + (char)(val.len % 26));
		buf_printf(&ini, "[destination d]\ntype = dir\npath = %s\n",
		    val.p);
		T_CHECK(parse_text(&cfg, ini.p, &e) == 0, "long value loads");
		T_STREQ(e.msg, "", "long value: no error");
		T_STREQ(conf_str(config_dest(&cfg, 0), "path"), val.p,
		    "long value intact");
		config_free(&cfg);
		buf_free(&ini);
		buf_free(&val);
	}

	/* One byte more than LIM_CONF_VALUE. */
	buf_init(&ini, 1 << 20);
	buf_adds(&ini, "[destination d]\ntype = dir\npath = /");
	for (n = 0; n < LIM_CONF_VALUE; n++)
		buf_addc(&ini, 'v');
	buf_addc(&ini, '\n');
	T_CHECK(parse_text(&cfg, ini.p, &e) == -1, "value over the limit");
	T_STREQ(e.msg, "t.ini:3: [destination d] path: value longer than "
	    "4096 bytes", "value over the limit message");
	buf_free(&ini);

	/* A line of exactly LIM_CONF_LINE bytes with its newline (a
	 * comment: values stop at LIM_CONF_VALUE) is accepted. */
	buf_init(&ini, 1 << 20);
	buf_adds(&ini, "[destination d]\ntype = dir\n");
	n = ini.len;
	buf_adds(&ini, "; ");
	while (ini.len - n < LIM_CONF_LINE - 1)
		buf_addc(&ini, 'x');
	buf_addc(&ini, '\n');
	buf_adds(&ini, "path = /p\n");
	T_CHECK(parse_text(&cfg, ini.p, &e) == 0, "line at the limit loads");
	T_STREQ(conf_str(config_dest(&cfg, 0), "path"), "/p",
	    "line after the long line");
	T_CHECK(conf_line(config_dest(&cfg, 0), "path") == 4,
	    "line numbers after a long line");
	config_free(&cfg);
	buf_truncate(&ini, ini.len - strlen("path = /p\n"));

	/* One byte more: a clear error on the right line, and the lines
	 * after it are not misread as new keys. */
	buf_truncate(&ini, ini.len - 1);
	buf_adds(&ini, "xx\nupload = daily\n");
	T_CHECK(parse_text(&cfg, ini.p, &e) == -1, "line over the limit");
	T_STREQ(e.msg, "t.ini:3: line too long (the limit is 8192 bytes)",
	    "line over the limit message");
	buf_free(&ini);

	/* A value that ${VAR} makes longer than LIM_CONF_VALUE. */
	buf_init(&ini, 1 << 20);
	buf_adds(&ini, "[destination d]\ntype = dir\npath = /");
	for (n = 0; n < 100; n++)
		buf_adds(&ini, "${X}");
	buf_addc(&ini, '\n');
	T_CHECK(parse_text(&cfg, ini.p, &e) == -1, "expanded too long");
	T_STREQ(e.msg, "t.ini:3: [destination d] path: value too long after "
	    "${VAR} expansion (max 4096 bytes)", "expanded too long message");
	buf_free(&ini);
}

static void
test_defaults(void)
{
	struct config cfg;
	struct config_env env = test_env();
	const struct conf_section *s;
	const char *ini = DIRD;
	struct err e;

	T_CHECK(parse_text(&cfg, ini, &e) == 0, "minimal loads");
	T_STREQ(cfg.path, "t.ini", "path");
	T_CHECK(!cfg.embedded, "not embedded");
	T_STREQ(cfg.state_dir, "/home/t/.local/state/auditship",
	    "state_dir default");
	T_STREQ(cfg.hostname, "testhost", "hostname default");
	T_CHECK(cfg.day_local == 0, "day_boundary default utc");
	T_CHECK(cfg.settle_ms == 300000, "settle default");
	T_CHECK(cfg.metrics_file == NULL, "metrics_file default none");
	T_STREQ(cfg.source_dir, "/home/t/.claude/audit", "source dir default");
	T_STREQ(cfg.pattern, "%Y-%m-%d.jsonl", "pattern default");
	T_CHECK(cfg.nsections == 3, "implicit sections");
	T_STREQ(cfg.sections[0].name, "auditship", "sections[0]");
	T_STREQ(cfg.sections[1].name, "source", "sections[1]");
	T_CHECK(config_dest_count(&cfg) == 1, "one dest");
	s = config_dest(&cfg, 0);
	T_STREQ(s->dest_name, "d", "dest name");
	T_STREQ(s->type, "dir", "dest type");
	T_CHECK(s->line == 1, "dest line");
	T_STREQ(conf_str(s, "path"), "/srv/archive", "dir path");
	T_STREQ(conf_str(s, "upload"), "chunk", "dir upload default");
	T_STREQ(conf_str(s, "key_format"),
	    "{host}/{user}/{yyyy}/{mm}/{dd}/{date}.{start}-{end}.jsonl.gz",
	    "dir key_format default");
	T_CHECK(conf_num(s, "compress_level") == 6, "compress_level");
	T_CHECK(conf_is_set(s, "path") && !conf_is_set(s, "upload"),
	    "is_set");
	T_CHECK(conf_line(s, "path") == 3 && conf_line(s, "upload") == 0,
	    "conf_line");
	T_CHECK(config_dest(&cfg, 1) == NULL, "no second dest");
	T_CHECK(conf_str(s, "nope") == NULL && conf_num(s, "nope") == 0,
	    "unknown getter");
	config_free(&cfg);

	/* XDG_STATE_HOME and root. */
	{
		static const char *xdg[] = { "XDG_STATE_HOME", "/xdg/state",
		    NULL, NULL };
		static const char *rel[] = { "XDG_STATE_HOME", "relative",
		    NULL, NULL };

		env.ctx = (void *)xdg;
		T_CHECK(config_parse(&cfg, "t.ini", ini, strlen(ini), &env,
		    &e) == 0, "xdg loads");
		T_STREQ(cfg.state_dir, "/xdg/state/auditship", "xdg state");
		config_free(&cfg);
		env.ctx = (void *)rel;
		T_CHECK(config_parse(&cfg, "t.ini", ini, strlen(ini), &env,
		    &e) == 0, "relative xdg loads");
		T_STREQ(cfg.state_dir, "/home/t/.local/state/auditship",
		    "relative XDG_STATE_HOME ignored");
		config_free(&cfg);
		env.is_root = 1;
		T_CHECK(config_parse(&cfg, "t.ini", ini, strlen(ini), &env,
		    &e) == 0, "root loads");
		T_STREQ(cfg.state_dir, "/var/lib/auditship", "root state");
		config_free(&cfg);
		env = test_env();
		env.home = NULL;
		err_clear(&e);
		T_CHECK(config_parse(&cfg, "t.ini", ini, strlen(ini), &env,
		    &e) == -1, "no home");
		T_STREQ(e.msg, "t.ini: [auditship] state_dir: no default: "
		    "HOME is not set; set state_dir", "no home message");
		env = test_env();
		env.getenv = NULL;
		err_clear(&e);
		T_CHECK(config_parse(&cfg, "t.ini", DIRD "prefix = ${X}\n",
		    strlen(DIRD "prefix = ${X}\n"), &env, &e) == -1,
		    "no getenv");
		T_STREQ(e.msg, "t.ini:4: [destination d] prefix: environment "
		    "variable X is not set", "no getenv message");
		env = test_env();
		env.hostname = NULL;
		err_clear(&e);
		T_CHECK(config_parse(&cfg, "t.ini", ini, strlen(ini), &env,
		    &e) == -1, "no hostname");
		T_STREQ(e.msg, "t.ini: [auditship] hostname: cannot determine "
		    "the host name; set hostname", "no hostname message");
	}
}

static void
test_full(void)
{
	static const char ini[] =
	    "; a comment\n"
	    "# another\n"
	    "[auditship]\n"
	    "state_dir = ~/state\n"
	    "hostname = ${REGION}-box\n"
	    "day_boundary = local\n"
	    "settle = 1h30m\n"
	    "metrics_file = /var/lib/node_exporter/auditship.prom\n"
	    "\n"
	    "[source]\n"
	    "dir = /home/*/.claude/audit\n"
	    "pattern = %Y%m%d.log\n"
	    "\n"
	    "[ destination   a-very-long-destination-name-well-over-fifty-bytes.x ]\n"
	    "type = syslog\n"
	    "transport = udp\n"
	    "\n"
	    "[destination tls]\n"
	    "type = syslog\n"
	    "transport = tls\n"
	    "cert_file = ~/c.pem\n"
	    "key_file = ~/k.pem\n"
	    "\n"
	    "[destination dd]\n"
	    "type = http\n"
	    "url = https://http-intake.logs.datadoghq.eu/api/v2/logs\n"
	    "api_key_env = DD_KEY\n"
	    "header.X-Team = sec ; inline comment\n"
	    "header.X-Env = ${REGION}\n"
	    "max_batch_bytes = 2M\n"
	    "timeout = 10s\n"
	    "  compress = none\n"
	    "\n"
	    "[destination lake]\n"
	    "type = s3\n"
	    "bucket = audit\n"
	    "region = ${REGION}\n"
	    "endpoint = http://127.0.0.1:9000\n"
	    "upload = daily\n"
	    "object_lock_mode = GOVERNANCE\n"
	    "object_lock_retain_days = 365\n"
	    "access_key_id = AKIAEXAMPLE\n"
	    "secret_access_key_env = DD_KEY\n"
	    "\n"
	    "[destination u]\n"
	    "type = syslog\n"
	    "transport = unix\n";
	struct config cfg;
	const struct conf_section *s;
	const struct conf_value *v;
	struct err e;

	T_CHECK(parse_text(&cfg, ini, &e) == 0, "full loads");
	T_STREQ(e.msg, "", "full: no error");
	T_STREQ(cfg.state_dir, "/home/t/state", "state_dir ~");
	T_STREQ(cfg.hostname, "eu-west-1-box", "hostname ${VAR}");
	T_CHECK(cfg.day_local == 1, "day_local");
	T_CHECK(cfg.settle_ms == 5400000, "settle");
	T_STREQ(cfg.metrics_file, "/var/lib/node_exporter/auditship.prom",
	    "metrics_file");
	T_STREQ(cfg.source_dir, "/home/*/.claude/audit", "source glob");
	T_STREQ(cfg.pattern, "%Y%m%d.log", "pattern");
	T_CHECK(config_dest_count(&cfg) == 5, "five dests");

	s = config_dest(&cfg, 0);
	T_STREQ(s->dest_name,
	    "a-very-long-destination-name-well-over-fifty-bytes.x",
	    "long dest name whole");
	T_STREQ(conf_str(s, "address"), "127.0.0.1:514", "udp address");
	T_CHECK(conf_num(s, "max_message") == 2048, "udp max_message");
	T_CHECK(conf_num(s, "transport") == 0, "enum index");
	T_STREQ(conf_str(s, "framing"), "octet-counting", "framing default");
	T_CHECK(conf_num(s, "facility") == 16, "local0 is 16");
	T_CHECK(conf_num(s, "severity") == 6, "info is 6");
	T_CHECK(conf_bool(s, "verify") == 1, "verify default");

	s = config_dest(&cfg, 1);
	T_STREQ(conf_str(s, "address"), "127.0.0.1:6514", "tls address");
	T_CHECK(conf_num(s, "max_message") == 1u << 20, "tls max_message");
	T_STREQ(conf_str(s, "cert_file"), "/home/t/c.pem", "cert_file ~");

	s = config_dest(&cfg, 2);
	T_STREQ(s->dest_name, "dd", "dd");
	T_STREQ(conf_str(s, "auth_header"), "DD-API-KEY", "auth_header");
	T_CHECK(conf_num(s, "max_batch_bytes") == 2u << 20, "batch bytes");
	T_CHECK(conf_num(s, "max_event_bytes") == 1000000, "event bytes (Datadog: decimal)");
	T_CHECK(conf_num(s, "timeout") == 10000, "timeout ms");
	T_CHECK(conf_num(s, "retry_max_time") == 300000, "retry_max_time");
	T_CHECK(conf_num(s, "retry_max") == 8, "retry_max");
	T_STREQ(conf_str(s, "compress"), "none", "indented key");
	T_CHECK(conf_line(s, "compress") == 32, "indented key line");
	v = conf_prefixed(s, "header.", 0);
	T_CHECK(v != NULL && strcmp(v->key, "header.X-Team") == 0 &&
	    strcmp(v->text, "sec") == 0 && v->line == 28, "header 0");
	v = conf_prefixed(s, "header.", 1);
	T_CHECK(v != NULL && strcmp(v->key, "header.X-Env") == 0 &&
	    strcmp(v->text, "eu-west-1") == 0, "header 1");
	T_CHECK(conf_prefixed(s, "header.", 2) == NULL, "header end");
	T_CHECK(conf_str(s, "tags") == NULL, "tags none");

	s = config_dest(&cfg, 3);
	T_STREQ(conf_str(s, "region"), "eu-west-1", "region ${VAR}");
	T_CHECK(conf_bool(s, "path_style") == 1, "path_style with endpoint");
	T_STREQ(conf_str(s, "key_format"),
	    "{host}/{user}/{yyyy}/{mm}/{dd}/{date}.jsonl.gz",
	    "daily key_format");
	T_CHECK(conf_num(s, "object_lock_retain_days") == 365, "retain");
	T_CHECK(conf_num(s, "multipart_threshold") == 64u << 20, "multipart");
	T_STREQ(conf_str(s, "prefix"), "", "prefix empty");
	T_STREQ(conf_str(s, "checksum"), "md5", "checksum");
	T_CHECK(conf_bool(s, "conditional_put") == 1, "conditional_put");

	s = config_dest(&cfg, 4);
	T_STREQ(conf_str(s, "address"), "/dev/log", "unix address");
	config_free(&cfg);

	/* Quotes around a whole value are dropped, inner ones kept. */
	T_CHECK(parse_text(&cfg, "[destination d]\ntype = \"dir\"\n"
	    "path = \"/q p\"\nprefix = a\"b\"\nkey_format = \"\"{date}\"\"\n",
	    &e) == 0, "quotes");
	T_STREQ(e.msg, "", "quotes: no error");
	s = config_dest(&cfg, 0);
	T_STREQ(conf_str(s, "path"), "/q p", "quoted value");
	T_STREQ(conf_str(s, "prefix"), "a\"b\"", "inner quotes kept");
	T_STREQ(conf_str(s, "key_format"), "\"{date}\"", "one pair only");
	config_free(&cfg);

	/* A UTF-8 byte order mark before the first header, CRLF lines. */
	T_CHECK(parse_text(&cfg, "\xEF\xBB\xBF[destination d]\r\n"
	    "type = dir\r\npath = /crlf\r\n", &e) == 0, "bom + crlf");
	T_STREQ(e.msg, "", "bom + crlf: no error");
	T_STREQ(conf_str(config_dest(&cfg, 0), "path"), "/crlf", "crlf value");
	config_free(&cfg);

	/* path_style defaults to false without an endpoint. */
	T_CHECK(parse_text(&cfg, "[destination b]\ntype = s3\nbucket = b\n"
	    "region = r\n", &e) == 0, "s3 minimal");
	T_CHECK(conf_bool(config_dest(&cfg, 0), "path_style") == 0,
	    "path_style without endpoint");
	config_free(&cfg);
}

static void
test_print(void)
{
	struct config cfg;
	struct buf out;
	struct err e;

	T_CHECK(parse_text(&cfg, API "api_key = sekrit-value-1234\n"
	    "header.X-Api-Key = sekrit-header-5678\nheader.X-Team = sekrit-t\n"
	    "header.User-Agent = audit-agent/1\nheader.X-Custom-Id = sekrit-c\n"
	    "[destination b]\ntype = s3\nbucket = b\nregion = r\n"
	    "access_key_id = AKIA\nsecret_access_key = other-sekrit-99\n",
	    &e) == 0, "print config loads");
	buf_init(&out, 1 << 20);
	config_print(&cfg, &out);
	T_CHECK(strstr(out.p, "sekrit") == NULL, "no secret printed");
	T_CHECK(strstr(out.p, "\napi_key = ********\n") != NULL, "api masked");
	T_CHECK(strstr(out.p, "\nheader.X-Api-Key = ********\n") != NULL,
	    "credential header masked");
	T_CHECK(strstr(out.p, "\nheader.X-Team = ********\n") != NULL &&
	    strstr(out.p, "\nheader.X-Custom-Id = ********\n") != NULL,
	    "a header off the allow-list is masked (issue 17 item 10)");
	T_CHECK(strstr(out.p, "\nheader.User-Agent = audit-agent/1\n") != NULL,
	    "an allow-listed header is printed");
	T_CHECK(strstr(out.p, "secret_access_key = ********\n") != NULL,
	    "s3 secret masked");
	T_CHECK(strstr(out.p, "; session_token = (not set)\n") != NULL,
	    "unset secret");
	T_CHECK(strstr(out.p, "session_token_env") == NULL,
	    "unset variants not printed");
	T_CHECK(strstr(out.p, "\n[destination h]\ntype = http\n"
	    "url = https://x.test/api\n") != NULL, "section and set keys");
	T_CHECK(strstr(out.p, "\n[auditship]\nstate_dir = "
	    "/home/t/.local/state/auditship  ; default\n") != NULL,
	    "default marked");
	T_CHECK(strstr(out.p, "settle = 300s  ; default\n") != NULL,
	    "settle default");
	T_CHECK(strstr(out.p, "; metrics_file = (not set)\n") != NULL,
	    "unset printed");
	T_CHECK(strstr(out.p, "; ca_file = (not set)\n") != NULL,
	    "ca_file is not a secret variant");
	T_CHECK(strstr(out.p, "prefix = ; default\n") != NULL,
	    "empty default");
	buf_free(&out);
	config_free(&cfg);

	/* Control bytes of a value are escaped, never printed raw. */
	T_CHECK(parse_text(&cfg, API "api_key = k\n"
	    "header.User-Agent = a\x1b[31mb\x07\n", &e) == 0,
	    "control bytes load");
	buf_init(&out, 1 << 20);
	config_print(&cfg, &out);
	T_CHECK(strchr(out.p, '\x1b') == NULL && strchr(out.p, '\x07') == NULL,
	    "no raw control byte printed");
	T_CHECK(strstr(out.p, "a\\x1b[31mb\\x07") != NULL, "escaped as \\xNN");
	buf_free(&out);
	config_free(&cfg);

	/* The output is itself a valid configuration: feed it back. */
	T_CHECK(parse_text(&cfg, DIRD "[source]\ndir = /a\n", &e) == 0,
	    "print source");
	buf_init(&out, 1 << 20);
	config_print(&cfg, &out);
	config_free(&cfg);
	T_CHECK(parse_text(&cfg, out.p, &e) == 0, "printed config reloads");
	T_STREQ(e.msg, "", "printed config reloads: no error");
	T_STREQ(cfg.source_dir, "/a", "printed config round trip");
	config_free(&cfg);
	buf_free(&out);
}

/* ---- through the file system ------------------------------------------- */

static char tmpdir[] = "/tmp/test_config.XXXXXX";

/* Returns the path in one of a few rotating static buffers. */
static const char *
write_file(const char *name, const char *text, mode_t mode)
{
	static char paths[4][512];
	static size_t next;
	char *path = paths[next++ % 4];
	FILE *f;

	snprintf(path, sizeof(paths[0]), "%s/%s", tmpdir, name);
	unlink(path);
	f = fopen(path, "w");
	if (f == NULL)
		return path;
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return path;
}

static void
test_files(void)
{
	struct config cfg;
	struct buf sec;
	struct err e;
	char want[1024], ini[1024];
	const char *path, *kpath;
	int rc;

	setenv("AUDITSHIP_TEST_KEY", "env-key-value-5678", 1);

	/* Inline secret in a group/other-readable file: refused. */
	path = write_file("open.ini", API "api_key = inline-secret-abcd\n",
	    0644);
	err_clear(&e);
	T_CHECK(config_load(&cfg, path, &e) == -1, "0644 inline refused");
	snprintf(want, sizeof(want), "%s:4: [destination h] api_key: %s is "
	    "readable by group/others (mode 644) and holds api_key; chmod "
	    "600 it or use api_key_env/api_key_file", path, path);
	T_STREQ(e.msg, want, "0644 inline message");
	T_CHECK(strstr(e.msg, "inline-secret") == NULL, "0644: no value");
	chmod(path, 0640);
	err_clear(&e);
	T_CHECK(config_load(&cfg, path, &e) == -1, "0640 inline refused");
	/* 0600 (and 0620: nobody else can read) is fine. */
	chmod(path, 0600);
	err_clear(&e);
	T_CHECK(config_load(&cfg, path, &e) == 0, "0600 inline ok");
	rc = conf_secret(config_dest(&cfg, 0), "api_key", &sec, &e);
	T_CHECK(rc == 1 && strcmp(sec.p, "inline-secret-abcd") == 0,
	    "inline secret read");
	buf_free_secret(&sec);
	T_CHECK(conf_secret(config_dest(&cfg, 0), "session_token", &sec,
	    &e) == 0, "absent secret");
	buf_free_secret(&sec);
	config_free(&cfg);

	/* Secrets from the environment or a file: 0644 is fine. */
	path = write_file("env.ini", API "api_key_env = AUDITSHIP_TEST_KEY\n",
	    0644);
	err_clear(&e);
	T_CHECK(config_load(&cfg, path, &e) == 0, "0644 api_key_env ok");
	T_STREQ(e.msg, "", "0644 api_key_env: no error");
	rc = conf_secret(config_dest(&cfg, 0), "api_key", &sec, &e);
	T_CHECK(rc == 1 && sec.p != NULL &&
	    strcmp(sec.p, "env-key-value-5678") == 0, "env secret read");
	buf_free_secret(&sec);
	config_free(&cfg);

	path = write_file("ref.ini", API "api_key = ${AUDITSHIP_TEST_KEY}\n",
	    0644);
	err_clear(&e);
	T_CHECK(config_load(&cfg, path, &e) == 0, "0644 api_key = ${VAR} ok");
	config_free(&cfg);

	kpath = write_file("dd.key", "file-key-value-9012\n", 0600);
	snprintf(ini, sizeof(ini), API "api_key_file = %s\n", kpath);
	path = write_file("file.ini", ini, 0644);
	err_clear(&e);
	T_CHECK(config_load(&cfg, path, &e) == 0, "0644 api_key_file ok");
	rc = conf_secret(config_dest(&cfg, 0), "api_key", &sec, &e);
	T_CHECK(rc == 1 && sec.p != NULL &&
	    strcmp(sec.p, "file-key-value-9012") == 0,
	    "file secret read, newline stripped");
	buf_free_secret(&sec);
	config_free(&cfg);

	/* A missing key file is a config error naming key, file and line. */
	unlink(kpath);
	err_clear(&e);
	T_CHECK(config_load(&cfg, path, &e) == -1, "missing key file");
	snprintf(want, sizeof(want), "%s:4: [destination h] api_key_file: "
	    "open %s: No such file or directory", path, kpath);
	T_STREQ(e.msg, want, "missing key file message");
	T_CHECK(cfg.sections == NULL, "missing key file: nothing to free");

	kpath = write_file("dd.key", "\n", 0600);
	err_clear(&e);
	T_CHECK(config_load(&cfg, path, &e) == -1, "empty key file");
	snprintf(want, sizeof(want), "%s:4: [destination h] api_key_file: "
	    "%s is empty", path, kpath);
	T_STREQ(e.msg, want, "empty key file message");

	kpath = write_file("dd.key", "line-one-secret\nline-two\n", 0600);
	err_clear(&e);
	T_CHECK(config_load(&cfg, path, &e) == -1, "two-line key file");
	T_CHECK(strstr(e.msg, "line-") == NULL, "two-line: no value");

	/* The env var vanished between parse and use. */
	path = write_file("env.ini", API "api_key_env = AUDITSHIP_TEST_KEY\n",
	    0600);
	T_CHECK(config_load(&cfg, path, &e) == 0, "env loads");
	unsetenv("AUDITSHIP_TEST_KEY");
	err_clear(&e);
	T_CHECK(conf_secret(config_dest(&cfg, 0), "api_key", &sec, &e) == -1,
	    "env gone");
	T_STREQ(e.msg, "[destination h] api_key_env: environment variable "
	    "AUDITSHIP_TEST_KEY is not set", "env gone message");
	buf_free_secret(&sec);
	config_free(&cfg);

	/* Missing file, directory. */
	err_clear(&e);
	T_CHECK(config_load(&cfg, "/nonexistent/a.ini", &e) == -1, "no file");
	T_STREQ(e.msg, "open /nonexistent/a.ini: No such file or directory",
	    "no file message");
	err_clear(&e);
	T_CHECK(config_load(&cfg, tmpdir, &e) == -1, "directory");

	/* The embedded default (SPEC §2.4). */
	setenv("HOME", "/home/emb", 1);
	unsetenv("XDG_DATA_HOME");
	err_clear(&e);
	T_CHECK(config_load(&cfg, NULL, &e) == 0, "embedded loads");
	T_CHECK(cfg.embedded == 1, "embedded flag");
	T_STREQ(cfg.path, "(embedded default)", "embedded path");
	T_CHECK(config_dest_count(&cfg) == 1, "embedded one dest");
	T_STREQ(config_dest(&cfg, 0)->dest_name, "archive", "archive");
	T_STREQ(config_dest(&cfg, 0)->type, "dir", "archive dir");
	T_STREQ(conf_str(config_dest(&cfg, 0), "path"),
	    "/home/emb/.local/share/auditship/archive", "archive path");
	T_STREQ(cfg.source_dir, "/home/emb/.claude/audit", "embedded source");
	config_free(&cfg);
	setenv("XDG_DATA_HOME", "/data", 1);
	T_CHECK(config_load(&cfg, NULL, &e) == 0, "embedded xdg loads");
	T_STREQ(conf_str(config_dest(&cfg, 0), "path"),
	    "/data/auditship/archive", "archive path xdg");
	config_free(&cfg);

	/* Lookup order (SPEC §1). */
	setenv("AUDITSHIP_CONFIG", "/from/env.ini", 1);
	T_STREQ(config_resolve_path("/explicit.ini"), "/explicit.ini",
	    "explicit path wins");
	T_STREQ(config_resolve_path(NULL), "/from/env.ini", "env path");
	unsetenv("AUDITSHIP_CONFIG");
	if (access("/etc/auditship/auditship.ini", F_OK) != 0)
		T_CHECK(config_resolve_path(NULL) == NULL, "embedded default");
}

/*
 * conf/auditship.ini must load as shipped, and with every commented-out
 * destination section and key after the "Destinations" banner switched on.
 */
static void
test_example(void)
{
	char path[1024], *text = NULL;
	const char *root = __FILE__, *cut;
	struct config cfg;
	struct config_env env = test_env();
	struct buf on;
	struct err e;
	FILE *f;
	long n;
	size_t i, start;
	int past_banner = 0;

	cut = strstr(root, "tests/unit/test_config.c");
	T_CHECK(cut != NULL, "source path");
	if (cut == NULL)
		return;
	snprintf(path, sizeof(path), "%.*sconf/auditship.ini",
	    (int)(cut - root), root);
	f = fopen(path, "r");
	T_CHECK(f != NULL, "example opens");
	if (f == NULL)
		return;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	T_CHECK(fread(text, 1, (size_t)n, f) == (size_t)n, "example read");
	fclose(f);
	err_clear(&e);
	T_CHECK(config_parse(&cfg, "auditship.ini", text, (size_t)n, &env,
	    &e) == 0, "example loads");
	T_STREQ(e.msg, "", "example: no error");
	T_CHECK(config_dest_count(&cfg) == 1, "example: one destination");
	config_free(&cfg);

	buf_init(&on, 1 << 20);
	for (i = 0; i < (size_t)n; ) {
		start = i;
		while (i < (size_t)n && text[i] != '\n')
			i++;
		if (i < (size_t)n)
			i++;
		if (strncmp(text + start, "; Destinations:", 15) == 0)
			past_banner = 1;
		if (past_banner && text[start] == ';' &&
		    (text[start + 1] == '[' || (text[start + 1] >= 'a' &&
		    text[start + 1] <= 'z')))
			start++;
		buf_add(&on, text + start, i - start);
	}
	err_clear(&e);
	T_CHECK(config_parse(&cfg, "auditship.ini", on.p, on.len, &env,
	    &e) == 0, "example with everything on loads");
	T_STREQ(e.msg, "", "example with everything on: no error");
	T_CHECK(config_dest_count(&cfg) == 4, "example: four destinations");
	config_free(&cfg);
	buf_free(&on);
	free(text);
}

/* The tables themselves: unique names, secrets with both variants,
 * enum defaults among their choices, bounds that make sense. */
static void
test_tables(void)
{
	static const char *const types[] = { "syslog", "http", "s3", "dir" };
	const struct conf_table *tabs[6];
	const struct conf_table *t;
	const struct conf_key *k;
	char var[128];
	size_t i, j, l, n = 0;

	tabs[n++] = &conf_table_auditship;
	tabs[n++] = &conf_table_source;
	for (i = 0; i < 4; i++) {
		tabs[n] = conf_keys_dest(types[i]);
		T_CHECK(tabs[n] != NULL, types[i]);
		if (tabs[n] == NULL)
			return;
		T_CHECK(conf_keys_find(tabs[n], "type") != NULL &&
		    (conf_keys_find(tabs[n], "type")->flags & CONF_REQUIRED),
		    "type required");
		n++;
	}
	T_CHECK(conf_keys_dest("kafka") == NULL, "no kafka");
	for (i = 0; i < n; i++) {
		t = tabs[i];
		for (j = 0; j < t->nkeys; j++) {
			k = &t->keys[j];
			T_CHECK(strlen(k->name) < CONF_KEYS_NAME_MAX, k->name);
			for (l = j + 1; l < t->nkeys; l++)
				T_CHECK(strcmp(k->name, t->keys[l].name) != 0,
				    k->name);
			if (k->flags & CONF_SECRET) {
				snprintf(var, sizeof(var), "%s_env", k->name);
				T_CHECK(conf_keys_find(t, var) != NULL, var);
				snprintf(var, sizeof(var), "%s_file", k->name);
				T_CHECK(conf_keys_find(t, var) != NULL, var);
				T_CHECK(k->def == NULL, "secret has no default");
			}
			if (k->type == CONF_ENUM)
				T_CHECK(k->choices != NULL, k->name);
			if (k->type == CONF_INT)
				T_CHECK(k->min <= k->max, k->name);
			if ((k->flags & CONF_REQUIRED))
				T_CHECK(k->def == NULL, "required: no default");
		}
	}
	T_CHECK(conf_keys_find(conf_keys_dest("http"), "header.X") != NULL,
	    "prefix match");
	T_CHECK(conf_keys_find(conf_keys_dest("http"), "header.") == NULL,
	    "bare prefix");
	T_CHECK(conf_keys_find(conf_keys_dest("http"), "headerX") == NULL,
	    "not the prefix");
	T_STREQ(conf_keys_suggest(conf_keys_dest("s3"), "bukcet"), "bucket",
	    "suggest transposition");
	T_CHECK(conf_keys_suggest(conf_keys_dest("s3"), "zzz") == NULL,
	    "suggest nothing");
	T_STREQ(conf_keys_other_type("dir", "bucket"), "s3", "other type");
	T_CHECK(conf_keys_other_type("s3", "bucket") == NULL, "own type");
}

/*
 * Mutated configurations: never a crash (the ASan build runs this too),
 * always either a config or a message.  Deterministic (xorshift).
 */
static void
test_mutations(void)
{
	static const char base[] =
	    "[auditship]\nsettle = 5m\nhostname = ${REGION}\n"
	    "[source]\ndir = ~/a\n"
	    "[destination h]\ntype = http\nurl = https://x/\n"
	    "api_key = \"abcd\"\nheader.X-Key = k\n"
	    "[destination b]\ntype = s3\nbucket = b\nregion = r\n"
	    "object_lock_mode = GOVERNANCE\nobject_lock_retain_days = 3\n";
	static const char alphabet[] = "[]=;#${}~/\n\r \"\t\0aZ9._-";
	struct config_env env = test_env();
	struct config cfg;
	struct err e;
	char text[sizeof(base) + 64];
	uint32_t x = 2463534242u;
	size_t len, i, j, pos;
	int rc, bad = 0;

	for (i = 0; i < 3000; i++) {
		memcpy(text, base, sizeof(base) - 1);
		len = sizeof(base) - 1;
		for (j = 0; j < 1 + i % 4; j++) {
			x ^= x << 13; x ^= x >> 17; x ^= x << 5;
			pos = x % len;
			x ^= x << 13; x ^= x >> 17; x ^= x << 5;
			if (x & 1 && len < sizeof(text) - 1) {
				memmove(text + pos + 1, text + pos, len - pos);
				len++;
			}
			text[pos] = alphabet[(x >> 1) % (sizeof(alphabet) - 1)];
		}
		err_clear(&e);
		env.file_mode = i & 1 ? 0644 : 0600;
		rc = config_parse(&cfg, "m.ini", text, len, &env, &e);
		if (rc == 0)
			config_free(&cfg);
		else if (e.msg[0] == '\0' || strncmp(e.msg, "m.ini", 5) != 0)
			bad++;
	}
	T_CHECK(bad == 0, "mutations: every failure has a message");
}

/* Issue 11 item 2: a default never clashes with an explicit setting. */
static void
test_dependent_defaults(void)
{
	struct config cfg;
	struct err e;

	T_CHECK(parse_text(&cfg, API "auth = none\nmax_batch_bytes = 512K\n",
	    &e) == 0, "512K batches load (max_event_bytes unset)");
	T_STREQ(e.msg, "", "512K batches: no error");
	if (e.msg[0] == '\0') {
		T_CHECK(conf_num(config_dest(&cfg, 0), "max_event_bytes") ==
		    512u << 10, "max_event_bytes = min(1,000,000, batch)");
		config_free(&cfg);
	}
	T_CHECK(parse_text(&cfg, API "auth = none\n", &e) == 0, "defaults");
	T_CHECK(conf_num(config_dest(&cfg, 0), "max_batch_bytes") == 5000000 &&
	    conf_num(config_dest(&cfg, 0), "max_event_bytes") == 1000000,
	    "Datadog defaults stay decimal 5,000,000 / 1,000,000");
	config_free(&cfg);
	T_CHECK(parse_text(&cfg, API "auth = none\nmax_batch_bytes = 512K\n"
	    "max_event_bytes = 1000000\n", &e) == -1, "both set, clashing");
	T_STREQ(e.msg, "t.ini:6: [destination h] max_event_bytes: 1000000 is "
	    "larger than max_batch_bytes (524288)", "clash message");
	/* Issue 11 item 13: KB/MB/GB decimal, K/M/G binary. */
	T_CHECK(parse_text(&cfg, API "auth = none\nmax_batch_bytes = 5MB\n"
	    "max_event_bytes = 1MB\n", &e) == 0, "5MB loads");
	T_CHECK(conf_num(config_dest(&cfg, 0), "max_batch_bytes") == 5000000 &&
	    conf_num(config_dest(&cfg, 0), "max_event_bytes") == 1000000,
	    "5MB is 5,000,000 and 1MB 1,000,000");
	config_free(&cfg);
	T_CHECK(parse_text(&cfg, API "auth = none\nmax_batch_bytes = 5M\n",
	    &e) == 0 && conf_num(config_dest(&cfg, 0), "max_batch_bytes") ==
	    5u << 20, "5M is 5 MiB");
	config_free(&cfg);
}

/* Issue 11 item 14: every problem of a file, each with file and line. */
static void
test_all_errors(void)
{
	static const char text[] =
	    "[auditship]\n"
	    "settle = soon\n"				/* 2 */
	    "bogus = 1\n"				/* 3 */
	    "[destination d]\n"
	    "type = dir\n"
	    "path = relative/dir\n"			/* 6 */
	    "[destination h]\n"
	    "type = http\n"
	    "url = ftp://x.test/\n"			/* 9: check() */
	    "auth = none\n"
	    "[destination k]\n"
	    "type = kafka\n";				/* 12 */
	struct config_env env = test_env();
	struct config cfg;
	struct buf rep;
	struct err e;
	char many[4096];
	size_t n = 0;
	int i;

	buf_init(&rep, 1 << 16);
	err_clear(&e);
	T_CHECK(config_parse_report(&cfg, "t.ini", text, strlen(text), &env,
	    0, &rep, &e) == -1, "bad file fails");
	T_STREQ(e.msg, "t.ini:2: [auditship] settle: \"soon\" is not a "
	    "duration (a number with a unit ms, s, m, h or d, e.g. 30s, 5m, "
	    "1h30m)", "the first in e");
	T_STREQ(rep.p ? rep.p : "",
	    "t.ini:2: [auditship] settle: \"soon\" is not a duration (a number "
	    "with a unit ms, s, m, h or d, e.g. 30s, 5m, 1h30m)\n"
	    "t.ini:3: [auditship] bogus: unknown key\n"
	    "t.ini:6: [destination d] path: must be an absolute path (or "
	    "start with ~/)\n"
	    "t.ini:9: [destination h] url: must start with http:// or "
	    "https://\n"
	    "t.ini:12: [destination k] type: unknown destination type "
	    "\"kafka\" (one of syslog, http, s3, dir, azblob, otlp, relp)\n", "every problem");
	buf_free(&rep);

	/* A sane limit. */
	n = (size_t)snprintf(many, sizeof(many), "%s", DIRD);
	for (i = 0; i < 30; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "k%d = 1\n",
		    i);
	buf_init(&rep, 1 << 16);
	T_CHECK(config_parse_report(&cfg, "t.ini", many, n, &env, 0, &rep,
	    &e) == -1, "30 problems fail");
	n = 0;
	for (i = 0; rep.p != NULL && (size_t)i < rep.len; i++)
		n += rep.p[i] == '\n';
	T_CHECK(n == CONFIG_ERRORS_MAX + 1, "at most CONFIG_ERRORS_MAX lines "
	    "and a last one");
	T_CHECK(rep.p != NULL && strstr(rep.p, "t.ini: more errors; only the "
	    "first 20 are shown\n") != NULL, "says that more were found");
	buf_free(&rep);
}

/* Issue 17 item 6: a header after \r, \v or \f starts a section, as in
 * inih, instead of giving its keys to the section before. */
static void
test_section_after_space(void)
{
	static const char *const lead[] = { "\r", "\v", "\f", " \t\v" };
	char text[256];
	struct config cfg;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(lead) / sizeof(lead[0]); i++) {
		snprintf(text, sizeof(text), "[destination a]\ntype = dir\n"
		    "path = /a\n%s[destination b]\ntype = dir\npath = /b\n",
		    lead[i]);
		T_CHECK(parse_text(&cfg, text, &e) == 0, "loads");
		T_STREQ(e.msg, "", "no error");
		if (e.msg[0] != '\0')
			continue;
		T_CHECK(config_dest_count(&cfg) == 2, "two destinations");
		T_CHECK(config_dest_count(&cfg) == 2 &&
		    strcmp(conf_str(config_dest(&cfg, 1), "path"), "/b") == 0 &&
		    strcmp(conf_str(config_dest(&cfg, 0), "path"), "/a") == 0,
		    "b's keys are b's");
		config_free(&cfg);
	}
}

/* Issue 11 item 6: check (CONFIG_SECRETS_WARN) and status (_SKIP) load
 * a config whose secret variable is unset; ship does not. */
static void
test_secret_warn(void)
{
	static const char text[] = API "api_key_env = NOPE_NOT_SET\n";
	struct config_env env = test_env();
	struct config cfg;
	struct err e;

	err_clear(&e);
	T_CHECK(config_parse_report(&cfg, "t.ini", text, strlen(text), &env,
	    CONFIG_SECRETS_WARN, NULL, &e) == 0, "check: loads");
	T_CHECK(cfg.warnings != NULL && strcmp(cfg.warnings, "t.ini:4: "
	    "[destination h] api_key_env: environment variable NOPE_NOT_SET "
	    "is not set\n") == 0, "check: a warning");
	T_CHECK(config_dest(&cfg, 0)->secret_unset == 1, "marked");
	config_free(&cfg);
	T_CHECK(config_parse_report(&cfg, "t.ini", text, strlen(text), &env,
	    CONFIG_SECRETS_SKIP, NULL, &e) == 0, "status: loads");
	config_free(&cfg);
	T_CHECK(config_parse_report(&cfg, "t.ini", text, strlen(text), &env,
	    0, NULL, &e) == -1, "ship: an error");
}

int
main(void)
{
	char cmd[64];

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_tables();
	test_errors();
	test_dependent_defaults();
	test_all_errors();
	test_section_after_space();
	test_secret_warn();
	test_inline_secret_never_in_errors();
	test_header_keys();
	test_file_mode();
	test_long_lines();
	test_defaults();
	test_full();
	test_print();
	test_example();
	test_files();
	test_mutations();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	return t_done("config");
}
