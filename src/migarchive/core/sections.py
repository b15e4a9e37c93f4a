"""Splitting a cleaned document into a heading hierarchy of sections and into passages.

Passages (paragraphs) are what search returns and what notes anchor to. Their ids come from their
text, so re-indexing an unchanged document gives the same ids, and an edit elsewhere in the
document leaves them alone.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator

from migarchive.core.cleaning import blocks_with_offsets, recognise_heading
from migarchive.core.model import Passage, PassageId, Section, SectionId

_ATX = re.compile(r"^(#{1,6})\s+\S")


def split(text: str) -> tuple[tuple[Section, ...], tuple[Passage, ...]]:
    headings: list[tuple[int, int, int, str]] = []  # start, end, level, title
    passages: list[Passage] = []
    seen_ids: Counter[str] = Counter()
    seen_slugs: Counter[str] = Counter()
    current: list[tuple[int, SectionId]] = []  # open headings: (level, id)
    section_ids: list[SectionId] = []
    parents: list[SectionId | None] = []
    empty: tuple[int, int, str, SectionId] | None = None  # the last heading, while no text follows it

    def add(passage_start: int, passage_end: int, passage_text: str, section: SectionId | None) -> None:
        digest = hashlib.sha1(" ".join(passage_text.split()).encode("utf-8")).hexdigest()[:10]
        seen_ids[digest] += 1
        passage_id = PassageId(f"p{digest}" if seen_ids[digest] == 1 else f"p{digest}-{seen_ids[digest]}")
        passages.append(Passage(passage_id, section, passage_start, passage_end, passage_text))

    def add_empty() -> None:
        # A heading with no text under it (an agenda item) is a passage of its own, so that
        # search can find it.
        if empty is not None:
            heading_start, heading_end, title, section = empty
            offset = text.find(title, heading_start, heading_end)
            if offset >= 0:
                add(offset, offset + len(title), title, section)
            else:
                add(heading_start, heading_end, text[heading_start:heading_end], section)

    for start, end in blocks_with_offsets(text):
        block = text[start:end]
        if _ATX.match(block) and "\n" not in block:
            heading = recognise_heading(block, front_matter=False)
            if heading is not None:
                add_empty()
                slug = _slug(heading.title) or "section"
                seen_slugs[slug] += 1
                section_id = SectionId(slug if seen_slugs[slug] == 1 else f"{slug}-{seen_slugs[slug]}")
                while current and current[-1][0] >= heading.level:
                    current.pop()
                parents.append(current[-1][1] if current else None)
                current.append((heading.level, section_id))
                headings.append((start, end, heading.level, heading.title))
                section_ids.append(section_id)
                empty = (start, end, heading.title, section_id)
                continue
        empty = None
        add(start, end, block, current[-1][1] if current else None)
    add_empty()
    # A section ends where the next heading of its level or above begins: one pass from the end,
    # keeping the headings not yet closed (by level) on a stack.
    stops = [0] * len(headings)
    later: list[tuple[int, int]] = []  # (level, start) of later headings, nearest on top
    for i in range(len(headings) - 1, -1, -1):
        start, _end, level, _title = headings[i]
        while later and later[-1][0] > level:
            later.pop()
        stops[i] = later[-1][1] if later else len(text.rstrip())
        later.append((level, start))
    sections = [Section(section_ids[i], title, level, start, stops[i], parents[i])
                for i, (start, _end, level, title) in enumerate(headings)]
    return tuple(sections), tuple(passages)


def _slug(title: str) -> str:
    return re.sub(r"[^\w]+", "-", title.lower()).strip("-")[:80].strip("-")
