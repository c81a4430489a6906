/*
 * cmd_verify.c - `auditship verify` (SPEC §7): prove from the destination
 * alone that every day of every stream is complete and unaltered.
 *
 * Output: the trusted keys, then per stream and day "ok" or one line per
 * problem (day, stream, key, what), then
 *   verified D days of S streams: O objects, B bytes, P problems
 * --json prints the same as one document.  Exit 0 clean, 1 problems,
 * 2 usage or configuration.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "archive.h"
#include "buf.h"
#include "cmd.h"
#include "dest.h"
#include "jsonl.h"
#include "log.h"
#include "source.h"
#include "verify.h"

#define VERIFY_MAX_ARGS	256

struct vargs {
	const char	*dests[VERIFY_MAX_ARGS], *hosts[VERIFY_MAX_ARGS];
	const char	*users[VERIFY_MAX_ARGS], *keys[VERIFY_MAX_ARGS];
	size_t		 ndests, nhosts, nusers, nkeys;
	const char	*from, *to;
	int		 local, fast, json;
};

struct vrun {
	const struct vargs *args;
	struct verify_opts opts;
	struct archive	*a;
	const char	*dest;
	const char	*host;		/* while listing a host's users */
	uint64_t	 days, streams, objects, bytes, problems;
	uint64_t	 by_checksum, stored_only;	/* --fast */
	int		 first_stream;
	int		 failed;
};

static void
json_s(const char *s)
{
	struct buf b;

	buf_init(&b, 1u << 20);
	buf_addc(&b, '"');
	jsonl_escape(&b, s, strlen(s));
	buf_addc(&b, '"');
	fwrite(b.p, 1, b.len, stdout);
	buf_free(&b);
}

