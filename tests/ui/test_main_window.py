"""The real main window on the bundled corpus, driven offscreen: tree, search, entities, reader, settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QListWidget

from gui_support import run_search
from migarchive.core.archive import Archive
from migarchive.ui import search_panel
from migarchive.ui.main_window import MainWindow

from .conftest import OpenWindow
from migarchive.ui.meeting_model import short_ordinal
from migarchive.ui.roles import EntityRole, PassageRole, PathRole, SectionRole

pytestmark = pytest.mark.gui

READY_TIMEOUT = 30_000
DOC_000 = "000_b26e33a0a508e853.txt"
DOC_001 = "001_2af6c4c605665e75.txt"
DOC_004 = "004_92a7188ace85ec6e.txt"
MEETING_LABELS = [
    "1st · Jul 2002  (referenced only)",
    "2nd · 15–16 Oct 2003",
    "4th · 26–27 Oct 2005",
    "5th · 20–21 Nov 2006",
    "15th · 16–17 Feb 2017",
]

# Typing into the search field pops up its completer; the offscreen platform says it cannot raise
# the popup or grab the keyboard for it. Like propagateSizeHints (ignored in pyproject), not ours.
popup_noise = pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)",
                                        "This plugin does not support grabbing the keyboard")

def _rows(model, parent: QModelIndex = QModelIndex()) -> list[QModelIndex]:
    return [model.index(row, 0, parent) for row in range(model.rowCount(parent))]


def _labels(model, parent: QModelIndex = QModelIndex()) -> list[str]:
    return [index.data() for index in _rows(model, parent)]


def _search(qtbot, win: MainWindow, query: str) -> None:
    win.search_field.clear()
    qtbot.keyClicks(win.search_field, query)
    with qtbot.waitSignal(win.searched, timeout=20_000):
        qtbot.keyClick(win.search_field, Qt.Key.Key_Return)


def _action(win: MainWindow, key: str):
    wanted = QKeySequence(key)
    return next(a for a in win.actions() if wanted in a.shortcuts())


# -- 1. the meeting tree --------------------------------------------------------------------------


def test_tree_lists_meetings_documents_and_sections(win: MainWindow, qtmodeltester) -> None:
    model = win.tree_proxy
    assert _labels(model) == MEETING_LABELS
    second = model.index(1, 0)
    assert sorted(i.data(PathRole) for i in _rows(model, second)) == [DOC_000, DOC_001]
    referenced_only = model.index(0, 0)
    assert model.rowCount(referenced_only) == 0
    report = next(i for i in _rows(model, second) if i.data(PathRole) == DOC_001)
    sections = _rows(model, report)
    assert sections and all(s.data(PathRole) == DOC_001 and s.data(SectionRole) for s in sections)
    qtmodeltester.check(win.tree_model)


def test_tree_filter_narrows_to_matching_meetings(win: MainWindow, qtbot) -> None:
    qtbot.keyClicks(win.tree_filter, "UNITAR")
    assert _labels(win.tree_proxy) == ["4th · 26–27 Oct 2005", "5th · 20–21 Nov 2006"]
    win.tree_filter.clear()
    assert _labels(win.tree_proxy) == MEETING_LABELS


def test_clicking_a_section_in_the_tree_opens_it(win: MainWindow) -> None:
    second = win.tree_proxy.index(1, 0)
    report = next(i for i in _rows(win.tree_proxy, second) if i.data(PathRole) == DOC_001)
    section = _rows(win.tree_proxy, report)[-1]
    win.tree.activated.emit(section)
    assert win.reader.place is not None
    assert win.reader.place.path == DOC_001
    assert win.reader.place.anchor == section.data(SectionRole)
    assert section.data() in win.reader.breadcrumb.text()


# -- 2. search ------------------------------------------------------------------------------------


@popup_noise
def test_search_fills_results_and_opens_the_passage_highlighted(win: MainWindow, qtbot, qtmodeltester) -> None:
    _search(qtbot, win, "remittances")
    results = win.results_model
    assert results.rowCount() > 0
    expected = win.archive.search("remittances", limit=100)
    assert results.rowCount() == len(expected.hits)
    # The counts first; what was done to the query (also searched: …) may follow.
    match = re.fullmatch(r"(\d+) passages? in (\d+) documents?(?: · .*)?", win.result_summary.text())
    assert match, win.result_summary.text()
    assert (int(match[1]), int(match[2])) == (expected.total, expected.documents)
    qtmodeltester.check(results)

    first = results.index(0, 0)
    hit = results.hit(0)
    assert hit.path == DOC_001  # the best passage lies deep in the long report
    win.results.activated.emit(first)
    reader = win.reader
    assert reader.place.path == DOC_001
    assert reader.place.anchor == first.data(PassageRole)
    assert reader.browser.verticalScrollBar().value() > 0
    crumb = reader.breadcrumb.text()
    assert "2nd · 15–16 Oct 2003 meeting" in crumb
    assert win.archive.info(DOC_001).metadata.title in crumb
    assert hit.section and hit.section in crumb
    assert reader.hit_count > 0

    # F3 walks forward through the highlighted terms, in document order, from the passage in view.
    top = reader.browser.cursorForPosition(reader.browser.viewport().rect().topLeft()).position()
    win.activateWindow()
    reader.browser.setFocus()
    qtbot.waitUntil(reader.browser.hasFocus)
    positions = []
    for _ in range(3):
        qtbot.keyClick(reader.browser, Qt.Key.Key_F3)
        cursor = reader.browser.textCursor()
        assert "remittance" in cursor.selectedText().lower()
        positions.append(cursor.selectionStart())
    assert top <= positions[0] < positions[1] < positions[2]
    qtbot.keyClick(reader.browser, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert reader.browser.textCursor().selectionStart() == positions[1]


@popup_noise
def test_misspelled_query_shows_the_correction(win: MainWindow, qtbot) -> None:
    _search(qtbot, win, "remitances")
    summary = win.result_summary.text()
    assert "remitances" in summary and "“remittances”" in summary, summary
    assert win.results_model.rowCount() > 0
    win.results.activated.emit(win.results_model.index(0, 0))
    assert win.reader.hit_count > 0  # the corrected word is what gets highlighted


@popup_noise
def test_bad_query_shows_a_calm_message(win: MainWindow, qtbot) -> None:
    _search(qtbot, win, "remittances")
    assert win.results_model.rowCount() > 0
    _search(qtbot, win, '"unclosed')
    assert win.results_model.rowCount() == 0
    summary = win.result_summary.text()
    assert "quote" in summary and "Traceback" not in summary, summary
    assert win.result_summary.isVisible()


@popup_noise
def test_escape_in_the_search_field_clears_the_results(win: MainWindow, qtbot) -> None:
    _search(qtbot, win, "trafficking")
    assert win.results_model.rowCount() > 0
    win.activateWindow()
    win.search_field.setFocus()
    qtbot.waitUntil(win.search_field.hasFocus)
    qtbot.keyClick(win.search_field, Qt.Key.Key_Escape)
    assert win.search_field.text() == ""
    assert win.results_model.rowCount() == 0
    assert win.result_summary.text() == ""
    assert not win.results.isVisible()


# -- 3. agencies & initiatives --------------------------------------------------------------------


def test_selecting_an_entity_lists_its_mentions_over_the_meetings(win: MainWindow, qtmodeltester) -> None:
    panel = win.entity_panel
    qtmodeltester.check(panel.model)
    unhcr = win.archive.entity("UNHCR")
    assert unhcr is not None
    assert panel.select_entity(unhcr.id)
    assert panel.tree.currentIndex().data(EntityRole) == unhcr.id
    assert panel.mentions_model.rowCount() == len(unhcr.mentions)
    qtmodeltester.check(panel.mentions_model)
    held = [m for m in win.archive.meetings()[0] if not m.referenced_only]
    assert [label for label, _count in panel.strip.counts] == [short_ordinal(m.number) for m in held]
    assert sum(count for _label, count in panel.strip.counts) == len(unhcr.mentions)
    by_meeting = dict(panel.strip.counts)
    assert by_meeting["2nd"] == sum(1 for m in unhcr.mentions if m.path in (DOC_000, DOC_001))


def test_activating_a_mention_opens_it_selected(win: MainWindow) -> None:
    panel = win.entity_panel
    unhcr = win.archive.entity("UNHCR")
    panel.select_entity(unhcr.id)
    row = next(r for r in range(panel.mentions_model.rowCount())
               if panel.mentions_model.mention(r).surface == "UNCHR")  # the source's own typo
    panel.mentions.activated.emit(panel.mentions_model.index(row, 0))
    reader = win.reader
    assert reader.place.path == DOC_001
    assert reader.browser.textCursor().selectedText() == "UNCHR"
    assert any(s.cursor.selectedText() == "UNCHR" for s in reader.browser.extraSelections())
    assert "United Nations High Commissioner for Refugees" in win.statusBar().currentMessage()


def test_document_scope_lists_only_entities_of_the_open_document(win: MainWindow) -> None:
    panel = win.entity_panel
    everything = {i.data(EntityRole) for g in _rows(panel.model) for i in _rows(panel.model, g)}
    assert win.open_place(DOC_004)
    panel.scope.setCurrentIndex(panel.scope.findText("This document"))
    listed = {i.data(EntityRole) for g in _rows(panel.model) for i in _rows(panel.model, g)}
    in_document = {e.id for e in win.archive.entities() if any(m.path == DOC_004 for m in e.mentions)}
    assert listed == in_document
    assert listed and listed < everything
    assert win.open_place(DOC_001)  # following the reader
    in_001 = {e.id for e in win.archive.entities() if any(m.path == DOC_001 for m in e.mentions)}
    assert {i.data(EntityRole) for g in _rows(panel.model) for i in _rows(panel.model, g)} == in_001


# -- 4. the reader --------------------------------------------------------------------------------


def test_find_bar_finds_selects_and_wraps(win: MainWindow, qtbot) -> None:
    assert win.open_place(DOC_000)
    reader = win.reader
    text = reader.browser.toPlainText()
    needle = "data"
    count = text.lower().count(needle)
    assert count >= 2
    reader.open_find()
    assert reader.find_bar.isVisible()
    qtbot.keyClicks(reader.find_bar.field, needle)
    cursor = reader.browser.textCursor()
    assert cursor.selectedText().lower() == needle
    first = cursor.selectionStart()
    assert first == text.lower().index(needle)
    seen = [first]
    for _ in range(count):
        assert reader.find() is True
        seen.append(reader.browser.textCursor().selectionStart())
    assert seen[-1] == first  # wrapped around to the first match
    assert seen[:-1] == sorted(seen[:-1]) and len(set(seen)) == count
    assert reader.find(forward=False) is True  # and backwards past the start, to the last one
    assert reader.browser.textCursor().selectionStart() == seen[-2]

    reader.find_bar.field.setText("zyxxy-not-in-here")
    assert reader.find() is False
    assert reader.find_bar.status.text() == "not found"


def test_zoom_changes_the_font_size(win: MainWindow) -> None:
    assert win.open_place(DOC_000)
    browser = win.reader.browser
    before = browser.font().pointSizeF()
    _action(win, "Ctrl+=").trigger()
    _action(win, "Ctrl+=").trigger()
    assert browser.font().pointSizeF() > before
    assert win.reader.zoom == 2
    _action(win, "Ctrl+-").trigger()
    assert win.reader.zoom == 1
    win.save_settings()
    assert int(win.settings.value("reader/zoom")) == 1


def test_back_and_forward_return_to_earlier_places(win: MainWindow) -> None:
    assert win.open_place(DOC_001)
    assert win.open_place(DOC_004)
    win.go_back()
    assert win.reader.place.path == DOC_001
    assert win.archive.info(DOC_001).metadata.title in win.reader.breadcrumb.text()
    win.go_back()  # nothing further back
    assert win.reader.place.path == DOC_001
    win.go_forward()
    assert win.reader.place.path == DOC_004
    win.go_forward()
    assert win.reader.place.path == DOC_004


def test_copy_citation_names_document_meeting_place_and_dates(win: MainWindow) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    assert win.open_place(DOC_001)
    win.copy_citation()
    text = clipboard.text()
    assert "“Report of the Second Coordination Meeting on International Migration”" in text
    assert "Second Coordination Meeting on International Migration" in text
    assert "New York" in text
    assert "15–16 October 2003" in text


def test_raw_html_in_a_document_is_shown_as_text(open_window: OpenWindow, copy_corpus: Path) -> None:
    hostile = copy_corpus / "900_hostile.txt"
    hostile.write_text(
        "A hostile document\n\n"
        "Before <script>alert(1)</script> after.\n\n"
        "An image <img src=x onerror=alert(1)> here.\n\n"
        "A [click](javascript:alert(1)) link and a [site](https://example.org) link.\n",
        encoding="utf-8",
    )
    win = open_window(corpus=copy_corpus)
    assert win.open_place("900_hostile.txt")
    browser = win.reader.browser
    plain, markup = browser.toPlainText(), browser.toHtml()
    assert "<script>alert(1)</script>" in plain
    assert "<img src=x onerror=alert(1)>" in plain
    assert "<img" not in markup
    assert "javascript:" not in markup
    assert "A click link" in plain
    assert 'href="https://example.org"' in markup


def _visible_range(win: MainWindow) -> tuple[int, int]:
    browser = win.reader.browser
    rect = browser.viewport().rect()
    return browser.cursorForPosition(rect.topLeft()).position(), browser.cursorForPosition(rect.bottomRight()).position()


def test_citation_names_the_section_of_the_opened_passage(win: MainWindow) -> None:
    win.search_field.setText("remittances")
    run_search(win)
    hit = win.results_model.hit(0)
    assert (hit.path, hit.section) == (DOC_001, "1. Workers' Remittances")
    win.search.open_result(win.results_model.index(0, 0))
    crumbs = win.reader.breadcrumb.text().split("  ›  ")
    assert crumbs[-2] == hit.section and crumbs[-1].startswith("para. ")  # the section, then the paragraph
    win.copy_citation()
    assert f"section “{hit.section}”" in QGuiApplication.clipboard().text()


def test_opening_a_hit_in_a_table_passage_shows_it(win: MainWindow) -> None:
    win.search_field.setText("African Union")
    run_search(win)
    # The list of abbreviations first; then the passages naming the AU by its acronym alone.
    assert win.results_model.rowCount() >= 1
    hit = win.results_model.hit(0)
    assert hit.section == "EXPLANATORY NOTES"
    win.search.open_result(win.results_model.index(0, 0))
    assert win.reader.hit_count > 0
    plain = win.reader.browser.toPlainText()
    heading = plain.index("EXPLANATORY NOTES")
    first_hit = min(s.cursor.selectionStart() for s in win.reader.browser.extraSelections())
    assert heading < first_hit
    top, _bottom = _visible_range(win)
    assert top >= heading, f"the view starts at {top}, above the section of the passage at {heading}"


@popup_noise
def test_escape_in_the_search_field_clears_it_while_the_find_bar_is_open(win: MainWindow, qtbot) -> None:
    assert win.open_place(DOC_000)
    win.reader.open_find()
    _search(qtbot, win, "trafficking")
    assert win.results_model.rowCount() > 0
    win.activateWindow()
    win.search_field.setFocus()
    qtbot.waitUntil(win.search_field.hasFocus)
    win.search_field.completer().popup().hide()  # else the first Escape only closes the completions
    qtbot.keyClick(win.search_field, Qt.Key.Key_Escape)
    assert win.reader.find_bar.isVisible()
    assert win.search_field.text() == ""
    assert win.results_model.rowCount() == 0


# -- 5. re-indexing -------------------------------------------------------------------------------


@popup_noise
def test_reindex_runs_off_the_gui_thread(win: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's sync waits until the GUI thread has searched meanwhile: a blocked GUI would time out."""
    gui_searched = threading.Event()
    sync_threads: list[bool] = []
    real_sync = Archive.sync

    def gated_sync(self: Archive, **kwargs):  # type: ignore[no-untyped-def]
        sync_threads.append(threading.current_thread() is threading.main_thread())
        if not gui_searched.wait(timeout=20):
            raise TimeoutError("the GUI thread never got to search while indexing")
        return real_sync(self, **kwargs)

    monkeypatch.setattr(Archive, "sync", gated_sync)
    try:
        win.reindex(rebuild=True)
        assert not win.reindex_action.isEnabled()
        qtbot.waitUntil(lambda: sync_threads != [], timeout=5000)
        _search(qtbot, win, "trafficking")  # the previous index keeps answering
        assert win.results_model.rowCount() > 0
        qtbot.waitUntil(win.indexing.progress.isVisible, timeout=5000)  # shown once the work outlasts a blink
        with qtbot.waitSignal(win.ready, timeout=READY_TIMEOUT):
            gui_searched.set()
    finally:
        gui_searched.set()
    assert sync_threads == [False]
    assert not win.indexing.progress.isVisible()
    assert win.reindex_action.isEnabled()
    assert win.results_model.rowCount() > 0  # the search was run again on the new index
    assert _labels(win.tree_proxy) == MEETING_LABELS


