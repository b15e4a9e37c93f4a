"""Section trees and passages (core.sections): real trees, stable passage ids, exact coverage, a property test."""

from __future__ import annotations

import hashlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migarchive.core import documents, sections
from migarchive.core.cleaning import clean
from migarchive.core.metadata import extract
from migarchive.core.model import Document, Passage, Section, SourceText
from migarchive.core.overrides import split_front_matter


def _tree(doc: Document) -> list[tuple[str, str, int, str | None]]:
    return [(s.id, s.title, s.level, s.parent) for s in doc.sections]


def _source(text: str, path: str = "doc.txt") -> SourceText:
    data = text.encode("utf-8")
    return SourceText(path=path, text=text, encoding="utf-8", sha256=hashlib.sha256(data).hexdigest(),
                      size=len(data), mtime_ns=0)


def _heading_spans(text: str, section_list: tuple[Section, ...]) -> list[tuple[int, int]]:
    spans = []
    for s in section_list:
        newline = text.find("\n", s.start)
        spans.append((s.start, newline if newline >= 0 else len(text)))
    return spans


def assert_exact_cover(text: str, section_list: tuple[Section, ...], passages: tuple[Passage, ...]) -> None:
    """Headings and passages, in order, cover every non-blank character of `text` exactly once;
    a heading with no text under it is covered by its own passage (its title), which lies inside
    its line."""
    headings = _heading_spans(text, section_list)
    inside = [(p, h) for p in passages for h in headings if h[0] <= p.start and p.end <= h[1]]
    for passage, (start, end) in inside:
        assert passage.section_id is not None and passage.text.strip()
    covered = {id(p) for p, _ in inside}
    spans = sorted([(p.start, p.end) for p in passages if id(p) not in covered] + headings)
    previous_end = 0
    for start, end in spans:
        assert start >= previous_end, "overlapping spans"
        assert text[previous_end:start].strip() == "", "non-blank text outside every passage and heading"
        assert text[start:end].strip() != "", "empty span"
        previous_end = end
    assert text[previous_end:].strip() == ""
    # passages come in text order and carry their own text
    assert [p.start for p in passages] == sorted(p.start for p in passages)
    for p in passages:
        assert text[p.start : p.end] == p.text
    # every heading line is a real heading line of the text, and sections nest
    for s in section_list:
        assert text[s.start :].startswith("#")
        assert s.start < s.end <= len(text)
    ids = [s.id for s in section_list] + [p.id for p in passages]
    assert len(ids) == len(set(ids))


# -- real section trees ----------------------------------------------------------------------------


def test_section_tree_of_001(seed_docs: dict[str, Document]) -> None:
    top, b, c = ("i-report-of-the-meeting", "b-current-issues-on-international-migration",
                 "c-review-of-activities-on-international-migration-related-to-the-implementation")
    assert _tree(seed_docs["001"]) == [
        (top, "I. REPORT OF THE MEETING", 2, None),
        ("a-recent-activities-on-international-migration-at-the-united-nations",
         "A. RECENT ACTIVITIES ON INTERNATIONAL MIGRATION AT THE UNITED NATIONS", 3, top),
        (b, "B. CURRENT ISSUES ON INTERNATIONAL MIGRATION", 3, top),
        ("1-workers-remittances", "1. Workers' Remittances", 4, b),
        ("2-undocumented-migration-with-special-attention-on-human-trafficking",
         "2. Undocumented migration with special attention on human trafficking", 4, b),
        ("3-international-migration-and-security", "3. International migration and security", 4, b),
        (c, "C. REVIEW OF ACTIVITIES ON INTERNATIONAL MIGRATION RELATED TO THE IMPLEMENTATION OF THE PROGRAMME "
            "OF ACTION OF THE INTERNATIONAL CONFERENCE ON POPULATION AND DEVELOPMENT", 3, top),
        ("1-statistics-on-international-migration", "1. Statistics on international migration", 4, c),
        ("2-initiatives-to-promote-inter-governmental-dialogue-on-international-migration",
         "2. Initiatives to promote inter-governmental dialogue on international migration", 4, c),
        ("3-research-on-international-migration", "3. Research on international migration", 4, c),
    ]


