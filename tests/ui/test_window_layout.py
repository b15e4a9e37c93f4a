"""Panels and room: Ctrl+1 … Ctrl+5 bring their panel forward, the reader keeps the width on a small
window, a saved layout fits the screen it opens on and belongs to its archive, headings wrap whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt
from PySide6.QtGui import QGuiApplication

from migarchive.paths import AppPaths
from migarchive.ui.main_window import MainWindow
from migarchive.ui.window_layout import DOCK_MINIMUM, DOCK_SHARE, fit_to_screen

from .conftest import OpenWindow

pytestmark = pytest.mark.gui

DOC_001 = "001_2af6c4c605665e75.txt"


def _in_front(win: MainWindow, title: str) -> bool:
    """Whether the tabbed dock called `title` is the tab shown."""
    dock = next(d for d in (win.tree_dock, win.notes_dock) if d.windowTitle() == title)
    return dock.widget().isVisible() and not dock.visibleRegion().isEmpty()


def test_ctrl_number_brings_its_tab_forward_and_focuses_it(win: MainWindow, qtbot) -> None:
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow())
    assert _in_front(win, "Meetings") and not _in_front(win, "Notes")
    qtbot.keyClick(win, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert _in_front(win, "Notes") and not _in_front(win, "Meetings")
    assert win.notes_panel.tree.hasFocus()
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert _in_front(win, "Meetings") and not _in_front(win, "Notes")
    assert win.tree.hasFocus()
    win.entity_dock.hide()
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert win.entity_dock.isVisible() and win.entity_panel.tree.hasFocus()
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert win.reader.browser.hasFocus()


def _reader_width(win: MainWindow) -> int:
    return win.centralWidget().width()


def test_on_a_small_window_the_docks_shrink_before_the_reader(win: MainWindow, qtbot) -> None:
    win.resize(1600, 1000)
    qtbot.waitUntil(lambda: win.width() == 1600)
    QCoreApplication.processEvents()
    wide = (win.tree_dock.width(), win.entity_dock.width())
    win.resize(1000, 700)
    qtbot.waitUntil(lambda: win.width() == 1000)
    QCoreApplication.processEvents()
    docks = win.tree_dock.width() + win.entity_dock.width()
    assert docks <= 1000 * DOCK_SHARE + 10
    assert _reader_width(win) >= 1000 * (1 - DOCK_SHARE) - 20, (_reader_width(win), docks)
    assert min(win.tree_dock.width(), win.entity_dock.width()) >= DOCK_MINIMUM
    # Shrunk in proportion: the right dock (wider by default) stays the wider one.
    assert win.entity_dock.width() > win.tree_dock.width()
    win.resize(1600, 1000)
    qtbot.waitUntil(lambda: win.width() == 1600)
    QCoreApplication.processEvents()
    assert abs(win.tree_dock.width() - wide[0]) <= 4 and abs(win.entity_dock.width() - wide[1]) <= 4


def test_a_window_larger_than_the_screen_is_fitted_to_it(win: MainWindow, qtbot) -> None:
    available = win.screen().availableGeometry()
    win.resize(available.width() * 2, available.height() * 2)  # what a layout saved at scale 1 is at scale 2
    win.move(available.right() - 50, available.top() + 10)
    assert fit_to_screen(win)
    frame = win.frameGeometry()
    assert available.contains(frame), (available, frame)
    assert not fit_to_screen(win)  # fitted once is fitted


def test_a_saved_layout_too_large_for_the_screen_is_fitted_when_restored(open_window: OpenWindow,
                                                                         tmp_path: Path) -> None:
    first = open_window()
    available = first.screen().availableGeometry()
    first.resize(available.width() * 2, available.height() * 2)
    first.close()
    second = open_window()
    assert available.contains(second.frameGeometry()), (available, second.frameGeometry())


def test_the_layout_is_kept_per_archive_in_the_data_directory(open_window: OpenWindow, copy_corpus: Path,
                                                             tmp_path: Path, corpus_dir: Path) -> None:
    data = tmp_path / "data"
    first = open_window()
    assert first.open_place(DOC_001)
    first.entity_dock.hide()
    first.close()
    layout_file = AppPaths(corpus=corpus_dir, data_dir=data).window_settings
    assert layout_file.is_file() and layout_file.is_relative_to(data)
    user_wide = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert not any(key.startswith(("window/", "last/")) for key in user_wide.allKeys())

    other = open_window(corpus=copy_corpus)  # another archive, the same data directory and user settings
    assert other.reader.place is None  # it has never been read: nothing of the first is restored
    assert other.entity_dock.isVisible()
    other.close()
    assert AppPaths(corpus=copy_corpus, data_dir=data).window_settings != layout_file

    again = open_window()
    assert again.reader.place is not None and again.reader.place.path == DOC_001
    assert again.entity_dock.isHidden()


def test_a_layout_saved_by_an_earlier_version_is_used_once(open_window: OpenWindow, tmp_path: Path) -> None:
    first = open_window()
    first.entity_dock.hide()
    state = first.saveState()
    first.close()
    first.window_layout.settings.clear()
    first.window_layout.settings.sync()
    legacy = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    legacy.setValue("window/state", QByteArray(state))
    legacy.sync()
    second = open_window()
    assert second.entity_dock.isHidden()


def test_headings_wrap_between_words(win: MainWindow, qtbot) -> None:
    assert win.open_place(DOC_001)
    win.reader.zoom_by(10)  # large type in a narrow reader: some words are wider than a line
    win.reader.setFixedWidth(300)
    QCoreApplication.processEvents()
    document = win.reader.browser.document()
    wrapped = 0
    block = document.begin()
    while block.isValid():
        layout, text = block.layout(), block.text()
        if block.blockFormat().headingLevel() and layout.lineCount() > 1:
            for number in range(layout.lineCount() - 1):
                line = layout.lineAt(number)
                end = line.textStart() + line.textLength()
                # After a space, or a hyphen ("inter-|governmental"), never inside a word.
                assert text[end - 1].isspace() or text[end - 1] in "-–—/" or not text[end].isalnum(), text[:end]
                wrapped += 1
        block = block.next()
    assert wrapped, "no heading was long enough to wrap; the test shows nothing"
    QGuiApplication.processEvents()


def test_a_long_search_summary_wraps_instead_of_squeezing_the_docks(win: MainWindow, qtbot) -> None:
    win.resize(1600, 1000)
    qtbot.waitUntil(lambda: win.width() == 1600)
    QCoreApplication.processEvents()
    docks = (win.tree_dock.width(), win.entity_dock.width())
    win.search_field.setText("IOM remittances")  # expands to both spellings of IOM's name, and more
    with qtbot.waitSignal(win.searched, timeout=20_000):
        win.run_search()
    QCoreApplication.processEvents()
    assert "also searched" in win.search.summary.text().lower()
    win.search.summary.setText(win.search.summary.text() + " · also searched: " + "a long name, " * 40)
    qtbot.wait(200)  # the layout requests travel up to the window in turn
    assert win.width() == 1600
    assert abs(win.tree_dock.width() - docks[0]) <= 4 and abs(win.entity_dock.width() - docks[1]) <= 4
