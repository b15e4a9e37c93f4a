"""Putting extracted blocks together as Markdown, and the small text repairs every format needs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
# Typographic ligatures split back into letters, so "ﬁnance" is found by "finance".
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
# Control characters (but tab and newline) and the zero-width marks, which only get in a search's way.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")


@dataclass(frozen=True)
class Block:
    """A heading, paragraph, table or note, as its Markdown, without the blank lines around it."""

    text: str
    # (page index, offset in `text`) where each page's text begins inside this block.
    page_marks: tuple[tuple[int, int], ...] = ()


def assemble(blocks: Sequence[Block], pages: int) -> tuple[str, tuple[int, ...]]:
    """The document's Markdown and, for `pages` pages, the offset where each one's text starts."""
    parts: list[str] = []
    starts: list[int | None] = [None] * pages
    offset = 0
    for block in blocks:
        if not block.text:
            continue
        for page, within in block.page_marks:
            if 0 <= page < pages and starts[page] is None:
                starts[page] = offset + within
        parts.append(block.text)
        offset += len(block.text) + 2
    text = "\n\n".join(parts) + "\n" if parts else ""
    # A page without text starts where the next text does, so every offset still maps to its page.
    following = len(text)
    filled = [0] * pages
    for page in range(pages - 1, -1, -1):
        found = starts[page]
        following = min(following, found) if found is not None else following
        filled[page] = following
    if filled:
        filled[0] = 0
    return text, tuple(filled)


def tidy(text: str) -> str:
    """Ligatures split, no-break spaces made plain, invisible characters dropped."""
    return _INVISIBLE.sub("", text.translate(_LIGATURES)).replace("\u00a0", " ").replace("\u00ad", "")


def collapse(text: str) -> str:
    """Every run of whitespace (tabs and newlines too) as one space, none at the ends."""
    return " ".join(text.split())


def superscript(digits: str) -> str:
    """A note number the way the corpus writes it: "12" as "¹²"."""
    return digits.translate(_SUPERSCRIPTS)


def heading(level: int, title: str) -> str:
    return "#" * max(1, min(level, 6)) + " " + title
