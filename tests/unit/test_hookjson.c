/*
 * test_hookjson.c - payload -> audit line (SPEC §6): members in order,
 * strings redacted at any depth, invalid payloads kept, tool_response cut,
 * --minimal allow-list, and the pure time helpers (midnight rollover).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "hookjson.h"
#include "jsonl.h"
#include "caps.h"
#include "test.h"

#define HEAD	"{\"ts\":\"2026-11-20T10:00:00.123Z\",\"host\":\"devbox\",\"user\":\"dev\""

static char *
line(const char *payload, size_t plen, int minimal, size_t max_response,
    int truncated)
{
	struct hookjson_in in = {
		.ts = "2026-11-20T10:00:00.123Z",
		.host = "devbox",
		.user = "dev",
		.payload = payload,
		.payload_len = plen,
		.payload_truncated = truncated,
		.minimal = minimal,
		.max_response = max_response,
	};
	struct buf b;

	buf_init(&b, LIM_HOOK_LINE);
	if (hookjson_line(&b, &in) == -1) {
		buf_free(&b);
		return strdup("(failed)");
	}
	return b.p;
}

struct lcase {
	const char *name;
	const char *payload;
	const char *want;	/* after HEAD, before "}\n" */
};

static const struct lcase full[] = {
	{ "members-in-order",
	  "{\"session_id\":\"8c35adc1-4b2e-4f1a-9c3d-2e5f6a7b8c9d\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Read\",\"tool_input\":{\"file_path\":\"/home/dev/p/a.c\"}}",
	  ",\"session_id\":\"8c35adc1-4b2e-4f1a-9c3d-2e5f6a7b8c9d\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Read\",\"tool_input\":{\"file_path\":\"/home/dev/p/a.c\"}" },
	{ "whitespace-dropped",
	  " {\n \"a\" : [ 1 , 2.5e-3 , -0 , true , false , null ] ,\t\"b\" : { } , \"c\":[]}\n",
	  ",\"a\":[1,2.5e-3,-0,true,false,null],\"b\":{},\"c\":[]" },
	{ "empty-object",
	  "{}", "" },
	{ "nested-secret",
	  "{\"tool_input\":{\"command\":\"curl -H 'Authorization: Bearer 0a1b2c3d4e5f6a7b8c9d' https://api\",\"env\":[{\"v\":\"ghp_16C7e42F292c6912E7710c838347Ae178B4a\"}]}}",
	  ",\"tool_input\":{\"command\":\"curl -H 'Authorization: Bearer <REDACTED:bearer>' https://api\",\"env\":[{\"v\":\"<REDACTED:github>\"}]}" },
	{ "secret-written-with-escapes",
	  "{\"s\":\"\\u0041KIAIOSFODNN7EXAMPLE\",\"u\":\"https:\\/\\/u:p4ss@h\\/x\"}",
	  ",\"s\":\"<REDACTED:aws_access_key_id>\",\"u\":\"https://<REDACTED:url_credentials>@h/x\"" },
	{ "pem-across-escaped-newlines",
	  "{\"content\":\"x\\n-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49\\n-----END EC PRIVATE KEY-----\\ny\"}",
	  ",\"content\":\"x\\n<REDACTED:private_key>\\ny\"" },
	{ "member-name-announces-secret",
	  "{\"headers\":{\"Authorization\":\"Bearer abc123def456ghi\",\"X-Api-Key\":\"k9s8d7f6g5h4\",\"Accept\":\"*/*\"}}",
	  ",\"headers\":{\"Authorization\":\"Bearer <REDACTED:bearer>\",\"X-Api-Key\":\"<REDACTED:api_key>\",\"Accept\":\"*/*\"}" },
	{ "keys-are-not-redacted-values-are",
	  "{\"password\":\"hunter2\",\"token_count\":3}",
	  ",\"password\":\"<REDACTED:password>\",\"token_count\":3" },
	{ "own-ts-host-user-renamed",
	  "{\"ts\":\"x\",\"host\":\"y\",\"user\":\"z\",\"nested\":{\"ts\":1}}",
	  ",\"payload_ts\":\"x\",\"payload_host\":\"y\",\"payload_user\":\"z\",\"nested\":{\"ts\":1}" },
	{ "control-characters-escaped",
	  "{\"s\":\"a\\u0001b\\tc\\u001fd\\\"e\\\\f\"}",
	  ",\"s\":\"a\\u0001b\\tc\\u001fd\\\"e\\\\f\"" },
	{ "surrogate-pair-and-lone",
	  "{\"s\":\"\\ud83d\\ude00 \\ud800x\"}",
	  ",\"s\":\"\xf0\x9f\x98\x80 \xef\xbf\xbdx\"" },
	{ "invalid-utf8-replaced",
	  "{\"s\":\"a\xff\xc3(b\"}",
	  ",\"s\":\"a\\ufffd\\ufffd(b\"" },
	{ "not-json",
	  "hello password=hunter2",
	  ",\"invalid_json\":true,\"payload\":\"hello password=<REDACTED:password>\"" },
	{ "json-but-not-object",
	  "[1,2,3]",
	  ",\"invalid_json\":true,\"payload\":\"[1,2,3]\"" },
	{ "truncated-object",
	  "{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"echo hi",
	  ",\"invalid_json\":true,\"payload\":\"{\\\"tool_name\\\":\\\"Bash\\\",\\\"tool_input\\\":{\\\"command\\\":\\\"echo hi\"" },
	{ "trailing-garbage",
	  "{\"a\":1} x",
	  ",\"invalid_json\":true,\"payload\":\"{\\\"a\\\":1} x\"" },
	{ "raw-control-char-in-string-is-invalid",
	  "{\"a\":\"x\ny\"}",
	  ",\"invalid_json\":true,\"payload\":\"{\\\"a\\\":\\\"x\\ny\\\"}\"" },
	{ "bad-number",
	  "{\"a\":01}",
	  ",\"invalid_json\":true,\"payload\":\"{\\\"a\\\":01}\"" },
	{ "empty-payload",
	  "",
	  ",\"invalid_json\":true,\"payload\":\"\"" },
};

