/*
 * redact.c - replace secret-shaped substrings with "<REDACTED:kind>".
 *
 * One left-to-right pass over decoded text.  Each byte that can start or
 * announce a secret ('=' and ':' after a secret's name, "://" of a URL, the
 * first letter of a known token prefix, "-----BEGIN") triggers a small
 * matcher; everything else is copied in spans.  The matchers are written
 * by hand rather than with regex(3) because the hook runs on every tool call
 * and must stay well under a millisecond, and because each pattern needs a
 * boundary rule that POSIX EREs cannot express cheaply.
 *
 * What it deliberately does not do: guess at high-entropy strings in
 * general.  A 40-character hex commit id, a UUID, base64 image data and the
 * word "token" in prose must survive, so a bare random-looking string is
 * only redacted when something announces it (a secret's name before it, a
 * known prefix, "Bearer", an AWS access key id in the same string).
 *
 * SPEC §6: bearer tokens, key=/token=/password=/secret= values, GitHub,
 * OpenAI/Anthropic, AWS, GCP, Slack key shapes, URL credentials, PEM private
 * keys; also JWTs and database URLs; and (§6 paragraph 2) environment
 * assignments (PGPASSWORD=, MYSQL_PWD=, *_TOKEN=, *_SECRET=, *_PASSWORD=),
 * -p/--password of mysql/sshpass/docker-login style tools, `aws configure
 * set`, Slack/Discord webhook URLs, Cookie:/Authorization: values and
 * payment card numbers.
 */
#include <string.h>
#include <strings.h>

#include "redact.h"

struct rd {
	const char	*s;
	size_t		 len;
	size_t		 from;		/* first byte not yet copied to out */
	struct buf	*out;
	int		 n;		/* replacements made */
	int		 aws;		/* an AWS access key id occurs in s */
	int		 failed;	/* out is full */
};

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static int
is_upper_alnum(int c)
{
	return (c >= 'A' && c <= 'Z') || is_digit(c);
}

/* base64url, the alphabet of JWT segments and most API tokens. */
static int
is_b64url(int c)
{
	return is_alnum(c) || c == '-' || c == '_';
}

static int
is_word(int c)
{
	return is_alnum(c) || c == '_';
}

static int
is_slack_ch(int c)
{
	return is_alnum(c) || c == '-';
}

static int
is_b64(int c)
{
	return is_alnum(c) || c == '+' || c == '/';
}

/* Characters of an opaque credential after "Bearer " (RFC 6750 b64token). */
static int
is_b64token(int c)
{
	return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
	    c == '+' || c == '/' || c == '=';
}

static int
is_pem_label(int c)
{
	return (c >= 'A' && c <= 'Z') || is_digit(c) || c == ' ';
}

