"""Opening a PDF in the user's own viewer, at a page when that viewer can be told one.

There is no portable way to pass a page with a file: on Linux the desktop's default PDF viewer is
asked (`xdg-mime`), and the common ones take a page option on their command line. Anything else is
opened the ordinary way, and the caller tells the user the page.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

# Desktop file of a PDF viewer → its command line for a file at a page.
VIEWERS: dict[str, Callable[[str, int], list[str]]] = {
    "org.gnome.Evince": lambda file, page: ["evince", f"--page-label={page}", file],
    "evince": lambda file, page: ["evince", f"--page-label={page}", file],
    "atril": lambda file, page: ["atril", f"--page-label={page}", file],
    "xreader": lambda file, page: ["xreader", f"--page-label={page}", file],
    "org.kde.okular": lambda file, page: ["okular", "--page", str(page), file],
    "okular": lambda file, page: ["okular", "--page", str(page), file],
    "org.pwmt.zathura": lambda file, page: ["zathura", f"--page={page}", file],
    "zathura": lambda file, page: ["zathura", f"--page={page}", file],
    "org.gnome.Papers": lambda file, page: ["papers", f"--page-label={page}", file],
    "mupdf": lambda file, page: ["mupdf", file, str(page)],
}


def default_viewer() -> str | None:
    """The desktop file name (without `.desktop`) of the default PDF viewer, where one is set."""
    if not sys.platform.startswith("linux") or shutil.which("xdg-mime") is None:
        return None
    try:
        answer = subprocess.run(["xdg-mime", "query", "default", "application/pdf"], capture_output=True,
                                text=True, timeout=2, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return answer.removesuffix(".desktop") or None


def page_command(pdf: Path, page: int, viewer: str | None) -> list[str] | None:
    """The command that opens `pdf` at `page` in `viewer`, if it is one we know and it is installed."""
    make = VIEWERS.get(viewer or "")
    if make is None:
        return None
    command = make(str(pdf), page)
    return command if shutil.which(command[0]) else None


def open_at_page(pdf: Path, page: int) -> bool:
    """Start the default viewer on `pdf` at `page`; False when that cannot be done (open it plainly)."""
    command = page_command(pdf, page, default_viewer())
    if command is None:
        return False
    try:
        subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,  # noqa: S603
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        return False
    return True


def open_original(original: Path, page: int | None) -> str:
    """Open a document's original file (at `page` when it is a PDF and the viewer can be told);
    returns what to tell the user."""
    if page and original.suffix.lower() == ".pdf" and open_at_page(original.resolve(), page):
        return f"Opened {original.name} at page {page}"
    # Imported here: the rest of this module is plain Python, testable without a display.
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(original.resolve()))):
        return f"No program to open {original.name} with"
    where = f" — the passage you are reading is on page {page}" if page else ""
    return f"Opened {original.name} in the system viewer{where}"
