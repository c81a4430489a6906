/*
 * redact.h - pure secret redaction for the hook appender (SPEC §6).
 *
 * The redactor takes decoded text (not JSON-escaped) and copies it with
 * every secret-shaped substring replaced by "<REDACTED:kind>", so a reader
 * of the audit trail knows something was there and what it was.  It never
 * allocates beyond the caller's buffer and never reads past (s, len).
 *
 * Kinds: private_key, bearer, basic_auth, authorization, github, anthropic,
 * openai, aws_access_key_id, aws_secret_key, gcp_api_key, slack, jwt,
 * gitlab, stripe, npm, url_credentials, database_url, slack_webhook,
 * discord_webhook, card (payment card numbers: network prefix, 13-19
 * digits, Luhn), password (also mysql -pX, sshpass -p X, docker login
 * -p X), and for NAME=value / NAME: value pairs (and `aws configure set
 * NAME VALUE`) the name's own kind: password (PGPASSWORD, MYSQL_PWD),
 * secret, token, key, api_key, credential, cookie, authorization.
 */
#ifndef AUDITSHIP_REDACT_H
#define AUDITSHIP_REDACT_H

#include <stddef.h>

#include "buf.h"

/*
 * Append s[0..len) to out with secrets replaced.  Returns the number of
 * replacements made (0 or more), or -1 when out reached its max (out may
 * then hold a partial copy: the caller discards it).
 */
int	redact_append(struct buf *out, const char *s, size_t len);

/*
 * The same for the value of a JSON member called name[0..nlen): when the
 * name is a secret's ("password", "Authorization", "x-api-key"), the whole
 * value is replaced (an Authorization value keeps its scheme word);
 * otherwise as redact_append().  Returns as redact_append().
 */
int	redact_member(struct buf *out, const char *name, size_t nlen,
	    const char *s, size_t len);

/*
 * The kind of secret a member or variable name announces ("password" for
 * "DB_PASSWORD", "api_key" for "x-api-key", "token" for "accessToken"),
 * or NULL when the name is not a secret's.  Bare "...key" names that are
 * usually not secrets (sort_key, primary_key) return NULL.
 */
const char *redact_name_kind(const char *name, size_t len);

#endif