static int
listed(const char *const *v, size_t n, const char *s)
{
	size_t i;

	if (n == 0)
		return 1;
	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static void
print_stream(struct vrun *r, const struct verify_stream *vs)
{
	size_t i, j;

	r->streams++;
	if (r->args->json) {
		printf("%s{\"destination\":", r->first_stream ? "" : ",");
		json_s(r->dest);
		printf(",\"host\":");
		json_s(vs->host);
		printf(",\"user\":");
		json_s(vs->user);
		printf(",\"days\":[");
	}
	r->first_stream = 0;
	for (i = 0; i < vs->ndays; i++) {
		const struct verify_day *d = &vs->days[i];

		r->days++;
		r->objects += d->objects;
		r->bytes += d->bytes;
		r->problems += d->np;
		r->by_checksum += d->by_checksum;
		r->stored_only += d->stored_only;
		if (r->args->json) {
			printf("%s{\"date\":\"%s\",\"ok\":%s,\"sealed\":%s,\"seals\":%u,"
			    "\"objects\":%" PRIu64 ",\"bytes\":%" PRIu64,
			    i ? "," : "", d->date, d->np ? "false" : "true",
			    d->sealed ? "true" : "false", d->seals, d->objects, d->bytes);
			if (r->args->fast)
				printf(",\"by_stored_checksum\":%" PRIu64
				    ",\"stored_hash_only\":%" PRIu64, d->by_checksum,
				    d->stored_only);
			printf(",\"problems\":[");
			for (j = 0; j < d->np; j++) {
				printf("%s{\"key\":", j ? "," : "");
				json_s(d->p[j].key);
				printf(",\"problem\":");
				json_s(d->p[j].what);
				printf("}");
			}
			printf("]}");
			continue;
		}
		if (d->np == 0) {
			printf("ok    %s/%s %s: %u seal%s, %" PRIu64 " objects, %" PRIu64
			    " bytes", vs->host, vs->user, d->date, d->seals,
			    d->seals == 1 ? "" : "s", d->objects, d->bytes);
			if (d->by_checksum > 0)
				printf(" (%" PRIu64 " by stored checksum)",
				    d->by_checksum);
			if (d->stored_only > 0)
				printf(" (%" PRIu64 " by stored hash only)",
				    d->stored_only);
			printf("\n");
			continue;
		}
		for (j = 0; j < d->np; j++)
			printf("FAIL  %s/%s %s: %s%s%s\n", vs->host, vs->user, d->date,
			    d->p[j].key, d->p[j].key[0] ? ": " : "", d->p[j].what);
	}
	if (r->args->json)
		printf("]}");
}

static int
user_cb(void *ctx, const char *user)
{
	struct vrun *r = ctx;
	struct verify_stream vs;
	struct err e = { 0, "" };

	if (!listed(r->args->users, r->args->nusers, user))
		return 0;
	if (verify_stream(r->a, &r->opts, r->host, user, &vs, &e) == -1) {
		log_error("verify %s/%s: %s", r->host, user, e.msg);
		r->failed = 1;
	} else
		print_stream(r, &vs);
	verify_stream_free(&vs);
	if (!r->args->json)
		fflush(stdout);
	return 0;
}

static int
host_cb(void *ctx, const char *host)
{
	struct vrun *r = ctx;
	struct err e = { 0, "" };
	char pre[LIM_KEY];

	if (!listed(r->args->hosts, r->args->nhosts, host))
		return 0;
	if (snprintf(pre, sizeof(pre), "%s/", host) >= (int)sizeof(pre))
		return 0;
	r->host = host;
	if (archive_children(r->a, pre, user_cb, r, &e) == -1) {
		log_error("verify: %s", e.msg);
		r->failed = 1;
	}
	return 0;
}

/* --fast: what this destination lets verify trust (SPEC §7). */
static void
fast_note(const struct conf_section *cs)
{
	if (strcmp(cs->type, "s3") == 0)
		printf("--fast: dest %s: trusting the server's stored "
		    "x-amz-checksum-sha256 of each object that has a full-object "
		    "one (HEAD, no download) against the seal's stored_sha256; "
		    "objects without one are downloaded and verified in full\n",
		    cs->dest_name);
	else if (strcmp(cs->type, "dir") == 0)
		printf("--fast: dest %s: each stored file is hashed against the "
		    "seal's stored_sha256 without decompressing (its uncompressed "
		    "sha256 and the day's hash are trusted from the signed "
		    "seal)\n", cs->dest_name);
	else
		printf("--fast: dest %s: %s keeps no checksum verify can trust; "
		    "every object is downloaded and verified in full\n",
		    cs->dest_name, cs->type);
}

static int
verify_usage(void)
{
	printf("usage: auditship [-c FILE] verify [--dest NAME]... [--from D] [--to D]\n"
	    "         [--host H]... [--user U]... [--key FILE|DIR]... [--local] [--fast] [--json]\n"
	    "  Check, from the destination alone, that every day of every stream is\n"
	    "  sealed, signed by a trusted key, chained, and that its objects are all\n"
	    "  there, unaltered, with nothing added.  --key: trusted .pub files or\n"
	    "  directories of them (default: this host's own public key).  --local\n"
	    "  also compares this host's daily files.  --fast trusts s3's stored\n"
	    "  x-amz-checksum-sha256 instead of downloading (dir: hashes stored\n"
	    "  files without decompressing).  Exit 0 clean, 1 problems.\n");
	return EXIT_OK;
}

static int
arg_push(const char **v, size_t *n, const char *s)
{
	if (*n >= VERIFY_MAX_ARGS)
		return -1;
	v[(*n)++] = s;
	return 0;
}

static int
parse_args(int argc, char **argv, struct vargs *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		const char *o = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;

		if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0)
			return 1;
		if (strcmp(o, "--local") == 0) { a->local = 1; continue; }
		if (strcmp(o, "--fast") == 0) { a->fast = 1; continue; }
		if (strcmp(o, "--json") == 0) { a->json = 1; continue; }
		if (val == NULL) {
			log_error("verify: %s needs a value", o);
			return -1;
		}
		if (strcmp(o, "--dest") == 0)
			bad = arg_push(a->dests, &a->ndests, val);
		else if (strcmp(o, "--host") == 0)
			bad = arg_push(a->hosts, &a->nhosts, val);
		else if (strcmp(o, "--user") == 0)
			bad = arg_push(a->users, &a->nusers, val);
		else if (strcmp(o, "--key") == 0)
			bad = arg_push(a->keys, &a->nkeys, val);
		else if (strcmp(o, "--from") == 0 && cmd_valid_day(val))
			a->from = val;
		else if (strcmp(o, "--to") == 0 && cmd_valid_day(val))
			a->to = val;
		else {
			log_error("verify: bad option %s %s", o, val);
			return -1;
		}
		if (bad) {
			log_error("verify: too many %s", o);
			return -1;
		}
		i++;
	}
	return 0;
}

