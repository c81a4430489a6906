/*
 * tests/unit/test.h - a tiny table-test harness.  Each test file calls
 * T_CHECK/T_STREQ and ends with `return t_done("name");`, which prints
 * "N passed, N failed" and returns the exit status.
 */
#ifndef AUDITSHIP_TEST_H
#define AUDITSHIP_TEST_H

#include <stdio.h>
#include <string.h>

static int t_pass, t_fail;

#define T_CHECK(cond, name) do {					\
	if (cond) t_pass++;						\
	else { t_fail++; fprintf(stderr, "FAIL %s:%d: %s: %s\n",	\
	    __FILE__, __LINE__, (name), #cond); }			\
} while (0)

#define T_STREQ(got, want, name) do {					\
	const char *t_g = (got), *t_w = (want);				\
	if (t_g != NULL && t_w != NULL && strcmp(t_g, t_w) == 0) t_pass++;	\
	else { t_fail++; fprintf(stderr, "FAIL %s:%d: %s:\n  got  [%s]\n  want [%s]\n", \
	    __FILE__, __LINE__, (name), t_g ? t_g : "(null)", t_w ? t_w : "(null)"); } \
} while (0)

static inline int
t_done(const char *suite)
{
	printf("%s: %d passed, %d failed\n", suite, t_pass, t_fail);
	return t_fail == 0 && t_pass > 0 ? 0 : 1;
}

#endif
