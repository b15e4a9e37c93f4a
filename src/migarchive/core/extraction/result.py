"""What an extraction gives back, and the one error it raises."""

from __future__ import annotations

from dataclasses import dataclass

from migarchive.errors import UserError


@dataclass(frozen=True)
class Extracted:
    """A document's text as Markdown, with where each PDF page begins in it."""

    text: str  # ATX headings, paragraphs separated by one blank line, "\n" newlines only
    page_starts: tuple[int, ...]  # offset in `text` where page 1, 2, 3... begins; () for html and docx
    pages: int  # 0 for html and docx
    warnings: tuple[str, ...] = ()  # what a user should know, e.g. pages that have no text layer


class ExtractionError(UserError):
    """A file whose text cannot be extracted; the message is one sentence a user can act on."""
