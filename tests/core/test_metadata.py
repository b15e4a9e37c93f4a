"""Meeting, dates, kind, organization and symbol extraction (core.metadata, core.dates) and overrides (core.overrides)."""

from __future__ import annotations

import dataclasses

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migarchive.core import cleaning, documents, metadata, overrides, reading
from migarchive.core.archive import Archive
from migarchive.core.dates import find_dates
from migarchive.core.model import Document, Kind, MeetingRef, Metadata

BODY = ("The participants reviewed recent activities of the organizations of the United Nations system in the "
        "field of international migration and agreed to meet again next year.")


# -- the five seeds --------------------------------------------------------------------------------

EXPECTED = {
    #      meeting, start, end, kind, organization (exact or substring), symbol
    "000": (2, date(2003, 10, 15), date(2003, 10, 16), Kind.SUMMARY, "Population Division", None),
    "001": (2, date(2003, 10, 15), date(2003, 10, 16), Kind.REPORT, "Population Division", None),
    "002": (15, date(2017, 2, 16), date(2017, 2, 17), Kind.REPORT, "Population Division", None),
    "003": (5, date(2006, 11, 20), date(2006, 11, 21), Kind.PAPER, "UNITAR", "UN/POP/MIG-5CM/2006/11"),
    "004": (4, date(2005, 10, 26), date(2005, 10, 27), Kind.PAPER, "UNITAR", "UN/POP/MIG-FCM/2005/06"),
}


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_seed_metadata(seed_docs: dict[str, Document], number: str) -> None:
    meeting, start, end, kind, organization, symbol = EXPECTED[number]
    meta = seed_docs[number].metadata
    assert meta.meeting is not None
    assert (meta.meeting.number, meta.meeting.start_date, meta.meeting.end_date) == (meeting, start, end)
    assert meta.kind == kind
    assert meta.organization is not None
    if organization == "UNITAR":
        assert "UNITAR" in meta.organization
    else:
        assert meta.organization == organization
    assert meta.symbol == symbol
    assert meta.overridden == ()


def test_seed_kind_strings_are_the_user_visible_ones(seed_docs: dict[str, Document]) -> None:
    assert [seed_docs[n].metadata.kind for n in sorted(seed_docs)] == [
        "executive summary", "report", "report", "contributed paper", "contributed paper"]


def test_paper_date_is_not_taken_for_the_meeting_date(seed_docs: dict[str, Document]) -> None:
    meta = seed_docs["004"].metadata
    assert meta.doc_date == date(2005, 10, 14)  # the paper's own date, on its title page
    assert meta.meeting is not None
    assert meta.meeting.start_date != date(2005, 10, 14)
    assert meta.meeting.start_date == date(2005, 10, 26)
    assert seed_docs["003"].metadata.doc_date == date(2006, 11, 21)


def test_seed_titles(seed_docs: dict[str, Document]) -> None:
    titles = {n: d.metadata.title for n, d in seed_docs.items()}
    assert titles["000"] == "Executive Summary of the Second Coordination Meeting on International Migration"
    assert titles["001"] == "Report of the Second Coordination Meeting on International Migration"
    assert titles["002"] == "Report of the Fifteenth Coordination Meeting on International Migration"
    assert "UNITAR" in titles["003"] and "UNITAR" in titles["004"]


def test_first_meeting_is_only_mentioned(seed_docs: dict[str, Document]) -> None:
    for number in ("000", "001"):
        mentioned = seed_docs[number].metadata.mentioned_meetings
        assert mentioned == (MeetingRef(1, month="2002-07"),), number
    # a document's own meeting is not among those it mentions
    assert all(m.number != 2 for m in seed_docs["001"].metadata.mentioned_meetings)


def test_archive_meeting_list(archive: Archive) -> None:
    meetings, unassigned = archive.meetings()
    assert unassigned == []
    by_number = {m.number: m for m in meetings}
    assert sorted(by_number) == [1, 2, 4, 5, 15]
    first = by_number[1]
    assert first.referenced_only is True
    assert first.month == "2002-07"
    assert (first.start_date, first.end_date, first.documents) == (None, None, ())
    assert first.title == "First Coordination Meeting on International Migration"
    second = by_number[2]
    assert second.referenced_only is False
    assert (second.start_date, second.end_date) == (date(2003, 10, 15), date(2003, 10, 16))
    # reports first, then executive summaries
    assert [d.path for d in second.documents] == ["001_2af6c4c605665e75.txt", "000_b26e33a0a508e853.txt"]
    assert [d.path for d in by_number[15].documents] == ["002_85393ee9b1ec9064.txt"]
    assert by_number[15].title == "Fifteenth Coordination Meeting on International Migration"


