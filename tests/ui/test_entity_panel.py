"""The agencies panel on its own: counts that follow the filter, aliases listed."""

from __future__ import annotations

import html

import pytest

from migarchive.core.archive import Archive
from migarchive.ui.entity_panel import EntityPanel

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(qtbot, archive: Archive) -> EntityPanel:  # type: ignore[no-untyped-def]
    widget = EntityPanel()
    qtbot.addWidget(widget)
    widget.bind(archive)
    widget.show()
    return widget


def test_group_counts_follow_the_filter(panel: EntityPanel, archive: Archive, qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    agencies = sum(1 for e in archive.entities() if e.kind == "agency" and not e.system)
    initiatives = sum(1 for e in archive.entities() if e.kind == "initiative" and not e.system)
    labels = panel.group_labels()
    assert labels[:2] == [f"Agencies {agencies}", f"Initiatives {initiatives}"]
    panel.filter.setFocus()
    qtbot.keyClicks(panel.filter, "UNHCR")
    assert panel.group_labels() == [f"Agencies 1 of {agencies}"]  # the groups without a match are left out
    assert panel.tree.isFirstColumnSpanned(0, panel.tree.rootIndex())
    qtmodeltester.check(panel.proxy)
    panel.filter.clear()
    assert panel.group_labels()[0] == f"Agencies {agencies}"


def test_a_selected_entity_lists_its_aliases(panel: EntityPanel, archive: Archive) -> None:
    entity = next(e for e in archive.entities() if [a for a in e.aliases if a not in (e.name, e.acronym)])
    assert panel.select_entity(entity.id)
    alias = next(a for a in entity.aliases if a not in (entity.name, entity.acronym))
    assert "Also called:" in panel.heading.text()
    assert html.escape(alias) in panel.heading.text()
