/*
 * tests/fuzz/fuzz.h - what every libFuzzer target shares.
 *
 * A target checks an oracle, not only "does not crash": FUZZ_CHECK prints
 * the broken property and aborts, which libFuzzer reports as a finding
 * and saves the input under the artifact prefix (scripts/fuzz).
 */
#ifndef AUDITSHIP_FUZZ_H
#define AUDITSHIP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "jsonl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int	LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, what) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz oracle broken at %s:%d: %s: %s\n",	\
		    __FILE__, __LINE__, (what), #cond);			\
		abort();						\
	}								\
} while (0)

/* A NUL-terminated copy of data[0..n) (NUL bytes inside stay). */
static inline char *
fuzz_strndup(const uint8_t *data, size_t n)
{
	char *s = malloc(n + 1);

	if (s == NULL)
		abort();
	if (n > 0)
		memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

/*
 * Split the input at the first n-1 NUL bytes into n NUL-terminated parts
 * (missing parts are ""), so one input carries several strings.  The
 * parts point into one allocation returned in *mem (free it).
 */
static inline void
fuzz_split(const uint8_t *data, size_t size, char **parts, size_t n, char **mem)
{
	char *s = fuzz_strndup(data, size), *p = s, *end = s + size;
	size_t k;

	for (k = 0; k < n; k++) {
		parts[k] = p < end || k == 0 ? p : end;
		if (k + 1 < n && p < end) {
			p += strlen(p);
			if (p < end)
				p++;
		}
	}
	*mem = s;
}

/* 1 when "{\"m\":\"" + inside + "\"}" is one valid JSON object: the
 * oracle of every JSON string escaper. */
static inline int
fuzz_json_string_ok(const char *inside, size_t len)
{
	struct buf b;
	int ok;

	buf_init(&b, len + 16);
	if (buf_adds(&b, "{\"m\":\"") == -1 || buf_add(&b, inside, len) == -1 ||
	    buf_adds(&b, "\"}") == -1)
		abort();
	ok = jsonl_is_object(b.p, b.len);
	buf_free(&b);
	return ok;
}

/* Monotonic seconds, for the linear-time oracles. */
static inline double
fuzz_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
