/*
 * test_pair.c - the signers' canonical order of decoded pairs: by name,
 * then by value, bytewise (uppercase before lowercase, "a" before "a-"),
 * and freeing pairs whose copy was not made.
 */
#include <stdlib.h>
#include <string.h>

#include "pair.h"
#include "test.h"

static void
test_sort(void)
{
	static const char *in[][2] = {
		{ "prefix", "b" }, { "comp", "list" }, { "a-b", "" },
		{ "prefix", "a" }, { "Z", "1" }, { "a", "2" }, { "a", "10" },
	};
	static const char *want[][2] = {
		{ "Z", "1" }, { "a", "10" }, { "a", "2" }, { "a-b", "" },
		{ "comp", "list" }, { "prefix", "a" }, { "prefix", "b" },
	};
	struct owned_pair v[7];
	size_t i, n = sizeof(in) / sizeof(in[0]);

	for (i = 0; i < n; i++) {
		v[i].name = strdup(in[i][0]);
		v[i].value = strdup(in[i][1]);
	}
	owned_pairs_sort(v, n);
	for (i = 0; i < n; i++) {
		T_STREQ(v[i].name, want[i][0], "name order");
		T_STREQ(v[i].value, want[i][1], "value order within a name");
	}
	owned_pairs_free(v, n);
	owned_pairs_sort(v, 0);		/* nothing to sort: no call into v */
}

static void
test_free_partial(void)
{
	struct owned_pair v[2] = { { NULL, NULL }, { NULL, NULL } };

	/* Its value's copy failed; the ASan build fails on a leak here. */
	v[0].name = strdup("made");
	owned_pairs_free(v, 2);
}

int
main(void)
{
	test_sort();
	test_free_partial();
	return t_done("pair");
}
