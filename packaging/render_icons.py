"""Render the SVG icon as the PNG sizes desktops without SVG icon support look for.

    .venv/bin/python packaging/render_icons.py     (or: make icons)

The PNGs are committed beside the SVG (resources/icons/), so installing needs no renderer; run this
again after changing the SVG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402 - after the platform is chosen
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

from migarchive.desktop import ICON_SIZES, icon_folder  # noqa: E402


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - painting needs an application object
    folder = icon_folder()
    renderer = QSvgRenderer(str(folder / "migarchive.svg"))
    if not renderer.isValid():
        print(f"cannot read {folder / 'migarchive.svg'}", file=sys.stderr)
        return 1
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target: Path = folder / f"migarchive-{size}.png"
        if not image.save(str(target)):
            print(f"cannot write {target}", file=sys.stderr)
            return 1
        print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
