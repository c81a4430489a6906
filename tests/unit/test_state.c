/* Unit tests for state.c: escaping, save/load round trip, corrupt files,
 * mode 0600, and the lock. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "state.h"
#include "test.h"

static void
test_escape(void)
{
	char out[128], back[128];
	static const char *cases[] = { "plain", "a b\tc", "100%", "k=v", "/home/x y/.claude", "\xc3\xa9" };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		T_CHECK(state_escape(cases[i], out, sizeof(out)) == 0, cases[i]);
		T_CHECK(strpbrk(out, " \t=") == NULL, "no separators after escaping");
		memcpy(back, out, strlen(out) + 1);
		T_CHECK(state_unescape(back) == 0, "unescape");
		T_STREQ(back, cases[i], "escape round trip");
	}
	memcpy(back, "bad%zz", 7);
	T_CHECK(state_unescape(back) == -1, "bad escape refused");
	memcpy(back, "ab%20cd%25", 11);
	T_CHECK(state_unescape(back) == 0, "escapes after plain bytes");
	T_STREQ(back, "ab cd%", "escapes after plain bytes");
	memcpy(back, "tail%4", 7);
	T_CHECK(state_unescape(back) == -1, "escape cut short refused");
}

/* Does r hold exactly this key? */
static int
rec_is(const struct state_rec *r, const char *dest, const char *stream,
    const char *name)
{
	return r != NULL && strcmp(r->dest, dest) == 0 &&
	    strcmp(r->stream, stream) == 0 && strcmp(r->name, name) == 0;
}

/*
 * state_get tries the record after the last one found, and the end,
 * before its binary search: whatever order keys are created and looked up
 * in (forward, backward, scattered, absent keys between present ones),
 * every lookup returns the record with that key, and the array stays
 * sorted.
 */
static void
test_lookup_order(void)
{
	struct state st;
	char dest[8], stream[32], name[32];
	const char *dests[] = { "b", "a" };
	size_t i, j, n = 2 * 3 * 20, bad = 0;
	struct state_rec *r;

	memset(&st, 0, sizeof(st));
	/* Create in a scattered order (7 is coprime to n). */
	for (i = 0; i < n; i++) {
		j = (i * 7) % n;
		snprintf(dest, sizeof(dest), "%s", dests[j / 60]);
		snprintf(stream, sizeof(stream), "/home/u%zu/.claude/audit", j / 20 % 3);
		snprintf(name, sizeof(name), "2026-01-%02zu.jsonl", 2 * (j % 20) + 1);
		if ((r = state_get(&st, dest, stream, name, 1)) == NULL ||
		    !rec_is(r, dest, stream, name))
			bad++;
		else
			r->off = j;
	}
	T_CHECK(bad == 0 && st.nrecs == n, "created in scattered order");
	for (i = 1, bad = 0; i < st.nrecs; i++)
		if (strcmp(st.recs[i - 1].dest, st.recs[i].dest) > 0 ||
		    (strcmp(st.recs[i - 1].dest, st.recs[i].dest) == 0 &&
		    strcmp(st.recs[i - 1].stream, st.recs[i].stream) > 0))
			bad++;
	T_CHECK(bad == 0, "array kept sorted");
	/* Forward, backward and scattered lookups; each of them also asks
	 * for an absent day (an even one) next to the present ones. */
	for (int pass = 0; pass < 3; pass++) {
		for (i = 0, bad = 0; i < n; i++) {
			j = pass == 0 ? i : pass == 1 ? n - 1 - i : (i * 13) % n;
			snprintf(dest, sizeof(dest), "%s", dests[j / 60]);
			snprintf(stream, sizeof(stream), "/home/u%zu/.claude/audit", j / 20 % 3);
			snprintf(name, sizeof(name), "2026-01-%02zu.jsonl", 2 * (j % 20) + 1);
			r = state_get(&st, dest, stream, name, 0);
			if (!rec_is(r, dest, stream, name) || r->off != j)
				bad++;
			snprintf(name, sizeof(name), "2026-01-%02zu.jsonl", 2 * (j % 20) + 2);
			if (state_get(&st, dest, stream, name, 0) != NULL)
				bad++;
		}
		T_CHECK(bad == 0, pass == 0 ? "forward lookups" : pass == 1 ?
		    "backward lookups" : "scattered lookups");
	}
	/* A record created in the middle moves the rest: the next lookup
	 * in order still finds the right one. */
	r = state_get(&st, "a", "/home/u0/.claude/audit", "2026-01-02.jsonl", 1);
	T_CHECK(rec_is(r, "a", "/home/u0/.claude/audit", "2026-01-02.jsonl") &&
	    r->off == 0, "created between two records");
	r = state_get(&st, "a", "/home/u0/.claude/audit", "2026-01-03.jsonl", 0);
	T_CHECK(rec_is(r, "a", "/home/u0/.claude/audit", "2026-01-03.jsonl"),
	    "the record after the new one");
	r = state_get(&st, "a", "/home/u0/.claude/audit", "2026-01-01.jsonl", 0);
	T_CHECK(rec_is(r, "a", "/home/u0/.claude/audit", "2026-01-01.jsonl"),
	    "the record before the new one");
	for (i = 0; i < st.nrecs; i++) {
		free(st.recs[i].dest);
		free(st.recs[i].stream);
		free(st.recs[i].name);
	}
	free(st.recs);
}

