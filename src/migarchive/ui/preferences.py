"""Edit › Preferences: the theme (light, dark, the system's) and the reader's type size, kept in the
user's settings (they are the user's, whichever archive is open)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QWidget,
)

from migarchive.ui.reader import Reader
from migarchive.ui.theme import SYSTEM, THEMES, Themes

READER_SIZES = (8, 32)  # points, the smallest and largest the reader's type may be set to
_themes: Themes | None = None


def themes() -> Themes:
    """The application's one `Themes`, made when first asked (before any theme is applied, so that
    it knows what the system's look was)."""
    global _themes
    app = QApplication.instance()
    if _themes is None or _themes.app is not app:
        assert isinstance(app, QApplication)
        _themes = Themes(app)
    return _themes


@dataclass(frozen=True)
class Preferences:
    theme: str = SYSTEM
    reader_size: int = 0  # points; 0: the system's size for text

    @classmethod
    def load(cls, settings: QSettings) -> Preferences:
        theme = str(settings.value("preferences/theme", SYSTEM))
        try:
            size = int(str(settings.value("preferences/reader_size", 0) or 0))
        except (TypeError, ValueError):
            size = 0
        low, high = READER_SIZES
        return cls(theme if theme in THEMES else SYSTEM, size if low <= size <= high else 0)

    def save(self, settings: QSettings) -> None:
        settings.setValue("preferences/theme", self.theme)
        settings.setValue("preferences/reader_size", self.reader_size)
        settings.sync()


def apply_preferences(preferences: Preferences, reader: Reader) -> None:
    themes().apply(preferences.theme)
    reader.set_text_size(preferences.reader_size or None)


class PreferencesDialog(QDialog):
    def __init__(self, current: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.theme = QComboBox()
        for key, label in THEMES.items():
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(max(self.theme.findData(current.theme), 0))
        self.theme.setToolTip("System: the look of your desktop. Light and dark: the same on every desktop")
        self.reader_size = QSpinBox()
        low, high = READER_SIZES
        self.reader_size.setRange(low - 1, high)  # the step below the smallest: the system's size
        self.reader_size.setSpecialValueText("As the system's text")
        self.reader_size.setSuffix(" pt")
        self.reader_size.setValue(current.reader_size or low - 1)
        self.reader_size.setToolTip("The size of the reader's text, before zooming (Ctrl+= and Ctrl+-)")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Theme", self.theme)
        form.addRow("&Reader text size", self.reader_size)
        form.addRow(buttons)
        self.theme.setFocus()

    def preferences(self) -> Preferences:
        size = self.reader_size.value()
        return Preferences(str(self.theme.currentData()), 0 if size < READER_SIZES[0] else size)