# -- dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "matched"),
    [
        ("15 to 16 October 2003", date(2003, 10, 15), date(2003, 10, 16), "15 to 16 October 2003"),
        ("16-17 February 2017", date(2017, 2, 16), date(2017, 2, 17), "16-17 February 2017"),
        ("16–17 February 2017", date(2017, 2, 16), date(2017, 2, 17), "16–17 February 2017"),
        ("New York, 20-21 November 2006", date(2006, 11, 20), date(2006, 11, 21), "20-21 November 2006"),
        ("30 November to 1 December 2010", date(2010, 11, 30), date(2010, 12, 1), "30 November to 1 December 2010"),
        ("30 November - 1 December, 2010.", date(2010, 11, 30), date(2010, 12, 1), "30 November - 1 December, 2010"),
        ("on October 15-16, 2003", date(2003, 10, 15), date(2003, 10, 16), "October 15-16, 2003"),
        ("1st to 3rd June 2010", date(2010, 6, 1), date(2010, 6, 3), "1st to 3rd June 2010"),
        ("from 2 until 4 Sept. 2003", date(2003, 9, 2), date(2003, 9, 4), "2 until 4 Sept. 2003"),
        ("held 29 February to 1 March 2008", date(2008, 2, 29), date(2008, 3, 1), "29 February to 1 March 2008"),
    ],
)
def test_find_dates_ranges(text: str, start: date, end: date, matched: str) -> None:
    spans = find_dates(text)
    assert len(spans) == 1, spans
    span = spans[0]
    assert (span.kind, span.start, span.end, span.month) == ("range", start, end, None)
    assert text[span.position : span.end_position] == matched


def test_find_dates_days_months_and_order() -> None:
    text = "Held in July 2002; the paper is dated 14 October 2005, after December 31, 2001 and 5 Sept. 2006."
    spans = find_dates(text)
    assert [(s.kind, s.start, s.month) for s in spans] == [
        ("month", None, "2002-07"),
        ("day", date(2005, 10, 14), None),
        ("day", date(2001, 12, 31), None),
        ("day", date(2006, 9, 5), None),
    ]
    assert [text[s.position : s.end_position] for s in spans] == [
        "July 2002", "14 October 2005", "December 31, 2001", "5 Sept. 2006"]


def test_find_dates_range_is_not_also_reported_as_parts() -> None:
    spans = find_dates("from 7 to 8 October 2003 and from 2 to 4 September 2003")
    assert [(s.kind, s.start, s.end) for s in spans] == [
        ("range", date(2003, 10, 7), date(2003, 10, 8)),
        ("range", date(2003, 9, 2), date(2003, 9, 4)),
    ]


@pytest.mark.parametrize(
    "text",
    ["31 February 2005", "29 February 2005", "32 January 2005", "30 to 31 April 2004", "15 to 16 Octember 2003",
     "16-17 February 1850", "Mar 2003x"],
)
def test_find_dates_rejects_invalid_dates(text: str) -> None:
    assert [s for s in find_dates(text) if s.start is not None or s.end is not None] == []


def test_find_dates_rejects_backwards_ranges() -> None:
    assert not [s for s in find_dates("from 20 to 2 March 2005") if s.kind == "range"]
    assert find_dates("29 February 2004")[0].start == date(2004, 2, 29)  # a leap day is fine


def test_find_dates_range_across_years() -> None:
    spans = find_dates("30 December 2003 to 2 January 2004")
    assert [(s.kind, s.start, s.end) for s in spans] == [("range", date(2003, 12, 30), date(2004, 1, 2))]


# -- ordinals and meetings on synthetic text -------------------------------------------------------


def _no_place(ref: MeetingRef | None) -> MeetingRef | None:
    """Compare number and dates; where the meeting was held is checked on its own."""
    return dataclasses.replace(ref, place=None) if ref is not None else None


