"""Immutable values for the user's notes: bookmarks, annotations and what a write changed.

Anchoring follows the W3C Web Annotation model: a note remembers *what* text it is about (a
`TextQuote`: the exact text with some context either side) and *where* it was (start/end offsets
into the document's cleaned text). Offsets are the fast path; the quote is what finds the text again
after the document changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NewType

NoteId = NewType("NoteId", str)  # a uuid4 as 32 hex digits
Status = Literal["anchored", "orphaned"]

ANCHORED: Status = "anchored"
ORPHANED: Status = "orphaned"  # its text is no longer found: kept and listed, never deleted silently

# Highlight colours the UI offers; "#rrggbb" is accepted too, for imports and custom palettes.
COLOURS = ("yellow", "green", "blue", "pink", "purple")
DEFAULT_COLOUR = "yellow"


@dataclass(frozen=True)
class TextQuote:
    """A W3C TextQuoteSelector: the exact text, and up to ~32 characters before and after it."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Annotation:
    """A highlighted span of a document, with an optional note, a colour and tags."""

    id: NoteId
    path: str  # corpus-relative, "/"-separated, as `DocPath`
    sha256: str  # of the cleaned text the offsets were last valid for
    quote: TextQuote
    start: int  # offsets into the cleaned text; for an orphan, where the text was last seen
    end: int
    note: str
    colour: str
    tags: tuple[str, ...]
    status: Status
    created: str  # ISO 8601, UTC
    modified: str

    @property
    def exact(self) -> str:
        return self.quote.exact

    @property
    def orphaned(self) -> bool:
        return self.status == ORPHANED


@dataclass(frozen=True)
class Bookmark:
    """A whole document (no quote, no offsets) or a passage or span of one, with an optional label."""

    id: NoteId
    path: str
    passage_id: str | None
    label: str
    quote: TextQuote | None
    start: int | None
    end: int | None
    status: Status
    created: str
    modified: str

    @property
    def exact(self) -> str | None:
        return self.quote.exact if self.quote else None

    @property
    def orphaned(self) -> bool:
        return self.status == ORPHANED


@dataclass(frozen=True)
class NoteChange:
    """What one committed write changed, so a UI can broadcast it once and each view refresh its part.

    `action` is one of "added", "updated", "deleted", "restored", "reanchored", "imported".
    """

    action: str
    annotation_ids: tuple[NoteId, ...] = ()
    bookmark_ids: tuple[NoteId, ...] = ()
    paths: tuple[str, ...] = ()
    tags_changed: bool = False
