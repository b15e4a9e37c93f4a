"""The main window: its docks (meetings, notes, agencies & initiatives), the reader, one table of
actions with their menus and shortcuts, and the settings it keeps.

What the window shows is owned elsewhere: searching by `SearchPanel`, notes by `NotesController`,
indexing and its progress by `IndexingStatus`, adding files by `AddingDocuments`. Work runs off the
GUI thread through `Operations`, whose `changed` signal each view listens to.
"""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSettings, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from migarchive.core.archive import Archive
from migarchive.core.changes import Change, SyncReport
from migarchive.paths import AppPaths
from migarchive.ui.about import AboutDialog
from migarchive.ui.add_documents import dropped_files
from migarchive.ui.adding_documents import AddingDocuments
from migarchive.ui.compare_view import CompareView
from migarchive.ui.entity_panel import EntityPanel
from migarchive.ui.indexing_status import IndexingStatus
from migarchive.ui.meeting_model import MeetingTreeModel
from migarchive.ui.notes_controller import NotesController
from migarchive.ui.notes_panel import NotesPanel
from migarchive.ui.operations import Operations
from migarchive.ui.plain_text import LiteralToolTips
from migarchive.ui.preferences import Preferences, PreferencesDialog, apply_preferences
from migarchive.ui.reader import Reader
from migarchive.ui.search_panel import SearchPanel, show_syntax
from migarchive.ui.start_page import StartPage
from migarchive.ui.roles import PathRole, SectionRole
from migarchive.ui.window_layout import WindowLayout
from migarchive.ui.window_reading import ReadingWindow


