"""The start page: the archive at a glance where the reader is, until a document is opened (#16)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl

from gui_support import settle
from migarchive.core.archive import Archive
from migarchive.core.overview import overview
from migarchive.ui.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)",
                                                          "This plugin does not support grabbing the keyboard")]

DOC = "001_2af6c4c605665e75.txt"


def _action(win: MainWindow, text: str):  # type: ignore[no-untyped-def]
    (action,) = [a for a in win.actions() if a.text().replace("&", "") == text]
    return action


def test_the_window_opens_on_the_archive_at_a_glance(win: MainWindow) -> None:
    assert win.reading.currentWidget() is win.start_page
    text = win.start_page.toPlainText()
    assert "5 documents" in text and "134 passages" in text
    for line in ("2nd meeting", "15–16 October 2003", "4th meeting", "15th meeting", "referenced only"):
        assert line in text, line
    assert "Agencies named most" in text and "IOM" in text


def test_its_links_open_a_document_run_a_search_and_it_comes_back_with_alt_home(win: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    win.start_page.anchorClicked.emit(QUrl(f"open:{DOC}"))
    assert win.reading.currentWidget() is win.reader and win.reader.place.path == DOC
    action = _action(win, "Start page")
    assert action.shortcut().toString() == "Alt+Home"
    action.trigger()
    assert win.reading.currentWidget() is win.start_page
    assert "Opened last" in win.start_page.toPlainText()  # the document just read
    with qtbot.waitSignal(win.searched, timeout=20_000):
        win.start_page.anchorClicked.emit(QUrl('search:entity:"International Organization for Migration"'))
    assert win.search_field.text().startswith("entity:") and win.results_model.rowCount() > 0


def test_latest_notes_are_listed_and_open(win: MainWindow) -> None:
    assert win.archive is not None
    text = win.archive.document(DOC).cleaned
    at = text.index("Berne Initiative")
    win.operations.write(lambda: win.archive.annotate(DOC, at, at + len("Berne Initiative"), note="see 004"))  # type: ignore[union-attr]
    settle(win)
    win.show_start_page()
    page = win.start_page.toPlainText()
    assert "Latest notes" in page and "“Berne Initiative” — see 004" in page
    (note,) = win.archive.annotations()
    win.start_page.anchorClicked.emit(QUrl(f"note:a:{note.id}"))
    assert win.reader.place is not None and win.reader.browser.textCursor().selectedText() == "Berne Initiative"


def test_the_overview_orders_meetings_and_keeps_the_system_apart(archive: Archive) -> None:
    meetings, unassigned = archive.meetings()
    view = overview(meetings, unassigned, archive.entities(), [], archive.skipped)
    numbers = [line.meeting.number for line in view.meetings]
    assert numbers == sorted(numbers)
    assert view.documents == len(archive.documents())
    assert all(not e.system for e in view.agencies) and len(view.agencies) <= 8
    counts = [len(e.mentions) for e in view.agencies]
    assert counts == sorted(counts, reverse=True)
