"""A damaged index (truncated or garbage segment file, bytes changed anywhere, missing table of
contents, a lock left by a killed process) is noticed when opened and rebuilt without the user
doing anything, and said once; the notes database is never touched by it."""

from __future__ import annotations

import hashlib
import json
import random
import select
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from migarchive.core import gazetteer
from migarchive.core.archive import Archive
from migarchive.core.index import CURRENT, IndexStore
from migarchive.paths import AppPaths

from .conftest import cli

QUERIES = ["remittances", '"New York Declaration"', "entity:IOM", "remitances", "trafficking OR smuggling"]


def _results(archive: Archive) -> list[tuple[object, ...]]:
    found = [archive.search(q, limit=200) for q in QUERIES]
    return [(r.total, r.corrected, [(h.path, h.passage_id) for h in r.hits]) for r in found]


def _generation(paths: AppPaths) -> Path:
    pointer = json.loads((paths.index_root / CURRENT).read_text(encoding="utf-8"))
    return paths.index_root / pointer["generation"]


def _notes_digest(data: Path) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(data.glob("notes.sqlite3*")))).hexdigest()


@pytest.fixture
def noted(indexed_paths: AppPaths) -> tuple[AppPaths, list[tuple[object, ...]], str]:
    """The bundled corpus's index with a note; what it finds; the notes database's digest."""
    archive = Archive.open(indexed_paths)
    try:
        text = archive.document("001_2af6c4c605665e75.txt").cleaned
        start = text.index("Berne Initiative")
        archive.notes.add_annotation("001_2af6c4c605665e75.txt", text, start, start + 16, note="safe")
        expected = _results(archive)
    finally:
        archive.close()
    return indexed_paths, expected, _notes_digest(indexed_paths.data_dir)


def _damage(path: Path, how: str, rng: random.Random) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "emptied":
        path.write_bytes(b"")
    elif how == "garbage":
        path.write_bytes(rng.randbytes(len(data)))
    elif how == "garbage-tail":
        path.write_bytes(data[: len(data) - 64] + rng.randbytes(64))
    elif how == "missing":
        path.unlink()


# Whoosh leaves a damaged segment's file handle open when it fails to read it.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("how", ["truncated", "emptied", "garbage", "garbage-tail", "missing"])
@pytest.mark.parametrize("part", ["segment", "table of contents"])
def test_damaged_index_files_are_rebuilt_and_said(noted: tuple[AppPaths, list[tuple[object, ...]], str], how: str,
                                                  part: str, figures: Counter[str]) -> None:
    paths, expected, notes = noted
    suffix = ".pst" if part == "segment" else ".toc"  # a segment's postings
    target = next(p for p in _generation(paths).iterdir() if p.suffix == suffix)
    _damage(target, how, random.Random(how))
    archive = Archive(paths)
    try:
        report = archive.sync()
        assert report.rebuilt
        assert report.notice is not None and report.notice.startswith("the search index was damaged")
        assert _results(archive) == expected
    finally:
        archive.close()
    assert _notes_digest(paths.data_dir) == notes, "the notes database was touched"
    again = Archive(paths)
    try:
        assert again.sync().notice is None  # said once: the rebuilt index is sound
    finally:
        again.close()
    figures["index damages recovered"] += 1


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_bytes_changed_anywhere_in_the_index_are_noticed(noted: tuple[AppPaths, list[tuple[object, ...]], str],
                                                         figures: Counter[str]) -> None:
    """Such damage opens fine and used to fail only in some searches, with a zlib or struct error:
    every one of these is now caught when the index is opened, before any search."""
    paths, expected, notes = noted
    segment = next(p for p in _generation(paths).iterdir() if p.suffix == ".pst")
    original = segment.read_bytes()
    store = IndexStore(paths.index_root, fingerprint=gazetteer.load(paths.data_dir).digest)
    rng = random.Random(20261125)
    for _ in range(40):
        damaged = bytearray(original)
        at = rng.randrange(len(damaged))
        for i in range(at, min(len(damaged), at + rng.choice([1, 8, 64]))):
            damaged[i] ^= rng.randrange(1, 256)
        segment.write_bytes(bytes(damaged))
        ix, problem = store.open_live()
        assert ix is None and problem is not None and "damaged" in problem
        figures["index damages recovered"] += 1
    # and the last one is rebuilt, with the same results
    archive = Archive(paths)
    try:
        assert archive.sync().rebuilt
        assert _results(archive) == expected
    finally:
        archive.close()
    assert _notes_digest(paths.data_dir) == notes


def test_the_command_line_rebuilds_a_damaged_index_and_says_so(noted: tuple[AppPaths, list[tuple[object, ...]], str]
                                                               ) -> None:
    paths, expected, notes = noted
    segment = next(p for p in _generation(paths).iterdir() if p.suffix == ".pst")
    _damage(segment, "garbage-tail", random.Random(1))
    done = cli("search", "remittances", "--limit", "200", "--json", "--corpus", paths.corpus,
               "--data-dir", paths.data_dir)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("migarchive: the search index was damaged (") and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    found = json.loads(done.stdout)
    assert (found["total"], [(h["path"], h["passage_id"]) for h in found["results"]]) == \
        (expected[0][0], expected[0][2])
    assert _notes_digest(paths.data_dir) == notes


# The child takes both write locks (ours and Whoosh's), says so, and waits to be killed.
HOLDER = r"""
import sys, time
from pathlib import Path
from migarchive.core import gazetteer
from migarchive.core.index import IndexStore
from migarchive.paths import AppPaths

paths = AppPaths(corpus=Path(sys.argv[1]), data_dir=Path(sys.argv[2]))
store = IndexStore(paths.index_root, fingerprint=gazetteer.load(paths.data_dir).digest)
with store.write_lock():
    writer = store.open_current().writer()
    print("locked", flush=True)
    time.sleep(600)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_locks_left_by_a_killed_process_do_not_block(indexed_paths: AppPaths, figures: Counter[str]) -> None:
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(indexed_paths.corpus), str(indexed_paths.data_dir)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        ready, _, _ = select.select([child.stdout], [], [], 30)
        assert ready and child.stdout.readline().strip() == "locked", child.stderr.read() if child.stderr else ""
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
    lock_files = [p.name for p in indexed_paths.index_root.rglob("*") if "LOCK" in p.name.upper()]
    assert lock_files, "the lock files are still there"
    started = time.monotonic()
    archive = Archive(indexed_paths)
    try:
        report = archive.sync(rebuild=True)
        assert report.rebuilt and report.documents == 5
        generation = _generation(indexed_paths)
        ix = IndexStore(indexed_paths.index_root, gazetteer.load(indexed_paths.data_dir).digest).open_current()
        assert ix is not None
        ix.writer().cancel()  # Whoosh's own lock is free too
        ix.close()
        assert generation.exists()
    finally:
        archive.close()
    assert time.monotonic() - started < 10, "waited for a lock nobody holds"
    figures["index damages recovered"] += 1


@pytest.mark.gui
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_app_rebuilds_a_damaged_index_and_says_so(noted: tuple[AppPaths, list[tuple[object, ...]], str],
                                                      open_window: Any) -> None:
    paths, expected, _ = noted
    segment = next(p for p in _generation(paths).iterdir() if p.suffix == ".pst")
    _damage(segment, "garbage-tail", random.Random(2))
    win = open_window(paths.corpus, paths.data_dir)
    assert win.statusBar().currentMessage().startswith("The search index was damaged (")
    assert win.archive is not None and _results(win.archive) == expected
    assert [a.note for a in win.archive.annotations()] == ["safe"]
