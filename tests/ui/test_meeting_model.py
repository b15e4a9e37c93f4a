"""The meeting tree's model on its own: at 200 documents the rows still tell the documents apart."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex

from migarchive.core.meetings import Meeting
from migarchive.core.model import DocumentInfo, Kind, MeetingRef, Metadata, Section
from migarchive.ui.meeting_model import MeetingTreeModel
from migarchive.ui.roles import PathRole

pytestmark = pytest.mark.gui

TITLE = "First Coordination Meeting on International Migration"


def _info(n: int) -> DocumentInfo:
    kind, organization, title = [(Kind.OTHER, None, TITLE), (Kind.PAPER, "International Organization for "
                                 "Migration (IOM)", f"Contribution of IOM to the {TITLE}"),
                                 (Kind.PAPER, "UNHCR", f"REFUGEE DATA, PART {n}")][n % 3]
    sections = (Section("s", f"Session {n}", 2, 0, 10, None),)
    return DocumentInfo(f"meeting1/doc_{n:03}.txt", "", 0, 0, Metadata(title, kind, MeetingRef(1), organization,
                        f"UN/POP/MIG/2002/{n}" if n % 3 == 1 else None), sections, 1, 0, (), ())


def test_two_hundred_documents_of_one_meeting_have_distinct_labels(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    documents = tuple(_info(n) for n in range(200))
    meeting = Meeting(1, TITLE, date(2002, 7, 11), date(2002, 7, 12), None, False, documents, "New York")
    model = MeetingTreeModel()
    model.set_meetings([meeting], [])
    qtmodeltester.check(model)
    top = model.index(0, 0)
    assert model.rowCount(QModelIndex()) == 1 and model.rowCount(top) == 200
    labels = [model.index(row, 0, top).data() for row in range(200)]
    assert len(set(labels)) == 200
    assert not any("Coordination Meeting" in label for label in labels)
    assert labels[:3] == ["doc_000 · Session 0", "Paper · Contribution of IOM · UN/POP/MIG/2002/1",
                          "Paper · UNHCR · Refugee Data, Part 2"]
    # The full title stays in the tooltip, the path in its role.
    assert TITLE in model.index(0, 0, top).data(0x03)  # ToolTipRole
    assert model.index(0, 0, top).data(PathRole) == "meeting1/doc_000.txt"
