/*
 * cmd_key.c - `auditship keygen [--force]` and `auditship key` (SPEC §7).
 *
 * keygen creates the Ed25519 signing key at signing_key_file (0600) and
 * its public key beside it (.pub), refusing to replace one without
 * --force; both print the public key (PEM) and its key id.  The private
 * key is never printed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "crypto.h"
#include "fsutil.h"
#include "log.h"

static int
key_print(const struct config *cfg, struct crypto_sign_key *k)
{
	struct buf pem;

	buf_init(&pem, 4096);
	if (crypto_ed25519_pub_pem(k, &pem) == -1) {
		buf_free(&pem);
		log_error("cannot encode the public key");
		return EXIT_DEST;
	}
	fputs(pem.p, stdout);
	printf("key id: %s\n", crypto_ed25519_key_id(k));
	printf("private key: %s\npublic key: %s.pub\n", cfg->signing_key_file,
	    cfg->signing_key_file);
	buf_free(&pem);
	return EXIT_OK;
}

static const char keygen_usage[] =
    "usage: auditship [-c FILE] keygen [--force]\n"
    "  Create the Ed25519 key that signs seals (signing_key_file,\n"
    "  0600) and its public key beside it (.pub); print the public\n"
    "  key and its id.  --force replaces an existing key.\n";

int
cmd_keygen(const struct config *cfg, int argc, char **argv)
{
	struct crypto_sign_key *k;
	struct err e = { 0, "" };
	int force = 0, rc;

	if ((rc = cmd_one_flag("keygen", argc, argv, "--force", keygen_usage,
	    &force)) != -1)
		return rc;
	if (fs_mkdir_parent_private(cfg->signing_key_file, &e) == -1 ||
	    (k = crypto_ed25519_keygen(cfg->signing_key_file, force, &e)) == NULL) {
		log_error("keygen: %s", e.msg);
		return e.code == 0 && strstr(e.msg, "refusing") ? EXIT_USAGE : EXIT_DEST;
	}
	rc = key_print(cfg, k);
	crypto_ed25519_free(k);
	return rc;
}

int
cmd_key(const struct config *cfg, int argc, char **argv)
{
	struct crypto_sign_key *k;
	struct err e = { 0, "" };
	int rc;

	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
			printf("usage: auditship [-c FILE] key\n"
			    "  Print the public signing key (PEM) and its key id.\n");
			return EXIT_OK;
		}
		log_error("key: unknown option %s", argv[1]);
		return EXIT_USAGE;
	}
	if ((k = crypto_ed25519_load(cfg->signing_key_file, &e)) == NULL) {
		log_error("key: %s%s", e.msg, e.code == ENOENT ?
		    " (auditship keygen creates one)" : "");
		return EXIT_DEST;
	}
	rc = key_print(cfg, k);
	crypto_ed25519_free(k);
	return rc;
}
