"""The on-disk Whoosh index: its schema, where it lives, and how it is replaced without risk.

Layout under `AppPaths.index_root`::

    CURRENT          {"generation": "g-…", "schema": N, "fingerprint": …, "files": {name: [size, crc32, mtime_ns]}}:
                     the live generation, and a checksum of each of its files as last committed
    g-<id>/          a Whoosh index; a rebuild makes a new one beside it and then flips CURRENT
    lock             held while writing, so two processes never write at once
    REANCHOR         documents whose notes must be anchored again: written before an index commit,
                     removed once the notes are done, so a process killed in between is caught up
    candidates.sqlite3
                     the entity candidates of each document version, kept between runs
    records.pickle, resolved.pickle
                     what opening the archive derives from the index (the document records, and
                     per document what resolving its entity candidates found), saved for the
                     state of the index they were derived from: re-opening an unchanged archive
                     of thousands of files loads records instead of parsing, and its entities
                     are gathered from the last resolution when first asked for; an update loads
                     both, resolves again only what the change can affect, and writes again only
                     the pieces of each file that it changed (`derived_files`)

Whoosh commits an incremental update by writing new segment files and renaming a new table of
contents into place, so a crash mid-update leaves the previous state readable. A damaged file can
still open and fail only when a search reads the damaged part, so every file is checked against
its checksum when the index is opened (when its size or modification time has changed since the
commit; `_verify`): damage means a rebuild, never a failing search.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import time
import uuid
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import Index

from migarchive.core.atomic import write_atomically
from migarchive.core.derived_files import DerivedFiles
# The schema's classes, also under this module's name: an index's table of contents names them.
from migarchive.core.index_schema import (  # noqa: F401
    AnalysedParts as AnalysedParts,
    AnalysedText as AnalysedText,
    Heading as Heading,
    Label as Label,
    RepeatedValues as RepeatedValues,
    Value as Value,
    schema as schema,
)
from migarchive.errors import DataDirError, IndexProblem

# Bump when the schema or what is stored changes: an older index is then rebuilt by itself.
SCHEMA_VERSION = 13
CURRENT = "CURRENT"
REANCHOR = "REANCHOR"
RECORDS = "records.pickle"
# Entities were saved too, until they were gathered from the resolution when first asked for.
LEGACY_ENTITIES = "entities.pickle"
RESOLVED = "resolved.pickle"
CANDIDATES = "candidates.sqlite3"  # per document version, whatever the generation (`candidate_store`)
SKIPPED = "skipped.json"  # the files skipped for their content, so that they are not read at every start
# The files of a Whoosh index that hold data: tables of contents and segments; not its lock file,
# nor the temporary table of contents a killed commit may leave.
_INDEX_FILE = re.compile(r"_MAIN_\d+\.toc|MAIN_[a-z0-9]+\.(?:\w+\.)?\w+")


class IndexStore:
    """The generations of one corpus's index and the pointer to the live one."""

    def __init__(self, root: Path, fingerprint: str = "") -> None:
        self.root = root
        # What else the stored data depends on (the gazetteer): a change means re-extracting.
        self.fingerprint = fingerprint
        self._derived = DerivedFiles(root, SCHEMA_VERSION)
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DataDirError(f"cannot create the index folder {root}: {exc.strerror or exc}") from exc

    def open_current(self) -> Index | None:
        """The live index, or None when there is none, it is of another schema, or it is unreadable."""
        return self.open_live()[0]

    def open_live(self) -> tuple[Index | None, str | None]:
        """(the live index, None), or (None, what is damaged); (None, None) when there is no index
        yet or it is of another format, which is no news for the user."""
        if not (self.root / CURRENT).exists():
            return None, None
        pointer = self._read_pointer()
        if pointer is None:
            return None, "its pointer file is unreadable"
        if pointer.get("schema") != SCHEMA_VERSION or pointer.get("fingerprint") != self.fingerprint \
                or not isinstance(pointer.get("files"), dict):
            return None, None
        folder = self.root / str(pointer.get("generation", ""))
        problem = _verify(folder, pointer["files"])  # type: ignore[arg-type]
        if problem is not None:
            return None, problem
        try:
            if not whoosh_index.exists_in(folder):
                return None, "its table of contents is missing"
            return whoosh_index.open_dir(str(folder)), None
        except Exception as exc:  # noqa: BLE001 - any damage means "rebuild", never a crash
            return None, f"it cannot be opened: {exc}"

    def seal(self, ix: Index) -> None:
        """Record the checksums of `ix`'s files after a commit to it (the caller holds the lock)."""
        folder = Path(ix.storage.folder)
        pointer = self._read_pointer() or {}
        known = pointer.get("files") if pointer.get("generation") == folder.name else None
        self._write_pointer({"generation": folder.name, "schema": SCHEMA_VERSION, "fingerprint": self.fingerprint,
                             "files": _checksums(folder, known if isinstance(known, dict) else {})})

    @contextlib.contextmanager
    def new_generation(self) -> Iterator[Index]:
        """A fresh, empty index; it becomes the live one only if the block completes."""
        folder = self.root / f"g-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        folder.mkdir()
        try:
            ix = whoosh_index.create_in(str(folder), schema())
            yield ix
            ix.close()
            self.seal(ix)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        # The replaced generation is removed by the caller once no reader uses it.

    def remove_stale_generations(self) -> None:
        """Replaced generations, and what a killed process left half-written (the caller holds the lock)."""
        live = (self._read_pointer() or {}).get("generation")
        for child in self.root.iterdir():
            if child.is_dir() and child.name.startswith("g-") and child.name != live:
                shutil.rmtree(child, ignore_errors=True)
            elif child.name.startswith(".") and child.name.endswith(".tmp") and child.is_file():
                child.unlink(missing_ok=True)  # a pointer a killed process was writing

    # -- what is derived from the live index --------------------------------------------------------

    def live_key(self) -> str | None:
        """Names the live index's exact content (generation and file checksums), or None."""
        pointer = self._read_pointer()
        if pointer is None:
            return None
        return hashlib.sha1(json.dumps(pointer, sort_keys=True).encode("utf-8")).hexdigest()

    def load_derived(self, key: str | None, name: str) -> dict[Any, Any] | None:
        """What `save_derived` stored for the index state `key`, or None (absent, stale, unreadable)."""
        return self._derived.load(key, name)

    def has_derived(self, key: str | None, name: str) -> bool:
        """Whether `name` holds what was derived for the index state `key` (its head says so)."""
        return self._derived.has(key, name)

    def save_derived(self, key: str | None, payload: Mapping[Any, Any], name: str) -> None:
        self._derived.save(key, payload, name)

    def discard_derived(self, name: str) -> None:
        self._derived.discard(name)

    # -- notes to anchor again ---------------------------------------------------------------------

    def pending_notes(self) -> tuple[bool, set[str]]:
        """(every document?, the documents) whose notes a killed process did not anchor again."""
        try:
            data = json.loads((self.root / REANCHOR).read_text(encoding="utf-8"))
            return bool(data.get("all")), {str(p) for p in data.get("paths", [])}
        except FileNotFoundError:
            return False, set()
        except (OSError, ValueError, AttributeError, TypeError):
            return True, set()  # unreadable: do them all rather than miss one

    def mark_notes_pending(self, paths: Iterable[str], everything: bool = False) -> None:
        """Before committing changes to these documents: their notes will need anchoring again."""
        was_all, known = self.pending_notes()
        data = {"all": everything or was_all, "paths": sorted(known | set(paths))}
        write_atomically(self.root / REANCHOR, json.dumps(data, ensure_ascii=False))

    def clear_notes_pending(self) -> None:
        (self.root / REANCHOR).unlink(missing_ok=True)

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
        write_atomically(self.root / CURRENT, json.dumps(data))