static int
is_name_ch(int c)
{
	return is_alnum(c) || c == '_' || c == '-' || c == '.';
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t';
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static size_t
span(const char *s, size_t i, size_t len, int (*cls)(int))
{
	size_t j = i;

	while (j < len && cls((unsigned char)s[j]))
		j++;
	return j - i;
}

static int
has_prefix(const struct rd *r, size_t i, const char *pfx)
{
	size_t n = strlen(pfx);

	return r->len - i >= n && memcmp(r->s + i, pfx, n) == 0;
}

static int
has_prefix_ci(const struct rd *r, size_t i, const char *pfx)
{
	size_t k, n = strlen(pfx);

	if (r->len - i < n)
		return 0;
	for (k = 0; k < n; k++)
		if (lower((unsigned char)r->s[i + k]) != pfx[k])
			return 0;
	return 1;
}

/*
 * A token prefix only counts at the start of a word: "task-list" does not
 * hold "sk-", and base64 data that happens to contain "AKIA" is preceded
 * by another base64 character.
 */
static int
at_boundary(const struct rd *r, size_t i)
{
	int c;

	/* Right after a marker the text reads "...>": a boundary. */
	if (i == 0 || i == r->from)
		return 1;
	c = (unsigned char)r->s[i - 1];
	return !(is_alnum(c) || c == '_' || c == '-' || c == '+' || c == '/' ||
	    c == '.');
}

/*
 * Does an unannounced value look like a credential rather than a word?
 * Credentials are random: long, and mix digits with letters.  "lambda",
 * "expired" and "the" are not; "3f9a8b7c6d5e" and "hunter22xy" are.
 */
static int
looks_secret(const char *p, size_t n)
{
	size_t k;
	int digit = 0, alpha = 0, up = 0, low = 0;

	for (k = 0; k < n; k++) {
		int c = (unsigned char)p[k];

		digit |= is_digit(c);
		alpha |= is_alpha(c);
		up |= c >= 'A' && c <= 'Z';
		low |= c >= 'a' && c <= 'z';
	}
	if (n >= 8 && digit && alpha)
		return 1;
	return n >= 24 && up && low;
}

/* A token that runs into an earlier marker ("Basic password=<REDACTED:")
 * was a name before it, not a credential. */
static int
at_marker(const struct rd *r, size_t i)
{
	return has_prefix(r, i, "<REDACTED:");
}

static void
rd_copy_to(struct rd *r, size_t a)
{
	if (!r->failed && a > r->from &&
	    buf_add(r->out, r->s + r->from, a - r->from) == -1)
		r->failed = 1;
	if (a > r->from)
		r->from = a;
}

/* Replace s[a..b) (a >= from) by the marker; returns b. */
static size_t
rd_replace(struct rd *r, size_t a, size_t b, const char *kind)
{
	rd_copy_to(r, a);
	if (!r->failed && (buf_add(r->out, "<REDACTED:", 10) == -1 ||
	    buf_adds(r->out, kind) == -1 || buf_addc(r->out, '>') == -1))
		r->failed = 1;
	r->from = b;
	r->n++;
	return b;
}

/*
 * Known token shapes starting at i.  Returns the end of the token and sets
 * *kind, or 0.  Lengths are the documented minimums, loosened a little so
 * that older and newer formats both match.
 */
static size_t
shape_at(const struct rd *r, size_t i, const char **kind)
{
	const char *s = r->s;
	size_t n, m, len = r->len;
	int digit = 0;

	switch (s[i]) {
	case 'g':
		/* GitHub: ghp_ (classic PAT), gho_ (OAuth), ghs_ (app
		 * installation), ghu_ (user-to-server), ghr_ (refresh) are
		 * followed by 36 base62 characters; github_pat_ by 82. */
		if (has_prefix(r, i, "github_pat_") &&
		    (n = span(s, i + 11, len, is_word)) >= 20) {
			*kind = "github";
			return i + 11 + n;
		}
		/* GitLab personal access tokens. */
		if (has_prefix(r, i, "glpat-") &&
		    (n = span(s, i + 6, len, is_b64url)) >= 20) {
			*kind = "gitlab";
			return i + 6 + n;
		}
		if (len - i >= 4 && s[i + 1] == 'h' && s[i + 3] == '_' &&
		    strchr("posur", s[i + 2]) != NULL &&
		    (n = span(s, i + 4, len, is_alnum)) >= 20) {
			*kind = "github";
			return i + 4 + n;
		}
		break;
	case 'r':
	case 's':
		/* Stripe secret and restricted keys (pk_ keys are public). */
		if ((has_prefix(r, i, "sk_live_") || has_prefix(r, i, "sk_test_") ||
		    has_prefix(r, i, "rk_live_") || has_prefix(r, i, "rk_test_")) &&
		    (n = span(s, i + 8, len, is_alnum)) >= 20) {
			*kind = "stripe";
			return i + 8 + n;
		}
		if (s[i] == 'r')
			break;
		if (has_prefix(r, i, "sk-ant-") &&
		    (n = span(s, i + 7, len, is_b64url)) >= 20) {
			*kind = "anthropic";
			return i + 7 + n;
		}
		if (has_prefix(r, i, "sk-") &&
		    (n = span(s, i + 3, len, is_b64url)) >= 20) {
			for (m = 0; m < n; m++)
				digit |= is_digit((unsigned char)s[i + 3 + m]);
			if (digit) {
				*kind = "openai";
				return i + 3 + n;
			}
		}
		break;
	case 'A':
		/* AWS access key ids: AKIA (long-term) or ASIA (STS), then
		 * exactly 16 of [A-Z0-9]. */
		if ((has_prefix(r, i, "AKIA") || has_prefix(r, i, "ASIA")) &&
		    span(s, i + 4, len, is_upper_alnum) == 16 &&
		    (i + 20 == len || !is_alnum((unsigned char)s[i + 20]))) {
			*kind = "aws_access_key_id";
			return i + 20;
		}
		/* Google API keys: AIza + 35 base64url characters. */
		if (has_prefix(r, i, "AIza") &&
		    (n = span(s, i + 4, len, is_b64url)) >= 35) {
			*kind = "gcp_api_key";
			return i + 4 + n;
		}
		break;
	case 'n':
		/* npm access tokens: npm_ + 36 base62. */
		if (has_prefix(r, i, "npm_") &&
		    (n = span(s, i + 4, len, is_alnum)) >= 36) {
			*kind = "npm";
			return i + 4 + n;
		}
		break;
	case 'x':
		/* Slack: xoxb- bot, xoxp- user, xoxa-/xoxr- (refresh),
		 * xoxs- workspace tokens. */
		if (len - i >= 5 && has_prefix(r, i, "xox") &&
		    strchr("abprs", s[i + 3]) != NULL && s[i + 3] != '\0' &&
		    s[i + 4] == '-' &&
		    (n = span(s, i + 5, len, is_slack_ch)) >= 10) {
			*kind = "slack";
			return i + 5 + n;
		}
		break;
	case 'e':
		/* A JWT (RFC 7519): base64url('{"...') . payload . signature.
		 * The signature may be empty (alg "none"). */
		if (has_prefix(r, i, "eyJ") &&
		    (n = span(s, i, len, is_b64url)) >= 10 &&
		    i + n < len && s[i + n] == '.' &&
		    (m = span(s, i + n + 1, len, is_b64url)) >= 10 &&
		    i + n + 1 + m < len && s[i + n + 1 + m] == '.') {
			*kind = "jwt";
			return i + n + 2 + m + span(s, i + n + 2 + m, len,
			    is_b64url);
		}
		break;
	}
	return 0;
}

static int
ends_with(const char *w, const char *suffix)
{
	size_t n = strlen(w), k = strlen(suffix);

	return n > k && strcmp(w + n - k, suffix) == 0;
}

/* Component of a name, lower-cased, for name_kind(). */
struct comp {
	char	w[24];
};

/*
 * Classify a variable, option or header name by its words: DB_PASSWORD,
 * --api-key, accessToken, X-Amz-Security-Token, aws_secret_access_key.
 * The last word decides ("token_count" and "max_tokens" are counters, not
 * tokens); a name ending in "key" is a secret's when an earlier word says
 * so (api, secret, access, private...), else it is only "weak" (sort_key):
 * its value is redacted only when it looks random.
 */
static const char *
name_kind(const char *p, size_t len, int *strong)
{
	struct comp c[8];
	size_t nc = 0, k, wl = 0;
	int prev = 0;

	*strong = 0;
	if (len == 0 || len > 64)
		return NULL;
	memset(c, 0, sizeof(c));
	for (k = 0; k < len; k++) {
		int ch = (unsigned char)p[k];
		int brk = !is_alnum(ch) ||
		    (ch >= 'A' && ch <= 'Z' && prev >= 'a' && prev <= 'z');

		if (brk && wl > 0) {
			if (++nc == 8)
				return NULL;
			wl = 0;
		}
		if (is_alnum(ch)) {
			if (wl + 1 >= sizeof(c[nc].w))
				return NULL;
			c[nc].w[wl++] = (char)lower(ch);
			c[nc].w[wl] = '\0';
		}
		prev = ch;
	}
	if (wl > 0)
		nc++;
	if (nc == 0)
		return NULL;
#define LAST(word)	(strcmp(c[nc - 1].w, (word)) == 0)
	if (LAST("password") || LAST("passwd") || LAST("passphrase") ||
	    (LAST("pass") && nc > 1) || (LAST("pwd") && nc > 1) ||
	    ends_with(c[nc - 1].w, "password") || ends_with(c[nc - 1].w, "passwd")) {
		/* PGPASSWORD, MYSQL_PWD (a bare PWD is the working directory) */
		*strong = 1;
		return "password";
	}
	if (LAST("cookie")) {
		*strong = 1;
		return "cookie";
	}
	/* SECRET_KEY_BASE (Rails), SECRET_KEY: a secret whatever ends it */
	if (nc >= 2 && strcmp(c[0].w, "secret") == 0 && strcmp(c[1].w, "key") == 0) {
		*strong = 1;
		return "secret";
	}
	if (LAST("secret")) {
		*strong = 1;
		return "secret";
	}
	if (LAST("token")) {
		*strong = 1;
		return "token";
	}
	if (LAST("credential") || LAST("credentials")) {
		*strong = 1;
		return "credential";
	}
	if (LAST("authorization")) {
		*strong = 1;
		return "authorization";
	}
	if (LAST("apikey")) {
		*strong = 1;
		return "api_key";
	}
	if (LAST("key")) {
		for (k = 0; k + 1 < nc; k++) {
			const char *w = c[k].w;

			if (strcmp(w, "api") == 0) {
				*strong = 1;
				return "api_key";
			}
			if (strcmp(w, "secret") == 0 ||
			    strcmp(w, "access") == 0 ||
			    strcmp(w, "private") == 0 ||
			    strcmp(w, "signing") == 0 ||
			    strcmp(w, "master") == 0 ||
			    strcmp(w, "encryption") == 0 ||
			    strcmp(w, "client") == 0 ||
			    strcmp(w, "license") == 0 ||
			    strcmp(w, "auth") == 0)
				*strong = 1;
		}
		return "key";
	}
#undef LAST
	return NULL;
}

const char *
redact_name_kind(const char *name, size_t len)
{
	int strong;
	const char *kind = name_kind(name, len, &strong);

	return strong ? kind : NULL;
}

/* End of an unquoted value: shell words, query strings, header values. */
static int
is_value_end(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' ||
	    c == '\'' || c == '&' || c == ';' || c == ',' || c == ')' ||
	    c == '}' || c == ']' || c == '<' || c == '>' || c == '|' ||
	    c == '`' || c == '\\';
}

/*
 * Redact the value [v, vend) announced by a name of `kind`; a value that
 * is fully one known token shape is labelled with that shape's kind.
 */
static size_t
redact_value(struct rd *r, size_t v, size_t vend, const char *kind)
{
	const char *skind = NULL;
	size_t e;

	if (at_boundary(r, v) && (e = shape_at(r, v, &skind)) >= vend)
		kind = skind;
	return rd_replace(r, v, vend, kind);
}

/* "Authorization: <scheme> <credentials>": keep the scheme. */
static size_t
redact_authorization(struct rd *r, size_t v, size_t vend)
{
	size_t n = span(r->s, v, vend, is_b64url), c;
	const char *kind = "authorization";

	if (n > 0 && v + n < vend && is_space((unsigned char)r->s[v + n])) {
		if (n == 6 && has_prefix_ci(r, v, "bearer"))
			kind = "bearer";
		else if (n == 5 && has_prefix_ci(r, v, "basic"))
			kind = "basic_auth";
		c = v + n;
		while (c < vend && is_space((unsigned char)r->s[c]))
			c++;
		if (c == vend)
			return 0;
		return rd_replace(r, c, vend, kind);
	}
	return rd_replace(r, v, vend, kind);
}

/*
 * NAME=value, NAME: value, "NAME": "value", NAME = 'value' where NAME is a
 * secret's name.  i is the '=' or ':'.  Returns the scan position after
 * the value, or 0 when this is not such a pair.
 */
static size_t
rule_pair(struct rd *r, size_t i)
{
	const char *s = r->s, *kind;
	size_t j = i, ne, ns, v, vend;
	int strong, q = 0;
	unsigned char c;

	/* Back over "  " and a closing quote to the name. */
	while (j > r->from && i - j < 2 && is_space((unsigned char)s[j - 1]))
		j--;
	if (j > r->from && (s[j - 1] == '"' || s[j - 1] == '\''))
		j--;
	ne = j;
	while (j > r->from && ne - j < 64 && is_name_ch((unsigned char)s[j - 1]))
		j--;
	ns = j;
	if (ns == ne || (ns > r->from && is_name_ch((unsigned char)s[ns - 1])))
		return 0;
	if ((kind = name_kind(s + ns, ne - ns, &strong)) == NULL)
		return 0;

	v = i + 1;
	while (v < r->len && is_space((unsigned char)s[v]))
		v++;
	if (v < r->len && (s[v] == '"' || s[v] == '\'')) {
		q = s[v];
		v++;
	}
	vend = v;
	if (q) {
		while (vend < r->len && s[vend] != q && s[vend] != '\n')
			vend++;
	} else if (strcmp(kind, "authorization") == 0 ||
	    strcmp(kind, "cookie") == 0) {
		/* A header value runs to the end of the line (or the quote the
		 * header sits in): "Cookie: a=1; b=2" is one value. */
		while (vend < r->len && s[vend] != '"' && s[vend] != '\'' &&
		    s[vend] != '\n' && s[vend] != '\r')
			vend++;
	} else {
		while (vend < r->len && !is_value_end((unsigned char)s[vend]))
			vend++;
	}
	if (vend == v)
		return 0;
	c = (unsigned char)s[v];
	/* $VAR, ${VAR}, <placeholder>, ***, {"nested": ...} are not values. */
	if (c == '$' || c == '<' || c == '*' || c == '{' || c == '%' || c == '[')
		return 0;
	if (strcmp(kind, "authorization") == 0)
		return redact_authorization(r, v, vend);
	/* A weak name's value must look random; an earlier marker inside it
	 * makes it look longer and mixed, so it does not count (redacting
	 * twice must be the same as once). */
	if (!strong && (!looks_secret(s + v, vend - v) ||
	    memmem(s + v, vend - v, "<REDACTED:", 10) != NULL))
		return 0;
	/* "token: expired" in prose: after the bare word "token" and ':', an
	 * unquoted value must look like a credential.  Compound names
	 * (api_key:, access_token:) announce a secret whatever follows. */
	if (s[i] == ':' && !q && ne - ns == 5 &&
	    strncasecmp(s + ns, "token", 5) == 0 &&
	    !looks_secret(s + v, vend - v))
		return 0;
	return redact_value(r, v, vend, kind);
}

static size_t rule_webhook(struct rd *r, size_t a);

static int
scheme_is_db(const char *p, size_t n)
{
	static const char *const db[] = {
		"postgres", "postgresql", "mysql", "mariadb", "mongodb",
		"mongodb+srv", "redis", "rediss", "amqp", "amqps", "mssql",
		"sqlserver", "oracle", "cockroachdb", "clickhouse", "cassandra",
		"couchdb", "neo4j", "neo4j+s", "memcached", "ldap", "ldaps",
	};
	size_t k;

	for (k = 0; k < sizeof(db) / sizeof(db[0]); k++)
		if (strlen(db[k]) == n && memcmp(db[k], p, n) == 0)
			return 1;
	return 0;
}

static int
is_scheme_ch(int c)
{
	return is_alnum(c) || c == '+' || c == '.' || c == '-';
}

/*
 * scheme://userinfo@host (RFC 3986 §3.2.1).  i is the ':'.  The whole
 * userinfo goes: the user name is often the token itself
 * (https://x-access-token:TOKEN@ or https://TOKEN@github.com).
 */
static size_t
rule_url(struct rd *r, size_t i)
{
	const char *s = r->s, *kind;
	size_t j = i, a = i + 3, e, at;
	const char *colon;

	while (j > r->from && is_scheme_ch((unsigned char)s[j - 1]))
		j--;
	if (j == i || !is_alpha((unsigned char)s[j]))
		return 0;
	if ((e = rule_webhook(r, a)) != 0)
		return e;
	for (e = a; e < r->len; e++) {
		unsigned char c = (unsigned char)s[e];

		if (c == '/' || c == '?' || c == '#' || c <= ' ' || c == '"' ||
		    c == '\'' || c == '<' || c == '>' || c == '`' || c == '\\')
			break;
	}
	at = e;
	while (at > a && s[at - 1] != '@')
		at--;
	if (at == a)
		return 0;
	at--;				/* the '@' */
	if (at == a)
		return 0;
	colon = memchr(s + a, ':', at - a);
	kind = scheme_is_db(s + j, i - j) ? "database_url" : "url_credentials";
	if (colon == NULL) {
		/* user@host alone is not a secret (ssh://git@github.com),
		 * unless the "user" is a token. */
		const char *k2;

		if (!looks_secret(s + a, at - a) && shape_at(r, a, &k2) < at)
			return 0;
		kind = "url_credentials";
	} else if (colon + 1 == s + at) {
		return 0;		/* user: with an empty password */
	}
	return rd_replace(r, a, at, kind);
}

/*
 * "-----BEGIN ... PRIVATE KEY-----" through the matching END line; a block
 * cut short (truncated output) is redacted to the end of the text.
 */
static size_t
rule_pem(struct rd *r, size_t i)
{
	const char *s = r->s, *hdr_end, *end, *close;
	size_t lim;

	if (!has_prefix(r, i, "-----BEGIN "))
		return 0;
	lim = r->len - i - 11 < 64 ? r->len - i - 11 : 64;
	hdr_end = memmem(s + i + 11, lim, "-----", 5);
	/* The label is upper case words: "RSA PRIVATE KEY", "OPENSSH
	 * PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "PGP PRIVATE KEY BLOCK". */
	if (hdr_end == NULL ||
	    span(s, i + 11, (size_t)(hdr_end - s), is_pem_label) !=
	    (size_t)(hdr_end - (s + i + 11)) ||
	    memmem(s + i + 11, (size_t)(hdr_end - (s + i + 11)), "PRIVATE KEY",
	    11) == NULL)
		return 0;
	end = memmem(hdr_end + 5, (size_t)(s + r->len - (hdr_end + 5)),
	    "-----END ", 9);
	if (end == NULL)
		return rd_replace(r, i, r->len, "private_key");
	lim = (size_t)(s + r->len - (end + 9));
	close = memmem(end + 9, lim < 64 ? lim : 64, "-----", 5);
	if (close == NULL)
		return rd_replace(r, i, (size_t)(end + 9 - s), "private_key");
	return rd_replace(r, i, (size_t)(close + 5 - s), "private_key");
}

/*
 * The end of a flag's value at *v: a quoted word (then *v moves past the
 * quote) or an unquoted one.
 */
static size_t
flag_value(const struct rd *r, size_t *v)
{
	const char *s = r->s;
	size_t vend;
	int q;

	if (*v < r->len && (s[*v] == '"' || s[*v] == '\'')) {
		q = s[(*v)++];
		for (vend = *v; vend < r->len && s[vend] != q && s[vend] != '\n';)
			vend++;
		return vend;
	}
	for (vend = *v; vend < r->len && !is_value_end((unsigned char)s[vend]);)
		vend++;
	return vend;
}

/*
 * Command-line forms: --password VALUE, --api-key VALUE (the '=' form is
 * rule_pair's), and curl's -u / --user USER:PASSWORD.
 */
static size_t
rule_flag(struct rd *r, size_t i)
{
	const char *s = r->s, *kind, *skind;
	size_t n, v, vend, colon, k;
	int strong, user;

	if (i > 0 && (i == r->from || (!is_space((unsigned char)s[i - 1]) &&
	    s[i - 1] != '"' && s[i - 1] != '\'' && s[i - 1] != '\n')))
		return 0;
	n = span(s, i + 1, r->len, is_name_ch);
	if (n == 0 || i + 1 + n >= r->len || !is_space((unsigned char)s[i + 1 + n]))
		return 0;
	user = (n == 1 && s[i + 1] == 'u') ||
	    (n == 5 && memcmp(s + i + 1, "-user", 5) == 0);
	kind = user ? "basic_auth" : name_kind(s + i + 1, n, &strong);
	if (kind == NULL || (!user && !strong) ||
	    strcmp(kind, "authorization") == 0)
		return 0;
	v = i + 1 + n;
	while (v < r->len && is_space((unsigned char)s[v]))
		v++;
	vend = flag_value(r, &v);
	if (vend == v || s[v] == '-' || s[v] == '$' || s[v] == '<')
		return 0;
	if (!user)
		return redact_value(r, v, vend, kind);
	/* -u USER:PASSWORD; "-u 1000:1000" (docker, uid:gid) is not one,
	 * and "-u redis://..." is a URL (rule_url's). */
	for (colon = v; colon < vend && s[colon] != ':' && s[colon] != '<';
	    colon++)
		;
	if (colon < vend && s[colon] == '<')
		return 0;
	if (colon == v || colon + 1 >= vend || s[colon + 1] == '/' ||
	    s[colon + 1] == '<' ||
	    span(s, colon + 1, vend, is_digit) == vend - colon - 1)
		return 0;
	/* A token as the user name (-u ghp_...:x-oauth-basic) takes the
	 * whole pair with it. */
	for (k = v; k < colon; k++)
		if (at_boundary(r, k) && shape_at(r, k, &skind) != 0)
			return rd_replace(r, v, vend, "basic_auth");
	return rd_replace(r, colon + 1, vend, "basic_auth");
}

/* "Bearer <token>" and "Basic <base64>" outside an Authorization header. */
static size_t
rule_scheme(struct rd *r, size_t i)
{
	const char *s = r->s;
	size_t v, n;

	if (!at_boundary(r, i))
		return 0;
	if (has_prefix_ci(r, i, "bearer") && i + 6 < r->len &&
	    is_space((unsigned char)s[i + 6])) {
		for (v = i + 6; v < r->len && is_space((unsigned char)s[v]);)
			v++;
		n = span(s, v, r->len, is_b64token);
		if (n > 0 && looks_secret(s + v, n) && !at_marker(r, v + n))
			return redact_value(r, v, v + n, "bearer");
		return 0;
	}
	if (has_prefix_ci(r, i, "basic") && i + 5 < r->len &&
	    is_space((unsigned char)s[i + 5])) {
		for (v = i + 5; v < r->len && is_space((unsigned char)s[v]);)
			v++;
		n = span(s, v, r->len, is_b64token);
		if (n >= 8 && (looks_secret(s + v, n) || s[v + n - 1] == '=') &&
		    !at_marker(r, v + n))
			return rd_replace(r, v, v + n, "basic_auth");
	}
	return 0;
}

/*
 * An AWS secret access key is 40 characters of base64 with no marker of
 * its own; it is only recognised in text that also holds an access key id
 * (credentials files, CSV exports, `aws configure` output).  Requiring
 * both cases and a digit keeps 40-hex commit ids safe.
 */
static size_t
rule_aws_secret(struct rd *r, size_t i)
{
	const char *s = r->s;
	size_t n, k;
	int up = 0, low = 0, digit = 0;

	if (i > r->from && (is_b64((unsigned char)s[i - 1]) || s[i - 1] == '='))
		return 0;
	n = span(s, i, r->len, is_b64);
	if (n != 40 || (i + n < r->len && s[i + n] == '='))
		return 0;
	for (k = i; k < i + n; k++) {
		int c = (unsigned char)s[k];

		up |= c >= 'A' && c <= 'Z';
		low |= c >= 'a' && c <= 'z';
		digit |= is_digit(c);
	}
	if (!(up && low && digit))
		return 0;
	return rd_replace(r, i, i + n, "aws_secret_key");
}

static int
has_aws_key_id(const struct rd *r)
{
	const char *p = r->s, *end = r->s + r->len;
	const char *kind;

	while ((p = memchr(p, 'A', (size_t)(end - p))) != NULL) {
		size_t i = (size_t)(p - r->s);

		if (at_boundary(r, i) && shape_at(r, i, &kind) != 0 &&
		    strcmp(kind, "aws_access_key_id") == 0)
			return 1;
		p++;
	}
	return 0;
}

/*
 * The program of the shell command that position i belongs to: the first
 * word after the start of its segment (line, ';', '|', '&', '(', '`'),
 * past "sudo", "env" and VAR=value words, without its directory.  Writes
 * at most cap-1 bytes; "" when there is none.  *after is set past it.
 */
static void
cmd_program(const struct rd *r, size_t i, char *out, size_t cap, size_t *after)
{
	const char *s = r->s;
	size_t a = i, w, n, slash;

	out[0] = '\0';
	*after = i;
	while (a > 0 && strchr("\n;|&(`", s[a - 1]) == NULL)
		a--;
	for (;;) {
		while (a < i && is_space((unsigned char)s[a]))
			a++;
		w = a + span(s, a, i, is_name_ch);
		while (w < i && s[w] == '/')
			w += 1 + span(s, w + 1, i, is_name_ch);
		if (w == a || w >= i)
			return;
		n = w - a;
		if (s[w] == '=') {			/* VAR=value */
			while (w < i && !is_space((unsigned char)s[w]))
				w++;
			a = w;
			continue;
		}
		if ((n == 4 && memcmp(s + a, "sudo", 4) == 0) ||
		    (n == 3 && memcmp(s + a, "env", 3) == 0)) {
			a = w;
			continue;
		}
		for (slash = w; slash > a && s[slash - 1] != '/';)
			slash--;
		n = w - slash;
		if (n >= cap)
			return;
		memcpy(out, s + slash, n);
		out[n] = '\0';
		*after = w;
		return;
	}
}

static int
word_in(const char *w, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(w, *list) == 0)
			return 1;
	return 0;
}

