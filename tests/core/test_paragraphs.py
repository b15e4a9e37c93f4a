"""Paragraph numbers: the document's own when it numbers its paragraphs, else counted; headings never."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from migarchive.core.model import Document
from migarchive.core.paragraphs import number_paragraphs, paragraph_at

BODY = ("The meeting took note of the progress made in the collection of data on international migration "
        "and asked the agencies to share what they gather. ")


def _text(*blocks: str) -> str:
    return "\n\n".join(blocks) + "\n"


def test_body_paragraphs_are_counted_and_headings_title_page_and_tables_are_not() -> None:
    text = _text("UNITED NATIONS", "New York, 2017", "# REPORT OF THE MEETING", "First " + BODY,
                 "## A. Opening", "Second " + BODY, "IOM\tInternational Organization for Migration\n"
                 "ILO\tInternational Labour Organization", "Third " + BODY)
    numbers = number_paragraphs(text)
    assert not numbers.own
    assert [p.number for p in numbers.paragraphs] == [1, 2, 3]
    assert [text[p.start : p.end].split()[0] for p in numbers.paragraphs] == ["First", "Second", "Third"]
    assert paragraph_at(text, text.index("Second") + 10) == 2
    assert paragraph_at(text, text.index("Opening")) is None
    assert paragraph_at(text, text.index("New York")) is None
    assert paragraph_at(text, text.index("ILO")) is None


def test_a_document_that_numbers_its_paragraphs_keeps_its_numbers() -> None:
    text = _text("# I. INTRODUCTION", "1. " + BODY, "2. " + BODY + "as follows:", "(a) to share data;",
                 "(b) to meet again.", "## II. DATA", "3. " + BODY, "A quotation that stands apart.",
                 "4. " + BODY)
    numbers = number_paragraphs(text)
    assert numbers.own
    assert [p.number for p in numbers.paragraphs] == [1, 2, 3, 4]
    # Sub-items and a quotation belong to the paragraph they follow; a heading closes a paragraph.
    assert paragraph_at(text, text.index("(b) to meet")) == 2
    assert paragraph_at(text, text.index("A quotation")) == 3
    assert paragraph_at(text, text.index("II. DATA")) is None


def test_a_short_numbered_list_does_not_make_the_numbers() -> None:
    text = _text(BODY, "1. one", "2. two", "3. three", *(BODY for _ in range(6)))
    numbers = number_paragraphs(text)
    assert not numbers.own
    assert len(numbers.paragraphs) == 10


def test_the_bundled_documents_are_numbered_without_their_headings(seed_docs: dict[str, Document]) -> None:
    for document in seed_docs.values():
        numbers = number_paragraphs(document.cleaned)
        assert numbers.paragraphs
        headings = {s.start for s in document.sections}
        assert not headings & {p.start for p in numbers.paragraphs}
        # Every numbered paragraph begins where a passage does: the reader finds it by the passage's anchor.
        assert {p.start for p in numbers.paragraphs} <= {p.start for p in document.passages}


_block = st.one_of(
    st.just(BODY),
    st.builds(lambda n: f"{n}. {BODY}", st.integers(1, 12)),
    st.sampled_from(["# HEADING", "## 3. A numbered heading", "(a) a sub-item;", "short line"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_block, max_size=25), st.lists(_block, max_size=5))
def test_numbers_are_ordered_disjoint_and_untouched_by_later_text(blocks: list[str], later: list[str]) -> None:
    text = "\n\n".join(blocks)
    numbers = number_paragraphs(text)
    previous_end, previous_number = -1, 0
    for paragraph in numbers.paragraphs:
        assert previous_end <= paragraph.start < paragraph.end <= len(text)
        assert paragraph.number > previous_number
        assert numbers.number_at(paragraph.start) == paragraph.number
        assert numbers.number_at(paragraph.end - 1) == paragraph.number
        previous_end, previous_number = paragraph.end, paragraph.number
    if not numbers.own and not later:
        assert [p.number for p in numbers.paragraphs] == list(range(1, len(numbers.paragraphs) + 1))
    # Text added after the end does not renumber what comes before it (counted numbering).
    longer = number_paragraphs("\n\n".join(blocks + later))
    if not numbers.own and not longer.own and numbers.paragraphs and any(len(b.split()) >= 20 for b in blocks):
        assert longer.paragraphs[: len(numbers.paragraphs) - 1] == numbers.paragraphs[:-1]
