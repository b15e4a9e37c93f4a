"""Shared tools of the reliability tests: synthetic archives, running the real command in a child
process, snapshots of a folder tree, and the figures printed at the end of the run."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from migarchive.paths import bundled_corpus

# Kill loops repeat this many times by default; MIGARCHIVE_KILLS=200 for a long run by hand.
KILLS = int(os.environ.get("MIGARCHIVE_KILLS", "12"))

# What the run proved, printed in the terminal summary: kills survived, bad inputs tried, notes lost.
FIGURES: Counter[str] = Counter()


@pytest.fixture
def figures() -> Counter[str]:
    return FIGURES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.write_sep("-", "reliability figures")
        for name, value in sorted(FIGURES.items()):
            terminalreporter.write_line(f"{name}: {value}")


def seed_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted(bundled_corpus().glob("*.txt")):
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            if len(block.split()) >= 12 and "\t" not in block:
                paragraphs.append(block.strip())
    return paragraphs


def synthetic_corpus(target: Path, documents: int, seed: int = 7) -> Path:
    """The bundled corpus plus `documents` papers made of its paragraphs, always the same ones."""
    shutil.copytree(bundled_corpus(), target)
    rng = random.Random(seed)
    paragraphs = seed_paragraphs()
    for number in range(documents):
        body = "\n\n".join(rng.sample(paragraphs, rng.randint(3, 8)))
        (target / f"paper_{number:03d}.txt").write_text(f"SYNTHETIC PAPER {number} ON MIGRATION\n\n{body}\n",
                                                        encoding="utf-8")
    return target.resolve()


def cli(*args: str | Path, timeout: float = 120, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m migarchive ARGS` in a child process, as a user would run it."""
    return subprocess.run([sys.executable, "-m", "migarchive", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env, encoding="utf-8")


def cli_json(*args: str | Path, **kwargs: Any) -> Any:
    done = cli(*args, "--json", **kwargs)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout)


def search_summary(data: dict[str, Any]) -> tuple[Any, ...]:
    """What two searches must agree on: the total, the correction and the passages found, in order."""
    return (data["total"], data["corrected"], [(h["path"], h["passage_id"]) for h in data["results"]])


def tree_snapshot(root: Path) -> dict[str, tuple[Any, ...]]:
    """Every entry under `root` (not following links): its kind, bytes, mode and modification time."""
    entries: dict[str, tuple[Any, ...]] = {}
    for path in _walk(root):
        rel = os.fsencode(path.relative_to(root)).decode("utf-8", "backslashreplace")
        info = path.lstat()
        if path.is_symlink():
            entries[rel] = ("link", os.readlink(path), info.st_mtime_ns)
        elif path.is_dir():
            entries[rel] = ("dir", info.st_mode, info.st_mtime_ns)
        elif path.is_file():
            entries[rel] = ("file", hashlib.sha256(path.read_bytes()).hexdigest(), info.st_mode, info.st_mtime_ns)
        else:
            entries[rel] = ("other", info.st_mode, info.st_mtime_ns)
    return entries


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in [*dirnames, *filenames]:
            yield Path(dirpath) / name


# -- the window ------------------------------------------------------------------------------------

READY_TIMEOUT = 60_000
# Tooltips and completer popups: the offscreen platform says it cannot raise them or grab the
# keyboard for them (as tests/ui/test_main_window.py notes); not our warnings.
popup_noise = pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)",
                                        "This plugin does not support grabbing the keyboard")


@pytest.fixture
def open_window(qtbot: Any, tmp_path: Path) -> Any:
    """open_window(corpus, data_dir): the real main window, shown, once its archive is ready."""
    from PySide6.QtCore import QSettings

    from migarchive.paths import AppPaths
    from migarchive.ui.main_window import MainWindow

    def factory(corpus: Path, data_dir: Path, wait: bool = True) -> MainWindow:
        settings = QSettings(str(tmp_path / f"settings-{len(list(tmp_path.glob('settings-*')))}.ini"),
                             QSettings.Format.IniFormat)
        win = MainWindow(AppPaths(corpus=corpus, data_dir=data_dir), settings)
        qtbot.addWidget(win)
        if wait:
            with qtbot.waitSignal(win.ready, timeout=READY_TIMEOUT):
                win.show()
        else:
            win.show()
        return win

    return factory


class GapMeter:
    """Ticks every few milliseconds on the GUI thread and keeps the longest time between two ticks:
    how long the GUI was frozen."""

    def __init__(self, interval_ms: int = 5) -> None:
        import time

        from PySide6.QtCore import QTimer

        self._clock = time.perf_counter
        self.longest = 0.0
        self.ticks = 0
        self._last = self._clock()
        self._timer = QTimer(interval=interval_ms)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = self._clock()
        self.longest = max(self.longest, now - self._last)
        self._last = now
        self.ticks += 1

    def stop(self) -> float:
        self._timer.stop()
        return self.longest
