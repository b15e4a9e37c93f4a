"""The notes of the window: highlight, annotate, bookmark, edit, delete and open notes, the undo
stack, export and import, and what to do with a damaged notes database.

Every write goes through the facade on the writer thread (`Operations.write`); its `Change` comes
back through `Operations.changed`, and `refresh` redraws the Notes tab and the reader's highlights.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMainWindow, QMessageBox

from migarchive.core.archive import Archive
from migarchive.core.changes import Change
from migarchive.core.notes.model import Annotation, Bookmark
from migarchive.errors import MigarchiveError, NotesCorrupt, NotesProblem
from migarchive.ui import messages
from migarchive.ui.annotate_dialog import AnnotateDialog
from migarchive.ui.note_commands import AddNote, DeleteNote, EditNote
from migarchive.ui.notes_panel import NotesPanel
from migarchive.ui.operations import Operations
from migarchive.ui.reader import Reader

Note = Annotation | Bookmark


class NotesController(QObject):
    def __init__(self, window: QMainWindow, operations: Operations, reader: Reader, panel: NotesPanel,
                 settings: QSettings, open_place: Callable[[str, str | None], bool]) -> None:
        super().__init__(window)
        self.window = window
        self.operations = operations
        self.reader = reader
        self.panel = panel
        self.settings = settings
        self.open_place = open_place
        self.archive: Archive | None = None
        self.undo_stack = QUndoStack(self)
        self._usable: bool | None = None  # None: not asked yet; False: damaged or refused, this session
        panel.noteActivated.connect(self.open_note)
        panel.editRequested.connect(self.edit_note)
        panel.deleteRequested.connect(self.delete_note)
        operations.changed.connect(self._changed)

    def bind(self, archive: Archive) -> None:
        if archive is not self.archive:
            self.archive, self._usable = archive, None
            self.undo_stack.clear()  # its commands wrote to the archive before
        self.refresh()

    def _status(self, text: str, msecs: int = 4000) -> None:
        self.window.statusBar().showMessage(text, msecs)

    # -- the database ----------------------------------------------------------------------------

    def available(self) -> bool:
        """Whether notes can be read and written; a damaged database is reported once, with the
        offer of its latest backup, and the app goes on without notes rather than touching it."""
        if self.archive is None or self._usable is False:
            return False
        if self._usable:
            return True
        try:
            self.archive.note_tags()
            self._usable = True
        except NotesCorrupt as exc:
            self._usable = False
            self._offer_backup(exc)
        except NotesProblem as exc:
            self._usable = False
            QMessageBox.warning(self.window, "Notes unavailable", f"{exc}\n\nThe archive works; notes are turned "
                                "off for this session and nothing was changed.")
        return bool(self._usable)

    def _offer_backup(self, error: NotesCorrupt) -> None:
        if not error.backups:
            QMessageBox.critical(self.window, "Notes database damaged", f"{error}\n\nThere is no backup to "
                                 "restore. The damaged file is left untouched; notes are turned off for this session.")
            return
        latest = error.backups[0]
        answer = QMessageBox.question(
            self.window, "Notes database damaged",
            f"{error}\n\nRestore the latest backup ({latest.name})? The damaged file is kept beside it, "
            "renamed, so nothing is lost.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes or self.archive is None:
            return
        archive = self.archive

        def restored(_result: object) -> None:
            self._usable = None
            self._status(f"Notes restored from {latest.name}", 8000)

        self.operations.write(lambda: archive.restore_notes_backup(latest), restored,
                              title="The backup could not be restored")

    # -- showing ---------------------------------------------------------------------------------

    def _changed(self, change: Change) -> None:
        if change.index or change.notes_changed:
            self.refresh()

    def refresh(self) -> None:
        if not self.available() or self.archive is None:
            return
        self.panel.show_notes(self.archive, self.archive.annotations(), self.archive.bookmarks(),
                              self.archive.note_tags())
        if self.reader.document is not None:
            self.show_in_reader(self.reader.document.path)

    def show_in_reader(self, path: str) -> None:
        """The highlights and bookmarks of the document the reader shows."""
        usable = self.archive is not None and self.available()
        self.reader.set_annotations(self.archive.annotations(path) if usable else [])  # type: ignore[union-attr]
        self.reader.set_bookmarks(self.archive.bookmarks(path) if usable else [])  # type: ignore[union-attr]

    # -- writing ---------------------------------------------------------------------------------

    def _write(self, work: Callable[[Archive], Change], record: Callable[[Archive, Change], object] | None,
               said: str, title: str = "The note was not saved",
               failed: Callable[[], None] | None = None) -> bool:
        archive = self.archive
        if archive is None or not self.available():
            return False

        def done(change: Change) -> None:
            if record is not None and change.note is not None:
                self.undo_stack.push(record(archive, change))  # type: ignore[arg-type]
            self._status(said, 5000)

        def failure(error: BaseException, details: str) -> None:
            messages.present_failure(self.window, title, error, details)
            if failed is not None:
                failed()

        self.operations.write(lambda: work(archive), done, failed=failure)
        return True

    def _selection(self) -> tuple[str, int, int, str] | None:
        """(path, start, end, quote) of the reader's selection, or None with a status message."""
        document, span = self.reader.document, self.reader.selected_span()
        if document is None or span is None:
            self._status("Select some text in the reader first")
            return None
        return document.path, span[0], span[1], document.cleaned[span[0]:span[1]]

    def highlight(self) -> None:
        selection = self._selection()
        if selection is None:
            return
        path, start, end, _quote = selection
        colour = str(self.settings.value("notes/colour", "yellow"))
        self._write(lambda a: a.annotate(path, start, end, colour=colour),
                    lambda a, c: AddNote("Highlight", a, self.operations, c.note),  # type: ignore[arg-type]
                    "Highlighted — Ctrl+Shift+A to add a note, Ctrl+Z to undo")

    def annotate(self, note: str = "", tags: tuple[str, ...] = (), colour: str | None = None,
                 selection: tuple[str, int, int, str] | None = None) -> None:
        selection = selection or self._selection()
        if selection is None or self.archive is None or not self.available():
            return
        path, start, end, quote = selection
        dialog = AnnotateDialog(quote, note=note, tags=tags, known_tags=self.archive.note_tags(), parent=self.window,
                                colour=colour or str(self.settings.value("notes/colour", "yellow")))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        note, tags, colour = dialog.values()
        self.settings.setValue("notes/colour", colour)
        # A failed save opens the editor again with what the user wrote.
        self._write(lambda a: a.annotate(path, start, end, note=note, colour=colour, tags=tags),
                    lambda a, c: AddNote("Annotate", a, self.operations, c.note),  # type: ignore[arg-type]
                    "Annotated — Ctrl+Z to undo", failed=lambda: self.annotate(note, tags, colour, selection))

    def bookmark(self) -> None:
        document = self.reader.document
        if document is None:
            self._status("Open a document first")
            return
        span = self.reader.selected_span()
        passage = document.passage_at(span[0]) if span else None
        if passage is None:
            passage = document.passage(self.reader.current_anchor() or "")
        path, passage_id = document.path, passage.id if passage else None
        self._write(lambda a: a.bookmark(path, passage_id=passage_id),
                    lambda a, c: AddNote("Bookmark", a, self.operations, c.note),  # type: ignore[arg-type]
                    "Bookmarked" + (" the passage" if passage_id else " the document"))

    def note(self, key: str) -> Note | None:
        """The note of a Notes-tab key ("a:<id>" or "b:<id>"), or None if it is gone."""
        if self.archive is None or not self.available():
            return None
        try:
            return self.archive.note(key.partition(":")[2])
        except MigarchiveError:
            return None

    def edit_note(self, key: str) -> None:
        before = self.note(key)
        if before is None or self.archive is None:
            return
        if isinstance(before, Bookmark):
            label, ok = QInputDialog.getText(self.window, "Bookmark", "Label:", text=before.label)
            work = (lambda a: a.edit_note(before.id, label=label)) if ok else None
        else:
            dialog = AnnotateDialog(before.exact, note=before.note, tags=before.tags, colour=before.colour,
                                    known_tags=self.archive.note_tags(), parent=self.window)
            ok = dialog.exec() == QDialog.DialogCode.Accepted
            note, tags, colour = dialog.values()
            work = (lambda a: a.edit_note(before.id, note=note, tags=tags, colour=colour)) if ok else None
        if work is not None:
            self._write(work, lambda a, c: EditNote(a, self.operations, before, c.note),  # type: ignore[arg-type]
                        "Saved — Ctrl+Z to undo")

    def delete_note(self, key: str) -> None:
        note = self.note(key)
        if note is not None:
            self._write(lambda a: a.delete_note(note.id),
                        lambda a, c: DeleteNote(a, self.operations, c.note),  # type: ignore[arg-type]
                        "Deleted — Ctrl+Z to undo", title="The note was not deleted")

    def open_note(self, key: str) -> None:
        note = self.note(key)
        if note is None or self.archive is None:
            return
        if note.status == "orphaned":
            self._status("This note's text is no longer in the document; it is kept in the Notes tab with its "
                         "quote.", 8000)
        passage_id = note.passage_id if isinstance(note, Bookmark) else None
        if passage_id is None and note.start is not None:
            try:
                passage = self.archive.document(note.path).passage_at(note.start)
            except MigarchiveError as exc:
                self._status(str(exc), 6000)
                return
            passage_id = passage.id if passage else None
        if self.open_place(note.path, passage_id) and isinstance(note, Annotation) and not note.orphaned:
            self.reader.select_annotation(note)

    # -- export and import -----------------------------------------------------------------------

    def export_notes(self, kind: str) -> None:
        archive = self.archive
        if archive is None or not self.available():
            return
        suffix = "md" if kind == "markdown" else "json"
        target, _ = QFileDialog.getSaveFileName(self.window, "Export notes",
                                                str(Path.home() / f"migarchive-notes.{suffix}"),
                                                "Markdown (*.md)" if kind == "markdown" else "JSON (*.json)")
        if not target:
            return

        def export() -> None:
            try:
                archive.write_notes_export(Path(target), archive.export_notes(kind))
            except OSError as exc:
                raise NotesProblem(f"could not write {target}: {exc.strerror or exc}") from exc

        self.operations.write(export, lambda _none: self._status(f"Notes exported to {target}", 6000),
                              title="Export failed")

    def import_notes(self) -> None:
        archive = self.archive
        if archive is None or not self.available():
            return
        source, _ = QFileDialog.getOpenFileName(self.window, "Import notes", str(Path.home()), "JSON (*.json)")
        if not source:
            return

        def imported(result: tuple[object, Change]) -> None:
            report = result[0]
            QMessageBox.information(self.window, "Notes imported",
                                    f"{report.added} added ({report.anchored} anchored, "  # type: ignore[attr-defined]
                                    f"{report.orphaned} orphaned); {report.skipped_duplicates} already here.")  # type: ignore[attr-defined]

        self.operations.write(lambda: archive.import_notes(archive.read_notes_file(Path(source))), imported,
                              title="Import failed")
