/*
 * pair.c - sorting and freeing the signers' decoded pairs (see pair.h).
 */
#include <stdlib.h>
#include <string.h>

#include "freeall.h"
#include "pair.h"

static int
owned_pair_cmp(const void *a, const void *b)
{
	const struct owned_pair *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : strcmp(x->value, y->value);
}

void
owned_pairs_sort(struct owned_pair *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(v[0]), owned_pair_cmp);
}

void
owned_pairs_free(struct owned_pair *v, size_t n)
{
	for (; n > 0; n--, v++)
		FREE_ALL(v->name, v->value);
}