static void
test_roundtrip(void)
{
	char dir[] = "/tmp/test_state.XXXXXX", path[128];
	struct state st, st2;
	struct state_rec *r;
	struct state_dest *d;
	struct err e = { 0, "" };
	struct stat sb;

	T_CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	T_CHECK(state_open(&st, dir, 1, &e) == 0, "open empty");
	r = state_get(&st, "s3", "/home/a b/audit", "2026-11-20.jsonl", 1);
	r->off = 1234;
	r->size = 5000;
	r->pending = 1;
	r->pend_start = 1234;
	r->pend_end = 5000;
	state_set_note(r, "upload_id=abc def");
	memcpy(r->fp, "00ff", 5);
	r->invalid = 3;
	/* Insert out of order: lookups must still find both. */
	r = state_get(&st, "archive", "/home/a b/audit", "2026-11-19.jsonl", 1);
	r->off = 77;
	r->sh_lag = 70;		/* its hash behind its offset (sealer.c) */
	d = state_dest_get(&st, "s3", 1);
	state_set_error(d, "HTTP 503: SlowDown\twith tab", 1700000000);
	T_CHECK(state_save(&st, &e) == 0, "save");
	snprintf(path, sizeof(path), "%s/state", dir);
	T_CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600, "mode 0600");

	/* A second process cannot take the lock. */
	T_CHECK(state_open(&st2, dir, 1, &e) == STATE_LOCKED, "lock held");
	state_close(&st2);
	state_close(&st);

	T_CHECK(state_open(&st2, dir, 1, &e) == 0, "reopen");
	r = state_get(&st2, "s3", "/home/a b/audit", "2026-11-20.jsonl", 0);
	T_CHECK(r != NULL && r->off == 1234 && r->pending && r->pend_end == 5000 &&
	    r->invalid == 3, "record round trip");
	T_STREQ(r ? r->note : NULL, "upload_id=abc def", "note round trip");
	T_STREQ(r ? r->fp : NULL, "00ff", "fingerprint round trip");
	r = state_get(&st2, "archive", "/home/a b/audit", "2026-11-19.jsonl", 0);
	T_CHECK(r != NULL && r->sh_lag == 70, "hash lag round trip");
	T_CHECK(r != NULL && r->off == 77, "second record");
	d = state_dest_get(&st2, "s3", 0);
	T_STREQ(d ? d->last_err : NULL, "HTTP 503: SlowDown\twith tab", "dest error round trip");
	state_close(&st2);

	/* Corrupt files are errors naming the line, never a restart from 0. */
	{
		FILE *f = fopen(path, "w");

		fputs("auditship-state 1\nfile\tdest=a\tstream=b\tname=c\toff=12x\n", f);
		fclose(f);
		err_clear(&e);
		T_CHECK(state_open(&st2, dir, 0, &e) == -1, "bad number refused");
		T_CHECK(strstr(e.msg, ":2:") != NULL, "error names the line");
		state_close(&st2);
		f = fopen(path, "w");
		fputs("garbage\n", f);
		fclose(f);
		err_clear(&e);
		T_CHECK(state_open(&st2, dir, 0, &e) == -1, "foreign file refused");
		state_close(&st2);
		f = fopen(path, "w");
		fputs("auditship-state 1\nfile\tdest=a\tstream=b\tname=c\toff=1", f);
		fclose(f);
		err_clear(&e);
		T_CHECK(state_open(&st2, dir, 0, &e) == -1 && strstr(e.msg, "truncated"),
		    "truncated file refused");
		state_close(&st2);
	}
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	T_CHECK(system(path) == 0, "cleanup");
}

