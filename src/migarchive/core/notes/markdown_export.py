"""Notes as Markdown to paste into a paper: grouped by meeting and document, each with its quote,
note, tags and a citation down to the section, page and paragraph."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from migarchive.core.citation import cite, format_dates
from migarchive.core.meetings import Meeting
from migarchive.core.model import DocumentInfo
from migarchive.core.notes.model import Annotation, Bookmark
from migarchive.core.notes.store import NotesStore, sha256_text
from migarchive.core.paragraphs import ParagraphNumbers, number_paragraphs
from migarchive.core.wording import plural


def to_markdown(store: NotesStore, meetings: Iterable[Meeting], unassigned: Iterable[DocumentInfo],
                known: set[str], text_of: Callable[[str], str | None]) -> str:
    """Notes grouped by meeting and document, each with its quote, note, tags and a citation line;
    `known` are the paths the archive holds (notes of other documents are listed apart)."""
    annotations = store.annotations()
    bookmarks = store.bookmarks()
    by_path: dict[str, tuple[list[Annotation], list[Bookmark]]] = {}
    for annotation in annotations:
        by_path.setdefault(annotation.path, ([], []))[0].append(annotation)
    for bookmark in bookmarks:
        by_path.setdefault(bookmark.path, ([], []))[1].append(bookmark)
    lines = ["# Notes", "", f"{plural(len(annotations), 'annotation')} and {plural(len(bookmarks), 'bookmark')}, "
             f"exported from migarchive.", ""]
    groups: list[tuple[str, Meeting | None, Iterable[DocumentInfo]]] = [
        (_meeting_heading(m), m, m.documents) for m in meetings if not m.referenced_only]
    groups.append(("Not assigned to a meeting", None, unassigned))
    for heading, meeting, infos in groups:
        docs = [info for info in infos if info.path in by_path]
        if not docs:
            continue
        lines += [f"## {heading}", ""]
        for info in docs:
            lines += _document_markdown(info, meeting, *by_path[info.path], paragraphs=_paragraphs(text_of(info.path)))
    gone = sorted(path for path in by_path if path not in known)
    if gone:
        lines += ["## Documents no longer in the archive", ""]
        for path in gone:
            lines += [f"### `{path}`", ""]
            lines += _notes_markdown(*by_path[path], info=None, meeting=None)
    return "\n".join(lines).rstrip("\n") + "\n"


def _paragraphs(cleaned: str | None) -> tuple[str, ParagraphNumbers] | None:
    """The paragraph numbers of a document's current text, with that text's digest (a note's
    offsets are only read in the text they were made or re-anchored in); None if it cannot be read."""
    if cleaned is None:
        return None
    return sha256_text(cleaned), number_paragraphs(cleaned)


def _document_markdown(info: DocumentInfo, meeting: Meeting | None, annotations: list[Annotation],
                       bookmarks: list[Bookmark], paragraphs: tuple[str, ParagraphNumbers] | None = None) -> list[str]:
    return [f"### {info.metadata.title}", "", f"`{info.path}`", ""] + _notes_markdown(
        annotations, bookmarks, info=info, meeting=meeting, paragraphs=paragraphs)


def _notes_markdown(annotations: list[Annotation], bookmarks: list[Bookmark], *, info: DocumentInfo | None,
                    meeting: Meeting | None, paragraphs: tuple[str, ParagraphNumbers] | None = None) -> list[str]:
    lines: list[str] = []
    for annotation in annotations:
        lines += [_blockquote(annotation.exact), ""]
        if annotation.orphaned:
            lines += ["*Orphaned: this text is no longer found in the document.*", ""]
        if annotation.note.strip():
            lines += [annotation.note.strip(), ""]
        if annotation.tags:
            lines += ["Tags: " + ", ".join(annotation.tags), ""]
        if info is not None:
            section = None if annotation.orphaned else _section_at(info, annotation.start)
            page = None if annotation.orphaned else info.page_at(annotation.start)
            paragraph = None
            if paragraphs is not None and not annotation.orphaned and paragraphs[0] == annotation.sha256:
                paragraph = paragraphs[1].number_at(annotation.start)
            lines += [f"— {cite(info, meeting, section, page, paragraph)}", ""]
    if bookmarks:
        lines += ["Bookmarks:", ""]
        for bookmark in bookmarks:
            what = bookmark.label or ("the whole document" if bookmark.quote is None else "")
            if bookmark.quote is not None:
                excerpt = " ".join(bookmark.quote.exact.split())
                excerpt = excerpt if len(excerpt) <= 100 else excerpt[:99].rstrip() + "…"
                what = f"{what} — “{excerpt}”" if what else f"“{excerpt}”"
            lines.append(f"- {what}{' (orphaned)' if bookmark.orphaned else ''}")
        lines.append("")
    return lines


def _blockquote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.strip().splitlines())


def _section_at(info: DocumentInfo, offset: int) -> str | None:
    """The innermost section containing the offset (the one that starts last)."""
    containing = [s for s in info.sections if s.start <= offset < s.end]
    return max(containing, key=lambda s: s.start).title if containing else None


def _meeting_heading(meeting: Meeting) -> str:
    when = format_dates(meeting.start_date, meeting.end_date, meeting.month)
    return f"{meeting.title}{', ' + meeting.place if meeting.place else ''}{', ' + when if when else ''}"

