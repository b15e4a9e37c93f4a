"""Help › About: version, data directory, corpus folder, and the licences of the bundled documents
and libraries (gathered by `migarchive.about`)."""

from __future__ import annotations

import html
import platform

import markdown
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from migarchive import __version__, about
from migarchive.desktop import icon_file
from migarchive.paths import AppPaths


class AboutDialog(QDialog):
    def __init__(self, paths: AppPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About migarchive")
        self.setObjectName("about")
        icon = QLabel()
        icon.setPixmap(QIcon(str(icon_file())).pixmap(96, 96))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        # Paths are shown as text (a folder name may hold '<'), and can be selected to copy.
        imported = f"<br>Documents you add: {_esc(paths.imported)}" if paths.bundled else ""
        self.summary = QLabel(
            f"<h2>migarchive {_esc(__version__)}</h2>"
            "<p>An offline archive of the United Nations Coordination Meetings on International Migration.</p>"
            f"<p>Corpus folder: {_esc(paths.corpus)}{' (the bundled archive, read-only)' if paths.bundled else ''}"
            f"{imported}<br>Data directory: {_esc(paths.data_dir)}</p>")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.summary, 1)

        self.licences = QTextBrowser()
        self.licences.setOpenLinks(False)  # nothing in here should be followed from inside the app
        self.licences.setHtml(licences_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.licences, 1)
        layout.addWidget(buttons)
        self.resize(620, 560)


def licences_html() -> str:
    rows = "".join(f"<tr><td>{_esc(lib.name)}</td><td>{_esc(lib.version)}</td><td>{_esc(lib.licence)}</td></tr>"
                   for lib in about.libraries())
    # The notice is our own file; rendered as Markdown with any raw HTML in it shown as text.
    notice = markdown.markdown(html.escape(about.documents_notice(), quote=False))
    notice = notice.replace("<h1>", "<h3>").replace("</h1>", "</h3>")  # a section of the dialog, not its title
    return (f"{notice}<h3>migarchive</h3><p>Program code: {_esc(about.own_licence())} licence.</p>"
            "<h3>Libraries</h3><table cellpadding='3'><tr><th align='left'>library</th>"
            f"<th align='left'>version</th><th align='left'>licence</th></tr>{rows}"
            f"<tr><td>Qt</td><td>{_esc(qVersion())}</td><td>LGPL-3.0-only (within PySide6 {_esc(pyside_version)})"
            f"</td></tr><tr><td>Python</td><td>{_esc(platform.python_version())}</td><td>PSF-2.0</td></tr></table>")


def _esc(value: object) -> str:
    return html.escape(str(value))
