"""Immutable values the core passes around: documents, sections, passages, metadata.

Parsing is pure functions from text to these values, which keeps it testable in isolation.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple, NewType

DocPath = NewType("DocPath", str)  # corpus-relative, "/"-separated
SectionId = NewType("SectionId", str)
PassageId = NewType("PassageId", str)

# What a reader sees where the PDF extraction destroyed the text; it is never indexed.
DAMAGE_MARKER = "⟦…⟧"


class Kind:
    """Document kinds, as shown to users and matched by `kind:`."""

    REPORT = "report"
    SUMMARY = "executive summary"
    PAPER = "contributed paper"
    OTHER = "document"


@dataclass(frozen=True)
class Skipped:
    """A corpus file that could not be loaded, with a reason a user can act on."""

    path: DocPath
    reason: str
    details: str = ""  # the traceback, when an unexpected error was the reason (for the log)


@dataclass(frozen=True)
class SourceText:
    path: DocPath
    text: str
    encoding: str
    sha256: str
    size: int
    mtime_ns: int
    warnings: tuple[str, ...] = ()
    # For text extracted from a PDF: the offset in `text` where page 1, 2, … begins. Such text
    # arrives clean (the extractor knows the layout), so it is used as it is.
    page_starts: tuple[int, ...] = ()
    original_format: str | None = None  # "pdf", "html", "docx" for extracted text


@dataclass(frozen=True)
class Section:
    id: SectionId
    title: str
    level: int
    start: int  # offsets into the cleaned text; the section runs from its heading to the next
    end: int  # heading of the same or a higher level
    parent: SectionId | None


@dataclass(frozen=True)
class Passage:
    id: PassageId
    section_id: SectionId | None  # None for text before the first heading
    start: int
    end: int
    text: str
    page: int | None = None  # the page of a PDF the passage begins on


@dataclass(frozen=True)
class MeetingRef:
    """A coordination meeting as a document names it: its number and what is known of its dates."""

    number: int
    start_date: date | None = None
    end_date: date | None = None
    month: str | None = None  # "2002-07" when only the month is known
    place: str | None = None

    @property
    def year(self) -> str | None:
        """"2003", from the dates or the month; None when neither is known."""
        return str(self.start_date.year) if self.start_date else self.month[:4] if self.month else None


@dataclass(frozen=True)
class Metadata:
    title: str
    kind: str
    meeting: MeetingRef | None
    organization: str | None
    symbol: str | None
    doc_date: date | None = None
    mentioned_meetings: tuple[MeetingRef, ...] = ()
    overridden: tuple[str, ...] = ()  # fields set by front matter or a sidecar


@dataclass(frozen=True)
class AcronymDefinition:
    acronym: str
    long_form: str


class Defining(NamedTuple):
    """What resolving entities needs of a document besides its candidates: its version (the
    text's checksum and the sidecar's stamp) and its acronym definitions."""

    path: DocPath
    version: tuple[str, tuple[int, int] | None]
    definitions: tuple[tuple[str, str], ...]  # (acronym, long form)


@dataclass(frozen=True)
class Document:
    path: DocPath
    source: SourceText
    cleaned: str
    metadata: Metadata
    sections: tuple[Section, ...]
    passages: tuple[Passage, ...]
    damaged_spots: int = 0
    definitions: tuple[AcronymDefinition, ...] = field(default=())
    page_starts: tuple[int, ...] = ()  # of a PDF's pages in `cleaned`

    def page_at(self, offset: int) -> int | None:
        """The PDF page the text at `offset` is on, or None for a document without pages."""
        return page_at(self.page_starts, offset)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def passage_at(self, offset: int) -> Passage | None:
        """The passage holding `offset` (an empty one holds its own start), else the first after it
        (an offset in a heading belongs to the passage below)."""
        starts = [p.start for p in self.passages]
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and offset < max(self.passages[index].end, self.passages[index].start + 1):
            return self.passages[index]
        return self.passages[index + 1] if index + 1 < len(self.passages) else None

    def passage(self, passage_id: str) -> Passage | None:
        return next((p for p in self.passages if p.id == passage_id), None)

    def page_of(self, anchor: str | None) -> int | None:
        """The PDF page of a passage or section (by id); None without pages."""
        if not self.page_starts or not anchor:
            return None
        passage = self.passage(anchor)
        if passage is not None:
            return passage.page
        section = self.section(anchor)
        return self.page_at(section.start) if section else None

    def section_title(self, anchor: str | None) -> str | None:
        """The heading of a section, or of the section holding a passage (by id)."""
        if not anchor:
            return None
        section = self.section(anchor)
        if section is None:
            passage = self.passage(anchor)
            section = self.section(passage.section_id) if passage is not None and passage.section_id else None
        return section.title if section is not None else None

    def section_text(self, section_id: str) -> str | None:
        section = self.section(section_id)
        return None if section is None else self.cleaned[section.start : section.end]


@dataclass(frozen=True)
class DocumentInfo:
    """What the index keeps about a document: enough for the meeting tree without re-reading it."""

    path: DocPath
    sha256: str
    size: int
    mtime_ns: int
    metadata: Metadata
    sections: tuple[Section, ...]
    passage_count: int
    damaged_spots: int
    definitions: tuple[AcronymDefinition, ...]
    warnings: tuple[str, ...]
    sidecar_stamp: tuple[int, int] | None = None
    page_starts: tuple[int, ...] = ()  # of a PDF's pages in the cleaned text
    original_format: str | None = None  # "pdf", "html", "docx" for an imported original

    def page_at(self, offset: int) -> int | None:
        """The PDF page the text at `offset` is on, or None for a document without pages."""
        return page_at(self.page_starts, offset)

    def defining(self) -> Defining:
        return Defining(self.path, (self.sha256, self.sidecar_stamp),
                        tuple((d.acronym, d.long_form) for d in self.definitions))


def page_at(page_starts: tuple[int, ...], offset: int) -> int | None:
    """The page (from 1) that `offset` falls on, given where each page starts; None without pages."""
    return max(1, bisect.bisect_right(page_starts, offset)) if page_starts else None
