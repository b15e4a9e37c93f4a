"""Archive.compare: one query across the meetings, in the order they were held, each meeting's best
passages exactly those its own `meeting:N` search ranks first."""

from __future__ import annotations

import pytest

from migarchive.core import comparison
from migarchive.core.archive import Archive
from migarchive.core.comparison import within_meeting
from migarchive.errors import MigarchiveError

HELD = [2, 4, 5, 15]  # the bundled corpus's meetings with documents of their own (the 1st is only cited)


def _ids(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{h.path}#{h.passage_id}" for h in hits]


@pytest.mark.parametrize("depth", [comparison.DEPTH, 0])  # 0: every meeting searched alone
def test_each_meeting_gets_its_own_best_passages_in_order(archive: Archive, monkeypatch: pytest.MonkeyPatch,
                                                         depth: int) -> None:
    monkeypatch.setattr(comparison, "DEPTH", depth)
    compared = archive.compare("remittances", per_meeting=2)
    assert [group.meeting.number for group in compared.meetings] == HELD
    for group in compared.meetings:
        alone = archive.search(f"remittances meeting:{group.meeting.number}", limit=2)
        assert _ids(group.hits) == _ids(alone.hits)
        assert group.total == alone.total and group.documents == alone.documents
        own = {info.path for info in group.meeting.documents}
        assert {hit.path for hit in group.hits} <= own
    assert compared.total == archive.search("remittances").total  # every passage is in a meeting here
    assert compared.terms == ("remittances",)
    assert [g.total for g in compared.meetings if not g.hits] == [0, 0]  # the 5th and 15th do not discuss it


def test_an_operator_query_is_limited_to_the_meeting_as_a_whole(archive: Archive) -> None:
    assert within_meeting("IOM OR UNHCR", 5) == "(IOM OR UNHCR) meeting:5"
    assert within_meeting("labour migration", 5) == "labour migration meeting:5"
    compared = archive.compare("IOM OR UNHCR")
    for group in compared.meetings:
        assert group.hits, group.meeting.number
        assert all(hit.meeting == group.meeting.number for hit in group.hits)
        assert len(group.hits) <= 3


def test_a_misspelled_query_is_corrected_once_for_every_meeting(archive: Archive) -> None:
    compared = archive.compare("remitances")
    assert compared.query == "remitances" and compared.corrected == "remittances"
    assert _ids(h for g in compared.meetings for h in g.hits) == \
        _ids(h for g in archive.compare("remittances").meetings for h in g.hits)


def test_notes_are_not_compared_and_a_bad_query_says_so(archive: Archive) -> None:
    compared = archive.compare("remittances in:notes")
    assert all(hit.note_id is None for group in compared.meetings for hit in group.hits)
    assert compared.total > 0
    with pytest.raises(MigarchiveError):
        archive.compare('"unclosed phrase')