/*
 * "-pVALUE" of mysql-style clients (the password glued to the flag;
 * "-p" alone prompts, and "-p DB" names a database) and "-p VALUE" of
 * sshpass and of `docker login` (docker run -p is a port; psql -p too).
 * i is the '-'.  Returns the end of the value, or 0.
 */
static size_t
rule_short_p(struct rd *r, size_t i)
{
	static const char *const glued[] = {
		"mysql", "mysqldump", "mysqladmin", "mysqlimport", "mysqlcheck",
		"mysqlshow", "mysqlpump", "mariadb", "mariadb-dump",
		"mariadb-admin", "sshpass", NULL,
	};
	static const char *const login[] = { "docker", "podman", "nerdctl", NULL };
	const char *s = r->s;
	char prog[32];
	size_t v = i + 2, vend, after;

	if (i + 2 >= r->len || s[i + 1] != 'p' ||
	    (i > 0 && !is_space((unsigned char)s[i - 1])))
		return 0;
	cmd_program(r, i, prog, sizeof(prog), &after);
	if (prog[0] == '\0')
		return 0;
	if (!is_space((unsigned char)s[v])) {
		if (!word_in(prog, glued))
			return 0;
	} else {
		if (strcmp(prog, "sshpass") != 0 && !(word_in(prog, login) &&
		    memmem(s + after, i - after, " login", 6) != NULL))
			return 0;
		while (v < r->len && is_space((unsigned char)s[v]))
			v++;
	}
	vend = flag_value(r, &v);
	if (vend == v || s[v] == '-' || s[v] == '$' || s[v] == '<')
		return 0;
	return rd_replace(r, v, vend, "password");
}

