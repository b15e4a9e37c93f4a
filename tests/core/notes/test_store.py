"""The notes database (core.notes.store): CRUD, undo, tags, SQLite settings, migrations, backups,
damaged files and concurrent use."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from migarchive.core.notes import database
from migarchive.core.notes import rows as rows_module
from migarchive.core.notes.model import ANCHORED, ORPHANED, NoteChange
from migarchive.core.notes.store import SCHEMA_VERSION, NotesStore, list_backups, sha256_text
from migarchive.errors import NoteNotFoundError, NotesCorrupt, NotesProblem, UserError

TEXT = ("The Second United Nations Coordination Meeting on International Migration took place at the "
        "Headquarters of the United Nations in New York from 15 to 16 October 2003.\n\n"
        "Mr. Joseph Chamie, Director of the Population Division, opened the meeting. He welcomed participants "
        "and recalled that the first Coordination Meeting had discussed the exchange of information.\n")
PATH = "001_report.txt"


def _span(text: str, exact: str, occurrence: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.index(exact, start + 1)
    return start, start + len(exact)


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "data" / "notes.sqlite3", tmp_path / "data" / "backups"


@pytest.fixture
def store(db: tuple[Path, Path]) -> Iterator[NotesStore]:
    opened = NotesStore.open(*db)
    yield opened
    opened.close()


# -- annotations -----------------------------------------------------------------------------------


def test_add_annotation_computes_quote_hash_and_times(store: NotesStore) -> None:
    start, end = _span(TEXT, "Headquarters of the United Nations")
    a = store.add_annotation(PATH, TEXT, start, end, note="Where it met", tags=["venue"])
    assert len(a.id) == 32 and int(a.id, 16) >= 0
    assert (a.path, a.start, a.end, a.exact, a.status) == (PATH, start, end, "Headquarters of the United Nations",
                                                           ANCHORED)
    assert a.quote.prefix == TEXT[start - 32 : start] and a.quote.suffix == TEXT[end : end + 32]
    assert a.sha256 == sha256_text(TEXT)
    assert (a.note, a.colour, a.tags) == ("Where it met", "yellow", ("venue",))
    assert a.created == a.modified and a.created.endswith("Z")
    assert store.annotations() == [a]
    assert store.annotation(a.id) == a


def test_annotations_by_document_and_position(store: NotesStore) -> None:
    later = store.add_annotation(PATH, TEXT, *_span(TEXT, "Joseph Chamie"))
    earlier = store.add_annotation(PATH, TEXT, *_span(TEXT, "New York"))
    other = store.add_annotation("002_other.txt", TEXT, *_span(TEXT, "New York"))
    assert store.annotations() == [earlier, later, other]
    assert store.annotations(PATH) == [earlier, later]
    assert store.annotations("nope.txt") == []


def test_update_annotation(store: NotesStore) -> None:
    a = store.add_annotation(PATH, TEXT, *_span(TEXT, "New York"), note="old", tags=["a"])
    time.sleep(0.002)
    b = store.update_annotation(a.id, note="new", colour="green")
    assert (b.note, b.colour, b.tags, b.created) == ("new", "green", ("a",), a.created)
    assert b.modified > a.modified
    c = store.update_annotation(a.id, tags=["x", "y"])
    assert (c.note, c.tags) == ("new", ("x", "y"))
    assert store.annotation(a.id) == c
    with pytest.raises(NoteNotFoundError):
        store.update_annotation("0" * 32, note="x")


def test_delete_and_restore_is_an_undo(store: NotesStore) -> None:
    a = store.add_annotation(PATH, TEXT, *_span(TEXT, "New York"), note="n", tags=["t1", "t2"])
    b = store.add_annotation(PATH, TEXT, *_span(TEXT, "Joseph Chamie"))
    before = store.annotations()
    deleted = store.delete_annotation(a.id)
    assert deleted == a
    assert store.annotations() == [b]
    assert store.tags() == []
    assert store.restore_annotation(deleted) == a
    assert store.annotations() == before
    assert store.tags() == ["t1", "t2"]
    with pytest.raises(NoteNotFoundError):
        store.delete_annotation("f" * 32)


def test_restore_also_undoes_an_update(store: NotesStore) -> None:
    a = store.add_annotation(PATH, TEXT, *_span(TEXT, "New York"), note="first", tags=["keep"])
    store.update_annotation(a.id, note="second", tags=["other"])
    store.restore_annotation(a)
    assert store.annotations() == [a]
    assert store.tags() == ["keep"]


def test_tags_are_trimmed_unique_and_listed_while_used(store: NotesStore) -> None:
    a = store.add_annotation(PATH, TEXT, *_span(TEXT, "New York"),
                             tags=[" Remittances ", "remittances", "", "data  sets"])
    assert a.tags == ("Remittances", "data sets")
    store.add_annotation(PATH, TEXT, *_span(TEXT, "Joseph Chamie"), tags=["REMITTANCES", "berne"])
    assert store.tags() == ["berne", "data sets", "Remittances"]
    store.update_annotation(a.id, tags=[])
    assert store.tags() == ["berne", "Remittances"]
    with pytest.raises(UserError):
        store.add_annotation(PATH, TEXT, 0, 5, tags="one string")


def test_search_in_notes_quotes_and_tags(store: NotesStore) -> None:
    a = store.add_annotation(PATH, TEXT, *_span(TEXT, "New York"), note="The venue of the MEETING", tags=["venue"])
    b = store.add_annotation(PATH, TEXT, *_span(TEXT, "Joseph Chamie"), note="opened it", tags=["people"])
    assert store.search("meeting") == [a]
    assert store.search("new york") == [a]
    assert store.search("CHAMIE people") == [b]
    assert store.search("chamie venue") == []
    assert store.search("") == [a, b]


@pytest.mark.parametrize("start,end", [(-1, 4), (5, 5), (10, 2), (0, 10_000)])
def test_bad_spans_are_refused(store: NotesStore, start: int, end: int) -> None:
    with pytest.raises(UserError):
        store.add_annotation(PATH, TEXT, start, end)
    assert store.annotations() == []


def test_blank_span_bad_colour_and_bad_path_are_refused(store: NotesStore) -> None:
    blank = TEXT.index("\n\n")
    with pytest.raises(UserError):
        store.add_annotation(PATH, TEXT, blank, blank + 2)
    with pytest.raises(UserError):
        store.add_annotation(PATH, TEXT, 0, 5, colour="octarine")
    assert store.add_annotation(PATH, TEXT, 0, 5, colour="#AA00ff").colour == "#AA00ff"
    for path in ("/abs/path.txt", "win\\path.txt", ""):
        with pytest.raises(UserError):
            store.add_annotation(path, TEXT, 0, 5)


# -- bookmarks -------------------------------------------------------------------------------------


def test_bookmarks_of_a_document_a_passage_and_a_span(store: NotesStore, seed_docs) -> None:
    doc = seed_docs["001"]
    passage = doc.passages[3]
    whole = store.add_bookmark(doc.path, doc.cleaned, label="read later")
    by_id = store.add_bookmark(doc.path, doc.cleaned, passage_id=passage.id)
    span_start = doc.passages[5].start + 4
    by_span = store.add_bookmark(doc.path, doc.cleaned, span_start, span_start + 30, label="span")
    assert (whole.quote, whole.start, whole.end, whole.passage_id, whole.label) == (None, None, None, None,
                                                                                     "read later")
    assert (by_id.start, by_id.end, by_id.exact) == (passage.start, passage.end, passage.text)
    assert by_span.passage_id == doc.passages[5].id
    assert store.bookmarks() == sorted([whole, by_id, by_span], key=lambda b: (b.start is not None, b.start))
    with pytest.raises(UserError):
        store.add_bookmark(doc.path, doc.cleaned, passage_id="pnosuchpassage")
    with pytest.raises(UserError):
        store.add_bookmark(doc.path, doc.cleaned, start=3)


def test_update_delete_restore_bookmark(store: NotesStore) -> None:
    b = store.add_bookmark(PATH, TEXT, *_span(TEXT, "Joseph Chamie"), label="one")
    time.sleep(0.002)
    renamed = store.update_bookmark(b.id, label="two")
    assert renamed.label == "two" and renamed.modified > b.modified
    deleted = store.delete_bookmark(b.id)
    assert deleted == renamed and store.bookmarks() == []
    store.restore_bookmark(deleted)
    assert store.bookmarks() == [renamed]
    with pytest.raises(NoteNotFoundError):
        store.update_bookmark("0" * 32, label="x")


# -- re-anchoring ----------------------------------------------------------------------------------


def test_reanchor_follows_moved_text_and_orphans_deleted_text(store: NotesStore) -> None:
    kept = store.add_annotation(PATH, TEXT, *_span(TEXT, "Headquarters of the United Nations in New York"))
    gone = store.add_annotation(PATH, TEXT, *_span(TEXT, "He welcomed participants and recalled"))
    mark = store.add_bookmark(PATH, TEXT, *_span(TEXT, "took place at the Headquarters"))
    whole = store.add_bookmark(PATH, TEXT)
    edited = "A paragraph inserted above.\n\n" + TEXT.split("\n\n")[0] + "\n"
    assert store.reanchor(PATH, edited) == (3, 1)
    now_kept = store.annotation(kept.id)
    assert edited[now_kept.start : now_kept.end] == kept.exact
    assert now_kept.status == ANCHORED and now_kept.sha256 == sha256_text(edited)
    assert now_kept.modified == kept.modified  # the user did not modify it
    now_gone = store.annotation(gone.id)
    assert now_gone.status == ORPHANED
    assert (now_gone.quote, now_gone.start, now_gone.end, now_gone.sha256) == (gone.quote, gone.start, gone.end,
                                                                               gone.sha256)
    assert store.bookmark(mark.id).start == mark.start + 29
    assert store.bookmark(whole.id).status == ANCHORED
    # the same text again: nothing to do; an orphan stays one
    assert store.reanchor(PATH, edited) == (3, 1)
    # the text comes back: the orphan is found again
    assert store.reanchor(PATH, TEXT) == (4, 0)
    assert store.annotation(gone.id).status == ANCHORED
    assert (store.annotation(gone.id).start, store.annotation(gone.id).end) == (gone.start, gone.end)


def test_orphan_document_and_back(store: NotesStore) -> None:
    a = store.add_annotation(PATH, TEXT, *_span(TEXT, "New York"))
    b = store.add_bookmark(PATH, TEXT)
    other = store.add_annotation("other.txt", TEXT, *_span(TEXT, "New York"))
    assert store.orphan_document(PATH) == 2
    assert store.annotation(a.id).status == ORPHANED and store.bookmark(b.id).status == ORPHANED
    assert store.annotation(other.id).status == ANCHORED
    assert store.paths() == [PATH, "other.txt"]
    assert store.reanchor(PATH, TEXT) == (2, 0)
    assert store.annotation(a.id) == a and store.bookmark(b.id).status == ANCHORED


def test_listeners_hear_each_committed_write(store: NotesStore) -> None:
    heard: list[NoteChange] = []
    unsubscribe = store.subscribe(heard.append)
    a = store.add_annotation(PATH, TEXT, 0, 10, tags=["x"])
    store.update_annotation(a.id, note="n")
    store.delete_annotation(a.id)
    assert [(c.action, c.annotation_ids, c.paths) for c in heard] == [
        ("added", (a.id,), (PATH,)), ("updated", (a.id,), (PATH,)), ("deleted", (a.id,), (PATH,))]
    assert heard[0].tags_changed and not heard[1].tags_changed
    unsubscribe()
    store.add_annotation(PATH, TEXT, 0, 10)
    assert len(heard) == 3


# -- SQLite settings, transactions, migrations -----------------------------------------------------


def test_wal_foreign_keys_and_schema_version(store: NotesStore, db: tuple[Path, Path]) -> None:
    store.add_annotation(PATH, TEXT, 0, 10, tags=["x"])
    connection = store._connection()
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert connection.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    other = sqlite3.connect(db[0])
    try:
        assert other.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 1
        assert other.execute("SELECT count(*) FROM annotation_tag").fetchone()[0] == 1
    finally:
        other.close()


def test_foreign_keys_cascade_tags_on_delete(store: NotesStore) -> None:
    a = store.add_annotation(PATH, TEXT, 0, 10, tags=["x", "y"])
    store.delete_annotation(a.id)
    connection = store._connection()
    assert connection.execute("SELECT count(*) FROM annotation_tag").fetchone()[0] == 0
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute("INSERT INTO annotation_tag VALUES ('nope', 12345, 0)")


def test_a_failing_write_leaves_nothing_behind(store: NotesStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(rows_module, "set_tags", broken)
    with pytest.raises(RuntimeError):
        store.add_annotation(PATH, TEXT, 0, 10, tags=["x"])
    monkeypatch.undo()
    assert store.annotations() == []
    assert not store._connection().in_transaction
    store.add_annotation(PATH, TEXT, 0, 10)  # and the store still works
    assert len(store.annotations()) == 1


def test_a_newer_database_is_refused_and_left_alone(db: tuple[Path, Path]) -> None:
    path, backups = db
    path.parent.mkdir(parents=True)
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE future (x)")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(NotesProblem, match="newer"):
        NotesStore.open(path, backups)
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_migration_runs_in_order_after_a_backup(db: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    path, backups = db
    first = NotesStore.open(path, backups)
    a = first.add_annotation(PATH, TEXT, 0, 10, note="kept")
    first.close()
    for old in list_backups(backups, path):
        old.unlink()
    monkeypatch.setattr(database, "MIGRATIONS",
                        [*database.MIGRATIONS, ("ALTER TABLE annotation ADD COLUMN extra TEXT",)])
    monkeypatch.setattr(database, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    second = NotesStore.open(path, backups)
    try:
        assert second.annotations() == [a]
        assert second._connection().execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    finally:
        second.close()
    made = list_backups(backups, path)
    assert [p for p in made if p.name.endswith(f"-before-v{SCHEMA_VERSION + 1}.sqlite3")]
    old = sqlite3.connect(next(p for p in made if "before" in p.name))
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert old.execute("SELECT note FROM annotation").fetchall() == [("kept",)]
    finally:
        old.close()


# -- backups and damaged files ---------------------------------------------------------------------


def test_daily_backup_on_open(db: tuple[Path, Path]) -> None:
    path, backups = db
    store = NotesStore.open(path, backups)
    a = store.add_annotation(PATH, TEXT, 0, 10, note="backed up")
    store.close()
    assert list_backups(backups, path) == []  # a new database: nothing to keep before it
    NotesStore.open(path, backups).close()
    made = list_backups(backups, path)
    assert len(made) == 1 and made[0].name.endswith("-daily.sqlite3")
    copy = NotesStore.open(made[0], backups / "elsewhere")
    try:
        assert copy.annotations() == [a]
    finally:
        copy.close()
    NotesStore.open(path, backups).close()
    assert len(list_backups(backups, path)) == 1  # not twice a day
    day_old = time.time() - 25 * 3600
    os.utime(made[0], (day_old, day_old))
    NotesStore.open(path, backups).close()
    assert len(list_backups(backups, path)) == 2


def test_only_the_newest_backups_are_kept(store: NotesStore) -> None:
    for _ in range(database.BACKUPS_KEPT + 3):
        store.backup()
    assert len(list_backups(store.backups_dir, store.path)) == database.BACKUPS_KEPT


def _damage(path: Path) -> bytes:
    data = bytearray(path.read_bytes())
    data[4096 : 4096 + 200] = b"\xff" * 200  # page 2: a table's b-tree page
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_file_that_is_not_a_database(db: tuple[Path, Path]) -> None:
    path, backups = db
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not SQLite at all" * 100)
    with pytest.raises(NotesCorrupt) as caught:
        NotesStore.open(path, backups)
    assert caught.value.path == path
    assert caught.value.backups == []
    assert "there is no backup" in str(caught.value)
    assert path.read_bytes() == b"this is not SQLite at all" * 100


def test_damage_is_detected_backups_offered_and_restored_without_overwriting(db: tuple[Path, Path]) -> None:
    path, backups = db
    store = NotesStore.open(path, backups)
    notes = [store.add_annotation(PATH, TEXT, i, i + 20, note=f"note {i}" * 30) for i in range(0, 200, 2)]
    older = store.backup()
    time.sleep(0.01)
    newer = store.backup()
    store.close()
    damaged = _damage(path)
    backup_bytes = newer.read_bytes()
    with pytest.raises(NotesCorrupt) as caught:
        NotesStore.open(path, backups)
    assert caught.value.path == path
    assert caught.value.backups == [newer, older]
    assert str(newer) in str(caught.value)
    assert path.read_bytes() == damaged  # untouched by the check
    # (a read-only check of a WAL database may leave empty -wal/-shm files: they go aside with it)
    files_before = {p: p.read_bytes() for p in path.parent.rglob("*")
                    if p.is_file() and not p.name.startswith(path.name)}
    aside = NotesStore.restore_backup(path, caught.value.backups[0])
    assert aside.read_bytes() == damaged and aside.parent == path.parent
    for other, content in files_before.items():
        assert other.read_bytes() == content, other  # nothing else was overwritten
    assert newer.read_bytes() == backup_bytes
    restored = NotesStore.open(path, backups)
    try:
        assert restored.annotations() == sorted(notes, key=lambda a: (a.start, a.end))
    finally:
        restored.close()
    with pytest.raises(UserError):
        NotesStore.restore_backup(path, backups / "missing.sqlite3")


def test_a_damaged_backup_is_not_offered_nor_restored(db: tuple[Path, Path]) -> None:
    path, backups = db
    store = NotesStore.open(path, backups)
    for i in range(100):
        store.add_annotation(PATH, TEXT, i, i + 20, note="x" * 300)
    backup = store.backup()
    store.close()
    _damage(backup)
    _damage(path)
    with pytest.raises(NotesCorrupt) as caught:
        NotesStore.open(path, backups)
    assert caught.value.backups == []
    damaged = path.read_bytes()
    with pytest.raises(NotesProblem, match="damaged too"):
        NotesStore.restore_backup(path, backup)
    assert path.read_bytes() == damaged


# -- threads and processes -------------------------------------------------------------------------


def test_a_second_connection_reads_while_the_first_writes(db: tuple[Path, Path]) -> None:
    writer = NotesStore.open(*db)
    reader = NotesStore.open(*db)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for i in range(150):
                writer.add_annotation(PATH, TEXT, i % 100, i % 100 + 15, note=f"n{i}", tags=[f"t{i % 5}"])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    seen = []
    while thread.is_alive():
        seen.append(len(reader.annotations()))
    thread.join()
    try:
        assert errors == []
        assert seen == sorted(seen)  # each read sees a committed state, never a half one
        assert len(reader.annotations()) == 150
    finally:
        writer.close()
        reader.close()


def test_one_store_shared_by_threads(store: NotesStore) -> None:
    def write(n: int) -> None:
        for i in range(30):
            store.add_annotation(f"doc{n}.txt", TEXT, i, i + 10)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.annotations()) == 120


def test_closed_store_says_so(db: tuple[Path, Path]) -> None:
    store = NotesStore.open(*db)
    store.close()
    assert store.closed
    with pytest.raises(NotesProblem, match="closed"):
        store.annotations()


def test_a_file_that_cannot_be_opened_is_not_called_damaged(db: tuple[Path, Path]) -> None:
    path, backups = db
    path.mkdir(parents=True)  # a folder where the database should be
    (path / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(NotesProblem) as caught:
        NotesStore.open(path, backups)
    assert not isinstance(caught.value, NotesCorrupt)
    assert (path / "keep.txt").read_text(encoding="utf-8") == "x"
