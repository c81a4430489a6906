/*
 * cmd_check.c - `auditship check [--connect]`: validate the configuration,
 * print it resolved (secrets masked), and with --connect prove each
 * destination is reachable without storing anything (dest->probe).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "crypto.h"
#include "dest.h"
#include "log.h"

unsigned
cmd_config_flags(const char *cmd, int argc, char **argv)
{
	int a;

	if (strcmp(cmd, "status") == 0)
		return CONFIG_SECRETS_SKIP;
	if (strcmp(cmd, "check") != 0)
		return 0;
	for (a = 1; a < argc; a++)
		if (strcmp(argv[a], "--connect") == 0)
			return 0;
	return CONFIG_SECRETS_WARN;
}

int
cmd_load_config(struct config *cfg, const char *path, unsigned flags,
    struct err *e)
{
	struct buf report;
	const char *p, *nl;

	buf_init(&report, 64u << 10);
	if (config_load_report(cfg, path, flags, &report, e) == 0) {
		buf_free(&report);
		return 0;
	}
	if (report.len == 0)
		log_error("%s", e->msg);
	for (p = report.p; p != NULL && p < report.p + report.len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(report.p + report.len -
		    p))) == NULL)
			break;
		log_error("%.*s", (int)(nl - p), p);
	}
	buf_free(&report);
	return -1;
}

/* Each line of text as a warning. */
static void
check_warn_lines(const char *text)
{
	const char *nl;

	while (text != NULL && (nl = strchr(text, '\n')) != NULL) {
		log_warn("%.*s (needed by ship and run)", (int)(nl - text),
		    text);
		text = nl + 1;
	}
}

/* SPEC §7: the signing key by its path and key id, never its bytes. */
static void
check_signing_key(const struct config *cfg)
{
	struct crypto_sign_key *k;
	struct err e = { 0, "" };

	if (access(cfg->signing_key_file, F_OK) != 0) {
		printf("signing key: %s (not created yet: the first seal creates it, "
		    "or auditship keygen)\n", cfg->signing_key_file);
		return;
	}
	if ((k = crypto_ed25519_load(cfg->signing_key_file, &e)) == NULL) {
		log_warn("signing key: %s: nothing will be sealed", e.msg);
		return;
	}
	printf("signing key: %s (key id %s, public key %s.pub)\n",
	    cfg->signing_key_file, crypto_ed25519_key_id(k), cfg->signing_key_file);
	crypto_ed25519_free(k);
}

static const char check_usage[] =
    "usage: auditship [-c FILE] check [--connect]\n"
    "  Validate the configuration and print it resolved (secrets masked).\n"
    "  --connect  also open a connection to each destination (nothing is stored)\n";

int
cmd_check(const struct config *cfg, int argc, char **argv)
{
	struct dest d;
	struct err e;
	struct buf out;
	size_t i, n = config_dest_count(cfg);
	int connect = 0, failed = 0, bad = 0, opt;

	if ((opt = cmd_one_flag("check", argc, argv, "--connect", check_usage,
	    &connect)) != -1)
		return opt;
	check_warn_lines(cfg->warnings);
	for (i = 0; i < n; i++) {
		const struct conf_section *s = config_dest(cfg, i);

		/* Its secret is not at hand here (warned above): the table
		 * checks passed, open() would only fail on it. */
		if (s->secret_unset && !connect)
			continue;
		dest_init(&d, dest_find(s->type), s, cfg);
		err_clear(&e);
		if (d.ops == NULL || d.ops->open(&d, &e) == -1) {
			log_error("%s", e.msg[0] ? e.msg : "unknown destination type");
			bad = 1;
		} else if (connect) {
			if (d.ops->probe == NULL || d.ops->probe(&d, &e) == 0)
				printf("dest %s: ok (%s reachable)\n", d.name, s->type);
			else {
				log_dest(LOG_LVL_ERROR, d.name, "%s", e.msg);
				failed = 1;
			}
		}
		if (d.ops != NULL && d.ops->close != NULL)
			d.ops->close(&d);
	}
	if (bad)
		return EXIT_USAGE;
	buf_init(&out, 1u << 20);
	config_print(cfg, &out);
	if (out.len > 0)
		fwrite(out.p, 1, out.len, stdout);
	buf_free(&out);
	check_signing_key(cfg);
	if (!connect)
		printf("configuration ok: %s\n", cfg->path);
	return failed ? EXIT_DEST : EXIT_OK;
}
