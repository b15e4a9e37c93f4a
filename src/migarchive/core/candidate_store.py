"""The entity candidates of each document version, kept beside the index between runs.

Candidates are what indexing found in a document (names, acronyms, known bodies); resolving turns
them into entities. They depend only on the document's version (its content hash and sidecar), not
on the index generation, so they are kept by path and version in one SQLite file: an update writes
the rows of the documents it changed, and reads those of the few it must resolve again. A row of
another version, or a damaged file, is as good as absent: the caller then reads the document's
record from the index.
"""

from __future__ import annotations

import json
import pickle
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

Version = tuple[str, Any]  # (sha256, sidecar stamp)


class CandidateStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            connection = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            connection.execute("CREATE TABLE IF NOT EXISTS candidates "
                               "(path TEXT PRIMARY KEY, version TEXT NOT NULL, data BLOB NOT NULL)")
            self._connection = connection
        return self._connection

    def get(self, path: str, version: Version) -> tuple[Any, ...] | None:
        """The candidates of this version of the document, or None if they are not kept."""
        try:
            row = self._open().execute("SELECT version, data FROM candidates WHERE path = ?", (path,)).fetchone()
            if row is None or row[0] != _key(version):
                return None
            found = pickle.loads(row[1])  # noqa: S301 - our own file in our own data directory
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return None
        return found if isinstance(found, tuple) else None

    def update(self, kept: Iterable[tuple[str, Version, tuple[Any, ...]]], removed: Iterable[str] = (),
               everything: bool = False) -> None:
        """Keep these documents' candidates and forget the removed ones (`everything`: all others),
        in one transaction. Only a cache: a failure leaves them to be read from the index."""
        try:
            connection = self._open()
            connection.execute("BEGIN")
            if everything:
                connection.execute("DELETE FROM candidates")
            connection.executemany("DELETE FROM candidates WHERE path = ?", ((p,) for p in removed))
            connection.executemany(
                "INSERT OR REPLACE INTO candidates (path, version, data) VALUES (?, ?, ?)",
                ((path, _key(version), pickle.dumps(tuple(map(tuple, found)), pickle.HIGHEST_PROTOCOL))
                 for path, version, found in kept))
            connection.execute("COMMIT")
        except sqlite3.Error:
            self.close()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _key(version: Version) -> str:
    return json.dumps([version[0], list(version[1]) if version[1] else None])
