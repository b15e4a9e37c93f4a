"""Helpers for tests that drive the main window."""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, QTimer

SEARCH_TIMEOUT_MS = 20_000


def run_search(win, timeout_ms: int = SEARCH_TIMEOUT_MS) -> None:  # type: ignore[no-untyped-def]
    """Run the query in the search field and wait until its results are shown (searches run in a
    worker thread)."""
    done: list[bool] = []
    loop = QEventLoop()

    def shown() -> None:
        done.append(True)
        loop.quit()

    win.searched.connect(shown)
    try:
        win.run_search()
        if not done:
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()
    finally:
        win.searched.disconnect(shown)
    assert done, f"no results shown within {timeout_ms} ms"


def settle(win, timeout_ms: int = SEARCH_TIMEOUT_MS) -> None:  # type: ignore[no-untyped-def]
    """Wait until the work the window sent to its worker threads (note writes, exports, imports,
    searches; not indexing) has reported back, and what it changed is shown."""
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QThread

    clock = QElapsedTimer()
    clock.start()
    while not win.operations.idle(indexing=False):
        assert clock.elapsed() < timeout_ms, f"the window's work did not finish within {timeout_ms} ms"
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        QThread.msleep(2)
    QCoreApplication.processEvents()