/*
 * "aws configure set NAME VALUE" (also "aws configure set
 * profile.x.NAME"): the value of a secret's name, space separated.  i is
 * the 'c' of "configure".
 */
static size_t
rule_configure_set(struct rd *r, size_t i)
{
	const char *s = r->s, *kind;
	size_t n, ns, ne, v, vend;
	int strong;

	if (!has_prefix(r, i, "configure") || !at_boundary(r, i))
		return 0;
	n = i + 9;
	if (n >= r->len || !is_space((unsigned char)s[n]))
		return 0;
	while (n < r->len && is_space((unsigned char)s[n]))
		n++;
	if (!has_prefix(r, n, "set") || n + 3 >= r->len ||
	    !is_space((unsigned char)s[n + 3]))
		return 0;
	for (ns = n + 3; ns < r->len && is_space((unsigned char)s[ns]);)
		ns++;
	ne = ns + span(s, ns, r->len, is_name_ch);
	if (ne == ns || ne >= r->len || !is_space((unsigned char)s[ne]))
		return 0;
	/* profile.prod.aws_secret_access_key: the last dotted part */
	for (n = ne; n > ns && s[n - 1] != '.';)
		n--;
	if ((kind = name_kind(s + n, ne - n, &strong)) == NULL || !strong)
		return 0;
	for (v = ne; v < r->len && is_space((unsigned char)s[v]);)
		v++;
	for (vend = v; vend < r->len && !is_value_end((unsigned char)s[vend]);)
		vend++;
	if (vend == v || s[v] == '$' || s[v] == '<')
		return 0;
	return redact_value(r, v, vend, kind);
}