static void
test_full(void)
{
	size_t i;
	char want[4096];

	for (i = 0; i < sizeof(full) / sizeof(full[0]); i++) {
		char *got = line(full[i].payload, strlen(full[i].payload), 0,
		    LIM_HOOK_RESPONSE, 0);

		snprintf(want, sizeof(want), HEAD "%s}\n", full[i].want);
		T_STREQ(got, want, full[i].name);
		free(got);
	}
}

static void
test_flags(void)
{
	char *got;

	got = line("{\"a\":1}", 7, 0, 0, 1);
	T_STREQ(got, HEAD ",\"payload_truncated\":true,\"a\":1}\n", "truncated flag");
	free(got);
	got = line("{\"a\":", 5, 1, 0, 1);
	T_STREQ(got, HEAD ",\"payload_truncated\":true,\"invalid_json\":true}\n",
	    "minimal invalid keeps no text");
	free(got);
}

/* Nesting past LIM_HOOK_DEPTH is refused, not recursed into. */
static void
test_depth(void)
{
	char p[1024], *got;
	size_t i, n = 0;
	int d;

	for (d = 0; d < 2; d++) {
		size_t depth = d == 0 ? LIM_HOOK_DEPTH - 1 : 500;

		n = 0;
		p[n++] = '{';
		memcpy(p + n, "\"a\":", 4);
		n += 4;
		for (i = 0; i < depth && n < sizeof(p) - 600; i++)
			p[n++] = '[';
		depth = i;
		for (i = 0; i < depth; i++)
			p[n++] = ']';
		p[n++] = '}';
		got = line(p, n, 0, 0, 0);
		if (d == 0)
			T_CHECK(strstr(got, "invalid_json") == NULL, "depth ok");
		else
			T_CHECK(strstr(got, "\"invalid_json\":true") != NULL,
			    "depth refused");
		free(got);
	}
}

/* Append a formatted piece at q (room is known to suffice); returns the
 * new end. */
static char *
app(char *q, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(q, 256, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= 256)
		abort();
	return q + n;
}

static char *
big_response(size_t stdout_len, size_t stderr_len)
{
	char *p = malloc(stdout_len + stderr_len + 256), *q = p;

	q = app(q, "{\"tool_name\":\"Bash\",\"tool_response\":{\"stdout\":\"");
	memset(q, 'a', stdout_len);
	q += stdout_len;
	q = app(q, "\",\"stderr\":\"");
	memset(q, 'b', stderr_len);
	q += stderr_len;
	app(q, "\",\"interrupted\":false,\"exit_code\":2},\"after\":1}");
	return p;
}

/* The tool_response member's JSON text in a line. */
static size_t
response_len(const char *l)
{
	const char *a = strstr(l, "\"tool_response\":"), *b;

	if (a == NULL || (b = strstr(a, ",\"tool_response_cut_bytes\":")) == NULL)
		return 0;
	return (size_t)(b - a) - strlen("\"tool_response\":");
}

