"""Adding documents from the window: the file dialog or a drop, copying and indexing them on the
indexing lane, what happened to each file, and the corrections of what extraction was unsure of."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QFileDialog, QMainWindow

from migarchive.core.archive import ALREADY, FAILED, Archive
from migarchive.core.changes import AddReport
from migarchive.ui import messages
from migarchive.ui.add_documents import FILE_FILTER, CorrectionsDialog
from migarchive.ui.indexing_status import IndexingStatus


class AddingDocuments(QObject):
    def __init__(self, window: QMainWindow, indexing: IndexingStatus, settings: QSettings,
                 archive: Callable[[], Archive | None], open_place: Callable[[str], bool]) -> None:
        super().__init__(window)
        self.window = window
        self.indexing = indexing
        self.settings = settings
        self.archive = archive
        self.open_place = open_place
        self.corrections_dialog: CorrectionsDialog | None = None

    def _say(self, text: str, msecs: int = 4000) -> None:
        self.window.statusBar().showMessage(text, msecs)

    def add(self, files: list[Path] | None = None) -> None:
        archive = self.archive()
        if archive is None:
            self._say("Wait until the archive is open")
            return
        if files is None:
            names, _filter = QFileDialog.getOpenFileNames(self.window, "Add documents to the archive",
                                                          str(self.settings.value("add/folder", str(Path.home()))),
                                                          FILE_FILTER)
            files = [Path(name) for name in names]
            if files:
                self.settings.setValue("add/folder", str(files[0].parent))
        if not files:
            return
        outcome: dict[str, AddReport] = {}

        def work(progress, cancel):  # type: ignore[no-untyped-def]
            outcome["report"] = archive.add(files, progress=progress, cancel=cancel)
            return archive, archive.last_report

        if self.indexing.run(work, lambda: self._added(archive, outcome["report"])):
            self._say(f"Adding {messages.plural(len(files), 'file')}…", 0)

    def _added(self, archive: Archive, report: AddReport) -> None:
        added = report.added
        already = [p for p in report.placed if p.status == ALREADY]
        failed = [(str(p.source.name), p.reason) for p in report.placed if p.status == FAILED]
        failed += list(report.unreadable.items())
        parts = [f"Added {messages.plural(len(added), 'document')}"]
        if already:
            parts.append(f"{len(already)} already in the archive")
        if failed:
            parts.append(f"{len(failed)} not added ({failed[0][0]}: {failed[0][1]}{'; …' if len(failed) > 1 else ''})")
        self._say(", ".join(parts), 15000)
        shown = added[0] if added else already[0].path if already else None
        if shown:
            self.open_place(shown)
        unsure = [(archive.info(path), archive.unsure_fields(path)) for path in added]
        unsure = [(info, fields) for info, fields in unsure if fields]
        if unsure:
            dialog = CorrectionsDialog(unsure, self.window)
            dialog.accepted.connect(lambda: self._save_corrections(archive, dialog.corrections()))
            dialog.open()
            self.corrections_dialog = dialog

    def _save_corrections(self, archive: Archive, corrections: dict[str, dict[str, object]]) -> None:
        if not corrections:
            return

        def work(progress, _cancel):  # type: ignore[no-untyped-def]
            return archive, archive.correct_metadata(corrections, progress=progress)

        def done() -> None:
            self._say(f"Corrections saved for {messages.plural(len(corrections), 'document')}", 8000)
            self.open_place(next(iter(corrections)))

        self.indexing.run(work, done)
