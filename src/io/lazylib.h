/*
 * lazylib.h - open a shared library at its first use instead of at start.
 *
 * libcurl (http, s3, azblob and otlp destinations) and librelp (relp)
 * bring some 25 more libraries with them (gnutls, krb5, ldap, p11-kit...),
 * and loading, relocating and initialising those was a third of a no-op
 * cron `ship`, which ships to neither.  Their users list the functions
 * they call in an X-macro and load them here, once, on first need; the
 * binary is not linked against them (debian/control names them).
 *
 * The library's SONAME is the ABI its headers describe, fixed at build
 * time (CMakeLists.txt reads it from the library it was built against).
 */
#ifndef AUDITSHIP_LAZYLIB_H
#define AUDITSHIP_LAZYLIB_H

#include "err.h"

/* dlopen(soname) (RTLD_NOW | RTLD_LOCAL); NULL with e set ("cannot load
 * SONAME, needed by WHO: dlerror") when it is missing. */
void	*lazylib_open(const char *soname, const char *who, struct err *e);
/* The address of symbol name in h, NULL with e set when it is missing
 * (a library older than the headers we were built with). */
void	*lazylib_sym(void *h, const char *soname, const char *name,
	    struct err *e);

/* In a struct of function pointers named after the functions: declare
 * member m as a pointer to function sym, and load it from h.  Used as
 * the X of an X-macro listing (member, symbol) pairs. */
#define LAZYLIB_MEMBER(m, sym)	__typeof__(sym) *m;
#define LAZYLIB_LOAD(api, h, soname, e, m, sym)				\
	if (((api).m = (__typeof__((api).m))lazylib_sym((h), (soname),	\
	    #sym, (e))) == NULL)						\
		return -1;

#endif