/*
 * Incoming-webhook URLs carry their secret in the path:
 * https://hooks.slack.com/services/T…/B…/XXXX and
 * https://discord.com/api/webhooks/ID/TOKEN (also discordapp.com, ptb.,
 * canary.).  a is the first byte after "://".  The host and the fixed part
 * of the path stay searchable.  Returns the end, or 0.
 */
static size_t
rule_webhook(struct rd *r, size_t a)
{
	static const struct { const char *prefix, *kind; } hooks[] = {
		{ "hooks.slack.com/services/", "slack_webhook" },
		{ "hooks.slack.com/workflows/", "slack_webhook" },
		{ "discord.com/api/webhooks/", "discord_webhook" },
		{ "discordapp.com/api/webhooks/", "discord_webhook" },
		{ "ptb.discord.com/api/webhooks/", "discord_webhook" },
		{ "canary.discord.com/api/webhooks/", "discord_webhook" },
	};
	const char *s = r->s;
	size_t k, v, vend;

	for (k = 0; k < sizeof(hooks) / sizeof(hooks[0]); k++) {
		if (!has_prefix_ci(r, a, hooks[k].prefix))
			continue;
		v = a + strlen(hooks[k].prefix);
		for (vend = v; vend < r->len && (is_b64url((unsigned char)s[vend]) ||
		    s[vend] == '/');)
			vend++;
		if (vend - v < 8)
			return 0;
		return rd_replace(r, v, vend, hooks[k].kind);
	}
	return 0;
}

