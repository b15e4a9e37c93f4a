"""ui/tasks.py alone: work runs in the pool, its result, failure and progress come back on the GUI
thread, progress is thinned out, and the switch interval is lowered only while work runs."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from migarchive.ui import tasks

WAIT_MS = 5000
Progress = Callable[[int, int, str], None]


@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    """A lane of its own, held for the whole test: a pool that is let go waits for its work at once."""
    lane = QThreadPool()
    lane.setMaxThreadCount(1)
    yield lane
    lane.waitForDone(WAIT_MS)


def test_the_result_comes_back_on_the_gui_thread(qtbot: QtBot, pool: QThreadPool) -> None:
    gui = threading.get_ident()
    ran_in: list[int] = []
    delivered: list[tuple[object, int]] = []

    def work(_progress: Progress) -> str:
        ran_in.append(threading.get_ident())
        return "done"

    task = tasks.Task(work)
    task.signals.finished.connect(lambda result: delivered.append((result, threading.get_ident())))
    with qtbot.waitSignal(task.signals.finished, timeout=WAIT_MS):
        tasks.start(task, pool)
    assert ran_in and ran_in[0] != gui
    assert delivered == [("done", gui)]


def test_a_failure_comes_back_with_its_traceback(qtbot: QtBot, pool: QThreadPool) -> None:
    failures: list[tuple[BaseException, str]] = []
    finished: list[object] = []

    def work(_progress: Progress) -> None:
        raise ValueError("no such thing")

    task = tasks.Task(work)
    task.signals.failed.connect(lambda error, details: failures.append((error, details)))
    task.signals.finished.connect(finished.append)
    with qtbot.waitSignal(task.signals.failed, timeout=WAIT_MS):
        tasks.start(task, pool)
    [(error, details)] = failures
    assert isinstance(error, ValueError) and str(error) == "no such thing"
    assert "Traceback" in details and "ValueError: no such thing" in details
    assert finished == []


def test_progress_is_thinned_out_but_the_last_report_always_arrives(qtbot: QtBot, pool: QThreadPool) -> None:
    reports: list[tuple[int, int, str]] = []

    def work(progress: Progress) -> None:
        for done in range(1, 1001):  # far faster than one report per PROGRESS_INTERVAL
            progress(done, 1000, f"file {done}")

    task = tasks.Task(work)
    task.signals.progress.connect(lambda done, total, message: reports.append((done, total, message)))
    with qtbot.waitSignal(task.signals.finished, timeout=WAIT_MS):
        tasks.start(task, pool)
    qtbot.waitUntil(lambda: bool(reports) and reports[-1][0] == 1000, timeout=WAIT_MS)
    assert reports[0] == (1, 1000, "file 1")
    assert reports[-1] == (1000, 1000, "file 1000")
    assert len(reports) < 100


def test_the_switch_interval_is_lowered_only_while_work_runs(qtbot: QtBot, pool: QThreadPool) -> None:
    before = sys.getswitchinterval()
    seen: list[float] = []
    release = threading.Event()

    def work(_progress: Progress) -> None:
        seen.append(sys.getswitchinterval())
        release.wait(WAIT_MS / 1000)

    task = tasks.Task(work)
    tasks.start(task, pool)
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    assert seen[0] == min(before, tasks.SWITCH_INTERVAL)
    with qtbot.waitSignal(task.signals.finished, timeout=WAIT_MS):
        release.set()
    # The worker restores it just after it reports its result.
    qtbot.waitUntil(lambda: sys.getswitchinterval() == before, timeout=WAIT_MS)
