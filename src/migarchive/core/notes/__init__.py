"""The user's notes: bookmarks and annotations in SQLite, anchored to the cleaned text of documents.

`model` holds the values, `anchoring` finds a note's text again after its document changed, `store`
is the database, and `exchange` exports and imports (Markdown, W3C Web Annotation JSON-LD). The UI
and the CLI reach the store through `Archive.notes`. The package imports the values only: the
store (and SQLite) is imported where the notes are first opened, which a command-line search never does.
"""

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

__all__ = [
    "ANCHORED", "COLOURS", "ORPHANED", "Annotation", "Bookmark", "NoteChange", "NoteId", "NotesCorrupt",
    "NotesProblem", "TextQuote",
]
