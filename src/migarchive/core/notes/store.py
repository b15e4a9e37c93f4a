"""The notes store: bookmarks, annotations and tags in SQLite, in the data directory.

- Every write is one `BEGIN IMMEDIATE` transaction on a WAL database with `synchronous=FULL`, so a
  killed process loses nothing it had committed and leaves a database that opens.
- Opening migrates an older database (after a backup), refuses a newer one, and makes a backup at
  most once a day (SQLite's backup API; the newest ten are kept).
- A damaged database is detected when opened and reported as `NotesCorrupt` with the good backups,
  never modified; `restore_backup` moves it aside under a new name and copies a backup in its place.
  (The SQLite plumbing is in `database`.)

One connection serves all threads (`check_same_thread=False`) behind a lock: the window sends its
writes through one writer thread (`ui/operations.py`), a sync re-anchors from the indexing thread,
and reads are short. The rows themselves are read and written in `rows`.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path

from migarchive.core import sections
from migarchive.core.notes import database, rows, validation
from migarchive.core.notes.validation import normalize_tags
from migarchive.core.notes.anchoring import Anchorer, make_quote
from migarchive.core.notes.model import (
    ANCHORED,
    DEFAULT_COLOUR,
    ORPHANED,
    Annotation,
    Bookmark,
    NoteChange,
    NoteId,
)
from migarchive.errors import NoteNotFoundError, NotesCorrupt, NotesProblem, UserError

__all__ = ["SCHEMA_VERSION", "NotesCorrupt", "NotesStore", "list_backups", "normalize_tags", "passage_at",
           "sha256_text"]

# Re-exported for callers of the store; the live values are `database.SCHEMA_VERSION` etc.
SCHEMA_VERSION = database.SCHEMA_VERSION
BACKUPS_KEPT = database.BACKUPS_KEPT
list_backups = database.list_backups


Listener = Callable[[NoteChange], None]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now() -> str:
    """UTC, to the millisecond, so that notes made in one burst still sort in order."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id() -> NoteId:
    return NoteId(uuid.uuid4().hex)


