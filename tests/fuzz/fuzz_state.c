/*
 * fuzz_state.c - the state file parser (state.c, state_parse).  Input:
 * snapshot text NUL journal text.  Oracles: a state that loads saves to
 * text that loads again, and saving that gives the same bytes (load ->
 * save is a fixed point after one step); every error names the file and
 * a line or the file; no leak (LSan) on any path.
 */
#include "fuzz.h"
#include "state.h"

static void
state_init(struct state *st)
{
	memset(st, 0, sizeof(*st));
	st->lock_fd = -1;
	st->jfd = -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t slen = nul != NULL ? (size_t)(nul - data) : size;
	struct state st, st2;
	struct err e = { 0, "" };
	struct buf a, b;
	int rc;

	state_init(&st);
	rc = state_parse(&st, "S", (const char *)data, slen, 0, &e);
	if (rc == 0 && nul != NULL)
		rc = state_parse(&st, "J", (const char *)nul + 1, size - slen - 1, 1, &e);
	if (rc == -1)
		FUZZ_CHECK((e.msg[0] == 'S' || e.msg[0] == 'J') && e.msg[1] == ':' ||
		    strncmp(e.msg, "state file S", 12) == 0 ||
		    strncmp(e.msg, "malloc", 6) == 0, "error names the file");
	if (rc == 0) {
		buf_init(&a, 1 << 24);
		buf_init(&b, 1 << 24);
		if (state_format(&st, &a) == 0) {
			state_init(&st2);
			st2.epoch = st.epoch;	/* format wrote epoch + 1 */
			FUZZ_CHECK(state_parse(&st2, "S2", a.p, a.len, 0, &e) == 0,
			    "a saved state loads");
			FUZZ_CHECK(st2.epoch == st.epoch + 1, "epoch saved");
			FUZZ_CHECK(st2.nrecs == st.nrecs && st2.ndests == st.ndests,
			    "same records");
			st2.epoch = st.epoch;
			FUZZ_CHECK(state_format(&st2, &b) == 0, "saves again");
			FUZZ_CHECK(a.len == b.len && memcmp(a.p, b.p, a.len) == 0,
			    "save -> load -> save is byte-identical");
			state_close(&st2);
		}
		buf_free(&a);
		buf_free(&b);
	}
	state_close(&st);
	return 0;
}
