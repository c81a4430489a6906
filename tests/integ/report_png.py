#!/usr/bin/env python3
"""report_png.py FILE.png: exit 0 when the PNG is not blank (stdlib only).

Decodes the PNG (8-bit RGB/RGBA, non-interlaced, as Chromium writes
screenshots) with zlib and the five scanline filters, then requires at
least 8 distinct colours and 0.5 % of pixels away from the most common
colour.  Prints what it found.
"""
import struct
import sys
import zlib
from collections import Counter


def decode(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    assert depth == 8 and ctype in (2, 6) and interlace == 0, ihdr
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def main():
    w, h, bpp, rows = decode(sys.argv[1])
    colours = Counter()
    for r in rows[::4]:
        for x in range(0, len(r), bpp * 4):
            colours[r[x:x + 3]] += 1
    total = sum(colours.values())
    top = colours.most_common(1)[0][1]
    away = 1 - top / total
    print("png %dx%d: %d colours, %.1f%% away from the background" % (w, h, len(colours),
                                                                      100 * away))
    return 0 if len(colours) >= 8 and away >= 0.005 else 1


if __name__ == "__main__":
    sys.exit(main())
