/*
 * lazylib.c - dlopen/dlsym with errors in a struct err (see lazylib.h).
 */
#include <dlfcn.h>
#include <stddef.h>

#include "lazylib.h"

void *
lazylib_open(const char *soname, const char *who, struct err *e)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	const char *why;

	if (h == NULL) {
		why = dlerror();
		err_set(e, "cannot load %s, needed by %s: %s", soname, who,
		    why != NULL ? why : "not found");
	}
	return h;
}

void *
lazylib_sym(void *h, const char *soname, const char *name, struct err *e)
{
	void *p;

	(void)dlerror();
	if ((p = dlsym(h, name)) == NULL)
		err_set(e, "%s has no %s (older than the one auditship was "
		    "built with?)", soname, name);
	return p;
}
