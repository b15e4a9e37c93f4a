"""Paragraph numbers, as UN reports are cited ("para. 12"): a pure function of the cleaned text.

A document that numbers its own paragraphs ("12. The meeting took note…") keeps its numbers: a
numbered paragraph runs on over the unnumbered blocks after it (sub-items, quotations) until the
next number. Any other document's body paragraphs are counted from 1. Headings, tables and the
title page (the lines before the first body paragraph) are never numbered. The same text always
gives the same numbers, so a number cited stays right for that version of the document.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from migarchive.core.cleaning import blocks_with_offsets, is_body, recognise_heading, strip_emphasis

_ATX = re.compile(r"#{1,6}\s+\S")
_OWN_NUMBER = re.compile(r"(\d{1,4})\.\s+\S")
# A document numbers its paragraphs when at least this share of the blocks from its first numbered
# paragraph on carry the next number: a numbered list here and there does not count.
OWN_NUMBERS_SHARE = 0.4
OWN_NUMBERS_MIN = 3


@dataclass(frozen=True)
class Paragraph:
    number: int
    start: int  # offsets into the cleaned text: the first block's start, the last block's end
    end: int


@dataclass(frozen=True)
class ParagraphNumbers:
    paragraphs: tuple[Paragraph, ...]
    own: bool  # the numbers are the document's own, not counted

    def at(self, offset: int) -> Paragraph | None:
        """The paragraph the text at `offset` belongs to; None in a heading, table or the title page."""
        starts = [p.start for p in self.paragraphs]
        index = bisect.bisect_right(starts, offset) - 1
        if index < 0:
            return None
        paragraph = self.paragraphs[index]
        return paragraph if offset < paragraph.end else None

    def number_at(self, offset: int) -> int | None:
        paragraph = self.at(offset)
        return paragraph.number if paragraph else None


@lru_cache(maxsize=16)  # the reader, the citation and the notes export ask of the same open document
def number_paragraphs(cleaned: str) -> ParagraphNumbers:
    body = _body_blocks(cleaned)
    own = _own_numbers(cleaned, body)
    if own is not None:
        return ParagraphNumbers(own, True)
    counted = tuple(Paragraph(n, start, end) for n, (start, end, _heading) in
                    enumerate((b for b in body if not b[2]), start=1))
    return ParagraphNumbers(counted, False)


def paragraph_at(cleaned: str, offset: int) -> int | None:
    """The number of the paragraph at `offset` of the cleaned text, or None outside numbered text."""
    return number_paragraphs(cleaned).number_at(offset)


def _body_blocks(cleaned: str) -> list[tuple[int, int, bool]]:
    """(start, end, is a heading) of each block after the title page; tables left out."""
    blocks: list[tuple[int, int, bool]] = []
    front = True
    found = list(blocks_with_offsets(cleaned))
    has_body = any(is_body(cleaned[s:e]) for s, e in found)
    for start, end in found:
        block = cleaned[start:end]
        heading = _is_heading(block)
        if not heading and front and has_body and not is_body(block):
            continue
        if not heading:
            front = False
        if "\t" in block and all("\t" in line for line in block.split("\n")):
            continue  # a table: its rows are not paragraphs
        blocks.append((start, end, heading))
    return blocks


def _is_heading(block: str) -> bool:
    # As `sections.split` reads headings: the cleaned text gives every heading the ATX form.
    return bool(_ATX.match(block)) and "\n" not in block and recognise_heading(block, front_matter=False) is not None


def _own_numbers(cleaned: str, body: list[tuple[int, int, bool]]) -> tuple[Paragraph, ...] | None:
    expected = 1
    starts: list[tuple[int, int]] = []  # (number, index in body)
    for index, (start, end, heading) in enumerate(body):
        if heading:
            continue
        match = _OWN_NUMBER.match(strip_emphasis(cleaned[start:end].lstrip()))
        if match and int(match.group(1)) == expected:
            starts.append((expected, index))
            expected += 1
    if len(starts) < OWN_NUMBERS_MIN:
        return None
    span = sum(1 for _s, _e, heading in body[starts[0][1] :] if not heading)
    if len(starts) < OWN_NUMBERS_SHARE * span:
        return None
    paragraphs = []
    for position, (number, index) in enumerate(starts):
        stop = starts[position + 1][1] if position + 1 < len(starts) else len(body)
        end = body[index][1]
        for _start, block_end, heading in body[index + 1 : stop]:
            if heading:
                break  # a heading closes the paragraph: what follows it is not that paragraph's text
            end = block_end
        paragraphs.append(Paragraph(number, body[index][0], end))
    return tuple(paragraphs)
