/*
 * jsonl.h - pure JSON scanning for audit lines (RFC 8259), no allocation.
 *
 * The shipper never re-serialises an event: it checks that a line is one
 * JSON object in valid UTF-8, and when it is not, carries it as an escaped
 * string (SPEC §3.3).  These functions take (pointer, length) slices and
 * never read past them; NUL bytes are just bytes.
 */
#ifndef AUDITSHIP_JSONL_H
#define AUDITSHIP_JSONL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define JSONL_MAX_DEPTH	128	/* deeper nesting counts as invalid */

/* 1 when p[0..len) is exactly one JSON object (surrounding whitespace
 * allowed) in valid UTF-8, else 0. */
int	jsonl_is_object(const char *p, size_t len);

/* Length of the valid UTF-8 sequence at p (1..4, RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), 0 when invalid.  p < end. */
size_t	jsonl_utf8_seq(const unsigned char *p, const unsigned char *end);

/* How many bytes from p on are plain string text: none of '"', '\\',
 * control bytes (< 0x20) or non-ASCII (> 0x7f).  Many bytes at a time. */
size_t	jsonl_plain_span(const char *p, size_t len);

/* 1 when p[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int	jsonl_utf8_valid(const char *p, size_t len);

/* Append p[0..len) to out as the inside of a JSON string (no quotes):
 * '"', '\\' and control characters escaped, invalid UTF-8 bytes replaced by
 * \ufffd so the result is always valid JSON.  -1 when out is full. */
int	jsonl_escape(struct buf *out, const char *p, size_t len);
/* The same, but an invalid UTF-8 byte XX becomes "\u00XX" (the code
 * point of the byte's value), so a reader can get the exact bytes back
 * (file names are bytes): valid UTF-8 is never escaped that way, so every
 * \u0080-\u00ff in the output stands for one raw byte. */
int	jsonl_escape_bytes(struct buf *out, const char *p, size_t len);

/*
 * Find the top-level member `name` of a JSON object (p must be a valid
 * object).  When its value is a string, set *val and *vlen to the raw bytes
 * between the quotes (still escaped) and return 1; return 0 when absent
 * or not a string.
 */
int	jsonl_find_string(const char *p, size_t len, const char *name,
	    const char **val, size_t *vlen);

/*
 * Position just after the object's opening '{' and whether the object has
 * members, so a caller can splice members in front of the event's own
 * without re-serialising it (SPEC §3.2 datadog).  p must be a valid object.
 * Returns the offset after '{'; *empty = 1 for "{}".
 */
size_t	jsonl_object_open(const char *p, size_t len, int *empty);

/* 1 when s[0..len) is an RFC 3339 date-time (e.g. 2026-11-20T15:04:05.123Z,
 * 2026-11-20T15:04:05+01:00). */
int	jsonl_is_rfc3339(const char *s, size_t len);

/*
 * Walk the top-level members of one object in a single pass, validating
 * as it goes (the same rules as jsonl_is_object).  jsonl_iter_init returns
 * 0 when p does not start (after whitespace) with '{'.  jsonl_iter_next
 * returns 1 with the member's key (raw bytes between the quotes, still
 * escaped) and value (its raw bytes, a string with its quotes); 0 after
 * the closing '}' when only whitespace follows; -1 when the text is not
 * valid (the caller then treats the whole line as invalid).
 *
 * To walk a member's object value without scanning it twice: take the key
 * with jsonl_iter_next_key, then either jsonl_iter_enter (1: the value is
 * an object, child walks it; when child's next returns 0, jsonl_iter_leave
 * resumes the parent after it) or jsonl_iter_value (any value).
 */
struct jsonl_iter {
	const char	*p, *end;
	int		 state;		/* 0 first member, 1 later, 2 done */
	int		 depth;		/* nesting of this object, 1 at top */
};
int	jsonl_iter_init(struct jsonl_iter *it, const char *p, size_t len);
int	jsonl_iter_next(struct jsonl_iter *it, struct slice *key,
	    struct slice *val);
/* 1 with the key (the value follows), 0 at the end, -1 invalid. */
int	jsonl_iter_next_key(struct jsonl_iter *it, struct slice *key);
/* Scan the value after a key: 1, or -1 invalid. */
int	jsonl_iter_value(struct jsonl_iter *it, struct slice *val);
/* After a key: 1 and child set up when the value is an object, else 0. */
int	jsonl_iter_enter(struct jsonl_iter *it, struct jsonl_iter *child);
/* Resume it after the object child walked to its end (child's next
 * returned 0). */
void	jsonl_iter_leave(struct jsonl_iter *it, const struct jsonl_iter *child);

/* Code point c (at most U+10FFFF) as UTF-8 in b; returns its length, 1..4. */
size_t	jsonl_utf8_encode(uint32_t c, char b[4]);

/* The byte the escape \c stands for: \b \f \n \r \t their control
 * characters, any other c (" \\ /) itself. */
char	jsonl_escaped(char c);

/* The four hex digits at p as a number in *out (a digit that is not hex
 * counts as 0); 0, or -1 when one was not hex. */
int	jsonl_hex4(const char *p, unsigned *out);

/*
 * The code point of a \uXXXX escape whose digits gave u, p..end being
 * what follows the digits: a high surrogate followed by a "\uXXXX" low
 * one pairs with it (*used = 6, else 0); a lone surrogate is U+FFFD.
 */
uint32_t jsonl_u_escape(unsigned u, const char *p, const char *end,
	    size_t *used);

/*
 * Single-pass readers (report_event.c) validate as they go with these,
 * under the same rules as jsonl_is_object.  jsonl_skip_string: p at a
 * string's opening quote (p < end, *p == '"'); jsonl_skip_value: p at a
 * value (whitespace before it allowed), depth the nesting of the object
 * or array holding it (1 for a member of the top-level object).  Both
 * return the byte just after the string or value, NULL when it is not
 * valid.
 */
const char	*jsonl_skip_string(const char *p, const char *end);
const char	*jsonl_skip_value(const char *p, const char *end, int depth);

/*
 * Decode the inside of a JSON string (raw bytes between the quotes, valid
 * per the scanner) into out[0..cap): escapes resolved, \uXXXX as UTF-8
 * (a lone surrogate as U+FFFD).  Stops at cap bytes; returns the length
 * written and sets *cut when something did not fit.  No NUL is added.
 */
size_t	jsonl_unescape(const char *p, size_t len, char *out, size_t cap,
	    int *cut);

#endif
