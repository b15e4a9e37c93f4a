"""How the window says things: counts with their nouns and sentences (`core.wording`), and the one
presenter of a failed operation."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from migarchive.core.archive import LOG_NAME, log
from migarchive.core.wording import plural, sentence
from migarchive.errors import MigarchiveError

__all__ = ["describe_failure", "plural", "present_failure", "sentence"]

def describe_failure(error: BaseException, details: str = "") -> str:
    """What to tell the user: a user or environment error says itself; a bug is logged with its
    traceback and named, so the window stays usable and the report has what it needs."""
    if isinstance(error, MigarchiveError):
        return str(error)
    log.error("unexpected error: %s\n%s", error, details.rstrip())
    return (f"unexpected error ({type(error).__name__}: {error}); the details are in {LOG_NAME} "
            "in the data directory")


def present_failure(parent: QWidget | None, title: str, error: BaseException, details: str = "") -> None:
    """The default presenter of a failed write: a warning that says nothing was written."""
    QMessageBox.warning(parent, title, f"{sentence(describe_failure(error, details))}\n\nNothing was written.")
