"""Search as people type it: most of the words, other words for the same thing, both directions of
an acronym, spelling, headings without text, filters by year, and what the results line says.
Each class on a small archive written for it; the bundled archive for the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migarchive.core.archive import Archive
from migarchive.errors import UserError
from migarchive.paths import AppPaths

DOCUMENTS = {
    "smuggling.txt": "NOTE ON MIGRANT SMUGGLING\n\nThe smuggling of migrants by sea has grown along the "
                     "central Mediterranean route, and criminal networks charge ever higher fees.\n",
    "schemes.txt": "TEMPORARY SCHEMES\n\nTemporary labour migration schemes bring seasonal workers to farms for a "
                   "few months each year under bilateral agreements.\n",
    "unicef.txt": "CHILDREN ON THE MOVE\n\nUNICEF works with governments to protect children left behind by "
                  "migrating parents.\n",
    "defines.txt": "ABBREVIATIONS\n\nThe United Nations Children's Fund (UNICEF) joined the Global Migration Group in "
                   "2006, and its country offices report on child migration.\n",
    "morocco.txt": "LABOUR MARKETS\n\nMoroccan workers in Spain and Italy send home a large share of their "
                   "earnings through formal channels.\n",
    "agenda.md": "# Provisional agenda\n\n## 10.00 – 11.30 Opening of the meeting\n\n"
                 "## 11.30 – 13.00 Migration statistics and the census round\n\n## 15.00 – 16.30 Closing\n",
    "census.txt": "CENSUS ROUND\n\nThe statistics division reviewed how countries asked about the country of "
                  "birth in the census of population and housing.\n",
    "plain.txt": "ANOTHER PAPER\n\nA paper on the governance of international migration and development in "
                 "the countries of origin, with many statistics.\n",
    "untitled.md": "The participants reviewed the programme of work and agreed to meet again in the spring of "
                   "the following year, once the reports of the regional meetings were available to all.\n\n"
                   "# Item one\n\nThe first item concerned remittances.\n",
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    root = tmp_path_factory.mktemp("forgiving")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in DOCUMENTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    archive = Archive.open(AppPaths(corpus=corpus.resolve(), data_dir=root / "data"))
    yield archive
    archive.close()


def _paths(results) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.path for hit in results.hits]


def test_a_question_finds_the_passage_with_most_of_its_words(written: Archive) -> None:
    results = written.search("where do Moroccan workers send their earnings being abroad")
    assert _paths(results)[0] == "morocco.txt"
    assert results.loosened and "showing the closest" in " ".join(results.describe())


def test_other_words_for_the_same_thing_are_searched_and_said(written: Archive) -> None:
    results = written.search("people smuggling")
    assert _paths(results)[0] == "smuggling.txt"
    assert "smuggling of migrants" in results.also_searched
    assert _paths(written.search("guest workers"))[0] == "schemes.txt"


def test_spellings_and_demonyms_match_each_other(written: Archive) -> None:
    assert "schemes.txt" in _paths(written.search("labor migration"))
    assert _paths(written.search("Morocco"))[0] == "morocco.txt"


def test_an_acronym_and_its_long_form_find_each_other_with_possessives(written: Archive) -> None:
    long_form = set(_paths(written.search("United Nations Children's Fund")))
    assert {"unicef.txt", "defines.txt"} <= long_form  # unicef.txt never spells the name out
    assert {"unicef.txt", "defines.txt"} <= set(_paths(written.search("UNICEF's")))


def test_all_the_words_first_then_the_closest(written: Archive) -> None:
    results = written.search("statistics census countries")
    assert results.complete is not None and 0 < results.complete <= results.total
    first = results.hits[0]
    assert first.path == "census.txt"
    assert not results.loosened


def test_a_heading_with_no_text_under_it_is_found(written: Archive) -> None:
    results = written.search("census round statistics agenda")
    hit = next(h for h in results.hits if h.path == "agenda.md")
    assert "census" in hit.snippet.lower()


def test_a_missing_word_is_corrected_and_a_rare_one_gets_a_suggestion(written: Archive) -> None:
    corrected = written.search("smugling")
    assert corrected.corrected == "smuggling" and _paths(corrected)[0] == "smuggling.txt"
    assert written.search("statistics").suggestion is None


def test_operators_stay_exact(written: Archive) -> None:
    assert written.search("people AND smuggling").total == 0  # no passage has "people"
    assert written.search('"smuggling of migrants"').total == 1


def test_year_finds_documents_dated_only_by_their_meeting(archive: Archive) -> None:
    dated = {info.path for info in archive.documents() if info.metadata.meeting
             and info.metadata.meeting.start_date and info.metadata.meeting.start_date.year == 2006}
    found = {hit.path for hit in archive.search("year:2006", limit=500).hits}
    assert dated and dated <= found


def test_a_document_with_no_title_is_not_named_by_its_first_heading(written: Archive) -> None:
    assert written.info("agenda.md").metadata.title == "Provisional agenda"  # its own title
    # No title page: named from its file, not by "Item one", which every passage would then match.
    assert written.info("untitled.md").metadata.title == "untitled"


QUERY_TEXT = st.text(alphabet=st.sampled_from(list("abc migration UNHCR \"():*-/?'~^AND OR NOT meeting:5 year")),
                     max_size=60)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(QUERY_TEXT)
def test_any_query_gives_results_or_a_clear_error(written: Archive, query: str) -> None:
    try:
        results = written.search(query)
    except UserError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert results.total >= len(results.hits)
    assert all(hit.snippet is not None for hit in results.hits)


@pytest.mark.parametrize("plain, exact", [
    ("migration NOT security", "(migration) NOT security"),
    ("migr*", "(migr*)"),
    ("remittances NOT meeting:2", "(remittances) NOT meeting:2"),
])
def test_prefixes_and_exclusions_mean_what_whoosh_means(archive: Archive, plain: str, exact: str) -> None:
    """Read by the forgiving path (fast, as arrays), yet the same passages as Whoosh's parser finds."""
    ours, whoosh = archive.search(plain, limit=500), archive.search(exact, limit=500)
    assert ours.total == whoosh.total > 0
    assert {(h.path, h.passage_id) for h in ours.hits} == {(h.path, h.passage_id) for h in whoosh.hits}


def test_a_question_mark_is_punctuation(archive: Archive) -> None:
    assert archive.search("remittances?").total == archive.search("remittances").total


def test_the_speller_knows_every_word_of_the_index(archive: Archive) -> None:
    # Its words come from the stored "spelling" records: the same as the field's terms.
    engine = archive._state.searching.get()[1]  # type: ignore[union-attr]
    stored = engine._spelling_words()
    lexicon = [t.decode("utf-8") for t in engine._searcher.reader().lexicon("spell")]
    assert sorted(set(stored)) == lexicon and len(lexicon) > 1000


def test_a_correction_keeps_the_agency_asked_for_and_is_said_only_of_results(archive: Archive) -> None:
    corrected = archive.search("entity:UNHCR refugess")
    assert corrected.corrected == "entity:UNHCR refugees" and corrected.total > 0
    assert corrected.total == archive.search("entity:UNHCR refugees").total
    nothing = archive.search("entity:IOM remitances")  # no IOM passage speaks of remittances
    assert nothing.total == 0 and nothing.corrected is None