static void
test_cut(void)
{
	char *p, *got;
	size_t n;

	/* Small enough: untouched, no flag. */
	p = big_response(1000, 10);
	got = line(p, strlen(p), 0, 16384, 0);
	T_CHECK(strstr(got, "tool_response_cut_bytes") == NULL, "small not cut");
	free(got);
	free(p);

	/* One big output: cut, the marker says how much, members survive. */
	p = big_response(100000, 0);
	got = line(p, strlen(p), 0, 16384, 0);
	n = response_len(got);
	T_CHECK(n > 15000 && n <= 16384, "cut to max");
	T_CHECK(strstr(got, "[auditship: cut ") != NULL, "marker");
	T_CHECK(strstr(got, "\"interrupted\":false,\"exit_code\":2}") != NULL,
	    "scalars kept");
	T_CHECK(strstr(got, "\"after\":1}\n") != NULL, "members after kept");
	T_CHECK(strstr(got, "\"tool_response_cut_bytes\":") != NULL, "flag");
	free(got);
	free(p);

	/* Two big outputs share the room; the small one is whole. */
	p = big_response(50000, 30000);
	got = line(p, strlen(p), 0, 16384, 0);
	n = response_len(got);
	T_CHECK(n > 15000 && n <= 16384, "shared cut to max");
	T_CHECK(strstr(got, "bbbbbbbbbb[auditship: cut ") != NULL, "both cut");
	free(got);
	free(p);

	/* max 0: never cut. */
	p = big_response(100000, 0);
	got = line(p, strlen(p), 0, 0, 0);
	T_CHECK(strlen(got) > 100000, "no cut with 0");
	free(got);
	free(p);

	/* Structure alone too big: kept as a cut string of its text. */
	{
		size_t k, cap = 40000;
		char *q;

		p = malloc(cap);
		q = app(p, "{\"tool_response\":[");
		for (k = 0; k < 5000; k++)
			q = app(q, "%s%zu", k ? "," : "", k);
		app(q, "]}");
		got = line(p, strlen(p), 0, 1000, 0);
		T_CHECK(strstr(got, "\"tool_response\":\"[0,1,2,3") != NULL,
		    "fallback string");
		T_CHECK(strstr(got, "[auditship: cut ") != NULL,
		    "fallback marker");
		T_CHECK(strlen(got) < 1400, "fallback bounded");
		free(got);
		free(p);
	}
	/* More strings than LIM_HOOK_STRINGS can be sized: the fallback. */
	{
		size_t k;
		char *q;

		p = malloc(4 * (LIM_HOOK_STRINGS + 100) + 64);
		q = app(p, "{\"tool_response\":[");
		for (k = 0; k < LIM_HOOK_STRINGS + 100; k++)
			q = app(q, "%s\"a\"", k ? "," : "");
		app(q, "]}");
		got = line(p, strlen(p), 0, 1000, 0);
		T_CHECK(strstr(got, "\"tool_response\":\"[\\\"a\\\",") != NULL,
		    "many strings: fallback string");
		T_CHECK(strlen(got) < 1400, "many strings: bounded");
		free(got);
		free(p);
	}
	/* A secret straddling the cut point is redacted before cutting. */
	{
		char *q;

		p = malloc(40000);
		q = app(p, "{\"tool_response\":{\"stdout\":\"");
		memset(q, 'x', 16370);
		q += 16370;
		q[0] = ' ';
		q++;
		q = app(q, "ghp_16C7e42F292c6912E7710c838347Ae178B4a tail\"}}");
		got = line(p, strlen(p), 0, 16384, 0);
		T_CHECK(strstr(got, "ghp_16C7") == NULL, "no partial secret");
		free(got);
		free(p);
	}
}

