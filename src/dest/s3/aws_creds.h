/*
 * aws_creds.h - AWS credentials: the chain SPEC §2.3 names for
 * `credentials = auto`, and the pure parsers it is built from.
 *
 * Order: static keys from the config, the environment (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the shared credentials file
 * (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, section [profile]),
 * ECS container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI via
 * 169.254.170.2, or _FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN or
 * _TOKEN_FILE), then EC2 IMDSv2 (token PUT, then the role's credentials;
 * AWS_EC2_METADATA_SERVICE_ENDPOINT overrides the address,
 * AWS_EC2_METADATA_DISABLED=true skips it).
 *
 * Temporary credentials carry their expiry; aws_creds_stale() says when to
 * fetch new ones (AWS_CREDS_REFRESH_MARGIN before they expire).  Every
 * secret lives in a buffer reserved once (never reallocated, so never
 * copied) and wiped by aws_creds_free(); each is registered with
 * log_add_secret() and none ever reaches a struct err.
 */
#ifndef AUDITSHIP_AWS_CREDS_H
#define AUDITSHIP_AWS_CREDS_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define AWS_CREDS_REFRESH_MARGIN	300	/* seconds before expiry */
#define AWS_CREDS_FILE_MAX		(256u << 10)	/* credentials file */
#define AWS_CREDS_IMDS_TTL		"21600"	/* IMDSv2 token lifetime, s */
#define AWS_CREDS_ECS_HOST		"http://169.254.170.2"
#define AWS_CREDS_IMDS_HOST		"http://169.254.169.254"

struct aws_creds {
	struct buf	 access_key;
	struct buf	 secret_key;
	struct buf	 token;		/* empty when none */
	long long	 expires;	/* Unix seconds; 0: never */
	char		 source[128];	/* "environment", "profile x", ... */
};

void	aws_creds_init(struct aws_creds *c);
/* Wipe and free every secret; c can be reused after aws_creds_init. */
void	aws_creds_free(struct aws_creds *c);
/* Replace the content (copies; registers secrets with the log). */
int	aws_creds_set(struct aws_creds *c, const char *ak, size_t aklen,
	    const char *sk, size_t sklen, const char *tok, size_t toklen,
	    long long expires, const char *source, struct err *e);

/* 1 when c holds keys that must be replaced before use at time now. */
int	aws_creds_stale(const struct aws_creds *c, long long now);

/*
 * Pure: the [profile] section of a shared credentials file in text[0..n)
 * (aws_access_key_id, aws_secret_access_key, aws_session_token; '#' and
 * ';' comments; names case-insensitive; blanks around '=' ignored).
 * Returns 1 filled, 0 when the profile or its keys are absent, -1 on a
 * malformed file (message gives the line, never a value).
 */
int	aws_creds_parse_ini(struct aws_creds *c, const char *text, size_t n,
	    const char *profile, const char *source, struct err *e);

/*
 * Pure: the JSON document ECS and IMDS return (AccessKeyId,
 * SecretAccessKey, Token, Expiration; IMDS adds "Code":"Success").
 * 0 filled, -1 otherwise.
 */
int	aws_creds_parse_json(struct aws_creds *c, const char *p, size_t n,
	    const char *source, struct err *e);

/* Pure: "2026-11-21T15:04:05Z" (fractions and +00:00 accepted) to Unix
 * seconds; -1 when malformed. */
int	aws_creds_parse_time(const char *s, long long *out);

/* What the config says about credentials (all borrowed; NULL when unset). */
struct aws_creds_opts {
	const char	*mode;		/* auto static env profile ecs imds */
	const char	*access_key_id;
	const char	*secret_access_key;
	const char	*session_token;
	const char	*profile;	/* NULL: $AWS_PROFILE or "default" */
	const char	*ca_file;	/* for an https ECS full URI */
	const char	*log_name;	/* "dest NAME" */
};

/*
 * Walk the chain (I/O: environment, files, loopback/link-local HTTP) and
 * fill c from the first source that has credentials.  -1 when none has,
 * with a message listing what was tried and why each was skipped.
 */
int	aws_creds_resolve(struct aws_creds *c, const struct aws_creds_opts *o,
	    long long now, struct err *e);

#endif
