"""Text out of the documents users add as they were published: PDF, HTML and Word (.docx).

Each file becomes Markdown the rest of the archive reads like a corpus text file: ATX headings,
paragraphs separated by one blank line, tab-separated table rows. A PDF also says where each of its
pages begins in that text, so a passage can be cited by page.
"""

from __future__ import annotations

from pathlib import Path

from migarchive.core.extraction.result import Extracted, ExtractionError

EXTRACTED_SUFFIXES = (".pdf", ".html", ".htm", ".docx")

__all__ = ["EXTRACTED_SUFFIXES", "Extracted", "ExtractionError", "extract", "extract_bytes"]


def extract(path: Path) -> Extracted:
    """The text of the file at `path`, by its suffix (in any case)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(f"{path.name} cannot be read: {exc.strerror or exc}") from exc
    return _extract(data, path.suffix, path.name)


def extract_bytes(data: bytes, suffix: str) -> Extracted:
    """The text of a file already read; `suffix` (".pdf", ".HTML", …) says what it is."""
    return _extract(data, suffix, None)


def _extract(data: bytes, suffix: str, name: str | None) -> Extracted:
    # Imported here so that reading a .txt corpus never loads pypdf.
    kind = suffix.lower()
    if kind == ".pdf":
        from migarchive.core.extraction.pdf import extract_pdf

        return extract_pdf(data, name or "This PDF")
    if kind in (".html", ".htm"):
        from migarchive.core.extraction.html import extract_html

        return extract_html(data, name or "This HTML file")
    if kind == ".docx":
        from migarchive.core.extraction.docx import extract_docx

        return extract_docx(data, name or "This Word file")
    raise ExtractionError(f"{name or 'This file'} is not a PDF, HTML or Word (.docx) file; "
                          "only those can be added besides .txt and .md")