/* Luhn (ISO/IEC 7812): digits d[0..n), the last one the check digit. */
static int
luhn_ok(const char *d, size_t n)
{
	size_t k;
	int sum = 0;

	for (k = 0; k < n; k++) {
		int v = d[n - 1 - k] - '0';

		if (k % 2 == 1 && (v *= 2) > 9)
			v -= 9;
		sum += v;
	}
	return sum % 10 == 0;
}

/* A card network's IIN prefix for a number of n digits. */
static int
card_prefix(const char *d, size_t n)
{
	int p2 = (d[0] - '0') * 10 + (d[1] - '0');
	int p3 = p2 * 10 + (d[2] - '0'), p4 = p3 * 10 + (d[3] - '0');
	int p6 = (p4 * 10 + (d[4] - '0')) * 10 + (d[5] - '0');

	if (d[0] == '4')					/* Visa */
		return n == 13 || n == 16 || n == 19;
	if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))
		return n == 16;					/* Mastercard */
	if (p2 == 34 || p2 == 37)				/* Amex */
		return n == 15;
	if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) ||
	    (p6 >= 622126 && p6 <= 622925))			/* Discover */
		return n >= 16 && n <= 19;
	if (p2 == 62)						/* UnionPay */
		return n >= 16 && n <= 19;
	if (p4 >= 3528 && p4 <= 3589)				/* JCB */
		return n >= 16 && n <= 19;
	if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39)
		return n >= 14 && n <= 19;			/* Diners */
	return 0;
}

