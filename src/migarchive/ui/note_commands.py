"""Note writes as undoable commands (Ctrl+Z / Ctrl+Shift+Z).

Each command is applied once by `apply()` before it goes on the undo stack, so a failed write
(full disk, read-only data directory) raises where the window can tell the user, instead of inside
Qt's call of `redo()`, where an exception cannot be caught.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from migarchive.core.notes.model import Annotation, Bookmark
from migarchive.core.notes.store import NotesStore


class NoteCommand(QUndoCommand):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._applied = False

    def apply(self) -> None:
        """Do the write now; the stack's first `redo()` then has nothing left to do."""
        self._do()
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._do()

    def _do(self) -> None:
        raise NotImplementedError


class AddNote(NoteCommand):
    """Adding an annotation or bookmark; undo deletes it, redo restores the same note."""

    def __init__(self, store: NotesStore, create: Callable[[], Annotation | Bookmark], text: str) -> None:
        super().__init__(text)
        self.store = store
        self.create = create
        self.value: Annotation | Bookmark | None = None

    def _do(self) -> None:
        if self.value is None:
            self.value = self.create()
        elif isinstance(self.value, Annotation):
            self.store.restore_annotation(self.value)
        else:
            self.store.restore_bookmark(self.value)

    def undo(self) -> None:
        assert self.value is not None
        if isinstance(self.value, Annotation):
            self.store.delete_annotation(self.value.id)
        else:
            self.store.delete_bookmark(self.value.id)


class DeleteNote(NoteCommand):
    def __init__(self, store: NotesStore, value: Annotation | Bookmark) -> None:
        super().__init__("Delete note" if isinstance(value, Annotation) else "Delete bookmark")
        self.store = store
        self.value = value

    def _do(self) -> None:
        if isinstance(self.value, Annotation):
            self.value = self.store.delete_annotation(self.value.id)
        else:
            self.value = self.store.delete_bookmark(self.value.id)

    def undo(self) -> None:
        if isinstance(self.value, Annotation):
            self.store.restore_annotation(self.value)
        else:
            self.store.restore_bookmark(self.value)


class EditAnnotation(NoteCommand):
    def __init__(self, store: NotesStore, before: Annotation, changes: dict[str, Any]) -> None:
        super().__init__("Edit note")
        self.store = store
        self.before = before
        self.changes = changes

    def _do(self) -> None:
        self.store.update_annotation(self.before.id, **self.changes)

    def undo(self) -> None:
        self.store.update_annotation(self.before.id, note=self.before.note, colour=self.before.colour,
                                     tags=self.before.tags)
