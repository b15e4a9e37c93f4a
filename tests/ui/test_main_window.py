"""The real main window, offscreen: indexing in the background, the tree, search, the reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester

from migarchive.core.render import DAMAGE_HTML
from migarchive.paths import AppPaths
from migarchive.ui.main_window import HitRole, MainWindow
from migarchive.ui.meeting_model import PathRole

pytestmark = pytest.mark.gui

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture
def window(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    win = MainWindow(AppPaths(corpus=CORPUS, data_dir=tmp_path))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.archive is not None, timeout=20_000)
    return win


def _rows(model, parent=None):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    return [model.index(r, 0, parent) for r in range(model.rowCount(parent))]


def test_tree_lists_meetings_in_order_with_their_documents(window) -> None:  # type: ignore[no-untyped-def]
    model = window.tree_model
    labels = [i.data() for i in _rows(model)]
    assert labels[0].startswith("1st") and "referenced only" in labels[0]
    assert labels[1] == "2nd · 15–16 Oct 2003"
    assert [label.split(" ·")[0] for label in labels] == ["1st", "2nd", "4th", "5th", "15th"]
    second = _rows(model)[1]
    paths = sorted(i.data(PathRole) for i in _rows(model, second))
    assert paths == ["000_b26e33a0a508e853.txt", "001_2af6c4c605665e75.txt"]
    assert window.statusBar().currentMessage().startswith("5 documents")


def test_meeting_model_is_a_valid_qt_model(window, qtmodeltester: ModelTester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(window.tree_model)


def test_search_then_open_result_scrolls_reader_to_passage(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(window.search_field, "remittances")
    qtbot.keyClick(window.search_field, "\r")
    assert window.results.count() > 0
    assert window.result_summary.text().endswith("documents")
    item = window.results.item(0)
    window._open_hit(item)
    path, _, passage = item.data(HitRole).rpartition("#")
    assert path == "001_2af6c4c605665e75.txt"
    html = window.reader.toHtml()
    assert "Workers" in html
    assert window.reader.verticalScrollBar().value() > 0, "the reader should scroll down to the passage"


def test_misspelled_query_says_what_it_searched(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.search_field.setText("remitances")
    window.run_search()
    assert "remittances" in window.result_summary.text()
    assert window.results.count() > 0


def test_bad_query_is_reported_calmly(window) -> None:  # type: ignore[no-untyped-def]
    window.search_field.setText('"unclosed')
    window.run_search()
    assert "unbalanced" in window.result_summary.text()
    assert window.results.count() == 0


def test_tree_filter_keeps_matching_documents(window) -> None:  # type: ignore[no-untyped-def]
    window.tree_filter.setText("UNITAR")
    proxy = window.tree_proxy
    visible = [i.data() for i in _rows(proxy)]
    assert [label.split(" ·")[0] for label in visible] == ["4th", "5th"]


def test_opening_a_document_from_the_tree_renders_it_safely(window) -> None:  # type: ignore[no-untyped-def]
    window.open_document("001_2af6c4c605665e75.txt")
    text = window.reader.toPlainText()
    assert "REPORT OF THE MEETING" in text
    assert "Tj" not in text.split()
    assert "⟦…⟧" in text, "damaged spots stay visible to the reader"
    assert DAMAGE_HTML.startswith("<span")