/* Commits go to the journal and are replayed on load; a torn last line
 * (crash mid-append) is dropped; lines of an older epoch (a compaction
 * that died before truncating) are ignored; compaction empties it. */
static void
test_journal(void)
{
	char dir[] = "/tmp/test_state.XXXXXX", jpath[128], cmd[160];
	struct state st;
	struct state_rec *r;
	struct err e = { 0, "" };
	struct stat sb;
	FILE *f;

	T_CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(jpath, sizeof(jpath), "%s/state.journal", dir);
	T_CHECK(state_open(&st, dir, 1, &e) == 0, "open");
	r = state_get(&st, "d", "/s", "a.jsonl", 1);
	r->off = 10;
	T_CHECK(state_commit(&st, r, NULL, &e) == 0, "commit 1");
	r = state_get(&st, "d", "/s", "a.jsonl", 0);
	r->off = 20;
	T_CHECK(state_commit(&st, r, state_dest_get(&st, "d", 1), &e) == 0, "commit 2");
	r = state_get(&st, "d", "/s", "b.jsonl", 1);
	r->off = 5;
	T_CHECK(state_commit(&st, r, NULL, &e) == 0, "commit 3");
	state_close(&st);	/* "crash": no snapshot written */

	/* a torn append after the good lines */
	f = fopen(jpath, "a");
	fputs("0\tfile\tdest=d\tstream=/s\tname=a.jsonl\toff=99", f);
	fclose(f);
	T_CHECK(state_open(&st, dir, 1, &e) == 0, "reopen with a torn tail");
	r = state_get(&st, "d", "/s", "a.jsonl", 0);
	T_CHECK(r != NULL && r->off == 20, "last complete commit wins, torn one ignored");
	r = state_get(&st, "d", "/s", "b.jsonl", 0);
	T_CHECK(r != NULL && r->off == 5, "journal-only record replayed");
	T_CHECK(state_dest_get(&st, "d", 0) != NULL, "dest record replayed");
	/* the next append drops the torn tail first */
	r->off = 6;
	T_CHECK(state_commit(&st, r, NULL, &e) == 0, "append after a torn tail");
	state_close(&st);
	T_CHECK(state_open(&st, dir, 1, &e) == 0, "reopen after append");
	r = state_get(&st, "d", "/s", "b.jsonl", 0);
	T_CHECK(r != NULL && r->off == 6, "append after torn tail is readable");

	/* compaction: new epoch, empty journal */
	T_CHECK(state_save(&st, &e) == 0, "compact");
	T_CHECK(stat(jpath, &sb) == 0 && sb.st_size == 0, "journal emptied");
	T_CHECK(st.epoch == 1, "epoch bumped");
	state_close(&st);

	/* a compaction that died before truncating: old-epoch lines ignored */
	f = fopen(jpath, "a");
	fputs("0\tfile\tdest=d\tstream=/s\tname=b.jsonl\toff=1\n", f);
	fclose(f);
	T_CHECK(state_open(&st, dir, 0, &e) == 0, "reopen with stale lines");
	r = state_get(&st, "d", "/s", "b.jsonl", 0);
	T_CHECK(r != NULL && r->off == 6, "stale-epoch journal line ignored");
	state_close(&st);

	/* a complete but garbled journal line is corruption, named */
	f = fopen(jpath, "a");
	fputs("1\tfile\tdest=d\toff=zz\n", f);
	fclose(f);
	err_clear(&e);
	T_CHECK(state_open(&st, dir, 0, &e) == -1 && strstr(e.msg, "state.journal") != NULL,
	    "garbled journal line is an error naming the journal");
	state_close(&st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	T_CHECK(system(cmd) == 0, "cleanup");
}

static char *
slurp(const char *path, size_t *len)
{
	static char data[1 << 16];
	FILE *f = fopen(path, "r");

	*len = f != NULL ? fread(data, 1, sizeof(data) - 1, f) : 0;
	if (f != NULL)
		fclose(f);
	data[*len] = '\0';
	return data;
}

static void
put_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fwrite(text, 1, len, f) != len)
		abort();
	fclose(f);
}

