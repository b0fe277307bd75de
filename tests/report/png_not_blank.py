#!/usr/bin/env python3
"""png_not_blank.py PNG: exit 0 when the picture shows something drawn, more than 10 colours and
at least 1,000 dark pixels; 1 when it looks blank. Decoded with python3's zlib, no other module
(8-bit RGB or RGBA, not interlaced, as chromium and pdftoppm write them). Used by
tests/report/chromium.sh (report.html's screenshot) and tests/xlsx/libreoffice.sh (the workbooks
as LibreOffice prints them)."""
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("not a PNG")
pos, idat, width = 8, b"", 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
        if depth != 8 or color not in (2, 6) or interlace:
            sys.exit("unexpected PNG: depth %d, colour type %d, interlace %d" % (depth, color, interlace))
        bpp = 3 if color == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
raw = zlib.decompress(idat)
stride = width * bpp
prev = bytearray(stride)
colours, dark, i = set(), 0, 0
for y in range(height):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):  # undo the row's filter (PNG spec, section 9)
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1:
            line[x] = (line[x] + a) & 255
        elif f == 2:
            line[x] = (line[x] + b) & 255
        elif f == 3:
            line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        r, g, b = line[x], line[x + 1], line[x + 2]
        colours.add((r, g, b))
        if r + g + b < 240:
            dark += 1
    prev = line
print("screenshot %dx%d: %d colours, %d dark pixels" % (width, height, len(colours), dark))
if len(colours) <= 10 or dark < 1000:
    sys.exit(1)
