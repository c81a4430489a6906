/*
 * s3_archive.c - reading an s3 bucket back through archive.h (see
 * s3_archive.h).  Memory stays bounded: one listing page and one piece of
 * a download at a time.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "caps.h"
#include "dest.h"
#include "http.h"
#include "parse.h"
#include "s3_archive.h"
#include "s3_client.h"
#include "s3_request.h"
#include "sigv4.h"

/* Keys per page: an answer must fit http.c's response cap (64 KiB)
 * whatever the length of the keys. */
#define S3_LIST_PAGE	"40"

/* What a HEAD said of a key's Object Lock, kept from --fast's checksum
 * HEAD until the day's lock check asks (one HEAD per object, not two). */
struct s3_lock_head {
	char		 mode[32], until[64], hold[16];	/* "" when absent */
};

struct s3_lock_memo {
	struct s3_lock_memo *next;
	int		 found;		/* 1 answered 200; 0 absent or forbidden */
	struct s3_lock_head h;
	char		 key[];
};

struct s3_archive {
	struct dest	*d;		/* opened as the engine opens it */
	struct s3_lock_memo *memo;
};

struct s3_client *dest_s3_client(struct dest *d);

struct s3_archive *
s3_archive_new(struct dest *d, struct err *e)
{
	struct s3_archive *a;

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		err_set(e, "[destination %s] out of memory", d->name);
		return NULL;
	}
	a->d = d;
	return a;
}

void
s3_archive_free(struct s3_archive *a)
{
	struct s3_lock_memo *m;

	if (a == NULL)
		return;
	while ((m = a->memo) != NULL) {
		a->memo = m->next;
		free(m);
	}
	free(a);
}

int
s3_archive_walk(struct s3_archive *a, const char *prefix, int delim,
    s3_list_fn fn, void *ctx, struct err *e)
{
	struct s3_client *c = dest_s3_client(a->d);
	struct http_response rs;
	struct buf q, token;
	struct http_rq r;
	enum http_rc hrc;
	uint64_t ra = 0;
	int truncated = 1, rc = -1;

	http_response_init(&rs);
	buf_init(&q, 8 * LIM_KEY);
	buf_init(&token, 4 * LIM_KEY);
	if (s3_creds(c, e) != DEST_OK)
		goto done;
	while (truncated) {
		/* SigV4 wants the query's parameters sorted by name. */
		buf_reset(&q);
		if ((token.len > 0 && (buf_adds(&q, "continuation-token=") ==
		    -1 || sigv4_uri_encode(&q, token.p, token.len, 0) == -1 ||
		    buf_adds(&q, "&") == -1)) ||
		    (delim && buf_adds(&q, "delimiter=%2F&") == -1) ||
		    buf_adds(&q, "list-type=2&max-keys=" S3_LIST_PAGE
		    "&prefix=") == -1 ||
		    sigv4_uri_encode(&q, prefix, strlen(prefix), 0) == -1) {
			err_set(e, "ListObjectsV2: prefix or token too long");
			goto done;
		}
		http_rq_init(&r, "GET", NULL);
		r.query = q.p;
		hrc = s3_send(c, &r, &rs, e);
		if (hrc != HTTP_OK || rs.status != 200) {
			(void)s3_fail(c, "ListObjectsV2", prefix, hrc, &rs, &ra,
			    e);
			goto done;
		}
		if (rs.body.len >= rs.body.max) {
			err_set(e, "ListObjectsV2 s3://%s: a page larger than "
			    "%zu bytes", c->st.bucket, rs.body.max);
			goto done;
		}
		if (s3_list_page(rs.body.p != NULL ? rs.body.p : "",
		    rs.body.len, fn, ctx, &truncated, &token, e) == -1)
			goto done;
	}
	rc = 0;
done:
	buf_free(&q);
	buf_free(&token);
	http_response_free(&rs);
	return rc;
}

