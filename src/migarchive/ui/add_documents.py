"""Adding documents from the app: which files a drop or a file dialog brings, and the dialog where
a person checks what extraction was unsure of (meeting, kind, organization) for the new documents."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from migarchive.core.archive import DOCUMENT_SUFFIXES
from migarchive.core.model import DocumentInfo, Kind
from migarchive.ui.plain_text import plain_label

FILE_FILTER = ("Documents (" + " ".join(f"*{s}" for s in DOCUMENT_SUFFIXES) + ");;"
               "PDF (*.pdf);;Word (*.docx);;Web pages (*.html *.htm);;Text (*.txt *.md);;All files (*)")
KINDS = (Kind.REPORT, Kind.SUMMARY, Kind.PAPER, Kind.OTHER)


def dropped_files(mime: QMimeData) -> list[Path]:
    """The local files of a drag that migarchive can read (folders and other files are left out)."""
    if not mime.hasUrls():
        return []
    files = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [f for f in files if f.is_file() and f.name.lower().endswith(DOCUMENT_SUFFIXES)]


class CorrectionsDialog(QDialog):
    """One row per new document: its title, and the meeting, kind and organization to keep.

    What is saved goes to the document's sidecar file, never into the document."""

    COLUMNS = ("Document", "Meeting", "Kind", "Organization")

    def __init__(self, documents: list[tuple[DocumentInfo, list[str]]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check the new documents")
        self._documents = documents
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(QLabel(
            "Extraction was unsure of the fields in bold. Correct what is wrong; your corrections are "
            "kept beside the document (NAME.meta.json), the document itself is not changed.")))
        self.table = QTableWidget(len(documents), len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().setVisible(False)
        for row, (info, unsure) in enumerate(documents):
            meta = info.metadata
            title = plain_label(QLabel(meta.title))
            title.setToolTip(info.path)
            self.table.setCellWidget(row, 0, title)
            meeting = QSpinBox()
            meeting.setRange(0, 60)
            meeting.setSpecialValueText("none")
            meeting.setValue(meta.meeting.number if meta.meeting else 0)
            self.table.setCellWidget(row, 1, meeting)
            kind = QComboBox()
            kind.addItems(list(KINDS))
            kind.setCurrentText(meta.kind)
            self.table.setCellWidget(row, 2, kind)
            organization = QLineEdit(meta.organization or "")
            organization.setPlaceholderText("e.g. IOM")
            self.table.setCellWidget(row, 3, organization)
            for column, field in ((1, "meeting"), (2, "kind"), (3, "organization")):
                widget = self.table.cellWidget(row, column)
                if field in unsure:
                    widget.setToolTip(f"Extraction could not tell the {field}: please check")
                    widget.setStyleSheet("font-weight: bold")
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Keep as extracted")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 140 + 34 * len(documents))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def corrections(self) -> dict[str, dict[str, object]]:
        """path → the fields that differ from what was extracted."""
        changed: dict[str, dict[str, object]] = {}
        for row, (info, _unsure) in enumerate(self._documents):
            meta = info.metadata
            meeting = self.table.cellWidget(row, 1).value()  # type: ignore[attr-defined]
            kind = self.table.cellWidget(row, 2).currentText()  # type: ignore[attr-defined]
            organization = self.table.cellWidget(row, 3).text().strip()  # type: ignore[attr-defined]
            fields: dict[str, object] = {}
            if meeting != (meta.meeting.number if meta.meeting else 0) and meeting:
                fields["meeting"] = meeting
            if kind != meta.kind:
                fields["kind"] = kind
            if organization != (meta.organization or "") and organization:
                fields["organization"] = organization
            if fields:
                changed[info.path] = fields
        return changed