def test_section_tree_of_002(seed_docs: dict[str, Document]) -> None:
    title = "FIFTEENTH COORDINATION MEETING ON INTERNATIONAL MIGRATION"
    first, second = "fifteenth-coordination-meeting-on-international-migration", \
        "fifteenth-coordination-meeting-on-international-migration-2"
    assert _tree(seed_docs["002"]) == [
        (first, title, 1, None),
        (second, title, 1, None),  # the same title twice: the second id gets a suffix
        ("preface", "PREFACE", 2, second),
        ("explanatory-notes", "EXPLANATORY NOTES", 2, second),
        ("report-of-the-annual-coordination-meeting-on-international-migration",
         "REPORT OF THE ANNUAL COORDINATION MEETING ON INTERNATIONAL MIGRATION", 2, second),
        ("ii-implementing-the-new-york-declaration-for-refugees-and-migrants",
         "II. IMPLEMENTING THE NEW YORK DECLARATION FOR REFUGEES AND MIGRANTS", 2, second),
        ("v-towards-2018-next-steps", "V. TOWARDS 2018: NEXT STEPS", 2, second),
        ("vi-contributing-to-the-workplan-for-member-states", "VI. CONTRIBUTING TO THE WORKPLAN FOR MEMBER STATES",
         2, second),
        ("viii-tour-de-table", "VIII. TOUR-DE-TABLE", 2, second),
        ("xi-closing-of-the-meeting", "XI. CLOSING OF THE MEETING", 2, second),
    ]


def test_section_spans_run_to_the_next_heading_of_same_or_higher_level(seed_docs: dict[str, Document]) -> None:
    doc = seed_docs["001"]
    b = doc.section("b-current-issues-on-international-migration")
    c = doc.section("c-review-of-activities-on-international-migration-related-to-the-implementation")
    remittances = doc.section("1-workers-remittances")
    undocumented = doc.section("2-undocumented-migration-with-special-attention-on-human-trafficking")
    assert b and c and remittances and undocumented
    assert b.end == c.start
    assert remittances.end == undocumented.start
    assert doc.section("i-report-of-the-meeting").end == len(doc.cleaned.rstrip())  # type: ignore[union-attr]
    text = doc.section_text("1-workers-remittances")
    assert text is not None
    assert text.startswith("#### 1. Workers' Remittances\n\nMr. Dilip K. Ratha")
    assert "undocumented migration and trafficking in persons" not in text
    assert doc.section_text("no-such-section") is None


def test_passages_belong_to_their_innermost_section(seed_docs: dict[str, Document]) -> None:
    doc = seed_docs["001"]

    def starting(prefix: str) -> Passage:
        (found,) = [p for p in doc.passages if p.text.startswith(prefix)]
        return found

    assert starting("Mr. Dilip K. Ratha, Economist").section_id == "1-workers-remittances"
    assert starting("The following sections summarize").section_id == "i-report-of-the-meeting"
    assert starting("The second session of the meeting").section_id == "b-current-issues-on-international-migration"
    # text before the first heading belongs to no section
    p0 = seed_docs["003"].passages[0]
    assert p0.text == "UN/POP/MIG-5CM/2006/11 21 November 2006"
    assert p0.section_id is None


def test_every_seed_is_covered_exactly(seed_docs: dict[str, Document]) -> None:
    for doc in seed_docs.values():
        assert_exact_cover(doc.cleaned, doc.sections, doc.passages)
        assert len(doc.passages) >= 5


def test_every_non_blank_line_belongs_to_one_passage_or_heading(seed_docs: dict[str, Document]) -> None:
    for doc in seed_docs.values():
        text = doc.cleaned
        spans = [(p.start, p.end) for p in doc.passages] + _heading_spans(text, doc.sections)
        offset = 0
        for line in text.split("\n"):
            if line.strip():
                owners = [s for s in spans if s[0] <= offset and offset + len(line) <= s[1]]
                assert len(owners) == 1, (doc.path, line)
            offset += len(line) + 1


# -- passage ids -----------------------------------------------------------------------------------


def test_passage_ids_are_stable_across_builds(seed_docs: dict[str, Document]) -> None:
    for doc in seed_docs.values():
        again = documents.build(_source(doc.source.text, doc.path))
        assert [p.id for p in again.passages] == [p.id for p in doc.passages]
        assert [s.id for s in again.sections] == [s.id for s in doc.sections]


def test_passage_id_is_a_content_hash_that_ignores_whitespace() -> None:
    one = sections.split("A paragraph  about\nremittances.\n")[1][0]
    two = sections.split("\n\nA paragraph about remittances.\n")[1][0]
    assert one.id == two.id
    assert one.id.startswith("p") and len(one.id) == 11


def test_inserting_a_paragraph_leaves_other_passage_ids_alone(seed_docs: dict[str, Document]) -> None:
    doc = seed_docs["001"]
    raw = doc.source.text
    anchor = "The following sections summarize the presentations made"
    edited = raw.replace(anchor, "A brand new paragraph, inserted by an editor for this test.\n\n" + anchor, 1)
    assert edited != raw
    new = documents.build(_source(edited, doc.path))
    old_ids = {p.id: p.text for p in doc.passages}
    new_ids = {p.id: p.text for p in new.passages}
    assert len(new_ids) == len(old_ids) + 1
    assert set(old_ids) < set(new_ids)
    for pid, text in old_ids.items():
        assert new_ids[pid] == text
    # the section ids do not move either
    assert [s.id for s in new.sections] == [s.id for s in doc.sections]


