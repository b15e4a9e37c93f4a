"""Draws an item's `HtmlRole` text as rich text (bold matches in snippets), wrapping to the view."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from migarchive.ui.roles import HtmlRole

_Index = QModelIndex | QPersistentModelIndex


class RichTextDelegate(QStyledItemDelegate):
    """Laying out a row's rich text costs a fraction of a millisecond, asked of every row each time
    a list is filled: sizes are remembered by text, width and font."""

    _SIZES_LIMIT = 4096

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sizes: dict[tuple[str, int, str], QSize] = {}

    def _document(self, option: QStyleOptionViewItem, index: _Index) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(4)
        doc.setHtml(index.data(HtmlRole) or "")
        doc.setTextWidth(max(option.rect.width(), 200))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        options = QStyleOptionViewItem(option)
        self.initStyleOption(options, index)
        style = options.widget.style() if options.widget else QApplication.style()
        doc = self._document(options, index)
        options.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, options, painter, options.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(options.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, options.palette.color(role))
        painter.save()
        painter.translate(options.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, options.rect.width(), options.rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        options = QStyleOptionViewItem(option)
        self.initStyleOption(options, index)
        if options.widget is not None:
            # The delegate only draws in item views, whose rows are as wide as their viewport.
            options.rect.setWidth(cast(QAbstractItemView, options.widget).viewport().width())
        key = (index.data(HtmlRole) or "", options.rect.width(), options.font.key())
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) > self._SIZES_LIMIT:
                self._sizes.clear()
            doc = self._document(options, index)
            size = self._sizes[key] = QSize(int(doc.idealWidth()), int(doc.size().height()))
        return QSize(size)
