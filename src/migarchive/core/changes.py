"""What a write through the facade changed, so that the UI broadcasts it once and each view
refreshes only what concerns it (in the manner of Anki's `OpChanges`)."""

from __future__ import annotations

from dataclasses import dataclass

from migarchive.core import importing
from migarchive.core.model import DocPath, Skipped
from migarchive.core.notes.model import Annotation, Bookmark, NoteChange


@dataclass(frozen=True)
class Change:
    """`index`: the archive's state was replaced (documents, meetings, entities, results may all
    differ); `notes`: documents whose notes changed; `all_notes`: any note may have (an import, a
    restored backup); `tags`: the set of tags in use may have; `note`: the note written, or the one
    deleted (what undo puts back)."""

    index: bool = False
    documents: tuple[DocPath, ...] = ()
    notes: tuple[str, ...] = ()
    all_notes: bool = False
    tags: bool = False
    note: Annotation | Bookmark | None = None

    @property
    def notes_changed(self) -> bool:
        return self.all_notes or bool(self.notes)

    @classmethod
    def of_notes(cls, change: NoteChange, note: Annotation | Bookmark | None = None) -> Change:
        return cls(notes=change.paths, tags=change.tags_changed, note=note, all_notes=change.action == "imported")


@dataclass(frozen=True)
class SyncReport:
    documents: int
    passages: int
    added: tuple[DocPath, ...]
    updated: tuple[DocPath, ...]
    removed: tuple[DocPath, ...]
    skipped: tuple[Skipped, ...]
    rebuilt: bool
    seconds: float
    reanchored: int = 0  # notes of the changed documents found again in their new text
    orphaned: int = 0  # notes of the changed or removed documents whose text is gone
    notice: str | None = None  # something the user should hear about, e.g. a damaged index was rebuilt

    @property
    def change(self) -> Change:
        changed = (*self.added, *self.updated, *self.removed)
        # The state is swapped after every sync; notes move only when documents did.
        return Change(index=True, documents=changed, all_notes=self.rebuilt or bool(self.reanchored + self.orphaned))


@dataclass(frozen=True)
class AddReport:
    placed: tuple[importing.Placed, ...]
    sync: SyncReport | None
    unreadable: dict[str, str]  # added files that could not be indexed, with the reason

    @property
    def added(self) -> list[DocPath]:
        return [p.path for p in self.placed if p.status == importing.ADDED and p.path and p.path not in self.unreadable]

    @property
    def change(self) -> Change:
        return self.sync.change if self.sync is not None else Change()


@dataclass(frozen=True)
class BackupRestored:
    backup: str
    previous: str  # where the replaced database was moved
    anchored: int
    orphaned: int