/*
 * A payment card number at i: 13-19 digits, contiguous or grouped by one
 * kind of separator (space or dash) the way cards are printed (groups of
 * 4, the last 1-4; Amex/Diners 4-6-5 / 4-6-4), a network prefix and a
 * valid Luhn digit.  Dates, timestamps and ids rarely pass all three.
 */
static size_t
rule_card(struct rd *r, size_t i)
{
	const char *s = r->s;
	char d[20];
	size_t nd = 0, k = i, g[8], ends[8], ng = 0, glen, t, x;
	char sep = 0;

	if (!at_boundary(r, i))
		return 0;
	/* Groups of digits, one kind of separator, at most 19 digits: a
	 * group that would pass 19 ends the number before it. */
	for (;;) {
		for (glen = 0; k + glen < r->len && is_digit((unsigned char)s[k + glen]);)
			glen++;
		if (nd + glen > 19)
			break;
		memcpy(d + nd, s + k, glen);
		nd += glen;
		k += glen;
		g[ng] = glen;
		ends[ng++] = k;
		if (ng == 8 || k + 1 >= r->len || (s[k] != ' ' && s[k] != '-') ||
		    !is_digit((unsigned char)s[k + 1]) || (sep != 0 && sep != s[k]))
			break;
		sep = s[k++];
	}
	/* The longest run of whole groups that is a card number. */
	for (t = ng; t > 0; t--) {
		size_t n = 0, e = ends[t - 1], ok = 1;

		for (x = 0; x < t; x++)
			n += g[x];
		if (n < 13)
			return 0;
		/* "4111...1111." ends a sentence; "4111...1111.5" is a version */
		if (e < r->len && (is_alnum((unsigned char)s[e]) || s[e] == '_' ||
		    ((s[e] == '.' || s[e] == '/' || s[e] == ':') &&
		    e + 1 < r->len && is_alnum((unsigned char)s[e + 1]))))
			continue;
		if (t == 3 && g[0] == 4 && g[1] == 6 && (g[2] == 5 || g[2] == 4))
			ok = 1;
		else if (t > 1)
			for (x = 0; x < t; x++)
				if (x + 1 < t ? g[x] != 4 : g[x] < 1 || g[x] > 4)
					ok = 0;
		if (ok && card_prefix(d, n) && luhn_ok(d, n))
			return rd_replace(r, i, e, "card");
	}
	return 0;
}

