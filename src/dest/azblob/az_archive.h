/*
 * az_archive.h - an azblob destination opened outside the engine, for
 * reading it back (archive.c: `verify` and `report --dest`, SPEC §7, §8).
 *
 * azblob_new() builds the client from a parsed [destination NAME] section
 * exactly as the destination's open() does (secrets read, nothing sent);
 * the container is then listed and read with az_client_list() and
 * az_client_get() (az_client.h).
 */
#ifndef AUDITSHIP_AZ_ARCHIVE_H
#define AUDITSHIP_AZ_ARCHIVE_H

#include <stdint.h>

#include "config.h"
#include "err.h"

struct dest_azblob;
struct az_client;

/* NULL with e set ("[destination NAME] ...") on error. */
struct dest_azblob *azblob_new(const struct conf_section *cs,
	    const struct config *cfg, uint64_t timeout_ms, struct err *e);
void	azblob_free(struct dest_azblob *a);
/* Borrowed; lives as long as a. */
struct az_client *azblob_client(struct dest_azblob *a);

/*
 * archive.h's calls for a container: keys are blob names without the
 * destination's prefix (dprefix), as archive.c hands them out.
 */
#include "archive.h"
int	az_archive_children(struct dest_azblob *a, const char *dprefix,
	    const char *prefix, archive_name_fn cb, void *ctx, struct err *e);
int	az_archive_list(struct dest_azblob *a, const char *dprefix,
	    const char *prefix, archive_key_fn cb, void *ctx, struct err *e);
int	az_archive_get(struct dest_azblob *a, const char *dprefix,
	    const char *key, gz_sink_fn sink, void *ctx, struct err *e);

#endif