def _checksums(folder: Path, known: dict[str, Any]) -> dict[str, list[int]]:
    """[size, crc32, modification time] of each index file; a file `known` with the same size and
    time keeps its checksum (Whoosh never rewrites a segment file: an update adds new ones)."""
    found = {}
    for path in sorted(folder.iterdir()):
        if _INDEX_FILE.fullmatch(path.name) and path.is_file():
            stat = path.stat()
            before = known.get(path.name)
            if isinstance(before, list) and len(before) == 3 and [before[0], before[2]] == [stat.st_size, stat.st_mtime_ns]:
                found[path.name] = before
            else:
                found[path.name] = [stat.st_size, _crc32(path), stat.st_mtime_ns]
    return found


def _verify(folder: Path, recorded: dict[str, object]) -> str | None:
    """What is wrong with the files `recorded` in `folder`, or None if each has its size and checksum.

    A file with the size and modification time it had when sealed has not been written since:
    its checksum is read only when either differs (reading every file cost 80 ms of each opening
    at 2,000 documents). Damage that keeps both (a failing disk) is left to the next rebuild."""
    if not recorded:
        return "it lists no files"
    for name, expected in sorted(recorded.items()):
        path = folder / name
        try:
            stat = path.stat()
            if not isinstance(expected, list) or len(expected) < 2 or stat.st_size != expected[0]:
                return f"{name} is damaged"
            if len(expected) == 3 and stat.st_mtime_ns == expected[2]:
                continue
            if _crc32(path) != expected[1]:
                return f"{name} is damaged"
        except OSError:
            return f"{name} is missing"
    return None


def _crc32(path: Path) -> int:
    crc = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc

