"""The user's notes: bookmarks and annotations in SQLite, anchored to the cleaned text of documents.

`model` holds the values, `anchoring` finds a note's text again after its document changed, `store`
is the database, and `exchange` exports and imports (Markdown, W3C Web Annotation JSON-LD). The UI
and the CLI reach the store through `Archive.notes`.
"""

from typing import TYPE_CHECKING

from migarchive.core.notes.model import (
    ANCHORED,
    COLOURS,
    ORPHANED,
    Annotation,
    Bookmark,
    NoteChange,
    NoteId,
    TextQuote,
)
from migarchive.errors import NotesCorrupt, NotesProblem

if TYPE_CHECKING:
    from migarchive.core.notes.store import NotesStore


def __getattr__(name: str) -> object:
    # The database module (and SQLite's) on first use: a command-line search imports the notes'
    # values, never their store.
    if name == "NotesStore":
        from migarchive.core.notes.store import NotesStore

        return NotesStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ANCHORED", "COLOURS", "ORPHANED", "Annotation", "Bookmark", "NoteChange", "NoteId", "NotesCorrupt",
    "NotesProblem", "NotesStore", "TextQuote",
]
