"""Every note write goes through the facade and says what it changed (core/archive_notes.py)."""

from __future__ import annotations

import pytest

from migarchive.core.archive import Archive
from migarchive.core.notes.model import Annotation, Bookmark
from migarchive.errors import NoteNotFoundError, UserError

DOC = "001_2af6c4c605665e75.txt"


def _span(archive: Archive, phrase: str) -> tuple[int, int]:
    at = archive.document(DOC).cleaned.index(phrase)
    return at, at + len(phrase)


def test_writes_return_the_note_and_what_changed(archive: Archive) -> None:
    added = archive.annotate(DOC, *_span(archive, "Berne Initiative"), note="first", tags=["rcp"])
    assert isinstance(added.note, Annotation) and added.notes == (DOC,) and added.tags and not added.index
    note_id = added.note.id
    edited = archive.edit_note(note_id, note="second")
    assert isinstance(edited.note, Annotation) and edited.note.note == "second" and not edited.tags
    assert archive.note(note_id) == edited.note
    deleted = archive.delete_note(note_id)
    assert deleted.note == edited.note and archive.annotations() == []
    with pytest.raises(NoteNotFoundError):
        archive.note(note_id)
    restored = archive.restore_note(deleted.note)
    assert archive.annotations() == [edited.note] and restored.notes == (DOC,)


def test_bookmarks_are_edited_and_deleted_through_the_same_door(archive: Archive) -> None:
    passage = archive.document(DOC).passages[3]
    marked = archive.bookmark(DOC, passage_id=passage.id)
    assert isinstance(marked.note, Bookmark) and marked.note.passage_id == passage.id
    relabelled = archive.edit_note(marked.note.id, label="to read")
    assert isinstance(relabelled.note, Bookmark) and relabelled.note.label == "to read"
    assert archive.delete_note(marked.note.id).note == relabelled.note
    assert archive.bookmarks() == []


def test_exports_and_imports_round_trip_through_the_facade(archive: Archive, tmp_path) -> None:  # type: ignore[no-untyped-def]
    archive.annotate(DOC, *_span(archive, "Berne Initiative"), note="kept")
    exported = tmp_path / "notes.json"
    exported.write_text(archive.export_notes("json"), encoding="utf-8")
    assert "Berne Initiative" in archive.export_notes("markdown")
    with pytest.raises(UserError):
        archive.export_notes("pdf")
    (note,) = archive.annotations()
    archive.delete_note(note.id)
    report, change = archive.import_notes(archive.read_notes_file(exported))
    assert report.added == 1 and change.all_notes
    assert [a.id for a in archive.annotations()] == [note.id]


def test_restoring_a_backup_refuses_a_healthy_database_unless_one_is_named(archive: Archive) -> None:
    archive.annotate(DOC, *_span(archive, "Berne Initiative"))
    backup = archive.notes.backup("test")
    with pytest.raises(UserError, match="not damaged"):
        archive.restore_notes_backup()
    archive.annotate(DOC, *_span(archive, "global consultative process"))
    restored, change = archive.restore_notes_backup(backup)
    assert change.all_notes and restored.backup == str(backup)
    assert [a.exact for a in archive.annotations()] == ["Berne Initiative"]
