"""The search row and the results: the field with its completer, one search at a time off the GUI
thread, the results line, and the list that fetches more as it is scrolled."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSettings, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from migarchive.core.archive import SYNTAX_HELP, Archive
from migarchive.core.results import SearchResults
from migarchive.errors import MigarchiveError
from migarchive.ui import messages
from migarchive.ui.meeting_model import document_label
from migarchive.ui.operations import Operations
from migarchive.ui.plain_text import plain_label
from migarchive.ui.results_model import LabelsOf, ResultsModel
from migarchive.ui.rich_delegate import RichTextDelegate
from migarchive.ui.search_history import RECENT_SHOWN, SearchHistory

RESULTS_PAGE = 50  # results fetched at a time; the next page when the list is scrolled near its end
TYPING_PAUSE_MS = 300  # a query runs once typing pauses this long
FIELD_MIN_CHARACTERS = 20
SYNTAX_ROWS = (
    ("remittances trafficking", "passages with both words, in any form"),
    ('"New York Declaration"', "the exact phrase"),
    ("IOM OR UNHCR, migration NOT security", "boolean logic; (brackets) group"),
    ("A/RES/71/1", "a UN document symbol, verbatim"),
    ("meeting:5, year:2006", "one meeting, or meetings of one year"),
    ("org:UNITAR, kind:report", "by authoring organization or kind of document"),
    ("entity:IOM", "every passage naming an agency or initiative, under any name"),
    ("section:remittances, path:002*", "by section heading, by file"),
    ("hub in:notes", "your annotations: their quotes, notes and tags"),
)


def show_syntax(parent: QWidget) -> QMessageBox:
    body = "".join(f"<tr><td><code>{q}</code></td><td>{d}</td></tr>" for q, d in SYNTAX_ROWS)
    box = QMessageBox(QMessageBox.Icon.Information, "Search syntax",
                      f"<table cellpadding='4'>{body}</table><p>A misspelled query is corrected when it finds "
                      "nothing.</p>", parent=parent)
    box.setModal(False)
    box.show()
    return box


class SearchPanel(QWidget):
    """The field and the results line; the results list itself goes where the window puts it."""

    searched = Signal()  # the results of the latest query are shown
    placeRequested = Signal(str, str, object)  # path, passage id, the words to highlight (tuple)
    noteRequested = Signal(str)  # "a:<id>"

    def __init__(self, operations: Operations, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operations = operations
        self.history = SearchHistory(settings)
        self._names: list[str] = []  # the archive's agencies and initiatives, for the completer
        self.archive: Archive | None = None
        self.terms: tuple[str, ...] = ()
        self._running = False
        self._again = False
        self._shown: tuple[str, SearchResults] | None = None
        self.field = QLineEdit(placeholderText="Search the archive   (Ctrl+K)")
        self.field.setClearButtonEnabled(True)
        # Room for a question before the options beside it: on a small or scaled screen they
        # squeezed the field to a few letters.
        self.field.setMinimumWidth(self.field.fontMetrics().averageCharWidth() * FIELD_MIN_CHARACTERS)
        self.field.setToolTip(f"Query syntax: {SYNTAX_HELP}")
        self.field.returnPressed.connect(self._enter)
        self.field.installEventFilter(self)
        self._focus_results = False  # Enter: go to the first result once the results are shown
        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.run_search)
        self.field.textEdited.connect(lambda _text: self._typing.start())
        self.completions = QStringListModel(self)
        completer = QCompleter(self.completions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.field.setCompleter(completer)
        self.include_notes = QCheckBox("Include my notes")
        self.include_notes.setToolTip("Also search the quotes, notes and tags of your annotations "
                                      "(or write in:notes in the query)")
        self.include_notes.toggled.connect(lambda _on: self.run_search())
        self.summary = plain_label(QLabel(""))  # quotes the query and the documents' words
        # Wrapped: on one line, a long "also searched: …" widened the centre and squeezed the docks.
        self.summary.setWordWrap(True)
        self.model = ResultsModel(self)
        self.group_results = QCheckBox("One per document")
        self.group_results.setToolTip("Show each document's best passage, with how many more it has")
        self.group_results.toggled.connect(self.model.set_grouped)
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setItemDelegate(RichTextDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.setUniformItemSizes(False)
        self.results.activated.connect(self.open_result)
        self.results.clicked.connect(self.open_result)
        # As many results as the user scrolls to: the next page is fetched near the end of the list.
        self.results.verticalScrollBar().valueChanged.connect(self._maybe_load_more)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        row.addWidget(self.include_notes)
        row.addWidget(self.group_results)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        self.show_results(False)

    def bind(self, archive: Archive) -> None:
        self.archive = archive
        found = archive.entities()
        names = {e.name for e in found} | {e.acronym for e in found if e.acronym}
        self._names = sorted(names, key=str.lower)
        self._offer()
        self.model.labels = LabelsOf(lambda: (info.path for info in archive.documents()), lambda path: _label(archive, path))
        if self.field.text().strip():
            self.run_search()

    def clear(self) -> None:
        self.model.set_hits([])
        self.summary.clear()
        self._shown = None

    def focus(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def show_results(self, visible: bool) -> None:
        """Without a query the results list folds away and the reader gets the room."""
        self.results.setVisible(visible)
        self.summary.setVisible(visible)

    # -- the keyboard ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down from the field goes to the results, as in Recoll and Zotero; the completer's popup,
        # when open, takes Down first.
        if watched is self.field and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Down and self.model.rowCount():
                self.focus_results()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The line edit lets Escape through to us (a shortcut would lose to its override).
        if event.key() == Qt.Key.Key_Escape and self.field.hasFocus():
            self.field.clear()
            self.run_search()
            return
        super().keyPressEvent(event)

    def _offer(self) -> None:
        """The completer offers the recent searches first, then the agencies and initiatives."""
        recent = self.history.recent()
        self.completions.setStringList([*recent, *(n for n in self._names if n not in recent)])

    def remember(self) -> None:
        """The query in the field becomes the most recent search (not every pause in typing does:
        only a query run with Enter or whose result was opened)."""
        if self.history.remember(self.field.text()):
            self._offer()

    def run_query(self, query: str) -> None:
        """Put `query` in the field and run it (from the Search menu)."""
        self.field.setText(query)
        self.remember()
        self._enter()

    def fill_menu(self, menu: QMenu) -> None:
        """The Search menu: save the search shown, run a saved or recent one, delete a saved one."""
        save = menu.addAction("&Save this search…")
        save.setShortcut(QKeySequence("Ctrl+Shift+S"))
        save.triggered.connect(lambda _checked=False: self.save_search())
        saved = menu.addMenu("Saved searches")
        recent = menu.addMenu("&Recent searches")
        menu.addSeparator()
        delete = menu.addAction("&Delete a saved search…")
        delete.triggered.connect(lambda _checked=False: self.delete_saved_search())

        def fill(target: QMenu, entries: list[tuple[str, str]], empty: str) -> None:
            target.clear()
            for label, query in entries:
                action = target.addAction(label.replace("&", "&&"))
                action.setData(query)
                action.triggered.connect(partial(self._run_action, action))
            if not entries:
                target.addAction(empty).setEnabled(False)

        saved.aboutToShow.connect(lambda: fill(saved, [(f"{n} — {q}", q) for n, q in self.history.saved()],
                                               "No saved searches yet"))
        recent.aboutToShow.connect(lambda: fill(recent, [(q, q) for q in self.history.recent()[:RECENT_SHOWN]],
                                                "No searches yet"))

    def _run_action(self, action: QAction, _checked: bool = False) -> None:
        self.run_query(str(action.data()))

    def save_search(self) -> None:
        query = self.field.text().strip()
        if not query:
            self.window().statusBar().showMessage("Type a search first", 4000)  # type: ignore[attr-defined]
            return
        name, ok = QInputDialog.getText(self, "Save this search", "Name:", text=query)
        if ok and name.strip():
            self.history.save(name, query)
            self.window().statusBar().showMessage(f"Saved as “{' '.join(name.split())}” — Search › Saved searches",  # type: ignore[attr-defined]
                                                  5000)

    def delete_saved_search(self) -> None:
        names = [name for name, _query in self.history.saved()]
        if not names:
            self.window().statusBar().showMessage("There are no saved searches", 4000)  # type: ignore[attr-defined]
            return
        name, ok = QInputDialog.getItem(self, "Delete a saved search", "Saved search:", names, 0, False)
        if ok:
            self.history.delete(name)

    def _enter(self) -> None:
        self.remember()
        shown = self._shown is not None and self._shown[0] == self.field.text().strip() and not self._running
        if shown and self.model.rowCount():
            self.focus_results()
            return
        self._focus_results = True
        self.run_search()

    def focus_results(self) -> None:
        """The first result selected and the keyboard in the list: Enter opens it, arrows move."""
        self._focus_results = False
        if not self.model.rowCount():
            return
        self.results.setFocus()
        current = self.results.currentIndex()
        if not current.isValid():
            self.results.setCurrentIndex(self.model.index(0, 0))

    # -- searching -------------------------------------------------------------------------------

    def run_search(self) -> None:
        self._typing.stop()
        query = self.field.text().strip()
        if not query:
            self.clear()
            self.show_results(False)
            self.searched.emit()
            return
        self.show_results(True)
        if self.archive is None or not self.archive.ready:
            self.summary.setText("The archive is still opening…")
            self.searched.emit()
            return
        if self._running:
            # One search at a time; when it is done, the query then in the field is run.
            self._again = True
            return
        archive, with_notes = self.archive, self.include_notes.isChecked()
        self._start(lambda: archive.search(query, limit=RESULTS_PAGE, include_notes=with_notes),
                    lambda results: self._searched(query, results))

    def _start(self, work, then) -> None:  # type: ignore[no-untyped-def]
        self._running, self._again = True, False
        # Off the GUI thread: a common word in a large archive can take a while.
        self.operations.read(work, then, self._failed)

    def _done(self) -> bool:
        """Whether these results are still wanted (else the newer query is run instead)."""
        self._running = False
        if self._again:
            self.run_search()
            return False
        return True

    def _failed(self, error: BaseException, details: str) -> None:
        if not self._done():
            return
        self.model.set_hits([])
        self.summary.setText(messages.sentence(messages.describe_failure(error, details)))
        if not isinstance(error, MigarchiveError):
            raise error
        self.searched.emit()

    def _searched(self, query: str, results: SearchResults) -> None:
        if not self._done():
            return
        self.terms = results.terms
        notes = messages.plural(len(results.notes), "note") if results.notes or results.notes_only else None
        if results.notes_only:
            summary = notes or ""
        else:
            summary = (f"{messages.plural(results.total, 'passage')} in "
                       f"{messages.plural(results.documents, 'document')}")
            if results.total > len(results.hits) and not results.corrected:
                summary += f" · the best {len(results.hits)} first, more as you scroll"
            # What was done to the query: corrected, loosened, also searched, did you mean.
            summary = " · ".join([summary, *map(messages.sentence, results.describe(("“", "”")))])
            if notes:
                summary = f"{notes} · {summary}"
        self.summary.setText(summary)
        self.model.set_hits([*results.notes, *results.hits], dict(results.per_document or {}))
        self._shown = (query, results)
        if self._focus_results:
            self.focus_results()
        self.searched.emit()

    def _maybe_load_more(self, value: int) -> None:
        bar = self.results.verticalScrollBar()
        if value >= bar.maximum() - bar.pageStep() // 2:
            self.load_more()

    def load_more(self) -> bool:
        """Fetch the next page of the results shown; False when there is nothing more or a
        search is running."""
        shown = self._shown
        if shown is None or self._running or self.archive is None:
            return False
        query, results = shown
        if results.notes_only or len(results.hits) >= results.total:
            return False
        archive, limit = self.archive, len(results.hits) + RESULTS_PAGE
        self._start(lambda: archive.search(query, limit=limit), lambda more: self._loaded_more(query, more))
        return True

    def _loaded_more(self, query: str, results: SearchResults) -> None:
        if not self._done() or self._shown is None or self._shown[0] != query:
            return
        self._shown = (query, results)
        self.model.add_hits(results.hits)
        self.searched.emit()

    def open_result(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        hit = self.model.hit(index.row())
        self.remember()
        if hit.note_id is not None:
            self.noteRequested.emit(f"a:{hit.note_id}")
        else:
            self.placeRequested.emit(hit.path, hit.passage_id, self.terms)


def _label(archive: Archive, path: str) -> str | None:
    try:
        return document_label(archive.info(path))
    except MigarchiveError:
        return None
