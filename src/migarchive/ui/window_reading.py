"""What the window does around the reader: opening a place (a passage, a mention, a note's
text), the start page in the reader's place, back and forward, the original file, comparing a
question across meetings, citations and the reader's context menu."""

from __future__ import annotations

from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMainWindow, QStackedWidget

from migarchive.core.archive import Archive
from migarchive.core.entities import Mention
from migarchive.errors import MigarchiveError
from migarchive.ui import messages, pdf_viewer
from migarchive.ui.compare_view import CompareView
from migarchive.ui.entity_panel import EntityPanel
from migarchive.ui.indexing_status import IndexingStatus
from migarchive.ui.meeting_model import meeting_label
from migarchive.ui.notes_controller import NotesController
from migarchive.ui.operations import Operations
from migarchive.ui.reader import Place, Reader
from migarchive.ui.search_panel import SearchPanel
from migarchive.ui.start_page import StartPage
from migarchive.ui.window_layout import WindowLayout


class ReadingWindow(QMainWindow):
    """The main window's reading half; `MainWindow` builds the parts named here."""

    archive: Archive | None
    reader: Reader
    reading: QStackedWidget  # the start page or the reader
    start_page: StartPage
    notes: NotesController
    search: SearchPanel
    indexing: IndexingStatus
    entity_panel: EntityPanel
    operations: Operations
    window_layout: WindowLayout
    original_action: QAction
    highlight_action: QAction
    annotate_action: QAction
    bookmark_action: QAction
    _compare_view: CompareView | None

    def show_start_page(self) -> None:
        """The archive at a glance, in the reader's place (until a document is opened)."""
        if self.archive is None or not self.archive.ready:
            return
        recent = []
        for path in self.window_layout.recent_documents():
            try:
                recent.append(self.archive.info(path))
            except MigarchiveError:
                continue  # gone from the archive since
        # The notes only when the window may use them (not while a damaged database is restored).
        overview = self.archive.overview(with_notes=self.notes.available())
        self.start_page.show_overview(overview, recent, self.indexing.running)
        self.reading.setCurrentWidget(self.start_page)

    def open_place(self, path: str, anchor: str | None = None, *, terms: tuple[str, ...] | list[str] | None = None,
                   mention: tuple[str, int] | None = None, remember: bool = True) -> bool:
        if self.archive is None:
            return False
        try:
            document = self.archive.document(path)
            where = self.archive.locate(path, anchor)
        except MigarchiveError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return False
        parts = [meeting_label(where.meeting) + " meeting" if where.meeting else "No meeting",
                 where.info.metadata.title, where.section, f"para. {where.paragraph}" if where.paragraph else None,
                 f"p. {where.page}" if where.page else None]
        self.reading.setCurrentWidget(self.reader)  # shown first: the reader scrolls to the passage as laid out
        self.reader.show_document(document, anchor, terms=list(terms) if terms else None, mention=mention,
                                  breadcrumb="  ›  ".join(p for p in parts if p), remember=remember)
        self.notes.show_in_reader(path)
        self.window_layout.document_opened(path)
        if terms and self.reader.hit_count:
            self.statusBar().showMessage(f"{messages.plural(self.reader.hit_count, 'match')} in this document — "
                                         "F3 for the next", 5000)
        return True

    def _open_mention(self, mention: Mention, name: str) -> None:
        if self.archive is None:
            return
        document = self.archive.document(mention.path)
        occurrence = document.cleaned[: mention.end].count(mention.surface) - 1
        self.open_place(mention.path, mention.passage_id, mention=(mention.surface, max(occurrence, 0)))
        self.statusBar().showMessage(f"{name}: mention in {document.metadata.title}", 5000)

    def _place_changed(self, place: Place) -> None:
        self.original_action.setEnabled(self.archive is not None and place is not None
                                        and self.archive.info(place.path).original_format is not None)
        self.entity_panel.set_document(place.path)

    def _restore_last_document(self) -> bool:
        last = self.window_layout.last_place()
        if last is not None and self.archive is not None:
            try:
                self.archive.info(last[0])
            except MigarchiveError:
                return False
            return self.open_place(*last, remember=False)
        return False

    def go_back(self) -> None:
        place = self.reader.take_back()
        if place is not None:
            self.open_place(place.path, place.anchor, remember=False)

    def go_forward(self) -> None:
        place = self.reader.take_forward()
        if place is not None:
            self.open_place(place.path, place.anchor, remember=False)

    def open_original(self) -> None:
        place = self.reader.place
        if place is None or self.archive is None:
            return
        original = self.archive.original_file(place.path)
        if original is None:
            self.statusBar().showMessage("This document has no original file; it is plain text", 4000)
            return
        page = self.archive.locate(place.path, self.reader.current_anchor() or place.anchor).page
        self.statusBar().showMessage(pdf_viewer.open_original(original, page), 10000)

    def compare_across_meetings(self) -> CompareView | None:
        """The query in the search field, else the agency or initiative selected, meeting by meeting."""
        query = self.search.field.text().strip()
        entity = self.entity_panel.selected()
        if not query and entity is not None:
            query = f'entity:"{entity.name}"'
        if not query or self.archive is None:
            self.statusBar().showMessage("Search for something, or select an agency, to compare the meetings", 5000)
            return None
        if self._compare_view is None:
            self._compare_view = CompareView(self.operations, self)
            self._compare_view.placeRequested.connect(lambda path, passage: self.open_place(path, passage))
        self._compare_view.compare(self.archive, query)
        return self._compare_view

    def citation(self) -> str | None:
        place = self.reader.place
        if place is None or self.archive is None:
            return None
        return self.archive.citation(place.path, self.reader.current_anchor() or place.anchor,
                                     self.reader.current_paragraph())

    def copy_citation(self) -> None:
        text = self.citation()
        if text is None:
            self.statusBar().showMessage("Open a document first", 3000)
            return
        QGuiApplication.clipboard().setText(text)
        self.statusBar().showMessage("Citation copied: " + text, 8000)

    def _reader_menu(self, position) -> None:  # type: ignore[no-untyped-def]
        menu = self.reader.browser.createStandardContextMenu(position)
        menu.addSeparator()
        selected = self.reader.browser.textCursor().hasSelection()
        for action in (self.highlight_action, self.annotate_action):
            action.setEnabled(selected)
            menu.addAction(action)
        menu.addAction(self.bookmark_action)
        note = self.reader.annotation_at(self.reader.browser.cursorForPosition(position).position())
        if note is not None:
            menu.addAction("Edit note…", lambda: self.notes.edit_note(f"a:{note.id}"))
            menu.addAction("Delete note", lambda: self.notes.delete_note(f"a:{note.id}"))
        menu.addSeparator()
        menu.addAction("Copy citation").triggered.connect(self.copy_citation)
        menu.exec(self.reader.browser.viewport().mapToGlobal(position))
        for action in (self.highlight_action, self.annotate_action):
            action.setEnabled(True)
