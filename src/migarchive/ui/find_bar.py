"""The reader's find bar, and where a phrase occurs in the shown text (for "3 of 17")."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


class FindBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit(placeholderText="Find in document")
        self.field.setClearButtonEnabled(True)
        self.status = QLabel("")
        self.previous = _button("▲", "Previous match (Shift+Enter)")
        self.next = _button("▼", "Next match (Enter)")
        self.close_button = _button("✕", "Close (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.field, self.previous, self.next, self.status, self.close_button):
            layout.addWidget(widget)


class MatchCounter:
    """The start of every match of a phrase, found as the find bar finds (`QTextDocument.find`, so
    the count agrees with what Enter steps through); remembered until the phrase or text changes."""

    def __init__(self) -> None:
        self._key: tuple[int, int, str] | None = None
        self._starts: list[int] = []

    def starts(self, document: QTextDocument, phrase: str) -> list[int]:
        key = (id(document), document.revision(), phrase)
        if key != self._key:
            self._key, self._starts = key, []
            cursor = QTextCursor(document)
            while True:
                cursor = document.find(phrase, cursor)
                if cursor.isNull():
                    break
                self._starts.append(cursor.selectionStart())
        return self._starts

    def status(self, document: QTextDocument, phrase: str, current: int) -> str:
        """"3 of 17" for the match starting at `current`; "not found" when there is none."""
        starts = self.starts(document, phrase)
        if not starts:
            return "not found"
        number = starts.index(current) + 1 if current in starts else sum(1 for s in starts if s <= current)
        return f"{max(number, 1)} of {len(starts)}"


def _button(text: str, tip: str) -> QToolButton:
    # Set one by one: the stubs know no property keywords in QToolButton(text=..., toolTip=...).
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    return button
