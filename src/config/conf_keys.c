/*
 * conf_keys.c - every configuration key auditship knows (SPEC §2.1-2.3).
 *
 * Fluent Bit's config_map idea, one static table per section and per
 * destination type.  A default written as NULL here is either "none" or
 * depends on other settings (state_dir, hostname, syslog address and
 * max_message, s3 path_style and key_format); config.c computes those.
 * A destination that needs a key SPEC does not list adds it to its table.
 */
#include <ctype.h>
#include <string.h>

#include "conf_keys.h"
#include "caps.h"

#define KIB	1024LL
#define MIB	(1024LL * 1024)
#define GIB	(1024LL * 1024 * 1024)
#define SEC	1000LL
#define DAY	(24LL * 3600 * SEC)

/* A secret and the two ways to keep it out of the file. */
#define CONF_SECRET_KEYS(name)						\
	{ name, CONF_STR, NULL, CONF_SECRET, NULL, 0, 0 },		\
	{ name "_env", CONF_STR, NULL, 0, NULL, 0, 0 },			\
	{ name "_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0 }

#define NKEYS(a)	(sizeof(a) / sizeof((a)[0]))

static const struct conf_key keys_auditship[] = {
	{ "state_dir", CONF_STR, NULL, CONF_PATH, NULL, 0, 0 },
	{ "hostname", CONF_STR, NULL, 0, NULL, 0, 0 },
	{ "day_boundary", CONF_ENUM, "utc", 0, "utc|local", 0, 0 },
	{ "settle", CONF_DURATION, "300s", 0, NULL, 0, 365 * DAY },
	{ "metrics_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0 },
	/* STATE_DIR/signing.key: computed (SPEC §7). */
	{ "signing_key_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0 },
};

static const struct conf_key keys_source[] = {
	{ "dir", CONF_STR, "~/.claude/audit", CONF_PATH, NULL, 0, 0 },
	{ "pattern", CONF_STR, "%Y-%m-%d.jsonl", 0, NULL, 0, 0 },
};

static const struct conf_key keys_syslog[] = {
	{ "type", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0 },
	{ "transport", CONF_ENUM, "tcp", 0, "udp|tcp|tls|unix", 0, 0 },
	/* 127.0.0.1:514, :6514 for tls, /dev/log for unix: computed. */
	{ "address", CONF_STR, NULL, 0, NULL, 0, 0 },
	{ "format", CONF_ENUM, "rfc5424", 0, "rfc5424|rfc3164", 0, 0 },
	{ "framing", CONF_ENUM, "octet-counting", 0,
	    "octet-counting|newline", 0, 0 },
	/* Names as in syslog.h (12-15 as rsyslog calls them), in the order
	 * of their codes: conf_num() is the RFC 5424 §6.2.1 code. */
	{ "facility", CONF_ENUM, "local0", 0,
	    "kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|"
	    "ftp|ntp|security|console|solaris-cron|"
	    "local0|local1|local2|local3|local4|local5|local6|local7",
	    0, 0 },
	/* conf_num() is the severity code. */
	{ "severity", CONF_ENUM, "info", 0,
	    "emerg|alert|crit|err|warning|notice|info|debug", 0, 0 },
	{ "app_name", CONF_STR, "claude-code", 0, NULL, 0, 0 },
	/* 2048 for udp, 1M otherwise: computed. */
	{ "max_message", CONF_SIZE, NULL, 0, NULL, 64, LIM_LINE_MAX },
	{ "ca_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0 },
	{ "cert_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0 },
	{ "key_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0 },
	{ "verify", CONF_BOOL, "true", 0, NULL, 0, 0 },
	{ "timeout", CONF_DURATION, "30s", 0, NULL, 1, DAY },
	{ "seal", CONF_BOOL, "true", 0, NULL, 0, 0 },	/* SPEC §7 */
};

static const struct conf_key keys_http[] = {
	{ "type", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0 },
	{ "url", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0 },
	/* For `check --connect`: a URL that proves the key without
	 * sending logs (Datadog's /api/v1/validate). */
	{ "validate_url", CONF_STR, NULL, 0, NULL, 0, 0 },
	{ "auth", CONF_ENUM, "api_key", 0, "api_key|none", 0, 0 },
	CONF_SECRET_KEYS("api_key"),
	{ "auth_header", CONF_STR, "DD-API-KEY", 0, NULL, 0, 0 },
	{ "format", CONF_ENUM, "datadog", 0, "datadog|json_array|ndjson",
	    0, 0 },
	{ "compress", CONF_ENUM, "gzip", 0, "gzip|none", 0, 0 },
	{ "compress_level", CONF_INT, "6", 0, NULL, 1, 9 },
	{ "max_batch_bytes", CONF_SIZE, "5000000", 0, NULL, 1, GIB },
	{ "max_batch_events", CONF_INT, "1000", 0, NULL, 1, LIM_BATCH_LINES },
	{ "max_event_bytes", CONF_SIZE, "1000000", 0, NULL, 1, LIM_LINE_MAX },
	{ "service", CONF_STR, "claude-code", 0, NULL, 0, 0 },
	{ "source", CONF_STR, "claude-code", 0, NULL, 0, 0 },
	{ "tags", CONF_STR, NULL, 0, NULL, 0, 0 },
	{ "header.", CONF_STR, NULL, CONF_PREFIX, NULL, 0, 0 },
	{ "timeout", CONF_DURATION, "30s", 0, NULL, 1, DAY },
	{ "retry_max", CONF_INT, "8", 0, NULL, 0, 1000 },
	{ "retry_max_time", CONF_DURATION, "5m", 0, NULL, 0, 7 * DAY },
	{ "ca_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0 },
	{ "verify", CONF_BOOL, "true", 0, NULL, 0, 0 },
	{ "seal", CONF_BOOL, "true", 0, NULL, 0, 0 },	/* SPEC §7 */
};

static const struct conf_key keys_s3[] = {
	{ "type", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0 },
	{ "bucket", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0 },
	{ "region", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0 },
	{ "endpoint", CONF_STR, NULL, 0, NULL, 0, 0 },
	/* false, true when endpoint is set: computed. */
	{ "path_style", CONF_BOOL, NULL, 0, NULL, 0, 0 },
	{ "prefix", CONF_STR, "", 0, NULL, 0, 0 },
	{ "upload", CONF_ENUM, "chunk", 0, "chunk|daily", 0, 0 },
	/* KEYFMT_CHUNK or KEYFMT_DAILY by upload (so after it): computed. */
	{ "key_format", CONF_STR, NULL, 0, NULL, 0, 0 },
	{ "min_chunk", CONF_SIZE, "0", 0, NULL, 0, 0 },
	{ "flush_interval", CONF_DURATION, "60s", 0, NULL, 1, 7 * DAY },
	{ "compress_level", CONF_INT, "6", 0, NULL, 1, 9 },
	{ "credentials", CONF_ENUM, "auto", 0,
	    "auto|static|env|profile|ecs|imds", 0, 0 },
	{ "access_key_id", CONF_STR, NULL, 0, NULL, 0, 0 },
	CONF_SECRET_KEYS("secret_access_key"),
	CONF_SECRET_KEYS("session_token"),
	{ "profile", CONF_STR, "default", 0, NULL, 0, 0 },
	{ "object_lock_mode", CONF_ENUM, NULL, 0, "GOVERNANCE|COMPLIANCE",
	    0, 0 },
	{ "object_lock_retain_days", CONF_INT, NULL, 0, NULL, 1, 36500 },
	{ "legal_hold", CONF_BOOL, "false", 0, NULL, 0, 0 },
	{ "checksum", CONF_ENUM, "md5", 0, "md5|sha256", 0, 0 },
	{ "conditional_put", CONF_BOOL, "true", 0, NULL, 0, 0 },
	{ "storage_class", CONF_STR, NULL, 0, NULL, 0, 0 },
	{ "sse", CONF_ENUM, NULL, 0, "AES256|aws:kms", 0, 0 },
	{ "sse_kms_key_id", CONF_STR, NULL, 0, NULL, 0, 0 },
	{ "multipart_threshold", CONF_SIZE, "64M", 0, NULL, 1, 0 },
	{ "timeout", CONF_DURATION, "30s", 0, NULL, 1, DAY },
	{ "retry_max", CONF_INT, "8", 0, NULL, 0, 1000 },
	{ "retry_max_time", CONF_DURATION, "5m", 0, NULL, 0, 7 * DAY },
	{ "ca_file", CONF_STR, NULL, CONF_PATH, NULL, 0, 0 },
	{ "verify", CONF_BOOL, "true", 0, NULL, 0, 0 },
	{ "seal", CONF_BOOL, "true", 0, NULL, 0, 0 },	/* SPEC §7 */
};

static const struct conf_key keys_dir[] = {
	{ "type", CONF_STR, NULL, CONF_REQUIRED, NULL, 0, 0 },
	{ "path", CONF_STR, NULL, CONF_REQUIRED | CONF_PATH, NULL, 0, 0 },
	{ "upload", CONF_ENUM, "chunk", 0, "chunk|daily", 0, 0 },
	/* The archive is laid out exactly as S3 keys (SPEC §3.4). */
	{ "prefix", CONF_STR, "", 0, NULL, 0, 0 },
	{ "key_format", CONF_STR, NULL, 0, NULL, 0, 0 },
	{ "min_chunk", CONF_SIZE, "0", 0, NULL, 0, 0 },
	{ "flush_interval", CONF_DURATION, "60s", 0, NULL, 1, 7 * DAY },
	{ "compress_level", CONF_INT, "6", 0, NULL, 1, 9 },
	{ "seal", CONF_BOOL, "true", 0, NULL, 0, 0 },	/* SPEC §7 */
};

const struct conf_table conf_table_auditship = {
	"auditship", keys_auditship, NKEYS(keys_auditship)
};
const struct conf_table conf_table_source = {
	"source", keys_source, NKEYS(keys_source)
};

static const struct conf_table conf_dest_tables[] = {
	{ "syslog", keys_syslog, NKEYS(keys_syslog) },
	{ "http", keys_http, NKEYS(keys_http) },
	{ "s3", keys_s3, NKEYS(keys_s3) },
	{ "dir", keys_dir, NKEYS(keys_dir) },
};

const struct conf_table *
conf_keys_dest(const char *type)
{
	size_t i;

	for (i = 0; i < NKEYS(conf_dest_tables); i++)
		if (strcmp(conf_dest_tables[i].name, type) == 0)
			return &conf_dest_tables[i];
	return NULL;
}

const char *
conf_keys_dest_types(void)
{
	return "syslog, http, s3, dir";
}

const struct conf_key *
conf_keys_find(const struct conf_table *t, const char *key)
{
	size_t i, n;

	for (i = 0; i < t->nkeys; i++) {
		if (t->keys[i].flags & CONF_PREFIX) {
			n = strlen(t->keys[i].name);
			if (strncmp(key, t->keys[i].name, n) == 0 &&
			    key[n] != '\0')
				return &t->keys[i];
		} else if (strcmp(key, t->keys[i].name) == 0)
			return &t->keys[i];
	}
	return NULL;
}

/* Levenshtein distance of a and b ignoring case, capped at 3. */
static size_t
conf_keys_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, sub, best;
	size_t row[CONF_KEYS_NAME_MAX + 1];

	if (la > CONF_KEYS_NAME_MAX || lb > CONF_KEYS_NAME_MAX)
		return 3;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			/* Case does not count: "URL" means url. */
			sub = prev + (tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]));
			cur = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 :
			    row[j - 1] + 1;
			if (sub < cur)
				cur = sub;
			prev = row[j];
			row[j] = cur;
			if (cur < best)
				best = cur;
		}
		if (best >= 3)
			return 3;
	}
	return row[lb] < 3 ? row[lb] : 3;
}

const char *
conf_keys_suggest(const struct conf_table *t, const char *key)
{
	const char *best = NULL;
	size_t i, d, bestd = 3;

	for (i = 0; i < t->nkeys; i++) {
		if (t->keys[i].flags & CONF_PREFIX)
			continue;
		d = conf_keys_distance(key, t->keys[i].name);
		/* One typo in a short name, two in a longer one. */
		if (d < bestd && d <= (strlen(key) < 6 ? 1u : 2u)) {
			bestd = d;
			best = t->keys[i].name;
		}
	}
	return best;
}

const char *
conf_keys_other_type(const char *type, const char *key)
{
	size_t i;

	for (i = 0; i < NKEYS(conf_dest_tables); i++)
		if (strcmp(conf_dest_tables[i].name, type) != 0 &&
		    conf_keys_find(&conf_dest_tables[i], key) != NULL)
			return conf_dest_tables[i].name;
	return NULL;
}
