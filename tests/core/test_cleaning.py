"""Cleaning PDF debris and print artefacts while keeping structure (core.cleaning) on real and synthetic text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from migarchive.core import cleaning, gazetteer
from migarchive.core import sections
from migarchive.core.archive import Archive
from migarchive.core.cleaning import BODY_MIN_WORDS, Heading, clean, recognise_heading, strip_emphasis
from migarchive.core.index import IndexStore
from migarchive.core.model import DAMAGE_MARKER, Document

# The PDF content stream that leaked into 001, in two places.
DEBRIS_1 = "ssMs. Martiocking O3tangD -20 -Tj 129hd.0781 Tw (Ms. MartithTw"
DEBRIS_2 = "oriTc 1.1607 Tw 1.160e5d"
DEBRIS_TOKENS = ["Tj", "-Tj", "Tw", "Tc", "O3tangD", "129hd.0781", "MartithTw", "Martiocking", "ssMs", "oriTc",
                 "1.1607", "1.160e5d", "inteTj", "on2397leva", "eis)"]


def _lines(text: str) -> list[str]:
    return text.split("\n")


# -- the seeds: debris -------------------------------------------------------------------------------


def test_seed_001_really_contains_the_debris(seed_docs: dict[str, Document]) -> None:
    raw = seed_docs["001"].source.text
    assert DEBRIS_1 in raw and DEBRIS_2 in raw


def test_debris_in_001_is_replaced_by_the_damage_marker(seed_docs: dict[str, Document]) -> None:
    cleaned = seed_docs["001"].cleaned
    assert DEBRIS_1 not in cleaned and DEBRIS_2 not in cleaned
    # The good text before each stream is kept, and the marker stands right where the stream began.
    assert "She recalled that, given the " + DAMAGE_MARKER in cleaned
    assert "less volatile than the flows of foreign direct investment (FID) " + DAMAGE_MARKER in cleaned
    # ... and the paragraph that follows the damage is intact.
    assert "\n\nThe following sections summarize the presentations made" in cleaned
    assert "\n\nby representatives of key institutions, including banks" in cleaned


@pytest.mark.parametrize("token", DEBRIS_TOKENS)
def test_no_debris_token_survives_cleaning(seed_docs: dict[str, Document], token: str) -> None:
    cleaned = seed_docs["001"].cleaned
    assert not re.search(rf"(?<!\w){re.escape(token)}(?!\w)", cleaned), token


def test_damage_is_counted(seed_docs: dict[str, Document]) -> None:
    doc = seed_docs["001"]
    assert doc.damaged_spots == doc.cleaned.count(DAMAGE_MARKER)
    assert doc.damaged_spots >= 2
    assert seed_docs["000"].damaged_spots == 0
    assert DAMAGE_MARKER not in seed_docs["000"].cleaned


def _indexed_passage_texts(archive: Archive) -> list[str]:
    ix = IndexStore(archive.paths.index_root, gazetteer.load(archive.paths.data_dir).digest).open_current()
    assert ix is not None
    try:
        with ix.searcher() as searcher:
            return [fields["text"] for fields in searcher.all_stored_fields() if "passage_id" in fields]
    finally:
        ix.close()


def test_debris_and_damage_marker_never_reach_the_index(archive: Archive) -> None:
    texts = _indexed_passage_texts(archive)
    assert len(texts) > 100
    joined = "\n".join(texts)
    assert "She recalled that, given the" in joined  # the good text is indexed
    assert DAMAGE_MARKER not in joined
    for token in DEBRIS_TOKENS:
        assert not re.search(rf"(?<!\w){re.escape(token)}(?!\w)", joined), token


def test_debris_terms_are_not_in_the_search_lexicon(archive: Archive) -> None:
    ix = IndexStore(archive.paths.index_root, gazetteer.load(archive.paths.data_dir).digest).open_current()
    assert ix is not None
    try:
        with ix.searcher() as searcher:
            terms = {t.decode("utf-8") for t in searcher.reader().lexicon("body")}
    finally:
        ix.close()
    assert "remitt" in terms  # sanity: stemmed body words are there
    for term in ("tj", "tw", "tc", "o3tangd", "1.160e5d", "129hd", "martithtw", "martiock", "oritc", "1.1607"):
        assert term not in terms, term


@pytest.mark.parametrize("query", ["Tj", "Tw", "O3tangD", "1.160e5d", "MartithTw", "oriTc", '"Tj 129hd.0781 Tw"'])
def test_searching_for_debris_finds_nothing(archive: Archive, query: str) -> None:
    results = archive.search(query)
    assert results.total == 0 or results.corrected is not None
    for hit in results.hits:
        assert query.strip('"') not in hit.snippet


# -- the seeds: print artefacts --------------------------------------------------------------------


def test_blank_page_notice_is_dropped(seed_docs: dict[str, Document]) -> None:
    assert "This page is intentionally left blank" in seed_docs["002"].source.text
    assert "intentionally left blank" not in seed_docs["002"].cleaned.lower()


def test_table_of_contents_dot_leaders_are_dropped(seed_docs: dict[str, Document]) -> None:
    raw, cleaned = seed_docs["002"].source.text, seed_docs["002"].cleaned
    assert "PREFACE ..... iii" in raw
    assert "PREFACE ..... iii" not in cleaned
    assert "EXPLANATORY NOTES....." not in cleaned
    assert not [line for line in _lines(cleaned) if re.search(r"(\s*\.){4,}\s*([ivxlcdm]+|\d+)?\s*$", line)]
    # The "CONTENTS" title goes with its entries; the real sections stay.
    assert "CONTENTS" not in cleaned
    assert "## PREFACE" in cleaned and "## EXPLANATORY NOTES" in cleaned


def test_horizontal_rules_and_blank_runs_are_dropped(seed_docs: dict[str, Document]) -> None:
    assert "\n---\n" in seed_docs["002"].source.text
    assert "\n\n\n\n" in seed_docs["002"].source.text
    for doc in seed_docs.values():
        assert not [line for line in _lines(doc.cleaned) if line.strip() in {"---", "***", "___"}], doc.path
        assert "\n\n\n" not in doc.cleaned, doc.path
        assert doc.cleaned.endswith("\n") and not doc.cleaned.endswith("\n\n")
        assert not doc.cleaned.startswith("\n")


def test_letter_spaced_words_are_joined(seed_docs: dict[str, Document]) -> None:
    cleaned = seed_docs["002"].cleaned
    assert "E c o n o m i c" not in cleaned
    assert "**Economic &**" in cleaned


# -- the seeds: structure kept ---------------------------------------------------------------------


def test_markdown_headings_emphasis_tables_and_footnotes_are_kept(seed_docs: dict[str, Document]) -> None:
    assert "(*a*) to share and exchange information" in seed_docs["000"].cleaned
    assert "(*b*) to facilitate the coordination" in seed_docs["000"].cleaned
    c002 = _lines(seed_docs["002"].cleaned)
    assert "IOM\tInternational Organization for Migration" in c002
    assert "UN DESA\tUnited Nations Department of Economic and Social Affairs" in c002
    assert "UNU\tUnited Nations University" in c002
    assert "## PREFACE" in c002
    assert "## XI. CLOSING OF THE MEETING" in c002
    assert "*Strengthening the United Nations: An Agenda for Further Changes*²" in seed_docs["001"].cleaned
    assert "³ Report of the Secretary-General, A/58/394." in _lines(seed_docs["001"].cleaned)
    assert "[A/RES/71/1](#)" in seed_docs["002"].cleaned
    # a Markdown hard line break (two trailing spaces) survives
    assert "**Department of Economic and Social Affairs**  \nPopulation Division" in seed_docs["002"].cleaned


def test_plain_text_headings_become_atx_headings_with_levels(seed_docs: dict[str, Document]) -> None:
    c001 = _lines(seed_docs["001"].cleaned)
    assert c001[0] == "## I. REPORT OF THE MEETING"
    assert "### A. RECENT ACTIVITIES ON INTERNATIONAL MIGRATION AT THE UNITED NATIONS" in c001
    assert "#### 1. Workers' Remittances" in c001
    c002 = _lines(seed_docs["002"].cleaned)
    assert "## VIII. TOUR-DE-TABLE" in c002  # "####" in the source, normalised
    assert "#### VIII. TOUR-DE-TABLE" not in c002
    assert "## V. TOWARDS 2018: NEXT STEPS" in c002  # a plain line in the source


@pytest.mark.parametrize(
    ("number", "title", "level"),
    [
        ("001", "I. REPORT OF THE MEETING", 2),
        ("001", "A. RECENT ACTIVITIES ON INTERNATIONAL MIGRATION AT THE UNITED NATIONS", 3),
        ("001", "B. CURRENT ISSUES ON INTERNATIONAL MIGRATION", 3),
        ("001", "1. Workers' Remittances", 4),
        ("001", "3. Research on international migration", 4),
        ("002", "VIII. TOUR-DE-TABLE", 2),
        ("002", "V. TOWARDS 2018: NEXT STEPS", 2),
        ("002", "II. IMPLEMENTING THE NEW YORK DECLARATION FOR REFUGEES AND MIGRANTS", 2),
        ("002", "PREFACE", 2),
        ("003", "A. UNITAR/UNFPA/IOM \"KEY MIGRATION ISSUES\" WORKSHOP SERIES", 3),
    ],
)
def test_heading_levels_in_the_section_tree(seed_docs: dict[str, Document], number: str, title: str, level: int) -> None:
    doc = seed_docs[number]
    matches = [s for s in doc.sections if s.title == title]
    assert len(matches) == 1, [s.title for s in doc.sections]
    assert matches[0].level == level
    # sections.split on the cleaned text agrees with documents.build
    split_sections, _ = sections.split(doc.cleaned)
    assert split_sections == doc.sections


def test_body_sentences_are_not_taken_for_headings(seed_docs: dict[str, Document]) -> None:
    titles = {s.title for s in seed_docs["001"].sections}
    assert not any(t.startswith(("The ", "Mr. ", "Ms. ")) for t in titles)
    assert "³ Report of the Secretary-General, A/58/394." not in titles


# -- synthetic: clean() ------------------------------------------------------------------------------


def test_clean_collapses_blank_runs_and_ends_with_one_newline() -> None:
    assert clean("First paragraph.\n\n\n\n\nSecond paragraph.").text == "First paragraph.\n\nSecond paragraph.\n"


def test_clean_of_nothing_is_nothing() -> None:
    for raw in ("", "\n\n", "   \n\t\n", "---\n\n***", "This page is intentionally left blank"):
        result = clean(raw)
        assert (result.text, result.damaged_spots) == ("", 0), raw


def test_clean_drops_rules_blank_pages_and_toc() -> None:
    raw = (
        "Intro line\n---\n* * *\n___\n\n"
        "THIS PAGE HAS BEEN INTENTIONALLY LEFT BLANK\n\n"
        "Table of Contents\nIntroduction .......... 1\nAnnex . . . . . . 12\nPREFACE ..... iii\n\n"
        "Body text."
    )
    assert clean(raw).text == "Intro line\n\nBody text.\n"


def test_clean_keeps_a_contents_word_that_has_no_leaders() -> None:
    assert "The contents of the report were discussed." in clean("The contents of the report were discussed.").text


def test_clean_removes_an_operator_stream_and_marks_the_spot() -> None:
    result = clean("The text ends here Tj 1.2 Tw 0 Td")
    assert result.text == f"The text ends here {DAMAGE_MARKER}\n"
    assert result.damaged_spots == 1


def test_clean_keeps_the_sentence_after_a_stream() -> None:
    result = clean("Before the damage BT 12 0 Td (x) Tj ET. After the damage the sentence goes on as normal.")
    assert result.text.startswith("Before the damage " + DAMAGE_MARKER)
    assert "After the damage the sentence goes on as normal." in result.text
    assert "Tj" not in result.text and "Td" not in result.text


@pytest.mark.parametrize(
    "sentence",
    [
        "She met Mr. TJ Smith in the hall.",
        "Results for 2003 and 2004 were 1.5 and 2.5 per cent.",
        "The symbol A/RES/71/1 was adopted.",
    ],
)
def test_clean_leaves_ordinary_sentences_alone(sentence: str) -> None:
    result = clean(sentence)
    assert result.text == sentence + "\n"
    assert result.damaged_spots == 0


def test_clean_keeps_a_lone_operator_like_word() -> None:
    result = clean("The Td value was not reported.")
    assert result.text == "The Td value was not reported.\n"
    assert result.damaged_spots == 0


def test_clean_marks_a_paragraph_cut_off_before_a_lowercase_continuation() -> None:
    body = " ".join(["word"] * BODY_MIN_WORDS) + " and then the text was"
    result = clean(body + "\n\ncut off in the middle of a sentence.")
    assert result.text == f"{body} {DAMAGE_MARKER}\n\ncut off in the middle of a sentence.\n"
    assert result.damaged_spots == 1


def test_clean_does_not_mark_the_title_page() -> None:
    # Before the first body paragraph, unpunctuated lines are names and addresses, not lost text.
    result = clean("Population Division\n\nDepartment of Economic and Social Affairs\n\nnew york office")
    assert DAMAGE_MARKER not in result.text


def test_clean_joins_letter_spaced_words_only() -> None:
    assert clean("E c o n o m i c and Social").text == "Economic and Social\n"
    assert clean("Plan A B C was adopted.").text == "Plan A B C was adopted.\n"  # three letters: left alone


def test_clean_turns_plain_headings_into_atx() -> None:
    raw = "\n\n".join([
        "I. INTRODUCTION",
        "The meeting " + "was held " * 12 + "in New York.",
        "A. BACKGROUND",
        "Some text.",
        "1. Workers' Remittances",
        "More text.",
        "ANNEX",
    ])
    text = clean(raw).text
    assert _lines(text)[0] == "## I. INTRODUCTION"
    assert "### A. BACKGROUND" in _lines(text)
    assert "#### 1. Workers' Remittances" in _lines(text)
    assert "## ANNEX" in _lines(text)


def test_clean_front_matter_caps_are_level_one() -> None:
    raw = "UNITED NATIONS POPULATION DIVISION\n\n" + "The body paragraph " * 10 + ".\n\nANNEX TABLES"
    lines = _lines(clean(raw).text)
    assert lines[0] == "# UNITED NATIONS POPULATION DIVISION"
    assert "## ANNEX TABLES" in lines


def test_clean_keeps_tab_tables_and_hard_breaks() -> None:
    raw = "ABBREVIATIONS\n\nAU\tAfrican Union\nEU\tEuropean Union\n\nName  \nAddress"
    assert clean(raw).text == "# ABBREVIATIONS\n\nAU\tAfrican Union\nEU\tEuropean Union\n\nName  \nAddress\n"


def test_clean_strips_trailing_blanks_but_not_hard_breaks() -> None:
    assert clean("Line one \t\nline two").text == "Line one\nline two\n"


# -- synthetic: recognise_heading() ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "front", "expected"),
    [
        ("I. INTRODUCTION", False, Heading(2, "I. INTRODUCTION")),
        ("XI. CLOSING OF THE MEETING", False, Heading(2, "XI. CLOSING OF THE MEETING")),
        ("IV. Review of activities", False, Heading(2, "IV. Review of activities")),
        ("A. RECENT ACTIVITIES", False, Heading(3, "A. RECENT ACTIVITIES")),
        ("1. Workers' Remittances", False, Heading(4, "1. Workers' Remittances")),
        ("#### VIII. TOUR-DE-TABLE", False, Heading(2, "VIII. TOUR-DE-TABLE")),
        ("### Some heading", False, Heading(3, "Some heading")),
        ("# **FIFTEENTH MEETING**", False, Heading(1, "FIFTEENTH MEETING")),
        ("EXPLANATORY NOTES", False, Heading(2, "EXPLANATORY NOTES")),
        ("EXPLANATORY NOTES", True, Heading(1, "EXPLANATORY NOTES")),
        ("**BOLD CAPS TITLE**", False, Heading(2, "BOLD CAPS TITLE")),
        ("FIFTEENTH COORDINATION MEETING\nON INTERNATIONAL MIGRATION", True,
         Heading(1, "FIFTEENTH COORDINATION MEETING ON INTERNATIONAL MIGRATION")),
    ],
)
def test_recognise_heading(block: str, front: bool, expected: Heading) -> None:
    assert recognise_heading(block, front) == expected


@pytest.mark.parametrize(
    "block",
    [
        "The meeting was opened by the Director.",
        "A. Background",  # letter headings must be in capitals: "A. Smith" is a name
        "1. The meeting was opened.",  # a numbered sentence, not a heading
        "AU\tAfrican Union",
        "PARTICIPANTS,",
        "ONE\nTWO\nTHREE",
        "# ",
        "UN/POP/MIG",
        "NEW YORK " + DAMAGE_MARKER,
        "IOM",
        "A REPORT SENTENCE IN CAPITALS THAT ENDS WITH A FULL STOP.",
    ],
)
def test_not_a_heading(block: str) -> None:
    assert recognise_heading(block, False) is None


def test_strip_emphasis_unwraps_nested_markers() -> None:
    assert strip_emphasis("  ***__Title__***  ") == "Title"
    assert strip_emphasis("**Economic &**") == "Economic &"
    assert strip_emphasis("plain") == "plain"


def test_strip_emphasis_leaves_two_separate_emphases_alone() -> None:
    assert strip_emphasis("*a* and *b*") == "*a* and *b*"


@given(st.text(alphabet=st.sampled_from("AbCdEfXYZ xyz.-1_İıßǅÉé日ΣσＡ\n\t"), max_size=60)
       | st.text(max_size=60))
def test_upper_case_is_told_as_counting_every_letter_would(text: str) -> None:
    letters = re.findall(r"[^\W\d_]", text)
    expected = (len(letters) >= 4 and re.search(r"[A-Za-z]{3}", text) is not None
                and sum(map(str.isupper, letters)) >= 0.9 * len(letters))
    assert cleaning._is_caps(text) == expected