class NotesStore:
    """Bookmarks and annotations of one data directory; open it with `NotesStore.open`."""

    def __init__(self, connection: sqlite3.Connection, path: Path, backups_dir: Path) -> None:
        self._conn: sqlite3.Connection | None = connection
        self.path = path
        self.backups_dir = backups_dir
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []

    # -- opening, backups, recovery --------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, backups_dir: Path) -> NotesStore:
        """Open (or create) the database, migrating it if it is older; raises `NotesCorrupt` for a
        damaged file and `NotesProblem` for one of a newer version, in both cases leaving it as it is."""
        path, backups_dir = Path(path), Path(backups_dir)
        existed = path.exists() and path.stat().st_size > 0
        if existed:
            # read-only: a damaged file must not be touched, not even by a WAL checkpoint
            database.verify(path, backups_dir)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = database.connect(path)
        except (OSError, sqlite3.Error) as exc:
            raise NotesProblem(f"cannot open the notes database {path}: {exc}") from exc
        store = cls(connection, path, backups_dir)
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > database.SCHEMA_VERSION:  # written meanwhile by a newer version
                raise database.newer(path, version)
            if version < database.SCHEMA_VERSION:
                if existed and version > 0:
                    store.backup(reason=f"before-v{database.SCHEMA_VERSION}")
                database.migrate(connection, version)
            if existed and database.backup_due(backups_dir, path):
                store.backup(reason="daily")
        except BaseException:
            connection.close()
            raise
        return store

    def backup(self, reason: str = "manual") -> Path:
        """A consistent copy of the database in the backups folder (the newest `BACKUPS_KEPT` are kept)."""
        with self._lock:
            return database.write_backup(self._connection(), self.backups_dir, self.path, reason)

    @staticmethod
    def restore_backup(db_path: Path, backup: Path) -> Path:
        """Put `backup` in place of the (damaged) database at `db_path`.

        The damaged file (and its -wal/-shm) is moved aside to a new name, never overwritten or
        deleted, and that name is returned. The backup itself is copied, not moved."""
        return database.restore(Path(db_path), Path(backup))

    def close(self) -> None:
        with self._lock:
            connection, self._conn = self._conn, None
        if connection is not None:
            connection.close()

    @property
    def closed(self) -> bool:
        return self._conn is None

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(change)` after each committed write (in the writing thread); returns a
        function that unsubscribes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    # -- annotations -----------------------------------------------------------------------------

    def add_annotation(self, path: str, text: str, start: int, end: int, note: str = "",
                       colour: str = DEFAULT_COLOUR, tags: Iterable[str] = ()) -> Annotation:
        """Annotate text[start:end] of the document at `path`; `text` is its cleaned text."""
        validation.check_span(text, start, end)
        stamp = now()
        annotation = Annotation(
            id=new_id(), path=validation.check_path(path), sha256=sha256_text(text), quote=make_quote(text, start, end),
            start=start, end=end, note=validation.check_str(note, "note"), colour=validation.check_colour(colour),
            tags=normalize_tags(tags), status=ANCHORED, created=stamp, modified=stamp,
        )
        with self._write() as connection:
            rows.insert_annotation(connection, annotation)
        self._notify(NoteChange("added", annotation_ids=(annotation.id,), paths=(annotation.path,),
                                tags_changed=bool(annotation.tags)))
        return annotation

    def update_annotation(self, annotation_id: str, *, note: str | None = None, colour: str | None = None,
                          tags: Iterable[str] | None = None) -> Annotation:
        with self._write() as connection:
            old = self._annotation(connection, annotation_id)
            new = Annotation(
                **{**rows.fields(old), "note": old.note if note is None else validation.check_str(note, "note"),
                   "colour": old.colour if colour is None else validation.check_colour(colour),
                   "tags": old.tags if tags is None else normalize_tags(tags), "modified": now()})
            connection.execute("UPDATE annotation SET note = ?, colour = ?, modified = ? WHERE id = ?",
                               (new.note, new.colour, new.modified, new.id))
            if new.tags != old.tags:
                rows.set_tags(connection, new.id, new.tags)
        self._notify(NoteChange("updated", annotation_ids=(new.id,), paths=(new.path,),
                                tags_changed=new.tags != old.tags))
        return new

    def delete_annotation(self, annotation_id: str) -> Annotation:
        """Delete it and return what was deleted, so that `restore_annotation` can undo it."""
        with self._write() as connection:
            old = self._annotation(connection, annotation_id)
            connection.execute("DELETE FROM annotation WHERE id = ?", (old.id,))  # tags go by cascade
            rows.drop_unused_tags(connection)
        self._notify(NoteChange("deleted", annotation_ids=(old.id,), paths=(old.path,), tags_changed=bool(old.tags)))
        return old

    def restore_annotation(self, annotation: Annotation) -> Annotation:
        """Put back an annotation exactly as given, same id (undo of a delete or of an update)."""
        with self._write() as connection:
            connection.execute("DELETE FROM annotation WHERE id = ?", (annotation.id,))
            rows.insert_annotation(connection, annotation)
            rows.drop_unused_tags(connection)
        self._notify(NoteChange("restored", annotation_ids=(annotation.id,), paths=(annotation.path,),
                                tags_changed=True))
        return annotation

    def annotation(self, annotation_id: str) -> Annotation:
        with self._read() as connection:
            return self._annotation(connection, annotation_id)

    def annotations(self, path: str | None = None) -> list[Annotation]:
        """By document, then by position in it."""
        with self._read() as connection:
            return rows.select_annotations(connection, "WHERE path = ?" if path is not None else "",
                                       (path,) if path is not None else ())

    def tags(self) -> list[str]:
        """Every tag in use, alphabetically."""
        with self._read() as connection:
            rows = connection.execute("SELECT name FROM tag WHERE id IN (SELECT tag_id FROM annotation_tag)")
            return sorted((row[0] for row in rows), key=str.casefold)

    def search(self, text: str) -> list[Annotation]:
        """Annotations whose note, exact quote or tags contain every word of `text` (any case)."""
        words = text.casefold().split()
        found = []
        for annotation in self.annotations():
            haystack = "\n".join((annotation.note, annotation.exact, *annotation.tags)).casefold()
            if all(word in haystack for word in words):
                found.append(annotation)
        return found

    # -- bookmarks -------------------------------------------------------------------------------

    def add_bookmark(self, path: str, text: str, start: int | None = None, end: int | None = None,
                     passage_id: str | None = None, label: str = "") -> Bookmark:
        """Bookmark a whole document, a passage (by id: its span is looked up in `text`) or a span."""
        if (start is None) != (end is None):
            raise UserError("a bookmark needs both a start and an end, or neither")
        if start is None and passage_id is not None:
            passage = next((p for p in sections.split(text)[1] if p.id == passage_id), None)
            if passage is None:
                raise UserError(f"no passage '{passage_id}' in {path}")
            start, end = passage.start, passage.end
        if start is not None and end is not None:
            validation.check_span(text, start, end)
            if passage_id is None:
                passage_id = passage_at(text, start)
        stamp = now()
        bookmark = Bookmark(
            id=new_id(), path=validation.check_path(path), passage_id=passage_id, label=validation.check_str(label, "label"),
            quote=make_quote(text, start, end) if start is not None and end is not None else None,
            start=start, end=end, status=ANCHORED, created=stamp, modified=stamp,
        )
        with self._write() as connection:
            rows.insert_bookmark(connection, bookmark, sha256_text(text))
        self._notify(NoteChange("added", bookmark_ids=(bookmark.id,), paths=(bookmark.path,)))
        return bookmark

    def update_bookmark(self, bookmark_id: str, *, label: str | None = None) -> Bookmark:
        with self._write() as connection:
            old = self._bookmark(connection, bookmark_id)
            new = Bookmark(**{**rows.fields(old), "label": old.label if label is None else validation.check_str(label, "label"),
                              "modified": now()})
            connection.execute("UPDATE bookmark SET label = ?, modified = ? WHERE id = ?",
                               (new.label, new.modified, new.id))
        self._notify(NoteChange("updated", bookmark_ids=(new.id,), paths=(new.path,)))
        return new

    def delete_bookmark(self, bookmark_id: str) -> Bookmark:
        with self._write() as connection:
            old = self._bookmark(connection, bookmark_id)
            connection.execute("DELETE FROM bookmark WHERE id = ?", (old.id,))
        self._notify(NoteChange("deleted", bookmark_ids=(old.id,), paths=(old.path,)))
        return old

    def restore_bookmark(self, bookmark: Bookmark) -> Bookmark:
        with self._write() as connection:
            sha = connection.execute("SELECT sha256 FROM bookmark WHERE id = ?", (bookmark.id,)).fetchone()
            connection.execute("DELETE FROM bookmark WHERE id = ?", (bookmark.id,))
            rows.insert_bookmark(connection, bookmark, sha[0] if sha else "")
        self._notify(NoteChange("restored", bookmark_ids=(bookmark.id,), paths=(bookmark.path,)))
        return bookmark

    def bookmark(self, bookmark_id: str) -> Bookmark:
        with self._read() as connection:
            return self._bookmark(connection, bookmark_id)

    def bookmarks(self, path: str | None = None) -> list[Bookmark]:
        with self._read() as connection:
            return rows.select_bookmarks(connection, "WHERE path = ?" if path is not None else "",
                                     (path,) if path is not None else ())

    # -- documents changing ----------------------------------------------------------------------

    def paths(self) -> list[str]:
        """Every document path that has a note."""
        with self._read() as connection:
            rows = connection.execute("SELECT path FROM annotation UNION SELECT path FROM bookmark ORDER BY 1")
            return [row[0] for row in rows]

    def reanchor(self, path: str, text: str) -> tuple[int, int]:
        """Find the notes of `path` again in its new cleaned `text`; returns (anchored, orphaned).

        Offsets, quotes (so that the next change is compared with this text) and statuses are
        updated in one transaction. An orphan stays orphaned, with its last quote, until a later
        text contains it again."""
        digest = sha256_text(text)
        anchorer = Anchorer(text)
        anchored: list[NoteId] = []
        orphaned: list[NoteId] = []
        changed_a: list[NoteId] = []
        changed_b: list[NoteId] = []
        with self._write() as connection:
            for annotation in rows.select_annotations(connection, "WHERE path = ?", (path,)):
                if annotation.status == ANCHORED and annotation.sha256 == digest:
                    anchored.append(annotation.id)
                    continue
                span = anchorer.anchor(annotation.quote, annotation.start, annotation.end)
                if span is None:
                    orphaned.append(annotation.id)
                    if annotation.status != ORPHANED:
                        changed_a.append(annotation.id)
                        rows.set_status(connection, "annotation", annotation.id, ORPHANED)
                    continue
                anchored.append(annotation.id)
                changed_a.append(annotation.id)
                rows.move(connection, "annotation", annotation.id, digest, make_quote(text, *span), span)
            for bookmark, sha in rows.select_bookmarks_with_sha(connection, path):
                if bookmark.status == ANCHORED and sha == digest:
                    anchored.append(bookmark.id)
                    continue
                changed_b.append(bookmark.id)
                if bookmark.quote is None:  # the whole document: it is there, so the bookmark is good
                    anchored.append(bookmark.id)
                    connection.execute("UPDATE bookmark SET status = ?, sha256 = ? WHERE id = ?",
                                       (ANCHORED, digest, bookmark.id))
                    continue
                span = anchorer.anchor(bookmark.quote, bookmark.start, bookmark.end)
                if span is None:
                    orphaned.append(bookmark.id)
                    rows.set_status(connection, "bookmark", bookmark.id, ORPHANED)
                    continue
                anchored.append(bookmark.id)
                rows.move(connection, "bookmark", bookmark.id, digest, make_quote(text, *span), span,
                          passage_at(text, span[0]))
        if changed_a or changed_b:
            self._notify(NoteChange("reanchored", annotation_ids=tuple(changed_a), bookmark_ids=tuple(changed_b),
                                    paths=(path,)))
        return len(anchored), len(orphaned)

    def orphan_document(self, path: str) -> int:
        """The document is gone: mark its notes orphaned (kept, with their quotes). Returns how many."""
        with self._write() as connection:
            a = [row[0] for row in connection.execute("SELECT id FROM annotation WHERE path = ?", (path,))]
            b = [row[0] for row in connection.execute("SELECT id FROM bookmark WHERE path = ?", (path,))]
            connection.execute("UPDATE annotation SET status = ? WHERE path = ?", (ORPHANED, path))
            connection.execute("UPDATE bookmark SET status = ? WHERE path = ?", (ORPHANED, path))
        if a or b:
            self._notify(NoteChange("reanchored", annotation_ids=tuple(a), bookmark_ids=tuple(b), paths=(path,)))
        return len(a) + len(b)

    def import_notes(self, annotations: Sequence[Annotation] = (), bookmarks: Sequence[Bookmark] = (),
                     sha256: dict[str, str] | None = None) -> tuple[list[NoteId], list[NoteId]]:
        """Insert notes made elsewhere, in one transaction, skipping ids already present (an import
        run twice adds nothing). `sha256` maps a path to the hash of the text the offsets refer to.
        Returns the ids of the annotations and bookmarks actually added."""
        hashes = sha256 or {}
        added_a: list[NoteId] = []
        added_b: list[NoteId] = []
        with self._write() as connection:
            for annotation in annotations:
                if not rows.exists(connection, annotation.id):
                    rows.insert_annotation(connection, annotation)
                    added_a.append(annotation.id)
            for bookmark in bookmarks:
                if not rows.exists(connection, bookmark.id):
                    rows.insert_bookmark(connection, bookmark, hashes.get(bookmark.path, ""))
                    added_b.append(bookmark.id)
        if added_a or added_b:
            added = set(added_a) | set(added_b)
            notes: list[Annotation | Bookmark] = [*annotations, *bookmarks]
            paths = sorted({n.path for n in notes if n.id in added})
            self._notify(NoteChange("imported", annotation_ids=tuple(added_a), bookmark_ids=tuple(added_b),
                                    paths=tuple(paths), tags_changed=True))
        return added_a, added_b

    def contains(self, note_id: str) -> bool:
        with self._read() as connection:
            return rows.exists(connection, note_id)

    # -- plumbing --------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise NotesProblem(f"the notes database {self.path} is closed")
        return self._conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock, database.sql_errors(self.path):
            yield self._connection()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of the block is committed, or none of it."""
        with self._lock, database.sql_errors(self.path):
            connection = self._connection()
            connection.execute("BEGIN IMMEDIATE")  # take the write lock now, not halfway through
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise

    def _notify(self, change: NoteChange) -> None:
        for listener in list(self._listeners):
            listener(change)

    def _annotation(self, connection: sqlite3.Connection, annotation_id: str) -> Annotation:
        found = rows.select_annotations(connection, "WHERE id = ?", (annotation_id,))
        if not found:
            raise NoteNotFoundError(f"no annotation '{annotation_id}'")
        return found[0]

    def _bookmark(self, connection: sqlite3.Connection, bookmark_id: str) -> Bookmark:
        found = rows.select_bookmarks(connection, "WHERE id = ?", (bookmark_id,))
        if not found:
            raise NoteNotFoundError(f"no bookmark '{bookmark_id}'")
        return found[0]


def passage_at(text: str, offset: int) -> str | None:
    """The id of the passage containing `offset`, or of the first one after it (e.g. in a heading)."""
    passages = sections.split(text)[1]
    inside = next((p for p in passages if p.start <= offset < p.end), None)
    after = next((p for p in passages if p.start >= offset), None)
    chosen = inside or after
    return chosen.id if chosen else None
