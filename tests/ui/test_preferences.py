"""Edit › Preferences (Ctrl+,): the theme and the reader's text size, set by keyboard, applied at
once and kept for the next start."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from migarchive.ui.main_window import MainWindow
from migarchive.ui.preferences import Preferences, PreferencesDialog, themes
from migarchive.ui.theme import DARK, LIGHT, SYSTEM, Themes

from .conftest import OpenWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def system_look_restored(qapp) -> Iterator[None]:
    """Whatever a test applies, the next test starts with the system's look."""
    themes()
    yield
    themes().apply(SYSTEM)


def _dialog(win: MainWindow, qtbot) -> PreferencesDialog:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in win.findChildren(PreferencesDialog)))
    return next(d for d in win.findChildren(PreferencesDialog) if d.isVisible())


def test_preferences_by_keyboard_apply_at_once_and_persist(open_window: OpenWindow, qtbot, tmp_path: Path,
                                                         system_look_restored: None) -> None:
    win = open_window()
    system_window = QApplication.palette().color(QPalette.ColorRole.Window)
    win.activateWindow()
    win.search_field.setFocus()
    qtbot.keyClick(win.search_field, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = _dialog(win, qtbot)
    qtbot.waitUntil(dialog.theme.hasFocus)
    qtbot.keyClicks(dialog.theme, "D")  # a combo box selects by the first letter
    assert dialog.theme.currentData() == DARK
    qtbot.keyClick(dialog.theme, Qt.Key.Key_Tab)
    assert dialog.reader_size.hasFocus()
    dialog.reader_size.selectAll()
    qtbot.keyClicks(dialog.reader_size, "15")
    qtbot.keyClick(dialog.reader_size, Qt.Key.Key_Return)
    assert not dialog.isVisible()

    assert Themes.is_dark() and QApplication.style().name().lower() == "fusion"
    assert win.reader.browser.font().pointSizeF() == 15 + win.reader.zoom
    ini = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert Preferences.load(ini) == Preferences(DARK, 15)
    win.close()

    again = open_window()
    assert again.preferences == Preferences(DARK, 15)
    assert again.reader.browser.font().pointSizeF() == 15
    again.set_preferences(Preferences(LIGHT, 0))
    assert not Themes.is_dark() and QApplication.style().name().lower() == "fusion"
    again.set_preferences(Preferences(SYSTEM, 0))
    assert QApplication.palette().color(QPalette.ColorRole.Window) == system_window
    assert again.reader.browser.font().pointSizeF() == again.reader._system_points


def test_zoom_adds_to_the_chosen_text_size(win: MainWindow, system_look_restored: None) -> None:
    win.set_preferences(Preferences(SYSTEM, 12))
    win.reader.zoom_by(2)
    assert win.reader.browser.font().pointSizeF() == 14
    win.set_preferences(Preferences(SYSTEM, 10))
    assert win.reader.browser.font().pointSizeF() == 12  # the zoom stays


def test_cancel_changes_nothing(win: MainWindow, qtbot, system_look_restored: None) -> None:
    before = win.preferences
    dialog = win.show_preferences()
    dialog.theme.setCurrentIndex(dialog.theme.findData(DARK))
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert win.preferences == before and not Themes.is_dark()


def test_unknown_or_damaged_preferences_fall_back(tmp_path: Path) -> None:
    ini = QSettings(str(tmp_path / "bad.ini"), QSettings.Format.IniFormat)
    ini.setValue("preferences/theme", "purple")
    ini.setValue("preferences/reader_size", "huge")
    assert Preferences.load(ini) == Preferences(SYSTEM, 0)
    ini.setValue("preferences/reader_size", 500)
    assert Preferences.load(ini).reader_size == 0
