"""Helvetica's advance widths: how wide a text is set when nothing better is known.

The glyphs of a PDF are measured by PDFium (see `glyphs`); these widths are what the layout tests
and the test PDF writer (tests/pdfmaker.py, which uses Helvetica without embedding it) agree on.
"""

from __future__ import annotations

# Helvetica's advance widths (AFM, 1/1000 em) for the printable ASCII characters, space to tilde.
HELVETICA_WIDTHS: tuple[int, ...] = tuple(int(w) for w in (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 "
    "556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 "
    "667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 "
    "556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584"
).split())
_OTHER_WIDTH = 556  # a letter outside ASCII: about an average lower-case letter


def helvetica_width(text: str) -> float:
    """Width of `text` in Helvetica, in 1/1000 em."""
    return float(sum(HELVETICA_WIDTHS[ord(c) - 32] if 32 <= ord(c) < 127 else _OTHER_WIDTH for c in text))
