"""One PDF page's glyphs, as PDFium places them, made into runs of text with the spaces the gaps say.

PDFium (through pypdfium2) knows where every glyph of a page starts and ends: it applies the fonts'
real widths of every font type, the character and word spacing, the horizontal scaling and the
`TJ` adjustments. Its own text inserts a space where its heuristic thinks one belongs, and that
misses spaces that some producers (Ghostscript) draw as character spacing, so the text here ignores
the spaces PDFium made up and decides from the geometry: a gap wider than `SPACE` ems between one
glyph's box and the next glyph, or half that after a space glyph the file draws, is a word space;
kerning is far narrower.

A run is what is drawn on one baseline in one size without going back or jumping wider than `WIDE`
ems (a column gutter, a table cell); `lines` lays out runs. Only glyphs are visited one by one: the
size, the matrix and the font are asked for once a run or once a text object.
"""

from __future__ import annotations

import ctypes
import math
import re
from typing import Any

import pypdfium2.raw as pdfium

from migarchive.core.extraction.lines import Run

SPACE = 0.1  # ems: Times and Liberation set a word space at 0.25 em and justification only widens it
WIDE = 1.0  # ems: wider than a stretched word space; `lines` spaces the runs a wider gap separates
_BOLD_NAME = re.compile(rb"bold|black|heavy|demi|semibold", re.I)
_FORCE_BOLD = 1 << 18  # FontDescriptor /Flags bit 19
# Characters PDFium reports for a hyphen it found at a line end, and the soft hyphen, are all a "-"
# on paper; `layout` decides whether the word was broken there or is a compound.
_HYPHENS = str.maketrans({"\ufffe": "-", "\x02": "-", "\u00ad": "-"})
_SKIP = frozenset(" \r\n\t\u00a0\x00")


class Fonts:
    """Whether a text object's font is bold, asked once per font."""

    def __init__(self) -> None:
        self._bold: dict[int, bool] = {}
        self._name = ctypes.create_string_buffer(128)

    def bold(self, text_object: int) -> bool:
        font = pdfium.FPDFTextObj_GetFont(ctypes.cast(text_object, pdfium.FPDF_PAGEOBJECT))
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        if key not in self._bold:
            size = pdfium.FPDFFont_GetBaseFontName(font, self._name, len(self._name)) if key else 0
            name = self._name.raw[:max(0, min(size, len(self._name)) - 1)]
            flags = pdfium.FPDFFont_GetFlags(font) if key else 0
            weight = pdfium.FPDFFont_GetWeight(font) if key else -1
            self._bold[key] = bool(_BOLD_NAME.search(name)) or weight >= 600 or bool(flags & _FORCE_BOLD)
        return self._bold[key]


def _prototype(function: Any, restype: Any, *argtypes: Any) -> Any:
    """The same PDFium function with plainer types: the per-glyph loop calls it thousands of times a page."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    assert address is not None, function  # a function PDFium exports is never at address 0
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_BOX = _prototype(pdfium.FPDFText_GetLooseCharBox, ctypes.c_int, ctypes.c_void_p, ctypes.c_int,
                  ctypes.POINTER(pdfium.FS_RECTF))
_OBJECT = _prototype(pdfium.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)


def page_runs(text_page: Any, left: float, bottom: float, top: float, fonts: Fonts | None = None) -> list[Run]:
    """The runs of one PDFium text page; x and y measured from the page box's lower left corner."""
    fonts = fonts or Fonts()
    count = pdfium.FPDFText_CountChars(text_page)
    if count <= 0:
        return []
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    pdfium.FPDFText_GetText(text_page, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[:2 * count].decode("utf-16-le", "replace")
    page = ctypes.cast(text_page, ctypes.c_void_p).value
    box = pdfium.FS_RECTF()
    box_ref = ctypes.byref(box)
    runs: list[Run] = []
    chars: list[str] = []
    # The run being collected: where it starts, its baseline and size, its glyph boxes' bottom and height.
    x0 = y0 = size = low = tall = 0.0
    bold = upright = False
    end = 0.0  # where the last glyph's advance ends
    text_object: int | None = None
    word_start = True

    def flush() -> None:
        if chars and upright:
            # Runs are never stream neighbours (order steps by 2): `lines` measures every gap between them.
            runs.append(Run(x0 - left, y0 - bottom, end - x0, size, "".join(chars).translate(_HYPHENS), bold,
                            2 * len(runs) + 2))
        chars.clear()

    spaced = False  # a space glyph was drawn since the last letter
    for index, char in enumerate(text):
        if char in _SKIP:
            word_start = True
            # A space the file draws is a word space even when narrow, unless the next glyph is moved back
            # over it (Ghostscript does that); the spaces PDFium made up have no box.
            if char == " " and not spaced and _BOX(page, index, box_ref) and box.top > box.bottom:
                spaced = True
            continue
        if not _BOX(page, index, box_ref):
            continue
        b, t, x = box.bottom, box.top, box.left
        if t - b <= 0:
            continue  # a control character PDFium made up
        if word_start:
            # One call a word tells a change of text object, where a bold word may begin.
            current = _OBJECT(page, index)
            if current != text_object:
                text_object = current
                if chars and current and fonts.bold(current) != bold:
                    flush()
            word_start = False
        if (not chars or abs(t - b - tall) > 0.01 or abs(b - low) > 0.1 * size
                or x < end - 0.5 * size or x - end > WIDE * size):
            flush()
            size = _size(text_page, index)
            upright = _upright(text_page, index)
            origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
            pdfium.FPDFText_GetCharOrigin(text_page, index, ctypes.byref(origin_x), ctypes.byref(origin_y))
            text_object = _OBJECT(page, index)
            x0, y0, low, tall = x, origin_y.value, b, t - b
            bold = bool(text_object) and fonts.bold(text_object)
        elif x - end > (SPACE / 2 if spaced else SPACE) * size:
            chars.append(" ")
        chars.append(char)
        end = box.right
        spaced = False
    flush()
    return [r for r in runs if -0.7 * r.size < r.y < top - bottom + 0.2 * r.size]


def _size(text_page: Any, index: int) -> float:
    """The size a glyph is seen in: the font size scaled by the text and graphics matrices."""
    size: float = pdfium.FPDFText_GetFontSize(text_page, index)
    matrix = pdfium.FS_MATRIX()
    if pdfium.FPDFText_GetMatrix(text_page, index, ctypes.byref(matrix)):
        scale = math.hypot(matrix.c, matrix.d)
        if scale > 0:
            size *= scale
    return round(size, 1)


def _upright(text_page: Any, index: int) -> bool:
    # Text turned sideways (stamps, margin notes) is left out: only upright text makes lines.
    angle: float = pdfium.FPDFText_GetCharAngle(text_page, index)
    return angle < 0 or min(angle, 2 * math.pi - angle) < 0.02
