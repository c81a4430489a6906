/*
 * dest_azblob.c - the azblob destination (type = azblob): byte ranges of
 * the daily files become gzip block blobs in an Azure Blob Storage
 * container, optionally under a version-level immutability policy and
 * legal hold.  A DEST_OBJECTS type like s3 and dir: the engine records
 * each range before put() and hands the same range again after a crash.
 *
 * This file only reads the [destination NAME] section into struct
 * az_settings and plugs az_client.c into dest_ops.  Signing is
 * az_sharedkey.c; retries belong to the engine (put() never sleeps).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "az_client.h"
#include "az_sharedkey.h"
#include "config.h"
#include "crypto.h"
#include "dest.h"
#include "keyfmt.h"

struct dest_azblob {
	struct az_client *client;
	struct buf	 key_b64;
	struct buf	 sas;
	uint8_t		 key[AZ_SHAREDKEY_KEY_MAX];
	size_t		 klen;
	char		 log_name[300];
};

static void
azblob_close(struct dest *d)
{
	struct dest_azblob *a = d->priv;

	if (a == NULL)
		return;
	az_client_free(a->client);
	buf_free_secret(&a->key_b64);
	buf_free_secret(&a->sas);
	crypto_wipe(a->key, sizeof(a->key));
	free(a);
	d->priv = NULL;
}

static const char *
azblob_opt(const struct conf_section *cs, const char *key)
{
	const char *v = conf_str(cs, key);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* "KEY: reason" errors get the config's place: "FILE:LINE: [destination
 * NAME] KEY: reason".  Errors from conf_secret() already carry it. */
static void
azblob_place(struct dest *d, struct err *e)
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
azblob_open(struct dest *d, struct err *e)
{
	const struct conf_section *cs = d->conf;
	struct az_settings st;
	struct dest_azblob *a;
	const char *v;
	int rk, rs;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return err_set(e, "[destination %s] out of memory", d->name);
	d->priv = a;
	buf_init(&a->key_b64, LIM_SECRET);
	buf_init(&a->sas, LIM_SECRET);
	snprintf(a->log_name, sizeof(a->log_name), "%s", d->name);

	memset(&st, 0, sizeof(st));
	st.dest_name = a->log_name;
	st.account = conf_str(cs, "account");
	st.container = conf_str(cs, "container");
	st.endpoint = azblob_opt(cs, "endpoint");
	st.prefix = (v = conf_str(cs, "prefix")) != NULL ? v : "";
	v = conf_str(cs, "upload");
	st.key_format = azblob_opt(cs, "key_format");
	if (st.key_format == NULL)
		st.key_format = v != NULL && strcmp(v, "daily") == 0 ?
		    KEYFMT_DAILY : KEYFMT_CHUNK;
	if (keyfmt_check(st.key_format, e) == -1)
		goto fail;
	st.compress_level = conf_is_set(cs, "compress_level") ?
	    (int)conf_num(cs, "compress_level") : 6;
	if (st.compress_level < 1 || st.compress_level > 9)
		st.compress_level = 6;
	st.immutability_mode = azblob_opt(cs, "immutability_mode");
	st.immutability_days = (unsigned)conf_num(cs, "immutability_days");
	st.legal_hold = conf_bool(cs, "legal_hold");
	if (st.immutability_mode == NULL && st.immutability_days != 0) {
		err_set(e, "immutability_days: needs immutability_mode "
		    "(unlocked or locked)");
		goto fail;
	}
	st.block_threshold = conf_is_set(cs, "block_threshold") ?
	    conf_num(cs, "block_threshold") : (64ull << 20);
	st.timeout_ms = conf_is_set(cs, "timeout") ? conf_num(cs, "timeout") :
	    30000;
	st.ca_file = azblob_opt(cs, "ca_file");
	st.verify = conf_is_set(cs, "verify") ? conf_bool(cs, "verify") : 1;
	st.tmp_dir = d->cfg != NULL ? d->cfg->state_dir : NULL;

	if ((rk = conf_secret(cs, "account_key", &a->key_b64, e)) == -1 ||
	    (rs = conf_secret(cs, "sas_token", &a->sas, e)) == -1)
		goto fail;
	if (rk == 1 && rs == 1) {
		err_set(e, "sas_token: give account_key or sas_token, not "
		    "both");
		goto fail;
	}
	if (rk == 1) {
		if (az_sharedkey_decode_key(a->key_b64.p, a->key,
		    sizeof(a->key), &a->klen) == -1) {
			err_set(e, "account_key: not a base64 storage account "
			    "key");
			goto fail;
		}
		st.key = a->key;
		st.klen = a->klen;
	}
	if (rs == 1)
		st.sas = a->sas.p;
	if ((a->client = az_client_new(&st, e)) == NULL)
		goto fail;
	return 0;
fail:
	azblob_place(d, e);
	azblob_close(d);
	return -1;
}

static enum dest_rc
azblob_put(struct dest *d, const struct dest_object *o, struct err *e)
{
	struct dest_azblob *a = d->priv;

	return az_client_put(a->client, o, &d->retry_after_ms, e);
}

static int
azblob_probe(struct dest *d, struct err *e)
{
	struct dest_azblob *a = d->priv;

	return az_client_probe(a->client, e);
}

const struct dest_ops dest_azblob_ops = {
	.type = "azblob",
	.kind = DEST_OBJECTS,
	.open = azblob_open,
	.put = azblob_put,
	.probe = azblob_probe,
	.close = azblob_close,
};
