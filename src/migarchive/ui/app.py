"""Starting the desktop app: paths, settings, the crash presenter, and the window."""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import NoReturn

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from migarchive import STARTED, __version__
from migarchive.desktop import APP_ID, icon_file
from migarchive.errors import MigarchiveError
from migarchive.paths import resolve_paths
from migarchive.ui.main_window import MainWindow


def _present_crash(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """A bug gets a dialog with the details to copy, never a silent death."""
    details = "".join(traceback.format_exception(kind, error, tb))
    sys.stderr.write(details)
    if QApplication.instance() is None:
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "migarchive: unexpected error",
                      f"Something went wrong: {error}\n\nYour notes and the archive are safe. "
                      "Please report this with the details below.")
    box.setDetailedText(f"migarchive {__version__}\n{details}")
    box.exec()


def configure(app: QApplication) -> None:
    """Names (settings go under them) and the identity a desktop shows: icon and desktop entry."""
    app.setApplicationName(APP_ID)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_ID)
    # The desktop entry's name: how Wayland and X11 desktops match the window to its menu entry.
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(icon_file())))


def run(corpus: str | None = None, data_dir: str | None = None, quit_after_start: bool = False,
        qt_arguments: Sequence[str] = ()) -> int:
    """The window on the archive; `qt_arguments` (`-style Fusion`, `-platform offscreen`) are Qt's."""
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_arguments])
    configure(app)
    sys.excepthook = _present_crash
    settings = QSettings()
    remembered = settings.value("archive/corpus")
    if corpus is None and isinstance(remembered, str) and Path(remembered).is_dir():
        corpus = remembered  # the folder the user last opened with File › Open
    try:
        paths = resolve_paths(corpus, data_dir)
    except MigarchiveError as exc:
        QMessageBox.critical(None, "migarchive", str(exc))
        return 2
    window = MainWindow(paths, settings)
    window.show()
    if quit_after_start:
        def report() -> None:
            print(f"usable window after {(time.perf_counter() - STARTED) * 1000:.0f} ms")
            window.close()
            QTimer.singleShot(0, app.quit)

        window.ready.connect(report)
    code = app.exec()
    window.close()  # if the app was quit another way: settings saved, work finished, archive closed
    settings.sync()
    return code


def run_and_exit(corpus: str | None = None, data_dir: str | None = None, quit_after_start: bool = False,
                 qt_arguments: Sequence[str] = ()) -> NoReturn:
    """`run`, then end the process at once.

    Once the window has closed, everything is written: notes are committed as they are made, the
    window's close waited for the writes and stopped indexing, the archive and the settings are
    closed and synced. What is left is the interpreter's teardown, a full collection and the freeing
    of every object of the archive one by one: 0.7 s after a single update of a 2,000-document
    archive, more with each update (the state an update brings is not frozen out of the collector),
    seconds on a busy machine, with the window already gone. The process ends without it.
    """
    code = run(corpus, data_dir, quit_after_start, qt_arguments)
    logging.shutdown()  # the log file flushed and closed
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
