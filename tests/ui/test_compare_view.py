"""One question across meetings, from the View menu (Ctrl+Shift+K) (#16)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl

from migarchive.ui.compare_view import CompareView
from migarchive.ui.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)")]


def _action(win: MainWindow, text: str):  # type: ignore[no-untyped-def]
    (action,) = [a for a in win.actions() if a.text().replace("&", "") == text]
    return action


def test_the_search_is_compared_meeting_by_meeting_and_a_passage_opens(win: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    win.search_field.setText("remittances")
    action = _action(win, "Compare across meetings")
    assert action.shortcut().toString() == "Ctrl+Shift+K"
    action.trigger()
    view = win._compare_view
    assert isinstance(view, CompareView)
    qtbot.waitUntil(lambda: "searching" not in view.heading.text(), timeout=20_000)
    text = view.page.toPlainText()
    assert _in_order(text, ["2nd · 15–16 Oct 2003", "4th · 26–27 Oct 2005"])  # the meetings with matches, as held
    assert "Nothing in the documents of the 5th, 15th meetings." in text  # said, after those with matches
    assert "font-weight:700" in view.page.toHtml()  # the words found, in bold
    first = win.archive.compare("remittances", 3).meetings[0].hits[0]  # type: ignore[union-attr]
    view.page.anchorClicked.emit(QUrl(f"open:{first.path}#{first.passage_id}"))
    assert win.reader.place is not None and win.reader.place.path == first.path


def _in_order(text: str, words: list[str]) -> bool:
    places = [text.find(w) for w in words]
    return all(p >= 0 for p in places) and places == sorted(places)


def test_without_a_query_the_selected_agency_is_compared(win: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    win.search_field.clear()
    assert win.compare_across_meetings() is None  # nothing to compare: said in the status bar
    assert "compare" in win.statusBar().currentMessage()
    assert win.archive is not None
    iom = win.archive.entity("IOM")
    assert iom is not None
    win.entity_panel._selected = iom
    view = win.compare_across_meetings()
    assert view is not None
    qtbot.waitUntil(lambda: "searching" not in view.heading.text(), timeout=20_000)
    assert "entity:" in view.heading.text() and "passage" in view.page.toPlainText()
