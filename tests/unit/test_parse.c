/*
 * test_parse.c - the pure value parsers (parse.c), one table per function.
 */
#include <stdint.h>
#include <string.h>

#include "parse.h"
#include "test.h"

struct num_case {
	const char	*name;
	const char	*in;
	int		 ok;
	uint64_t	 want;
};

static void
test_uint(void)
{
	static const struct {
		const char	*name, *in;
		uint64_t	 min, max;
		int		 ok;
		uint64_t	 want;
	} cases[] = {
		{ "zero", "0", 0, 10, 1, 0 },
		{ "plain", "42", 0, 100, 1, 42 },
		{ "at-max", "9", 1, 9, 1, 9 },
		{ "over-max", "10", 1, 9, 0, 0 },
		{ "under-min", "0", 1, 9, 0, 0 },
		{ "u64-max", "18446744073709551615", 0, UINT64_MAX, 1,
		    UINT64_MAX },
		{ "u64-overflow", "18446744073709551616", 0, UINT64_MAX, 0, 0 },
		{ "huge", "99999999999999999999999", 0, UINT64_MAX, 0, 0 },
		{ "empty", "", 0, 10, 0, 0 },
		{ "sign", "-1", 0, 10, 0, 0 },
		{ "plus", "+1", 0, 10, 0, 0 },
		{ "space", " 1", 0, 10, 0, 0 },
		{ "trailing", "1x", 0, 10, 0, 0 },
		{ "hex", "0x10", 0, 100, 0, 0 },
		{ "leading-zero", "007", 0, 10, 1, 7 },
	};
	size_t i;
	uint64_t v;
	struct err e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&e);
		v = 12345;
		int rc = parse_uint(cases[i].in, cases[i].min, cases[i].max,
		    &v, &e);
		T_CHECK((rc == 0) == cases[i].ok, cases[i].name);
		if (cases[i].ok)
			T_CHECK(v == cases[i].want, cases[i].name);
		else
			T_CHECK(e.msg[0] != '\0' && v == 12345, cases[i].name);
	}
	err_clear(&e);
	parse_uint("10", 1, 9, &v, &e);
	T_STREQ(e.msg, "10 is out of range (1 to 9)", "uint range message");
	err_clear(&e);
	parse_uint("ten", 1, 9, &v, &e);
	T_STREQ(e.msg, "\"ten\" is not a whole number", "uint nan message");
}

static void
run_num(const struct num_case *c, size_t n,
    int (*fn)(const char *, uint64_t *, struct err *))
{
	size_t i;
	uint64_t v;
	struct err e;

	for (i = 0; i < n; i++) {
		err_clear(&e);
		v = 777;
		int rc = fn(c[i].in, &v, &e);
		T_CHECK((rc == 0) == c[i].ok, c[i].name);
		if (c[i].ok)
			T_CHECK(v == c[i].want, c[i].name);
		else
			T_CHECK(e.msg[0] != '\0' && v == 777, c[i].name);
	}
}

static void
test_size(void)
{
	static const struct num_case cases[] = {
		{ "bytes", "512", 1, 512 },
		{ "zero", "0", 1, 0 },
		{ "K", "4K", 1, 4096 },
		{ "k", "4k", 1, 4096 },
		{ "KiB", "4KiB", 1, 4096 },
		{ "KB-decimal", "4KB", 1, 4000 },
		{ "kB-decimal", "4kB", 1, 4000 },
		{ "MB-decimal", "5MB", 1, 5000000 },
		{ "mB-decimal", "1mB", 1, 1000000 },
		{ "GB-decimal", "2GB", 1, 2000000000ull },
		{ "GB-overflow", "18446744074GB", 0, 0 },
		{ "M", "5M", 1, 5u << 20 },
		{ "m", "5m", 1, 5u << 20 },
		{ "MiB", "64MiB", 1, 64u << 20 },
		{ "G", "2G", 1, 2ull << 30 },
		{ "g", "1g", 1, 1ull << 30 },
		{ "GiB", "3GiB", 1, 3ull << 30 },
		{ "empty", "", 0, 0 },
		{ "suffix-only", "M", 0, 0 },
		{ "unknown-suffix", "5X", 0, 0 },
		{ "T-not-supported", "1T", 0, 0 },
		{ "space", "5 M", 0, 0 },
		{ "decimal", "1.5M", 0, 0 },
		{ "negative", "-1K", 0, 0 },
		{ "kib-lowercase-tail", "4kib", 0, 0 },
		{ "trailing-junk", "4Kx", 0, 0 },
		{ "overflow-shift", "17179869184G", 0, 0 },
		{ "overflow-digits", "99999999999999999999", 0, 0 },
		{ "max-G", "17179869183G", 1, 17179869183ull << 30 },
	};

	run_num(cases, sizeof(cases) / sizeof(cases[0]), parse_size);
}

