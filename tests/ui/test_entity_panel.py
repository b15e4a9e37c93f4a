"""The agencies panel on its own: counts that follow the filter, aliases listed, mention rows made lazily."""

from __future__ import annotations

import html

import pytest
from pytestqt.modeltest import ModelTester

from migarchive.core.archive import Archive
from migarchive.core.entities import Mention
from migarchive.ui.entity_panel import EntityPanel
from migarchive.ui.meeting_model import short_ordinal
from migarchive.ui.roles import HtmlRole

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


def test_mention_rows_are_made_when_first_asked_for_and_kept(panel: EntityPanel, archive: Archive,
                                                             qtmodeltester: ModelTester) -> None:
    entity = max(archive.entities(), key=lambda e: len(e.mentions))
    assert len(entity.mentions) > 3
    assert panel.select_entity(entity.id)
    model = panel.mentions_model
    assert model.rowCount() == len(entity.mentions)
    assert model.built() == 0  # selecting looked nothing up

    row = model.index(2, 0)
    mention = model.mention(2)
    text = row.data(HtmlRole)
    assert model.built() == 1
    assert f"<b>{html.escape(mention.surface)}</b>" in text  # the mention, bold in its context
    meeting = archive.meeting_of(mention.path)
    assert meeting is None or f"{short_ordinal(meeting.number)} meeting" in text
    assert row.data(HtmlRole) == text and model.built() == 1

    made: list[Mention] = []

    def describe(mention: Mention) -> str:
        made.append(mention)
        return html.escape(mention.surface)

    model.set_mentions(list(entity.mentions), describe)
    qtmodeltester.check(model)
    for _twice in range(2):
        for number in range(model.rowCount()):
            model.index(number, 0).data(HtmlRole)
    assert sorted(made, key=id) == sorted(entity.mentions, key=id)  # each made once, however often asked
    assert model.built() == len(entity.mentions)
