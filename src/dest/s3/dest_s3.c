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

/* An optional string setting: NULL when unset or empty. */
static const char *
s3_opt(const struct conf_section *cs, const char *key)
{
	const char *v = conf_str(cs, key);

	return v != NULL && *v != '\0' ? v : NULL;
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
	const char *v;
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
	st.endpoint = s3_opt(cs, "endpoint");
	/* SPEC: path-style by default when an endpoint is set. */
	st.path_style = conf_is_set(cs, "path_style") ?
	    conf_bool(cs, "path_style") : st.endpoint != NULL;
	st.prefix = (v = conf_str(cs, "prefix")) != NULL ? v : "";
	v = conf_str(cs, "upload");
	st.key_format = s3_opt(cs, "key_format");
	if (st.key_format == NULL)
		st.key_format = v != NULL && strcmp(v, "daily") == 0 ?
		    KEYFMT_DAILY : KEYFMT_CHUNK;
	if (keyfmt_check(st.key_format, e) == -1)
		goto fail;
	st.compress_level = conf_is_set(cs, "compress_level") ?
	    (int)conf_num(cs, "compress_level") : 6;
	if (st.compress_level < 1 || st.compress_level > 9)
		st.compress_level = 6;
	st.lock_mode = s3_opt(cs, "object_lock_mode");
	st.lock_days = (unsigned)conf_num(cs, "object_lock_retain_days");
	st.legal_hold = conf_bool(cs, "legal_hold");
	v = conf_str(cs, "checksum");
	st.checksum_sha256 = v != NULL && strcmp(v, "sha256") == 0;
	st.conditional_put = conf_is_set(cs, "conditional_put") ?
	    conf_bool(cs, "conditional_put") : 1;
	st.storage_class = s3_opt(cs, "storage_class");
	st.sse = s3_opt(cs, "sse");
	st.sse_kms_key_id = s3_opt(cs, "sse_kms_key_id");
	st.multipart_threshold = conf_is_set(cs, "multipart_threshold") ?
	    conf_num(cs, "multipart_threshold") : (64ull << 20);
	st.timeout_ms = conf_is_set(cs, "timeout") ? conf_num(cs, "timeout") :
	    30000;
	st.ca_file = s3_opt(cs, "ca_file");
	st.verify = conf_is_set(cs, "verify") ? conf_bool(cs, "verify") : 1;
	st.tmp_dir = d->cfg != NULL ? d->cfg->state_dir : NULL;

	if (st.sse_kms_key_id != NULL && (st.sse == NULL ||
	    strcmp(st.sse, "aws:kms") != 0)) {
		err_set(e, "sse_kms_key_id: needs sse = aws:kms");
		goto fail;
	}
	if (st.sse != NULL && strcmp(st.sse, "AES256") != 0 &&
	    strcmp(st.sse, "aws:kms") != 0) {
		err_set(e, "sse: must be AES256 or aws:kms");
		goto fail;
	}

	st.creds.mode = (v = conf_str(cs, "credentials")) != NULL ? v : "auto";
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
	if ((st.creds.access_key_id == NULL) !=
	    (st.creds.secret_access_key == NULL)) {
		err_set(e, "access_key_id: goes together with "
		    "secret_access_key");
		goto fail;
	}
	if (strcmp(st.creds.mode, "static") == 0 &&
	    st.creds.access_key_id == NULL) {
		err_set(e, "credentials: static needs access_key_id and "
		    "secret_access_key");
		goto fail;
	}
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

static int
s3_probe(struct dest *d, struct err *e)
{
	struct dest_s3 *s = d->priv;

	return s3_client_probe(s->client, e);
}

const struct dest_ops dest_s3_ops = {
	.type = "s3",
	.kind = DEST_OBJECTS,
	.open = s3_open,
	.put = s3_put,
	.probe = s3_probe,
	.close = s3_close,
};
