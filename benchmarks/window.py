"""Time to a usable main window on an indexed corpus, and the longest the GUI thread is blocked.

    QT_QPA_PLATFORM=offscreen python benchmarks/window.py --corpus DIR --data-dir DIR [--launched EPOCH]

Opens the real `MainWindow` as the GUI tests do (its own settings file, so the user's are never
touched), waits for `ready` (archive open, meeting tree filled), then expands every row of the meeting
tree. Prints one JSON object:

    usable_s                seconds from --launched (else this script's start) to `ready`
    longest_block_ms        longest gap between the ticks of a 10 ms timer on the GUI thread
    longest_block_start_ms  … while the window opened and filled its views
    longest_block_expand_ms … while the meeting tree was expanded in full
    expand_all_ms           how long `expandAll()` itself took
    documents               documents in the tree
"""

from __future__ import annotations

import time

SCRIPT_STARTED = time.time()  # before the Qt and migarchive imports, which are part of starting

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from PySide6.QtCore import QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from migarchive.paths import resolve_paths  # noqa: E402
from migarchive.ui.main_window import MainWindow  # noqa: E402

TICK_MS = 10
# Pause between phases, so that the tick closing the last gap of one phase is counted in that phase.
SETTLE_MS = 300
# A window that never becomes ready (the index could not be opened) must not hang the benchmark.
GIVE_UP_MS = 300_000


class BlockWatch:
    """A timer ticking every 10 ms on the GUI thread: a long gap between ticks is a blocked thread."""

    def __init__(self) -> None:
        self.phase = "start"
        self.longest_ms: dict[str, float] = {}
        self._last = 0.0
        self._timer = QTimer(interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000
        self.longest_ms[self.phase] = max(gap, self.longest_ms.get(self.phase, 0.0))
        self._last = now


class Session:
    """One start of the window: ready → settle → expand the tree → settle → quit."""

    def __init__(self, app: QApplication, window: MainWindow, launched: float) -> None:
        self.app = app
        self.window = window
        self.launched = launched
        self.watch = BlockWatch()
        self.figures: dict[str, float] = {}
        window.ready.connect(self._ready)

    def start(self) -> None:
        self.window.show()
        self.watch.start()
        QTimer.singleShot(GIVE_UP_MS, self._give_up)

    def _ready(self) -> None:
        if "usable_s" in self.figures:
            return  # a later re-index (none is started here) would emit `ready` again
        self.figures["usable_s"] = time.time() - self.launched
        self.figures["documents"] = len(self.window.archive.documents()) if self.window.archive else 0
        QTimer.singleShot(SETTLE_MS, self._expand)

    def _expand(self) -> None:
        self.watch.phase = "expand"
        started = time.perf_counter()
        self.window.tree.expandAll()
        self.window.tree.scrollToBottom()  # what a reader does next; lays out every row
        self.figures["expand_all_ms"] = (time.perf_counter() - started) * 1000
        QTimer.singleShot(SETTLE_MS, self._finish)

    def _finish(self) -> None:
        self.watch.stop()
        self.window.close()
        self.app.quit()

    def _give_up(self) -> None:
        print(f"window.py: the window was not ready after {GIVE_UP_MS // 1000} s: "
              f"{self.window.statusBar().currentMessage()}", file=sys.stderr)
        self.app.exit(1)

    def report(self) -> dict[str, float]:
        blocks = self.watch.longest_ms
        return {
            **self.figures,
            "longest_block_ms": max(blocks.values(), default=0.0),
            "longest_block_start_ms": blocks.get("start", 0.0),
            "longest_block_expand_ms": blocks.get("expand", 0.0),
        }


def measure(corpus: Path, data_dir: Path, launched: float) -> dict[str, float] | None:
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="migarchive-window-") as folder:
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        session = Session(app, MainWindow(resolve_paths(corpus, data_dir), settings), launched)
        session.start()
        status = app.exec()
    return session.report() if status == 0 else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True, help="holds the index, already built")
    parser.add_argument("--launched", type=float, default=SCRIPT_STARTED,
                        help="time.time() when the caller started this process (default: when this script started)")
    args = parser.parse_args()
    figures = measure(args.corpus, args.data_dir, args.launched)
    if figures is None:
        return 1
    print(json.dumps({key: round(value, 3) for key, value in figures.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
