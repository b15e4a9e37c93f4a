"""SQLite plumbing of the notes database: schema and migrations, connections, checks and backups.

- WAL mode, foreign keys on, `synchronous=FULL`, a busy timeout; the store makes every write one
  `BEGIN IMMEDIATE` transaction, so a killed process loses nothing it had committed.
- The schema version is `PRAGMA user_version`; `MIGRATIONS` run in order, each in a transaction; a
  database from a newer migarchive is refused and left untouched.
- Backups use SQLite's online backup API (a consistent copy even while the database is in use).
- A damaged file is recognised with `PRAGMA quick_check` on a read-only connection, so that checking
  cannot change it; `restore` moves it aside under a new name, never overwriting anything.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from migarchive.errors import NotesCorrupt, NotesProblem, UserError

# What went wrong, told by SQLite's result code (`sqlite3.Error.sqlite_errorcode`, Python >= 3.11), not
# by its message, which is for people and may change: the file is damaged, or the machine got in the way.
DAMAGED, FULL, READ_ONLY, LOCKED, IO_ERROR, CANNOT_OPEN, OTHER = (
    "damaged", "disk full", "read-only", "locked", "input/output error", "cannot open", "other")
_FAILURES = {
    sqlite3.SQLITE_CORRUPT: DAMAGED,
    sqlite3.SQLITE_NOTADB: DAMAGED,
    sqlite3.SQLITE_FULL: FULL,
    sqlite3.SQLITE_READONLY: READ_ONLY,
    sqlite3.SQLITE_BUSY: LOCKED,  # another connection holds the lock past the busy timeout
    sqlite3.SQLITE_LOCKED: LOCKED,  # a conflict within this connection
    sqlite3.SQLITE_IOERR: IO_ERROR,
    sqlite3.SQLITE_CANTOPEN: CANNOT_OPEN,
}

BACKUPS_KEPT = 10
BACKUP_INTERVAL = 24 * 3600  # seconds between automatic backups
BUSY_TIMEOUT_MS = 5000

# Ordered migrations: MIGRATIONS[n] takes a database from user_version n to n + 1. Append, never edit.
MIGRATIONS: list[tuple[str, ...]] = [
    (
        """CREATE TABLE annotation (
            id TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            exact TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            start_offset INTEGER NOT NULL,
            end_offset INTEGER NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            colour TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('anchored', 'orphaned')),
            created TEXT NOT NULL,
            modified TEXT NOT NULL
        )""",
        "CREATE INDEX annotation_path ON annotation (path, start_offset)",
        "CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE)",
        """CREATE TABLE annotation_tag (
            annotation_id TEXT NOT NULL REFERENCES annotation (id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (annotation_id, tag_id)
        )""",
        "CREATE INDEX annotation_tag_tag ON annotation_tag (tag_id)",
        """CREATE TABLE bookmark (
            id TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            passage_id TEXT,
            label TEXT NOT NULL DEFAULT '',
            sha256 TEXT NOT NULL,
            exact TEXT,
            prefix TEXT,
            suffix TEXT,
            start_offset INTEGER,
            end_offset INTEGER,
            status TEXT NOT NULL CHECK (status IN ('anchored', 'orphaned')),
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            CHECK ((exact IS NULL) = (start_offset IS NULL) AND (start_offset IS NULL) = (end_offset IS NULL))
        )""",
        "CREATE INDEX bookmark_path ON bookmark (path)",
    ),
]
SCHEMA_VERSION = len(MIGRATIONS)


def failure_of(exc: sqlite3.Error) -> str:
    """Which kind of failure `exc` is (DAMAGED, FULL, …, OTHER for the rest)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:  # raised by the sqlite3 module itself, not by SQLite
        return OTHER
    # An extended code (SQLITE_IOERR_WRITE, SQLITE_CORRUPT_INDEX…) has its primary code in the low byte.
    return _FAILURES.get(code & 0xFF, OTHER)


def list_backups(backups_dir: Path, db_path: Path) -> list[Path]:
    """Backups of `db_path` in `backups_dir`, newest first."""
    try:
        found = [p for p in backups_dir.glob(f"{db_path.stem}-*.sqlite3") if p.is_file()]
    except OSError:
        return []
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)


# -- opening ---------------------------------------------------------------------------------------


def connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction is exactly one write.
    connection = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                 check_same_thread=False)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # FULL: a commit is on disk when add_annotation returns, even across a power cut.
        connection.execute("PRAGMA synchronous = FULL")
    except BaseException:
        connection.close()
        raise
    return connection