static void
test_minimal(void)
{
	static const char bash[] =
	    "{\"session_id\":\"abc-123\",\"transcript_path\":\"/home/dev/.claude/projects/p/abc-123.jsonl\","
	    "\"cwd\":\"/home/dev/secret-project\",\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Bash\","
	    "\"tool_input\":{\"command\":\"PGPASSWORD=hunter2 /usr/bin/psql -h db.internal -c 'select * from users'\",\"description\":\"query users\"},"
	    "\"tool_response\":{\"stdout\":\"alice|alice@example.com\",\"stderr\":\"\",\"interrupted\":false,\"exit_code\":3}}";
	static const char edit[] =
	    "{\"session_id\":\"s1\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Edit\","
	    "\"tool_input\":{\"file_path\":\"/etc/passwd\",\"old_string\":\"a\",\"new_string\":\"b\"}}";
	static const char start[] =
	    "{\"session_id\":\"s2\",\"hook_event_name\":\"SessionStart\",\"source\":\"startup\"}";
	static const char pasted[] =
	    "{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ghp_16C7e42F292c6912E7710c838347Ae178B4a\"}}";
	char *got;

	got = line(bash, strlen(bash), 1, LIM_HOOK_RESPONSE, 0);
	T_STREQ(got, HEAD ",\"hook_event_name\":\"PostToolUse\",\"session_id\":\"abc-123\","
	    "\"tool_name\":\"Bash\",\"program\":\"psql\",\"exit_status\":3}\n", "minimal bash");
	free(got);
	got = line(edit, strlen(edit), 1, LIM_HOOK_RESPONSE, 0);
	T_STREQ(got, HEAD ",\"hook_event_name\":\"PreToolUse\",\"session_id\":\"s1\","
	    "\"tool_name\":\"Edit\"}\n", "minimal edit");
	free(got);
	got = line(start, strlen(start), 1, LIM_HOOK_RESPONSE, 0);
	T_STREQ(got, HEAD ",\"hook_event_name\":\"SessionStart\",\"session_id\":\"s2\"}\n",
	    "minimal session start");
	free(got);
	got = line(pasted, strlen(pasted), 1, LIM_HOOK_RESPONSE, 0);
	T_STREQ(got, HEAD ",\"tool_name\":\"Bash\"}\n", "pasted secret is no program");
	free(got);
}

static void
test_program(void)
{
	static const struct { const char *cmd, *want; } t[] = {
		{ "git status", "git" },
		{ "FOO=bar BAZ=1 /usr/bin/python3 x.py", "python3" },
		{ "  (cd src && make -j2)", "cd" },
		{ "npm test -- --token=abc", "npm" },
		{ "'./run tests'", "run" },
		{ "$CMD --x", "" },
		{ "", "" },
		{ "A=1", "" },
		{ "echo $(cat ~/.aws/credentials)", "echo" },
		{ "kubectl get pods -n prod|grep x", "kubectl" },
		{ "x86_64-linux-gnu-gcc -c a.c", "x86_64-linux-gnu-gcc" },
	};
	char out[LIM_HOOK_FIELD];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		hookjson_program(t[i].cmd, strlen(t[i].cmd), out, sizeof(out));
		T_STREQ(out, t[i].want, t[i].cmd);
	}
	hookjson_program("abcdefgh", 8, out, 4);
	T_STREQ(out, "abc", "bounded");
}

static void
test_time(void)
{
	char s[32];

	hookjson_ts(0, 0, s);
	T_STREQ(s, "1970-01-01T00:00:00.000Z", "epoch");
	hookjson_ts(1795219199, 999, s);
	T_STREQ(s, "2026-11-20T23:59:59.999Z", "last ms of the day");
	hookjson_ts(1795219200, 7, s);
	T_STREQ(s, "2026-11-21T00:00:00.007Z", "first ms of the next");

	/* Midnight rollover, UTC calendar. */
	T_CHECK(hookjson_day_file(1795219199, 0, s) == 0, "day utc");
	T_STREQ(s, "2026-11-20.jsonl", "23:59:59 UTC");
	T_CHECK(hookjson_day_file(1795219200, 0, s) == 0, "day utc 2");
	T_STREQ(s, "2026-11-21.jsonl", "00:00:00 UTC");

	/* day_boundary = local, in a zone 14 h ahead (POSIX TZ, no tzdata
	 * needed): noon UTC on the 20th is already the 21st there; UTC
	 * naming must not depend on TZ. */
	setenv("TZ", "XXX-14", 1);
	tzset();
	T_CHECK(hookjson_day_file(1795176000, 1, s) == 0, "day local");
	T_STREQ(s, "2026-11-21.jsonl", "local day ahead of UTC");
	T_CHECK(hookjson_day_file(1795176000, 0, s) == 0, "day utc tz");
	T_STREQ(s, "2026-11-20.jsonl", "utc ignores TZ");
	/* ... and local midnight in that zone is 10:00 UTC. */
	T_CHECK(hookjson_day_file(1795219200 - 14 * 3600 - 1, 1, s) == 0, "x");
	T_STREQ(s, "2026-11-20.jsonl", "local 23:59:59");
	T_CHECK(hookjson_day_file(1795219200 - 14 * 3600, 1, s) == 0, "y");
	T_STREQ(s, "2026-11-21.jsonl", "local 00:00:00");
	unsetenv("TZ");
	tzset();

	/* Years past 9999 have no YYYY-MM-DD name: an error, not garbage. */
	T_CHECK(hookjson_day_file((time_t)1 << 40, 0, s) == -1, "year 34k");
	hookjson_ts((time_t)1 << 40, 5, s);
	T_STREQ(s, "1970-01-01T00:00:00.000Z", "ts out of range");
	hookjson_ts(1795219200, 1000, s);
	T_STREQ(s, "2026-11-21T00:00:00.000Z", "ms out of range");
}

