"""Two instances on one data directory, and indexing in the background while the user works.

The model (README, "Reliability"): every instance works on its own; index writes are serialised by
a lock across processes (`IndexStore.write_lock`, dropped by the system if its holder dies), a
rebuild is swapped in whole, and notes are SQLite transactions on a WAL database with a busy
timeout. So two windows, or the command line beside the app, lose nothing and break nothing; an
instance sees the other's notes when it next reads them."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from gui_support import run_search, settle
from migarchive.core.notes.store import NotesStore

from .conftest import GapMeter, cli_json, popup_noise, synthetic_corpus

# A second instance: brings the index up to date (a full rebuild every other time), annotates,
# searches, and prints the id of each note once it is saved.
WORKER = r"""
import sys
from pathlib import Path
from migarchive.core.archive import Archive
from migarchive.paths import AppPaths

corpus, data, who, rounds, expected = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
for i in range(rounds):
    archive = Archive(AppPaths(corpus=corpus, data_dir=data))
    archive.sync(rebuild=i % 2 == 0)
    document = archive.document("001_2af6c4c605665e75.txt")
    passage = document.passages[(i * 3 + len(who)) % len(document.passages)]
    note = archive.notes.add_annotation(document.path, document.cleaned, passage.start, passage.start + 20,
                                        note=f"{who} {i}")
    total = archive.search("remittances").total
    assert total == expected, (total, expected)
    archive.close()
    print(note.id, flush=True)
"""


def _integrity(db: Path) -> None:
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        connection.close()


def test_two_processes_index_and_annotate_at_once(tmp_path: Path, figures: Counter[str]) -> None:
    corpus = synthetic_corpus(tmp_path / "corpus", 25)
    data = tmp_path / "data"
    expected = cli_json("search", "remittances", "--corpus", corpus, "--data-dir", data)["total"]
    rounds = 4
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(corpus), str(data), who, str(rounds),
                                 str(expected)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for who in ("first", "second")]
    saved: list[str] = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        assert "Traceback" not in err
        saved.extend(out.split())
    assert len(saved) == 2 * rounds
    store = NotesStore.open(data / "notes.sqlite3", data / "backups")
    try:
        kept = {a.id: a.note for a in store.annotations()}
    finally:
        store.close()
    lost = set(saved) - set(kept)
    assert not lost, f"{len(lost)} notes lost"
    assert sorted(kept.values()) == sorted(f"{who} {i}" for who in ("first", "second") for i in range(rounds))
    _integrity(data / "notes.sqlite3")
    assert cli_json("search", "remittances", "--corpus", corpus, "--data-dir", data)["total"] == expected
    index_root = next((data / "indexes").iterdir())
    assert len([p for p in index_root.iterdir() if p.name.startswith("g-")]) == 1
    figures["notes lost"] += len(lost)
    figures["notes saved by concurrent instances"] += len(saved)


def _select(win: Any, start: int, end: int) -> None:
    from PySide6.QtGui import QTextCursor

    document = win.reader.document
    text = document.cleaned[start:end]
    plain = win.reader.browser.document().toPlainText()
    at = plain.find(text)
    assert at >= 0, text
    cursor = QTextCursor(win.reader.browser.document())
    cursor.setPosition(at)
    cursor.setPosition(at + len(text), QTextCursor.MoveMode.KeepAnchor)
    win.reader.browser.setTextCursor(cursor)


def _highlight_passage(win: Any, index: int) -> None:
    passage = win.reader.document.passages[index]
    _select(win, passage.start, passage.start + min(25, passage.end - passage.start))
    win.notes.highlight()
    settle(win)


@pytest.mark.gui
@popup_noise
def test_the_command_line_while_the_app_is_open(tmp_path: Path, open_window: Any, qtbot: Any,
                                                figures: Counter[str]) -> None:
    corpus = synthetic_corpus(tmp_path / "corpus", 25)
    data = tmp_path / "data"
    win = open_window(corpus, data)
    expected = win.archive.search("remittances").total
    assert win.open_place("001_2af6c4c605665e75.txt")
    _highlight_passage(win, 3)
    # the command line rebuilds the index and adds a note while the window searches and annotates
    base = ["--corpus", str(corpus), "--data-dir", str(data)]
    children = [subprocess.Popen([sys.executable, "-m", "migarchive", *args, *base], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
                for args in (["index", "--rebuild"],
                             ["notes", "add", "001_2af6c4c605665e75.txt", "--exact", "Berne Initiative",
                              "--note", "from the command line", "--json"])]
    round_, made_here = 0, 1
    while any(child.poll() is None for child in children):
        win.search_field.setText("remittances")
        run_search(win)
        assert win.results_model.rowCount() == min(expected, 100)
        round_ += 1
        if round_ % 5 == 0 and made_here < 20:
            _highlight_passage(win, 3 + made_here)
            made_here += 1
        qtbot.wait(50)
    outputs = [child.communicate(timeout=60) for child in children]
    for child, (_, err) in zip(children, outputs):
        assert child.returncode == 0 and "Traceback" not in err, err
    cli_note = json.loads(outputs[1][0])["id"]
    # the window goes on: searching, annotating, and it sees the other instance's note
    run_search(win)
    assert win.results_model.rowCount() == min(expected, 100)
    _highlight_passage(win, 1)
    win.notes.refresh()
    notes = win.archive.annotations()
    assert len(notes) == made_here + 2  # and the one just made, and the command line's
    assert cli_note in {a.id for a in notes}
    assert "from the command line" in {a.note for a in notes}
    # and the index the command line rebuilt is what the window finds after its next update
    with qtbot.waitSignal(win.ready, timeout=60_000):
        win.reindex()
    assert win.archive.search("remittances").total == expected
    figures["notes saved by concurrent instances"] += len(notes)


@pytest.mark.gui
@popup_noise
def test_indexing_in_the_background_never_freezes_the_window(tmp_path: Path, open_window: Any, qtbot: Any,
                                                             figures: Counter[str]) -> None:
    corpus = synthetic_corpus(tmp_path / "corpus", 60)
    win = open_window(corpus, tmp_path / "data")
    expected = win.archive.search("remittances").total
    assert win.open_place("001_2af6c4c605665e75.txt")
    win.search_field.setText("remittances")
    qtbot.wait(300)  # the views lay out what they were just given, as before any user action
    meter = GapMeter()
    win.reindex(rebuild=True)  # a full rebuild, in the background
    started, searches, highlights = time.monotonic(), 0, 0
    while win.indexing.running:
        assert time.monotonic() - started < 60
        run_search(win)  # the previous index answers meanwhile, with the same results
        assert win.result_summary.text().startswith(f"{expected} passages")
        searches += 1
        if searches % 3 == 0 and highlights < len(win.reader.document.passages) - 1:
            _highlight_passage(win, highlights)
            highlights += 1
        qtbot.wait(40)
    longest = meter.stop()
    assert win.archive.search("remittances").total == expected
    saved = win.archive.annotations()
    assert len(saved) == highlights, "a note made during indexing was lost"
    assert searches >= 5 and highlights >= 1, (searches, highlights)
    assert longest < 0.1, f"the window froze for {longest * 1000:.0f} ms"
    figures["longest GUI freeze while indexing (ms)"] = max(figures["longest GUI freeze while indexing (ms)"],
                                                            round(longest * 1000))
    figures["notes lost"] += highlights - len(saved)