static void
test_duration(void)
{
	static const struct num_case cases[] = {
		{ "seconds", "300s", 1, 300000 },
		{ "bare-is-seconds", "30", 1, 30000 },
		{ "ms", "250ms", 1, 250 },
		{ "minutes", "5m", 1, 300000 },
		{ "hours", "2h", 1, 7200000 },
		{ "days", "1d", 1, 86400000 },
		{ "compound", "1h30m", 1, 5400000 },
		{ "compound-ms", "1s500ms", 1, 1500 },
		{ "zero", "0s", 1, 0 },
		{ "bare-zero", "0", 1, 0 },
		{ "empty", "", 0, 0 },
		{ "unit-only", "s", 0, 0 },
		{ "unknown-unit", "5w", 0, 0 },
		{ "min-spelled", "5min", 0, 0 },
		{ "upper", "5S", 0, 0 },
		{ "trailing-number", "1h30", 0, 0 },
		{ "space", "5 s", 0, 0 },
		{ "negative", "-5s", 0, 0 },
		{ "decimal", "1.5s", 0, 0 },
		{ "overflow", "99999999999999999999d", 0, 0 },
		{ "overflow-mul", "18446744073709551d", 0, 0 },
		{ "overflow-sum", "18446744073709551s18446744073709551s", 0, 0 },
		{ "bare-overflow", "18446744073709552", 0, 0 },
	};

	run_num(cases, sizeof(cases) / sizeof(cases[0]), parse_duration);
}

static void
test_bool(void)
{
	static const struct {
		const char	*in;
		int		 ok, want;
	} cases[] = {
		{ "true", 1, 1 }, { "yes", 1, 1 }, { "on", 1, 1 }, { "1", 1, 1 },
		{ "TRUE", 1, 1 }, { "Yes", 1, 1 }, { "ON", 1, 1 },
		{ "false", 1, 0 }, { "no", 1, 0 }, { "off", 1, 0 },
		{ "0", 1, 0 }, { "False", 1, 0 }, { "NO", 1, 0 },
		{ "", 0, 0 }, { "2", 0, 0 }, { "y", 0, 0 }, { "enabled", 0, 0 },
		{ " true", 0, 0 }, { "truee", 0, 0 },
	};
	size_t i;
	int v;
	struct err e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&e);
		v = -7;
		int rc = parse_bool(cases[i].in, &v, &e);
		T_CHECK((rc == 0) == cases[i].ok, cases[i].in);
		if (cases[i].ok)
			T_CHECK(v == cases[i].want, cases[i].in);
		else
			T_CHECK(v == -7 && e.msg[0] != '\0', cases[i].in);
	}
}

static void
test_enum(void)
{
	static const struct {
		const char	*in, *choices;
		int		 want;
	} cases[] = {
		{ "udp", "udp|tcp|tls|unix", 0 },
		{ "tcp", "udp|tcp|tls|unix", 1 },
		{ "unix", "udp|tcp|tls|unix", 3 },
		{ "single", "single", 0 },
		{ "TCP", "udp|tcp|tls|unix", -1 },
		{ "tc", "udp|tcp|tls|unix", -1 },
		{ "tcpx", "udp|tcp|tls|unix", -1 },
		{ "", "udp|tcp", -1 },
		{ "aws:kms", "AES256|aws:kms", 1 },
	};
	size_t i;
	struct err e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&e);
		T_CHECK(parse_enum(cases[i].in, cases[i].choices, &e) ==
		    cases[i].want, cases[i].in);
	}
	err_clear(&e);
	parse_enum("xml", "datadog|json_array|ndjson", &e);
	T_STREQ(e.msg, "\"xml\" must be one of: datadog|json_array|ndjson",
	    "enum message");
}

/* A fake environment: NAME=value pairs. */
static const char *
fake_env(void *ctx, const char *name)
{
	const char *const *kv = ctx;

	for (; kv[0] != NULL; kv += 2)
		if (strcmp(kv[0], name) == 0)
			return kv[1];
	return NULL;
}