/*
 * Issue 17 #1: a state auditship wrote always loads, whatever the values:
 * save -> load -> save is byte-identical with every field at its extremes
 * (an mtime before 1970 once made the state unloadable for everyone).
 */
static void
test_extremes(void)
{
	char dir[] = "/tmp/test_state.XXXXXX", path[128], first[1 << 16];
	struct state st;
	struct state_rec *r;
	struct state_dest *d;
	struct err e = { 0, "" };
	size_t len, len2;
	int k;

	T_CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(path, sizeof(path), "%s/state", dir);
	for (k = 0; k < 3; k++) {
		int64_t i64 = k == 0 ? INT64_MIN : k == 1 ? INT64_MAX : -43200;
		uint64_t u64 = k == 0 ? 0 : k == 1 ? UINT64_MAX : 1;

		T_CHECK(state_open(&st, dir, 1, &e) == 0, "open");
		r = state_get(&st, "d", "/s", "2026-11-20.jsonl", 1);
		r->dev = r->ino = r->off = r->size = r->gz_csize = u64;
		r->lines = r->bytes = r->invalid = r->oversize = u64;
		r->truncated = r->resets = r->rejected = u64;
		r->pend_start = r->pend_end = u64;
		r->pending = 1;
		r->gz = 1;
		r->gz_mtime = r->last_ok = r->mtime = r->ctime_ns = i64;
		memcpy(r->fp, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 65);
		state_set_note(r, "upload_id=x y%z\tw");
		d = state_dest_get(&st, "d", 1);
		state_set_error(d, "HTTP 400:\nbad\r\x01", i64);
		d->last_ok = i64;
		d->errors = u64;
		T_CHECK(state_save(&st, &e) == 0, "save at extremes");
		state_close(&st);
		{
			const char *t = slurp(path, &len);

			memcpy(first, t, len + 1);
		}
		T_CHECK(state_open(&st, dir, 1, &e) == 0, "extremes load");
		if (e.msg[0] != '\0')
			fprintf(stderr, "  extremes %d: %s\n", k, e.msg);
		if (k == 2)
			T_STREQ(e.msg, "", "pre-1970 mtime loads");
		r = state_get(&st, "d", "/s", "2026-11-20.jsonl", 0);
		T_CHECK(r != NULL && r->mtime == i64 && r->ctime_ns == i64 &&
		    r->gz_mtime == i64 && r->last_ok == i64 && r->off == u64 &&
		    r->pend_end == u64, "values loaded");
		st.epoch--;	/* the same epoch, so the same bytes */
		T_CHECK(state_save(&st, &e) == 0, "save again");
		state_close(&st);
		slurp(path, &len2);
		T_CHECK(len == len2 && memcmp(first, slurp(path, &len2), len) == 0,
		    "save -> load -> save byte-identical");
		unlink(path);
	}
	rmdir(dir);
}

