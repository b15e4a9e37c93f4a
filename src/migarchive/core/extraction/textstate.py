"""The PDF text state followed beside pypdf: where each run of text starts, and wide gaps inside one.

Some producers (Ghostscript among them) draw everything on a baseline with one TJ operator, moving
from one column or table cell to the next with a large negative number. pypdf reads such a move as
one space, and the line would come out with both columns' text interleaved. Before pypdf runs each
TJ, `TextState.before` measures its strings and puts a marker saying where the next piece starts in
place of every move wider than `WIDE_GAP` ems; `split_at_gaps` cuts the reported text there again.

It also notes where the first text shown since pypdf last reported a run begins (`take_start`):
pypdf 5.5 to 6.6 report some runs at the page's origin instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from migarchive.core.extraction.fonts import DEFAULT_METRICS, FontMetrics

WIDE_GAP = 1.5  # ems: wider than any word space, even in justified text
_MARKER = re.compile("\ue000(-?[0-9.]+)\ue001")
_POSITIONING = {b"BT", b"Td", b"TD", b"Tm", b"T*"}


@dataclass(frozen=True)
class _Parameters:
    font: FontMetrics = DEFAULT_METRICS
    size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    horizontal_scale: float = 1.0


@dataclass
class TextState:
    """The text state parameters, and how far text has advanced since the last positioning operator."""

    fonts: Callable[[Any], FontMetrics]  # a font resource name → its metrics
    parameters: _Parameters = field(default_factory=_Parameters)
    saved: list[_Parameters] = field(default_factory=list)
    advance: float = 0.0  # in text space, from where pypdf's text matrix points
    # The text-to-page matrix where the run being collected begins; () when only pypdf knows it.
    start: tuple[float, ...] | None = None

    def take_start(self) -> tuple[float, ...] | None:
        """Where the run pypdf now reports began (None: ask pypdf); the next text shown begins the next run."""
        start, self.start = self.start, None
        return start or None

    def before(self, operator: bytes, operands: list[Any], cm: list[float], tm: list[float]) -> None:
        """pypdf's `visitor_operand_before`: follow the state, mark the wide gaps of a TJ array."""
        if operator in _POSITIONING:
            self.advance = 0.0
        elif operator == b"q":
            self.saved.append(self.parameters)
        elif operator == b"Q" and self.saved:
            self.parameters = self.saved.pop()
        elif operator == b"Tf" and len(operands) >= 2:
            self.parameters = replace(self.parameters, font=self.fonts(operands[0]), size=_number(operands[1]))
        elif operator == b"Tc" and operands:
            self.parameters = replace(self.parameters, char_spacing=_number(operands[0]))
        elif operator == b"Tw" and operands:
            self.parameters = replace(self.parameters, word_spacing=_number(operands[0]))
        elif operator == b"Tz" and operands:
            self.parameters = replace(self.parameters, horizontal_scale=_number(operands[0], 100.0) / 100)
        elif operator == b"Tj" and operands:
            self._note_start(cm, tm)
            self.advance += self._width(operands[0])
        elif operator in (b"'", b'"') and operands:
            if operator == b'"' and len(operands) >= 3:
                self.parameters = replace(self.parameters, word_spacing=_number(operands[0]),
                                          char_spacing=_number(operands[1]))
            if self.start is None:
                self.start = ()  # on the next line, which pypdf has not moved to yet
            self.advance = self._width(operands[-1])
        elif operator == b"TJ" and operands and isinstance(operands[0], list):
            self._note_start(cm, tm)
            self._mark_gaps(operands[0], cm, tm)

    def _note_start(self, cm: list[float], tm: list[float]) -> None:
        if self.start is None and len(cm) == 6 and len(tm) == 6:
            m = multiply(tm, cm)
            self.start = (*m[:4], m[0] * self.advance + m[4], m[1] * self.advance + m[5])

    def _mark_gaps(self, array: list[Any], cm: list[float], tm: list[float]) -> None:
        size, scale = self.parameters.size, self.parameters.horizontal_scale
        x_scale, x_offset = _x_transform(tm, cm)
        position = self.advance
        pieces: list[Any] = []
        marked = False
        for item in array:
            if isinstance(item, bytes):
                position += self._width(item)
            elif isinstance(item, (int, float)):
                move = -float(item) / 1000 * size * scale
                position += move
                if size > 0 and move >= WIDE_GAP * size:
                    # pypdf adds a str element to the text as it is, so the marker reaches `split_at_gaps`.
                    pieces.append(f"\ue000{x_scale * position + x_offset:.2f}\ue001")
                    marked = True
                    continue
            pieces.append(item)
        if marked:
            array[:] = pieces
        self.advance = position

    def _width(self, raw: Any) -> float:
        if not isinstance(raw, bytes):
            return 0.0
        p = self.parameters
        codes = [raw[i] << 8 | raw[i + 1] for i in range(0, len(raw) - 1, 2)] if p.font.two_byte else raw
        glyphs = sum(map(p.font.code_width, codes)) / 1000 * p.size
        spacing = p.char_spacing * len(codes) + (0.0 if p.font.two_byte else p.word_spacing * raw.count(32))
        return (glyphs + spacing) * p.horizontal_scale


def split_at_gaps(text: str, x: float) -> list[tuple[float, str]]:
    """A reported run of text as its pieces, each with the x where it starts."""
    pieces: list[tuple[float, str]] = []
    start, position = 0, x
    for marker in _MARKER.finditer(text):
        pieces.append((position, text[start:marker.start()]))
        position, start = float(marker.group(1)), marker.end()
    pieces.append((position, text[start:]))
    return pieces


def multiply(m: Sequence[float], n: Sequence[float]) -> tuple[float, ...]:
    """The PDF matrix product m × n, each as its six numbers [a b c d e f]."""
    return (
        m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5],
    )


def _x_transform(tm: list[float], cm: list[float]) -> tuple[float, float]:
    """How a text-space x along the baseline maps to page x: the scale, and the offset."""
    return tm[0] * cm[0] + tm[1] * cm[2], tm[4] * cm[0] + tm[5] * cm[2] + cm[4]


def _number(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default
