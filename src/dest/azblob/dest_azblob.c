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

#include "az_archive.h"
#include "az_client.h"
#include "az_sharedkey.h"
#include "config.h"
#include "crypto.h"
#include "dest.h"
#include "caps.h"
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
azblob_free(struct dest_azblob *a)
{
	if (a == NULL)
		return;
	az_client_free(a->client);
	buf_free_secret(&a->key_b64);
	buf_free_secret(&a->sas);
	crypto_wipe(a->key, sizeof(a->key));
	free(a);
}

struct dest_azblob *
dest_azblob_of(struct dest *d)
{
	return d->priv;
}

static void
azblob_close(struct dest *d)
{
	azblob_free(d->priv);
	d->priv = NULL;
}

/* ---- configuration (type = azblob) -------------------------------- */

static const struct conf_key azblob_keys[] = {
	{ "type", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0, NULL },
	{ "account", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0, NULL },
	{ "container", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0, NULL },
	/* Unset: https://ACCOUNT.blob.core.windows.net. */
	{ "endpoint", CONF_STR, NULL, 0, NULL, 0, 0, NULL },
	DEST_OBJECT_KEYS,
	CONF_SECRET_KEYS("account_key"),
	CONF_SECRET_KEYS("sas_token"),
	{ "immutability_mode", CONF_ENUM, NULL, 0, "unlocked|locked", 0, 0,
	    NULL },
	{ "immutability_days", CONF_INT, NULL, 0, NULL, 1, 36500, NULL },
	{ "legal_hold", CONF_BOOL, "false", 0, NULL, 0, 0, NULL },
	/* Put Blob up to this size; above it Put Block + Put Block List. */
	{ "block_threshold", CONF_SIZE, "64M", 0, NULL, 1, 5000LL << 20,
	    NULL },
	DEST_HTTP_CLIENT_KEYS,
	{ "seal", CONF_BOOL, "true", 0, NULL, 0, 0, NULL },	/* SPEC §7 */
};

/* Azure's naming rules: account 3-24 lowercase letters and digits;
 * container 3-63 of those and single inner dashes. */
static int
azblob_name_ok(const char *s, size_t max, int dash)
{
	size_t i, n = strlen(s);

	if (n < 3 || n > max)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (dash && c == '-' && i > 0 && i + 1 < n && s[i - 1] != '-')))
			return 0;
	}
	return 1;
}

static int
azblob_check(const struct conf_section *s, struct conf_report *r)
{
	char a[8], b[256], c[256];
	const char *ep = conf_str(s, "endpoint");
	int bad = 0, key = dest_secret_given(s, "account_key");
	int sas = dest_secret_given(s, "sas_token");
	int mode = conf_is_set(s, "immutability_mode");
	int days = conf_is_set(s, "immutability_days");

	bad |= dest_check_key_format(s, r);
	if (!azblob_name_ok(conf_str(s, "account"), 24, 0))
		bad |= conf_reject(r, s, conf_line(s, "account"), "account",
		    "3 to 24 lowercase letters and digits");
	if (!azblob_name_ok(conf_str(s, "container"), 63, 1))
		bad |= conf_reject(r, s, conf_line(s, "container"),
		    "container", "3 to 63 lowercase letters, digits and "
		    "single dashes");
	if (ep != NULL && az_client_parse_endpoint(ep, a, sizeof(a), b,
	    sizeof(b), c, sizeof(c)) == -1)
		bad |= conf_reject(r, s, conf_line(s, "endpoint"), "endpoint",
		    "must be an http:// or https://host[:port][/path] URL");
	if (!key && !sas)
		bad |= conf_reject(r, s, 0, "account_key", "one of "
		    "account_key (or _env / _file) and sas_token (or _env / "
		    "_file) is required");
	if (key && sas)
		bad |= conf_reject(r, s, 0, "sas_token", "give account_key or "
		    "sas_token, not both");
	if (mode && !days)
		bad |= conf_reject(r, s, conf_line(s, "immutability_mode"),
		    "immutability_mode", "needs immutability_days "
		    "(until = upload time + N days)");
	if (!mode && days)
		bad |= conf_reject(r, s, conf_line(s, "immutability_days"),
		    "immutability_days", "needs immutability_mode (unlocked "
		    "or locked)");
	return bad ? -1 : 0;
}

