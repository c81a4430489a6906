/*
 * fuzz_reader.c - the line reader (reader.c) over a memfd, built with a
 * 7-byte read chunk (the fuzz build's LIM_READ_CHUNK) so every line
 * crosses chunk boundaries.  Input: byte 0 picks max_line, the rest is the
 * file.  Oracle: a line model (split at "\n", one "\r" before it dropped,
 * empty lines skipped, longer than max_line reported as oversize with its
 * offset and length, a final fragment flagged) matches byte for byte.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "reader.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *f;
	size_t flen, max_line, pos = 0, len, used, k;
	struct reader r;
	struct reader_line ln;
	struct err e = { 0, "" };
	char path[64];
	int fd, got, frag;

	if (size < 1)
		return 0;
	max_line = 1 + data[0] % 40;
	f = (const char *)data + 1;
	flen = size - 1;
	if ((fd = memfd_create("fuzz_reader", 0)) == -1)
		abort();
	if (flen > 0 && write(fd, f, flen) != (ssize_t)flen)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	FUZZ_CHECK(reader_open(&r, path, 0, 0, flen, max_line, &e) == 0, "open");
	for (;;) {
		/* The model's next line. */
		const char *nl;
		int have = 0;

		while (pos < flen) {
			nl = memchr(f + pos, '\n', flen - pos);
			frag = nl == NULL;
			used = frag ? flen - pos : (size_t)(nl - (f + pos)) + 1;
			len = frag ? used : used - 1;
			if (len > 0 && f[pos + len - 1] == '\r')
				len--;
			if (len == 0 && !frag) {
				pos += used;
				continue;
			}
			if (len == 0 && frag && used == 0)
				break;
			have = 1;
			break;
		}
		got = reader_next(&r, &ln, &e);
		FUZZ_CHECK(got != -1, "no read error");
		if (!have) {
			FUZZ_CHECK(got == 0, "no more lines than the model");
			break;
		}
		FUZZ_CHECK(got == 1, "as many lines as the model");
		FUZZ_CHECK(ln.offset == pos, "line offset");
		FUZZ_CHECK(ln.next == pos + used, "next offset");
		FUZZ_CHECK(ln.len == len, "line length");
		FUZZ_CHECK(!!(ln.flags & READER_FRAGMENT) == frag, "fragment flag");
		if (len > max_line) {
			FUZZ_CHECK((ln.flags & READER_OVERSIZE) && ln.p == NULL, "oversize");
		} else {
			FUZZ_CHECK(!(ln.flags & READER_OVERSIZE) && ln.p != NULL, "not oversize");
			for (k = 0; k < len; k++)
				FUZZ_CHECK(ln.p[k] == f[pos + k], "line bytes");
		}
		pos += used;
	}
	reader_close(&r);
	close(fd);
	return 0;
}
