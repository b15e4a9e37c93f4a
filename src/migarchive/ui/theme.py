"""Light, dark or the system's look: Fusion with a palette of our own for light and dark, and for
"system" the style and palette the platform gave the app at start (or the `-style` it was started with).

Fusion because it draws every widget from the palette alone, so a dark palette gives a wholly dark
window on every platform, which the native styles (Windows', macOS') do not promise.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

SYSTEM, LIGHT, DARK = "system", "light", "dark"
THEMES = {SYSTEM: "System", LIGHT: "Light", DARK: "Dark"}

_Role, _Group = QPalette.ColorRole, QPalette.ColorGroup


def _dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        _Role.Window: (45, 45, 48), _Role.WindowText: (225, 225, 225), _Role.Base: (30, 30, 32),
        _Role.AlternateBase: (40, 40, 44), _Role.ToolTipBase: (55, 55, 60), _Role.ToolTipText: (235, 235, 235),
        _Role.PlaceholderText: (140, 140, 140), _Role.Text: (225, 225, 225), _Role.Button: (53, 53, 57),
        _Role.ButtonText: (225, 225, 225), _Role.BrightText: (255, 90, 90), _Role.Light: (75, 75, 80),
        _Role.Midlight: (62, 62, 66), _Role.Mid: (40, 40, 44), _Role.Dark: (25, 25, 27), _Role.Shadow: (10, 10, 10),
        _Role.Highlight: (47, 110, 186), _Role.HighlightedText: (255, 255, 255), _Role.Link: (110, 170, 255),
        _Role.LinkVisited: (180, 140, 255),
    }
    for role, rgb in colours.items():
        palette.setColor(role, QColor(*rgb))
    for role in (_Role.WindowText, _Role.Text, _Role.ButtonText):
        palette.setColor(_Group.Disabled, role, QColor(120, 120, 120))
    palette.setColor(_Group.Disabled, _Role.Highlight, QColor(70, 70, 75))
    return palette


class Themes:
    """Applies a theme to the application; remembers what "system" was before any was applied."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.system_style = app.style().name()
        self.system_palette = QPalette(app.palette())
        self.current = SYSTEM

    def apply(self, theme: str) -> None:
        if theme not in THEMES:
            theme = SYSTEM
        if theme == self.current:
            return
        if theme == SYSTEM:
            self.app.setStyle(QStyleFactory.create(self.system_style) or self.system_style)
            self.app.setPalette(self.system_palette)
        else:
            self.app.setStyle("Fusion")
            fusion = self.app.style()
            self.app.setPalette(_dark_palette() if theme == DARK else fusion.standardPalette())
        self.current = theme

    @staticmethod
    def is_dark(palette: QPalette | None = None) -> bool:
        palette = palette or QApplication.palette()
        return palette.color(_Role.Window).lightness() < 128
