/*
 * vis.h - make text from outside (directory and file names, a server's
 * error) safe to print on a terminal, in the manner of vis(3).
 *
 * Printable ASCII and valid UTF-8 are kept; '\' becomes "\\"; LF, CR and
 * TAB become "\n", "\r", "\t"; every other control byte (C0, DEL, the C1
 * controls U+0080-U+009F that some terminals obey) and every byte that is
 * not valid UTF-8 becomes "\xNN".  So no escape sequence reaches the
 * terminal, a name cannot spoof a line, and the bytes can be recovered.
 */
#ifndef AUDITSHIP_VIS_H
#define AUDITSHIP_VIS_H

#include <stddef.h>

#include "buf.h"

/* Append s[0..len) to out, escaped; -1 when out is full. */
int	vis_append(struct buf *out, const char *s, size_t len);

#endif