static void
test_expand_vars(void)
{
	static const char *env[] = {
		"HOST", "web1", "EMPTY", "", "A_1", "x", "LONG",
		"0123456789012345678901234567890123456789", NULL, NULL,
	};
	static const struct {
		const char	*name, *in;
		size_t		 max;
		const char	*want;	/* NULL: error */
		const char	*msg;	/* expected message when error */
	} cases[] = {
		{ "no-vars", "plain text", 100, "plain text", NULL },
		{ "one", "${HOST}", 100, "web1", NULL },
		{ "embedded", "a-${HOST}-b", 100, "a-web1-b", NULL },
		{ "two", "${HOST}${A_1}", 100, "web1x", NULL },
		{ "empty-var", "[${EMPTY}]", 100, "[]", NULL },
		{ "dollar-alone", "price $5", 100, "price $5", NULL },
		{ "dollar-brace-later", "$ {HOST}", 100, "$ {HOST}", NULL },
		{ "double-dollar", "$${HOST}", 100, "$web1", NULL },
		{ "unset", "${NOPE}", 100, NULL,
		    "environment variable NOPE is not set" },
		{ "unterminated", "${HOST", 100, NULL, "unterminated \"${\"" },
		{ "empty-name", "${}", 100, NULL, NULL },
		{ "bad-name", "${1A}", 100, NULL, NULL },
		{ "bad-char", "${A-B}", 100, NULL, NULL },
		{ "too-long", "${LONG}${LONG}", 50, NULL, NULL },
		{ "fits", "${LONG}", 40, "0123456789012345678901234567890123456789",
		    NULL },
	};
	size_t i;
	struct buf out;
	struct err e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&out, cases[i].max);
		err_clear(&e);
		int rc = parse_expand_vars(&out, cases[i].in, fake_env,
		    (void *)env, &e);
		if (cases[i].want != NULL) {
			T_CHECK(rc == 0, cases[i].name);
			T_STREQ(out.p != NULL ? out.p : "", cases[i].want,
			    cases[i].name);
		} else {
			T_CHECK(rc == -1 && e.msg[0] != '\0', cases[i].name);
			if (cases[i].msg != NULL)
				T_STREQ(e.msg, cases[i].msg, cases[i].name);
			/* The message never carries a value. */
			T_CHECK(strstr(e.msg, "0123456789") == NULL,
			    cases[i].name);
		}
		buf_free(&out);
	}
	T_CHECK(parse_is_var_ref("${A}"), "var-ref");
	T_CHECK(parse_is_var_ref("${A_b9}"), "var-ref2");
	T_CHECK(!parse_is_var_ref("${A}x"), "var-ref-suffix");
	T_CHECK(!parse_is_var_ref("x${A}"), "var-ref-prefix");
	T_CHECK(!parse_is_var_ref("${A}${B}"), "var-ref-two");
	T_CHECK(!parse_is_var_ref("${}"), "var-ref-empty");
	T_CHECK(!parse_is_var_ref("secret"), "var-ref-plain");
}

static void
test_expand_home(void)
{
	static const struct {
		const char	*name, *in, *home, *want;
	} cases[] = {
		{ "tilde", "~", "/home/a", "/home/a" },
		{ "tilde-slash", "~/.claude/audit", "/home/a",
		    "/home/a/.claude/audit" },
		{ "absolute", "/var/log", "/home/a", "/var/log" },
		{ "absolute-no-home", "/var/log", NULL, "/var/log" },
		{ "tilde-user", "~bob/x", "/home/a", "~bob/x" },
		{ "middle", "/x/~/y", "/home/a", "/x/~/y" },
		{ "relative", "audit", "/home/a", "audit" },
		{ "no-home", "~/x", NULL, NULL },
		{ "empty-home", "~/x", "", NULL },
	};
	size_t i;
	struct buf out;
	struct err e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&out, 4096);
		err_clear(&e);
		int rc = parse_expand_home(&out, cases[i].in, cases[i].home,
		    &e);
		if (cases[i].want != NULL) {
			T_CHECK(rc == 0, cases[i].name);
			T_STREQ(out.p, cases[i].want, cases[i].name);
		} else
			T_CHECK(rc == -1 && e.msg[0] != '\0', cases[i].name);
		buf_free(&out);
	}
}

int
main(void)
{
	test_uint();
	test_size();
	test_duration();
	test_bool();
	test_enum();
	test_expand_vars();
	test_expand_home();
	return t_done("parse");
}
