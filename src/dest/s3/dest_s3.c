/*
 * dest_s3.c - the s3 destination (SPEC §2.3 type = s3): byte ranges of the
 * daily files become gzip objects in a bucket, optionally under Object
 * Lock.
 *
 * This file only reads the [destination NAME] section into struct
 * s3_settings and plugs s3_client.c into the engine's dest_ops.  Signing
 * is sigv4.c, credentials aws_creds.c, XML s3_xml.c; retries belong to the
 * engine (put() never sleeps).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dest.h"
#include "keyfmt.h"
#include "log.h"
#include "s3_client.h"

struct dest_s3 {
	struct s3_client *client;
	struct buf	 access_key;
	struct buf	 secret_key;
	struct buf	 session_token;
	char		 log_name[300];
};

/* ---- configuration (SPEC §2.3 type = s3) -------------------------- */

static int
s3_def_path_style(const struct conf_section *s, struct buf *out)
{
	return buf_adds(out, conf_str(s, "endpoint") != NULL ? "true" :
	    "false");
}

static const struct conf_key s3_keys[] = {
	{ "type", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0, NULL },
	{ "bucket", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0, NULL },
	{ "region", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0, NULL },
	{ "endpoint", CONF_STR, NULL, 0, NULL, 0, 0, NULL },
	/* false, true when endpoint is set. */
	{ "path_style", CONF_BOOL, NULL, 0, NULL, 0, 0, s3_def_path_style },
	DEST_OBJECT_KEYS,
	{ "credentials", CONF_ENUM, "auto", 0,
	    "auto|static|env|profile|ecs|imds", 0, 0, NULL },
	{ "access_key_id", CONF_STR, NULL, 0, NULL, 0, 0, NULL },
	CONF_SECRET_KEYS("secret_access_key"),
	CONF_SECRET_KEYS("session_token"),
	{ "profile", CONF_STR, "default", 0, NULL, 0, 0, NULL },
	{ "object_lock_mode", CONF_ENUM, NULL, 0, "GOVERNANCE|COMPLIANCE",
	    0, 0, NULL },
	{ "object_lock_retain_days", CONF_INT, NULL, 0, NULL, 1, 36500, NULL },
	{ "legal_hold", CONF_BOOL, "false", 0, NULL, 0, 0, NULL },
	{ "checksum", CONF_ENUM, "md5", 0, "md5|sha256", 0, 0, NULL },
	{ "conditional_put", CONF_BOOL, "true", 0, NULL, 0, 0, NULL },
	{ "storage_class", CONF_STR, NULL, 0, NULL, 0, 0, NULL },
	{ "sse", CONF_ENUM, NULL, 0, "AES256|aws:kms", 0, 0, NULL },
	{ "sse_kms_key_id", CONF_STR, NULL, 0, NULL, 0, 0, NULL },
	{ "multipart_threshold", CONF_SIZE, "64M", 0, NULL, 1, 0, NULL },
	DEST_HTTP_CLIENT_KEYS,
	{ "seal", CONF_BOOL, "true", 0, NULL, 0, 0, NULL },	/* SPEC §7 */
};

static int
s3_check(const struct conf_section *s, struct conf_report *r)
{
	const char *sse = conf_str(s, "sse");
	int bad = 0, lock = conf_is_set(s, "object_lock_mode");
	int days = conf_is_set(s, "object_lock_retain_days");
	int akid = conf_is_set(s, "access_key_id");

	bad |= dest_check_key_format(s, r);
	bad |= dest_check_url(s, "endpoint", r);
	if (lock && !days)
		bad |= conf_reject(r, s, conf_line(s, "object_lock_mode"),
		    "object_lock_mode", "needs object_lock_retain_days "
		    "(retain-until = upload time + N days)");
	if (!lock && days)
		bad |= conf_reject(r, s, conf_line(s,
		    "object_lock_retain_days"), "object_lock_retain_days",
		    "needs object_lock_mode (GOVERNANCE or COMPLIANCE)");
	if (conf_is_set(s, "sse_kms_key_id") && (sse == NULL ||
	    strcmp(sse, "aws:kms") != 0))
		bad |= conf_reject(r, s, conf_line(s, "sse_kms_key_id"),
		    "sse_kms_key_id", "needs sse = aws:kms");
	if (akid && !dest_secret_given(s, "secret_access_key"))
		bad |= conf_reject(r, s, conf_line(s, "access_key_id"),
		    "access_key_id", "needs secret_access_key (or "
		    "secret_access_key_env / secret_access_key_file)");
	if (!akid && dest_secret_given(s, "secret_access_key"))
		bad |= conf_reject(r, s, 0, "secret_access_key",
		    "needs access_key_id");
	else if (!akid && strcmp(conf_str(s, "credentials"), "static") == 0)
		bad |= conf_reject(r, s, conf_line(s, "credentials"),
		    "credentials", "static needs access_key_id and "
		    "secret_access_key");
	return bad ? -1 : 0;
}

static void
s3_close(struct dest *d)
{
	struct dest_s3 *s = d->priv;

	if (s == NULL)
		return;
	s3_client_free(s->client);
	buf_free_secret(&s->access_key);
	buf_free_secret(&s->secret_key);
	buf_free_secret(&s->session_token);
	free(s);
	d->priv = NULL;
}

