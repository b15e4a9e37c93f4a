"""The on-disk Whoosh index: its schema, where it lives, and how it is replaced without risk.

Layout under `AppPaths.index_root`::

    CURRENT          {"generation": "g-…", "schema": N, "fingerprint": …}: the live generation
    g-<id>/          a Whoosh index; a rebuild makes a new one beside it and then flips CURRENT
    lock             held while writing, so two processes never write at once

Whoosh commits an incremental update by writing new segment files and renaming a new table of
contents into place, so a crash mid-update leaves the previous state readable.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.index import Index

from migarchive.core.analysis import plain_analyzer, text_analyzer
from migarchive.errors import DataDirError, IndexProblem

# Bump when the schema or what is stored changes: an older index is then rebuilt by itself.
SCHEMA_VERSION = 6
CURRENT = "CURRENT"


def schema() -> Schema:
    return Schema(
        id=ID(unique=True, stored=True),
        doctype=ID(stored=True),  # "passage", or "document" for the per-file record
        path=ID(stored=True, sortable=True),  # a column: counting documents must not load stored fields
        record=STORED(),  # JSON of the document record (doctype=document only)
        passage_id=STORED(),
        section_id=STORED(),
        text=TEXT(analyzer=text_analyzer(), stored=True, spelling=True),
        section=TEXT(analyzer=text_analyzer(), stored=True),
        title=TEXT(analyzer=text_analyzer(), stored=True),
        meeting=ID(stored=True),
        year=ID(stored=True),
        org=TEXT(analyzer=plain_analyzer(), stored=True),
        kind=TEXT(analyzer=plain_analyzer(), stored=True),
    )


class IndexStore:
    """The generations of one corpus's index and the pointer to the live one."""

    def __init__(self, root: Path, fingerprint: str = "") -> None:
        self.root = root
        # What else the stored data depends on (the gazetteer): a change means re-extracting.
        self.fingerprint = fingerprint
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DataDirError(f"cannot create the index folder {root}: {exc.strerror or exc}") from exc

    def open_current(self) -> Index | None:
        """The live index, or None when there is none, it is of another schema, or it is unreadable."""
        pointer = self._read_pointer()
        if pointer is None or pointer.get("schema") != SCHEMA_VERSION or pointer.get("fingerprint") != self.fingerprint:
            return None
        folder = self.root / str(pointer.get("generation", ""))
        try:
            if not whoosh_index.exists_in(folder):
                return None
            return whoosh_index.open_dir(str(folder))
        except Exception:  # noqa: BLE001 - any damage means "rebuild", never a crash
            return None

    @contextlib.contextmanager
    def new_generation(self) -> Iterator[Index]:
        """A fresh, empty index; it becomes the live one only if the block completes."""
        folder = self.root / f"g-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        folder.mkdir()
        try:
            ix = whoosh_index.create_in(str(folder), schema())
            yield ix
            ix.close()
            self._write_pointer({"generation": folder.name, "schema": SCHEMA_VERSION, "fingerprint": self.fingerprint})
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        # The replaced generation is removed by the caller once no reader uses it.

    def remove_stale_generations(self) -> None:
        live = (self._read_pointer() or {}).get("generation")
        for child in self.root.iterdir():
            if child.is_dir() and child.name.startswith("g-") and child.name != live:
                shutil.rmtree(child, ignore_errors=True)

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[None]:
        """An exclusive lock across processes; the OS drops it if the holder dies."""
        try:
            handle = open(self.root / "lock", "a+b")  # noqa: SIM115 - held for the block
        except OSError as exc:
            raise DataDirError(f"cannot write in {self.root}: {exc.strerror or exc}") from exc
        with handle:
            try:
                import fcntl
            except ImportError:  # Windows: Whoosh's own write lock still guards each writer
                yield
                return
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                deadline = time.monotonic() + 60
                while True:
                    time.sleep(0.2)
                    try:
                        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() > deadline:
                            raise IndexProblem("another migarchive process has been updating the index for "
                                               "over a minute; try again when it has finished") from None
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _read_pointer(self) -> dict[str, object] | None:
        try:
            data = json.loads((self.root / CURRENT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _write_pointer(self, data: dict[str, object]) -> None:
        target = self.root / CURRENT
        temp = target.with_name(f".{CURRENT}.{uuid.uuid4().hex[:8]}.tmp")
        with open(temp, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
