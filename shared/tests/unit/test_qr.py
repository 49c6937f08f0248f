"""The QR images: exactly the level-M QR of their content, with the standard quiet zone.

No QR decoder is installed, so the images are read back (PNG with zlib and a small parser,
SVG by redrawing its path) and compared module by module with segno's own matrix.
"""

import re
import struct
import zlib
from xml.etree import ElementTree

import pytest
import segno

from kota_shared.qr import qr_png, qr_svg

VERIFY_URL = "https://kota.example/v1/permits/verify/"

# --- QR -------------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
QR_URLS = [
    "https://k.id",  # short enough that segno.make would choose Micro QR
    "https://kota.example/v/AAAA",  # segno would boost this one's error level to Q
    VERIFY_URL + "C3w_Xh0qTIuebzpdfJ4bIA.K2auUf_OTTEHszBdYtai3Q",
]


def _expected_modules(url: str) -> list[list[bool]]:
    """The full QR for ``url`` at level M, as segno's encoder builds it, with its quiet zone."""
    symbol = segno.make_qr(url, error="m", boost_error=False)
    return [[bool(bit) for bit in row] for row in symbol.matrix_iter(border=4)]


def _png_modules(png: bytes, *, scale: int) -> list[list[bool]]:
    """Read a 1-bit greyscale, non-interlaced PNG and sample the centre of every module."""
    assert png.startswith(PNG_SIGNATURE)
    chunks: dict[bytes, bytes] = {}
    position = len(PNG_SIGNATURE)
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind, body = png[position + 4 : position + 8], png[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", png[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) == crc
        chunks[kind] = chunks.get(kind, b"") + body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour, interlace) == (1, 0, 0), "only the layout segno writes is read here"
    stride = 1 + (width + 7) // 8  # a filter-type byte, then 8 pixels a byte
    pixels = zlib.decompress(chunks[b"IDAT"])
    rows: list[bytes] = []
    for y in range(height):
        filter_type, *line = pixels[y * stride : (y + 1) * stride]
        if filter_type == 2:  # "Up": each byte is a difference from the one above
            line = [(byte + above) % 256 for byte, above in zip(line, rows[-1], strict=True)]
        else:
            assert filter_type == 0, "only the None and Up filters segno uses are read here"
        rows.append(bytes(line))

    def dark(x: int, y: int) -> bool:
        return not rows[y][x // 8] >> (7 - x % 8) & 1

    size = width // scale
    assert width == height == size * scale
    centre = scale // 2
    return [
        [dark(x * scale + centre, y * scale + centre) for x in range(size)] for y in range(size)
    ]


def _svg_modules(svg: bytes) -> list[list[bool]]:
    """Redraw segno's SVG path (moves and horizontal strokes through module centres) on a grid."""
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    _, _, width, height = (int(value) for value in root.attrib["viewBox"].split())
    grid = [[False] * width for _ in range(height)]
    (path,) = root
    x = y = 0.0
    for command, *numbers in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path.attrib["d"]):
        if command == "M":
            x, y = float(numbers[0]), float(numbers[1])
        elif command == "m":
            x, y = x + float(numbers[0]), y + float(numbers[1])
        else:
            for column in range(int(x), int(x + float(numbers[0]))):
                grid[int(y)][column] = True
            x += float(numbers[0])
    return grid


@pytest.mark.parametrize("url", QR_URLS)
def test_the_png_is_the_level_m_qr_of_the_url_with_a_quiet_zone(url: str) -> None:
    """No QR decoder is installed (no pyzbar, zxing-cpp or OpenCV), so instead of decoding, the
    PNG's pixels are read back module by module and compared with the symbol segno's encoder
    makes for this URL at level M: a different URL, error level, Micro QR, border or scale would
    give different pixels. It trusts segno's encoder, which is not under test here."""
    png = qr_png(url, scale=3)

    assert png.startswith(PNG_SIGNATURE)
    assert _png_modules(png, scale=3) == _expected_modules(url)
    assert _png_modules(qr_png(url), scale=8) == _expected_modules(url)
    assert _png_modules(qr_png(url), scale=8) != _expected_modules(url + "x")


@pytest.mark.parametrize("url", QR_URLS)
def test_the_svg_is_the_level_m_qr_of_the_url_with_a_quiet_zone(url: str) -> None:
    """Same check as for the PNG, redrawing the SVG's path instead of reading pixels."""
    assert _svg_modules(qr_svg(url)) == _expected_modules(url)


def test_the_qr_urls_would_have_caught_micro_qr_and_boosting() -> None:
    """Guards the two tests above: these URLs are ones where segno's defaults differ."""
    assert segno.make(QR_URLS[0], error="m").is_micro
    assert segno.make_qr(QR_URLS[1], error="m").error != "M"


def test_qr_images_are_deterministic() -> None:
    assert qr_png(QR_URLS[2]) == qr_png(QR_URLS[2])
    assert qr_svg(QR_URLS[2]) == qr_svg(QR_URLS[2])
