/*
 * az_archive.h - an azblob destination opened outside the engine, for
 * reading it back (archive.c: `verify` and `report --dest`, SPEC §7, §8).
 *
 * archive.c opens the destination with dest_azblob_ops.open, as the engine
 * does (secrets read, nothing sent), and takes its client with
 * dest_azblob_of(); the container is then listed and read with
 * az_client_list() and az_client_get() (az_client.h).
 */
#ifndef AUDITSHIP_AZ_ARCHIVE_H
#define AUDITSHIP_AZ_ARCHIVE_H

#include <stdint.h>

#include "config.h"
#include "err.h"

struct dest_azblob;
struct az_client;

struct dest;
/* An opened azblob destination's state; borrowed, lives as long as d. */
struct dest_azblob *dest_azblob_of(struct dest *d);
/* Borrowed; lives as long as a. */
struct az_client *azblob_client(struct dest_azblob *a);

/*
 * archive.h's calls for a container: keys are blob names without the
 * destination's prefix (dprefix), as archive.c hands them out (it lists
 * through az_client_list).
 */
#include "archive.h"
int	az_archive_get(struct dest_azblob *a, const char *dprefix,
	    const char *key, gz_sink_fn sink, void *ctx, struct err *e);

#endif