def test_repeated_paragraphs_get_distinct_ids() -> None:
    text = "# TITLE\n\nSame words.\n\nOther words.\n\nSame words.\n"
    _, passages = sections.split(text)
    ids = [p.id for p in passages]
    assert ids[0] != ids[2] and ids[2] == ids[0] + "-2"


def test_repeated_heading_titles_get_distinct_ids() -> None:
    section_list, _ = sections.split("## ANNEX\n\nText one.\n\n## ANNEX\n\nText two.\n")
    assert [s.id for s in section_list] == ["annex", "annex-2"]


def test_heading_without_letters_gets_a_fallback_id() -> None:
    section_list, _ = sections.split("## IV. —\n\nText.\n")
    assert [s.id for s in section_list] == ["iv"]
    section_list, _ = sections.split("## ——\n\nText.\n")
    assert all(s.id for s in section_list)


# -- property test ---------------------------------------------------------------------------------

REALISTIC_LINES = [
    "# Heading", "## Sub heading", "#### VIII. TOUR-DE-TABLE", "I. REPORT OF THE MEETING",
    "A. RECENT ACTIVITIES ON INTERNATIONAL MIGRATION", "1. Workers' Remittances", "ANNEX", "CONTENTS",
    "EXPLANATORY NOTES", "PREFACE ..... iii", "Introduction . . . . . . 4", "This page is intentionally left blank",
    "---", "* * *", "ssMs. Martiocking O3tangD -20 -Tj 129hd.0781 Tw (Ms. MartithTw", "Tj 1.2 Tw",
    "oriTc 1.1607 Tw 1.160e5d", "BT 12 0 Td (x) Tj ET", "AU\tAfrican Union", "IOM\tInternational Organization for Migration",
    "The Second Coordination Meeting took place from 15 to 16 October 2003 in New York.",
    "FIFTEENTH COORDINATION MEETING ON INTERNATIONAL MIGRATION", "New York, 16-17 February 2017",
    "UN/POP/MIG-5CM/2006/11", "United Nations Institute for Training and Research (UNITAR)", "(*a*) to share", "**bold**",
    "⟦…⟧", "# ", "#", "# **", "**", "E c o n o m i c", "Name  ", "³ Report of the Secretary-General, A/58/394.",
    "---\nmeeting: 5\n---", "and the text was cut", "in July 2002", "X. ", ". ", "1.", "(IOM)",
]
WORDS = ["migration", "the", "Meeting", "Coordination", "Second", "fifth", "of", "UN", "a", "(IOM)", "Tw", "1.2",
         "Tj", "x3y", "International", "Organization", "for", "REPORT", "OF", "THE", "MEETING", "2003", "October", "to"]

line = st.one_of(
    st.just(""),
    st.sampled_from(["", " ", "\t", "  "]),
    st.sampled_from(REALISTIC_LINES),
    st.text(max_size=60),
    st.text(alphabet="ABCDEIVX .:#*-\t1()", max_size=40),
    st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join),
    st.lists(st.sampled_from(WORDS), max_size=8).map(lambda ws: " ".join(ws).upper()),
)
texts = st.one_of(
    st.text(),
    st.lists(line, max_size=40).map("\n".join),
    st.lists(line, max_size=40).map("\n\n".join),
)


@settings(max_examples=200, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_cleaning_sections_and_metadata_never_raise_and_cover_the_text(raw: str) -> None:
    result = clean(raw)
    text = result.text
    assert "\n\n\n" not in text
    section_list, passages = sections.split(text)
    assert_exact_cover(text, section_list, passages)
    extract(text, fallback_title="fallback")
    assert sections.split(text) == (section_list, passages)  # deterministic
    # the whole pipeline, front matter and acronyms included
    doc = documents.build(_source(raw))
    assert doc.cleaned == clean(split_front_matter(raw)[1]).text
    assert_exact_cover(doc.cleaned, doc.sections, doc.passages)


@settings(max_examples=100, deadline=None, database=None, derandomize=True)
@given(st.lists(st.sampled_from(REALISTIC_LINES + ["Some ordinary paragraph of text."]), min_size=1, max_size=20),
       st.sampled_from(["\n", "\n\n"]))
def test_document_build_never_raises_on_realistic_lines(lines: list[str], separator: str) -> None:
    doc = documents.build(_source(separator.join(lines)))
    assert_exact_cover(doc.cleaned, doc.sections, doc.passages)
