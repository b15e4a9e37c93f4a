"""The main window: meeting tree, search and reader, agencies & initiatives; menus and settings.

The archive is opened and its index brought up to date in a worker; the window is usable at once,
fills in when the worker reports back, and keeps answering searches while a re-index runs.
"""

from __future__ import annotations

import gc
import json
import re
import time
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QModelIndex,
    QSettings,
    QSortFilterProxyModel,
    QStringListModel,
    Qt,
    QThreadPool,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QHBoxLayout,
    QDialog,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from migarchive.core import importing, isolation
from migarchive.core.atomic import write_atomically
from migarchive.core.archive import AddReport, Archive, SyncReport
from migarchive.core.citation import cite
from migarchive.core.entities import Mention
from migarchive.core.model import Document, Skipped
from migarchive.core.notes import exchange
from migarchive.core.notes.model import Annotation, Bookmark
from migarchive.core.notes.store import NotesStore
from migarchive.core.search import SYNTAX_HELP, Hit, SearchResults
from migarchive.errors import MigarchiveError, NotesCorrupt, NotesProblem, UserError
from migarchive.paths import AppPaths
from migarchive.ui import pdf_viewer, tasks
from migarchive.ui.about import AboutDialog
from migarchive.ui.add_documents import FILE_FILTER, CorrectionsDialog, dropped_files
from migarchive.ui.annotate_dialog import AnnotateDialog
from migarchive.ui.entity_panel import EntityPanel
from migarchive.ui.note_commands import AddNote, DeleteNote, EditAnnotation, NoteCommand
from migarchive.ui.notes_panel import NotesPanel
from migarchive.ui.plain_text import LiteralToolTips, plain_label
from migarchive.ui.meeting_model import MeetingTreeModel, document_label, meeting_label
from migarchive.ui.reader import Place, Reader
from migarchive.ui.results_model import ResultsModel
from migarchive.ui.rich_delegate import RichTextDelegate
from migarchive.ui.roles import PassageRole, PathRole, SectionRole

NOTE_HIT = "note:"  # results rows that are the user's notes, not passages
_FILTER_TOKEN = re.compile(r'\b\w+:(?:"[^"]*"|\S+)')
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
PROGRESS_DELAY_MS = 500  # short work finishes before a progress bar would only flicker


RESULTS_PAGE = 50  # results fetched at a time; the next page when the list is scrolled near its end


def query_terms(query: str) -> list[str]:
    """The words of a query worth highlighting: no filters, operators or syntax."""
    text = _FILTER_TOKEN.sub(" ", query)
    return [w for w in re.findall(r"[\w/.'’-]+", text) if w not in _OPERATORS and len(w) > 1]


