"""Help › About and the app's identity on the desktop (icon, desktop entry name)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from migarchive import __version__
from migarchive.ui.about import AboutDialog
from migarchive.ui.app import configure


def test_about_shows_version_paths_and_licences(win) -> None:  # type: ignore[no-untyped-def]
    dialog = win.show_about()
    assert isinstance(dialog, AboutDialog) and dialog.isVisible() and not dialog.isModal()
    summary = dialog.summary.text()
    assert f"migarchive {__version__}" in summary
    assert str(win.paths.corpus) in summary and str(win.paths.data_dir) in summary
    assert "read-only" in summary and str(win.paths.imported) in summary  # the bundled corpus
    licences = dialog.licences.toPlainText()
    assert "The bundled documents" in licences and "United Nations" in licences
    for library in ("PySide6", "Whoosh", "Markdown", "pypdf", "platformdirs", "Qt", "Python"):
        assert library.lower() in licences.lower(), library
    assert "BSD" in licences and "LGPL" in licences and "MIT" in licences
    dialog.close()


def test_the_app_carries_its_icon_and_desktop_entry_name(qapp: QApplication) -> None:
    saved = (qapp.applicationName(), qapp.organizationName(), qapp.desktopFileName(), qapp.windowIcon())
    try:
        configure(qapp)
        assert qapp.desktopFileName() == "migarchive"
        icon = qapp.windowIcon()
        assert not icon.isNull() and not icon.pixmap(48, 48).isNull()
    finally:
        qapp.setApplicationName(saved[0])
        qapp.setOrganizationName(saved[1])
        qapp.setDesktopFileName(saved[2])
        qapp.setWindowIcon(saved[3])