class MainWindow(ReadingWindow):
    ready = Signal()  # the archive is open and every view shows it

    def __init__(self, paths: AppPaths, settings: QSettings | None = None) -> None:
        super().__init__()
        self.paths = paths
        self.settings = settings or QSettings()
        self.archive: Archive | None = None
        self._restored = False
        self._compare_view: CompareView | None = None
        self._closed = False
        self.setWindowTitle(f"migarchive — {paths.corpus.name}")
        self.resize(1400, 860)
        self.operations = Operations(self)
        self.operations.changed.connect(self._changed)
        self.indexing = IndexingStatus(self, self.operations)
        self.indexing.indexed.connect(self._indexed)
        self.indexing.busyChanged.connect(self._busy)
        self.adding = AddingDocuments(self, self.indexing, self.settings, lambda: self.archive, self.open_place)
        self._build_tree()
        self._build_centre()
        self._build_side_docks()
        self.notes = NotesController(self, self.operations, self.reader, self.notes_panel, self.settings,
                                     self.open_place)
        self.undo_stack = self.notes.undo_stack
        self._build_menus()
        self.resizeDocks([self.tree_dock, self.entity_dock], [300, 380], Qt.Orientation.Horizontal)
        self.window_layout = WindowLayout(self, paths, [self.tree_dock, self.notes_dock, self.entity_dock],
                                          self.centre, self.settings)
        for view in (self.tree, self.results, self.entity_panel.tree, self.entity_panel.mentions, self.notes_panel.tree):
            LiteralToolTips(view)  # titles and quotes in tooltips are text, not markup
        self._restore_layout()
        self.preferences = Preferences.load(self.settings)
        apply_preferences(self.preferences, self.reader)
        self.setAcceptDrops(True)
        self.reindex()

    # -- construction ----------------------------------------------------------------------------

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

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
        self.tree_dock = self._dock("Meetings", "meetings", panel, Qt.DockWidgetArea.LeftDockWidgetArea)

    def _build_centre(self) -> None:
        self.search = SearchPanel(self.operations, self.settings)
        self.search.placeRequested.connect(lambda path, passage, terms: self.open_place(path, passage, terms=terms))
        self.search.noteRequested.connect(lambda key: self.notes.open_note(key))
        # Names the tests and the rest of the window use.
        self.search_field, self.results, self.results_model = self.search.field, self.search.results, self.search.model
        self.result_summary, self.searched = self.search.summary, self.search.searched
        self.include_notes, self.group_results = self.search.include_notes, self.search.group_results
        self.run_search = self.search.run_search
        self.reader = Reader()
        self.reader.placeChanged.connect(self._place_changed)
        self.reader.browser.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.reader.browser.customContextMenuRequested.connect(self._reader_menu)
        # The search row stays put; results and reader share a splitter, and a hidden results list
        # (no query) leaves all the room to the reader.
        centre_widget = QWidget()
        layout = QVBoxLayout(centre_widget)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.search)
        self.centre = QSplitter(Qt.Orientation.Vertical)
        self.centre.setObjectName("centre")
        self.centre.addWidget(self.results)
        # The start page stands where the reader is until a document is opened (View › Start page).
        self.start_page = StartPage()
        self.start_page.openRequested.connect(lambda path: self.open_place(path))
        self.start_page.noteRequested.connect(lambda key: self.notes.open_note(key))
        self.start_page.searchRequested.connect(lambda query: self.search.run_query(query))
        self.start_page.skippedRequested.connect(lambda: self.indexing.show_skipped())
        self.reading = QStackedWidget()
        self.reading.addWidget(self.start_page)
        self.reading.addWidget(self.reader)
        self.centre.addWidget(self.reading)
        self.centre.setSizes([260, 560])
        layout.addWidget(self.centre, 1)
        self.setCentralWidget(centre_widget)

    def _build_side_docks(self) -> None:
        self.entity_panel = EntityPanel()
        self.entity_panel.mentionActivated.connect(self._open_mention)
        self.entity_dock = self._dock("Agencies && initiatives", "entities", self.entity_panel,
                                      Qt.DockWidgetArea.RightDockWidgetArea)
        self.notes_panel = NotesPanel()
        self.notes_dock = self._dock("Notes", "notes", self.notes_panel, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.tabifyDockWidget(self.tree_dock, self.notes_dock)
        self.tree_dock.raise_()

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
        a, notes, reader = self._action, self.notes, self.reader
        self.add_action = a("&Add documents…", self.adding.add, "Ctrl+Shift+O",
                            tip="Copy PDF, Word, web or text files into the archive and index them (or drop them "
                            "on the window)")
        self.original_action = a("Open original &file", self.open_original, "Ctrl+Alt+O",
                                 tip="Open the PDF (or Word, web) file this document was extracted from")
        self.original_action.setEnabled(False)
        self.reindex_action = a("&Re-index", lambda: self.reindex(rebuild=True), "Ctrl+R",
                                tip="Rebuild the search index from the corpus folder")
        self.cancel_action = a("&Cancel indexing", self.indexing.cancel, "Ctrl+.",
                               tip="Stop indexing; the index from before stays in use")
        self.cancel_action.setEnabled(False)
        self.skipped_action = self.indexing.skipped_action
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts(QKeySequence.StandardKey.Redo)
        self.highlight_action = a("&Highlight selection", notes.highlight, "Ctrl+H")
        self.annotate_action = a("&Annotate selection…", notes.annotate, "Ctrl+Shift+A")
        self.bookmark_action = a("&Bookmark passage", notes.bookmark, "Ctrl+D")
        docks = [(self.tree_dock.toggleViewAction(), "Ctrl+Shift+M"),
                 (self.entity_dock.toggleViewAction(), "Ctrl+Shift+E")]
        for toggle, key in docks:
            toggle.setShortcut(QKeySequence(key))
        # One table: menu → its actions in order, None for a separator.
        table: dict[str, list[QAction | None]] = {
            "&File": [a("&Open archive folder…", self.choose_archive, QKeySequence.StandardKey.Open),
                      self.add_action, self.original_action, self.reindex_action, self.cancel_action,
                      self.skipped_action, None,
                      a("Export notes as &Markdown…", lambda: notes.export_notes("markdown")),
                      a("Export notes as &JSON (Web Annotation)…", lambda: notes.export_notes("json")),
                      a("&Import notes…", notes.import_notes), None,
                      a("&Quit", self.close, QKeySequence.StandardKey.Quit)],
            "&Edit": [undo, redo, None, self.highlight_action, self.annotate_action, self.bookmark_action, None,
                      a("&Search the archive", self.search.focus, "Ctrl+K", "Ctrl+L"),
                      a("&Find in document…", reader.open_find, QKeySequence.StandardKey.Find),
                      a("Copy &citation", self.copy_citation, "Ctrl+Shift+C",
                        tip="Copy a citation of the passage in view"), None,
                      a("&Preferences…", self.show_preferences, "Ctrl+,",
                        tip="Theme (light, dark, the system's) and the reader's text size")],
            "&View": [a("&Next match", lambda: reader.next_hit(1), "F3"),
                      a("&Previous match", lambda: reader.next_hit(-1), "Shift+F3"), None,
                      a("&Back", self.go_back, "Alt+Left"), a("&Forward", self.go_forward, "Alt+Right"),
                      a("&Start page", self.show_start_page, "Alt+Home",
                        tip="The archive at a glance: meetings, agencies, latest notes, documents opened last"), None,
                      a("Zoom &in", lambda: reader.zoom_by(1), "Ctrl+=", "Ctrl++"),
                      a("Zoom &out", lambda: reader.zoom_by(-1), "Ctrl+-"), None,
                      *(toggle for toggle, _key in docks), None,
                      a("Go to meetings", lambda: self._focus(self.tree, self.tree_dock), "Ctrl+1"),
                      a("Go to results", self.results.setFocus, "Ctrl+2"),
                      a("Go to reader", reader.browser.setFocus, "Ctrl+3"),
                      a("Go to agencies && initiatives", lambda: self._focus(self.entity_panel.tree, self.entity_dock),
                        "Ctrl+4"),
                      a("Go to notes", lambda: self._focus(self.notes_panel.tree, self.notes_dock), "Ctrl+5"), None,
                      a("&Compare across meetings", self.compare_across_meetings, "Ctrl+Shift+K",
                        tip="The search's best passages under each meeting, in the order held (or the "
                        "selected agency's mentions)")],
            "&Help": [a("Search &syntax", lambda: show_syntax(self), "F1"), a("&About migarchive", self.show_about)],
        }
        for title, actions in table.items():
            menu = self.menuBar().addMenu(title)
            for entry in actions:
                menu.addSeparator() if entry is None else menu.addAction(entry)
            if title == "&Edit":  # the searches one comes back to, after Edit
                self.search.fill_menu(self.menuBar().addMenu("&Search"))

    # -- settings --------------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        self.window_layout.restore()
        zoom = int(str(self.settings.value("reader/zoom", 0) or 0))
        if zoom:
            self.reader.zoom_by(zoom)
        self.entity_panel.set_scope(self.window_layout.value("entities/scope", "archive") != "document")

    def save_settings(self) -> None:
        self.window_layout.save()
        self.settings.setValue("reader/zoom", self.reader.zoom)
        self.window_layout.set_value("entities/scope", "document" if self.entity_panel.scope.currentIndex() == 0
                                     else "archive")
        place = self.reader.place
        if place is not None:
            self.window_layout.remember_place(place.path, self.reader.current_anchor() or place.anchor)
        self.window_layout.save()
        self.settings.sync()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if not self._closed:
            self._closed = True
            self.save_settings()
            self.hide()  # gone at once; what follows only finishes work
            self.indexing.cancel()
            self.operations.wait()  # what still runs uses the archive
            if self.archive is not None:
                self.archive.close()
        super().closeEvent(event)

    # -- the archive -----------------------------------------------------------------------------

    def reindex(self, rebuild: bool = False) -> None:
        current = self.archive if self.archive is not None and self.archive.paths == self.paths else None
        self.indexing.sync(self.paths, current, rebuild)

    def _busy(self, busy: bool) -> None:
        for action in (self.reindex_action, self.add_action):
            action.setEnabled(not busy)
        self.cancel_action.setEnabled(busy)

    def _indexed(self, archive: Archive, report: SyncReport) -> None:
        previous, self.archive = self.archive, archive
        if previous is not None and previous is not archive:
            previous.close()
        self.notes.bind(archive)
        self.search.bind(archive)
        if not self._restored:
            self._restored = True
            if not self._restore_last_document():
                self.show_start_page()
            # What is alive once the archive is open (Qt, the modules, the gazetteer, the archive)
            # lives as long as the window: taken out of the cyclic collector's full passes, which
            # otherwise walk it all (~50 ms, the GIL held) again and again while an index is built.
            gc.freeze()
        self.ready.emit()

    def _changed(self, change: Change) -> None:
        if change.index and self.archive is not None:
            self.tree_model.set_meetings(*self.archive.meetings())
            self.tree.expandToDepth(0)
            self.entity_panel.bind(self.archive)
            self.reader.set_glossary(self.archive.glossary())
        if self.reading.currentWidget() is self.start_page and (change.index or change.notes_changed):
            self.show_start_page()

    def choose_archive(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open an archive folder", str(self.paths.corpus))
        if folder:
            self.open_archive(Path(folder))

    def open_archive(self, folder: Path) -> None:
        if self.indexing.running:
            self.statusBar().showMessage("Wait for the current indexing to finish", 4000)
            return
        self.save_settings()  # the place in the archive left, to its own layout
        self.paths = AppPaths(corpus=folder.resolve(), data_dir=self.paths.data_dir)
        self.window_layout.switch(self.paths)
        self._restored = False  # then open the document last read in this one
        self.settings.setValue("archive/corpus", str(self.paths.corpus))
        self.setWindowTitle(f"migarchive — {self.paths.corpus.name}")
        self.reader.clear()
        self.search.clear()
        self.reindex()

    def add_documents(self, files: list[Path] | None = None) -> None:
        self.adding.add(files)

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
            self.adding.add(files)

    # -- reading ---------------------------------------------------------------------------------

    def _filter_tree(self, text: str) -> None:
        self.tree_proxy.setFilterFixedString(text)
        if text:
            self.tree.expandAll()

    def _open_from_tree(self, index: QModelIndex) -> None:
        path = index.data(PathRole)
        if path:
            self.open_place(path, index.data(SectionRole))

    def _focus(self, widget: QWidget, dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()  # Meetings and Notes share a place: bring this one's tab forward
        widget.setFocus()

    def show_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self.preferences, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_preferences(dialog.preferences()))
        dialog.open()
        return dialog

    def set_preferences(self, preferences: Preferences) -> None:
        self.preferences = preferences
        preferences.save(self.settings)
        apply_preferences(preferences, self.reader)

    # -- help ------------------------------------------------------------------------------------

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self.paths, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: nothing waits for it
        return dialog
