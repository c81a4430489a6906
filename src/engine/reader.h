/*
 * reader.h - lines and byte ranges out of one daily file, bounded memory.
 *
 * A reader covers [start, end) of a file's uncompressed bytes (a .gz file
 * is decompressed on the fly).  It hands out complete lines as slices into
 * its own buffer, valid until the next call, or the raw bytes for object
 * destinations.  A line longer than the cap is not buffered: it is reported
 * as oversize with its offset and length and skipped.
 */
#ifndef AUDITSHIP_READER_H
#define AUDITSHIP_READER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "err.h"
#include "gz.h"

#define READER_FRAGMENT	0x01	/* same bit as DEST_LINE_FRAGMENT */
#define READER_OVERSIZE	0x02	/* longer than max_line: p is NULL */

struct reader_line {
	const char	*p;		/* without "\n" and a "\r" before it */
	size_t		 len;
	uint64_t	 offset;	/* first byte of the line */
	uint64_t	 next;		/* first byte after its "\n" */
	unsigned	 flags;
};

struct reader {
	int		 fd;
	struct gz_in	*gz;
	uint64_t	 pos;		/* file offset of buf.p[0] */
	uint64_t	 end;		/* never read at or past this */
	uint64_t	 fed;		/* file offset just past buf's last byte */
	size_t		 max_line;
	struct buf	 buf;
	size_t		 scanned;	/* bytes of buf known to hold no \n */
	size_t		 pending;	/* bytes handed out, consumed next call */
	size_t		 rpos;		/* consumed bytes at the front of buf */
	int		 skipping;	/* inside an oversize line */
	uint64_t	 skip_start;
	int		 skip_cr;	/* the last byte dropped was "\r" */
	/* Set after reader_open(): reader_next() hands tap every byte of
	 * [start, end) it reads, in order (the shipped-bytes hash). */
	void		(*tap)(void *ctx, const void *p, size_t n);
	void		*tap_ctx;
};

/* Open path (gz: through zlib) positioned at start. */
int	reader_open(struct reader *r, const char *path, int gz, uint64_t start,
	    uint64_t end, size_t max_line, struct err *e);
void	reader_close(struct reader *r);
/* 1: a line (empty lines are skipped); 0: no more complete lines (a final
 * fragment is returned with READER_FRAGMENT before that); -1: error. */
int	reader_next(struct reader *r, struct reader_line *ln, struct err *e);
/* Raw bytes of the range: >0 bytes, 0 at end, -1 error. */
ssize_t	reader_read_raw(struct reader *r, void *p, size_t cap, struct err *e);

/*
 * Pure: split the first line off p[0..len): when a "\n" is found, set
 * *linelen (without "\n" or a "\r" before it) and *used (with the "\n")
 * and return 1; else return 0.
 */
int	reader_split(const char *p, size_t len, size_t *linelen, size_t *used);

/* The offset just after the last "\n" in the first size bytes of a plain
 * file (0 when none). */
int	reader_last_newline(const char *path, uint64_t size, uint64_t *end,
	    struct err *e);
/* Uncompressed length of a .gz file (reads it all, in fixed pieces). */
int	reader_gz_size(const char *path, uint64_t *size, struct err *e);
/* Hex SHA-256 of the up to LIM_FINGERPRINT bytes before off ("" for 0). */
int	reader_fingerprint(const char *path, int gz, uint64_t off,
	    char out[65], struct err *e);

#endif
