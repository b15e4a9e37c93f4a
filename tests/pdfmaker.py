"""A tiny PDF writer for tests and benchmarks: text placed where we say, so layouts are known exactly.

PDF 1.4, the base-14 fonts Helvetica and Helvetica-Bold in WinAnsiEncoding (no embedded font, no
/Widths: both are legal for base-14 fonts and keep the writer small), uncompressed content streams.
An `ImageBox` draws an 8x8 grey image, so a page made only of them has no text layer at all.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

# Helvetica's metrics (a fact about the font, shared with the extractor's estimates) wrap lines where a
# real typesetter would.
from migarchive.core.extraction.fonts import helvetica_width


@dataclass(frozen=True)
class TextRun:
    x: float
    y: float  # the baseline, from the bottom of the page
    text: str
    size: float = 10
    bold: bool = False


@dataclass(frozen=True)
class ImageBox:
    x: float
    y: float
    width: float = 100
    height: float = 100


def text_width(text: str, size: float) -> float:
    """Helvetica's width of `text`; Helvetica-Bold is a few per cent wider, which wrapping can ignore."""
    return helvetica_width(text) * size / 1000


def wrap(text: str, x: float, y: float, width: float, size: float = 10, leading: float = 12,
         indent: float = 0, bold: bool = False) -> tuple[list[TextRun], float]:
    """`text` set in lines of at most `width` points from baseline `y` down; also the next free baseline."""
    runs: list[TextRun] = []
    line: list[str] = []
    for word in text.split():
        start = x + (indent if not runs else 0)
        if line and start + text_width(" ".join(line + [word]), size) > x + width:
            runs.append(TextRun(start, y, " ".join(line), size, bold))
            y -= leading
            line = []
        line.append(word)
    if line:
        runs.append(TextRun(x + (indent if not runs else 0), y, " ".join(line), size, bold))
        y -= leading
    return runs, y


def make_pdf(pages: Sequence[Sequence[TextRun | ImageBox]], size: tuple[float, float] = (595, 842),
             one_operator_a_line: bool = False) -> bytes:
    """`one_operator_a_line` draws consecutive runs on one baseline with one TJ, as Ghostscript does."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages' numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        _stream(b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray"
                b" /BitsPerComponent 8", bytes(range(0, 256, 4))),
    ]
    resources = b"<< /Font << /F1 3 0 R /F2 4 0 R >> /XObject << /Im1 5 0 R >> >>"
    kids = []
    for page in pages:
        content = b"\n".join(_draw(item) for item in (_merged(page) if one_operator_a_line else page))
        objects.append(_stream(b"<<", content))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Resources %s /Contents %d 0 R >>"
                       % (size[0], size[1], resources, len(objects)))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _merged(page: Sequence[TextRun | ImageBox]) -> list[TextRun | ImageBox | tuple[TextRun, ...]]:
    out: list[TextRun | ImageBox | tuple[TextRun, ...]] = []
    for item in page:
        last = out[-1] if out else None
        group = last if isinstance(last, tuple) else (last,) if isinstance(last, TextRun) else None
        if isinstance(item, TextRun) and group and (group[0].y, group[0].size, group[0].bold) == (
                item.y, item.size, item.bold):
            out[-1] = group + (item,)
        else:
            out.append(item)
    return out


def _stream(head: bytes, data: bytes) -> bytes:
    return head + b" /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def _draw(item: TextRun | ImageBox | tuple[TextRun, ...]) -> bytes:
    if isinstance(item, ImageBox):
        return b"q %g 0 0 %g %g %g cm /Im1 Do Q" % (item.width, item.height, item.x, item.y)
    font = b"/F2" if (item[0] if isinstance(item, tuple) else item).bold else b"/F1"
    if isinstance(item, TextRun):
        return b"BT %s %g Tf %g %g Td (%s) Tj ET" % (font, item.size, item.x, item.y, _escape(item.text))
    runs, first = item, item[0]
    shown = [b"(%s)" % _escape(first.text)]
    for before, run in itertools.pairwise(runs):  # the move from one run's end to the next run's start
        gap = (run.x - before.x - text_width(before.text, before.size)) / run.size * 1000
        shown.append(b"%d (%s)" % (-round(gap), _escape(run.text)))
    return b"BT %s %g Tf %g %g Td [%s] TJ ET" % (font, first.size, first.x, first.y, b" ".join(shown))


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"".join(b"\\" + bytes([c]) if c in b"()\\" else b"\\%03o" % c if c < 32 or c > 126 else bytes([c])
                    for c in raw)
