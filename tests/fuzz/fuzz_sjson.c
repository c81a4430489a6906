/*
 * fuzz_sjson.c - libFuzzer target for the settings JSON tree (sjson.c)
 * and the install-hook merge (hookset.c): any input either is refused or
 * parses to a tree whose written form parses again to an equal tree, and
 * installing then uninstalling our hooks gives back an equal tree.
 */
#include "fuzz.h"
#include "hookset.h"
#include "sjson.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sj *a = NULL, *b = NULL, *c = NULL;
	struct err e = { 0, "" };
	struct buf w, w2;

	if (size > (1u << 16))
		return 0;
	if (sj_parse((const char *)data, size, &a, &e) == -1)
		return 0;
	buf_init(&w, 1u << 24);
	buf_init(&w2, 1u << 24);
	if (sj_write(a, &w) == 0) {
		FUZZ_CHECK(sj_parse(w.p, w.len, &b, &e) == 0, "written form parses");
		FUZZ_CHECK(sj_equal(a, b), "written form parses to an equal tree");
		if (hookset_check(a, &e) == 0 && !hookset_has_ours(a) &&
		    hookset_apply(a, "/usr/bin/auditship-hook --minimal", &e) == 0) {
			FUZZ_CHECK(hookset_has_ours(a), "install adds our hooks");
			FUZZ_CHECK(hookset_apply(a, NULL, &e) == 0 &&
			    !hookset_has_ours(a), "uninstall removes them all");
			if (sj_write(a, &w2) == 0)
				FUZZ_CHECK(sj_parse(w2.p, w2.len, &c, &e) == 0,
				    "the result parses");
		}
	}
	sj_free(a);
	sj_free(b);
	sj_free(c);
	buf_free(&w);
	buf_free(&w2);
	return 0;
}
