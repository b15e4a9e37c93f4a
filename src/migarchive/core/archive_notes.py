"""The facade's notes: every read and write of bookmarks and annotations goes through here, and
every write returns the `Change` it made. `core.notes` stays a layer below that knows no facade."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migarchive.core.atomic import write_atomically
from migarchive.core.changes import BackupRestored, Change
from migarchive.core.meetings import Meeting
from migarchive.core.model import Document, DocumentInfo
from migarchive.core.notes.model import DEFAULT_COLOUR, Annotation, Bookmark, NoteChange
from migarchive.errors import DocumentNotFoundError, NoteNotFoundError, NotesCorrupt, UserError
from migarchive.paths import AppPaths

if TYPE_CHECKING:
    # The store, the exchange formats and SQLite are imported where the notes are first opened:
    # a command-line search or an index update never opens them (~20 ms of every command).
    from migarchive.core.notes import exchange
    from migarchive.core.notes.store import NotesStore

Note = Annotation | Bookmark


class ArchiveNotes:
    """Mixed into `Archive`, which provides the documents the notes are anchored in."""

    paths: AppPaths
    _notes: NotesStore | None
    _notes_lock: threading.Lock

    def document(self, path: str) -> Document:
        raise NotImplementedError

    def documents(self) -> list[DocumentInfo]:
        raise NotImplementedError

    def meetings(self) -> tuple[list[Meeting], list[DocumentInfo]]:
        raise NotImplementedError

    def reanchor_notes(self, paths: Iterable[str] | None = None) -> tuple[int, int]:
        raise NotImplementedError

    # -- the store -------------------------------------------------------------------------------

    @property
    def notes_path(self) -> Path:
        return self.paths.data_dir / "notes.sqlite3"

    @property
    def backups_dir(self) -> Path:
        return self.paths.data_dir / "backups"

    @property
    def notes(self) -> NotesStore:
        """The bookmarks and annotations, opened (or created) on first use; raises `NotesCorrupt`
        for a damaged database, offering its backups. For the core and its tests: the UI and the
        CLI use the methods below."""
        with self._notes_lock:
            if self._notes is None or self._notes.closed:
                from migarchive.core.notes.store import NotesStore

                self._notes = NotesStore.open(self.notes_path, self.backups_dir)
            return self._notes

    # -- reading ---------------------------------------------------------------------------------

    def annotations(self, path: str | None = None) -> list[Annotation]:
        return self.notes.annotations(path)

    def bookmarks(self, path: str | None = None) -> list[Bookmark]:
        return self.notes.bookmarks(path)

    def note_tags(self) -> list[str]:
        return self.notes.tags()

    def find_notes(self, text: str) -> list[Annotation]:
        """Annotations whose note, quote or tags hold every word of `text`."""
        return self.notes.search(text) if text.strip() else []

    def note(self, note_id: str) -> Note:
        """The annotation or bookmark with this id; raises `NoteNotFoundError`."""
        store = self.notes
        try:
            return store.annotation(note_id)
        except NoteNotFoundError:
            return store.bookmark(note_id)

    def export_notes(self, kind: str) -> str:
        """Every note as W3C JSON-LD (`kind` "json") or as Markdown grouped by meeting ("markdown")."""
        from migarchive.core.notes import exchange, markdown_export

        if kind == "json":
            return exchange.json_text(self.notes)
        if kind == "markdown":
            meetings, unassigned = self.meetings()
            return markdown_export.to_markdown(self.notes, meetings, unassigned,
                                               {info.path for info in self.documents()},
                                               self._text_of)
        raise UserError(f"unknown notes format '{kind}' (json or markdown)")

    # -- writing ---------------------------------------------------------------------------------

    @staticmethod
    def write_notes_export(target: Path, content: str) -> None:
        """Write an export (`export_notes`) whole or not at all: a failed write leaves what was there."""
        write_atomically(target, content)

    def annotate(self, path: str, start: int, end: int, *, note: str = "", colour: str = DEFAULT_COLOUR,
                 tags: Iterable[str] = ()) -> Change:
        """Annotate the cleaned text [start, end) of a document; the change holds the annotation."""
        text = self.document(path).cleaned
        written = self.notes.add_annotation(path, text, start, end, note=note, colour=colour, tags=tags)
        return _change("added", written, tags=bool(written.tags))

    def bookmark(self, path: str, *, start: int | None = None, end: int | None = None,
                 passage_id: str | None = None, label: str = "") -> Change:
        """Bookmark a whole document, a passage (by id) or a span; the change holds the bookmark."""
        text = self.document(path).cleaned
        written = self.notes.add_bookmark(path, text, start, end, passage_id=passage_id, label=label)
        return _change("added", written)

    def edit_note(self, note_id: str, *, note: str | None = None, colour: str | None = None,
                  tags: Iterable[str] | None = None, label: str | None = None) -> Change:
        """Change an annotation's note, colour or tags, or a bookmark's label."""
        before = self.note(note_id)
        if isinstance(before, Bookmark):
            return _change("updated", self.notes.update_bookmark(note_id, label=label))
        after = self.notes.update_annotation(note_id, note=note, colour=colour, tags=tags)
        return _change("updated", after, tags=after.tags != before.tags)

    def delete_note(self, note_id: str) -> Change:
        """Delete a note; the change holds it as it was, which `restore_note` puts back."""
        store = self.notes
        if isinstance(self.note(note_id), Bookmark):
            return _change("deleted", store.delete_bookmark(note_id))
        deleted = store.delete_annotation(note_id)
        return _change("deleted", deleted, tags=bool(deleted.tags))

    def restore_note(self, value: Note) -> Change:
        """Put back a note exactly as given, same id (undo of a delete or of an edit)."""
        if isinstance(value, Annotation):
            return _change("restored", self.notes.restore_annotation(value), tags=True)
        return _change("restored", self.notes.restore_bookmark(value))

    def import_notes(self, data: Any) -> tuple[exchange.ImportReport, Change]:
        """Add the notes of a W3C collection (as `exchange.read_file` reads it); nothing is written
        if any item is not a note."""
        from migarchive.core.notes import exchange

        report = exchange.import_json(self.notes, self._text_of, data)
        return report, Change(all_notes=bool(report.added), tags=bool(report.added))

    def restore_notes_backup(self, backup: Path | None = None) -> tuple[BackupRestored, Change]:
        """Put a backup in place of the notes database (default: the newest good backup, only if
        the database is damaged); the file replaced is moved aside, never deleted. The notes are
        anchored again, since the backup may predate the documents' latest text."""
        if backup is None:
            backup = self._newest_good_backup()
        with self._notes_lock:
            if self._notes is not None:
                self._notes.close()
                self._notes = None
        from migarchive.core.notes.store import NotesStore

        aside = NotesStore.restore_backup(self.notes_path, backup)
        anchored, orphaned = self.reanchor_notes()
        return BackupRestored(str(backup), str(aside), anchored, orphaned), Change(all_notes=True, tags=True)

    def _newest_good_backup(self) -> Path:
        from migarchive.core.notes.database import list_backups
        from migarchive.core.notes.store import NotesStore

        try:
            NotesStore.open(self.notes_path, self.backups_dir).close()
        except NotesCorrupt as exc:
            if not exc.backups:
                raise UserError(f"there is no good backup of {self.notes_path} to restore") from None
            return exc.backups[0]
        newest = list_backups(self.backups_dir, self.notes_path)
        raise UserError(f"the notes database {self.notes_path} is not damaged; to replace it anyway, "
                        f"name the backup to use{f' (newest: {newest[0]})' if newest else ''}")

    def _text_of(self, path: str) -> str | None:
        try:
            return self.document(path).cleaned
        except DocumentNotFoundError:
            return None


def _change(action: str, note: Note, *, tags: bool = False) -> Change:
    ids = {"annotation_ids": (note.id,)} if isinstance(note, Annotation) else {"bookmark_ids": (note.id,)}
    return Change.of_notes(NoteChange(action, paths=(note.path,), tags_changed=tags, **ids), note)
