"""Where an entity is named: the list of its mentions (each row's text made when first shown), and
a small chart of how the mentions spread over the meetings."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QToolTip, QWidget

from migarchive.core.entities import Mention
from migarchive.ui.roles import HtmlRole, MentionRole

_Index = QModelIndex | QPersistentModelIndex


class MentionsModel(QAbstractItemModel):
    """Flat list of an entity's mentions: where, and the words around it.

    It holds the mentions alone; a row's text costs a passage lookup in the index, so it is made
    by `describe` when a view first asks for that row, and kept. An entity mentioned thousands of
    times then opens at once, with only the rows in sight looked up."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mentions: list[Mention] = []
        self._describe: Callable[[Mention], str] = lambda mention: html.escape(mention.surface)
        self._html: dict[int, str] = {}  # row -> its text, as made

    def set_mentions(self, mentions: list[Mention], describe: Callable[[Mention], str]) -> None:
        self.beginResetModel()
        self._mentions = mentions
        self._describe = describe
        self._html = {}
        self.endResetModel()

    def mention(self, row: int) -> Mention:
        return self._mentions[row]

    def built(self) -> int:
        """How many rows' texts have been made so far."""
        return len(self._html)

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        if parent.isValid() or column != 0 or not 0 <= row < len(self._mentions):
            return QModelIndex()
        return self.createIndex(row, 0)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        return QModelIndex()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._mentions)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        mention = self._mentions[index.row()]
        if role == HtmlRole:
            text = self._html.get(index.row())
            if text is None:
                text = self._html[index.row()] = self._describe(mention)
            return text
        if role == Qt.ItemDataRole.DisplayRole:
            return mention.surface
        if role == MentionRole:
            return index.row()
        return None


class MeetingStrip(QWidget):
    """A small bar chart: how many mentions fall in each meeting."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: list[tuple[str, int]] = []
        self.setMinimumHeight(54)
        self.setMouseTracking(True)

    def set_counts(self, counts: list[tuple[str, int]]) -> None:
        self.counts = counts
        self.setToolTip("Mentions per meeting: " + ", ".join(f"{label}: {n}" for label, n in counts))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.counts:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        width = self.width() / len(self.counts)
        label_height = self.fontMetrics().height()
        top = self.height() - label_height - 2
        peak = max(n for _, n in self.counts) or 1
        for i, (label, count) in enumerate(self.counts):
            height = max(2.0, (top - 4) * count / peak) if count else 0.0
            x = i * width
            painter.fillRect(QRectF(x + width * 0.2, top - height, width * 0.6, height),
                             palette.color(QPalette.ColorRole.Highlight))
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            painter.drawText(QRectF(x, top, width, label_height), Qt.AlignmentFlag.AlignCenter, label)
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.counts:
            i = min(int(event.position().x() / (self.width() / len(self.counts))), len(self.counts) - 1)
            label, count = self.counts[i]
            QToolTip.showText(event.globalPosition().toPoint(), f"{label} meeting: {count} mention(s)", self)
