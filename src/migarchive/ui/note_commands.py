"""Note writes as undoable commands (Ctrl+Z / Ctrl+Shift+Z), each sent through the facade on the
writer thread.

A command goes on the stack once its first write has succeeded (the stack's first `redo()` then has
nothing left to do), so a failed write (full disk, read-only data directory) is reported and leaves
no step to undo. Undo and redo queue their writes behind any still running, in order.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from migarchive.core.archive import Archive
from migarchive.core.changes import Change
from migarchive.core.notes.model import Annotation, Bookmark
from migarchive.ui.operations import Operations

Note = Annotation | Bookmark


class NoteCommand(QUndoCommand):
    def __init__(self, text: str, archive: Archive, operations: Operations) -> None:
        super().__init__(text)
        self.archive = archive
        self.operations = operations
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.operations.write(self._redo, title=f"“{self.text()}” could not be redone")

    def undo(self) -> None:
        self.operations.write(self._undo, title=f"“{self.text()}” could not be undone")

    def _redo(self) -> Change:
        raise NotImplementedError

    def _undo(self) -> Change:
        raise NotImplementedError


class AddNote(NoteCommand):
    """A note added; undo deletes it, redo puts back the same note (same id)."""

    def __init__(self, text: str, archive: Archive, operations: Operations, added: Note) -> None:
        super().__init__(text, archive, operations)
        self.value = added

    def _redo(self) -> Change:
        return self.archive.restore_note(self.value)

    def _undo(self) -> Change:
        return self.archive.delete_note(self.value.id)


class DeleteNote(NoteCommand):
    def __init__(self, archive: Archive, operations: Operations, deleted: Note) -> None:
        super().__init__("Delete note" if isinstance(deleted, Annotation) else "Delete bookmark", archive, operations)
        self.value = deleted

    def _redo(self) -> Change:
        return self.archive.delete_note(self.value.id)

    def _undo(self) -> Change:
        return self.archive.restore_note(self.value)


class EditNote(NoteCommand):
    def __init__(self, archive: Archive, operations: Operations, before: Note, after: Note) -> None:
        super().__init__("Edit note" if isinstance(before, Annotation) else "Edit bookmark", archive, operations)
        self.before = before
        self.after = after

    def _redo(self) -> Change:
        return self.archive.restore_note(self.after)

    def _undo(self) -> Change:
        return self.archive.restore_note(self.before)