/*
 * Issue 17 #5 and #10: a damaged state is an error naming the file and
 * the line, never a fresh start from offset 0.
 */
static void
test_damaged(void)
{
#define HDR	"auditship-state 1\nepoch\t3\n"
#define KEY	"file\tdest=d\tstream=/s\tname=a.jsonl"
#define MID	"\tsize=7\tdev=1\tino=2\tgz=0\tmtime=-1"
#define TAIL	"\tlines=1\tbytes=7\tinvalid=0\toversize=0\ttruncated=0" \
		"\tresets=0\trejected=0\tlast_ok=9\n"
#define REC	KEY "\toff=7" MID "\tctime=5" TAIL
	static const struct {
		const char *name, *text;
		size_t len;
		const char *want;
	} cases[] = {
		{ "0-byte file", "", 0, "empty" },
		{ "header only is fine", "auditship-state 1\n", 18, NULL },
		{ "good record", HDR REC, 0, NULL },
		{ "field name changed (off= -> ofX=)", HDR KEY "\tofX=7" MID "\tctime=5" TAIL,
		  0, ":3: file record without off" },
		{ "a required field missing", HDR KEY "\toff=7" MID TAIL, 0,
		  ":3: file record without ctime" },
		{ "duplicate record", HDR REC REC, 0, ":4: a second record" },
		{ "duplicate field", HDR "file\tdest=e\tdest=d\tstream=/s\tname=a.jsonl\toff=7"
		  MID "\tctime=5" TAIL, 0, ":3: field dest given twice" },
		{ "NUL-led line", HDR "\0" REC, sizeof(HDR REC), ":3: NUL byte" },
		{ "signed off refused", HDR KEY "\toff=-7" MID "\tctime=5" TAIL, 0,
		  ":3: bad value for off" },
		{ "plus sign refused", HDR KEY "\toff=+7" MID "\tctime=5" TAIL, 0,
		  ":3: bad value for off" },
		{ "dest record without errors", HDR "dest\tname=d\tlast_ok=1\tlast_err_at=1\n",
		  0, ":3: dest record without errors" },
		{ "duplicate dest record", HDR "dest\tname=d\tlast_ok=1\tlast_err_at=1\terrors=0\n"
		  "dest\tname=d\tlast_ok=1\tlast_err_at=1\terrors=0\n", 0, ":4: a second record" },
	};
#undef HDR
#undef KEY
#undef MID
#undef TAIL
#undef REC
	char dir[] = "/tmp/test_state.XXXXXX", path[128];
	struct state st;
	struct err e = { 0, "" };
	size_t k;

	T_CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(path, sizeof(path), "%s/state", dir);
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		size_t len = cases[k].len ? cases[k].len : strlen(cases[k].text);

		put_file(path, cases[k].text, len);
		err_clear(&e);
		if (cases[k].want == NULL) {
			T_CHECK(state_open(&st, dir, 0, &e) == 0, cases[k].name);
		} else {
			T_CHECK(state_open(&st, dir, 0, &e) == -1, cases[k].name);
			T_CHECK(strstr(e.msg, path) != NULL, "error names the file");
			if (strstr(e.msg, cases[k].want) == NULL)
				fprintf(stderr, "  %s: got [%s]\n", cases[k].name, e.msg);
			T_CHECK(strstr(e.msg, cases[k].want) != NULL, cases[k].name);
		}
		state_close(&st);
	}
	unlink(path);
	rmdir(dir);
}

