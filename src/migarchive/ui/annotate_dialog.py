"""The small editor for an annotation's note, tags and colour."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from migarchive.core.notes.model import COLOURS
from migarchive.ui.plain_text import plain_label


class AnnotateDialog(QDialog):
    def __init__(self, quote: str, *, note: str = "", tags: tuple[str, ...] = (), colour: str = "yellow",
                 known_tags: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Annotate")
        self.quote = plain_label(QLabel(f"“{quote if len(quote) < 300 else quote[:299] + '…'}”"))
        self.quote.setWordWrap(True)
        self.note = QPlainTextEdit(note)
        self.note.setPlaceholderText("Your note")
        # A note is prose, not a table: Tab moves on to the tags (Ctrl+Tab still types one, as Qt does).
        self.note.setTabChangesFocus(True)
        self.tags = QLineEdit(", ".join(tags))
        self.tags.setPlaceholderText("tags, separated by commas")
        if known_tags:
            completer = QCompleter(known_tags, self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.tags.setCompleter(completer)
        self.colour = QComboBox()
        self.colour.addItems(list(COLOURS))
        self.colour.setCurrentText(colour if colour in COLOURS else COLOURS[0])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.quote)
        form.addRow("Note", self.note)
        form.addRow("Tags", self.tags)
        form.addRow("Colour", self.colour)
        form.addRow(buttons)
        self.resize(460, 300)
        self.note.setFocus()

    def values(self) -> tuple[str, tuple[str, ...], str]:
        tags = tuple(t.strip() for t in self.tags.text().split(",") if t.strip())
        return self.note.toPlainText().strip(), tags, self.colour.currentText()
