"""From the search field to the results and into the reader with the keyboard alone (#16, defect 2),
and the notes search in the window (in:notes bolded)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui_support import settle
from migarchive.ui.main_window import MainWindow
from migarchive.ui.roles import HtmlRole

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)",
                                        "This plugin does not support grabbing the keyboard")]

DOC = "001_2af6c4c605665e75.txt"


def _type_query(qtbot, win: MainWindow, text: str) -> None:  # type: ignore[no-untyped-def]
    win.activateWindow()
    win.search_field.setFocus()
    qtbot.waitUntil(win.search_field.hasFocus)
    win.search_field.clear()
    qtbot.keyClicks(win.search_field, text)


def test_enter_runs_the_query_and_goes_to_the_first_result_then_enter_opens_it(win: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    _type_query(qtbot, win, "remittances")
    with qtbot.waitSignal(win.searched, timeout=20_000):
        qtbot.keyClick(win.search_field, Qt.Key.Key_Return)
    assert win.results_model.rowCount() > 1
    assert win.results.hasFocus() and win.results.currentIndex().row() == 0
    qtbot.keyClick(win.results, Qt.Key.Key_Down)
    assert win.results.currentIndex().row() == 1
    second = win.results_model.hit(1)
    qtbot.keyClick(win.results, Qt.Key.Key_Return)
    assert win.reader.place is not None and win.reader.place.path == second.path


def test_down_from_the_field_goes_to_the_results_once_they_are_shown(win: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    _type_query(qtbot, win, "trafficking")
    with qtbot.waitSignal(win.searched, timeout=20_000):
        win.run_search()
    win.search_field.completer().popup().hide()
    win.search_field.setFocus()
    qtbot.waitUntil(win.search_field.hasFocus)
    qtbot.keyClick(win.search_field, Qt.Key.Key_Down)
    assert win.results.hasFocus() and win.results.currentIndex().row() == 0


def test_a_note_search_bolds_the_words_found_and_opens_the_note(win: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert win.archive is not None
    assert win.open_place(DOC)
    text = win.archive.document(DOC).cleaned
    at = text.index("Berne Initiative")
    win.operations.write(lambda: win.archive.annotate(DOC, at, at + len("Berne Initiative"),  # type: ignore[union-attr]
                                                      note="the hub of the Berne process"))
    settle(win)
    _type_query(qtbot, win, "hub in:notes")
    with qtbot.waitSignal(win.searched, timeout=20_000):
        qtbot.keyClick(win.search_field, Qt.Key.Key_Return)
    assert win.result_summary.text() == "1 note"
    assert "<b>hub</b>" in win.results_model.data(win.results_model.index(0, 0), HtmlRole)
    qtbot.keyClick(win.results, Qt.Key.Key_Return)
    assert win.reader.place is not None and win.reader.place.path == DOC
    assert win.reader.browser.textCursor().selectedText() == "Berne Initiative"
