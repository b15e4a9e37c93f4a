"""Adding documents from the app: File › Add documents… or a drop, progress, the tree, the check dialog."""

from __future__ import annotations

import json
from pathlib import Path

from add_support import paper_pdf, web_page
from PySide6.QtCore import QMimeData, QModelIndex, QUrl
from PySide6.QtWidgets import QComboBox, QLineEdit

from gui_support import run_search
from migarchive.ui.add_documents import CorrectionsDialog, dropped_files
from migarchive.ui.main_window import MainWindow
from migarchive.ui.roles import PathRole

from .conftest import READY_TIMEOUT, OpenWindow


def tree_paths(win: MainWindow) -> dict[str, list[str]]:
    """meeting row label → the document paths under it."""
    model = win.tree_model
    found = {}
    for row in range(model.rowCount()):
        meeting = model.index(row, 0, QModelIndex())
        found[str(model.data(meeting))] = [str(model.data(model.index(r, 0, meeting), PathRole))
                                           for r in range(model.rowCount(meeting))]
    return found


def test_added_documents_appear_in_the_tree_and_in_search(open_window: OpenWindow, copy_corpus: Path,
                                                          tmp_path: Path, qtbot) -> None:
    win = open_window(corpus=copy_corpus)
    pdf = paper_pdf(tmp_path / "paper.pdf")
    page = web_page(tmp_path / "note.html")
    with qtbot.waitSignal(win.ready, timeout=READY_TIMEOUT):
        win.add_documents([pdf, page])
    meeting_rows = {label: paths for label, paths in tree_paths(win).items() if "imported/paper.pdf" in paths}
    assert len(meeting_rows) == 1 and next(iter(meeting_rows)).startswith("5th")  # under its meeting
    assert win.reader.place is not None and win.reader.place.path == "imported/paper.pdf"  # shown at once
    assert "Added 2 documents" in win.statusBar().currentMessage()
    assert win.original_action.isEnabled()

    win.search_field.setText("quasquicentennial")
    run_search(win)
    assert win.results_model.rowCount() == 1
    assert "p. 2" in win.results_model.data(win.results_model.index(0, 0))
    win.search.open_result(win.results_model.index(0, 0))
    assert win.reader.breadcrumb.text().endswith("p. 2")
    citation = win.citation() or ""
    # the page of the passage at the top of the view, which in this short paper is on page 1
    assert "UN/POP/MIG-5CM/2006/07, p. " in citation and citation.endswith(".")

    # the web page has no meeting: the check dialog offers to set it and its kind
    dialog = win.adding.corrections_dialog
    assert isinstance(dialog, CorrectionsDialog)
    rows = [dialog.table.cellWidget(r, 0).toolTip() for r in range(dialog.table.rowCount())]
    row = rows.index("imported/note.html")
    dialog.table.cellWidget(row, 1).setValue(7)
    dialog.table.cellWidget(row, 2).setCurrentText("contributed paper")
    organization = dialog.table.cellWidget(row, 3)
    assert isinstance(organization, QLineEdit) and isinstance(dialog.table.cellWidget(row, 2), QComboBox)
    organization.setText("UNITAR")
    with qtbot.waitSignal(win.ready, timeout=READY_TIMEOUT):
        dialog.accept()
    sidecar = copy_corpus / "imported" / "note.html.meta.json"
    assert json.loads(sidecar.read_text(encoding="utf-8")) == {"meeting": 7, "kind": "contributed paper",
                                                               "organization": "UNITAR"}
    info = win.archive.info("imported/note.html")
    assert (info.metadata.meeting.number, info.metadata.kind, info.metadata.organization) == \
        (7, "contributed paper", "UNITAR")
    assert any("imported/note.html" in paths for label, paths in tree_paths(win).items() if label.startswith("7th"))
    assert "<html>" in (copy_corpus / "imported" / "note.html").read_text(encoding="utf-8")  # source untouched


def test_a_drop_of_documents_is_accepted_and_other_files_are_not(tmp_path: Path) -> None:
    pdf = paper_pdf(tmp_path / "paper.pdf")
    other = tmp_path / "photo.jpg"
    other.write_bytes(b"\xff\xd8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf)), QUrl.fromLocalFile(str(other)), QUrl.fromLocalFile(str(tmp_path))])
    assert dropped_files(mime) == [pdf]
    only_other = QMimeData()
    only_other.setUrls([QUrl.fromLocalFile(str(other))])
    assert dropped_files(only_other) == []


def test_open_original_opens_the_pdf_at_the_passage_page(open_window: OpenWindow, copy_corpus: Path, tmp_path: Path,
                                                         qtbot, monkeypatch) -> None:
    from migarchive.ui import pdf_viewer

    win = open_window(corpus=copy_corpus)
    with qtbot.waitSignal(win.ready, timeout=READY_TIMEOUT):
        win.add_documents([paper_pdf(tmp_path / "paper.pdf")])
    opened: list[tuple[Path, int]] = []
    monkeypatch.setattr(pdf_viewer, "open_at_page", lambda pdf, page: opened.append((pdf, page)) or True)
    document = win.archive.document("imported/paper.pdf")
    second_page = next(p for p in document.passages if p.page == 2)
    assert win.open_place("imported/paper.pdf", second_page.id)
    monkeypatch.setattr(win.reader, "current_anchor", lambda: second_page.id)  # the passage in view
    win.open_original()
    assert opened == [((copy_corpus / "imported" / "paper.pdf").resolve(), 2)]
    assert win.statusBar().currentMessage() == "Opened paper.pdf at page 2"
