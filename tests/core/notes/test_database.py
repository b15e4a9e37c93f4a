"""SQLite's failures told apart by result code (core.notes.database.failure_of), each made to happen
for real where SQLite can be brought to it here, and what the store's callers then see."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from migarchive.core.notes import database
from migarchive.errors import NotesCorrupt, NotesProblem


def _failure(action: Callable[[], object]) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as caught:
        action()
    return caught.value


def _table(path: Path, rows: int = 10) -> sqlite3.Connection:
    connection = sqlite3.connect(str(path), isolation_level=None)
    connection.execute("BEGIN")  # one commit: one fsync, not one a row
    connection.execute("CREATE TABLE t (x)")
    connection.executemany("INSERT INTO t VALUES (?)", [("y" * 500,) for _ in range(rows)])
    connection.execute("COMMIT")
    return connection


def _coded(kind: type[sqlite3.Error], message: str, code: int) -> sqlite3.Error:
    """An error as SQLite would raise it, for the failures a test cannot bring about."""
    error = kind(message)
    error.sqlite_errorcode = code
    error.sqlite_errorname = next(n for n in dir(sqlite3) if n.startswith("SQLITE_") and getattr(sqlite3, n) == code)
    return error


def test_a_file_that_is_not_a_database_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"not sqlite at all " * 200)
    error = _failure(lambda: sqlite3.connect(str(path)).execute("SELECT * FROM sqlite_master").fetchall())
    assert error.sqlite_errorcode == sqlite3.SQLITE_NOTADB
    assert database.failure_of(error) == database.DAMAGED


def test_a_database_with_an_overwritten_page_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    _table(path, rows=200).close()
    with open(path, "r+b") as handle:
        handle.seek(3 * 4096)
        handle.write(b"\xff" * 4096)
    error = _failure(lambda: sqlite3.connect(str(path)).execute("SELECT max(length(x)) FROM t").fetchall())
    assert error.sqlite_errorcode == sqlite3.SQLITE_CORRUPT
    assert database.failure_of(error) == database.DAMAGED


def test_a_full_database_is_full_not_damaged(tmp_path: Path) -> None:
    connection = sqlite3.connect(str(tmp_path / "notes.sqlite3"), isolation_level=None)
    connection.execute("PRAGMA page_size = 1024")
    connection.execute("CREATE TABLE t (x)")
    connection.execute("PRAGMA max_page_count = 3")  # as a full disk would, SQLite runs out of room
    error = _failure(lambda: [connection.execute("INSERT INTO t VALUES (?)", ("x" * 2000,)) for _ in range(10)])
    assert error.sqlite_errorcode == sqlite3.SQLITE_FULL
    assert database.failure_of(error) == database.FULL


def test_writing_through_a_read_only_connection_is_read_only(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    _table(path).close()
    read_only = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    error = _failure(lambda: read_only.execute("INSERT INTO t VALUES (1)"))
    assert error.sqlite_errorcode == sqlite3.SQLITE_READONLY
    assert database.failure_of(error) == database.READ_ONLY


def test_a_write_lock_held_elsewhere_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    holder = _table(path)
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(str(path), timeout=0, isolation_level=None)
    error = _failure(lambda: other.execute("BEGIN IMMEDIATE"))
    holder.execute("ROLLBACK")
    assert error.sqlite_errorcode == sqlite3.SQLITE_BUSY
    assert database.failure_of(error) == database.LOCKED


def test_a_table_in_use_by_the_same_connection_is_locked(tmp_path: Path) -> None:
    connection = _table(tmp_path / "notes.sqlite3")
    reading = connection.execute("SELECT x FROM t")
    reading.fetchone()
    error = _failure(lambda: connection.execute("DROP TABLE t"))
    assert error.sqlite_errorcode == sqlite3.SQLITE_LOCKED
    assert database.failure_of(error) == database.LOCKED


def test_a_database_in_a_missing_folder_cannot_be_opened(tmp_path: Path) -> None:
    error = _failure(lambda: sqlite3.connect(str(tmp_path / "missing" / "notes.sqlite3")))
    assert error.sqlite_errorcode == sqlite3.SQLITE_CANTOPEN
    assert database.failure_of(error) == database.CANNOT_OPEN


def test_input_output_errors_and_extended_codes_by_their_primary_code() -> None:
    # A failing disk cannot be had on demand; the codes are the ones SQLite gives.
    write = _coded(sqlite3.OperationalError, "disk I/O error", sqlite3.SQLITE_IOERR_WRITE)
    assert database.failure_of(write) == database.IO_ERROR
    assert database.failure_of(_coded(sqlite3.OperationalError, "disk I/O error", sqlite3.SQLITE_IOERR)) \
        == database.IO_ERROR
    assert database.failure_of(_coded(sqlite3.DatabaseError, "database disk image is malformed",
                                      sqlite3.SQLITE_CORRUPT_INDEX)) == database.DAMAGED
    assert database.failure_of(_coded(sqlite3.OperationalError, "database is locked",
                                      sqlite3.SQLITE_BUSY_TIMEOUT)) == database.LOCKED


def test_the_message_alone_no_longer_decides() -> None:
    # "malformed" in the words, but no code of SQLite's: the sqlite3 module's own, or a test double.
    assert database.failure_of(sqlite3.DatabaseError("database disk image is malformed")) == database.OTHER
    assert database.failure_of(_coded(sqlite3.OperationalError, "no such table: t", sqlite3.SQLITE_ERROR)) \
        == database.OTHER


def test_sql_errors_says_damaged_for_a_damaged_file_and_the_problem_otherwise(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    with pytest.raises(NotesCorrupt) as corrupt, database.sql_errors(path):
        raise _coded(sqlite3.DatabaseError, "database disk image is malformed", sqlite3.SQLITE_CORRUPT)
    assert str(corrupt.value) == f"the notes database {path} is damaged (database disk image is malformed)"
    assert corrupt.value.path == path and corrupt.value.backups == []

    for kind, message, code in [(sqlite3.OperationalError, "database or disk is full", sqlite3.SQLITE_FULL),
                                (sqlite3.OperationalError, "attempt to write a readonly database",
                                 sqlite3.SQLITE_READONLY),
                                (sqlite3.OperationalError, "database is locked", sqlite3.SQLITE_BUSY),
                                (sqlite3.OperationalError, "disk I/O error", sqlite3.SQLITE_IOERR_FSYNC)]:
        with pytest.raises(NotesProblem) as problem, database.sql_errors(path):
            raise _coded(kind, message, code)
        assert type(problem.value) is NotesProblem
        assert str(problem.value) == f"the notes database {path}: {message}"


def test_sql_errors_lets_bugs_through(tmp_path: Path) -> None:
    with pytest.raises(sqlite3.IntegrityError), database.sql_errors(tmp_path / "notes.sqlite3"):
        raise _coded(sqlite3.IntegrityError, "UNIQUE constraint failed: t.x", sqlite3.SQLITE_CONSTRAINT_UNIQUE)


def test_check_file_reports_damage_and_refuses_what_it_cannot_read(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not sqlite at all " * 200)
    assert database.check_file(damaged) == "file is not a database"

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 50)
    held = tmp_path / "held.sqlite3"
    holder = _table(held)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")  # not even a reader gets in
    try:
        with pytest.raises(NotesProblem, match="cannot read the notes database"):
            database.check_file(held)
    finally:
        holder.execute("ROLLBACK")
