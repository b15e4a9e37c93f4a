"""Fixtures for the GUI tests: the real main window on a corpus, with its archive ready."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from migarchive.paths import AppPaths
from migarchive.ui.main_window import MainWindow

READY_TIMEOUT = 30_000

OpenWindow = Callable[..., MainWindow]


@pytest.fixture
def open_window(qtbot, tmp_path: Path, corpus_dir: Path) -> OpenWindow:
    """open_window(corpus=..., data_dir=..., settings=...): a shown MainWindow whose archive is ready."""

    def factory(corpus: Path | None = None, data_dir: Path | None = None, settings: Path | None = None) -> MainWindow:
        paths = AppPaths(corpus=corpus or corpus_dir, data_dir=data_dir or tmp_path / "data")
        ini = QSettings(str(settings or tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        win = MainWindow(paths, ini)
        qtbot.addWidget(win)
        # The worker reports back through a queued signal, so `ready` cannot fire before the event loop runs.
        with qtbot.waitSignal(win.ready, timeout=READY_TIMEOUT):
            win.show()
        assert win.archive is not None and win.archive.ready
        return win

    return factory


@pytest.fixture
def win(open_window: OpenWindow) -> MainWindow:
    return open_window()


