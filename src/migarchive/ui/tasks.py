"""Running core work off the GUI thread, with results delivered back through queued signals."""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

# Seconds between two progress reports. Each one queues a call into Python on the GUI thread, which
# must first get the GIL from the busy worker (up to the 5 ms switch interval); Qt handles queued
# calls before timers and input, so a report per file kept the window from repainting for half a
# second at a time while indexing.
PROGRESS_INTERVAL = 0.1
# While a task works, every call from Qt into Python on the GUI thread (a model's data(), a
# delegate's sizeHint, a slot) waits for the GIL up to the switch interval, 5 ms by default, and a
# view's layout makes hundreds of them: that froze the window for a quarter of a second. A short
# interval costs the worker next to nothing: it only switches when the GUI thread asks.
SWITCH_INTERVAL = 0.0005

_running = 0
_running_lock = threading.Lock()
_saved_interval = sys.getswitchinterval()


def _task_started() -> None:
    global _running, _saved_interval
    with _running_lock:
        if _running == 0:
            _saved_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(_saved_interval, SWITCH_INTERVAL))
        _running += 1


def _task_ended() -> None:
    global _running
    with _running_lock:
        _running -= 1
        if _running == 0:
            sys.setswitchinterval(_saved_interval)


class TaskSignals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object, str)  # the exception, and its traceback for the crash report


class Task(QRunnable):
    """`fn(progress)` in the pool; `progress(done, total, message)` is safe to call from there."""

    def __init__(self, fn: Callable[[Callable[[int, int, str], None]], Any]) -> None:
        super().__init__()
        # Python owns the task: with auto-delete, Qt would free the C++ side while the window still
        # holds the wrapper, which crashes PySide6 at exit.
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = TaskSignals()
        self.lane: QThreadPool | None = None  # the pool it runs in

    def run(self) -> None:
        last = float("-inf")

        def progress(done: int, total: int, message: str) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_INTERVAL or done >= total:
                last = now
                self.signals.progress.emit(done, total, message)

        _task_started()
        try:
            result = self.fn(progress)
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread to present
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.finished.emit(result)
        finally:
            _task_ended()


def start(task: Task, pool: QThreadPool | None = None) -> Task:
    (pool or QThreadPool.globalInstance()).start(task)
    return task
