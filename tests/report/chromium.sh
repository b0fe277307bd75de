#!/bin/sh
# chromium.sh: report.html renders in a real browser: headless Chromium takes a screenshot, and the
# PNG is decoded (python3's zlib, no other module) to prove that something was drawn: many colours
# (the chart, the red and green returns) and dark pixels (text). Skipped (exit 77) without
# chromium (Debian package chromium) unless DEFIDX_REQUIRE_CHROMIUM=1, as CI sets.
# KEEP=1 keeps the screenshot (report.png in the printed directory) to look at.
. "$(dirname "$0")/common.sh"

browser=
for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then
        browser=$name
        break
    fi
done
if [ -z "$browser" ]; then
    if [ "${DEFIDX_REQUIRE_CHROMIUM:-0}" = 1 ]; then
        echo "FAIL: chromium is not installed (apt-get install chromium) and DEFIDX_REQUIRE_CHROMIUM=1"
        exit 1
    fi
    echo "SKIP: chromium is not installed"
    exit 77
fi
command -v python3 >/dev/null 2>&1 || { echo "FAIL: python3 is needed to decode the screenshot"; exit 1; }

report out --as-of 2025-02-28 || fail "report failed"
HOME=$tmp
export HOME
# A hung browser must not hang the test suite. A hang guard, not a speed test: one screenshot of a
# local page takes seconds, so 300 s are reached only by a browser that hangs, never by a slow one.
run=
command -v timeout >/dev/null 2>&1 && run="timeout 300"
$run "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$tmp/profile" --screenshot="$tmp/report.png" --window-size=1200,1600 \
    "file://$tmp/out/2025-02-28/report.html" >browser.log 2>&1
[ -s report.png ] || { fail "$browser made no screenshot"; tail -n 20 browser.log; finish; }

python3 - report.png <<'PY' || fail "the screenshot looks blank"
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
PY
finish
