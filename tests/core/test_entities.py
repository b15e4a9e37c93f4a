"""Agencies and initiatives: extraction on the real seeds (precision and recall against the gold
list read by hand are in test_entities_gold.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migarchive.core import gazetteer
from migarchive.core.archive import Archive
from migarchive.core.names import classify
from migarchive.errors import UserError
from migarchive.paths import AppPaths


@pytest.mark.parametrize(
    ("query", "name", "kind"),
    [
        ("IOM", "International Organization for Migration", "agency"),
        ("UNHCR", "United Nations High Commissioner for Refugees", "agency"),
        ("ILO", "International Labour Organization", "agency"),
        ("UNITAR", "United Nations Institute for Training and Research", "agency"),
        ("Berne Initiative", "Berne Initiative", "initiative"),
        ("global compact for safe, orderly and regular migration",
         "Global Compact for Safe, Orderly and Regular Migration", "initiative"),
        ("Key Migration Issues Workshop Series", "Key Migration Issues Workshop Series", "initiative"),
        ("Columbia University", "Columbia University", "agency"),
        ("IMILA Project", "IMILA Project", "initiative"),
        ("Swiss Federal Office for Refugees", "Swiss Federal Office for Refugees", "agency"),
    ],
)
def test_entities_resolve_by_acronym_or_name(archive: Archive, query: str, name: str, kind: str) -> None:
    entity = archive.entity(query)
    assert entity is not None, query
    assert entity.name == name
    assert entity.kind == kind


def test_variants_and_typos_merge_into_one_entry(archive: Archive) -> None:
    unhcr = archive.entity("UNHCR")
    assert unhcr is not None
    assert "UNCHR" in unhcr.aliases  # the typo in 001, beside UNHCR in the same document
    assert "Office of the UNHCR" in unhcr.aliases
    ohchr = archive.entity("OHCHR")
    assert ohchr is not None and "CHCHR" in ohchr.aliases
    ilo = archive.entity("ILO")
    assert ilo is not None and "International Labour Office" in ilo.aliases
    unitar = archive.entity("UNITAR")
    assert unitar is not None and "UNITED NATIONS INSTITUTE FOR TRAINING AND RESEARCH" in unitar.aliases
    assert len([e for e in archive.entities() if e.acronym == "UNHCR"]) == 1


def test_acronym_is_read_by_its_own_documents_definition(archive: Archive) -> None:
    gcm = archive.entity("GCM")
    assert gcm is not None and gcm.name == "Global Coalition on Migration"


def test_no_noise_in_the_panel(archive: Archive) -> None:
    names = {e.name.lower() for e in archive.entities()}
    for junk in ("report of the meeting", "contents", "new york", "geneva", "mr. doyle", "tj", "tw",
                 "foreign direct investment", "second coordination meeting on international migration",
                 "special representative of the secretary-general", "new york office"):
        assert junk not in names
    assert not any("⟦" in n or "Tj" in n.split() for n in names)
    for entity in archive.entities():
        assert entity.kind in ("agency", "initiative")
        assert entity.mentions


def test_mentions_point_at_the_text_that_names_the_entity(archive: Archive) -> None:
    entity = archive.entity("Berne Initiative")
    assert entity is not None
    for mention in entity.mentions:
        text = archive.document(mention.path).cleaned
        assert text[mention.start:mention.end].lower().endswith("berne initiative")
    docs = dict(entity.documents())
    assert docs == {"001_2af6c4c605665e75.txt": len(entity.mentions)}


def test_a_new_document_defining_an_acronym_brings_a_new_agency(copy_corpus: Path, tmp_path: Path) -> None:
    (copy_corpus / "new_paper.txt").write_text(
        "The Caribbean Migration Observatory (CMO) presented its work on regional migration data.\n\n"
        "Later in the session, CMO described a survey of return migrants and its data sharing with IOM.\n",
        encoding="utf-8",
    )
    archive = Archive.open(AppPaths(copy_corpus, tmp_path / "data"))
    entity = archive.entity("CMO")
    assert entity is not None
    assert entity.name == "Caribbean Migration Observatory"
    assert entity.kind == "agency"
    assert len(entity.mentions) == 2
    results = archive.search("entity:CMO")
    assert results.total == 2
    archive.close()


def test_entity_filter_in_search(archive: Archive) -> None:
    results = archive.search("entity:UNHCR", limit=50)
    unhcr = archive.entity("UNHCR")
    assert unhcr is not None
    assert results.total == len({(m.path, m.passage_id) for m in unhcr.mentions})
    typo = next(m for m in unhcr.mentions if m.surface == "UNCHR")
    assert any(h.passage_id == typo.passage_id for h in results.hits)
    narrowed = archive.search("entity:UNHCR statistics", limit=50)
    assert 0 < narrowed.total < results.total
    by_name = archive.search('entity:"United Nations High Commissioner for Refugees"', limit=50)
    assert by_name.total == results.total


def test_unknown_entity_is_a_clear_error(archive: Archive) -> None:
    with pytest.raises(UserError, match="no agency or initiative"):
        archive.search("entity:NOSUCHBODY")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Division for the Advancement of Women", "agency"),
        ("Global Forum on Migration and Development", "initiative"),
        ("United Nations Development Programme", "agency"),
        ("International Migration Policy Programme", "initiative"),
        ("Programme of Action of the International Conference on Population and Development", "initiative"),
        ("National Statistical Offices", None),
        ("foreign direct investment", None),
        ("Member States", None),
    ],
)
def test_kind_comes_from_the_head_word(name: str, kind: str | None) -> None:
    assert classify(name) == kind


def test_user_can_extend_the_gazetteer(tmp_path: Path) -> None:
    (tmp_path / "gazetteer.json").write_text(json.dumps({"entities": [
        {"name": "Puebla Process", "acronym": "RCM", "kind": "initiative", "aliases": ["Regional Conference on Migration"]}
    ]}), encoding="utf-8")
    loaded = gazetteer.load(tmp_path)
    assert any(e.name == "Puebla Process" for e in loaded.entries)
    assert loaded.digest != gazetteer.load(None).digest


def test_broken_gazetteer_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "gazetteer.json").write_text('{"entities": [{"name": "X"}]}', encoding="utf-8")
    with pytest.raises(UserError, match="kind"):
        gazetteer.load(tmp_path)


def test_editing_the_gazetteer_re_extracts_on_next_open(copy_corpus: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    archive = Archive.open(AppPaths(copy_corpus, data_dir))
    assert archive.entity("Expert Group Meeting on Improving Migration Data") is None
    archive.close()
    (data_dir / "gazetteer.json").write_text(json.dumps({"entities": [
        {"name": "Expert Group Meeting on Improving Migration Data", "acronym": None, "kind": "initiative",
         "aliases": []}
    ]}), encoding="utf-8")
    archive = Archive.open(AppPaths(copy_corpus, data_dir))
    entity = archive.entity("expert group meeting on improving migration data")
    assert entity is not None and entity.kind == "initiative"
    assert [m.path for m in entity.mentions] == ["002_85393ee9b1ec9064.txt"]
    archive.close()
