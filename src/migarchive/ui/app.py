"""Starting the desktop app."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from migarchive import __version__
from migarchive.errors import MigarchiveError
from migarchive.paths import resolve_paths
from migarchive.ui.main_window import MainWindow


def run(corpus: str | None = None, data_dir: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("migarchive")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("migarchive")
    try:
        paths = resolve_paths(corpus, data_dir)
    except MigarchiveError as exc:
        QMessageBox.critical(None, "migarchive", str(exc))
        return 2
    window = MainWindow(paths)
    window.show()
    return app.exec()
