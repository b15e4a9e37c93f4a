"""Recent searches in the completer and the Search menu, and named saved searches (#16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QInputDialog, QMenu

from migarchive.ui.main_window import MainWindow
from migarchive.ui.search_history import RECENT_KEPT, SearchHistory

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)",
                                        "This plugin does not support grabbing the keyboard")]


def _search_menu(win: MainWindow) -> QMenu:
    (menu,) = [a.menu() for a in win.menuBar().actions() if a.text() == "&Search"]
    return menu


def _entries(menu: QMenu, title: str) -> list[str]:
    (sub,) = [a.menu() for a in menu.actions() if a.menu() is not None and a.text().replace("&", "") == title]
    sub.aboutToShow.emit()
    return [a.text() for a in sub.actions()]


def test_a_query_run_with_enter_is_offered_again_first(win: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    win.activateWindow()
    win.search_field.setFocus()
    qtbot.waitUntil(win.search_field.hasFocus)
    qtbot.keyClicks(win.search_field, "brain   drain")
    with qtbot.waitSignal(win.searched, timeout=20_000):
        qtbot.keyClick(win.search_field, Qt.Key.Key_Return)
    assert win.search.history.recent()[0] == "brain drain"
    assert win.search.completions.stringList()[0] == "brain drain"  # before the agencies' names
    assert _entries(_search_menu(win), "Recent searches")[0] == "brain drain"


def test_typing_pauses_do_not_fill_the_history(win: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    win.search_field.setText("remit")
    with qtbot.waitSignal(win.searched, timeout=20_000):
        win.run_search()  # what the pause in typing does
    assert win.search.history.recent() == []


def test_a_saved_search_is_run_from_the_menu_and_deleted(win: MainWindow, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    win.search_field.setText("remittances  year:2003")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Remittances, 2003", True))
    win.search.save_search()
    assert win.search.history.saved() == [("Remittances, 2003", "remittances year:2003")]
    win.search_field.clear()
    menu = _search_menu(win)
    (label,) = _entries(menu, "Saved searches")
    (sub,) = [a.menu() for a in menu.actions() if a.menu() is not None and "Saved" in a.text()]
    with qtbot.waitSignal(win.searched, timeout=20_000):
        sub.actions()[0].trigger()
    assert label.startswith("Remittances, 2003") and win.search_field.text() == "remittances year:2003"
    assert win.results_model.rowCount() > 0
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Remittances, 2003", True))
    win.search.delete_saved_search()
    assert win.search.history.saved() == []
    assert _entries(menu, "Saved searches") == ["No saved searches yet"]


def test_history_is_bounded_kept_once_and_survives_bad_settings(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    history = SearchHistory(settings)
    for n in range(RECENT_KEPT + 10):
        history.remember(f"query {n}")
    history.remember("query 5")
    recent = SearchHistory(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)).recent()
    assert len(recent) == RECENT_KEPT and recent[0] == "query 5" and recent.count("query 5") == 1
    history.save("b", "x")
    history.save("A", "y")
    history.save("a", "z")  # same name, any case: replaced
    assert history.saved() == [("a", "z"), ("b", "x")]
    settings.setValue("search/recent", "{not json")
    settings.setValue("search/saved", '[["only one"], 3, ["n", "q"]]')
    assert history.recent() == [] and history.saved() == [("n", "q")]
