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
