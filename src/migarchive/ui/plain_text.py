"""Text from documents and notes (titles, headings, quotes, notes) is shown as text, never as markup.

Qt guesses: a label or tooltip whose first line holds something that looks like a tag is rendered
as rich text, so a document titled `<img src="file:///…">` would make the window load a local file.
Labels that show such text are set to plain text; tooltips, which have no such setting, are given
as rich text that spells the text out literally.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QToolTip


def literal_tooltip(text: str) -> str:
    """`text` as tooltip markup that shows it exactly, line breaks included."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def plain_label(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class LiteralToolTips(QObject):
    """Shows an item view's tooltips (`ToolTipRole`, which the filters also search) literally."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ToolTip:
            return False
        index = self._view.indexAt(event.pos())  # type: ignore[attr-defined]
        text = index.data(Qt.ItemDataRole.ToolTipRole) if index.isValid() else None
        if text:
            QToolTip.showText(event.globalPos(), literal_tooltip(str(text)), self._view.viewport(),  # type: ignore[attr-defined]
                              self._view.visualRect(index))
        else:
            QToolTip.hideText()
        return True