def _extract(raw: str) -> Metadata:
    return metadata.extract(cleaning.clean(raw).text, fallback_title="fallback")


@pytest.mark.parametrize(
    ("ordinal", "number"),
    [("Second", 2), ("second", 2), ("FIFTEENTH", 15), ("5th", 5), ("21st", 21), ("twenty-first", 21),
     ("Twenty First", 21), ("TWENTY-FIRST", 21), ("Twentieth", 20), ("ninth", 9)],
)
def test_ordinal_in_running_text(ordinal: str, number: int) -> None:
    meta = _extract(f"The {ordinal} Coordination Meeting on International Migration took place in New York "
                    f"from 20 to 21 November 2006. {BODY}")
    assert _no_place(meta.meeting) == MeetingRef(number, date(2006, 11, 20), date(2006, 11, 21))


@pytest.mark.parametrize(("ordinal", "number"), [("SECOND", 2), ("FIFTEENTH", 15), ("TWENTY-FIRST", 21)])
def test_ordinal_on_the_title_page(ordinal: str, number: int) -> None:
    meta = _extract(f"{ordinal} COORDINATION MEETING ON INTERNATIONAL MIGRATION\n\nNew York, 16-17 February 2017\n\n{BODY}")
    assert _no_place(meta.meeting) == MeetingRef(number, date(2017, 2, 16), date(2017, 2, 17))
    assert meta.title.lower() == f"{metadata.ordinal_name(number)} coordination meeting on international migration".lower()


def test_united_nations_coordination_meeting_wording() -> None:
    meta = _extract(f"The Third United Nations Coordination Meeting on International Migration was held from "
                    f"27 to 28 October 2004. {BODY}")
    assert _no_place(meta.meeting) == MeetingRef(3, date(2004, 10, 27), date(2004, 10, 28))


def test_title_page_meeting_beats_earlier_mentions_in_the_body() -> None:
    raw = (f"SIXTH COORDINATION MEETING ON INTERNATIONAL MIGRATION\n\nNew York, 26-27 November 2007\n\n"
           f"As agreed at the Fifth Coordination Meeting, held in November 2006, {BODY}")
    meta = _extract(raw)
    assert _no_place(meta.meeting) == MeetingRef(6, date(2007, 11, 26), date(2007, 11, 27))
    assert meta.mentioned_meetings == (MeetingRef(5, month="2006-11"),)


def test_meeting_from_the_symbol_when_the_text_does_not_say() -> None:
    raw = f"UN/POP/MIG-7CM/2008/03\n\nSome Organization of Nations (SON)\n\n{BODY}"
    meta = _extract(raw)
    assert meta.symbol == "UN/POP/MIG-7CM/2008/03"
    assert meta.meeting is not None and meta.meeting.number == 7
    assert meta.kind == Kind.PAPER


def test_single_day_meeting() -> None:
    meta = _extract(f"The Eighth Coordination Meeting on International Migration was held on 20 November 2009 "
                    f"in New York. {BODY}")
    assert _no_place(meta.meeting) == MeetingRef(8, date(2009, 11, 20), date(2009, 11, 20))


def test_text_without_meeting() -> None:
    meta = _extract(BODY)
    assert meta.meeting is None
    assert meta.kind == Kind.OTHER
    assert meta.title == "fallback"
    assert (meta.organization, meta.symbol, meta.mentioned_meetings) == (None, None, ())


def test_empty_text() -> None:
    meta = metadata.extract("", fallback_title="name")
    assert (meta.title, meta.kind, meta.meeting) == ("name", Kind.OTHER, None)


def test_kind_from_headings() -> None:
    assert _extract(f"EXECUTIVE SUMMARY\n\n{BODY}").kind == Kind.SUMMARY
    assert _extract(f"I. REPORT OF THE MEETING\n\n{BODY}").kind == Kind.REPORT
    assert _extract(f"REPORT OF THE FOURTH COORDINATION MEETING\n\n{BODY}").kind == Kind.REPORT


def test_ordinal_names() -> None:
    assert metadata.ordinal_name(1) == "First"
    assert metadata.ordinal_name(15) == "Fifteenth"
    assert metadata.ordinal_name(21) == "Twenty-first"
    assert metadata.meeting_title(2) == "Second Coordination Meeting on International Migration"