def check_file(path: Path) -> str | None:
    """Why the database file at `path` is damaged, or None if it passes `PRAGMA quick_check`.

    Opened read-only, so that checking cannot change the file (not even a WAL checkpoint). A file
    that cannot be opened at all (permissions, a folder, locked) is an environment problem, not damage."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise NotesProblem(f"cannot open the notes database {path}: {exc}") from exc
    try:
        rows = connection.execute("PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            return "; ".join(str(row[0]) for row in rows[:3])
        return None
    except sqlite3.DatabaseError as exc:
        if failure_of(exc) == DAMAGED:
            return str(exc)
        # SQLITE_CANTOPEN, BUSY, IOERR…: the machine, not the file
        raise NotesProblem(f"cannot read the notes database {path}: {exc}") from exc
    finally:
        connection.close()


def verify(path: Path, backups_dir: Path) -> None:
    problem = check_file(path)
    if problem is not None:
        good = [b for b in list_backups(backups_dir, path) if check_file(b) is None]
        offer = (f"the newest good backup is {good[0]}" if good else "there is no backup to restore")
        raise NotesCorrupt(f"the notes database {path} is damaged ({problem}); it was not changed, and {offer}",
                           path, good)
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as exc:
        raise NotesProblem(f"cannot read the notes database {path}: {exc}") from exc
    finally:
        connection.close()
    if version > SCHEMA_VERSION:
        raise newer(path, version)


def newer(path: Path, version: int) -> NotesProblem:
    return NotesProblem(f"the notes database {path} was written by a newer migarchive (format {version}, this "
                        f"version reads up to {SCHEMA_VERSION}); it was left unchanged")


def migrate(connection: sqlite3.Connection, version: int) -> None:
    for number in range(version, SCHEMA_VERSION):
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[number]:
                connection.execute(statement)
            # user_version is in the database header and changes with the transaction.
            connection.execute(f"PRAGMA user_version = {number + 1}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def backup_due(backups_dir: Path, path: Path) -> bool:
    newest = list_backups(backups_dir, path)
    if not newest:
        return True
    try:
        return time.time() - newest[0].stat().st_mtime >= BACKUP_INTERVAL
    except OSError:
        return True


@contextlib.contextmanager
def sql_errors(path: Path) -> Iterator[None]:
    """SQLite's environment errors as ours (locked, disk full, damaged); constraint errors are bugs."""
    try:
        yield
    except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
        raise
    except sqlite3.DatabaseError as exc:
        message = str(exc)
        if failure_of(exc) == DAMAGED:
            raise NotesCorrupt(f"the notes database {path} is damaged ({message})", path, []) from exc
        raise NotesProblem(f"the notes database {path}: {message}") from exc


def write_backup(connection: sqlite3.Connection, backups_dir: Path, db_path: Path, reason: str) -> Path:
    """A consistent copy of the open database in `backups_dir`; only the newest `BACKUPS_KEPT` stay."""
    try:
        backups_dir.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = backups_dir / f"{db_path.stem}-{stamp}-{uuid.uuid4().hex[:6]}-{reason}.sqlite3"
        temp = target.with_name(f".{target.name}.tmp")
        copy = sqlite3.connect(str(temp))
        try:
            connection.backup(copy)
        finally:
            copy.close()
        os.replace(temp, target)  # a backup is either complete or absent
    except (OSError, sqlite3.Error) as exc:
        raise NotesProblem(f"cannot back up the notes database to {backups_dir}: {exc}") from exc
    for old in list_backups(backups_dir, db_path)[BACKUPS_KEPT:]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def restore(db_path: Path, backup: Path) -> Path:
    """Copy `backup` to `db_path` after moving the file there (and its -wal/-shm) aside to a new
    name, which is returned. Nothing is overwritten or deleted."""
    if not backup.is_file():
        raise UserError(f"no such backup: {backup}")
    problem = check_file(backup)
    if problem is not None:
        raise NotesProblem(f"the backup {backup} is damaged too ({problem}); nothing was changed")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}-{uuid.uuid4().hex[:6]}")
    try:
        # A stale -wal left beside the restored file would be replayed into it: it goes aside too.
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{db_path}{suffix}")
            target = Path(f"{aside}{suffix}")
            if source.exists():
                if target.exists():  # cannot happen with a fresh random name; never overwrite anyway
                    raise NotesProblem(f"{target} already exists; nothing was overwritten")
                os.rename(source, target)
        temp = db_path.with_name(f".{db_path.name}.{uuid.uuid4().hex[:8]}.tmp")
        shutil.copyfile(backup, temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        if db_path.exists():
            temp.unlink()
            raise NotesProblem(f"{db_path} appeared while restoring; nothing was overwritten")
        os.replace(temp, db_path)
    except OSError as exc:
        raise NotesProblem(f"cannot restore {backup} to {db_path}: {exc.strerror or exc}") from exc
    return aside