int
cmd_verify(const struct config *cfg, int argc, char **argv)
{
	struct vargs args;
	struct vrun r;
	struct verify_key *keys = NULL;
	size_t nkeys = 0, i, n = config_dest_count(cfg), nd = 0;
	struct err e = { 0, "" };
	char yesterday[11], today[11], pub[LIM_PATH];
	time_t now = time(NULL);
	int rc;

	if ((rc = parse_args(argc, argv, &args)) != 0)
		return rc == 1 ? verify_usage() : EXIT_USAGE;
	for (i = 0; i < args.ndests; i++) {
		size_t k;

		for (k = 0; k < n; k++)
			if (strcmp(config_dest(cfg, k)->dest_name, args.dests[i]) == 0)
				break;
		if (k == n) {
			log_error("verify: --dest %s: no [destination %s] in %s",
			    args.dests[i], args.dests[i], cfg->path);
			return EXIT_USAGE;
		}
	}
	/* Trusted keys: --key, else this host's own. */
	for (i = 0; i < args.nkeys; i++)
		if (verify_load_keys(args.keys[i], &keys, &nkeys, &e) == -1) {
			log_error("verify: %s", e.msg);
			verify_keys_free(keys, nkeys);
			return EXIT_USAGE;
		}
	if (args.nkeys == 0) {
		snprintf(pub, sizeof(pub), "%s.pub", cfg->signing_key_file);
		if (verify_load_keys(pub, &keys, &nkeys, &e) == -1) {
			log_error("verify: %s (give the auditor's trusted keys with --key)",
			    e.msg);
			return EXIT_USAGE;
		}
	}
	source_today(now, cfg->day_local, today);
	{
		/* yesterday by day_boundary */
		struct tm tm;
		time_t t;

		memset(&tm, 0, sizeof(tm));
		strptime(today, "%Y-%m-%d", &tm);
		tm.tm_hour = 12;
		t = timegm(&tm) - 86400;
		gmtime_r(&t, &tm);
		strftime(yesterday, sizeof(yesterday), "%Y-%m-%d", &tm);
	}
	memset(&r, 0, sizeof(r));
	r.args = &args;
	r.opts.cfg = cfg;
	r.opts.keys = keys;
	r.opts.nkeys = nkeys;
	r.opts.local = args.local;
	r.opts.fast = args.fast;
	r.opts.from = args.from;
	r.opts.to = args.to != NULL ? args.to : yesterday;
	r.first_stream = 1;
	if (args.json) {
		printf("{\"trusted_keys\":[");
		for (i = 0; i < nkeys; i++) {
			printf("%s{\"key_id\":\"%s\",\"path\":", i ? "," : "", keys[i].id);
			json_s(keys[i].path);
			printf("}");
		}
		printf("],\"to\":\"%s\",\"streams\":[", r.opts.to);
	} else
		for (i = 0; i < nkeys; i++)
			printf("trusting key %s (%s)\n", keys[i].id, keys[i].path);
	for (i = 0; i < n; i++) {
		const struct conf_section *cs = config_dest(cfg, i);

		if (!listed(args.dests, args.ndests, cs->dest_name))
			continue;
		/* Object destinations keep an archive (dir, s3, azblob). */
		if (dest_find(cs->type) == NULL ||
		    dest_find(cs->type)->kind != DEST_OBJECTS) {
			if (args.ndests > 0)
				log_warn("verify: [destination %s] is %s: it keeps no "
				    "archive to verify", cs->dest_name, cs->type);
			continue;
		}
		if ((r.a = archive_open(cfg, cs, &e)) == NULL) {
			log_error("verify: %s", e.msg);
			r.failed = 1;
			err_clear(&e);
			continue;
		}
		nd++;
		if (args.fast && !args.json)
			fast_note(cs);
		r.dest = cs->dest_name;
		if (archive_children(r.a, "", host_cb, &r, &e) == -1) {
			log_error("verify: dest %s: %s", cs->dest_name, e.msg);
			r.failed = 1;
			err_clear(&e);
		}
		archive_close(r.a);
		r.a = NULL;
	}
	if (args.json) {
		printf("],\"summary\":{\"days\":%" PRIu64 ",\"streams\":%" PRIu64
		    ",\"objects\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"problems\":%"
		    PRIu64, r.days, r.streams, r.objects, r.bytes, r.problems);
		if (args.fast)
			printf(",\"fast\":{\"by_stored_checksum\":%" PRIu64
			    ",\"stored_hash_only\":%" PRIu64 ",\"downloaded\":%"
			    PRIu64 "}", r.by_checksum, r.stored_only,
			    r.objects - r.by_checksum - r.stored_only);
		printf("}}\n");
	} else {
		if (args.fast)
			printf("--fast: %" PRIu64 " objects checked by the server's "
			    "stored checksum (not downloaded), %" PRIu64 " by their "
			    "stored bytes' hash only (dir, not decompressed), %"
			    PRIu64 " downloaded and verified in full\n",
			    r.by_checksum, r.stored_only,
			    r.objects - r.by_checksum - r.stored_only);
		printf("verified %" PRIu64 " days of %" PRIu64 " streams: %" PRIu64
		    " objects, %" PRIu64 " bytes, %" PRIu64 " problems\n", r.days,
		    r.streams, r.objects, r.bytes, r.problems);
	}
	verify_keys_free(keys, nkeys);
	if (nd == 0 && !r.failed) {
		log_error("verify: no dir or s3 destination to verify");
		return EXIT_USAGE;
	}
	return r.failed || r.problems > 0 ? EXIT_DEST : EXIT_OK;
}
