/*
 * pair.h - a name and its value: a header or a query parameter as the
 * request signers (sigv4.c, az_sharedkey.c) take and canonicalize them.
 */
#ifndef AUDITSHIP_PAIR_H
#define AUDITSHIP_PAIR_H

#include <stddef.h>

/* Borrowed strings: what a caller hands a signer. */
struct pair {
	const char	*name;
	const char	*value;
};

/* A signer's own decoded copy (malloc'd, NULL when not made). */
struct owned_pair {
	char		*name;
	char		*value;
};

/* By name, then by value, bytewise: both signers' canonical order. */
void	owned_pairs_sort(struct owned_pair *v, size_t n);
/* free() every name and value; v itself is the caller's. */
void	owned_pairs_free(struct owned_pair *v, size_t n);

#endif
