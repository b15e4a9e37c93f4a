"""Agencies and initiatives scored against the gold list, strictly: one entry per real body, under
a whole name, nothing generic.

The gold (tests/data/entities_gold.json) covers the corpus documents, scored by their kind, and
page-style texts written for each class of error (event pages, press releases, agendas). An entry
found must share a name, an alias, an edition or its acronym with a gold entry; two entries for one
gold entry are a duplicate; an entry named by a shortening of a gold name is a truncated name.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from migarchive.core import documents, entities, gazetteer
from migarchive.core.archive import Archive
from migarchive.core.entities import Entity
from migarchive.core.gazetteer import normalise_acronym, normalise_name
from migarchive.core.mentions import find_candidates
from migarchive.core.model import DocPath, SourceText

GOLD = json.loads((Path(__file__).resolve().parents[1] / "data" / "entities_gold.json").read_text("utf-8"))
MINIMUM = 0.98


def _names(item: dict | Entity) -> set[str]:
    if isinstance(item, Entity):
        return {normalise_name(n) for n in (item.name, *item.aliases, *item.editions)}
    return {normalise_name(n) for n in (item["name"], *item.get("aliases", []))}


def _acronym(item: dict | Entity) -> str | None:
    value = item.acronym if isinstance(item, Entity) else item.get("acronym")
    return normalise_acronym(value) if value else None


def matches(gold: dict, entity: Entity) -> bool:
    if _acronym(gold) and _acronym(gold) == _acronym(entity):
        return True
    return bool(_names(gold) & _names(entity))


class Tally:
    def __init__(self) -> None:
        self.correct = self.predicted = self.found = self.wanted = 0
        self.problems: list[str] = []

    def score(self, label: str, gold_list: list[dict], found: list[Entity]) -> None:
        required = [g for g in gold_list if not g.get("borderline") and not g.get("system")]
        allowed = [g for g in gold_list if g.get("borderline")]
        for gold in (g for g in gold_list if g.get("system")):
            system = [e for e in found if matches(gold, e)]
            if system and not all(e.system for e in system):
                self.problems.append(f"{label}: {gold['name']} not shown as the system")
        bodies = [e for e in found if not e.system]
        self.wanted += len(required)
        for gold in required:
            hits = [e for e in bodies if matches(gold, e)]
            self.found += bool(hits)
            if not hits:
                self.problems.append(f"{label}: missed {gold['name']}")
            if len(hits) > 1:
                self.problems.append(f"{label}: {gold['name']} is {len(hits)} entries: {[e.name for e in hits]}")
        gold_names = {n for g in gold_list for n in _names(g)}
        for entity in bodies:
            name = normalise_name(entity.name)
            if name not in gold_names and any(g.startswith(name + " ") for g in gold_names):
                self.problems.append(f"{label}: truncated name {entity.name!r}")
            if any(matches(g, entity) for g in required):
                self.correct += 1
                self.predicted += 1
            elif not any(matches(g, entity) for g in allowed):
                self.predicted += 1
                self.problems.append(f"{label}: spurious {entity.name!r}")

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.wanted if self.wanted else 1.0


def read_alone(text: str) -> list[Entity]:
    """A text's entities as an archive holding only that text would list them."""
    known = gazetteer.load(None)
    document = documents.build(SourceText(DocPath("page.md"), text, "utf-8", "0", len(text), 0))
    return entities.resolve([documents.info(document)], known, {document.path: find_candidates(document, known)})


def test_precision_and_recall_per_kind_of_document(archive: Archive,
                                                   entity_scores: dict[str, tuple[float, float, int]]) -> None:
    tallies: dict[str, Tally] = defaultdict(Tally)
    counts: dict[str, int] = defaultdict(int)
    everything = archive.entities()
    for path, gold_list in GOLD["documents"].items():
        kind = archive.info(path).metadata.kind
        found = [e for e in everything if any(m.path == path for m in e.mentions)]
        tallies[kind].score(path[:3], gold_list, found)
        counts[kind] += 1
    for key, page in GOLD["texts"].items():
        tallies[page["kind"]].score(key, page["entities"], read_alone(page["text"]))
        counts[page["kind"]] += 1
    problems = [p for t in tallies.values() for p in t.problems]
    for kind, tally in tallies.items():
        entity_scores[kind] = (tally.precision, tally.recall, counts[kind])
    print("\n" + "\n".join(f"{k}: precision {t.precision:.3f}, recall {t.recall:.3f}" for k, t in tallies.items()))
    print("\n".join(problems))
    assert not [p for p in problems if "truncated" in p or " entries: " in p or "system" in p], problems
    for kind, tally in tallies.items():
        assert tally.precision >= MINIMUM, (kind, problems)
        assert tally.recall >= MINIMUM, (kind, problems)


@pytest.mark.parametrize(("text", "names"), [
    ("The Regional Conference on Arab Migration in a Globalized World met in Cairo.",
     ["Regional Conference on Arab Migration in a Globalized World"]),
    # The co-owners are mentioned too, each under its own entry.
    ("They attended the AU/IMP Dialogue in Addis Ababa.",
     ["African Union", "AU/IMP Dialogue", "International Migration Policy Programme"]),
    ("It followed the UNITAR/World Bank Briefing on Remittances held in June.",
     ["UNITAR/World Bank Briefing on Remittances", "United Nations Institute for Training and Research",
      "World Bank"]),
    ("The Metropolis Conference in Vienna and the Commission for Social Development met.",
     ["Commission for Social Development", "Metropolis Project"]),
])
def test_a_name_ends_where_its_grammar_does(text: str, names: list[str]) -> None:
    assert sorted(e.name for e in read_alone(text)) == sorted(names)


def test_a_lower_case_edition_belongs_to_its_series() -> None:
    (forum,) = read_alone("Mayors met at the fourth global mayoral forum, then at the Global Mayoral Forum.")
    assert forum.name == "Global Mayoral Forum on Human Mobility, Migration and Development"
    assert forum.editions == ("fourth global mayoral forum",)
    assert len(forum.mentions) == 2


def test_editions_are_listed_in_order_under_one_series() -> None:
    (series,) = read_alone("The Ninth International Forum for Social Development followed the Third "
                           "International Forum for Social Development and the Fifth International Forum "
                           "for Social Development.")
    assert series.name == "International Forum for Social Development"
    assert [e.split()[0] for e in series.editions] == ["Third", "Fifth", "Ninth"]


def test_generic_names_and_bare_body_words_are_not_entities() -> None:
    text = ("A Ministerial Conference was held, a Steering Committee formed and the Secretariat informed. "
            "The Regional Consultative Process (RCP) met under the Provisional Agenda.")
    assert read_alone(text) == []


def test_a_header_line_in_capitals_is_read_like_ordinary_text() -> None:
    found = read_alone("CARIBBEAN MIGRATION OBSERVATORY FOR THE STUDY OF RETURN\n\nUNITED NATIONS POPULATION FUND\n\n"
                       "The meeting reviewed the data of the last census and of the surveys.\n")
    assert {e.name.lower() for e in found} == {"caribbean migration observatory for the study of return",
                                               "united nations population fund"}


def test_the_united_nations_is_the_system_listed_after_the_bodies() -> None:
    found = read_alone("The United Nations, the United Nations and the United Nations asked IOM.")
    assert [(e.name, e.system) for e in found] == [("International Organization for Migration", False),
                                                   ("United Nations", True)]
