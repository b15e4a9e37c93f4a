"""SIGKILL at random moments of a full index build and of an incremental update, again and again:
afterwards `migarchive search` answers as a clean build does (or rebuilds by itself, saying so),
never with a traceback, and every note is still there, anchored in the current text.

Each loop kills `KILLS` times (12; `MIGARCHIVE_KILLS=200 pytest -m slow tests/reliability` for a
long run by hand). The two loops run side by side, one per core, to keep `make test` short.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from migarchive.core import documents
from migarchive.core.archive import Archive
from migarchive.core.model import Skipped
from migarchive.core.notes.store import NotesStore
from migarchive.core.reading import discover, read_source
from migarchive.paths import AppPaths

from .conftest import KILLS, cli, cli_json, search_summary, synthetic_corpus

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")]

SYNTHETIC = 40  # on top of the five seeds: long enough a build that kills land in every phase of it
QUERIES = ["remittances", '"New York Declaration"', "trafficking OR smuggling", "entity:IOM", "remitances"]
# Notes on the last paragraph of documents the update leaves alone (001, paper_002), moves (paper_001,
# paper_004: a paragraph is inserted before it) and removes for a while (paper_012).
NOTED = ["001_2af6c4c605665e75.txt", "paper_001.txt", "paper_002.txt", "paper_004.txt", "paper_012.txt"]


def _start(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "migarchive", *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def _kill_after(child: subprocess.Popen[str], delay: float) -> bool:
    """SIGKILL `child` after `delay` seconds; True if it was still running, so really killed."""
    try:
        child.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
    _, err = child.communicate(timeout=30)
    assert "Traceback" not in err, err
    return child.returncode == -signal.SIGKILL


def _search(query: str, corpus: Path, data: Path) -> tuple[tuple[object, ...], bool]:
    """(what the search found, whether it said it rebuilt a damaged index)."""
    done = cli("search", query, "--limit", "1000", "--json", "--corpus", corpus, "--data-dir", data)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    # the only thing it may say: that it rebuilt a damaged index
    assert all(line.startswith("migarchive: the search index was damaged") for line in done.stderr.splitlines()), \
        done.stderr
    total, corrected, hits = search_summary(json.loads(done.stdout))
    # every hit (limit 1000), as a set: an updated index may order near-equal scores otherwise
    return (total, corrected, sorted(hits)), bool(done.stderr)


def _expected(corpus: Path, tmp: Path) -> dict[str, tuple[object, ...]]:
    """Each query's results on a clean build of the corpus as it is now (made in this process,
    which the command line only wraps)."""
    data = tmp / f"clean-{time.monotonic_ns()}"
    archive = Archive.open(AppPaths(corpus=corpus, data_dir=data), rebuild=True)
    try:
        results = {}
        for query in QUERIES:
            found = archive.search(query, limit=1000)
            results[query] = (found.total, found.corrected, sorted((h.path, h.passage_id) for h in found.hits))
    finally:
        archive.close()
    shutil.rmtree(data)
    return results


def _add_notes(corpus: Path, data: Path) -> set[str]:
    archive = Archive.open(AppPaths(corpus=corpus, data_dir=data))
    try:
        ids = set()
        for path in NOTED:
            document = archive.document(path)
            last = document.passages[-1]
            ids.add(archive.notes.add_annotation(path, document.cleaned, last.start, last.start + 60,
                                                 note="kept").id)
        return ids
    finally:
        archive.close()


def _check_notes(corpus: Path, data: Path, ids: set[str]) -> int:
    """Every note is there, anchored where its text now is (orphaned while its document is away);
    returns how many were lost."""
    store = NotesStore.open(data / "notes.sqlite3", data / "backups")
    try:
        annotations = store.annotations()
    finally:
        store.close()
    files = {f.path: f for f in discover(corpus)[0]}
    for annotation in annotations:
        if annotation.path not in files:
            assert annotation.status == "orphaned", annotation
            continue
        source = read_source(files[annotation.path])
        assert not isinstance(source, Skipped)
        cleaned = documents.build(source, files[annotation.path]).cleaned
        assert annotation.status == "anchored"
        assert cleaned[annotation.start:annotation.end] == annotation.exact, \
            f"the note on {annotation.path} was not anchored again in its new text"
    return len(ids - {a.id for a in annotations})


def test_sigkill_during_full_rebuilds_and_incremental_updates(tmp_path: Path, figures: Counter[str]) -> None:
    with ThreadPoolExecutor(2) as pool:
        full = pool.submit(_full_rebuild_loop, tmp_path / "full")
        incremental = pool.submit(_incremental_loop, tmp_path / "incremental")
        killed_full = full.result()
        killed_incremental, rebuilt = incremental.result()
    figures["kills survived: full rebuild"] += killed_full
    figures["kills survived: incremental update"] += killed_incremental
    figures["index rebuilt by itself after a kill"] += rebuilt
    figures["notes lost"] += 0  # each loop asserts that every note is still there
    assert killed_full == killed_incremental == KILLS


def _full_rebuild_loop(tmp_path: Path) -> int:
    """`index --rebuild` killed at random moments; the index in use is never touched, so the
    searches always find what a clean build finds. Returns how many runs were really killed."""
    corpus = synthetic_corpus(tmp_path / "corpus", SYNTHETIC)
    data = tmp_path / "data"
    started = time.monotonic()
    cli_json("index", "--rebuild", "--corpus", corpus, "--data-dir", data)
    duration = time.monotonic() - started
    notes = _add_notes(corpus, data)
    expected = _expected(corpus, tmp_path)
    rng = random.Random(int(os.environ.get("MIGARCHIVE_KILL_SEED", "1")))
    killed = 0
    for round_ in range(2 * KILLS):  # until KILLS runs were really killed, not finished first
        if killed >= KILLS:
            break
        if round_ == KILLS // 2:
            shutil.rmtree(data)  # once, the very first build of a data directory is killed
            notes = set()
        child = _start("index", "--rebuild", "--corpus", corpus, "--data-dir", data)
        killed += _kill_after(child, rng.uniform(0, duration))
        query = QUERIES[round_ % len(QUERIES)]
        found, _ = _search(query, corpus, data)
        assert found == expected[query], f"kill {round_ + 1}: {query}"
        if not notes:
            notes = _add_notes(corpus, data)
        assert _check_notes(corpus, data, notes) == 0
    generations = [p for p in next((data / "indexes").iterdir()).iterdir() if p.name.startswith("g-")]
    assert len(generations) == 1, "half-built generations are cleared away"
    return killed


def _toggle(corpus: Path, parked: Path, state: str) -> None:
    """State "b": a third of the papers get a new first paragraph (so every offset after it moves),
    every twelfth is removed (parked aside) and five new ones appear; state "a" is the corpus as
    generated."""
    for number in range(SYNTHETIC):
        name = f"paper_{number:03d}.txt"
        if number % 3 == 1:
            path = corpus / name
            text = path.read_text(encoding="utf-8")
            title, _, body = text.partition("\n\n")
            inserted = f"An inserted paragraph about asylum, number {number}, for the update."
            body = body.removeprefix(inserted + "\n\n")
            path.write_text(f"{title}\n\n{inserted}\n\n{body}" if state == "b" else f"{title}\n\n{body}",
                            encoding="utf-8")
        elif number % 12 == 0:  # removed in state b
            source, target = (corpus, parked) if state == "b" else (parked, corpus)
            if (source / name).exists():
                (source / name).rename(target / name)
    for number in range(5):
        extra = corpus / f"extra_{number}.txt"
        if state == "b":
            extra.write_text(f"NEW PAPER {number}\n\nRemittances and circular migration, new paper {number}.\n",
                             encoding="utf-8")
        else:
            extra.unlink(missing_ok=True)


def _incremental_loop(tmp_path: Path) -> tuple[int, int]:
    """`index` killed at random moments while it updates the index with edited, new and removed
    files; the next search finishes the update (or rebuilds a damaged index, saying so) and finds
    what a clean build of the same files finds. Returns (runs really killed, rebuilds)."""
    corpus = synthetic_corpus(tmp_path / "corpus", SYNTHETIC)
    parked = tmp_path / "parked"
    parked.mkdir()
    data = tmp_path / "data"
    expected = {}
    for state in ("b", "a"):
        _toggle(corpus, parked, state)
        expected[state] = _expected(corpus, tmp_path)
    cli_json("index", "--corpus", corpus, "--data-dir", data)
    notes = _add_notes(corpus, data)
    # how long an uninterrupted update takes: the kills land anywhere within it
    _toggle(corpus, parked, "b")
    started = time.monotonic()
    cli_json("index", "--corpus", corpus, "--data-dir", data)
    duration = time.monotonic() - started
    rng = random.Random(int(os.environ.get("MIGARCHIVE_KILL_SEED", "2")))
    killed = rebuilt = 0
    state = "b"
    for round_ in range(2 * KILLS):  # until KILLS runs were really killed, not finished first
        if killed >= KILLS:
            break
        state = "a" if state == "b" else "b"
        _toggle(corpus, parked, state)
        child = _start("index", "--corpus", corpus, "--data-dir", data)
        killed += _kill_after(child, rng.uniform(0, duration))
        query = QUERIES[round_ % len(QUERIES)]
        found, said_rebuilt = _search(query, corpus, data)
        rebuilt += said_rebuilt
        assert found == expected[state][query], f"kill {round_ + 1}: {query}"
        assert _check_notes(corpus, data, notes) == 0
    return killed, rebuilt
