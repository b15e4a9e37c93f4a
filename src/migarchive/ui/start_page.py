"""The start page: the archive at a glance instead of an empty reader. The meetings as a timeline,
the agencies and initiatives named most, the latest notes and the documents opened last, what was
skipped or is still indexing; every item a link."""

from __future__ import annotations

import html

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from migarchive.core.citation import format_dates
from migarchive.core.model import DocumentInfo
from migarchive.core.overview import Overview
from migarchive.core.wording import plural
from migarchive.ui.meeting_model import document_label, short_ordinal

_QUOTE_SHOWN = 120


def _link(scheme: str, target: str, text: str) -> str:
    url = QUrl()
    url.setScheme(scheme)
    url.setPath(target)
    return f'<a href="{html.escape(url.toString())}">{html.escape(text)}</a>'


def start_page_html(view: Overview, recent: list[DocumentInfo], indexing: bool = False) -> str:
    parts = [f"<h2>The archive at a glance</h2><p>{plural(view.documents, 'document')} · "
             f"{plural(view.passages, 'passage')} · {plural(len([m for m in view.meetings if not m.meeting.referenced_only]), 'meeting')}"
             + (" · <i>indexing…</i>" if indexing else "") + "</p>"]
    parts.append("<h3>Meetings</h3><table cellspacing='0' cellpadding='3'>")
    for line in view.meetings:
        meeting = line.meeting
        when = format_dates(meeting.start_date, meeting.end_date, meeting.month) or ""
        where = html.escape(meeting.place or "")
        kinds = ", ".join(plural(n, kind) for kind, n in line.kinds) if line.kinds else "referenced only"
        first = meeting.documents[0].path if meeting.documents else None
        name = _link("open", first, f"{short_ordinal(meeting.number)} meeting") if first else \
            html.escape(f"{short_ordinal(meeting.number)} meeting")
        parts.append(f"<tr><td><b>{name}</b></td><td>{html.escape(when)}</td><td>{where}</td>"
                     f"<td>{html.escape(kinds)}</td></tr>")
    parts.append("</table>")
    if view.unassigned:
        parts.append(f"<p>{plural(view.unassigned, 'document')} under no meeting.</p>")
    for title, found in (("Agencies named most", view.agencies), ("Initiatives named most", view.initiatives)):
        if found:
            items = " · ".join(f"{_link('search', _entity_query(e.name), e.acronym or e.name)} ({len(e.mentions)})"
                               for e in found)
            parts.append(f"<h3>{title}</h3><p>{items}</p>")
    if view.notes:
        parts.append("<h3>Latest notes</h3><ul>")
        for note in view.notes:
            quote = " ".join(note.exact.split())
            quote = quote if len(quote) <= _QUOTE_SHOWN else quote[:_QUOTE_SHOWN - 1] + "…"
            said = f" — {html.escape(note.note[:_QUOTE_SHOWN])}" if note.note else ""
            parts.append(f"<li>{_link('note', f'a:{note.id}', f'“{quote}”')}{said}</li>")
        parts.append("</ul>")
    if recent:
        parts.append("<h3>Opened last</h3><ul>")
        parts.extend(f"<li>{_link('open', info.path, document_label(info))}</li>" for info in recent)
        parts.append("</ul>")
    if view.skipped:
        parts.append(f"<p>{_link('skipped', 'list', plural(len(view.skipped), 'file') + ' could not be read')} "
                     "and were skipped.</p>")
    return "".join(parts)


def _entity_query(name: str) -> str:
    return 'entity:"' + name.replace('"', " ") + '"'


class StartPage(QTextBrowser):
    """Its links are asked of the window: open a document or a note, search, list skipped files."""

    openRequested = Signal(str)  # a document's path
    noteRequested = Signal(str)  # "a:<id>"
    searchRequested = Signal(str)  # a query
    skippedRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._follow)

    def show_overview(self, view: Overview, recent: list[DocumentInfo], indexing: bool = False) -> None:
        self.setHtml(start_page_html(view, recent, indexing))

    def _follow(self, url: QUrl) -> None:
        target = url.path()
        if url.scheme() == "open":
            self.openRequested.emit(target)
        elif url.scheme() == "note":
            self.noteRequested.emit(target)
        elif url.scheme() == "search":
            self.searchRequested.emit(target)
        elif url.scheme() == "skipped":
            self.skippedRequested.emit()
