"""Notes in the window: highlight, annotate, bookmark, the Notes tab, undo, export and import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from gui_support import run_search, settle
from migarchive.ui.annotate_dialog import AnnotateDialog
from migarchive.ui.main_window import MainWindow
from migarchive.ui.roles import KeyRole

from .conftest import OpenWindow

pytestmark = pytest.mark.gui

DOC = "001_2af6c4c605665e75.txt"


def _select(win: MainWindow, phrase: str) -> None:
    document = win.reader.browser.document()
    at = document.toPlainText().find(phrase)
    assert at >= 0, phrase
    cursor = QTextCursor(document)
    cursor.setPosition(at)
    cursor.setPosition(at + len(phrase), QTextCursor.MoveMode.KeepAnchor)
    win.reader.browser.setTextCursor(cursor)


def _note_labels(win: MainWindow) -> list[str]:
    model, labels = win.notes_panel.proxy, []

    def walk(parent) -> None:  # type: ignore[no-untyped-def]
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            if index.data(KeyRole):
                labels.append(index.data())
            walk(index)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex())
    return labels


@pytest.fixture
def answer_dialog(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """answer_dialog(note, tags, colour): the next Annotate dialog is filled in and saved."""

    def prepare(note: str, tags: str = "", colour: str = "yellow") -> None:
        def fake_exec(dialog: AnnotateDialog) -> int:
            dialog.note.setPlainText(note)
            dialog.tags.setText(tags)
            dialog.colour.setCurrentText(colour)
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(AnnotateDialog, "exec", fake_exec)

    return prepare


def test_highlight_annotate_bookmark_and_see_them_in_the_notes_tab(win: MainWindow, answer_dialog) -> None:  # type: ignore[no-untyped-def]
    assert win.open_place(DOC)
    _select(win, "Berne Initiative, launched in 2002")
    win.notes.highlight()
    settle(win)
    _select(win, "global consultative process")
    answer_dialog("Compare with the regional processes in 004", "governance, rcp", "green")
    win.notes.annotate()
    settle(win)
    _select(win, "Geneva Migration Group")
    win.notes.bookmark()
    settle(win)
    store = win.archive
    annotations = {a.exact: a for a in store.annotations()}
    assert set(annotations) == {"Berne Initiative, launched in 2002", "global consultative process"}
    cleaned = win.reader.document.cleaned
    for exact, annotation in annotations.items():
        assert cleaned[annotation.start:annotation.end] == exact  # anchored in the cleaned text
    note = annotations["global consultative process"]
    assert note.note == "Compare with the regional processes in 004"
    assert note.tags == ("governance", "rcp") and note.colour == "green"
    assert len(store.bookmarks()) == 1
    labels = _note_labels(win)
    assert len(labels) == 3
    assert any("Compare with the regional processes" in label for label in labels)
    assert any(label.startswith("Bookmark") for label in labels)
    assert len(win.reader._notes) == 2, "both highlights are drawn in the reader"
    win.notes_panel.tag.setCurrentText("rcp")
    assert len(_note_labels(win)) == 1


def test_delete_then_undo_brings_the_same_note_back(win: MainWindow, answer_dialog) -> None:  # type: ignore[no-untyped-def]
    assert win.open_place(DOC)
    _select(win, "trafficking in persons")
    answer_dialog("keep this", "law")
    win.notes.annotate()
    settle(win)
    store = win.archive
    (original,) = store.annotations()
    win.notes.delete_note(f"a:{original.id}")
    settle(win)
    assert store.annotations() == []
    assert _note_labels(win) == []
    win.undo_stack.undo()
    settle(win)
    (restored,) = store.annotations()
    assert restored == original
    assert len(_note_labels(win)) == 1
    win.undo_stack.redo()
    settle(win)
    assert store.annotations() == []


def test_opening_a_note_selects_its_text(win: MainWindow) -> None:
    assert win.open_place(DOC)
    _select(win, "Counter-Trafficking Database")
    win.notes.highlight()
    settle(win)
    win.open_place("002_85393ee9b1ec9064.txt")
    store = win.archive
    (annotation,) = store.annotations()
    win.notes.open_note(f"a:{annotation.id}")
    assert win.reader.place.path == DOC
    assert win.reader.browser.textCursor().selectedText() == "Counter-Trafficking Database"


def test_search_can_include_notes(win: MainWindow, answer_dialog) -> None:  # type: ignore[no-untyped-def]
    assert win.open_place(DOC)
    _select(win, "Migration Policy Institute")
    answer_dialog("MPI data hub, check the 2004 update")
    win.notes.annotate()
    settle(win)
    win.search_field.setText("hub in:notes")
    run_search(win)
    assert win.results_model.rowCount() == 1
    assert "1 note" in win.result_summary.text()
    win.search_field.setText("hub")
    win.include_notes.setChecked(True)
    run_search(win)
    assert win.results_model.hit(0).passage_id.startswith("note:")


def test_export_and_reimport_into_an_empty_data_directory(open_window: OpenWindow, tmp_path: Path, answer_dialog,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    win = open_window(data_dir=tmp_path / "first")
    assert win.open_place(DOC)
    _select(win, "Swiss Federal Office for Refugees")
    answer_dialog("the Berne process host", "berne")
    win.notes.annotate()
    settle(win)
    _select(win, "League of Arab States")
    win.notes.highlight()
    settle(win)
    win.notes.bookmark()
    settle(win)
    exported = tmp_path / "notes.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(exported), ""))
    win.notes.export_notes("json")
    settle(win)
    data = json.loads(exported.read_text("utf-8"))
    assert data["type"] == "AnnotationCollection"
    markdown = tmp_path / "notes.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(markdown), ""))
    win.notes.export_notes("markdown")
    settle(win)
    assert "Swiss Federal Office for Refugees" in markdown.read_text("utf-8")
    first = win.archive
    before = (sorted(first.annotations(), key=lambda a: a.id), sorted(first.bookmarks(), key=lambda b: b.id))

    second = open_window(data_dir=tmp_path / "second", settings=tmp_path / "second.ini")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(exported), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    second.notes.import_notes()
    settle(second)
    store = second.archive
    after = (sorted(store.annotations(), key=lambda a: a.id), sorted(store.bookmarks(), key=lambda b: b.id))
    key = (lambda a: (a.id, a.path, a.exact, a.start, a.end, a.note, a.tags, a.colour, a.status))
    assert [key(a) for a in after[0]] == [key(a) for a in before[0]]
    assert [(b.id, b.path, b.passage_id) for b in after[1]] == [(b.id, b.path, b.passage_id) for b in before[1]]
    assert len(_note_labels(second)) == 3
    second.notes.import_notes()  # the same file again adds nothing
    settle(second)
    assert len(store.annotations()) == 2


def test_failed_save_keeps_the_note_in_the_editor(win: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from migarchive.errors import NotesProblem

    assert win.open_place(DOC)
    _select(win, "brain drain")
    store = win.archive
    shown: list[str] = []
    attempts = iter([True, False])

    def fake_exec(dialog: AnnotateDialog) -> int:
        shown.append(dialog.note.toPlainText())
        if len(shown) == 1:
            dialog.note.setPlainText("a long thought")
        return QDialog.DialogCode.Accepted if next(attempts) else QDialog.DialogCode.Rejected

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise NotesProblem("database or disk is full")

    monkeypatch.setattr(AnnotateDialog, "exec", fake_exec)
    monkeypatch.setattr(store, "annotate", full_disk)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    win.notes.annotate()
    settle(win)
    settle(win)
    assert shown == ["", "a long thought"], "the editor comes back with what was written"


def _damaged_notes_with_a_backup(data_dir: Path, corpus_dir: Path) -> str:
    """A data dir whose notes database is damaged, with a good backup holding one annotation."""
    from migarchive.core.archive import Archive
    from migarchive.paths import AppPaths

    archive = Archive.open(AppPaths(corpus_dir, data_dir))
    text = archive.document(DOC).cleaned
    at = text.index("brain drain")
    note = archive.notes.add_annotation(DOC, text, at, at + len("brain drain"), note="kept safe")
    archive.notes.backup("test")
    archive.close()
    db = data_dir / "notes.sqlite3"
    for extra in ("-wal", "-shm"):
        Path(str(db) + extra).unlink(missing_ok=True)
    db.write_bytes(b"this is not a database" * 100)
    return note.id


def test_a_damaged_notes_database_offers_the_latest_backup(open_window: OpenWindow, tmp_path: Path,
                                                           corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "data"
    note_id = _damaged_notes_with_a_backup(data_dir, corpus_dir)
    asked: list[str] = []

    def yes(*args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    win = open_window(data_dir=data_dir)
    assert asked and "backup" in asked[0]
    settle(win)
    assert win.notes.available() and [a.id for a in win.archive.annotations()] == [note_id]
    kept = [p for p in data_dir.iterdir() if p.name.startswith("notes") and p.name != "notes.sqlite3"
            and b"this is not a database" in p.read_bytes()[:40]]
    assert kept, "the damaged file is kept beside, renamed, never overwritten"


def test_declining_the_backup_keeps_the_app_working_without_notes(open_window: OpenWindow, tmp_path: Path,
                                                                  corpus_dir: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "data"
    _damaged_notes_with_a_backup(data_dir, corpus_dir)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    win = open_window(data_dir=data_dir)
    assert not win.notes.available()
    assert (data_dir / "notes.sqlite3").read_bytes().startswith(b"this is not a database")
    win.search_field.setText("remittances")
    run_search(win)
    assert win.results_model.rowCount() > 0
