/*
 * reader.c - bounded line reader over plain and gzip daily files.
 *
 * Reads LIM_READ_CHUNK at a time into a buffer that holds at most one
 * line plus one chunk; memory stays bounded whatever the file size.  The
 * fingerprint (Fluent Bit's offset marker) hashes the bytes just before a
 * committed offset so a file rewritten under the same inode is noticed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "caps.h"
#include "reader.h"

int
reader_split(const char *p, size_t len, size_t *linelen, size_t *used)
{
	const char *nl = memchr(p, '\n', len);
	size_t l;

	if (nl == NULL)
		return 0;
	l = (size_t)(nl - p);
	*used = l + 1;
	if (l > 0 && p[l - 1] == '\r')
		l--;
	*linelen = l;
	return 1;
}

static ssize_t
reader_raw(struct reader *r, void *p, size_t cap, struct err *e)
{
	ssize_t n;

	if (r->gz != NULL)
		return gz_in_read(r->gz, p, cap, e);
	do
		n = read(r->fd, p, cap);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return err_sys(e, "read");
	return n;
}

int
reader_open(struct reader *r, const char *path, int gz, uint64_t start,
    uint64_t end, size_t max_line, struct err *e)
{
	char skip[LIM_READ_CHUNK > 65536 ? 65536 : LIM_READ_CHUNK];
	uint64_t left = start;
	ssize_t n;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	/* A line of max_line bytes, its "\r" (not counted), and a chunk. */
	buf_init(&r->buf, max_line + 1 + LIM_READ_CHUNK);
	r->max_line = max_line;
	r->pos = r->fed = start;
	r->end = end;
	if ((r->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return err_sys(e, "open %s", path);
	if (!gz) {
		if (lseek(r->fd, (off_t)start, SEEK_SET) == -1)
			return err_sys(e, "lseek %s", path);
		return 0;
	}
	if ((r->gz = gz_in_new(r->fd, e)) == NULL)
		return -1;
	/* A gzip stream cannot seek: decompress up to start and drop it. */
	while (left > 0) {
		n = gz_in_read(r->gz, skip, left < sizeof(skip) ? left : sizeof(skip), e);
		if (n <= 0)
			return n == 0 ? err_set(e, "%s: shorter than offset %llu",
			    path, (unsigned long long)start) : -1;
		left -= (uint64_t)n;
	}
	return 0;
}

void
reader_close(struct reader *r)
{
	gz_in_free(r->gz);
	r->gz = NULL;
	if (r->fd != -1)
		close(r->fd);
	r->fd = -1;
	buf_free(&r->buf);
}

/* Read one more chunk into buf; 0 at the end of the range. */
static ssize_t
reader_fill(struct reader *r, struct err *e)
{
	uint64_t want = r->end - r->fed;
	ssize_t n;

	if (want == 0)
		return 0;
	if (want > LIM_READ_CHUNK)
		want = LIM_READ_CHUNK;
	if (buf_reserve(&r->buf, (size_t)want) == -1)
		return err_set(e, "reader: buffer full");
	n = reader_raw(r, r->buf.p + r->buf.len, (size_t)want, e);
	if (n <= 0)
		return n;
	if (r->tap != NULL)
		r->tap(r->tap_ctx, r->buf.p + r->buf.len, (size_t)n);
	r->buf.len += (size_t)n;
	r->buf.p[r->buf.len] = '\0';
	r->fed += (uint64_t)n;
	return n;
}

int
reader_next(struct reader *r, struct reader_line *ln, struct err *e)
{
	size_t linelen, used, avail;
	char *base;
	ssize_t n;

	/* The slice handed out last time stays valid until now.  Consumed
	 * bytes are only skipped here; the buffer is compacted once per
	 * refill, not once per line. */
	r->rpos += r->pending;
	r->pending = 0;
	/* No arithmetic on the NULL of a buffer never filled (UB). */
	if (r->buf.p == NULL && buf_reserve(&r->buf, 1) == -1)
		return err_set(e, "reader: out of memory");
	for (;;) {
		base = r->buf.p + r->rpos;
		avail = r->buf.len - r->rpos;
		if (avail > r->scanned &&
		    reader_split(base + r->scanned, avail - r->scanned,
		    &linelen, &used)) {
			size_t total = r->scanned + used;

			r->scanned = 0;
			if (r->skipping) {
				/* The end of an oversize line: report it whole. */
				int cr = total >= 2 ? base[total - 2] == '\r' :
				    r->skip_cr;

				ln->p = NULL;
				ln->len = (size_t)(r->pos + total - 1 - (unsigned)cr -
				    r->skip_start);
				ln->offset = r->skip_start;
				ln->flags = READER_OVERSIZE;
				r->skipping = 0;
			} else {
				/* Recompute from the buffer: a "\r" may sit in
				 * the part scanned by an earlier pass. */
				ln->p = base;
				ln->len = total - 1;
				if (ln->len > 0 && ln->p[ln->len - 1] == '\r')
					ln->len--;
				ln->offset = r->pos;
				ln->flags = 0;
				if (r->max_line > 0 && ln->len > r->max_line) {
					ln->p = NULL;
					ln->flags = READER_OVERSIZE;
				}
			}
			r->pos += total;
			ln->next = r->pos;
			if (ln->flags == 0 && ln->len == 0) {
				r->rpos += total;	/* empty line: skipped */
				continue;
			}
			r->pending = total;
			return 1;
		}
		r->scanned = avail;
		/* Too long to hold: remember where it began, drop it.  A line
		 * of exactly max_line bytes may still be waiting for the "\n"
		 * after its "\r". */
		if (avail > r->max_line + 1 || (avail == r->max_line + 1 &&
		    base[avail - 1] != '\r') || (r->skipping && avail > 0)) {
			if (!r->skipping) {
				r->skipping = 1;
				r->skip_start = r->pos;
			}
			r->skip_cr = base[avail - 1] == '\r';
			r->pos += avail;
			buf_reset(&r->buf);
			r->rpos = 0;
			r->scanned = 0;
		} else if (r->rpos > 0) {
			buf_consume(&r->buf, r->rpos);
			r->rpos = 0;
		}
		if ((n = reader_fill(r, e)) == -1)
			return -1;
		if (n > 0)
			continue;
		/* End of the range: what is left is a fragment. */
		base = r->buf.p + r->rpos;
		avail = r->buf.len - r->rpos;
		if (avail == 0 && !r->skipping)
			return 0;
		if (r->skipping) {
			int cr = avail > 0 ? base[avail - 1] == '\r' : r->skip_cr;

			ln->p = NULL;
			ln->len = (size_t)(r->pos + avail - (unsigned)cr -
			    r->skip_start);
			ln->offset = r->skip_start;
			ln->flags = READER_OVERSIZE | READER_FRAGMENT;
			r->skipping = 0;
		} else {
			ln->p = base;
			ln->len = avail;
			if (ln->len > 0 && ln->p[ln->len - 1] == '\r')
				ln->len--;
			ln->offset = r->pos;
			ln->flags = READER_FRAGMENT;
		}
		r->pos += avail;
		ln->next = r->pos;
		r->pending = avail;
		r->scanned = 0;
		return 1;
	}
}

ssize_t
reader_read_raw(struct reader *r, void *p, size_t cap, struct err *e)
{
	uint64_t left = r->end - r->fed;
	ssize_t n;

	if (left == 0)
		return 0;
	if (cap > left)
		cap = (size_t)left;
	if ((n = reader_raw(r, p, cap, e)) == -1)
		return -1;
	if (n == 0)
		return err_set(e, "file ended %llu bytes before the range did",
		    (unsigned long long)left);
	r->fed += (uint64_t)n;
	r->pos = r->fed;
	return n;
}

int
reader_last_newline(const char *path, uint64_t size, uint64_t *end,
    struct err *e)
{
	char chunk[65536];
	uint64_t at = size;
	size_t want;
	ssize_t n;
	char *nl;
	int fd;

	*end = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return err_sys(e, "open %s", path);
	while (at > 0) {
		want = at < sizeof(chunk) ? (size_t)at : sizeof(chunk);
		n = pread(fd, chunk, want, (off_t)(at - want));
		if (n == -1) {
			err_sys(e, "read %s", path);
			close(fd);
			return -1;
		}
		if ((size_t)n < want) {
			/* Shrunk under us: look again from what is there. */
			at -= want;
			continue;
		}
		if ((nl = memrchr(chunk, '\n', want)) != NULL) {
			*end = at - want + (uint64_t)(nl - chunk) + 1;
			break;
		}
		at -= want;
	}
	close(fd);
	return 0;
}

int
reader_gz_size(const char *path, uint64_t *size, struct err *e)
{
	struct reader r;
	char chunk[65536];
	ssize_t n;

	*size = 0;
	if (reader_open(&r, path, 1, 0, UINT64_MAX, 0, e) == -1) {
		reader_close(&r);
		return -1;
	}
	while ((n = gz_in_read(r.gz, chunk, sizeof(chunk), e)) > 0)
		*size += (uint64_t)n;
	reader_close(&r);
	if (n == -1) {
		/* name the file: gz.c does not know it */
		return -1;
	}
	return 0;
}

/* Read exactly n bytes at off through a reader (works for .gz too). */
static int
reader_pread(const char *path, int gz, uint64_t off, uint8_t *p, size_t n,
    struct err *e)
{
	struct reader r;
	size_t got = 0;
	ssize_t k;

	if (reader_open(&r, path, gz, off, off + n, 0, e) == -1) {
		reader_close(&r);
		return -1;
	}
	while (got < n) {
		if ((k = reader_read_raw(&r, p + got, n - got, e)) <= 0) {
			reader_close(&r);
			return -1;
		}
		got += (size_t)k;
	}
	reader_close(&r);
	return 0;
}

/*
 * The marker covers the first and the last LIM_FINGERPRINT bytes before
 * off: an appender only ever adds after off, so any change there means the
 * file was rewritten.  (A change strictly in the middle of a large file
 * goes unseen; hashing everything on every run would cost a full read.)
 */
int
reader_fingerprint(const char *path, int gz, uint64_t off, char out[65],
    struct err *e)
{
	uint8_t bytes[2 * LIM_FINGERPRINT], digest[CRYPTO_SHA256_LEN];
	size_t head = off < LIM_FINGERPRINT ? (size_t)off : LIM_FINGERPRINT;
	size_t tail = head;

	out[0] = '\0';
	if (off == 0)
		return 0;
	if (reader_pread(path, gz, 0, bytes, head, e) == -1 ||
	    reader_pread(path, gz, off - tail, bytes + head, tail, e) == -1)
		return -1;
	crypto_sha256(bytes, head + tail, digest);
	crypto_hex(digest, sizeof(digest), out);
	return 0;
}
