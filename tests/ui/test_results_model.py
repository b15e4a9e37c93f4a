"""The results list's model on its own: snippets read as the reader shows the text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from migarchive.core.results import Hit
from migarchive.ui.results_model import ResultsModel
from migarchive.ui.roles import HtmlRole

pytestmark = pytest.mark.gui


def test_snippets_show_rendered_text_with_the_matches_bold(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    snippet = "the New York Declaration for Refugees and Migrants ([**A/RES/71/1**](#)) and the *Agenda*"
    model = ResultsModel()
    model.set_hits([Hit("002.txt", "Report", 15, "Preface", "preface", "p1", 1.0, snippet)])
    qtmodeltester.check(model)
    index = model.index(0, 0)
    assert "Migrants (<b>A/RES/71/1</b>) and the Agenda" in index.data(HtmlRole)
    assert index.data(Qt.ItemDataRole.DisplayRole).endswith("Migrants (A/RES/71/1) and the Agenda")
    assert "](#)" not in index.data(HtmlRole) and "*" not in index.data(HtmlRole)
