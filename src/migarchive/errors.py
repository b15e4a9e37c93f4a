"""One root error; user mistakes and environment problems are told apart from bugs.

The CLI prints a `MigarchiveError` as one line and exits non-zero; anything else is a bug
and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class MigarchiveError(Exception):
    """Root of every error migarchive raises on purpose."""


class UserError(MigarchiveError):
    """The user asked for something that cannot be done (bad path, bad query)."""


class CorpusNotFoundError(UserError):
    """The corpus folder does not exist or is not a folder."""


class QuerySyntaxError(UserError):
    """A search query that cannot be parsed."""


class DocumentNotFoundError(UserError):
    """A document path that is not in the corpus."""


class EnvironmentProblem(MigarchiveError):
    """The machine got in the way: unreadable data directory, locked or broken index, full disk."""


class DataDirError(EnvironmentProblem):
    """The data directory cannot be created or written."""


class IndexProblem(EnvironmentProblem):
    """The search index is missing, locked or damaged."""


class NoteNotFoundError(UserError):
    """A bookmark or annotation id that is not in the notes database."""


class NotesProblem(EnvironmentProblem):
    """The notes database cannot be opened, read or written (locked, newer format, full disk)."""


class NotesCorrupt(NotesProblem):
    """The notes database is damaged. Nothing was changed; `backups` are the good copies, newest first."""

    def __init__(self, message: str, path: Path, backups: list[Path] | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.backups = list(backups or [])
