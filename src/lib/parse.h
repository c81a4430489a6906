/*
 * parse.h - pure value parsers for the configuration (SPEC §2).
 *
 * Numbers, sizes, durations, booleans, ${VAR} and ~ expansion.  Nothing here
 * reads the environment, the clock or a file: the environment lookup and
 * $HOME are parameters, so every function is a table test away.
 *
 * Error messages (in e) are short reasons meant to follow
 * "FILE:LINE: [section] key: "; they quote the offending text, so callers
 * must not pass secrets to the number parsers (they never need to).
 */
#ifndef AUDITSHIP_PARSE_H
#define AUDITSHIP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

/* The value of a hex digit (either case), or -1. */
int	parse_hexval(char c);

/* 1 when s[0..n) are all ASCII digits (fixed-width date/time fields). */
int	parse_all_digits(const char *s, size_t n);

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's
 * days_from_civil): no timegm(), no TZ.  m 1-12, d 1-31. */
int64_t	parse_days_from_civil(int64_t y, unsigned m, unsigned d);

/*
 * Decimal unsigned integer in [min, max], in the spirit of strtonum(3):
 * digits only (no sign, no spaces, no hex), overflow is an error.
 * Returns 0 and sets *out, or -1 with a reason in e.
 */
int	parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	    struct err *e);

/*
 * A size in bytes: a decimal number with an optional binary suffix
 * K/M/G (also k/m/g, KiB/MiB/GiB, KB/MB/GB: all multiples of 1024).
 * "0" is allowed.  Returns 0 or -1 (not a size, or overflow).
 */
int	parse_size(const char *s, uint64_t *out, struct err *e);

/*
 * A duration in milliseconds: one or more NUMBER UNIT groups ("90s",
 * "1h30m", "250ms") with units ms, s, m, h, d; a bare number is seconds.
 * Returns 0 or -1.
 */
int	parse_duration(const char *s, uint64_t *out_ms, struct err *e);

/* true/false, yes/no, on/off, 1/0 (case-insensitive).  0 or -1. */
int	parse_bool(const char *s, int *out, struct err *e);

/*
 * The index of s in choices, a "|"-separated list ("udp|tcp|tls|unix"),
 * compared exactly.  Returns the index, or -1 with "must be one of ..."
 * in e.
 */
int	parse_enum(const char *s, const char *choices, struct err *e);

/* Looks up an environment variable: the value or NULL when unset. */
typedef const char *(*parse_getenv_fn)(void *ctx, const char *name);

/*
 * Append s to out with every ${NAME} replaced by get(ctx, NAME).  NAME is
 * [A-Za-z_][A-Za-z0-9_]*.  A "$" not followed by "{" is kept as is.  An
 * unset variable, an empty or malformed name, an unterminated "${", or a
 * result longer than out->max is an error (-1); the message names the
 * variable, never its value.
 */
int	parse_expand_vars(struct buf *out, const char *s, parse_getenv_fn get,
	    void *ctx, struct err *e);

/* 1 when s is exactly one "${NAME}" reference and nothing else. */
int	parse_is_var_ref(const char *s);

/*
 * Append s to out with a leading "~" or "~/" replaced by home.  Other
 * forms ("~user") are kept as they are.  -1 when home is needed but NULL
 * or empty, or out is full.
 */
int	parse_expand_home(struct buf *out, const char *s, const char *home,
	    struct err *e);

#endif