# -- 6. settings ----------------------------------------------------------------------------------


def test_window_state_persists_across_sessions(open_window: OpenWindow, tmp_path: Path) -> None:
    first = open_window()
    assert first.open_place(DOC_004)
    first.reader.zoom_by(2)
    first.entity_dock.hide()
    first.entity_panel.set_scope(whole_archive=False)
    assert first.close()

    second = open_window()
    assert second.reader.place is not None and second.reader.place.path == DOC_004
    assert second.reader.zoom == 2
    assert second.entity_dock.isHidden()
    assert second.tree_dock.isVisible()
    assert second.entity_panel.scope.currentText() == "This document"
    panel = second.entity_panel
    listed = {i.data(EntityRole) for g in _rows(panel.model) for i in _rows(panel.model, g)}
    assert listed == {e.id for e in second.archive.entities() if any(m.path == DOC_004 for m in e.mentions)}


# -- 7. skipped files -----------------------------------------------------------------------------


def test_skipped_files_are_reported(open_window: OpenWindow, copy_corpus: Path, qtbot) -> None:
    (copy_corpus / "empty.txt").write_bytes(b"")
    (copy_corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    win = open_window(corpus=copy_corpus)
    assert win.archive is not None and len(win.archive.documents()) == 5
    assert win.skipped_action.isEnabled()
    assert "(2)" in win.skipped_action.text()
    assert "2 files" in win.statusBar().currentMessage()
    win.indexing.show_skipped()
    dialogs = [d for d in win.findChildren(QDialog) if d.windowTitle() == "Skipped files"]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.waitExposed(dialog)
    assert not dialog.isModal()
    listing = dialog.findChild(QListWidget)
    entries = [listing.item(i).text() for i in range(listing.count())]
    assert sorted(e.split(" — ")[0] for e in entries) == ["binary.txt", "empty.txt"]


# -- 8. the command line ----------------------------------------------------------------------------


def test_gui_command_quits_after_start(tmp_path: Path, corpus_dir: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    done = subprocess.run(
        [sys.executable, "-m", "migarchive", "gui", "--quit-after-start",
         "--corpus", str(corpus_dir), "--data-dir", str(tmp_path / "data")],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"usable window after \d+ ms", done.stdout), done.stdout
    assert (home / ".config" / "migarchive").is_dir()  # settings went to the temporary home


@popup_noise
def test_results_load_more_as_they_are_scrolled_and_group_by_document(win: MainWindow, qtbot, qtmodeltester) -> None:
    _search(qtbot, win, "migration")
    model = win.results_model
    everything = win.archive.search("migration", limit=1000)
    page = search_panel.RESULTS_PAGE
    assert everything.total > model.rowCount() == page
    assert "more as you scroll" in win.result_summary.text()
    while model.rowCount() < everything.total:
        with qtbot.waitSignal(win.searched, timeout=20_000):
            win.results.scrollToBottom()  # near the end of the list: the next page is fetched
    assert model.rowCount() == everything.total
    assert [model.hit(i).passage_id for i in range(page)] == [h.passage_id for h in everything.hits[:page]]
    assert not win.search.load_more()  # nothing more to fetch
    win.group_results.setChecked(True)
    paths = [model.hit(i).path for i in range(model.rowCount())]
    assert len(paths) == len(set(paths)) == everything.documents
    top = model.data(model.index(0, 0))
    assert f"{everything.per_document[paths[0]] - 1} more in this document" in top
    qtmodeltester.check(model)
    win.group_results.setChecked(False)
    assert model.rowCount() == everything.total


def test_the_search_field_keeps_room_for_a_question_in_a_small_window(win: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    # Beside its options the field was squeezed to a letter at QT_SCALE_FACTOR=2: it keeps room
    # for twenty characters, and the docks and the window give way first.
    room = win.search_field.fontMetrics().averageCharWidth() * 20
    assert win.search_field.minimumWidth() >= room
    win.resize(760, 560)
    qtbot.wait(50)
    assert win.search_field.width() >= room and win.width() <= 760
