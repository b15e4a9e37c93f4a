"""Citations: what a researcher pastes into a paper."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from migarchive.core.archive import Archive
from migarchive.core.citation import cite, format_dates


def test_format_dates() -> None:
    assert format_dates(date(2003, 10, 15), date(2003, 10, 16)) == "15–16 October 2003"
    assert format_dates(date(2010, 11, 30), date(2010, 12, 1)) == "30 November – 1 December 2010"
    assert format_dates(date(2003, 12, 30), date(2004, 1, 2)) == "30 December 2003 – 2 January 2004"
    assert format_dates(date(2005, 10, 14), None) == "14 October 2005"
    assert format_dates(None, None, "2002-07") == "July 2002"
    assert format_dates(None, None) is None


def test_citation_of_a_contributed_paper(archive: Archive) -> None:
    path = "003_701c0046ca42ff1f.txt"
    text = cite(archive.info(path), archive.meeting_of(path), "A. UNITAR/UNFPA/IOM")
    assert text == (
        "United Nations Institute for Training and Research (UNITAR), “UNITAR's Migration Related Activities”, "
        "Fifth Coordination Meeting on International Migration, New York, 20–21 November 2006, "
        "UN/POP/MIG-5CM/2006/11, section “A. UNITAR/UNFPA/IOM”."
    )


def test_citation_of_a_report_names_place_and_dates(archive: Archive) -> None:
    path = "001_2af6c4c605665e75.txt"
    text = cite(archive.info(path), archive.meeting_of(path))
    assert text.startswith("Population Division, “Report of the Second Coordination Meeting")
    assert "New York, 15–16 October 2003" in text


def test_citation_gives_all_caps_headings_in_title_case_and_nests_quotations(archive: Archive) -> None:
    path = "001_2af6c4c605665e75.txt"
    info = archive.info(path)
    heading = next(s.title for s in info.sections if s.title.isupper() and "UNITED NATIONS" in s.title)
    text = cite(info, archive.meeting_of(path), heading, paragraph=12)
    assert "section “A. Recent Activities on International Migration at the United Nations”, para. 12." in text
    assert heading not in text
    assert cite(info, None, "II. ACTIVITIES OF UNHCR AND IOM").endswith(
        "section “II. Activities of UNHCR and IOM”.")
    titled = replace(info, metadata=replace(info.metadata, title='The “Global Compact” and the "New York Declaration"'))
    assert "“The ‘Global Compact’ and the ‘New York Declaration’”" in cite(titled, None)


def test_citation_carries_the_paragraph_before_the_page(archive: Archive) -> None:
    path = "003_701c0046ca42ff1f.txt"
    text = cite(archive.info(path), archive.meeting_of(path), None, page=3, paragraph=4)
    assert text.endswith("UN/POP/MIG-5CM/2006/11, para. 4, p. 3.")