/*
 * Issue 17 #10: a journal line of a future epoch (a restored backup, a
 * hand edit) does not survive a save that made no commit: it would count
 * after the epoch moved on.
 */
static void
test_future_epoch(void)
{
	char dir[] = "/tmp/test_state.XXXXXX", path[128], jpath[128];
	static const char snap[] = "auditship-state 1\nepoch\t1\n";
	static const char jline[] = "2\tfile\tdest=d\tstream=/s\tname=a.jsonl\toff=99"
	    "\tsize=99\tdev=1\tino=2\tgz=0\tmtime=1\tctime=5\tlines=1\tbytes=7"
	    "\tinvalid=0\toversize=0\ttruncated=0\tresets=0\trejected=0\tlast_ok=9\n";
	struct state st;
	struct err e = { 0, "" };

	T_CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(path, sizeof(path), "%s/state", dir);
	snprintf(jpath, sizeof(jpath), "%s/state.journal", dir);
	put_file(path, snap, sizeof(snap) - 1);
	put_file(jpath, jline, sizeof(jline) - 1);
	T_CHECK(state_open(&st, dir, 1, &e) == 0, "open");
	T_CHECK(state_get(&st, "d", "/s", "a.jsonl", 0) == NULL, "future line ignored");
	T_CHECK(state_save(&st, &e) == 0, "save without a commit");
	state_close(&st);
	T_CHECK(state_open(&st, dir, 1, &e) == 0, "reopen");
	T_CHECK(state_get(&st, "d", "/s", "a.jsonl", 0) == NULL,
	    "future line did not come back after the save");
	state_close(&st);
	unlink(path);
	unlink(jpath);
	snprintf(path, sizeof(path), "%s/lock", dir);
	unlink(path);
	rmdir(dir);
}

/* Issue 17 #2: a FIFO as state, journal or lock is refused at once (an
 * open would block forever, with signals blocked). */
static void
test_fifo(void)
{
	static const char *const names[] = { "state", "state.journal", "lock" };
	char dir[] = "/tmp/test_state.XXXXXX", path[128];
	struct state st;
	struct err e = { 0, "" };
	size_t k;

	T_CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	alarm(20);	/* a hang fails the test instead of blocking it */
	for (k = 0; k < 3; k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[k]);
		unlink(path);
		T_CHECK(mkfifo(path, 0600) == 0, "mkfifo");
		err_clear(&e);
		T_CHECK(state_open(&st, dir, 1, &e) == -1 ||
		    (k == 1 && state_save(&st, &e) == -1), names[k]);
		T_CHECK(strstr(e.msg, "not a regular file (a FIFO)") != NULL, e.msg);
		state_close(&st);
		unlink(path);
	}
	alarm(0);
	snprintf(path, sizeof(path), "%s/lock", dir);
	unlink(path);
	rmdir(dir);
}

/* Issue 17 #3: a secret echoed back by a server is masked before the
 * error is stored (and so before `status` shows it). */
static void
test_error_masked(void)
{
	struct state st;
	struct state_dest *d;

	memset(&st, 0, sizeof(st));
	log_add_secret("HDRSECRET-1234567");
	d = state_dest_get(&st, "dd", 1);
	T_CHECK(d != NULL && state_set_error(d, "HTTP 400: you sent X-Custom-Token: "
	    "HDRSECRET-1234567 (bad)", 5) == 0, "set error");
	T_STREQ(d ? d->last_err : NULL, "HTTP 400: you sent X-Custom-Token: **** (bad)",
	    "secret masked in the stored error");
	log_clear_secrets();
	free(st.dests[0].name);
	free(st.dests[0].last_err);
	free(st.dests);
}

int
main(void)
{
	test_error_masked();
	test_extremes();
	test_damaged();
	test_future_epoch();
	test_fifo();
	test_escape();
	test_lookup_order();
	test_roundtrip();
	test_journal();
	return t_done("state");
}
