"""One question across the meetings (Archive.compare)."""

from __future__ import annotations

from migarchive.core.archive import Archive


def test_each_meeting_with_matches_gives_its_best_passages_in_the_order_held(archive: Archive) -> None:
    compared = archive.compare("remittances", per_meeting=2)
    numbers = [meeting.number for meeting, _results in compared]
    assert numbers == sorted(numbers) and len(numbers) >= 2
    for meeting, results in compared:
        assert 0 < len(results.hits) <= 2 and results.total >= len(results.hits)
        own = {info.path for info in meeting.documents}
        assert {hit.path for hit in results.hits} <= own  # only that meeting's documents
        alone = archive.search(f"remittances meeting:{meeting.number}", limit=2)
        assert [h.passage_id for h in results.hits] == [h.passage_id for h in alone.hits]


def test_a_question_with_operators_is_kept_whole_under_each_meeting(archive: Archive) -> None:
    for meeting, results in archive.compare("trafficking OR smuggling", per_meeting=5):
        own = {info.path for info in meeting.documents}
        assert {hit.path for hit in results.hits} <= own


def test_nothing_to_compare_for_an_empty_question(archive: Archive) -> None:
    assert archive.compare("   ") == [] and archive.compare("in:notes") == []
