"""What is derived from the live index and saved beside it (the document records, the last entity
resolution): a dict per file, pickled in pieces by key, so that saving it again after an update
writes the pieces that changed and copies the others' bytes.

Both files are rewritten after every update, and pickling all of them was a tenth of a one-file
update at 2,000 documents (50 ms; 5 MB) and more at 10,000. A key always falls in the same piece
(a checksum of it, modulo the piece count), so an edited, added or removed document changes one
piece of each file. What was loaded or written is remembered, piece by piece with the items it
held and where its bytes are in the file: a piece whose items are the very same (the same keys,
each value the same object, which the records and the resolution reuse for an unchanged document)
is copied from the old file, checked to be the file remembered. Sameness, not equality: values
that are equal can pickle differently (1 and True).

Pieces also keep the window responsive: unpickling holds the GIL for as long as one piece takes,
and the window waits on the GIL while the worker opens the archive; 20 MB in one piece froze it
for a third of a second. So a piece holds `PIECE_ITEMS` items or fewer on average.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from migarchive.core import collector
from migarchive.core.atomic import replacing

PIECE_ITEMS = 500
_FEWEST_PIECES = 16
_PROTOCOL = pickle.HIGHEST_PROTOCOL

Items = list[tuple[str, Any]]
FileStamp = tuple[int, int, int]  # inode, size, modification time: which file the offsets are in


@dataclass
class _Layout:
    """Where each piece of a file is, and what it holds."""

    stamp: FileStamp
    buckets: int
    pieces: dict[int, tuple[Items, int, int]]  # piece → (its items, offset, length)


def piece_count(items: int) -> int:
    """A function of the item count alone, which changes only when the count doubles past a power
    of two: between updates the pieces stay the same."""
    count = _FEWEST_PIECES
    while items > count * PIECE_ITEMS:
        count *= 2
    return count


def piece_of(key: str, buckets: int) -> int:
    """The entry under "" (by the callers' convention, the format of what the file holds) is a
    piece of its own: made anew at each save, it would have its piece pickled again each time."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % buckets if key else buckets


class DerivedFiles:
    """The derived files in `root`, each saved for an index state (`key`) and a schema version."""

    def __init__(self, root: Path, schema: int) -> None:
        self.root = root
        self.schema = schema
        self._layouts: dict[str, _Layout] = {}

    def load(self, key: str | None, name: str) -> dict[Any, Any] | None:
        """What `save` stored for the index state `key`, or None (absent, stale, unreadable)."""
        self._layouts.pop(name, None)
        if key is None:
            return None
        try:
            with open(self.root / name, "rb") as handle, collector.paused():
                head = pickle.load(handle)  # noqa: S301 - our own file in our own data directory
                if not self._current(head, key):
                    return None
                ids = head.get("ids")
                remember = isinstance(ids, list) and len(ids) == head["pieces"]
                items: Items = []
                pieces: dict[int, tuple[Items, int, int]] = {}
                for number in range(int(head["pieces"])):
                    start = handle.tell()
                    piece = pickle.load(handle)  # noqa: S301
                    items.extend(piece)
                    if remember:
                        pieces[ids[number]] = (piece, start, handle.tell() - start)
                stamp = _stamp(os.fstat(handle.fileno()))
            if len(items) != head["count"]:
                return None
        except Exception:  # noqa: BLE001 - a damaged cache is recomputed, never a failure
            return None
        if remember:
            self._layouts[name] = _Layout(stamp, int(head["buckets"]), pieces)
        # In key order, which is the order both files are saved in: the pieces are not.
        items.sort(key=_key)
        return dict(items)

    def has(self, key: str | None, name: str) -> bool:
        """Whether `name` holds what was derived for the index state `key` (its head says so)."""
        if key is None:
            return False
        try:
            with open(self.root / name, "rb") as handle:
                head = pickle.load(handle)  # noqa: S301 - our own file in our own data directory
        except Exception:  # noqa: BLE001 - a damaged cache is recomputed, never a failure
            return False
        return self._current(head, key)

    def save(self, key: str | None, payload: Mapping[Any, Any], name: str) -> None:
        if key is None:
            return
        buckets = piece_count(len(payload))
        by_piece: dict[int, Items] = {}
        for item in payload.items():
            by_piece.setdefault(piece_of(item[0], buckets), []).append(item)
        ids = sorted(by_piece)
        head = {"key": key, "schema": self.schema, "type": "dict", "count": len(payload), "pieces": len(ids),
                "buckets": buckets, "ids": ids}
        known = self._layouts.pop(name, None)
        target = self.root / name
        try:
            with contextlib.ExitStack() as stack:
                old = self._old_file(stack, target, known, buckets)
                out = stack.enter_context(replacing(target))
                pickle.dump(head, out, _PROTOCOL)
                pieces = {number: _write_piece(out, by_piece[number], old,
                                               known.pieces.get(number) if known else None)
                          for number in ids}
            self._layouts[name] = _Layout(_stamp(target.stat()), buckets, pieces)
        except OSError:
            pass  # only a cache: the next opening recomputes it

    def discard(self, name: str) -> None:
        self._layouts.pop(name, None)
        with contextlib.suppress(OSError):
            (self.root / name).unlink(missing_ok=True)

    def _current(self, head: Any, key: str) -> bool:
        return isinstance(head, dict) and head.get("key") == key and head.get("schema") == self.schema

    @staticmethod
    def _old_file(stack: contextlib.ExitStack, target: Path, known: _Layout | None,
                  buckets: int) -> BinaryIO | None:
        """The file `known` describes, open, if it is still that file; else None (nothing copied)."""
        if known is None or known.buckets != buckets:
            return None
        try:
            handle = stack.enter_context(open(target, "rb"))
        except OSError:
            return None
        return handle if _stamp(os.fstat(handle.fileno())) == known.stamp else None


def _write_piece(out: BinaryIO, items: Items, old: BinaryIO | None,
                 before: tuple[Items, int, int] | None) -> tuple[Items, int, int]:
    start = out.tell()
    if old is not None and before is not None and _same(before[0], items):
        old.seek(before[1])
        copied = old.read(before[2])
        if len(copied) != before[2]:
            raise OSError("the derived file was cut short while it was read")
        out.write(copied)
    else:
        pickle.dump(items, out, _PROTOCOL)
    return items, start, out.tell() - start


def _same(before: Items, now: Items) -> bool:
    return len(before) == len(now) and all(a[0] == b[0] and a[1] is b[1] for a, b in zip(before, now))


def _key(item: tuple[str, Any]) -> str:
    return item[0]


def _stamp(stat: os.stat_result) -> FileStamp:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)
