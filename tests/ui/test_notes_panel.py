"""The Notes panel on its own: each note's row shows its text and tags, not only the quote."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex

from migarchive.core.archive import Archive
from migarchive.ui.notes_panel import NotesPanel
from migarchive.ui.roles import KeyRole

pytestmark = pytest.mark.gui

DOC = "001_2af6c4c605665e75.txt"


def _rows(panel: NotesPanel) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def walk(parent: QModelIndex) -> None:
        for row in range(panel.proxy.rowCount(parent)):
            index = panel.proxy.index(row, 0, parent)
            if index.data(KeyRole):
                found.append((index.data(KeyRole), index.data()))
            walk(index)

    walk(QModelIndex())
    return found


def test_note_rows_show_the_note_and_its_tags(qtbot, archive: Archive, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    text = archive.document(DOC).cleaned
    store = archive.notes
    start = text.index("Mr. Joseph Chamie")
    long_quote = text[start : start + 200]
    store.add_annotation(DOC, text, start, start + 200, note="Opened the meeting; compare with 2005",
                         tags=("people", "DESA"))
    passage = next(p for p in archive.document(DOC).passages if p.text.startswith("Ms. Marta Roig"))
    store.add_bookmark(DOC, text, passage_id=passage.id)
    panel = NotesPanel()
    qtbot.addWidget(panel)
    panel.show_notes(archive, store.annotations(), store.bookmarks(), store.tags())
    qtmodeltester.check(panel.model)
    rows = dict(_rows(panel))
    note = next(label for key, label in rows.items() if key.startswith("a:"))
    quote_line, said = note.split("\n")
    assert quote_line.startswith("“Mr. Joseph Chamie") and quote_line.endswith("…”") and len(quote_line) < len(long_quote)
    assert said == "Opened the meeting; compare with 2005 · #DESA #people" or \
        said == "Opened the meeting; compare with 2005 · #people #DESA"
    bookmark = next(label for key, label in rows.items() if key.startswith("b:"))
    assert bookmark.startswith("Bookmark · “Ms. Marta Roig")
    panel.show()
    # The annotation (the first note of the document) gets the height of its two lines.
    first_note = panel.proxy.index(0, 0, panel.proxy.index(0, 0, panel.proxy.index(0, 0)))
    assert first_note.data(KeyRole).startswith("a:")
    assert panel.tree.visualRect(first_note).height() >= 2 * panel.tree.fontMetrics().height()
