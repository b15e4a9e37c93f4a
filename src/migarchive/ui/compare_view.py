"""One question across meetings: a query's best passages under each meeting, in the order the
meetings were held, so a researcher sees how the language on a topic changed from 2002 on."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QDialog, QLabel, QTextBrowser, QVBoxLayout, QWidget

from migarchive.core.archive import Archive
from migarchive.core.results import Comparison
from migarchive.core.wording import plural
from migarchive.ui.meeting_model import document_label, meeting_label, short_ordinal
from migarchive.ui.operations import Operations
from migarchive.ui.plain_text import plain_label
from migarchive.ui.results_model import snippet_html

PER_MEETING = 3


def compare_html(compared: Comparison, label_of: Callable[[str], str]) -> str:
    """The comparison as a page: a section per meeting with matches, its best passages as links to
    open them; the meetings without any are named at the end."""
    found = [group for group in compared.meetings if group.hits]
    if not found:
        return f"<p>No meeting's documents match <b>{html.escape(compared.query)}</b>.</p>"
    parts = []
    if compared.corrected:
        parts.append(f"<p><i>Searched for “{html.escape(compared.corrected)}”.</i></p>")
    for group in found:
        meeting = group.meeting
        where = f" · {html.escape(meeting.place)}" if meeting.place else ""
        parts.append(f"<h3>{html.escape(meeting_label(meeting))}{where} — "
                     f"{plural(group.total, 'passage')} in {plural(group.documents, 'document')}</h3>")
        for hit in group.hits:
            link = QUrl()
            link.setScheme("open")
            link.setPath(hit.path)
            link.setFragment(hit.passage_id)
            origin = " › ".join(x for x in (label_of(hit.path), hit.section) if x)
            parts.append(f'<p><a href="{html.escape(link.toString())}">{html.escape(origin)}</a><br>'
                         f"{snippet_html(hit.snippet)}</p>")
    silent = [short_ordinal(g.meeting.number) for g in compared.meetings if not g.hits]
    if silent:
        parts.append(f"<p><i>Nothing in the documents of the {', '.join(silent)} meeting"
                     f"{'s' if len(silent) > 1 else ''}.</i></p>")
    return "".join(parts)


class CompareView(QDialog):
    """Not modal: it stays open beside the reader while its passages are opened."""

    placeRequested = Signal(str, str)  # path, passage id
    shown = Signal()  # a comparison is on screen

    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare across meetings")
        self.operations = operations
        self.heading = plain_label(QLabel(""))
        self.page = QTextBrowser()
        self.page.setOpenLinks(False)
        self.page.anchorClicked.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.page, 1)
        self.resize(760, 640)

    def compare(self, archive: Archive, query: str) -> None:
        """Show how `query` is answered in each meeting; the searches run off the GUI thread."""
        self.heading.setText(f"“{query}” across the meetings, in the order they were held — searching…")
        self.page.clear()
        self.show()
        self.raise_()

        def shown(compared: Comparison) -> None:
            def label_of(path: str) -> str:
                try:
                    return document_label(archive.info(path))
                except Exception:  # noqa: BLE001 - a document gone meanwhile is named by its path
                    return path

            self.heading.setText(f"“{query}” across the meetings, in the order they were held: the best "
                                 f"{PER_MEETING} passages of each (click one to open it)")
            self.page.setHtml(compare_html(compared, label_of))
            self.shown.emit()

        def failed(error: BaseException, _details: str) -> None:
            self.heading.setText(f"“{query}”: {error}")
            self.shown.emit()

        self.operations.read(lambda: archive.compare(query, PER_MEETING), shown, failed)

    def _open(self, url: QUrl) -> None:
        if url.scheme() == "open":
            self.placeRequested.emit(url.path(), url.fragment())
