"""How wide a PDF font sets a text, and whether it is bold: enough to see gaps, columns and headings.

pypdf reports where each piece of text starts but not where it ends, so its width is worked out here:
from the font's own /Widths where the text's characters map to its codes, else from Helvetica's
metrics scaled for the font's family. That is exact for most fonts of simple PDFs and within about
ten per cent for the others, which is all the column and line-length tests need.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Helvetica's advance widths (AFM, 1/1000 em) for the printable ASCII characters, space to tilde.
HELVETICA_WIDTHS: tuple[int, ...] = tuple(int(w) for w in (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 "
    "556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 "
    "667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 "
    "556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584"
).split())
_OTHER_WIDTH = 556  # a letter outside ASCII: about an average lower-case letter

_BOLD_NAME = re.compile(r"bold|black|heavy|demi", re.I)
_SERIF_NAME = re.compile(r"times|roman|serif|garamond|georgia|cambria|minion|palatino|book", re.I)
_MONO_NAME = re.compile(r"courier|mono|consol", re.I)
_FORCE_BOLD = 1 << 18  # FontDescriptor /Flags bit 19


def helvetica_width(text: str) -> float:
    """Width of `text` in Helvetica, in 1/1000 em."""
    return float(sum(HELVETICA_WIDTHS[ord(c) - 32] if 32 <= ord(c) < 127 else _OTHER_WIDTH for c in text))


class _Memo(dict[Any, float]):
    """Widths worked out once per character or code: every page measures the same few hundred."""

    def __init__(self, measure: Callable[[Any], float]) -> None:
        super().__init__()
        self._measure = measure

    def __missing__(self, key: Any) -> float:
        value = self[key] = self._measure(key)
        return value


@dataclass(frozen=True)
class FontMetrics:
    bold: bool = False
    scale: float = 1.0  # of Helvetica's widths, for the characters /Widths does not give
    monospaced: bool = False
    widths: dict[int, float] = field(default_factory=dict)  # character code → width, from /Widths
    two_byte: bool = False  # a composite font, whose codes are two bytes
    _by_char: _Memo = field(init=False, compare=False, repr=False)
    _by_code: _Memo = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_char", _Memo(lambda char: self._measure(_code(char), char)))
        object.__setattr__(self, "_by_code", _Memo(lambda code: self._measure(code, "")))

    def width(self, text: str) -> float:
        """Width of `text` in 1/1000 em."""
        return sum(map(self._by_char.__getitem__, text))

    def code_width(self, code: int) -> float:
        """Width of one character code in 1/1000 em."""
        return self._by_code[code]

    def _measure(self, code: int, char: str) -> float:
        if self.monospaced:
            return 600.0
        known = self.widths.get(code)
        if known:
            return known
        if not char and 32 <= code < 127:
            char = chr(code)
        return helvetica_width(char) * self.scale if char else _OTHER_WIDTH * self.scale


DEFAULT_METRICS = FontMetrics()


def metrics(font: Any) -> FontMetrics:
    """The metrics of a pypdf font dictionary (None when pypdf did not know the font)."""
    if font is None:
        return DEFAULT_METRICS
    name = str(_get(font, "/BaseFont") or "")
    descriptor = _get(font, "/FontDescriptor")
    weight = _number(_get(descriptor, "/FontWeight")) if descriptor is not None else None
    flags = int(_number(_get(descriptor, "/Flags")) or 0) if descriptor is not None else 0
    bold = bool(_BOLD_NAME.search(name)) or (weight is not None and weight >= 600) or bool(flags & _FORCE_BOLD)
    scale = (0.9 if _SERIF_NAME.search(name) else 1.0) * (1.06 if bold else 1.0)
    two_byte = str(_get(font, "/Subtype") or "") == "/Type0"
    return FontMetrics(bold, scale, bool(_MONO_NAME.search(name)), _widths(font), two_byte)


def _widths(font: Any) -> dict[int, float]:
    # A composite (Type0) font measures CIDs, which have no simple relation to the text: estimate.
    if str(_get(font, "/Subtype") or "") == "/Type0":
        return {}
    first = _number(_get(font, "/FirstChar"))
    widths = _get(font, "/Widths")
    if first is None or widths is None:
        return {}
    try:
        values = [_number(w.get_object() if hasattr(w, "get_object") else w) for w in widths]
    except TypeError:  # /Widths that is not an array
        return {}
    return {int(first) + i: value for i, value in enumerate(values) if value and value > 0}


def _code(char: str) -> int:
    try:
        encoded = char.encode("cp1252")
    except UnicodeEncodeError:
        return -1
    return encoded[0] if len(encoded) == 1 else -1


def _get(dictionary: Any, key: str) -> Any:
    try:
        value = dictionary.get(key)
    except AttributeError:  # not a dictionary at all, in a damaged file
        return None
    return value.get_object() if hasattr(value, "get_object") else value


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