int
redact_member(struct buf *out, const char *name, size_t nlen, const char *s,
    size_t len)
{
	struct rd r = { .s = s, .len = len, .out = out };
	const char *kind;
	int strong;
	unsigned char c;

	kind = name_kind(name, nlen, &strong);
	if (kind == NULL || len == 0)
		return redact_append(out, s, len);
	c = (unsigned char)s[0];
	if (c == '$' || c == '<' || c == '*' || (!strong && !looks_secret(s, len)))
		return redact_append(out, s, len);
	if (strcmp(kind, "authorization") == 0) {
		if (redact_authorization(&r, 0, len) == 0)
			return redact_append(out, s, len);
	} else {
		redact_value(&r, 0, len, kind);
	}
	rd_copy_to(&r, len);
	return r.failed ? -1 : r.n;
}

int
redact_append(struct buf *out, const char *s, size_t len)
{
	struct rd r = { .s = s, .len = len, .out = out };
	const char *kind;
	size_t i = 0, end;

	if (len == 0)
		return 0;
	r.aws = has_aws_key_id(&r);
	while (i < len && !r.failed) {
		end = 0;
		switch (s[i]) {
		case '<':
			/* An earlier "<REDACTED:kind>" is opaque: nothing in it
			 * or touching it is a secret, so redacting twice is
			 * the same as redacting once. */
			if (has_prefix(&r, i, "<REDACTED:")) {
				const char *gt = memchr(s + i, '>', len - i);

				end = gt != NULL ? (size_t)(gt - s) + 1 : len;
			}
			break;
		case '=':
			end = rule_pair(&r, i);
			break;
		case ':':
			if (i + 2 < len && s[i + 1] == '/' && s[i + 2] == '/')
				end = rule_url(&r, i);
			else
				end = rule_pair(&r, i);
			break;
		case '-':
			if ((end = rule_pem(&r, i)) == 0 &&
			    (end = rule_short_p(&r, i)) == 0)
				end = rule_flag(&r, i);
			break;
		case 'c':
			end = rule_configure_set(&r, i);
			break;
		case '2':
		case '3':
		case '4':
		case '5':
		case '6':
			end = rule_card(&r, i);
			break;
		case 'B':
		case 'b':
			end = rule_scheme(&r, i);
			break;
		case 'g':
		case 's':
		case 'r':
		case 'n':
		case 'A':
		case 'x':
		case 'e':
			if (at_boundary(&r, i) &&
			    (end = shape_at(&r, i, &kind)) != 0)
				end = rd_replace(&r, i, end, kind);
			break;
		}
		if (end == 0 && r.aws && is_b64((unsigned char)s[i]))
			end = rule_aws_secret(&r, i);
		i = end > i ? end : i + 1;
	}
	rd_copy_to(&r, len);
	return r.failed ? -1 : r.n;
}