int
s3_archive_get(struct s3_archive *a, const char *key, gz_sink_fn sink,
    void *ctx, struct err *e)
{
	struct s3_client *c = dest_s3_client(a->d);
	struct archive_pipe pp = { sink, ctx, e };
	struct http_response rs;
	struct err ge = { 0, "" };
	struct http_rq r;
	enum http_rc hrc;
	uint64_t ra = 0;
	int rc = -1;

	if (s3_creds(c, e) != DEST_OK)
		return -1;
	http_response_init(&rs);
	http_rq_init(&r, "GET", key);
	r.resp_sink = archive_pipe_piece;
	r.resp_ctx = &pp;
	hrc = s3_send(c, &r, &rs, &ge);
	if (hrc == HTTP_OK && rs.status == 200)
		rc = 1;
	else if (hrc == HTTP_OK && rs.status == 404)
		rc = 0;
	else if (e == NULL || e->msg[0] == '\0') {
		/* The sink's own error (in e) says more than the transfer's. */
		if (hrc == HTTP_FATAL && ge.msg[0] != '\0')
			err_set(e, "%s", ge.msg);
		else
			(void)s3_fail(c, "GetObject", key, hrc, &rs, &ra, e);
	}
	http_response_free(&rs);
	return rc;
}

/* Days since 1970 of "YYYY-MM-DD..." or -1. */
static int64_t
s3_archive_day(const char *s)
{
	if (strlen(s) < 10 || !parse_all_digits(s, 4) || s[4] != '-' ||
	    !parse_all_digits(s + 5, 2) || s[7] != '-' ||
	    !parse_all_digits(s + 8, 2))
		return -1;
	return parse_days_from_civil((s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	    (s[2] - '0') * 10 + (s[3] - '0'), (unsigned)((s[5] - '0') * 10 +
	    (s[6] - '0')), (unsigned)((s[8] - '0') * 10 + (s[9] - '0')));
}

/* Append one shortfall to msg ("; " between). */
static void
s3_archive_short(char *msg, size_t cap, const char *fmt, const char *a,
    unsigned n)
{
	size_t l = strlen(msg);

	if (l > 0 && l + 2 < cap) {
		memcpy(msg + l, "; ", 3);
		l += 2;
	}
	if (l < cap)
		(void)snprintf(msg + l, cap - l, fmt, a, n);
}

/* 1 when Object Lock or a legal hold is to be checked. */
static int
s3_archive_locks(struct s3_archive *a)
{
	return a->d->lock_mode != NULL || dest_s3_client(a->d)->st.legal_hold;
}

/* The lock headers of a HEAD answer into h. */
static void
s3_lock_read(struct s3_lock_head *h, const struct http_response *rs)
{
	if (!http_header_get(rs, "x-amz-object-lock-mode", h->mode,
	    sizeof(h->mode)))
		h->mode[0] = '\0';
	if (!http_header_get(rs, "x-amz-object-lock-retain-until-date",
	    h->until, sizeof(h->until)))
		h->until[0] = '\0';
	if (!http_header_get(rs, "x-amz-object-lock-legal-hold", h->hold,
	    sizeof(h->hold)))
		h->hold[0] = '\0';
}

/* Keep what HEAD rs (found: 200) said of key's lock for s3_archive_lock;
 * without memory, it just HEADs again. */
static void
s3_lock_keep(struct s3_archive *a, const char *key, int found,
    const struct http_response *rs)
{
	size_t n = strlen(key) + 1;
	struct s3_lock_memo *m;

	if ((m = calloc(1, sizeof(*m) + n)) == NULL)
		return;
	memcpy(m->key, key, n);
	m->found = found;
	if (found)
		s3_lock_read(&m->h, rs);
	m->next = a->memo;
	a->memo = m;
}

/* The kept answer for key, taken off the list (the caller frees it). */
static struct s3_lock_memo *
s3_lock_take(struct s3_archive *a, const char *key)
{
	struct s3_lock_memo **pp, *m;

	for (pp = &a->memo; (m = *pp) != NULL; pp = &m->next)
		if (strcmp(m->key, key) == 0) {
			*pp = m->next;
			return m;
		}
	return NULL;
}

int
s3_archive_lock(struct s3_archive *a, const char *key, const char *date,
    char *msg, size_t cap, struct err *e)
{
	struct s3_client *c = dest_s3_client(a->d);
	struct s3_lock_head got = { "", "", "" };
	struct s3_lock_memo *m;
	struct http_response rs;
	enum dest_rc drc = DEST_OK;
	uint64_t ra = 0;
	int64_t want;
	int rc;

	if (!s3_archive_locks(a))
		return 0;
	msg[0] = '\0';
	if ((m = s3_lock_take(a, key)) != NULL) {
		rc = m->found;
		got = m->h;
		free(m);
	} else {
		if (s3_creds(c, e) != DEST_OK)
			return -1;
		http_response_init(&rs);
		rc = s3_head(c, key, &rs, &ra, &drc, e);
		if (rc == 1)
			s3_lock_read(&got, &rs);
		http_response_free(&rs);
	}
	if (rc == 1 && a->d->lock_mode != NULL) {
		want = s3_archive_day(date) + (int64_t)a->d->lock_days;
		if (got.mode[0] == '\0')
			s3_archive_short(msg, cap, "not locked (object_lock_mode "
			    "= %s)", a->d->lock_mode, 0);
		else if (strcasecmp(a->d->lock_mode, "COMPLIANCE") == 0 &&
		    strcasecmp(got.mode, "COMPLIANCE") != 0)
			s3_archive_short(msg, cap, "locked in %s mode, not "
			    "COMPLIANCE", got.mode, 0);
		else if (got.until[0] == '\0' || s3_archive_day(got.until) < want)
			s3_archive_short(msg, cap, "retained until %s, less than "
			    "%u days after its day", got.until[0] ? got.until :
			    "(none)", a->d->lock_days);
	}
	if (rc == 1 && c->st.legal_hold && strcasecmp(got.hold, "ON") != 0)
		s3_archive_short(msg, cap, "legal hold is %s (legal_hold = "
		    "true)", got.hold[0] ? got.hold : "not set", 0);
	if (rc == 1)
		rc = msg[0] != '\0';
	else if (rc == 0)
		rc = snprintf(msg, cap, "cannot HEAD it to check its Object "
		    "Lock") >= 0;
	return rc;
}

int
s3_archive_checksum(struct s3_archive *a, const char *key, char hex[65],
    struct err *e)
{
	struct s3_client *c = dest_s3_client(a->d);
	struct http_response rs;
	struct http_rq r;
	enum http_rc hrc;
	char v[128];
	uint64_t ra = 0;
	int rc = 0, answered;

	hex[0] = '\0';
	if (s3_creds(c, e) != DEST_OK)
		return -1;
	http_response_init(&rs);
	http_rq_init(&r, "HEAD", key);
	http_rq_hdr(&r, "x-amz-checksum-mode", "ENABLED");
	hrc = s3_send(c, &r, &rs, e);
	answered = hrc == HTTP_OK && (rs.status == 200 || rs.status == 404 ||
	    rs.status == 403);
	if (answered && rs.status == 200)
		rc = http_header_get(&rs, "x-amz-checksum-sha256", v,
		    sizeof(v)) && s3_checksum_full(v, hex);
	/* The same answer holds the object's lock: the day's lock check
	 * takes it from here (one HEAD per object, not two). */
	if (answered && s3_archive_locks(a))
		s3_lock_keep(a, key, rs.status == 200, &rs);
	if (!answered) {
		(void)s3_fail(c, "HEAD", key, hrc, &rs, &ra, e);
		rc = -1;
	}
	http_response_free(&rs);
	return rc;
}
