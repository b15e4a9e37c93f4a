"""The main window: meeting tree on the left, search and reader on the right.

The archive is opened (and its index brought up to date) in a worker; the window is usable at once
and fills in when the worker reports back.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from migarchive.core.archive import Archive, SyncReport
from migarchive.core.render import to_html
from migarchive.core.search import SYNTAX_HELP
from migarchive.errors import MigarchiveError
from migarchive.paths import AppPaths
from migarchive.ui import tasks
from migarchive.ui.meeting_model import MeetingTreeModel, PathRole, SectionRole

HitRole = Qt.ItemDataRole.UserRole + 10


class MainWindow(QMainWindow):
    def __init__(self, paths: AppPaths) -> None:
        super().__init__()
        self.paths = paths
        self.archive: Archive | None = None
        self._task: tasks.Task | None = None
        self.setWindowTitle(f"migarchive — {paths.corpus.name}")
        self.resize(1200, 780)

        self.tree_model = MeetingTreeModel(self)
        self.tree_proxy = QSortFilterProxyModel(self)
        self.tree_proxy.setSourceModel(self.tree_model)
        self.tree_proxy.setRecursiveFilteringEnabled(True)
        self.tree_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.activated.connect(self._open_from_tree)
        self.tree.clicked.connect(self._open_from_tree)
        self.tree_filter = QLineEdit(placeholderText="Filter meetings and documents")
        self.tree_filter.setClearButtonEnabled(True)
        self.tree_filter.textChanged.connect(self.tree_proxy.setFilterFixedString)

        self.search_field = QLineEdit(placeholderText="Search the archive  (Ctrl+K)")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setToolTip(f"Query syntax: {SYNTAX_HELP}")
        self.search_field.returnPressed.connect(self.run_search)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.run_search)
        self.search_field.textEdited.connect(lambda _text: self._search_timer.start())
        self.result_summary = QLabel("")
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.itemActivated.connect(self._open_hit)
        self.results.itemClicked.connect(self._open_hit)
        self.reader = QTextBrowser()
        self.reader.setOpenLinks(False)  # links open only on an explicit click, handled below
        self.reader.anchorClicked.connect(self._link_clicked)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree_filter)
        left_layout.addWidget(self.tree)
        search_panel = QWidget()
        search_layout = QVBoxLayout(search_panel)
        search_layout.setContentsMargins(0, 0, 0, 0)
        search_layout.addWidget(self.search_field)
        search_layout.addWidget(self.result_summary)
        search_layout.addWidget(self.results)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(search_panel)
        right.addWidget(self.reader)
        right.setSizes([260, 520])
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([380, 820])
        self.setCentralWidget(splitter)

        self.progress = QProgressBar(maximumWidth=220, visible=False)
        self.statusBar().addPermanentWidget(self.progress)
        self._build_menus()
        self.reindex()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        reindex = QAction("&Re-index", self, shortcut=QKeySequence("Ctrl+R"))
        reindex.triggered.connect(lambda: self.reindex(rebuild=True))
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addActions([reindex, quit_action])
        focus = QAction("Search", self, shortcuts=[QKeySequence("Ctrl+K"), QKeySequence("Ctrl+L")])
        focus.triggered.connect(self._focus_search)
        self.addAction(focus)
        help_menu = self.menuBar().addMenu("&Help")
        syntax = QAction("Search &syntax", self)
        syntax.triggered.connect(lambda: QMessageBox.information(self, "Search syntax", SYNTAX_HELP))
        help_menu.addAction(syntax)

    def _focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_Escape and self.search_field.hasFocus():
            self.search_field.clear()
            self.results.clear()
            self.result_summary.clear()
            return
        super().keyPressEvent(event)

    # -- indexing --------------------------------------------------------------------------------

    def reindex(self, rebuild: bool = False) -> None:
        if self._task is not None:
            return
        self.statusBar().showMessage("Opening the archive…")
        paths = self.paths

        def work(progress):  # type: ignore[no-untyped-def]
            archive = self.archive or Archive(paths)
            report = archive.sync(rebuild=rebuild, progress=progress)
            return archive, report

        self._task = tasks.Task(work)
        self._task.signals.progress.connect(self._show_progress)
        self._task.signals.finished.connect(self._indexed)
        self._task.signals.failed.connect(self._index_failed)
        tasks.start(self._task)

    def _show_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setVisible(total > 0 and done < total)
        self.statusBar().showMessage(f"Indexing {done}/{total}: {message}")

    def _indexed(self, result: tuple[Archive, SyncReport]) -> None:
        self._task = None
        self.archive, report = result
        self.progress.setVisible(False)
        self.tree_model.set_meetings(*self.archive.meetings())
        self.tree.expandToDepth(0)
        message = f"{report.documents} documents, {report.passages} passages indexed"
        if report.skipped:
            message += f" · {len(report.skipped)} files skipped: " + "; ".join(
                f"{s.path} ({s.reason})" for s in report.skipped[:3])
        self.statusBar().showMessage(message)
        if self.search_field.text().strip():
            self.run_search()

    def _index_failed(self, error: Exception, details: str) -> None:
        self._task = None
        self.progress.setVisible(False)
        text = str(error) if isinstance(error, MigarchiveError) else f"Unexpected error: {error}"
        self.statusBar().showMessage(f"The archive could not be opened: {text}")

    # -- search and reading ----------------------------------------------------------------------

    def run_search(self) -> None:
        query = self.search_field.text().strip()
        self.results.clear()
        if not query or self.archive is None:
            self.result_summary.setText("" if query else "")
            return
        try:
            results = self.archive.search(query, limit=50)
        except MigarchiveError as exc:
            self.result_summary.setText(str(exc))
            return
        summary = f"{results.total} passages in {results.documents} documents"
        if results.corrected:
            summary = f"Showing results for “{results.corrected}” · " + summary
        self.result_summary.setText(summary)
        for hit in results.hits:
            where = " › ".join(x for x in (f"Meeting {hit.meeting}" if hit.meeting else None, hit.title,
                                            hit.section) if x)
            item = QListWidgetItem(f"{where}\n{hit.snippet.replace('**', '')}")
            item.setData(HitRole, f"{hit.path}#{hit.passage_id}")
            item.setToolTip(hit.path)
            self.results.addItem(item)

    def _open_from_tree(self, index: QModelIndex) -> None:
        path = index.data(PathRole)
        if path:
            self.open_document(path, index.data(SectionRole))

    def _open_hit(self, item: QListWidgetItem) -> None:
        path, _, passage_id = item.data(HitRole).rpartition("#")
        self.open_document(path, passage_id)

    def open_document(self, path: str, anchor: str | None = None) -> None:
        if self.archive is None:
            return
        try:
            document = self.archive.document(path)
        except MigarchiveError as exc:
            self.statusBar().showMessage(str(exc))
            return
        if getattr(self, "_open_path", None) != path:
            self.reader.setHtml(to_html(document))
            self._open_path = path
        if anchor:
            self.reader.scrollToAnchor(anchor)
        else:
            self.reader.verticalScrollBar().setValue(0)
        self.statusBar().showMessage(f"{document.metadata.title} — {path}")

    def _link_clicked(self, url) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtGui import QDesktopServices

        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment():
            self.reader.scrollToAnchor(url.fragment())

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.archive is not None and self._task is None:
            self.archive.close()
        super().closeEvent(event)
