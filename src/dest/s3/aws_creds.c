/*
 * aws_creds.c - the AWS credential chain (see aws_creds.h).
 *
 * The parsers (shared credentials file, ECS/IMDS JSON, ISO 8601 expiry)
 * are pure and unit-tested; aws_creds_resolve() is the I/O edge that reads
 * the environment and files and asks the metadata endpoints over http.c.
 * It never retries and never sleeps: a failed fetch is reported and the
 * engine's backoff decides when to try again.  Secrets are copied only
 * into buffers reserved at LIM_SECRET up front, so no realloc leaves an
 * unwiped copy behind.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "aws_creds.h"
#include "crypto.h"
#include "fsutil.h"
#include "http.h"
#include "jsonl.h"
#include "log.h"

void
aws_creds_init(struct aws_creds *c)
{
	buf_init(&c->access_key, LIM_SECRET);
	buf_init(&c->secret_key, LIM_SECRET);
	buf_init(&c->token, LIM_SECRET);
	c->expires = 0;
	c->source[0] = '\0';
}

void
aws_creds_free(struct aws_creds *c)
{
	buf_free_secret(&c->access_key);
	buf_free_secret(&c->secret_key);
	buf_free_secret(&c->token);
	c->expires = 0;
	c->source[0] = '\0';
}

/* Copy a secret into b without ever reallocating it. */
static int
aws_creds_put(struct buf *b, const char *p, size_t n)
{
	if (b->p != NULL)
		crypto_wipe(b->p, b->cap);
	buf_reset(b);
	if (n >= LIM_SECRET || buf_reserve(b, LIM_SECRET - 1) == -1)
		return -1;
	b->p[0] = '\0';	/* a fresh allocation holds no terminator yet */
	if (n > 0 && buf_add(b, p, n) == -1)
		return -1;
	return 0;
}

int
aws_creds_set(struct aws_creds *c, const char *ak, size_t aklen,
    const char *sk, size_t sklen, const char *tok, size_t toklen,
    long long expires, const char *source, struct err *e)
{
	if (aklen == 0 || sklen == 0)
		return err_set(e, "%s: access key id or secret access key is "
		    "empty", source);
	if (aws_creds_put(&c->access_key, ak, aklen) == -1 ||
	    aws_creds_put(&c->secret_key, sk, sklen) == -1 ||
	    aws_creds_put(&c->token, tok, toklen) == -1)
		return err_set(e, "%s: credential longer than %d bytes",
		    source, LIM_SECRET - 1);
	c->expires = expires;
	snprintf(c->source, sizeof(c->source), "%s", source);
	log_add_secret(c->secret_key.p);
	if (c->token.len > 0)
		log_add_secret(c->token.p);
	return 0;
}

int
aws_creds_stale(const struct aws_creds *c, long long now)
{
	if (c->access_key.len == 0)
		return 1;
	return c->expires != 0 && now + AWS_CREDS_REFRESH_MARGIN >= c->expires;
}

/* ------------------------------------------------------------ pure parsers */

static const char *
aws_creds_trim(const char *p, const char *end, const char **tend)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		end--;
	*tend = end;
	return p;
}

int
aws_creds_parse_ini(struct aws_creds *c, const char *text, size_t n,
    const char *profile, const char *source, struct err *e)
{
	const char *p = text, *end = text + n, *nl, *s, *se, *eq, *k, *ke, *v,
	    *ve;
	const char *ak = NULL, *sk = NULL, *tok = NULL;
	size_t aklen = 0, sklen = 0, toklen = 0;
	int in = 0, line = 0, found = 0;

	for (; p < end; p = nl + 1) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		s = aws_creds_trim(p, nl, &se);
		if (s == se || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			if (se[-1] != ']')
				return err_set(e, "%s:%d: unterminated "
				    "section header", source, line);
			k = aws_creds_trim(s + 1, se - 1, &ke);
			in = (size_t)(ke - k) == strlen(profile) &&
			    memcmp(k, profile, (size_t)(ke - k)) == 0;
			found |= in;
			continue;
		}
		if (!in)
			continue;
		if ((eq = memchr(s, '=', (size_t)(se - s))) == NULL)
			return err_set(e, "%s:%d: expected name = value",
			    source, line);
		k = aws_creds_trim(s, eq, &ke);
		v = aws_creds_trim(eq + 1, se, &ve);
#define AWS_CREDS_IS(name) ((size_t)(ke - k) == strlen(name) && \
	    strncasecmp(k, name, strlen(name)) == 0)
		if (AWS_CREDS_IS("aws_access_key_id")) {
			ak = v;
			aklen = (size_t)(ve - v);
		} else if (AWS_CREDS_IS("aws_secret_access_key")) {
			sk = v;
			sklen = (size_t)(ve - v);
		} else if (AWS_CREDS_IS("aws_session_token")) {
			tok = v;
			toklen = (size_t)(ve - v);
		}
