"""Full-text search through the Archive facade: phrases, symbols, filters, acronyms, spelling, ranking, errors."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from migarchive.core.archive import Archive
from migarchive.core.fuzzy import edit_distance
from migarchive.core.search import Hit, normalise_query
from migarchive.errors import IndexProblem, QuerySyntaxError
from migarchive.paths import AppPaths

S000, S001, S002, S003, S004 = (
    "000_b26e33a0a508e853.txt", "001_2af6c4c605665e75.txt", "002_85393ee9b1ec9064.txt",
    "003_701c0046ca42ff1f.txt", "004_92a7188ace85ec6e.txt",
)


def _paths(hits: tuple[Hit, ...]) -> set[str]:
    return {h.path for h in hits}


def test_phrase_search(archive: Archive) -> None:
    results = archive.search('"New York Declaration"', limit=50)
    assert results.total > 0
    assert results.corrected is None
    assert _paths(results.hits) == {S002}
    assert any("**New York Declaration**" in h.snippet for h in results.hits)
    # the phrase, not the loose words: "New York" alone appears in every document
    assert archive.search("New York", limit=50).documents == 5


def test_phrase_word_order_matters(archive: Archive) -> None:
    assert archive.search('"Declaration New York"').total == 0


@pytest.mark.parametrize(("symbol", "path"), [("A/RES/71/1", S002), ("E/CN.4/2003/74", S004),
                                              ("UN/POP/MIG-5CM/2006/11", S003)])
def test_document_symbols_are_found_verbatim(archive: Archive, symbol: str, path: str) -> None:
    results = archive.search(symbol)
    assert results.total == 1
    (hit,) = results.hits
    assert hit.path == path
    assert f"**{symbol}**" in hit.snippet


def test_a_symbol_does_not_match_its_neighbour(archive: Archive) -> None:
    hits = archive.search("A/RES/70/1").hits
    assert [h.path for h in hits] == [S002]
    assert "**A/RES/70/1**" in hits[0].snippet and "**A/RES/71/1**" not in hits[0].snippet


@pytest.mark.parametrize(
    ("query", "paths"),
    [
        ("meeting:5", {S003}),
        ("meeting:fifth", {S003}),
        ("meeting:2", {S000, S001}),
        ("year:2006", {S003}),
        ("year:2003", {S000, S001}),
        ("org:UNITAR", {S003, S004}),
        ("organization:UNITAR", {S003, S004}),
        ("kind:report", {S001, S002}),
        ('kind:"executive summary"', {S000}),
        ('kind:"contributed paper"', {S003, S004}),
    ],
)
def test_field_filters(archive: Archive, query: str, paths: set[str]) -> None:
    results = archive.search(query, limit=500)
    assert results.total > 0
    assert _paths(results.hits) == paths
    assert results.documents == len(paths)


def test_filters_combine_with_words(archive: Archive) -> None:
    results = archive.search("remittances meeting:2", limit=50)
    assert _paths(results.hits) == {S000, S001}
    assert all(h.meeting == 2 for h in results.hits)
    assert archive.search("remittances year:2017").total == 0
    assert _paths(archive.search("remittances OR trafficking kind:report", limit=100).hits) <= {S001, S002}


def test_boolean_operators(archive: Archive) -> None:
    both = archive.search("remittances trafficking", limit=100)
    either = archive.search("remittances OR trafficking", limit=100)
    without = archive.search("remittances NOT trafficking", limit=100)
    assert 0 < both.total < either.total
    assert without.total < archive.search("remittances", limit=100).total


def test_acronym_matches_its_long_form(tmp_path: Path, data_dir: Path) -> None:
    corpus = tmp_path / "acronyms"
    corpus.mkdir()
    (corpus / "defines.txt").write_text(
        "Officials of the International Organization for Migration (IOM) met the delegates of several "
        "countries to talk about labour mobility and the protection of workers abroad.\n", encoding="utf-8")
    (corpus / "long-only.txt").write_text(
        "In March the International Organization for Migration opened a regional office in Dakar to support "
        "returning workers and their families.\n", encoding="utf-8")
    (corpus / "unrelated.txt").write_text("The organization of the migration seminar was left to the hosts.\n",
                                          encoding="utf-8")
    archive = Archive.open(AppPaths(corpus=corpus.resolve(), data_dir=data_dir))
    try:
        hits = archive.search("IOM").hits
        assert _paths(hits) == {"defines.txt", "long-only.txt"}
        long_only = next(h for h in hits if h.path == "long-only.txt")
        assert "**International Organization for Migration**" in long_only.snippet
        # and the other way round: the long form finds the acronym's passages
        assert _paths(archive.search('"International Organization for Migration"').hits) == \
            {"defines.txt", "long-only.txt"}
    finally:
        archive.close()


def test_acronym_defined_in_an_abbreviation_table(archive: Archive) -> None:
    # 002 defines UNSD only in its tab-separated abbreviation table; 001 says "Statistics Division" in full.
    hits = archive.search("UNSD", limit=50).hits
    assert S002 in _paths(hits)
    assert any("**United Nations Statistics Division**" in h.snippet for h in hits if h.path == S001)


def test_spelling_correction(archive: Archive) -> None:
    results = archive.search("remitances")
    assert results.corrected == "remittances"
    assert results.total > 0
    assert results.query == "remitances"
    assert all("**remittances**" in h.snippet.lower() for h in results.hits)


def test_no_correction_when_the_word_exists(archive: Archive) -> None:
    results = archive.search("remittances")
    assert results.corrected is None
    assert results.total == 8


def test_spelling_correction_keeps_fields_and_operators(archive: Archive) -> None:
    results = archive.search("trafficing AND remitances")
    assert results.corrected == "trafficking AND remittances"
    assert results.total > 0


def test_nothing_found_and_nothing_to_correct(archive: Archive) -> None:
    results = archive.search("zzzxqv")
    assert (results.total, results.documents, results.hits, results.corrected) == (0, 0, (), None)


def test_result_fields(archive: Archive) -> None:
    results = archive.search("remittances", limit=3)
    assert len(results.hits) == 3
    top = results.hits[0]
    assert top.path == S001
    assert top.title == "Report of the Second Coordination Meeting on International Migration"
    assert top.meeting == 2
    assert top.section == "1. Workers' Remittances"
    assert top.section_id == "1-workers-remittances"
    assert re.fullmatch(r"p[0-9a-f]{10}(-\d+)?", top.passage_id)
    assert isinstance(top.score, float) and top.score > 0
    assert "**remittances**" in top.snippet
    assert "\n" not in top.snippet
    scores = [h.score for h in results.hits]
    assert scores == sorted(scores, reverse=True)


def test_passage_ids_in_results_are_those_of_the_document(archive: Archive) -> None:
    for hit in archive.search("trafficking", limit=20).hits:
        doc = archive.document(hit.path)
        passage = next(p for p in doc.passages if p.id == hit.passage_id)
        assert passage.section_id == hit.section_id
        assert "traffick" in passage.text.lower()


def test_text_before_the_first_heading_has_no_section(archive: Archive) -> None:
    (hit,) = archive.search('"21 November 2006" meeting:5').hits[:1]
    assert hit.path == S003
    assert hit.section is None and hit.section_id is None


def test_limit(archive: Archive) -> None:
    assert len(archive.search("migration", limit=1).hits) == 1
    assert len(archive.search("migration", limit=7).hits) == 7
    many = archive.search("migration", limit=1000)
    assert len(many.hits) == many.total == 126  # 125 paragraphs and one heading with no text under it


def test_one_long_document_does_not_take_every_top_slot(archive: Archive) -> None:
    results = archive.search("migration", limit=10)
    assert results.documents == 5
    per_document = Counter(h.path for h in results.hits)
    assert len(per_document) >= 3, per_document
    assert max(per_document.values()) <= 5, per_document


def test_queries_are_case_insensitive_and_stemmed(archive: Archive) -> None:
    lower = {h.passage_id for h in archive.search("remittances", limit=50).hits}
    assert {h.passage_id for h in archive.search("REMITTANCES", limit=50).hits} == lower
    assert {h.passage_id for h in archive.search("remittance", limit=50).hits} == lower


def test_ordinal_meeting_value_is_normalised() -> None:
    assert normalise_query("meeting:second") == "meeting:2"
    assert normalise_query("  meeting:15th remittances ") == "meeting:15 remittances"
    assert normalise_query("migration") == "migration"


@pytest.mark.parametrize(
    "query",
    ['"New York Declaration', 'migration "', "foo:bar", "colour:red remittances", "(migration", "migration)",
     ")(", "", "   "],
)
def test_bad_syntax_raises_query_syntax_error(archive: Archive, query: str) -> None:
    with pytest.raises(QuerySyntaxError):
        archive.search(query)


def test_field_names_inside_a_phrase_are_not_fields(archive: Archive) -> None:
    results = archive.search('"foo:bar"')
    assert results.total == 0


def test_search_on_a_closed_archive_is_an_index_problem(indexed_paths: AppPaths) -> None:
    archive = Archive.open(indexed_paths)
    archive.close()
    with pytest.raises(IndexProblem):
        archive.search("migration")


def test_edit_distance() -> None:
    assert edit_distance("remitances", "remittances") == 1
    assert edit_distance("migartion", "migration") == 1  # a transposition is one edit
    assert edit_distance("", "abc") == 3
    assert edit_distance("same", "same") == 0
