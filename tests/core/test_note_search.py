"""The `in:notes` filter, note hits and the words a query highlights (core/note_search.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from migarchive.core.archive import Archive
from migarchive.core.note_search import query_terms, split_notes_filter

DOC = "001_2af6c4c605665e75.txt"


def test_the_notes_filter_is_found_anywhere_and_taken_out() -> None:
    assert split_notes_filter("hub in:notes") == ("hub", True)
    assert split_notes_filter("in:notes  data hub") == ("data hub", True)
    assert split_notes_filter("within:notes hub") == ("within:notes hub", False)
    assert split_notes_filter("hub") == ("hub", False)


@given(st.text(max_size=200))
def test_splitting_never_fails_and_leaves_no_filter(query: str) -> None:
    text, notes_only = split_notes_filter(query)
    assert split_notes_filter(text) == (text, False)
    assert notes_only == ("in:notes" in query.split())


def test_highlighted_words_leave_out_syntax_and_small_words() -> None:
    assert query_terms('remittances and development') == ("remittances", "development")
    assert query_terms('"New York Declaration" OR IOM meeting:5') == ("New", "York", "Declaration", "IOM")
    assert query_terms("WHO and the who") == ("WHO",)
    assert query_terms("A/RES/71/1") == ("A/RES/71/1",)


def test_note_hits_come_from_the_facade_for_the_window_and_the_command_line(archive: Archive) -> None:
    text = archive.document(DOC).cleaned
    at = text.index("Berne Initiative")
    archive.annotate(DOC, at, at + len("Berne Initiative"), note="check the Berne hub", tags=["rcp"])
    alone = archive.search("hub in:notes")
    assert alone.notes_only and alone.total == 0 and len(alone.notes) == 1
    (hit,) = alone.notes
    assert hit.path == DOC and hit.note_id is not None and "**hub**" in hit.snippet
    beside = archive.search("Berne", include_notes=True)
    assert beside.total > 0 and [h.note_id for h in beside.notes] == [hit.note_id]
    assert archive.search("Berne").notes == ()