# -- front matter and sidecars ---------------------------------------------------------------------

OWN = (f"The Fifth Coordination Meeting on International Migration took place in New York from 20 to 21 "
       f"November 2006. {BODY}\n")


def _build(tmp_path: Path, text: str, sidecar: object | None = None, name: str = "paper.txt") -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    if sidecar is not None:
        side = tmp_path / f"{name}.meta.json"
        side.write_text(sidecar if isinstance(sidecar, str) else json.dumps(sidecar), encoding="utf-8")
    files, _ = reading.discover(tmp_path)
    file = next(f for f in files if f.path == name)
    source = reading.read_source(file)
    assert isinstance(source, reading.SourceText)
    return documents.build(source, file)


def test_split_front_matter() -> None:
    fields, body = overrides.split_front_matter("---\nmeeting: 5\nKind: 'contributed paper'\nstart_date: \"2006-11-20\"\n---\nBody\n")
    assert fields == {"meeting": "5", "kind": "contributed paper", "start_date": "2006-11-20"}
    assert body == "Body\n"
    assert overrides.split_front_matter("No front matter\n---\n") == ({}, "No front matter\n---\n")
    assert overrides.split_front_matter("---\nnot a field\n---\n")[0] == {}


def test_extracted_metadata_without_overrides(tmp_path: Path) -> None:
    meta = _build(tmp_path, OWN).metadata
    assert _no_place(meta.meeting) == MeetingRef(5, date(2006, 11, 20), date(2006, 11, 21))
    assert meta.overridden == ()


def test_front_matter_overrides(tmp_path: Path) -> None:
    doc = _build(tmp_path, "---\nmeeting: 7\nkind: contributed paper\norganization: UNITAR\nsymbol: X/Y/7\n---\n" + OWN)
    meta = doc.metadata
    assert _no_place(meta.meeting) == MeetingRef(7)  # another meeting does not keep the extracted meeting's dates
    assert (meta.kind, meta.organization, meta.symbol) == ("contributed paper", "UNITAR", "X/Y/7")
    assert set(meta.overridden) == {"meeting", "kind", "organization", "symbol"}
    assert doc.source.warnings == ()
    assert not doc.cleaned.startswith("---") and "meeting: 7" not in doc.cleaned


def test_same_meeting_keeps_its_dates(tmp_path: Path) -> None:
    meta = _build(tmp_path, "---\nmeeting: 5\n---\n" + OWN).metadata
    assert _no_place(meta.meeting) == MeetingRef(5, date(2006, 11, 20), date(2006, 11, 21))


def test_sidecar_overrides_and_wins_over_front_matter(tmp_path: Path) -> None:
    doc = _build(tmp_path, "---\nmeeting: 7\ntitle: From front matter\n---\n" + OWN,
                 {"meeting": 9, "start_date": "2010-05-01", "end_date": "2010-05-02", "title": "From the sidecar"})
    meta = doc.metadata
    assert _no_place(meta.meeting) == MeetingRef(9, date(2010, 5, 1), date(2010, 5, 2))
    assert meta.title == "From the sidecar"
    assert {"meeting", "start_date", "end_date", "title"} <= set(meta.overridden)
    assert doc.source.warnings == ()


@pytest.mark.parametrize(
    ("sidecar", "warning"),
    [
        ("{not json", "ignored paper.txt.meta.json"),
        ("[1, 2]", "expected a JSON object"),
        ({"meeting": "seven"}, "'meeting' has an unusable value"),
        ({"meeting": None}, "'meeting' has an unusable value"),
        ({"meeting": [5]}, "'meeting' has an unusable value"),
        ({"start_date": "2006-13-01"}, "'start_date' has an unusable value"),
        ({"end_date": "yesterday"}, "'end_date' has an unusable value"),
        ({"colour": "red"}, "unknown metadata field 'colour'"),
        ({"end_date": "2006-11-19"}, "end_date before start_date"),
    ],
)
def test_bad_sidecar_values_warn_and_keep_the_extracted_value(tmp_path: Path, sidecar: object, warning: str) -> None:
    doc = _build(tmp_path, OWN, sidecar)
    assert any(warning in w for w in doc.source.warnings), doc.source.warnings
    meta = doc.metadata
    assert meta.meeting is not None and meta.meeting.number == 5
    assert meta.meeting.start_date == date(2006, 11, 20)