/* An output buffer too small fails cleanly and restores its length. */
static void
test_bounds(void)
{
	struct hookjson_in in = {
		.ts = "t", .host = "h", .user = "u",
		.payload = "{\"a\":\"xxxxxxxxxxxxxxxxxxxxxxxx\"}",
		.max_response = 10,
	};
	struct buf b;

	in.payload_len = strlen(in.payload);
	buf_init(&b, 40);
	T_CHECK(buf_add(&b, "keep", 4) == 0, "prefill");
	T_CHECK(hookjson_line(&b, &in) == -1, "too small");
	T_CHECK(b.len == 4, "length restored");
	buf_free(&b);
}

/*
 * Never trust the input: 3000 deterministic mutations of a real payload
 * (bytes flipped, cut, duplicated, special bytes inserted), in both modes.
 * Every result must be one valid JSON object and one line; the sanitizer
 * build checks that no read strays.
 */
static void
test_mutations(void)
{
	static const char seed[] =
	    "{\"session_id\":\"8c35adc1\",\"hook_event_name\":\"PostToolUse\","
	    "\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"curl -u a:b "
	    "https://u:p@h/x?token=abc123def456 -H 'Authorization: Bearer "
	    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'\",\"n\":[1,-2.5e3,true,"
	    "null,{\"\\u00e9\\ud83d\\ude00\":\"\\n\"}]},\"tool_response\":"
	    "{\"stdout\":\"-----BEGIN RSA PRIVATE KEY-----\\nMIIE\\n\",\"exit_code\":1}}";
	static const char specials[] = "\"\\{}[]:,\x00\x01\xff\xc3\n-=@/";
	char p[sizeof(seed) * 2];
	unsigned long r = 12345;
	size_t n, k, bad = 0, bad_lines = 0;
	int i, j, minimal;
	struct buf b;

	buf_init(&b, LIM_HOOK_LINE);
	for (i = 0; i < 3000; i++) {
		memcpy(p, seed, sizeof(seed) - 1);
		n = sizeof(seed) - 1;
		for (j = 0; j < 1 + i % 4; j++) {
			r = r * 6364136223846793005ul + 1442695040888963407ul;
			k = (r >> 33) % n;
			switch ((r >> 20) % 4) {
			case 0:	/* flip a byte */
				p[k] = specials[(r >> 8) % (sizeof(specials) - 1)];
				break;
			case 1:	/* cut */
				n = k;
				break;
			case 2:	/* insert a special byte */
				if (n + 1 < sizeof(p)) {
					memmove(p + k + 1, p + k, n - k);
					p[k] = specials[(r >> 8) % (sizeof(specials) - 1)];
					n++;
				}
				break;
			default: /* duplicate a span */
				if (n + 16 < sizeof(p) && k + 16 <= n) {
					memmove(p + k + 16, p + k, n - k);
					n += 16;
				}
			}
			if (n == 0)
				break;
		}
		for (minimal = 0; minimal < 2; minimal++) {
			struct hookjson_in in = {
				.ts = "2026-11-20T10:00:00.123Z", .host = "h",
				.user = "u", .payload = p, .payload_len = n,
				.minimal = minimal, .max_response = 40,
			};

			buf_reset(&b);
			if (hookjson_line(&b, &in) == -1 || b.len < 2 ||
			    b.p[b.len - 1] != '\n' ||
			    !jsonl_is_object(b.p, b.len - 1))
				bad++;
			if (b.p != NULL && memchr(b.p, '\n', b.len - 1) != NULL)
				bad_lines++;
		}
	}
	T_CHECK(bad == 0, "every mutated payload gives a valid object");
	T_CHECK(bad_lines == 0, "every mutated payload gives one line");
	buf_free(&b);
}

int
main(void)
{
	test_full();
	test_flags();
	test_depth();
	test_cut();
	test_minimal();
	test_program();
	test_time();
	test_bounds();
	test_mutations();
	return t_done("hookjson");
}
