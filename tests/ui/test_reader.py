"""The reader on its own: symbols highlighted, "n of m" in the find bar, paragraph numbers in the
margin, bookmarks marked, acronyms explained on hover."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from migarchive.core.glossary import Glossary
from migarchive.core.model import Document
from migarchive.core.notes.model import Bookmark, TextQuote
from migarchive.core.paragraphs import number_paragraphs
from migarchive.ui.reader import Reader

pytestmark = pytest.mark.gui


@pytest.fixture
def reader(qtbot) -> Reader:  # type: ignore[no-untyped-def]
    widget = Reader()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _point_of(reader: Reader, phrase: str) -> QPoint:
    at = reader.browser.toPlainText().index(phrase)
    cursor = QTextCursor(reader.browser.document())
    cursor.setPosition(at + 1)
    reader.browser.setTextCursor(cursor)
    reader.browser.ensureCursorVisible()
    return reader.browser.cursorRect(cursor).center()


def test_a_searched_symbol_is_highlighted_like_words(reader: Reader, seed_docs: dict[str, Document]) -> None:
    reader.show_document(seed_docs["002"], terms=["A/RES/71/1", "migrant"])
    highlighted = {s.cursor.selectedText() for s in reader.browser.extraSelections()}
    assert "A/RES/71/1" in highlighted
    assert "A/RES/70/1" not in highlighted  # the symbol as a whole, not its shared parts
    assert {"migrants", "Migrants"} <= highlighted


def test_find_bar_says_which_match_of_how_many(reader: Reader, seed_docs: dict[str, Document], qtbot) -> None:  # type: ignore[no-untyped-def]
    reader.show_document(seed_docs["001"])
    total = reader.browser.toPlainText().lower().count("remittances")
    assert total >= 3
    reader.open_find()
    qtbot.keyClicks(reader.find_bar.field, "remittances")
    assert reader.find_bar.status.text() == f"1 of {total}"
    qtbot.keyClick(reader.find_bar.field, Qt.Key.Key_Return)
    qtbot.keyClick(reader.find_bar.field, Qt.Key.Key_Return)
    assert reader.find_bar.status.text() == f"3 of {total}"
    qtbot.keyClick(reader.find_bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert reader.find_bar.status.text() == f"2 of {total}"
    qtbot.keyClicks(reader.find_bar.field, "zz")
    assert reader.find_bar.status.text() == "not found"


def test_paragraphs_are_numbered_in_the_margin_and_cited(reader: Reader, seed_docs: dict[str, Document]) -> None:
    document = seed_docs["001"]
    reader.show_document(document)
    numbers = number_paragraphs(document.cleaned)
    marks = reader.paragraph_marks()
    assert [n for n, _ in marks] == [p.number for p in numbers.paragraphs]
    text = reader.browser.toPlainText()
    for (number, position), paragraph in zip(marks, numbers.paragraphs):
        assert paragraph.number == number
        assert " ".join(text[position : position + 30].split())[:12] == \
            " ".join(document.cleaned[paragraph.start : paragraph.start + 30].replace("*", "").split())[:12]
    assert reader.browser.toPlainText() == text  # numbers sit beside the text, never in it
    reader.browser.grab()  # paints the margin
    chamie = text.index("Mr. Joseph Chamie")
    cursor = QTextCursor(reader.browser.document())
    cursor.setPosition(chamie)
    cursor.setPosition(chamie + 10, QTextCursor.MoveMode.KeepAnchor)
    reader.browser.setTextCursor(cursor)
    assert reader.current_paragraph() == 2
    passage = next(p for p in document.passages if p.text.startswith("Ms. Marta Roig"))
    assert reader.paragraph_of(passage.id) == 3
    point = _point_of(reader, "Ms. Marta Roig")
    assert reader.tooltip_at(QPoint(4, point.y())) == "Paragraph 3"


def test_bookmarks_are_marked_beside_their_text(reader: Reader, seed_docs: dict[str, Document]) -> None:
    document = seed_docs["001"]
    reader.show_document(document)
    passage = next(p for p in document.passages if p.text.startswith("Ms. Marta Roig"))
    marked = Bookmark("b1", document.path, passage.id, "Roig on the first meeting", None, None, None,
                      "anchored", "", "")
    quoted = Bookmark("b2", document.path, None, "", TextQuote("Mr. Joseph Chamie"), 0, 0, "anchored", "", "")
    elsewhere = Bookmark("b3", "other.txt", None, "", None, None, None, "anchored", "", "")
    reader.set_bookmarks([marked, quoted, elsewhere])
    text = reader.browser.toPlainText()
    assert sorted(reader.bookmark_positions()) == [text.index("Mr. Joseph Chamie"), text.index("Ms. Marta Roig")]
    point = _point_of(reader, "Ms. Marta Roig")
    assert reader.tooltip_at(QPoint(4, point.y())) == "Paragraph 3\nBookmark: Roig on the first meeting"
    reader.browser.grab()
    reader.set_bookmarks([])
    assert reader.bookmark_positions() == []


def test_hovering_an_acronym_shows_its_long_form_and_where_it_is_defined(
        reader: Reader, seed_docs: dict[str, Document]) -> None:
    document = seed_docs["001"]
    reader.show_document(document)
    reader.set_glossary(Glossary([], []))
    text = reader.browser.toPlainText()
    later_use = text.index("IOM", text.index("(IOM)") + 10)
    cursor = QTextCursor(reader.browser.document())
    cursor.setPosition(later_use + 1)
    reader.browser.setTextCursor(cursor)
    reader.browser.ensureCursorVisible()
    tip = reader.tooltip_at(reader.browser.cursorRect(cursor).center())
    assert tip is not None and tip.startswith("IOM — International Organization for Migration\n")
    assert tip.splitlines()[1].startswith("Defined in this document, para. ")
    assert reader.tooltip_at(_point_of(reader, "Joseph")) is None  # an ordinary word explains nothing
