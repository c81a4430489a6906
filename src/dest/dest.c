/*
 * dest.c - the table of destination types (see dest.h), and the few
 * helpers their key tables, checks and open() share.
 *
 * Adding a destination: write src/dest/dest_NAME.c with its
 * `const struct dest_ops dest_NAME_ops`, declare it in dest.h and add one
 * line to dest_table below.  Nothing else names the types.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dest.h"
#include "http.h"
#include "keyfmt.h"
#include "seal.h"

static const struct dest_ops *const dest_table[] = {
	&dest_syslog_ops,
	&dest_http_ops,
	&dest_s3_ops,
	&dest_dir_ops,
	&dest_azblob_ops,
	&dest_otlp_ops,
	&dest_relp_ops,
};

#define DEST_NTYPES	(sizeof(dest_table) / sizeof(dest_table[0]))

const struct dest_ops *
dest_find(const char *type)
{
	size_t i;

	if (type == NULL)
		return NULL;
	for (i = 0; i < DEST_NTYPES; i++)
		if (strcmp(dest_table[i]->type, type) == 0)
			return dest_table[i];
	return NULL;
}

const struct dest_ops *
dest_type_at(size_t i)
{
	return i < DEST_NTYPES ? dest_table[i] : NULL;
}

const char *
dest_types(void)
{
	static char list[256];
	size_t i, n = 0;
	int w;

	if (list[0] != '\0')
		return list;
	for (i = 0; i < DEST_NTYPES; i++) {
		w = snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "",
		    dest_table[i]->type);
		if (w < 0 || (size_t)w >= sizeof(list) - n)
			break;
		n += (size_t)w;
	}
	return list;
}

void
dest_init(struct dest *d, const struct dest_ops *ops,
    const struct conf_section *s, const struct config *cfg)
{
	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->conf = s;
	d->cfg = cfg;
	d->name = s != NULL ? s->dest_name : NULL;
	d->retry_max = DEST_RETRY_MAX_DEFAULT;
	d->retry_max_time_ms = DEST_RETRY_TIME_MS_DEFAULT;
	d->seal = s != NULL && conf_bool(s, "seal");
}

void *
dest_priv_alloc(struct dest *d, size_t size, struct err *e)
{
	if ((d->priv = calloc(1, size)) == NULL)
		err_set(e, "[destination %s] out of memory", d->name);
	return d->priv;
}

int
dest_ops_seal(const struct dest_ops *ops)
{
	return ops->put_seal != NULL || ops->send_seal != NULL;
}

enum dest_rc
dest_put_seal(struct dest *d, const struct dest_file *f, unsigned seq,
    const void *p, size_t n, struct dest_stored *stored, struct err *e)
{
	struct dest_seal s;

	if (d->ops->put_seal != NULL)
		return d->ops->put_seal(d, f, seq, p, n, stored, e);
	memset(stored, 0, sizeof(*stored));
	s.file = f;
	if (seal_record_parts(p, n, &s.rec, e) == -1)
		return DEST_STOP;
	return d->ops->send_seal(d, &s, e);
}

int
dest_def_key_format(const struct conf_section *s, struct buf *out)
{
	const char *up = conf_str(s, "upload");

	return buf_adds(out, up != NULL && strcmp(up, "daily") == 0 ?
	    KEYFMT_DAILY : KEYFMT_CHUNK);
}

int
dest_check_key_format(const struct conf_section *s, struct conf_report *r)
{
	struct err why = { 0, "" };

	if (keyfmt_check(conf_str(s, "key_format"), &why) == -1)
		return conf_reject(r, s, conf_line(s, "key_format"),
		    "key_format", "%s", why.msg);
	return 0;
}

int
dest_check_url(const struct conf_section *s, const char *key,
    struct conf_report *r)
{
	const char *u = conf_str(s, key);

	if (u == NULL || strncmp(u, "http://", 7) == 0 ||
	    strncmp(u, "https://", 8) == 0)
		return 0;
	return conf_reject(r, s, conf_line(s, key), key,
	    "must start with http:// or https://");
}

int
dest_conf_seals(const struct conf_section *s)
{
	const struct dest_ops *ops = dest_find(s->type);

	return ops != NULL && dest_ops_seal(ops) && conf_bool(s, "seal");
}

uint64_t
dest_conf_flush_ms(const struct conf_section *s)
{
	return conf_str(s, "flush_interval") != NULL ?
	    conf_num(s, "flush_interval") : 0;
}

struct keyfmt_vars
dest_object_vars(const struct dest_object *o)
{
	struct keyfmt_vars v = { o->file->host, o->file->user, o->file->date,
	    o->start, o->end, o->generation };

	return v;
}

void
dest_object_fields(struct dest *d)
{
	const char *up = conf_str(d->conf, "upload");

	d->daily = up != NULL && strcmp(up, "daily") == 0;
	d->min_chunk = conf_num(d->conf, "min_chunk");
	d->flush_interval_ms = conf_num(d->conf, "flush_interval");
	d->lock_mode = conf_str(d->conf, "object_lock_mode");
	if (d->lock_mode != NULL && d->lock_mode[0] == '\0')
		d->lock_mode = NULL;
	d->lock_days = (unsigned)conf_num(d->conf, "object_lock_retain_days");
	d->prefix = conf_str(d->conf, "prefix");
	if (d->prefix == NULL)
		d->prefix = "";
	d->key_format = conf_str(d->conf, "key_format");
}

void
dest_retry_fields(struct dest *d)
{
	d->timeout_ms = conf_num(d->conf, "timeout");
	d->retry_max = (unsigned)conf_num(d->conf, "retry_max");
	d->retry_max_time_ms = conf_num(d->conf, "retry_max_time");
}

int
dest_secret_given(const struct conf_section *s, const char *key)
{
	char var[64];

	if (conf_is_set(s, key))
		return 1;
	snprintf(var, sizeof(var), "%s_env", key);
	if (conf_is_set(s, var))
		return 1;
	snprintf(var, sizeof(var), "%s_file", key);
	return conf_is_set(s, var);
}

enum dest_rc
dest_http_rc(int hrc, const struct http_response *rs,
    uint64_t *retry_after_ms)
{
	char ra[64];
	long long ms;

	*retry_after_ms = 0;
	if (hrc == HTTP_NET_ERROR)
		return DEST_RETRY;
	if (hrc != HTTP_OK)
		return DEST_STOP;	/* TLS verification, bad URL */
	if (rs->status >= 200 && rs->status < 300)
		return DEST_OK;
	if (rs->status == 408 || rs->status == 429 || rs->status >= 500) {
		if (http_header_get(rs, "Retry-After", ra, sizeof(ra)) &&
		    (ms = http_retry_after_ms(ra, (long long)time(NULL))) > 0)
			*retry_after_ms = (uint64_t)ms;
		return DEST_RETRY;
	}
	if (rs->status == 413 || rs->status == 400)
		return DEST_SPLIT;
	return DEST_STOP;
}
