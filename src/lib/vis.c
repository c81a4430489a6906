/*
 * vis.c - terminal-safe text (see vis.h).
 */
#include <string.h>

#include "jsonl.h"
#include "vis.h"

static int
vis_hex(struct buf *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

	return buf_add(out, e, 4);
}

int
vis_append(struct buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s, *end = u + len;
	size_t n, k;

	while (u < end) {
		unsigned char c = *u;

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			for (n = 1; u + n < end && u[n] >= 0x20 && u[n] < 0x7f &&
			    u[n] != '\\';)
				n++;
			if (buf_add(out, u, n) == -1)
				return -1;
			u += n;
			continue;
		}
		if (c >= 0x80 && (n = jsonl_utf8_seq(u, end)) != 0 &&
		    !(c == 0xc2 && u[1] < 0xa0)) {
			if (buf_add(out, u, n) == -1)
				return -1;
			u += n;
			continue;
		}
		if (c >= 0x80) {
			/* invalid UTF-8, or a C1 control (both bytes shown) */
			n = c == 0xc2 && u + 1 < end && u[1] >= 0x80 && u[1] < 0xa0 ? 2 : 1;
			for (k = 0; k < n; k++)
				if (vis_hex(out, u[k]) == -1)
					return -1;
			u += n;
			continue;
		}
		if (buf_adds(out, c == '\\' ? "\\\\" : c == '\n' ? "\\n" :
		    c == '\r' ? "\\r" : c == '\t' ? "\\t" : "") == -1 ||
		    (c != '\\' && c != '\n' && c != '\r' && c != '\t' &&
		    vis_hex(out, c) == -1))
			return -1;
		u++;
	}
	return 0;
}
