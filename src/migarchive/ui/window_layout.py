"""The window's layout for one archive, and the room each part gets.

Kept per archive, in the data directory (`AppPaths.window_settings`): geometry, docks, the split of
results and reader, the entity panel's scope, the document last open and the ones opened before it.
Two archives are two layouts; nothing of it is in the user-wide settings, where a second archive
would overwrite the first.

Room: the reader comes first. A restored (or default) geometry is fitted to the screen the window
opens on, whatever its size or scale factor was when it was saved; on a small window the side docks
shrink in proportion, down to a minimum, instead of the reader.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter

from migarchive.paths import AppPaths

RECENT_DOCUMENTS = 8  # remembered for the start page, most recent first
DOCK_SHARE = 0.45  # of the window's width, the most the side docks take together
DOCK_MINIMUM = 170  # px: a dock narrower than this shows nothing useful
READER_MINIMUM = 320  # px: the search row and the reader
SCREEN_MARGIN = 24  # px kept free around a window fitted to its screen (for the frame and the panels)
_SLACK = 3  # px a dock may differ from what was asked (the splitter's rounding)


def layout_settings(paths: AppPaths) -> QSettings:
    try:
        paths.window_settings.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # a read-only data directory: the layout is not kept, and the window works all the same
    return QSettings(str(paths.window_settings), QSettings.Format.IniFormat)


def fit_to_screen(window: QMainWindow) -> bool:
    """Make the window fit the available geometry of the screen it opens on; True if it was changed."""
    if window.isMaximized() or window.isFullScreen():
        return False
    screen = QGuiApplication.screenAt(window.geometry().center()) or window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return False
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_width, extra_height = frame.width() - window.width(), frame.height() - window.height()
    width = min(window.width(), max(available.width() - extra_width - SCREEN_MARGIN, 200))
    height = min(window.height(), max(available.height() - extra_height - SCREEN_MARGIN, 200))
    fitted = QRect(window.x(), window.y(), width + extra_width, height + extra_height)
    fitted.moveLeft(min(max(fitted.left(), available.left()), available.right() + 1 - fitted.width()))
    fitted.moveTop(min(max(fitted.top(), available.top()), available.bottom() + 1 - fitted.height()))
    if (width, height) == (window.width(), window.height()) and fitted.topLeft() == frame.topLeft():
        return False
    window.resize(width, height)
    window.move(fitted.topLeft())
    return True


class WindowLayout(QObject):
    """Restores and saves one archive's layout, and shares the width between the docks and the reader."""

    def __init__(self, window: QMainWindow, paths: AppPaths, side_docks: list[QDockWidget], centre: QSplitter,
                 user_settings: QSettings) -> None:
        super().__init__(window)
        self.window = window
        self.side_docks = side_docks
        self.centre = centre
        self.user_settings = user_settings  # where layouts were kept before they were per archive
        self.settings = layout_settings(paths)
        self._preferred: dict[str, int] = {}  # side ("left", "right") → the width the user gave it
        self._fitting = False  # resizing the docks here, not the user
        self._fitted_width = -1  # the window's width when the docks were last fitted
        self._applied: dict[str, int] = {}  # side → the width it was last fitted to
        self._shown = False
        for dock in side_docks:
            dock.setMinimumWidth(DOCK_MINIMUM)
            dock.installEventFilter(self)
        window.installEventFilter(self)

    def switch(self, paths: AppPaths) -> None:
        """Another archive: the current layout is saved to its own file, and the next one's is used."""
        self.save()
        self.settings = layout_settings(paths)

    # -- saved and restored ----------------------------------------------------------------------

    def _value(self, key: str) -> object:
        value = self.settings.value(key)
        if value is None and key.startswith("window/"):
            value = self.user_settings.value(key)  # a layout saved by an earlier version, once
        return value

    def restore(self) -> None:
        for key, restore in (("window/geometry", self.window.restoreGeometry),
                             ("window/state", self.window.restoreState),
                             ("window/centre", self.centre.restoreState)):
            value = self._value(key)
            if isinstance(value, QByteArray):
                restore(value)
        fit_to_screen(self.window)

    def save(self) -> None:
        self.save_dock_widths()
        self.settings.setValue("window/geometry", self.window.saveGeometry())
        self.settings.setValue("window/state", self.window.saveState())
        self.settings.setValue("window/centre", self.centre.saveState())
        self.settings.sync()

    def value(self, key: str, default: object = None) -> object:
        return self.settings.value(key, default)

    def set_value(self, key: str, value: object) -> None:
        self.settings.setValue(key, value)

    def last_place(self) -> tuple[str, str | None] | None:
        path = self.settings.value("last/path")
        if not path:
            return None
        return str(path), str(self.settings.value("last/anchor") or "") or None

    def remember_place(self, path: str, anchor: str | None) -> None:
        self.settings.setValue("last/path", path)
        self.settings.setValue("last/anchor", anchor or "")

    def recent_documents(self) -> list[str]:
        value = self.settings.value("recent/documents", [])
        return [str(v) for v in (value if isinstance(value, list) else [value] if value else [])]

    def document_opened(self, path: str) -> None:
        recent = [path, *(p for p in self.recent_documents() if p != path)][:RECENT_DOCUMENTS]
        self.settings.setValue("recent/documents", recent)

    # -- room --------------------------------------------------------------------------------------

    def _areas(self) -> dict[str, QDockWidget]:
        """One docked, shown dock per side: the docks of a side (tabbed or stacked) share its width."""
        sides: dict[str, QDockWidget] = {}
        for dock in self.side_docks:
            area = self.window.dockWidgetArea(dock)
            side = _SIDES.get(area)
            if side and side not in sides and not dock.isFloating() and dock.isVisible():
                sides[side] = dock
        return sides

    def fit_docks(self) -> None:
        """Share the window's width: each side keeps the width the user gave it while the docks take
        at most `DOCK_SHARE` of the window; on a smaller window they shrink in proportion, not the
        reader, and grow back with it."""
        sides = self._areas()
        if not sides or not self.window.isVisible():
            return
        for side in sides:
            self._preferred.setdefault(side, self._preferred_width(side))
        preferred = [self._preferred[side] for side in sides]
        room = max(int(self.window.width() * DOCK_SHARE), DOCK_MINIMUM * len(sides))
        scale = min(1.0, room / max(sum(preferred), 1))
        wanted = [max(DOCK_MINIMUM, int(width * scale)) for width in preferred]
        docks = list(sides.values())
        self._fitting = True
        try:
            if any(abs(d.width() - w) > _SLACK for d, w in zip(docks, wanted)):
                self.window.resizeDocks(docks, wanted, Qt.Orientation.Horizontal)
        finally:
            self._fitting = False
        self._fitted_width = self.window.width()
        self._applied = dict(zip(sides, wanted))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            if event.type() == QEvent.Type.Resize:
                self.fit_docks()
            elif event.type() == QEvent.Type.Show and not self._shown:
                self._shown = True
                fit_to_screen(self.window)  # again, now that the frame around the window is known
            return False
        # A dock resized while the window keeps its width was dragged by the user: the width wanted
        # from now on. (One resized with the window is Qt's doing, or ours.)
        if (event.type() == QEvent.Type.Resize and isinstance(watched, QDockWidget) and not self._fitting
                and self.window.isVisible() and self.window.width() == self._fitted_width):
            side = _SIDES.get(self.window.dockWidgetArea(watched))
            fitted = self._applied.get(side or "")
            if (side and fitted is not None and abs(watched.width() - fitted) > _SLACK
                    and self._areas().get(side) is watched):
                self._preferred[side] = self._applied[side] = watched.width()
        return False

    def _preferred_width(self, side: str) -> int:
        try:
            return int(str(self.settings.value(f"docks/{side}", 0) or 0)) or _DEFAULT_WIDTHS[side]
        except (TypeError, ValueError):
            return _DEFAULT_WIDTHS[side]

    def save_dock_widths(self) -> None:
        for side, width in self._preferred.items():
            self.settings.setValue(f"docks/{side}", width)


_SIDES = {Qt.DockWidgetArea.LeftDockWidgetArea: "left", Qt.DockWidgetArea.RightDockWidgetArea: "right"}
_DEFAULT_WIDTHS = {"left": 300, "right": 380}  # px on a window with room for them