class MainWindow(QMainWindow):
    ready = Signal()  # the archive is open and every view shows it
    searched = Signal()  # the results of the latest query are shown

    def __init__(self, paths: AppPaths, settings: QSettings | None = None) -> None:
        super().__init__()
        self.paths = paths
        self.settings = settings or QSettings()
        self.archive: Archive | None = None
        self._task: tasks.Task | None = None
        self._after_indexing = None
        self._search_task: tasks.Task | None = None
        self._search_again = False
        self._search_pool = QThreadPool(self)
        self._search_pool.setMaxThreadCount(1)
        self._started = time.perf_counter()
        self._restored = False
        self._terms: list[str] = []
        self.setWindowTitle(f"migarchive — {paths.corpus.name}")
        self.resize(1400, 860)
        self._build_tree()
        self._build_centre()
        self._build_entities()
        self._build_notes()
        self._search_row.addWidget(self.include_notes)
        self._search_row.addWidget(self.group_results)
        self._build_status()
        self._build_menus()
        self.resizeDocks([self.tree_dock, self.entity_dock], [300, 380], Qt.Orientation.Horizontal)
        for view in (self.tree, self.results, self.entity_panel.tree, self.entity_panel.mentions, self.notes_panel.tree):
            LiteralToolTips(view)  # titles and quotes in tooltips are text, not markup
        self._show_results(False)
        self._restore_layout()
        self.setAcceptDrops(True)
        self.reindex()

    # -- construction ----------------------------------------------------------------------------

    def _build_tree(self) -> None:
        self.tree_model = MeetingTreeModel(self)
        self.tree_proxy = QSortFilterProxyModel(self)
        self.tree_proxy.setSourceModel(self.tree_model)
        self.tree_proxy.setRecursiveFilteringEnabled(True)
        self.tree_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tree_proxy.setFilterRole(Qt.ItemDataRole.ToolTipRole)  # titles, kinds, organizations
        self.tree = QTreeView()
        self.tree.setModel(self.tree_proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.activated.connect(self._open_from_tree)
        self.tree.clicked.connect(self._open_from_tree)
        self.tree_filter = QLineEdit(placeholderText="Filter meetings and documents")
        self.tree_filter.setClearButtonEnabled(True)
        self.tree_filter.textChanged.connect(self._filter_tree)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree_filter)
        layout.addWidget(self.tree)
        self.tree_dock = QDockWidget("Meetings", self)
        self.tree_dock.setObjectName("meetings")
        self.tree_dock.setWidget(panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.tree_dock)

    def _build_centre(self) -> None:
        self.search_field = QLineEdit(placeholderText="Search the archive   (Ctrl+K)")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setToolTip(f"Query syntax: {SYNTAX_HELP}")
        self.search_field.returnPressed.connect(self.run_search)
        self._search_timer = QTimer(self, singleShot=True, interval=300)
        self._search_timer.timeout.connect(self.run_search)
        self.search_field.textEdited.connect(lambda _text: self._search_timer.start())
        self.completions = QStringListModel(self)
        completer = QCompleter(self.completions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.search_field.setCompleter(completer)
        self.result_summary = plain_label(QLabel(""))  # quotes the query and the documents' words
        self.results_model = ResultsModel(self)
        self.results = QListView()
        self.results.setModel(self.results_model)
        self.results.setItemDelegate(RichTextDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.setUniformItemSizes(False)
        self.results.activated.connect(self._open_result)
        # As many results as the user scrolls to: the next page is fetched near the end of the list.
        self.results.verticalScrollBar().valueChanged.connect(self._maybe_load_more)
        self._shown: tuple[str, SearchResults] | None = None
        self.results.clicked.connect(self._open_result)
        self.reader = Reader()
        self.reader.placeChanged.connect(self._place_changed)
        self.reader.browser.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.reader.browser.customContextMenuRequested.connect(self._reader_menu)

        # The search row stays put; results and reader share a splitter, and a hidden results list
        # (no query) leaves all the room to the reader.
        centre_widget = QWidget()
        layout = QVBoxLayout(centre_widget)
        layout.setContentsMargins(4, 4, 4, 0)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_field, 1)
        self._search_row = search_row
        layout.addLayout(search_row)
        layout.addWidget(self.result_summary)
        self.centre = QSplitter(Qt.Orientation.Vertical)
        self.centre.setObjectName("centre")
        self.centre.addWidget(self.results)
        self.centre.addWidget(self.reader)
        self.centre.setSizes([260, 560])
        layout.addWidget(self.centre, 1)
        self.setCentralWidget(centre_widget)

    def _build_entities(self) -> None:
        self.entity_panel = EntityPanel()
        self.entity_panel.mentionActivated.connect(self._open_mention)
        self.entity_dock = QDockWidget("Agencies && initiatives", self)
        self.entity_dock.setObjectName("entities")
        self.entity_dock.setWidget(self.entity_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.entity_dock)

    def _build_notes(self) -> None:
        self.undo_stack = QUndoStack(self)
        self.undo_stack.indexChanged.connect(lambda _i: self.refresh_notes())
        self.notes_panel = NotesPanel()
        self.notes_panel.noteActivated.connect(self.open_note)
        self.notes_panel.editRequested.connect(self.edit_note)
        self.notes_panel.deleteRequested.connect(self.delete_note)
        self.notes_dock = QDockWidget("Notes", self)
        self.notes_dock.setObjectName("notes")
        self.notes_dock.setWidget(self.notes_panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.notes_dock)
        self.tabifyDockWidget(self.tree_dock, self.notes_dock)
        self.tree_dock.raise_()
        self.include_notes = QCheckBox("Include my notes")
        self.include_notes.setToolTip("Also search the quotes, notes and tags of your annotations "
                                      "(or write in:notes in the query)")
        self.include_notes.toggled.connect(lambda _on: self.run_search())
        self.group_results = QCheckBox("One per document")
        self.group_results.setToolTip("Show each document's best passage, with how many more it has")
        self.group_results.toggled.connect(self.results_model.set_grouped)
        self._notes_store: NotesStore | None = None
        self._notes_disabled = False

    def _build_status(self) -> None:
        self.counts_label = QLabel("")
        self.progress = QProgressBar(maximumWidth=220, visible=False)
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.progress)
        self._progress_timer = QTimer(self, singleShot=True, interval=PROGRESS_DELAY_MS)
        self._progress_timer.timeout.connect(lambda: self.progress.setVisible(self._task is not None))

    def _action(self, text: str, slot, *shortcuts: str | QKeySequence.StandardKey, tip: str = "") -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        keys = [QKeySequence(s) for s in shortcuts]
        if keys:
            action.setShortcuts(keys)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work wherever the focus is
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self._action("&Open archive folder…", self.choose_archive, QKeySequence.StandardKey.Open))
        self.add_action = self._action("&Add documents…", self.add_documents, "Ctrl+Shift+O",
                                       tip="Copy PDF, Word, web or text files into the archive and index them "
                                       "(or drop them on the window)")
        file_menu.addAction(self.add_action)
        self.original_action = self._action("Open original &file", self.open_original, "Ctrl+Alt+O",
                                            tip="Open the PDF (or Word, web) file this document was extracted from")
        self.original_action.setEnabled(False)
        file_menu.addAction(self.original_action)
        self.reindex_action = self._action("&Re-index", lambda: self.reindex(rebuild=True), "Ctrl+R",
                                           tip="Rebuild the search index from the corpus folder")
        file_menu.addAction(self.reindex_action)
        self.skipped_action = self._action("Skipped files…", self.show_skipped)
        self.skipped_action.setEnabled(False)
        file_menu.addAction(self.skipped_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("Export notes as &Markdown…", lambda: self.export_notes("markdown")))
        file_menu.addAction(self._action("Export notes as &JSON (Web Annotation)…", lambda: self.export_notes("json")))
        file_menu.addAction(self._action("&Import notes…", self.import_notes))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))

        edit = bar.addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts(QKeySequence.StandardKey.Redo)
        edit.addActions([undo, redo])
        edit.addSeparator()
        self.highlight_action = self._action("&Highlight selection", self.highlight, "Ctrl+H")
        self.annotate_action = self._action("&Annotate selection…", self.annotate, "Ctrl+Shift+A")
        self.bookmark_action = self._action("&Bookmark passage", self.bookmark, "Ctrl+D")
        edit.addActions([self.highlight_action, self.annotate_action, self.bookmark_action])
        edit.addSeparator()
        edit.addAction(self._action("&Search the archive", self.focus_search, "Ctrl+K", "Ctrl+L"))
        edit.addAction(self._action("&Find in document…", self.reader.open_find, QKeySequence.StandardKey.Find))
        edit.addAction(self._action("Copy &citation", self.copy_citation, "Ctrl+Shift+C",
                                    tip="Copy a citation of the passage in view"))

        view = bar.addMenu("&View")
        view.addAction(self._action("&Next match", lambda: self.reader.next_hit(1), "F3"))
        view.addAction(self._action("&Previous match", lambda: self.reader.next_hit(-1), "Shift+F3"))
        view.addSeparator()
        view.addAction(self._action("&Back", self.go_back, "Alt+Left"))
        view.addAction(self._action("&Forward", self.go_forward, "Alt+Right"))
        view.addSeparator()
        view.addAction(self._action("Zoom &in", lambda: self._zoom(1), "Ctrl+=", "Ctrl++"))
        view.addAction(self._action("Zoom &out", lambda: self._zoom(-1), "Ctrl+-"))
        view.addSeparator()
        for action, key in ((self.tree_dock.toggleViewAction(), "Ctrl+Shift+M"),
                            (self.entity_dock.toggleViewAction(), "Ctrl+Shift+E")):
            action.setShortcut(QKeySequence(key))
            view.addAction(action)
        view.addSeparator()
        view.addAction(self._action("Go to meetings", lambda: self._focus(self.tree, self.tree_dock), "Ctrl+1"))
        view.addAction(self._action("Go to results", lambda: self.results.setFocus(), "Ctrl+2"))
        view.addAction(self._action("Go to reader", lambda: self.reader.browser.setFocus(), "Ctrl+3"))
        view.addAction(self._action("Go to agencies && initiatives",
                                    lambda: self._focus(self.entity_panel.tree, self.entity_dock), "Ctrl+4"))
        view.addAction(self._action("Go to notes", lambda: self._focus(self.notes_panel.tree, self.notes_dock),
                                    "Ctrl+5"))

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("Search &syntax", self.show_syntax, "F1"))
        help_menu.addAction(self._action("&About migarchive", self.show_about))

    # -- settings --------------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        centre = self.settings.value("window/centre")
        if isinstance(centre, QByteArray):
            self.centre.restoreState(centre)
        zoom = int(self.settings.value("reader/zoom", 0) or 0)
        if zoom:
            self.reader.zoom_by(zoom)
        self.entity_panel.set_scope(self.settings.value("entities/scope", "archive") != "document")

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/centre", self.centre.saveState())
        self.settings.setValue("reader/zoom", self.reader.zoom)
        self.settings.setValue("entities/scope", "document" if self.entity_panel.scope.currentIndex() == 0 else "archive")
        place = self.reader.place
        if place is not None:
            self.settings.setValue("last/corpus", str(self.paths.corpus))
            self.settings.setValue("last/path", place.path)
            self.settings.setValue("last/anchor", self.reader.current_anchor() or place.anchor or "")
        self.settings.sync()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.save_settings()
        self._search_pool.waitForDone(10_000)  # a search still running uses the archive
        if self._task is None and self.archive is not None:
            self.archive.close()
        super().closeEvent(event)

    # -- indexing --------------------------------------------------------------------------------

    def reindex(self, rebuild: bool = False) -> None:
        current = self.archive if self.archive is not None and self.archive.paths == self.paths else None
        paths = self.paths

        def work(progress):  # type: ignore[no-untyped-def]
            # Made here, not in the GUI thread: creating the index folder can fail (read-only data
            # directory), and that must reach `_index_failed` as a message, not escape the window.
            archive = current or Archive(paths)
            return archive, archive.sync(rebuild=rebuild, progress=progress)

        if self._run_indexing(work):
            self.statusBar().showMessage("Opening the archive…")

    def _run_indexing(self, work, then=None) -> bool:  # type: ignore[no-untyped-def]
        """Run `work(progress) -> (archive, SyncReport)` in a worker, then `then()` on the GUI thread."""
        if self._task is not None:
            self.statusBar().showMessage("Indexing is already running; try again when it has finished", 4000)
            return False
        self.reindex_action.setEnabled(False)
        self.add_action.setEnabled(False)
        self._after_indexing = then
        self._task = tasks.Task(work)
        self._task.signals.progress.connect(self._show_progress)
        self._task.signals.finished.connect(self._indexed)
        self._task.signals.failed.connect(self._index_failed)
        self._progress_timer.start()
        tasks.start(self._task)
        return True

    def _show_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.statusBar().showMessage(f"Indexing {done}/{total}: {message}")

    def _indexed(self, result: tuple[Archive, SyncReport]) -> None:
        self._task = None
        self._progress_timer.stop()
        self.progress.setVisible(False)
        self.reindex_action.setEnabled(True)
        self.add_action.setEnabled(True)
        previous, (self.archive, report) = self.archive, result
        if previous is not None and previous is not self.archive:
            previous.close()
        self.tree_model.set_meetings(*self.archive.meetings())
        self.tree.expandToDepth(0)
        self.entity_panel.bind(self.archive)
        names = {e.name for e in self.archive.entities()} | {e.acronym for e in self.archive.entities() if e.acronym}
        self.completions.setStringList(sorted(names, key=str.lower))
        self.results_model.labels = {info.path: document_label(info) for info in self.archive.documents()}
        self.counts_label.setText(f"{report.documents} documents · {report.passages} passages")
        self._report_skipped(report.skipped)
        if self.search_field.text().strip():
            self.run_search()
        if report.reanchored or report.orphaned:
            self.statusBar().showMessage(f"Notes: {report.reanchored} found again in changed documents, "
                                         f"{report.orphaned} orphaned (see the Notes tab)", 10000)
        if report.notice:
            self.statusBar().showMessage(report.notice[:1].upper() + report.notice[1:], 15000)
        self.refresh_notes()
        if not self._restored:
            self._restored = True
            self._restore_last_document()
            # What is alive once the archive is open (Qt, the modules, the gazetteer, the archive)
            # lives as long as the window: taken out of the cyclic collector's full passes, which
            # otherwise walk it all (~50 ms, the GIL held) again and again while an index is built.
            gc.freeze()
        then, self._after_indexing = self._after_indexing, None
        if then is not None:
            then()
        self.ready.emit()

    def _index_failed(self, error: Exception, details: str) -> None:
        self._task = None
        self._after_indexing = None
        self._progress_timer.stop()
        self.progress.setVisible(False)
        self.reindex_action.setEnabled(True)
        self.add_action.setEnabled(True)
        if isinstance(error, MigarchiveError):
            text = str(error)
        else:
            # A bug, not the user's files (those are skipped one by one): kept for the bug report,
            # and the window stays usable.
            isolation.log.error("indexing failed: %s\n%s", error, details.rstrip())
            text = f"unexpected error ({type(error).__name__}: {error}); the details are in {isolation.LOG_NAME} " \
                   "in the data directory"
        if self.archive is not None and self.archive.ready:
            # e.g. the disk filled up during a re-index: the index from before is intact and in use
            self.statusBar().showMessage(f"The index could not be updated: {text}. Searching uses the index "
                                         "from before.")
        else:
            self.statusBar().showMessage(f"The archive could not be opened: {text}")

    def _report_skipped(self, skipped: tuple[Skipped, ...]) -> None:
        self._skipped = skipped
        self.skipped_action.setEnabled(bool(skipped))
        self.skipped_action.setText(f"Skipped files ({len(skipped)})…" if skipped else "Skipped files…")
        if skipped:
            many = len(skipped) != 1
            self.statusBar().showMessage(f"{len(skipped)} file{'s' if many else ''} could not be read and "
                                         f"{'were' if many else 'was'} skipped — see File › Skipped files", 15000)
        else:
            self.statusBar().showMessage("Ready", 3000)

    def show_skipped(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Skipped files")
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel("These files in the archive folder were not indexed:"))
        listing = QListWidget()
        listing.addItems([f"{s.path} — {s.reason}" for s in getattr(self, "_skipped", ())])
        layout.addWidget(listing)
        dialog.resize(560, 300)
        dialog.setModal(False)
        dialog.show()
        self._skipped_dialog = dialog

    def choose_archive(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open an archive folder", str(self.paths.corpus))
        if folder:
            self.open_archive(Path(folder))

    def open_archive(self, folder: Path) -> None:
        if self._task is not None:
            self.statusBar().showMessage("Wait for the current indexing to finish", 4000)
            return
        self.paths = AppPaths(corpus=folder.resolve(), data_dir=self.paths.data_dir)
        self.settings.setValue("archive/corpus", str(self.paths.corpus))
        self.setWindowTitle(f"migarchive — {self.paths.corpus.name}")
        self.reader.clear()
        self.results_model.set_hits([])
        self.result_summary.clear()
        self.reindex()

    # -- adding documents ------------------------------------------------------------------------

    def add_documents(self, files: list[Path] | None = None) -> None:
        if self.archive is None:
            self.statusBar().showMessage("Wait until the archive is open", 4000)
            return
        if files is None:
            names, _filter = QFileDialog.getOpenFileNames(self, "Add documents to the archive",
                                                          str(self.settings.value("add/folder", str(Path.home()))),
                                                          FILE_FILTER)
            files = [Path(name) for name in names]
            if files:
                self.settings.setValue("add/folder", str(files[0].parent))
        if not files:
            return
        archive = self.archive
        outcome: dict[str, AddReport] = {}

        def work(progress):  # type: ignore[no-untyped-def]
            outcome["report"] = archive.add(files, progress=progress)
            return archive, archive.last_report

        if self._run_indexing(work, lambda: self._documents_added(outcome["report"])):
            self.statusBar().showMessage(f"Adding {len(files)} file{'s' if len(files) != 1 else ''}…")

    def _documents_added(self, report: AddReport) -> None:
        assert self.archive is not None
        added = report.added
        already = [p for p in report.placed if p.status == importing.ALREADY]
        failed = [(str(p.source.name), p.reason) for p in report.placed if p.status == importing.FAILED]
        failed += [(path, reason) for path, reason in report.unreadable.items()]
        parts = [f"Added {len(added)} document{'s' if len(added) != 1 else ''}"]
        if already:
            parts.append(f"{len(already)} already in the archive")
        if failed:
            parts.append(f"{len(failed)} not added ({failed[0][0]}: {failed[0][1]}"
                         f"{'; …' if len(failed) > 1 else ''})")
        self.statusBar().showMessage(", ".join(parts), 15000)
        shown = added[0] if added else already[0].path if already else None
        if shown:
            self.open_place(shown)
        unsure = [(self.archive.info(path), importing.unsure_fields(self.archive.info(path))) for path in added]
        unsure = [(info, fields) for info, fields in unsure if fields]
        if unsure:
            dialog = CorrectionsDialog(unsure, self)
            dialog.accepted.connect(lambda: self._save_corrections(dialog.corrections()))
            dialog.open()
            self._corrections_dialog = dialog

    def _save_corrections(self, corrections: dict[str, dict[str, object]]) -> None:
        if not corrections or self.archive is None:
            return
        archive = self.archive

        def work(progress):  # type: ignore[no-untyped-def]
            return archive, archive.correct_metadata(corrections, progress=progress)

        def done() -> None:
            self.statusBar().showMessage(f"Corrections saved for {len(corrections)} document"
                                         f"{'s' if len(corrections) != 1 else ''}", 8000)
            path = next(iter(corrections))
            self.open_place(path)

        self._run_indexing(work, done)

    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        files = dropped_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.add_documents(files)

    def open_original(self) -> None:
        place = self.reader.place
        if place is None or self.archive is None:
            return
        original = self.archive.original_file(place.path)
        if original is None:
            self.statusBar().showMessage("This document has no original file; it is plain text", 4000)
            return
        page = self._page_of(place.path, self.reader.current_anchor() or place.anchor)
        if page and original.suffix.lower() == ".pdf" and pdf_viewer.open_at_page(original.resolve(), page):
            self.statusBar().showMessage(f"Opened {original.name} at page {page}", 10000)
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(original.resolve()))):
            self.statusBar().showMessage(f"No program to open {original.name} with", 8000)
            return
        where = f" — the passage you are reading is on page {page}" if page else ""
        self.statusBar().showMessage(f"Opened {original.name} in the system viewer{where}", 10000)

    def _page_of(self, path: str, anchor: str | None) -> int | None:
        document = self.reader.document if self.reader.document and self.reader.document.path == path else None
        return _page_in(document, anchor) if document is not None else None

    # -- search ----------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def clear_search(self) -> None:
        self.search_field.clear()
        self.run_search()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # The line edit lets Escape through to us (a shortcut would lose to its override).
        if event.key() == Qt.Key.Key_Escape and self.search_field.hasFocus():
            self.clear_search()
            return
        super().keyPressEvent(event)

    def _show_results(self, visible: bool) -> None:
        """Without a query the results list folds away and the reader gets the room."""
        self.results.setVisible(visible)
        self.result_summary.setVisible(visible)

    def run_search(self) -> None:
        self._search_timer.stop()
        query = self.search_field.text().strip()
        if not query:
            self.results_model.set_hits([])
            self.result_summary.clear()
            self._show_results(False)
            self.searched.emit()
            return
        self._show_results(True)
        if self.archive is None or not self.archive.ready:
            self.result_summary.setText("The archive is still opening…")
            self.searched.emit()
            return
        notes_only = bool(re.search(r"(?<!\S)in:notes(?!\S)", query))
        if notes_only or self.include_notes.isChecked():
            note_hits = self._note_hits(re.sub(r"(?<!\S)in:notes(?!\S)", " ", query).strip())
        else:
            note_hits = []
        if notes_only:
            self._terms = query_terms(re.sub(r"(?<!\S)in:notes(?!\S)", " ", query))
            self.result_summary.setText(f"{len(note_hits)} note{'s' if len(note_hits) != 1 else ''}")
            self.results_model.set_hits(note_hits)
            self.searched.emit()
            return
        if self._search_task is not None:
            # One search at a time; when it is done, the query then in the field is run.
            self._search_again = True
            return
        archive = self.archive
        task = tasks.Task(lambda _progress: archive.search(query, limit=RESULTS_PAGE))
        task.signals.finished.connect(lambda results: self._searched(query, note_hits, results))
        task.signals.failed.connect(lambda error, _details: self._search_failed(note_hits, error))
        self._search_task = task
        self._search_again = False
        # Off the GUI thread: a common word in a large archive takes Whoosh most of a second.
        tasks.start(task, self._search_pool)

    def _search_done(self) -> bool:
        """Whether these results are still wanted (else the newer query is run instead)."""
        self._search_task = None
        if self._search_again:
            self.run_search()
            return False
        return True

    def _search_failed(self, note_hits: list[Hit], error: Exception) -> None:
        if not self._search_done():
            return
        if not isinstance(error, MigarchiveError):
            raise error
        self.results_model.set_hits(note_hits)
        self.result_summary.setText(str(error))
        self.searched.emit()

    def _searched(self, query: str, note_hits: list[Hit], results: SearchResults) -> None:
        if not self._search_done():
            return
        self._terms = query_terms(results.corrected or query)
        summary = (f"{results.total} passage{'s' if results.total != 1 else ''} in {results.documents} "
                   f"document{'s' if results.documents != 1 else ''}")
        if results.total > len(results.hits) and not results.corrected:
            summary += f" · the best {len(results.hits)} first, more as you scroll"
        # What was done to the query: corrected, loosened, also searched, did you mean.
        summary = " · ".join([summary, *(note[:1].upper() + note[1:] for note in results.describe(("“", "”")))])
        if note_hits:
            summary = f"{len(note_hits)} note{'s' if len(note_hits) != 1 else ''} · " + summary
        self.result_summary.setText(summary)
        self.results_model.set_hits([*note_hits, *results.hits], dict(results.per_document or {}))
        self._shown = (query, results)
        self.searched.emit()

    def _maybe_load_more(self, value: int) -> None:
        bar = self.results.verticalScrollBar()
        if value < bar.maximum() - bar.pageStep() // 2:
            return
        self.load_more()

    def load_more(self) -> bool:
        """Fetch the next page of the results shown; False when there is nothing more or a
        search is running."""
        shown = self._shown
        if shown is None or self._search_task is not None or self.archive is None:
            return False
        query, results = shown
        if len(results.hits) >= results.total:
            return False
        archive, limit = self.archive, len(results.hits) + RESULTS_PAGE
        task = tasks.Task(lambda _progress: archive.search(query, limit=limit))
        task.signals.finished.connect(lambda more: self._loaded_more(query, more))
        task.signals.failed.connect(lambda error, _details: self._search_failed([], error))
        self._search_task = task
        self._search_again = False
        tasks.start(task, self._search_pool)
        return True

    def _loaded_more(self, query: str, results: SearchResults) -> None:
        if not self._search_done() or self._shown is None or self._shown[0] != query:
            return
        self._shown = (query, results)
        self.results_model.add_hits(results.hits)
        self.searched.emit()

    def _open_result(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        passage = index.data(PassageRole)
        if passage.startswith(NOTE_HIT):
            self.open_note("a:" + passage.removeprefix(NOTE_HIT))
        else:
            self.open_place(index.data(PathRole), passage, terms=self._terms)

    def _note_hits(self, text: str) -> list[Hit]:
        store = self.notes_store()
        if store is None or self.archive is None or not text:
            return []
        hits = []
        for annotation in store.search(text):
            meeting = None
            try:
                info = self.archive.info(annotation.path)
                meeting = info.metadata.meeting.number if info.metadata.meeting else None
                title = info.metadata.title
            except MigarchiveError:
                title = annotation.path
            snippet = f"Note on **{annotation.exact[:160]}**" + (f" — {annotation.note[:200]}" if annotation.note else "")
            hits.append(Hit(annotation.path, title, meeting, "your note" + (" (orphaned)" if annotation.orphaned
                                                                              else ""),
                            None, NOTE_HIT + annotation.id, 0.0, snippet))
        return hits

    # -- reading ---------------------------------------------------------------------------------

    def _filter_tree(self, text: str) -> None:
        self.tree_proxy.setFilterFixedString(text)
        if text:
            self.tree.expandAll()

    def _open_from_tree(self, index: QModelIndex) -> None:
        path = index.data(PathRole)
        if path:
            self.open_place(path, index.data(SectionRole))

    def open_place(self, path: str, anchor: str | None = None, *, terms: list[str] | None = None,
                   mention: tuple[str, int] | None = None, remember: bool = True) -> bool:
        if self.archive is None:
            return False
        try:
            document = self.archive.document(path)
        except MigarchiveError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return False
        page = _page_in(document, anchor)
        self.reader.show_document(document, anchor, terms=terms, mention=mention,
                                  breadcrumb=self._breadcrumb(path, anchor, page), remember=remember)
        store = self.notes_store()
        if store is not None:
            self.reader.set_annotations(store.annotations(path))
        if terms and self.reader.hit_count:
            count = self.reader.hit_count
            self.statusBar().showMessage(f"{count} match{'es' if count != 1 else ''} in this document — F3 for the next",
                                         5000)
        return True

    def _breadcrumb(self, path: str, anchor: str | None, page: int | None = None) -> str:
        assert self.archive is not None
        info = self.archive.info(path)
        meeting = self.archive.meeting_of(path)
        section = self._section_title(path, anchor)
        parts = [meeting_label(meeting) + " meeting" if meeting else "No meeting", info.metadata.title, section,
                 f"p. {page}" if page else None]
        return "  ›  ".join(p for p in parts if p)

    def _section_title(self, path: str, anchor: str | None) -> str | None:
        if self.archive is None or not anchor:
            return None
        info = self.archive.info(path)
        titles = {s.id: s.title for s in info.sections}
        if anchor in titles:
            return titles[anchor]
        document = self.reader.document if self.reader.document and self.reader.document.path == path else None
        document = document or self.archive.document(path)
        passage = next((p for p in document.passages if p.id == anchor), None)
        return titles.get(passage.section_id) if passage and passage.section_id else None

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

    def _restore_last_document(self) -> None:
        path = self.settings.value("last/path")
        if path and self.settings.value("last/corpus") == str(self.paths.corpus) and self.archive is not None:
            try:
                self.archive.info(str(path))
            except MigarchiveError:
                return
            self.open_place(str(path), str(self.settings.value("last/anchor") or "") or None, remember=False)

    def go_back(self) -> None:
        place = self.reader.take_back()
        if place is not None:
            self.open_place(place.path, place.anchor, remember=False)

    def go_forward(self) -> None:
        place = self.reader.take_forward()
        if place is not None:
            self.open_place(place.path, place.anchor, remember=False)

    def _zoom(self, steps: int) -> None:
        self.reader.zoom_by(steps)

    def _focus(self, widget: QWidget, dock: QDockWidget) -> None:
        dock.show()
        widget.setFocus()

    def citation(self) -> str | None:
        place = self.reader.place
        if place is None or self.archive is None:
            return None
        anchor = self.reader.current_anchor() or place.anchor
        return cite(self.archive.info(place.path), self.archive.meeting_of(place.path),
                    self._section_title(place.path, anchor), self._page_of(place.path, anchor))

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
            menu.addAction("Edit note…", lambda: self.edit_note(f"a:{note.id}"))
            menu.addAction("Delete note", lambda: self.delete_note(f"a:{note.id}"))
        menu.addSeparator()
        action = menu.addAction("Copy citation")
        action.triggered.connect(self.copy_citation)
        menu.exec(self.reader.browser.viewport().mapToGlobal(position))
        for action in (self.highlight_action, self.annotate_action):
            action.setEnabled(True)

    # -- notes -----------------------------------------------------------------------------------

    def notes_store(self) -> NotesStore | None:
        """The notes database, opened on first use; a damaged one is reported once, with the offer
        of its latest backup, and the app goes on without notes rather than touching it."""
        if self._notes_store is not None and not self._notes_store.closed:
            return self._notes_store
        if self.archive is None or self._notes_disabled:
            return None
        try:
            self._notes_store = self.archive.notes
        except NotesCorrupt as exc:
            self._notes_store = self._offer_backup(exc)
        except NotesProblem as exc:
            self._notes_disabled = True
            QMessageBox.warning(self, "Notes unavailable", f"{exc}\n\nThe archive works; notes are turned off "
                                "for this session and nothing was changed.")
        return self._notes_store

    def _offer_backup(self, error: NotesCorrupt) -> NotesStore | None:
        assert self.archive is not None
        if not error.backups:
            self._notes_disabled = True
            QMessageBox.critical(self, "Notes database damaged", f"{error}\n\nThere is no backup to restore. "
                                 "The damaged file is left untouched; notes are turned off for this session.")
            return None
        latest = error.backups[0]
        answer = QMessageBox.question(
            self, "Notes database damaged",
            f"{error}\n\nRestore the latest backup ({latest.name})? The damaged file is kept beside it, "
            "renamed, so nothing is lost.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            self._notes_disabled = True
            return None
        NotesStore.restore_backup(error.path, latest)
        try:
            return self.archive.notes
        except NotesProblem as exc:
            self._notes_disabled = True
            QMessageBox.critical(self, "Notes unavailable", str(exc))
            return None

    def refresh_notes(self) -> None:
        store = self.notes_store()
        if store is None or self.archive is None:
            return
        self.notes_panel.show_notes(self.archive, store.annotations(), store.bookmarks(), store.tags())
        if self.reader.document is not None:
            self.reader.set_annotations(store.annotations(self.reader.document.path))

    def _push(self, command: NoteCommand) -> bool:
        try:
            command.apply()
        except MigarchiveError as exc:
            QMessageBox.warning(self, "The note was not saved", f"{exc}\n\nNothing was written.")
            return False
        self.undo_stack.push(command)
        return True

    def _selection_or_tell(self) -> tuple[str, str, int, int] | None:
        """(path, cleaned text, start, end) of the reader's selection, or None with a status message."""
        document = self.reader.document
        span = self.reader.selected_span()
        if document is None or span is None:
            self.statusBar().showMessage("Select some text in the reader first", 4000)
            return None
        return document.path, document.cleaned, span[0], span[1]

    def highlight(self) -> None:
        store, selection = self.notes_store(), self._selection_or_tell()
        if store is None or selection is None:
            return
        path, text, start, end = selection
        colour = str(self.settings.value("notes/colour", "yellow"))
        if self._push(AddNote(store, lambda: store.add_annotation(path, text, start, end, colour=colour),
                              "Highlight")):
            self.statusBar().showMessage("Highlighted — Ctrl+Shift+A to add a note, Ctrl+Z to undo", 4000)

    def annotate(self) -> None:
        store, selection = self.notes_store(), self._selection_or_tell()
        if store is None or selection is None:
            return
        path, text, start, end = selection
        note, tags, colour = "", (), str(self.settings.value("notes/colour", "yellow"))
        while True:  # a failed save keeps what the user wrote in the editor
            dialog = AnnotateDialog(text[start:end], note=note, tags=tags, colour=colour,
                                    known_tags=store.tags(), parent=self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            note, tags, colour = dialog.values()
            self.settings.setValue("notes/colour", colour)
            command = AddNote(store, lambda: store.add_annotation(path, text, start, end, note=note, colour=colour,
                                                                  tags=tags), "Annotate")
            if self._push(command):
                return

    def bookmark(self) -> None:
        store = self.notes_store()
        document = self.reader.document
        if store is None or document is None:
            self.statusBar().showMessage("Open a document first", 4000)
            return
        span = self.reader.selected_span()
        offset = span[0] if span else None
        passage = None
        if offset is not None:
            passage = next((p for p in document.passages if p.start <= offset < max(p.end, p.start + 1)), None)
        if passage is None:
            anchor = self.reader.current_anchor()
            passage = next((p for p in document.passages if p.id == anchor), None)
        path, text = document.path, document.cleaned
        passage_id = passage.id if passage else None
        if self._push(AddNote(store, lambda: store.add_bookmark(path, text, passage_id=passage_id), "Bookmark")):
            self.statusBar().showMessage("Bookmarked" + (" the passage" if passage_id else " the document"), 4000)

    def _note(self, key: str) -> Annotation | Bookmark | None:
        store = self.notes_store()
        if store is None:
            return None
        kind, _, note_id = key.partition(":")
        try:
            return store.annotation(note_id) if kind == "a" else store.bookmark(note_id)
        except MigarchiveError:
            return None

    def open_note(self, key: str) -> None:
        note = self._note(key)
        if note is None or self.archive is None:
            return
        if note.status == "orphaned":
            self.statusBar().showMessage("This note's text is no longer in the document; it is kept in the "
                                         "Notes tab with its quote.", 8000)
        passage_id = getattr(note, "passage_id", None)
        if passage_id is None and note.start is not None:
            try:
                document = self.archive.document(note.path)
            except MigarchiveError as exc:
                self.statusBar().showMessage(str(exc), 6000)
                return
            passage_id = next((p.id for p in document.passages if p.start <= note.start < max(p.end, p.start + 1)),
                              None)
        if self.open_place(note.path, passage_id) and isinstance(note, Annotation) and not note.orphaned:
            self.reader.select_annotation(note)

    def edit_note(self, key: str) -> None:
        store, note = self.notes_store(), self._note(key)
        if store is None or note is None:
            return
        if isinstance(note, Bookmark):
            label, ok = QInputDialog.getText(self, "Bookmark", "Label:", text=note.label)
            if ok:
                try:
                    store.update_bookmark(note.id, label=label)
                except MigarchiveError as exc:
                    QMessageBox.warning(self, "The bookmark was not saved", str(exc))
                self.refresh_notes()
            return
        dialog = AnnotateDialog(note.exact, note=note.note, tags=note.tags, colour=note.colour,
                                known_tags=store.tags(), parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            text, tags, colour = dialog.values()
            self._push(EditAnnotation(store, note, {"note": text, "tags": tags, "colour": colour}))

    def delete_note(self, key: str) -> None:
        store, note = self.notes_store(), self._note(key)
        if store is not None and note is not None and self._push(DeleteNote(store, note)):
            self.statusBar().showMessage("Deleted — Ctrl+Z to undo", 5000)

    def export_notes(self, kind: str) -> None:
        store = self.notes_store()
        if store is None or self.archive is None:
            return
        suffix = "md" if kind == "markdown" else "json"
        target, _ = QFileDialog.getSaveFileName(self, "Export notes", str(Path.home() / f"migarchive-notes.{suffix}"),
                                                "Markdown (*.md)" if kind == "markdown" else "JSON (*.json)")
        if not target:
            return
        text = exchange.to_markdown(store, self.archive) if kind == "markdown" else \
            json.dumps(exchange.to_json(store), ensure_ascii=False, indent=2)
        try:
            write_atomically(Path(target), text)
        except OSError as exc:
            QMessageBox.warning(self, "Export failed", f"Could not write {target}: {exc.strerror or exc}")
            return
        self.statusBar().showMessage(f"Notes exported to {target}", 6000)

    def import_notes(self) -> None:
        store = self.notes_store()
        if store is None or self.archive is None:
            return
        source, _ = QFileDialog.getOpenFileName(self, "Import notes", str(Path.home()), "JSON (*.json)")
        if not source:
            return
        try:
            data = exchange.read_file(Path(source))
            report = exchange.import_json(store, self.archive, data)
        except (OSError, ValueError, UserError) as exc:
            QMessageBox.warning(self, "Import failed", str(exc))
            return
        self.refresh_notes()
        QMessageBox.information(self, "Notes imported",
                                f"{report.added} added ({report.anchored} anchored, {report.orphaned} orphaned); "
                                f"{report.skipped_duplicates} already here.")

    # -- help ------------------------------------------------------------------------------------

    def show_syntax(self) -> None:
        rows = [
            ("remittances trafficking", "passages with both words, in any form"),
            ('"New York Declaration"', "the exact phrase"),
            ("IOM OR UNHCR, migration NOT security", "boolean logic; (brackets) group"),
            ("A/RES/71/1", "a UN document symbol, verbatim"),
            ("meeting:5, year:2006", "one meeting, or meetings of one year"),
            ("org:UNITAR, kind:report", "by authoring organization or kind of document"),
            ("entity:IOM", "every passage naming an agency or initiative, under any name"),
            ("section:remittances, path:002*", "by section heading, by file"),
        ]
        body = "".join(f"<tr><td><code>{q}</code></td><td>{d}</td></tr>" for q, d in rows)
        box = QMessageBox(QMessageBox.Icon.Information, "Search syntax",
                          f"<table cellpadding='4'>{body}</table><p>A misspelled query is corrected when it finds "
                          "nothing.</p>", parent=self)
        box.setModal(False)
        box.show()

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self.paths, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: nothing waits for it
        return dialog


def _page_in(document: Document, anchor: str | None) -> int | None:
    """The PDF page of a passage or section of `document`; None without pages."""
    if not document.page_starts or not anchor:
        return None
    passage = next((p for p in document.passages if p.id == anchor), None)
    if passage is not None:
        return passage.page
    section = document.section(anchor)
    return document.page_at(section.start) if section else None
