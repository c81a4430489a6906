/*
 * jsonl_scan.h - the string scanner of jsonl.c, inline, for the few
 * single-pass readers that walk members themselves (report_event.c) and
 * call it once per key and per value: a call and the set-up of its
 * constants cost as much as scanning a short key.  Pure, no allocation;
 * the rules are jsonl.c's (RFC 8259 strings, UTF-8 per RFC 3629).
 */
#ifndef AUDITSHIP_JSONL_SCAN_H
#define AUDITSHIP_JSONL_SCAN_H

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The slow path of jsonl_string_end (jsonl.c): p at a byte that is not
 * the closing quote (an escape, a control byte, non-ASCII) or at end. */
const unsigned char	*jsonl_string_rest(const unsigned char *p,
			    const unsigned char *end);

/*
 * The first byte at or after p that is '"', '\\', below 0x20 or above
 * 0x7f (end when none).  SSE2 (part of every x86-64) looks at 16 bytes at
 * once; elsewhere SWAR at 8: in "hasless"-style tests a borrow only
 * propagates upwards from a byte that really matched, so on a
 * little-endian machine the lowest flagged byte is the first match.
 */
static inline const unsigned char *
jsonl_scan_plain(const unsigned char *p, const unsigned char *end)
{
#if defined(__SSE2__)
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(0x20);

	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* Signed compare: bytes >= 0x80 are negative, so "< 0x20"
		 * catches control and non-ASCII bytes together. */
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
		    _mm_cmpeq_epi8(v, bslash)), _mm_cmplt_epi8(v, space));
		unsigned mask = (unsigned)_mm_movemask_epi8(m);

		if (mask != 0)
			return p + __builtin_ctz(mask);
		p += 16;
	}
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (end - p >= 8) {
		uint64_t x, q, b, hit;

		memcpy(&x, p, 8);
		q = x ^ 0x2222222222222222ull;
		b = x ^ 0x5c5c5c5c5c5c5c5cull;
		hit = (((q - 0x0101010101010101ull) & ~q) |
		    ((b - 0x0101010101010101ull) & ~b) |
		    ((x - 0x2020202020202020ull) & ~x) | x) &
		    0x8080808080808080ull;
		if (hit != 0)
			return p + (__builtin_ctzll(hit) >> 3);
		p += 8;
	}
#endif
	while (p < end && *p != '"' && *p != '\\' && *p >= 0x20 && *p < 0x80)
		p++;
	return p;
}

/*
 * The byte after the closing quote of the string whose contents start at
 * p (just after its opening quote); NULL when it is not valid.  Audit
 * lines are mostly plain ASCII text: scan_plain skips to the first byte
 * that is '"', '\\', a control byte or non-ASCII, many bytes at a time;
 * when that is the closing quote (most strings) no more work is needed.
 */
static inline const unsigned char *
jsonl_string_end(const unsigned char *p, const unsigned char *end)
{
	p = jsonl_scan_plain(p, end);
	if (p < end && *p == '"')
		return p + 1;
	return jsonl_string_rest(p, end);
}

#endif
