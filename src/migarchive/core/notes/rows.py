"""Notes as SQLite rows: the columns of the annotation and bookmark tables, and reading and writing
values of `notes.model` from and to them (tags in their own table, in the order given)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from migarchive.core.notes.model import ANCHORED, ORPHANED, Annotation, Bookmark, NoteId, Status, TextQuote

ANNOTATION_COLUMNS = ("id, path, sha256, exact, prefix, suffix, start_offset, end_offset, note, colour, status, "
                      "created, modified")
BOOKMARK_COLUMNS = ("id, path, passage_id, label, sha256, exact, prefix, suffix, start_offset, end_offset, status, "
                    "created, modified")



def fields(value: Annotation | Bookmark) -> dict[str, Any]:
    return {name: getattr(value, name) for name in value.__dataclass_fields__}


def exists(connection: sqlite3.Connection, note_id: str) -> bool:
    row = connection.execute("SELECT 1 FROM annotation WHERE id = ? UNION ALL SELECT 1 FROM bookmark WHERE id = ?",
                             (note_id, note_id)).fetchone()
    return row is not None


def insert_annotation(connection: sqlite3.Connection, a: Annotation) -> None:
    connection.execute(
        f"INSERT INTO annotation ({ANNOTATION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (a.id, a.path, a.sha256, a.quote.exact, a.quote.prefix, a.quote.suffix, a.start, a.end, a.note, a.colour,
         a.status, a.created, a.modified))
    set_tags(connection, a.id, a.tags)


def insert_bookmark(connection: sqlite3.Connection, b: Bookmark, sha256: str) -> None:
    quote = b.quote
    connection.execute(
        f"INSERT INTO bookmark ({BOOKMARK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (b.id, b.path, b.passage_id, b.label, sha256, quote.exact if quote else None, quote.prefix if quote else None,
         quote.suffix if quote else None, b.start if quote else None, b.end if quote else None, b.status,
         b.created, b.modified))


def set_tags(connection: sqlite3.Connection, annotation_id: str, tags: tuple[str, ...]) -> None:
    connection.execute("DELETE FROM annotation_tag WHERE annotation_id = ?", (annotation_id,))
    for position, tag in enumerate(tags):
        connection.execute("INSERT INTO tag (name) VALUES (?) ON CONFLICT (name) DO NOTHING", (tag,))
        tag_id = connection.execute("SELECT id FROM tag WHERE name = ?", (tag,)).fetchone()[0]
        connection.execute("INSERT INTO annotation_tag (annotation_id, tag_id, position) VALUES (?, ?, ?)",
                           (annotation_id, tag_id, position))
    drop_unused_tags(connection)


def drop_unused_tags(connection: sqlite3.Connection) -> None:
    connection.execute("DELETE FROM tag WHERE id NOT IN (SELECT tag_id FROM annotation_tag)")


def select_annotations(connection: sqlite3.Connection, where: str, args: tuple[Any, ...]) -> list[Annotation]:
    rows = connection.execute(
        f"SELECT {ANNOTATION_COLUMNS} FROM annotation {where} ORDER BY path, start_offset, end_offset, created, id",
        args).fetchall()
    if not rows:
        return []
    tags: dict[str, list[str]] = {}
    ids = [row[0] for row in rows]
    for chunk in range(0, len(ids), 500):  # stay under SQLite's limit on bound parameters
        part = ids[chunk : chunk + 500]
        for annotation_id, name in connection.execute(
                f"SELECT annotation_id, name FROM annotation_tag JOIN tag ON tag.id = tag_id "
                f"WHERE annotation_id IN ({', '.join('?' * len(part))}) ORDER BY annotation_id, position", part):
            tags.setdefault(annotation_id, []).append(name)
    return [
        Annotation(id=NoteId(r[0]), path=r[1], sha256=r[2], quote=TextQuote(r[3], r[4], r[5]), start=r[6], end=r[7],
                   note=r[8], colour=r[9], tags=tuple(tags.get(r[0], ())), status=_status(r[10]), created=r[11],
                   modified=r[12])
        for r in rows
    ]


def _bookmark_row(r: Sequence[Any]) -> Bookmark:
    return Bookmark(id=NoteId(r[0]), path=r[1], passage_id=r[2], label=r[3],
                    quote=TextQuote(r[5], r[6] or "", r[7] or "") if r[5] is not None else None,
                    start=r[8], end=r[9], status=_status(r[10]), created=r[11], modified=r[12])


def select_bookmarks(connection: sqlite3.Connection, where: str, args: tuple[Any, ...]) -> list[Bookmark]:
    rows = connection.execute(
        f"SELECT {BOOKMARK_COLUMNS} FROM bookmark {where} ORDER BY path, start_offset, created, id", args)
    return [_bookmark_row(r) for r in rows]


def select_bookmarks_with_sha(connection: sqlite3.Connection, path: str) -> list[tuple[Bookmark, str]]:
    rows = connection.execute(f"SELECT {BOOKMARK_COLUMNS} FROM bookmark WHERE path = ?", (path,))
    return [(_bookmark_row(r), r[4]) for r in rows]


def _status(value: str) -> Status:
    return ANCHORED if value == ANCHORED else ORPHANED


def set_status(connection: sqlite3.Connection, table: str, note_id: str, status: Status) -> None:
    connection.execute(f"UPDATE {_table(table)} SET status = ? WHERE id = ?", (status, note_id))


def move(connection: sqlite3.Connection, table: str, note_id: str, digest: str, quote: TextQuote,
         span: tuple[int, int], passage_id: str | None = None) -> None:
    """A note found again in a document's new text (`digest`): its quote and offsets there; a
    bookmark also its passage."""
    extra, args = (", passage_id = ?", (passage_id,)) if table == "bookmark" else ("", ())
    connection.execute(
        f"UPDATE {_table(table)} SET status = ?, sha256 = ?, exact = ?, prefix = ?, suffix = ?, start_offset = ?, "
        f"end_offset = ?{extra} WHERE id = ?",
        (ANCHORED, digest, quote.exact, quote.prefix, quote.suffix, span[0], span[1], *args, note_id))


def _table(name: str) -> str:
    if name not in ("annotation", "bookmark"):  # never a value from outside in the SQL text
        raise ValueError(f"no notes table {name!r}")
    return name