#undef AWS_CREDS_IS
	}
	if (!found || ak == NULL || sk == NULL)
		return 0;
	if (aws_creds_set(c, ak, aklen, sk, sklen, tok, toklen, 0, source,
	    e) == -1)
		return -1;
	return 1;
}

int
aws_creds_parse_time(const char *s, long long *out)
{
	struct tm tm;
	const char *p;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || (p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return -1;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	/* Metadata services speak UTC; accept the spellings of zero. */
	if (strcmp(p, "Z") != 0 && strcmp(p, "+00:00") != 0 &&
	    strcmp(p, "+0000") != 0 && *p != '\0')
		return -1;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	*out = (long long)t;
	return 0;
}

/* Unescape a JSON string's raw bytes into out (reserved, never grown).
 * Credentials are ASCII: a \u escape is refused rather than decoded. */
static int
aws_creds_json_str(const char *p, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;
	char c;

	for (i = 0; i < n; i++) {
		c = p[i];
		if (c == '\\') {
			if (++i >= n)
				return -1;
			switch (p[i]) {
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case '/': c = '/'; break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			default: return -1;
			}
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return (int)o;
}

int
aws_creds_parse_json(struct aws_creds *c, const char *p, size_t n,
    const char *source, struct err *e)
{
	char *ak = NULL, *sk = NULL, *tok = NULL, exp[64], code[64];
	const char *v;
	size_t vl;
	int akl, skl, tokl = 0, rc = -1;
	long long expires = 0;

	if (p == NULL || !jsonl_is_object(p, n))
		return err_set(e, "%s: answer is not a JSON object", source);
	if (jsonl_find_string(p, n, "Code", &v, &vl) &&
	    (aws_creds_json_str(v, vl, code, sizeof(code)) < 0 ||
	    strcmp(code, "Success") != 0))
		return err_set(e, "%s: Code is not Success", source);
	ak = malloc(LIM_SECRET);
	sk = malloc(LIM_SECRET);
	tok = malloc(LIM_SECRET);
	if (ak == NULL || sk == NULL || tok == NULL) {
		err_set(e, "%s: out of memory", source);
		goto done;
	}
	if (!jsonl_find_string(p, n, "AccessKeyId", &v, &vl) ||
	    (akl = aws_creds_json_str(v, vl, ak, LIM_SECRET)) <= 0 ||
	    !jsonl_find_string(p, n, "SecretAccessKey", &v, &vl) ||
	    (skl = aws_creds_json_str(v, vl, sk, LIM_SECRET)) <= 0) {
		err_set(e, "%s: AccessKeyId or SecretAccessKey missing",
		    source);
		goto done;
	}
	if (jsonl_find_string(p, n, "Token", &v, &vl) &&
	    (tokl = aws_creds_json_str(v, vl, tok, LIM_SECRET)) < 0) {
		err_set(e, "%s: bad Token", source);
		goto done;
	}
	if (jsonl_find_string(p, n, "Expiration", &v, &vl) &&
	    (aws_creds_json_str(v, vl, exp, sizeof(exp)) < 0 ||
	    aws_creds_parse_time(exp, &expires) == -1)) {
		err_set(e, "%s: bad Expiration", source);
		goto done;
	}
	rc = aws_creds_set(c, ak, (size_t)akl, sk, (size_t)skl, tok,
	    (size_t)tokl, expires, source, e);
done:
	if (ak != NULL) {
		crypto_wipe(ak, LIM_SECRET);
		free(ak);
	}
	if (sk != NULL) {
		crypto_wipe(sk, LIM_SECRET);
		free(sk);
	}
	if (tok != NULL) {
		crypto_wipe(tok, LIM_SECRET);
		free(tok);
	}
	return rc;
}

/* ------------------------------------------------------------- the chain */

/* Read a small file into b (a secret buffer when secret).  1 read, 0 the
 * file does not exist, -1 error. */
static int
aws_creds_read_file(const char *path, struct buf *b, size_t max,
    struct err *e)
{
	struct err fe = { 0, "" };

	if (fs_read_file(path, b, max, NULL, "file", &fe) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	if (e != NULL)
		*e = fe;
	return -1;
}

static int
aws_creds_from_static(struct aws_creds *c, const struct aws_creds_opts *o,
    struct err *e)
{
	if (o->access_key_id == NULL && o->secret_access_key == NULL)
		return 0;
	if (o->access_key_id == NULL || o->secret_access_key == NULL)
		return err_set(e, "access_key_id and secret_access_key must "
		    "be set together");
	if (aws_creds_set(c, o->access_key_id, strlen(o->access_key_id),
	    o->secret_access_key, strlen(o->secret_access_key),
	    o->session_token, o->session_token ? strlen(o->session_token) : 0,
	    0, "static keys", e) == -1)
		return -1;
	return 1;
}

static int
aws_creds_from_env(struct aws_creds *c, struct err *e)
{
	const char *ak = getenv("AWS_ACCESS_KEY_ID");
	const char *sk = getenv("AWS_SECRET_ACCESS_KEY");
	const char *tok = getenv("AWS_SESSION_TOKEN");

	if ((ak == NULL || *ak == '\0') && (sk == NULL || *sk == '\0'))
		return 0;
	if (ak == NULL || *ak == '\0' || sk == NULL || *sk == '\0')
		return err_set(e, "environment: AWS_ACCESS_KEY_ID and "
		    "AWS_SECRET_ACCESS_KEY must be set together");
	if (aws_creds_set(c, ak, strlen(ak), sk, strlen(sk), tok,
	    tok ? strlen(tok) : 0, 0, "environment", e) == -1)
		return -1;
	return 1;
}

static int
aws_creds_from_profile(struct aws_creds *c, const struct aws_creds_opts *o,
    char *why, size_t whylen, struct err *e)
{
	const char *file = getenv("AWS_SHARED_CREDENTIALS_FILE");
	const char *profile = o->profile;
	char path[LIM_PATH], source[LIM_PATH + 64];
	struct buf text;
	int rc;

	if (profile == NULL)
		profile = getenv("AWS_PROFILE");
	if (profile == NULL || *profile == '\0')
		profile = "default";
	if (file == NULL || *file == '\0') {
		const char *home = getenv("HOME");
		if (home == NULL || *home == '\0') {
			snprintf(why, whylen, "no HOME");
			return 0;
		}
		rc = snprintf(path, sizeof(path), "%s/.aws/credentials", home);
		if (rc < 0 || (size_t)rc >= sizeof(path))
			return err_set(e, "HOME too long");
		file = path;
	}
	buf_init(&text, AWS_CREDS_FILE_MAX);
	rc = aws_creds_read_file(file, &text, AWS_CREDS_FILE_MAX, e);
	if (rc == 1) {
		snprintf(source, sizeof(source), "profile %s of %s", profile,
		    file);
		rc = aws_creds_parse_ini(c, text.p != NULL ? text.p : "",
		    text.len, profile, source, e);
		if (rc == 0)
			snprintf(why, whylen, "no [%.32s] keys in %.100s",
			    profile, file);
	} else if (rc == 0) {
		snprintf(why, whylen, "%.120s absent", file);
	}
	buf_free_secret(&text);
	return rc;
}

/* Is a container full URI one we may send a token to over plain http? */
static int
aws_creds_uri_allowed(const char *uri)
{
	static const char *const ok[] = {
		"http://127.", "http://localhost:", "http://localhost/",
		"http://[::1]", "http://169.254.170.2:", "http://169.254.170.2/",
		"http://169.254.170.23:", "http://169.254.170.23/",
		"http://[fd00:ec2::23]",
	};
	size_t i;

	if (strncmp(uri, "https://", 8) == 0)
		return 1;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strncmp(uri, ok[i], strlen(ok[i])) == 0)
			return 1;
	return 0;
}

static int
aws_creds_http(struct http_client **hc, const struct aws_creds_opts *o,
    struct err *e)
{
	struct http_opts ho;

	if (*hc != NULL)
		return 0;
	memset(&ho, 0, sizeof(ho));
	ho.ca_file = o->ca_file;
	ho.verify = 1;
	/* Metadata endpoints are local: answer fast or not at all (the
	 * SDKs use 1 s); a long wait here would stall every run off EC2. */
	ho.timeout_ms = 3000;
	ho.connect_timeout_ms = 1000;
	ho.log_name = o->log_name;
	*hc = http_client_new(&ho, e);
	return *hc != NULL ? 0 : -1;
}

static int
aws_creds_from_ecs(struct aws_creds *c, const struct aws_creds_opts *o,
    struct http_client **hc, struct err *e)
{
	const char *rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char *tokfile = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *tokenv = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	struct buf url, tok;
	struct http_header h[1];
	struct http_request rq;
	struct http_response rs;
	int rc = -1;

	if ((rel == NULL || *rel == '\0') && (full == NULL || *full == '\0'))
		return 0;
	buf_init(&url, LIM_PATH);
	buf_init(&tok, LIM_SECRET);
	http_response_init(&rs);
	memset(&rq, 0, sizeof(rq));
	if (rel != NULL && *rel != '\0') {
		if (buf_printf(&url, "%s%s%s", AWS_CREDS_ECS_HOST,
		    rel[0] == '/' ? "" : "/", rel) == -1) {
			err_set(e, "ECS credentials: URI too long");
			goto done;
		}
	} else {
		if (!aws_creds_uri_allowed(full)) {
			err_set(e, "ECS credentials: "
			    "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https "
			    "or a loopback/container address");
			goto done;
		}
		if (buf_adds(&url, full) == -1) {
			err_set(e, "ECS credentials: URI too long");
			goto done;
		}
		if (tokfile != NULL && *tokfile != '\0') {
			if (aws_creds_read_file(tokfile, &tok, LIM_SECRET - 1,
			    e) != 1) {
				err_set(e, "ECS credentials: cannot read %s",
				    tokfile);
				goto done;
			}
			while (tok.len > 0 && (tok.p[tok.len - 1] == '\n' ||
			    tok.p[tok.len - 1] == '\r'))
				buf_truncate(&tok, tok.len - 1);
		} else if (tokenv != NULL && *tokenv != '\0') {
			if (buf_reserve(&tok, LIM_SECRET - 1) == -1 ||
			    buf_adds(&tok, tokenv) == -1) {
				err_set(e, "ECS credentials: token too long");
				goto done;
			}
		}
	}
	if (aws_creds_http(hc, o, e) == -1)
		goto done;
	rq.method = "GET";
	rq.url = url.p;
	if (tok.len > 0) {
		log_add_secret(tok.p);
		h[0].name = "Authorization";
		h[0].value = tok.p;
		h[0].secret = 1;
		rq.headers = h;
		rq.nheaders = 1;
	}
	if (http_do(*hc, &rq, &rs, e) != HTTP_OK) {
		err_set(e, "ECS credentials: request failed");
		goto done;
	}
	if (rs.status != 200) {
		err_set(e, "ECS credentials: %s answered HTTP %ld",
		    rel != NULL && *rel != '\0' ? AWS_CREDS_ECS_HOST :
		    "the full URI", rs.status);
		goto done;
	}
	if (aws_creds_parse_json(c, rs.body.p, rs.body.len,
	    "ECS container credentials", e) == -1)
		goto done;
	rc = 1;
done:
	http_response_free(&rs);
	buf_free(&url);
	buf_free_secret(&tok);
	return rc;
}

static int
aws_creds_from_imds(struct aws_creds *c, const struct aws_creds_opts *o,
    struct http_client **hc, char *why, size_t whylen, struct err *e)
{
	const char *base = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	const char *off = getenv("AWS_EC2_METADATA_DISABLED");
	struct buf url, tok, role;
	struct http_header h[1];
	struct http_request rq;
	struct http_response rs;
	char source[192];
	size_t blen;
	int rc = -1;

	if (off != NULL && strcasecmp(off, "true") == 0) {
		snprintf(why, whylen, "disabled");
		return 0;
	}
	if (base == NULL || *base == '\0')
		base = AWS_CREDS_IMDS_HOST;
	blen = strlen(base);
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	buf_init(&url, LIM_PATH);
	buf_init(&tok, LIM_SECRET);
	buf_init(&role, 1024);
	http_response_init(&rs);
	memset(&rq, 0, sizeof(rq));
	if (aws_creds_http(hc, o, e) == -1)
		goto done;

	/* IMDSv2: a session token first (PUT), then every GET carries it. */
	if (buf_printf(&url, "%.*s/latest/api/token", (int)blen, base) == -1)
		goto toolong;
	h[0].name = "X-aws-ec2-metadata-token-ttl-seconds";
	h[0].value = AWS_CREDS_IMDS_TTL;
	h[0].secret = 0;
	rq.method = "PUT";
	rq.url = url.p;
	rq.headers = h;
	rq.nheaders = 1;
	rq.body = "";
	rq.body_len = 0;
	if (http_do(*hc, &rq, &rs, e) != HTTP_OK) {
		/* Not on EC2: nothing answers.  Not an error of its own. */
		snprintf(why, whylen, "no metadata service at %.*s",
		    (int)(blen > 64 ? 64 : blen), base);
		err_clear(e);
		rc = 0;
		goto done;
	}
	if (rs.status != 200 || rs.body.len == 0) {
		err_set(e, "IMDSv2: token request answered HTTP %ld",
		    rs.status);
		goto done;
	}
	if (buf_reserve(&tok, LIM_SECRET - 1) == -1 ||
	    buf_add(&tok, rs.body.p, rs.body.len) == -1) {
		err_set(e, "IMDSv2: token too long");
		goto done;
	}
	crypto_wipe(rs.body.p, rs.body.len);
	log_add_secret(tok.p);

	h[0].name = "X-aws-ec2-metadata-token";
	h[0].value = tok.p;
	h[0].secret = 1;
	rq.method = "GET";
	rq.body = NULL;
	buf_reset(&url);
	if (buf_printf(&url, "%.*s/latest/meta-data/iam/security-credentials/",
	    (int)blen, base) == -1)
		goto toolong;
	rq.url = url.p;
	if (http_do(*hc, &rq, &rs, e) != HTTP_OK)
		goto done;
	if (rs.status == 404) {
		snprintf(why, whylen, "no IAM role attached to the instance");
		rc = 0;
		goto done;
	}
	if (rs.status != 200 || rs.body.len == 0) {
		err_set(e, "IMDSv2: role list answered HTTP %ld", rs.status);
		goto done;
	}
	{
		const char *nl = memchr(rs.body.p, '\n', rs.body.len);
		size_t rl = nl != NULL ? (size_t)(nl - rs.body.p) : rs.body.len;
		if (buf_add(&role, rs.body.p, rl) == -1) {
			err_set(e, "IMDSv2: role name too long");
			goto done;
		}
	}
	if (buf_printf(&url, "%s", role.p) == -1)
		goto toolong;
	if (http_do(*hc, &rq, &rs, e) != HTTP_OK)
		goto done;
	if (rs.status != 200) {
		err_set(e, "IMDSv2: credentials of role %s answered HTTP %ld",
		    role.p, rs.status);
		goto done;
	}
	snprintf(source, sizeof(source), "IMDSv2 role %s", role.p);
	if (aws_creds_parse_json(c, rs.body.p, rs.body.len, source, e) == -1)
		goto done;
	rc = 1;
	goto done;
toolong:
	err_set(e, "IMDSv2: URL too long");
done:
	if (rs.body.p != NULL)
		crypto_wipe(rs.body.p, rs.body.len);
	http_response_free(&rs);
	buf_free(&url);
	buf_free_secret(&tok);
	buf_free(&role);
	return rc;
}

int
aws_creds_resolve(struct aws_creds *c, const struct aws_creds_opts *o,
    long long now, struct err *e)
{
	struct http_client *hc = NULL;
	const char *mode = o->mode != NULL ? o->mode : "auto";
	int is_auto = strcmp(mode, "auto") == 0, rc = 0;
	char why_profile[160] = "", why_imds[128] = "";

	(void)now;
	if (rc == 0 && (is_auto || strcmp(mode, "static") == 0))
		rc = aws_creds_from_static(c, o, e);
	if (rc == 0 && (is_auto || strcmp(mode, "env") == 0))
		rc = aws_creds_from_env(c, e);
	if (rc == 0 && (is_auto || strcmp(mode, "profile") == 0))
		rc = aws_creds_from_profile(c, o, why_profile,
		    sizeof(why_profile), e);
	if (rc == 0 && (is_auto || strcmp(mode, "ecs") == 0))
		rc = aws_creds_from_ecs(c, o, &hc, e);
	if (rc == 0 && (is_auto || strcmp(mode, "imds") == 0))
		rc = aws_creds_from_imds(c, o, &hc, why_imds,
		    sizeof(why_imds), e);
	http_client_free(hc);
	if (rc == 1)
		return 0;
	if (rc == 0)
		err_set(e, "no AWS credentials (credentials = %s): no static "
		    "keys, no AWS_ACCESS_KEY_ID, %s, no ECS URI, IMDS: %s",
		    mode, why_profile[0] ? why_profile : "no profile",
		    why_imds[0] ? why_imds : "not tried");
	return -1;
}