static struct dest_azblob *
azblob_new(const struct conf_section *cs, const struct config *cfg,
    uint64_t timeout_ms, struct err *e)
{
	struct az_settings st;
	struct dest_azblob *a;
	int rk, rs;

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		err_set(e, "[destination %s] out of memory", cs->dest_name);
		return NULL;
	}
	buf_init(&a->key_b64, LIM_SECRET);
	buf_init(&a->sas, LIM_SECRET);
	snprintf(a->log_name, sizeof(a->log_name), "%s", cs->dest_name);

	memset(&st, 0, sizeof(st));
	st.dest_name = a->log_name;
	st.account = conf_str(cs, "account");
	st.container = conf_str(cs, "container");
	st.endpoint = conf_str_opt(cs, "endpoint");
	st.prefix = conf_str(cs, "prefix");
	st.key_format = conf_str(cs, "key_format");
	st.compress_level = (int)conf_num(cs, "compress_level");
	st.immutability_mode = conf_str_opt(cs, "immutability_mode");
	st.immutability_days = (unsigned)conf_num(cs, "immutability_days");
	st.legal_hold = conf_bool(cs, "legal_hold");
	st.block_threshold = conf_num(cs, "block_threshold");
	st.timeout_ms = timeout_ms;
	st.ca_file = conf_str_opt(cs, "ca_file");
	st.verify = conf_bool(cs, "verify");
	st.tmp_dir = cfg != NULL ? cfg->state_dir : NULL;

	if ((rk = conf_secret(cs, "account_key", &a->key_b64, e)) == -1 ||
	    (rs = conf_secret(cs, "sas_token", &a->sas, e)) == -1)
		goto fail;
	if (rk == 1) {
		if (az_sharedkey_decode_key(a->key_b64.p, a->key,
		    sizeof(a->key), &a->klen) == -1) {
			err_set(e, "[destination %s] account_key: not a base64 "
			    "storage account key", cs->dest_name);
			goto fail;
		}
		st.key = a->key;
		st.klen = a->klen;
	}
	if (rs == 1)
		st.sas = a->sas.p;
	if ((a->client = az_client_new(&st, e)) == NULL) {
		char msg[LIM_ERR_MSG];

		snprintf(msg, sizeof(msg), "%s", e->msg);
		err_clear(e);
		err_set(e, "[destination %s] %s", cs->dest_name, msg);
		goto fail;
	}
	return a;
fail:
	azblob_free(a);
	return NULL;
}

struct az_client *
azblob_client(struct dest_azblob *a)
{
	return a->client;
}

static int
azblob_open(struct dest *d, struct err *e)
{
	dest_retry_fields(d);
	dest_object_fields(d);
	/* The seal statement's "lock" (SPEC §7) names the policy applied. */
	d->lock_mode = conf_str_opt(d->conf, "immutability_mode");
	d->lock_days = (unsigned)conf_num(d->conf, "immutability_days");
	if ((d->priv = azblob_new(d->conf, d->cfg, d->timeout_ms, e)) == NULL)
		return -1;
	return 0;
}

static enum dest_rc
azblob_put(struct dest *d, const struct dest_object *o, struct err *e)
{
	struct dest_azblob *a = d->priv;

	return az_client_put(a->client, o, &d->retry_after_ms, e);
}

/* A seal goes next to the day's blobs (SPEC §7), keyed as dir and s3. */
static enum dest_rc
azblob_put_seal(struct dest *d, const struct dest_file *f, unsigned seq,
    const void *p, size_t n, struct dest_stored *stored, struct err *e)
{
	struct dest_azblob *a = d->priv;
	struct keyfmt_vars v = { f->host, f->user, f->date, 0, 0, 0 };
	struct buf key;
	enum dest_rc rc;

	buf_init(&key, LIM_KEY);
	if (keyfmt_seal_key(&key, conf_str(d->conf, "prefix"),
	    conf_str(d->conf, "key_format"), &v, seq, e) == -1) {
		buf_free(&key);
		return DEST_STOP;
	}
	rc = az_client_put_seal(a->client, key.p, p, n, stored,
	    &d->retry_after_ms, e);
	buf_free(&key);
	return rc;
}

static int
azblob_probe(struct dest *d, struct err *e)
{
	struct dest_azblob *a = d->priv;

	return az_client_probe(a->client, e);
}

const struct dest_ops dest_azblob_ops = {
	DEST_OPS(azblob, DEST_OBJECTS),
	.put = azblob_put,
	.put_seal = azblob_put_seal,
};
