"""Running the facade's work off the GUI thread (in the manner of Anki's `CollectionOp`/`QueryOp`).

Three lanes, each a pool of its own:
- writes (notes): one thread, so writes happen one at a time and in the order asked;
- indexing (sync, add, corrections): one thread, the only one that writes the Whoosh index; long,
  cancellable, with progress. Apart from note writes so that a highlight made during a rebuild is
  saved at once, not after it; the notes database serialises its own writers;
- reads (searches): one thread, so a newer query waits for the running one instead of racing it.

Results and failures come back on the GUI thread through queued signals; a write's `Change` is
broadcast once by `changed`, and each view refreshes what it names.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from migarchive.core.changes import Change
from migarchive.ui import messages, tasks

Failed = Callable[[BaseException, str], None]


class Operations(QObject):
    changed = Signal(object)  # a Change, once per write that made one

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._window = parent
        self._writes = _lane(self)
        self._indexing = _lane(self)
        self._reads = _lane(self)
        self._alive: set[tasks.Task] = set()  # Python owns the tasks until they report back
        self.cancel_indexing = threading.Event()

    def write(self, work: Callable[[], Any], then: Callable[[Any], None] | None = None, *,
              failed: Failed | None = None, title: str = "The change was not saved") -> tasks.Task:
        """`work()` on the writer; a `Change` it returns (alone, last of a tuple, or as the `change`
        of a report) is broadcast."""
        return self._run(self._writes, lambda _progress: work(), then, failed or self._presenter(title))

    def index(self, work: Callable[[Callable[[int, int, str], None], threading.Event], Any],
              then: Callable[[Any], None], failed: Failed,
              progress: Callable[[int, int, str], None]) -> tasks.Task:
        """`work(progress, cancel)` on the indexing lane; `cancel_indexing()` asks it to stop."""
        self.cancel_indexing = cancel = threading.Event()
        task = self._run(self._indexing, lambda report: work(report, cancel), then, failed)
        task.signals.progress.connect(progress)
        return task

    def read(self, work: Callable[[], Any], then: Callable[[Any], None], failed: Failed) -> tasks.Task:
        return self._run(self._reads, lambda _progress: work(), then, failed)

    def idle(self, *, indexing: bool = True) -> bool:
        """Whether no work is waiting to report back (with `indexing` False: apart from indexing)."""
        return not any(indexing or task.lane is not self._indexing for task in self._alive)

    def wait(self, msecs: int = 10_000) -> None:
        """Let running work finish (before the archive is closed): note writes however long they
        take, they are the user's; indexing (asked to stop first) and reads for up to `msecs` each,
        after which they are given up (an index is built aside and committed at once, so it
        survives being cut off)."""
        self._writes.waitForDone(-1)
        for lane in (self._indexing, self._reads):
            lane.waitForDone(msecs)

    def _run(self, lane: QThreadPool, work: Callable[[Any], Any], then: Callable[[Any], None] | None,
             failed: Failed) -> tasks.Task:
        task = tasks.Task(work)
        task.lane = lane
        self._alive.add(task)

        def finished(result: object) -> None:
            self._alive.discard(task)
            if then is not None:
                then(result)
            change = result[-1] if isinstance(result, tuple) and result else result
            change = getattr(change, "change", change)
            if isinstance(change, Change):
                self.changed.emit(change)

        def failure(error: BaseException, details: str) -> None:
            self._alive.discard(task)
            failed(error, details)

        task.signals.finished.connect(finished)
        task.signals.failed.connect(failure)
        tasks.start(task, lane)
        return task

    def _presenter(self, title: str) -> Failed:
        return lambda error, details: messages.present_failure(self._window, title, error, details)


def _lane(parent: QObject) -> QThreadPool:
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(1)
    return pool