/*
 * Errors below read "KEY: reason"; give them the config's place, as the
 * table checks do: "FILE:LINE: [destination NAME] KEY: reason".  Errors
 * from conf_secret() already carry it.
 */
static void
s3_place(struct dest *d, struct err *e)
{
	char key[64], msg[LIM_ERR_MSG];
	size_t n;
	int line;

	if (e == NULL || e->msg[0] == '\0' || e->msg[0] == '[' ||
	    strstr(e->msg, "[destination ") != NULL)
		return;
	n = strcspn(e->msg, ": ");
	if (n == 0 || n >= sizeof(key) || e->msg[n] != ':')
		return;
	memcpy(key, e->msg, n);
	key[n] = '\0';
	line = conf_line(d->conf, key);
	if (line <= 0)
		line = d->conf->line;
	snprintf(msg, sizeof(msg), "%s", e->msg);
	err_clear(e);
	err_set(e, "%s:%d: [destination %s] %s", d->cfg != NULL &&
	    d->cfg->path != NULL ? d->cfg->path : "(config)", line, d->name,
	    msg);
}

static int
s3_open(struct dest *d, struct err *e)
{
	const struct conf_section *cs = d->conf;
	struct s3_settings st;
	struct dest_s3 *s;
	int r;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return err_set(e, "[destination %s] out of memory", d->name);
	d->priv = s;
	buf_init(&s->access_key, LIM_SECRET);
	buf_init(&s->secret_key, LIM_SECRET);
	buf_init(&s->session_token, LIM_SECRET);
	snprintf(s->log_name, sizeof(s->log_name), "%s", d->name);

	memset(&st, 0, sizeof(st));
	st.dest_name = s->log_name;
	st.bucket = conf_str(cs, "bucket");
	st.region = conf_str(cs, "region");
	st.endpoint = conf_str_opt(cs, "endpoint");
	st.path_style = conf_bool(cs, "path_style");
	st.prefix = conf_str(cs, "prefix");
	st.key_format = conf_str(cs, "key_format");
	st.compress_level = (int)conf_num(cs, "compress_level");
	st.lock_mode = conf_str_opt(cs, "object_lock_mode");
	st.lock_days = (unsigned)conf_num(cs, "object_lock_retain_days");
	st.legal_hold = conf_bool(cs, "legal_hold");
	st.checksum_sha256 = strcmp(conf_str(cs, "checksum"), "sha256") == 0;
	st.conditional_put = conf_bool(cs, "conditional_put");
	st.storage_class = conf_str_opt(cs, "storage_class");
	st.sse = conf_str_opt(cs, "sse");
	st.sse_kms_key_id = conf_str_opt(cs, "sse_kms_key_id");
	st.multipart_threshold = conf_num(cs, "multipart_threshold");
	dest_retry_fields(d);
	dest_object_fields(d);
	st.timeout_ms = d->timeout_ms;
	st.ca_file = conf_str_opt(cs, "ca_file");
	st.verify = conf_bool(cs, "verify");
	st.tmp_dir = d->cfg != NULL ? d->cfg->state_dir : NULL;

	st.creds.mode = conf_str(cs, "credentials");
	st.creds.profile = conf_is_set(cs, "profile") ?
	    conf_str(cs, "profile") : NULL;
	st.creds.ca_file = st.ca_file;
	st.creds.log_name = s->log_name;
	if ((r = conf_secret(cs, "access_key_id", &s->access_key, e)) == -1)
		goto fail;
	if (r == 1)
		st.creds.access_key_id = s->access_key.p;
	if ((r = conf_secret(cs, "secret_access_key", &s->secret_key, e)) == -1)
		goto fail;
	if (r == 1)
		st.creds.secret_access_key = s->secret_key.p;
	if ((r = conf_secret(cs, "session_token", &s->session_token, e)) == -1)
		goto fail;
	if (r == 1)
		st.creds.session_token = s->session_token.p;
	if ((s->client = s3_client_new(&st, e)) == NULL)
		goto fail;
	return 0;
fail:
	s3_place(d, e);
	s3_close(d);
	return -1;
}

static enum dest_rc
s3_put(struct dest *d, const struct dest_object *o, struct err *e)
{
	struct dest_s3 *s = d->priv;

	return s3_client_put(s->client, o, &d->retry_after_ms, e);
}

static enum dest_rc
s3_put_seal(struct dest *d, const struct dest_file *f, unsigned seq,
    const void *p, size_t n, struct dest_stored *stored, struct err *e)
{
	struct dest_s3 *s = d->priv;

	return s3_client_put_seal(s->client, f, seq, p, n, stored,
	    &d->retry_after_ms, e);
}

static int
s3_probe(struct dest *d, struct err *e)
{
	struct dest_s3 *s = d->priv;

	return s3_client_probe(s->client, e);
}

struct s3_client *
dest_s3_client(struct dest *d)
{
	return ((struct dest_s3 *)d->priv)->client;
}

const struct dest_ops dest_s3_ops = {
	DEST_OPS(s3, DEST_OBJECTS),
	.put = s3_put,
	.put_seal = s3_put_seal,
};