def test_bad_front_matter_values_warn(tmp_path: Path) -> None:
    doc = _build(tmp_path, "---\nmeeting: seven\nstart_date: 2006-13-01\ncolour: red\n---\n" + OWN)
    assert len(doc.source.warnings) == 3
    assert _no_place(doc.metadata.meeting) == MeetingRef(5, date(2006, 11, 20), date(2006, 11, 21))
    assert doc.metadata.overridden == ()


def test_dates_without_any_meeting_are_refused_with_a_warning() -> None:
    meta = Metadata(title="t", kind=Kind.OTHER, meeting=None, organization=None, symbol=None)
    result, warnings = overrides.apply(meta, {"start_date": "2010-05-01"})
    assert result.meeting is None
    assert any("no meeting number" in w for w in warnings)


def test_apply_is_pure() -> None:
    meta = Metadata(title="t", kind=Kind.OTHER, meeting=MeetingRef(3), organization=None, symbol=None)
    result, warnings = overrides.apply(meta, {"organization": "IOM"})
    assert (result.organization, result.overridden, warnings) == ("IOM", ("organization",), [])
    assert meta.organization is None and meta.overridden == ()


@pytest.mark.parametrize("field", ["title", "kind"])
def test_null_title_or_kind_is_refused(field: str) -> None:
    meta = Metadata(title="A title", kind=Kind.PAPER, meeting=MeetingRef(3), organization=None, symbol=None)
    result, warnings = overrides.apply(meta, {field: None})
    assert isinstance(getattr(result, field), str)
    assert warnings


@pytest.mark.parametrize("value", [0, -3])
def test_non_positive_meeting_number_is_rejected_cleanly(value: int) -> None:
    meta = Metadata(title="t", kind=Kind.PAPER, meeting=MeetingRef(5), organization=None, symbol=None)
    result, warnings = overrides.apply(meta, {"meeting": value})
    assert result.meeting == MeetingRef(5)
    assert "meeting" not in result.overridden
    assert any("'meeting'" in w for w in warnings), warnings


def test_boolean_meeting_number_is_rejected() -> None:
    meta = Metadata(title="t", kind=Kind.PAPER, meeting=MeetingRef(5), organization=None, symbol=None)
    result, warnings = overrides.apply(meta, {"meeting": True})
    assert result.meeting == MeetingRef(5)
    assert warnings


def test_meeting_place_is_read_from_the_venue_line_or_sentence(archive) -> None:  # type: ignore[no-untyped-def]
    places = {m.number: m.place for m in archive.meetings()[0]}
    assert places == {1: None, 2: "New York", 4: "New York", 5: "New York", 15: "New York"}


_NAME_PARTS = ["Fifth", "twenty-first", "Twenty first", "21st", "3rd", "second", "firſt", "FIRST", "united",
               "Nations", "annual", "UN", "coordination", "Coordination", "meeting", "Meetings", "MEETING",
               "precoordination", "the", "of", "on", "2006", "-", "—", ".", ",", "(", ")", "\n", "\n\n", " ",
               "  ", "\t", "\u00a0", "é", "_"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PARTS), max_size=40), st.lists(st.sampled_from([" ", "", "\n"]), max_size=40))
def test_meeting_names_finds_what_the_whole_pattern_finds(parts: list[str], glue: list[str]) -> None:
    text = "".join(part + (glue[i] if i < len(glue) else " ") for i, part in enumerate(parts))
    expected = [(m.span(), m.group("ordinal")) for m in metadata._MEETING.finditer(text)]
    assert [(m.span(), m.group("ordinal")) for m in metadata.meeting_names(text)] == expected


def test_meeting_names_on_the_seed_texts(seed_docs: dict[str, Document]) -> None:
    texts = [doc.cleaned for doc in seed_docs.values()]
    for text in texts:
        expected = [m.span() for m in metadata._MEETING.finditer(text)]
        assert [m.span() for m in metadata.meeting_names(text)] == expected
    assert sum(len(list(metadata._MEETING.finditer(text))) for text in texts) > 5
