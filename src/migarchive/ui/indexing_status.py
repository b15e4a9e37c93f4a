"""Indexing as the status bar shows it: bringing the archive up to date on the indexing lane,
progress after half a second, a Cancel button, what was skipped and why."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QMainWindow, QProgressBar, QToolButton, QVBoxLayout

from migarchive.core.archive import Archive, Cancelled
from migarchive.core.changes import SyncReport
from migarchive.core.model import Skipped
from migarchive.paths import AppPaths
from migarchive.ui import messages
from migarchive.ui.operations import Operations

PROGRESS_DELAY_MS = 500  # short work finishes before a progress bar would only flicker
Work = Callable[[Callable[[int, int, str], None], threading.Event], tuple[Archive, SyncReport]]


class IndexingStatus(QObject):
    indexed = Signal(object, object)  # the archive, its SyncReport
    busyChanged = Signal(bool)

    def __init__(self, window: QMainWindow, operations: Operations) -> None:
        super().__init__(window)
        self.window = window
        self.operations = operations
        self.running = False
        self.skipped: tuple[Skipped, ...] = ()
        self._then: Callable[[], None] | None = None
        self.counts = QLabel("")
        # Set one by one: the stubs know no property keywords (QProgressBar(maximumWidth=...)).
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.setToolTip("Stop indexing; the index from before stays in use")
        self.cancel_button.clicked.connect(self.cancel)
        bar = window.statusBar()
        for widget in (self.counts, self.progress, self.cancel_button):
            bar.addPermanentWidget(widget)
        self._delay = QTimer(self, singleShot=True, interval=PROGRESS_DELAY_MS)
        self._delay.timeout.connect(self._show_progress_bar)
        self.skipped_action = QAction("Skipped files…", self)
        self.skipped_action.setEnabled(False)
        self.skipped_action.triggered.connect(lambda _checked=False: self.show_skipped())

    def _say(self, text: str, msecs: int = 0) -> None:
        self.window.statusBar().showMessage(text, msecs)

    def sync(self, paths: AppPaths, current: Archive | None, rebuild: bool = False) -> bool:
        """Open the archive of `paths` (or bring `current` up to date) on the indexing lane."""

        def work(progress: Callable[[int, int, str], None], cancel: threading.Event) -> tuple[Archive, SyncReport]:
            # Made here, not in the GUI thread: creating the index folder can fail (read-only data
            # directory), and that must reach `_failed` as a message, not escape the window.
            archive = current or Archive(paths)
            report = archive.sync(rebuild=rebuild, progress=progress, cancel=cancel)
            archive.glossary()  # made here, with the entities it needs, not when the window shows them
            return archive, report

        if self.run(work):
            self._say("Opening the archive…" if current is None else "Updating the index…")
            return True
        return False

    def run(self, work: Work, then: Callable[[], None] | None = None) -> bool:
        """`work(progress, cancel) -> (archive, SyncReport)` on the indexing lane, then `then()`."""
        if self.running:
            self._say("Indexing is already running; try again when it has finished", 4000)
            return False
        self.running, self._then = True, then
        self.busyChanged.emit(True)
        self.operations.index(work, self._done, self._failed, self._progress)
        self._delay.start()
        return True

    def cancel(self) -> None:
        if self.running:
            self.operations.cancel_indexing.set()
            self._say("Cancelling…")

    def _show_progress_bar(self) -> None:
        self.progress.setVisible(self.running)
        self.cancel_button.setVisible(self.running)

    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self._say(f"Indexing {done}/{total}: {message}")

    def _finish(self) -> None:
        self.running = False
        self._delay.stop()
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.busyChanged.emit(False)

    def _done(self, result: tuple[Archive, SyncReport]) -> None:
        self._finish()
        archive, report = result
        self.counts.setText(f"{messages.plural(report.documents, 'document')} · "
                            f"{messages.plural(report.passages, 'passage')}")
        self._report_skipped(report.skipped)
        if report.reanchored or report.orphaned:
            self._say(f"Notes: {report.reanchored} found again in changed documents, {report.orphaned} orphaned "
                      "(see the Notes tab)", 10000)
        if report.notice:
            self._say(messages.sentence(report.notice), 15000)
        self.indexed.emit(archive, report)
        then, self._then = self._then, None
        if then is not None:
            then()

    def _failed(self, error: BaseException, details: str) -> Any:
        self._finish()
        self._then = None
        if isinstance(error, Cancelled):
            self._say("Indexing cancelled; the index from before is in use", 8000)
            return
        text = messages.describe_failure(error, details)
        archive = getattr(self.window, "archive", None)
        if archive is not None and archive.ready:
            # e.g. the disk filled up during a re-index: the index from before is intact and in use
            self._say(f"The index could not be updated: {text}. Searching uses the index from before.")
        else:
            self._say(f"The archive could not be opened: {text}")

    def _report_skipped(self, skipped: tuple[Skipped, ...]) -> None:
        self.skipped = skipped
        self.skipped_action.setEnabled(bool(skipped))
        self.skipped_action.setText(f"Skipped files ({len(skipped)})…" if skipped else "Skipped files…")
        if skipped:
            many = len(skipped) != 1
            self._say(f"{messages.plural(len(skipped), 'file')} could not be read and {'were' if many else 'was'} "
                      "skipped — see File › Skipped files", 15000)
        else:
            self._say("Ready", 3000)

    def show_skipped(self) -> QDialog:
        dialog = QDialog(self.window)
        dialog.setWindowTitle("Skipped files")
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel("These files in the archive folder were not indexed:"))
        listing = QListWidget()
        listing.addItems([f"{s.path} — {s.reason}" for s in self.skipped])
        layout.addWidget(listing)
        dialog.resize(560, 300)
        dialog.setModal(False)
        dialog.show()
        self._dialog = dialog
        return dialog
