"""Killing the process (SIGKILL) in a burst of annotation writes loses no committed note and leaves
a database that opens (core.notes.store: WAL, synchronous=FULL, one transaction per write)."""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from migarchive.core.notes.store import NotesStore

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

# The child writes annotations as fast as it can and prints each id once add_annotation returned,
# that is once its transaction is committed. Tags make each write touch three tables.
CHILD = r"""
import sys
from pathlib import Path
from migarchive.core.notes.store import NotesStore

store = NotesStore.open(Path(sys.argv[1]), Path(sys.argv[2]))
text = "Remittances, trafficking and the Berne Initiative were discussed at length. " * 40
i = 0
while True:
    start = (i * 7) % 2500
    note = store.add_annotation("burst.txt", text, start, start + 60, note=f"note {i} " * 20,
                                tags=[f"tag{i % 11}", "burst"])
    sys.stdout.write(note.id + "\n")
    sys.stdout.flush()
    i += 1
"""


def _run_and_kill(db: Path, backups: Path, rng: random.Random) -> list[str]:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(backups)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    assert child.stdout is not None
    try:
        # wait for the first committed write, so the kill lands in the middle of the burst
        ready, _, _ = select.select([child.stdout], [], [], 30)
        assert ready, "the writer never started"
        time.sleep(rng.uniform(0.01, 0.25))
    finally:
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, err.decode(errors="replace")
    lines = out.decode("ascii", errors="replace").split("\n")
    # the last line may have been cut by the kill; every complete line is a committed id
    return [line for line in lines[:-1] if len(line) == 32]


def test_sigkill_in_a_burst_of_writes_loses_no_committed_note(tmp_path: Path) -> None:
    db, backups = tmp_path / "notes.sqlite3", tmp_path / "backups"
    rng = random.Random(20240611)
    printed: list[str] = []
    started = time.monotonic()
    for run in range(1, 7):
        committed = _run_and_kill(db, backups, rng)
        assert committed, "each run commits at least one note before it is killed"
        printed.extend(committed)
        # the killed process left a database that opens and passes a full integrity check
        check = sqlite3.connect(db)
        try:
            assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert check.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            check.close()
        store = NotesStore.open(db, backups)
        try:
            stored = {a.id for a in store.annotations()}
        finally:
            store.close()
        missing = set(printed) - stored
        assert not missing, f"{len(missing)} committed notes were lost"
        # per run, at most the one write in flight when the kill came is there without being printed
        assert len(stored) - len(printed) <= run
    assert time.monotonic() - started < 30
