/* Unit tests for state.c: escaping, save/load round trip, corrupt files,
 * mode 0600, and the lock. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

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

int
main(void)
{
	test_escape();
	test_roundtrip();
	test_journal();
	return t_done("state");
}
