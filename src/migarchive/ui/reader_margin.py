"""The reader's text view with a margin: paragraph numbers, and a mark beside each bookmark.

The numbers are painted beside the text, not put into it: a selection, a copied quote and the text
notes anchor to stay the document's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPolygonF, QTextDocument, QTextFrameFormat
from PySide6.QtWidgets import QTextBrowser, QWidget

from migarchive.core.model import Document
from migarchive.core.notes.anchoring import Anchorer
from migarchive.core.notes.model import Bookmark
from migarchive.core.paragraphs import ParagraphNumbers

BOOKMARK_WIDTH = 9


@dataclass(frozen=True)
class MarginMark:
    position: int  # in the rendered text: the mark stands beside the block holding it
    number: int | None = None  # a paragraph number
    bookmark: str | None = None  # a bookmark's label ("" for one without)


class MarginBrowser(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._marks: list[MarginMark] = []

    def margin_width(self) -> int:
        return self.fontMetrics().horizontalAdvance("0000") + BOOKMARK_WIDTH + 10

    def fit_margin(self) -> None:
        """Make room for the margin; again after new content or a zoom (the numbers follow the font)."""
        root = self.document().rootFrame()
        frame_format: QTextFrameFormat = root.frameFormat()
        if frame_format.leftMargin() != self.margin_width():
            frame_format.setLeftMargin(self.margin_width())
            root.setFrameFormat(frame_format)

    def set_marks(self, marks: list[MarginMark]) -> None:
        self._marks = sorted(marks, key=lambda m: m.position)
        self.viewport().update()

    def marks(self) -> list[MarginMark]:
        return list(self._marks)

    def _top_of(self, position: int) -> QRectF:
        block = self.document().findBlock(position)
        rect = self.document().documentLayout().blockBoundingRect(block)
        return rect.translated(0, -self.verticalScrollBar().value())

    def marks_at(self, point: QPoint) -> list[MarginMark]:
        """The marks beside the line at `point`, when it is in the margin."""
        if point.x() >= self.margin_width():
            return []
        return [m for m in self._marks if self._top_of(m.position).top() <= point.y() < self._top_of(m.position).bottom()]

    def margin_tooltip(self, point: QPoint) -> str | None:
        marks = self.marks_at(point)
        lines = [f"Paragraph {m.number}" for m in marks if m.number is not None]
        lines += [f"Bookmark{': ' + m.bookmark if m.bookmark else ''}" for m in marks if m.bookmark is not None]
        return "\n".join(lines) or None

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._marks:
            return
        painter = QPainter(self.viewport())
        muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        accent = self.palette().color(QPalette.ColorRole.Highlight)
        painter.setFont(self.font())
        line = self.fontMetrics().height()
        width = self.margin_width()
        height = self.viewport().height()
        for mark in self._marks:
            rect = self._top_of(mark.position)
            top = rect.top() + self.document().documentMargin()
            if top > height or rect.bottom() < 0:
                continue
            if mark.number is not None:
                painter.setPen(muted)
                painter.drawText(QRectF(0, top, width - BOOKMARK_WIDTH - 6, line),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, str(mark.number))
            if mark.bookmark is not None:
                left = width - BOOKMARK_WIDTH - 3
                ribbon = QPolygonF([QPointF(left, top), QPointF(left + BOOKMARK_WIDTH, top),
                                    QPointF(left + BOOKMARK_WIDTH, top + line),
                                    QPointF(left + BOOKMARK_WIDTH / 2, top + line * 0.7), QPointF(left, top + line)])
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(accent)
                painter.drawPolygon(ribbon)
        painter.end()


def anchor_positions(document: QTextDocument) -> dict[str, int]:
    """Where each `<a name>` of the rendered HTML (a section's or passage's id) is in the text."""
    positions: dict[str, int] = {}
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            for name in fragment.charFormat().anchorNames():
                positions.setdefault(name, fragment.position())
            fragments += 1
        block = block.next()
    return positions


def paragraph_marks(document: Document, paragraphs: ParagraphNumbers, anchors: dict[str, int]) -> list[MarginMark]:
    """A number beside each paragraph: each begins where a passage does, and every passage is anchored."""
    passage_at = {p.start: p.id for p in document.passages}
    return [MarginMark(anchors[passage_at[p.start]], number=p.number) for p in paragraphs.paragraphs
            if p.start in passage_at and passage_at[p.start] in anchors]


def bookmark_marks(bookmarks: list[Bookmark], path: str, anchorer: Anchorer, anchors: dict[str, int]) -> list[MarginMark]:
    """A mark at each bookmark's text, else at its passage; a bookmark of the whole document at the start."""
    marks = []
    for bookmark in bookmarks:
        if bookmark.path != path or bookmark.orphaned:
            continue
        span = anchorer.anchor(bookmark.quote) if bookmark.quote is not None else None
        if span is not None:
            position: int | None = span[0]
        elif bookmark.passage_id is not None:
            position = anchors.get(bookmark.passage_id)
        else:
            position = 0 if bookmark.quote is None else None
        if position is not None:
            marks.append(MarginMark(position, bookmark=bookmark.label))
    return marks
