/*
 * freeall.h - free() a list of pointers in one statement, for the
 * structs that own many strings (their free and close functions).
 */
#ifndef AUDITSHIP_FREEALL_H
#define AUDITSHIP_FREEALL_H

#include <stddef.h>
#include <stdlib.h>

static inline void
free_all(void *const *ptrs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(ptrs[i]);
}

/* FREE_ALL(a->x, a->y, ...): free() each; NULL ones are fine. */
#define FREE_ALL(...)							\
	free_all((void *[]){ __VA_ARGS__ },				\
	    sizeof((void *[]){ __VA_ARGS__ }) / sizeof(void *))

#endif
