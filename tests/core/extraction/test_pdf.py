"""PDF text extraction (core.extraction.pdf, .lines, .layout) on PDFs written at test time by tests/pdfmaker."""

from __future__ import annotations

import io
from bisect import bisect_right
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfmaker import ImageBox, TextRun, make_pdf, text_width, wrap
from pypdf import PdfReader, PdfWriter

from migarchive.core import cleaning, metadata
from migarchive.core.extraction import EXTRACTED_SUFFIXES, Extracted, ExtractionError, extract, extract_bytes
from migarchive.core.extraction.fonts import helvetica_width
from migarchive.core.extraction.layout import PageText, blocks, ends_sentence, furniture, join_lines, measure
from migarchive.core.extraction.lines import FULL, LEFT, RIGHT, Line, Run, page_lines
from migarchive.core.extraction.markdown import Block, assemble
from migarchive.errors import UserError

HEADER = "UNITAR: migration-related activities in 2006"
TRENDS = ("The number of international migrants reached 191 million in 2005, according to the estimates of the "
          "Population Division, and almost half of them were women.")
HYPHEN_BEFORE = "Most of the growth since 1990 was due to labour migra-"
HYPHEN_AFTER = "tion towards high-income countries, as reported by the UN-"
HYPHEN_END = "DESA office in its annual review of the world population."
CONTINUED_START = ("Remittances sent by migrants to their families have become the second largest source of external "
                   "funding for developing countries, and the participants agreed that the")
CONTINUED_END = "countries of origin should be helped to channel them towards productive investment."
NOTE = "Report of the Secretary-General on international migration and development, A/60/871."
LEFT_TEXT = ("The first column describes the workshops that were held in New York for delegates during the year, "
             "with the support of the United Nations Population Fund and in cooperation with the International "
             "Organization for Migration, on trafficking, labour migration and diaspora contributions.")
RIGHT_TEXT = ("The second column lists the seminars planned for the coming year, which will concentrate on the "
              "substantive issues to be discussed at the first Global Forum meeting in Belgium, so that "
              "governments have an overview of achievements and challenges in those fields.")
LAST = "The meeting closed with an exchange of information among the participating organizations."


def _furniture(number: int) -> list[TextRun | ImageBox]:
    return [TextRun(72, 806, HEADER, 8), TextRun(290, 36, f"- {number} -", 8)]


def _document(one_operator_a_line: bool = False) -> bytes:
    """Six pages: title page, body with a footnote, continuation, two columns, a scan, a last page."""
    title = [
        TextRun(400, 790, "UN/POP/MIG-5CM/2006/01", 10), TextRun(400, 776, "10 November 2006", 10),
        TextRun(120, 700, "FIFTH COORDINATION MEETING ON", 18, bold=True),
        TextRun(150, 678, "INTERNATIONAL MIGRATION", 18, bold=True),
        TextRun(230, 640, "Population Division", 10),
        TextRun(185, 628, "Department of Economic and Social Affairs", 10),
        TextRun(225, 616, "United Nations Secretariat", 10), TextRun(215, 604, "New York, 15-16 November 2006", 10),
        TextRun(72, 540, "Recent trends in international migration", 13),
    ]
    runs, y = wrap(TRENDS, 72, 515, 450)
    title += runs + [TextRun(72, y - 6, HYPHEN_BEFORE), TextRun(72, y - 18, HYPHEN_AFTER),
                     TextRun(72, y - 30, HYPHEN_END), TextRun(290, 36, "- 1 -", 8)]
    body = _furniture(2)
    runs, y = wrap("Remittances are the most tangible link between migration and development.", 72, 760, 450)
    body += runs
    runs, y = wrap(CONTINUED_START, 72, y - 8, 450)
    last_line = runs[-1]
    body += runs + [TextRun(last_line.x + text_width(last_line.text, 10) + 0.5, last_line.y + 3.5, "1", 6),
                    TextRun(72, 80, "1 " + NOTE, 8)]
    following = _furniture(3) + [TextRun(72, 760, CONTINUED_END)]
    runs, _ = wrap("A new paragraph, with a first line indented, begins on the third page and ends there.",
                   72, 748, 450, indent=18)
    following += runs
    columns = _furniture(4) + [TextRun(160, 760, "Activities of the Institute", 14)]
    left, _ = wrap(LEFT_TEXT, 72, 730, 215)
    right, _ = wrap(RIGHT_TEXT, 310, 730, 215)
    columns += [run for pair in zip(left, right) for run in pair]  # drawn row by row: the worst case
    columns += left[len(right):] + right[len(left):]
    scan = [ImageBox(72, 200, 450, 550)]
    last = _furniture(6) + [TextRun(72, 760, LAST)]
    return make_pdf([title, body, following, columns, scan, last], one_operator_a_line=one_operator_a_line)


# Each text run its own operator, or everything on a baseline one TJ with wide moves (as Ghostscript
# writes it): the two columns' lines are then one text object, which must be cut again at the gutter.
@pytest.fixture(scope="module", params=[False, True], ids=["run-by-run", "one-TJ-a-line"])
def document(request: pytest.FixtureRequest) -> Extracted:
    return extract_bytes(_document(request.param), ".pdf")


def test_both_ways_of_drawing_give_the_same_text() -> None:
    assert extract_bytes(_document(True), ".pdf") == extract_bytes(_document(False), ".pdf")


def _page_of(result: Extracted, sentence: str) -> int:
    return bisect_right(result.page_starts, result.text.index(sentence))


def _paragraphs(result: Extracted) -> list[str]:
    return result.text.rstrip("\n").split("\n\n")


# -- the whole document -------------------------------------------------------------------------------

def test_interface_and_markdown_shape(document: Extracted) -> None:
    assert EXTRACTED_SUFFIXES == (".pdf", ".html", ".htm", ".docx")
    assert document.pages == 6 and len(document.page_starts) == 6
    assert document.page_starts[0] == 0
    assert list(document.page_starts) == sorted(document.page_starts)
    assert "\r" not in document.text and "\n\n\n" not in document.text
    assert document.text.endswith("\n") and not document.text.endswith("\n\n")


def test_running_header_and_page_numbers_are_removed(document: Extracted) -> None:
    assert HEADER not in document.text
    for number in range(1, 7):
        assert f"- {number} -" not in document.text
    assert all(not paragraph.strip("- ").isdigit() for paragraph in _paragraphs(document))


def test_hyphenation_at_line_ends(document: Extracted) -> None:
    assert "labour migration towards high-income countries" in document.text
    assert "by the UN-DESA office" in document.text
    assert "migra-" not in document.text and "migra tion" not in document.text


def test_paragraph_continues_across_the_page_break(document: Extracted) -> None:
    paragraph = next(p for p in _paragraphs(document) if p.startswith("Remittances sent"))
    assert paragraph.endswith("towards productive investment.")
    assert "participants agreed that the¹ countries of origin" in paragraph
    assert _page_of(document, "Remittances sent") == 2
    assert _page_of(document, "countries of origin should") == 3
    assert document.page_starts[2] == document.text.index("countries of origin should")


def test_footnote_is_kept_apart_after_the_paragraph_it_interrupted(document: Extracted) -> None:
    paragraphs = _paragraphs(document)
    note = next(i for i, p in enumerate(paragraphs) if NOTE in p)
    assert paragraphs[note] == "¹ " + NOTE
    assert paragraphs[note - 1].endswith("towards productive investment.")


def test_indented_first_line_starts_a_paragraph(document: Extracted) -> None:
    paragraph = "A new paragraph, with a first line indented, begins on the third page and ends there."
    assert paragraph in _paragraphs(document)


def test_headings_from_font_size(document: Extracted) -> None:
    assert "\n# FIFTH COORDINATION MEETING ON INTERNATIONAL MIGRATION\n" in document.text
    assert "\n## Recent trends in international migration\n" in document.text
    assert "\n## Activities of the Institute\n" in document.text


def test_two_columns_are_read_left_then_right(document: Extracted) -> None:
    paragraphs = _paragraphs(document)
    assert LEFT_TEXT in paragraphs and RIGHT_TEXT in paragraphs
    heading = paragraphs.index("## Activities of the Institute")
    assert heading < paragraphs.index(LEFT_TEXT) < paragraphs.index(RIGHT_TEXT)
    assert _page_of(document, LEFT_TEXT) == _page_of(document, RIGHT_TEXT) == 4


def test_page_without_text_layer_is_a_warning(document: Extracted) -> None:
    assert any("page 5 has no text layer" in warning for warning in document.warnings)
    assert document.page_starts[4] == document.page_starts[5] == document.text.index(LAST)
    assert _page_of(document, LAST) == 6


def test_every_sentence_maps_to_its_page(document: Extracted) -> None:
    for sentence, page in [("UN/POP/MIG-5CM/2006/01", 1), ("FIFTH COORDINATION", 1), ("labour migration", 1),
                           ("UN-DESA office", 1), ("Remittances are the most", 2), ("A new paragraph", 3),
                           ("Activities of the Institute", 4), (LAST, 6)]:
        assert _page_of(document, sentence) == page, sentence


def test_title_page_gives_the_meeting_dates_and_symbol(document: Extracted) -> None:
    for text in (document.text, cleaning.clean(document.text).text):
        meta = metadata.extract(text, "fallback")
        assert meta.meeting is not None
        assert (meta.meeting.number, meta.meeting.start_date, meta.meeting.end_date) == (
            5, date(2006, 11, 15), date(2006, 11, 16))
        assert meta.symbol == "UN/POP/MIG-5CM/2006/01"
        assert meta.doc_date == date(2006, 11, 10)


def test_extract_reads_a_file_by_its_suffix_in_any_case(tmp_path: Path) -> None:
    path = tmp_path / "paper.PDF"
    path.write_bytes(make_pdf([[TextRun(72, 700, LAST)]]))
    result = extract(path)
    assert result.text == LAST + "\n" and result.page_starts == (0,) and result.pages == 1


# -- files that cannot be read ------------------------------------------------------------------------

def test_all_image_pdf_asks_for_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([[ImageBox(50, 50, 500, 700)], [ImageBox(50, 50, 500, 700)]]))
    with pytest.raises(ExtractionError, match=r"^scan\.pdf has no text layer .*ocrmypdf"):
        extract(path)


@pytest.mark.parametrize("data", [b"", b"hello, world", b"%PDF-1.4\n garbage \x00\xff" * 10,
                                  make_pdf([[TextRun(72, 700, LAST)]])[:300]])
def test_broken_bytes_are_an_extraction_error(data: bytes) -> None:
    with pytest.raises(ExtractionError) as raised:
        extract_bytes(data, ".pdf")
    assert isinstance(raised.value, UserError)
    assert "\n" not in str(raised.value)


def test_missing_file_is_an_extraction_error(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError, match="cannot be read"):
        extract(tmp_path / "gone.pdf")


def test_unknown_suffix_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError, match="not a PDF, HTML or Word"):
        extract_bytes(b"text", ".odt")


def _encrypted(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([[TextRun(72, 700, LAST)]]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError, match="password"):
        extract_bytes(_encrypted("secret"), ".pdf")


def test_pdf_encrypted_with_an_empty_password_is_read() -> None:
    assert extract_bytes(_encrypted(""), ".pdf").text == LAST + "\n"


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_damaged_pdf_never_raises_anything_but_an_extraction_error(data: st.DataObject) -> None:
    original = bytearray(_small_pdf())
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    try:
        result = extract_bytes(bytes(original), ".pdf")
    except ExtractionError:
        return
    assert len(result.page_starts) == result.pages
    assert list(result.page_starts) == sorted(result.page_starts)


def _small_pdf() -> bytes:
    runs, _ = wrap(TRENDS + " " + LAST, 72, 700, 300)
    return make_pdf([runs, [TextRun(72, 700, "Second page.", 14, bold=True)]])


# -- lines from runs (core.extraction.lines) -----------------------------------------------------------

def _run(x: float, y: float, text: str, size: float = 10, order: int = 0) -> Run:
    return Run(x, y, helvetica_width(text) * size / 1000, size, text, order=order)


def test_two_columns_from_runs_alone() -> None:
    runs = [_run(72, 780, "A title across the whole width of the page, as wide as both columns and more")]
    for row in range(8):
        runs += [_run(72, 740 - 12 * row, f"left column line {row} with a few more words"),
                 _run(310, 740 - 12 * row, f"right column line {row} with a few more words")]
    runs.append(_run(72, 620, "A footnote across the page, below both columns, ends their band of the page."))
    lines = page_lines(runs)
    assert [line.column for line in lines] == [FULL] + [LEFT] * 8 + [RIGHT] * 8 + [FULL]
    assert [line.text for line in lines[1:9]] == [f"left column line {row} with a few more words" for row in range(8)]


def test_short_cells_side_by_side_are_a_table_not_columns() -> None:
    runs = []
    for row in range(8):
        runs += [_run(72, 740 - 12 * row, f"name {row}"), _run(310, 740 - 12 * row, f"agency {row}")]
    assert [line.text for line in page_lines(runs)] == [f"name {row} agency {row}" for row in range(8)]


def test_contents_with_dot_leaders_are_not_columns() -> None:
    runs = []
    for row in range(8):
        runs += [_run(72, 740 - 12 * row, f"{row + 1}. Chapter"), _run(228 + row % 3, 740 - 12 * row, ". " * 40),
                 _run(500, 740 - 12 * row, str(row * 3 + 1))]
    assert all(line.column == FULL for line in page_lines(runs))


def test_raised_small_digits_are_a_note_mark() -> None:
    line = page_lines([_run(72, 700, "Changes", order=0), Run(107, 703.5, 3, 6, "2", order=1),
                       _run(112, 700, " were made.", order=2)])[0]
    assert line.text == "Changes² were made."


def test_runs_are_spaced_by_their_gap() -> None:
    def line(*runs: Run) -> str:
        return page_lines(list(runs))[0].text
    assert line(_run(72, 700, "Migra", order=1), _run(72 + helvetica_width("Migra") / 100, 700, "tion", order=2)) \
        == "Migration"
    assert line(_run(72, 700, "1.", order=1), _run(90, 700, "Workers", order=2)) == "1. Workers"
    assert line(_run(72, 700, "left", order=1), _run(200, 700, "right", order=9)) == "left right"
    assert line(_run(72, 700, "bold"), _run(72.4, 700, "bold")) == "bold"  # drawn twice: a fake bold


# -- blocks from lines (core.extraction.layout) ---------------------------------------------------------

def _line(text: str, y: float, x0: float = 72, size: float = 10, column: int = FULL, bold: bool = False,
          x1: float | None = None) -> Line:
    end = x1 if x1 is not None else x0 + helvetica_width(text) * size / 1000
    return Line(text, x0, end, y, size, bold, column)


def _text(*pages: tuple[Line, ...]) -> str:
    return assemble(blocks([PageText(lines, 842) for lines in pages]), len(pages))[0]


FULL_WIDTH = 523.0  # where justified lines end


@pytest.mark.parametrize("before, after, joined", [
    ("labour migra-", "tion towards", "labour migration towards"),
    ("by the UN-", "DESA office", "by the UN-DESA office"),
    ("from 1990-", "2005 the", "from 1990-2005 the"),
    ("from 1990–", "2005 the", "from 1990–2005 the"),
    ("migrants—", "emphasizing", "migrants—emphasizing"),
    ("Population Division/", "DESA", "Population Division/DESA"),
    ("a sentence.", "Another", "a sentence. Another"),
    ("an en dash -", "here", "an en dash - here"),
])
def test_join_lines(before: str, after: str, joined: str) -> None:
    text, at = join_lines(before, after)
    assert text == joined and text[at:] == after


def test_a_compound_the_document_writes_elsewhere_keeps_its_hyphen() -> None:
    assert join_lines("for the short-", "term", frozenset({"short-term"}))[0] == "for the short-term"
    assert join_lines("for the short-", "term")[0] == "for the shortterm"  # nothing says otherwise


@given(st.text(min_size=1), st.text(min_size=1), st.sets(st.text(max_size=12), max_size=3))
def test_dehyphenation_never_loses_a_letter(before: str, after: str, compounds: set[str]) -> None:
    text, at = join_lines(before, after, compounds)
    assert [c for c in text if c.isalnum()] == [c for c in before + after if c.isalnum()]
    assert text[at:] == after


@given(st.lists(st.tuples(st.text(max_size=30), st.lists(st.tuples(st.integers(0, 5), st.integers(0, 40)),
                                                          max_size=3)), max_size=8), st.integers(0, 6))
def test_page_starts_are_monotonic_and_within_the_text(raw: list[tuple[str, list[tuple[int, int]]]],
                                                       pages: int) -> None:
    parts = [Block(text, tuple((page, min(at, len(text))) for page, at in marks)) for text, marks in raw]
    text, starts = assemble(parts, pages)
    assert len(starts) == pages
    assert list(starts) == sorted(starts)
    assert all(0 <= start <= len(text) for start in starts)
    assert not starts or starts[0] == 0


@pytest.mark.parametrize("text, expected", [
    ("a sentence.", True), ("asked: ", True), ("“quoted.”", True), ("with a note.³", True),
    ("and the", False), ("UN-", False), ("", False),
])
def test_ends_sentence(text: str, expected: bool) -> None:
    assert ends_sentence(text) is expected


@pytest.mark.parametrize("number", ["4", "- 4 -", "– 4 –", "Page 4", "Page 4 of 12", "iv", "xii", "p. 4"])
def test_a_line_that_is_only_a_page_number_is_dropped(number: str) -> None:
    body = tuple(_line(f"Line {i} of a body that says something new each time.", 700 - 12 * i) for i in range(5))
    assert _text(body + (_line(number, 40, x0=290),)) == (
        " ".join(line.text for line in body) + "\n")


def test_repeated_header_is_dropped_but_not_a_repeated_paragraph_end() -> None:
    def page(number: int) -> tuple[Line, ...]:
        words = ["first", "second", "third"][number - 1]
        body = tuple(_line(f"The {words} page's line {i} of its body.", 700 - 12 * i) for i in range(5))
        # The same notice ends every page, but as part of its text, not set apart below it.
        notice = _line("All rights reserved.", 700 - 12 * 5)
        return (_line(f"Annual report {number + 2004}", 810),) + body + (notice, _line(f"Page {number} of 3", 30))
    pages = [PageText(page(n), 842) for n in (1, 2, 3)]
    assert furniture(pages, measure(pages)) == [{0, 7}, {0, 7}, {0, 7}]
    text = _text(*(p.lines for p in pages))
    assert "Annual report" not in text and "Page" not in text and text.count("All rights reserved.") == 3


def test_bullets_start_paragraphs() -> None:
    lines = (_line("• Remittances, which the", 700), _line("• Trafficking; and", 688), _line("• Security", 676))
    assert _text(lines) == "• Remittances, which the\n\n• Trafficking; and\n\n• Security\n"


def test_heading_on_two_lines_is_one_heading() -> None:
    lines = (_line("Migration and development:", 700, size=14), _line("the evidence", 683, size=14),
             _line("Some body text that is long enough to be the body, and more of it to be sure.", 650),
             _line("Some body text that is long enough to be the body, and more of it to be sure.", 638))
    assert _text(lines).startswith("# Migration and development: the evidence\n\nSome body")


def test_bold_line_of_body_size_is_a_heading() -> None:
    lines = (_line("Recent activities", 700, bold=True), _line("The body follows here, long enough to be it.", 680),
             _line("The body follows here, long enough to be it.", 668))
    assert _text(lines).startswith("## Recent activities\n\nThe body")


def test_paragraph_continues_from_the_left_column_into_the_right_one() -> None:
    left = tuple(_line(f"left line {i} of a paragraph that", 700 - 12 * i, column=LEFT, x1=290) for i in range(4))
    right = (_line("continues here in the right column.", 700, x0=310, column=RIGHT, x1=523),
             _line("A new one starts after a gap.", 676, x0=310, column=RIGHT))
    assert _text(left + right) == (" ".join(line.text for line in left) + " continues here in the right column."
                                   "\n\nA new one starts after a gap.\n")


def test_paragraph_ending_a_page_with_a_full_stop_does_not_continue() -> None:
    first = (_line("The first page ends with a sentence that runs to the edge of the line and stops.", 100,
                   x1=FULL_WIDTH),)
    second = (_line("The second page starts a paragraph of its own.", 760),)
    assert _text(first, second).count("\n\n") == 1


def test_page_break_after_a_full_line_continues_the_paragraph() -> None:
    first = (_line("The meeting was organized by the", 112, x1=FULL_WIDTH), _line("Population Division of the", 100,
                                                                                   x1=FULL_WIDTH))
    second = (_line("United Nations Secretariat in New York.", 760),)
    text, starts = assemble(blocks([PageText(first, 842), PageText(second, 842)]), 2)
    assert text == ("The meeting was organized by the Population Division of the United Nations Secretariat "
                    "in New York.\n")
    assert text[starts[1]:].startswith("United Nations")


def test_word_hyphenated_across_the_page_break_is_made_whole() -> None:
    first = (_line("participants stressed the need for better coordi-", 100, x1=FULL_WIDTH),)
    second = (_line("nation of activities among the agencies.", 760),)
    text, starts = assemble(blocks([PageText(first, 842), PageText(second, 842)]), 2)
    assert text == "participants stressed the need for better coordination of activities among the agencies.\n"
    assert text[starts[1]:].startswith("nation of activities")


def test_wrapped_date_line_stays_in_its_paragraph_but_a_title_page_date_stands_alone() -> None:
    lines = (_line("Population Division", 700, x0=230), _line("New York, 15-16 November 2006", 688, x0=215),
             _line("The Secretariat of the United Nations convened a meeting of experts in", 640, x1=FULL_WIDTH),
             _line("New York, 15-16 November 2006, on international migration statistics.", 628))
    assert _text(lines) == ("Population Division\n\nNew York, 15-16 November 2006\n\nThe Secretariat of the United "
                            "Nations convened a meeting of experts in New York, 15-16 November 2006, on international "
                            "migration statistics.\n")


def test_footnotes_are_small_numbered_lines_below_the_body() -> None:
    body = tuple(_line(f"Body line {i} of the page, which is long enough.", 700 - 12 * i) for i in range(3))
    notes = (_line("1 The first note, which runs over", 90, size=8), _line("two lines.", 80, size=8),
             _line("2 The second note.", 70, size=8))
    assert _text(body + notes) == (" ".join(line.text for line in body) + "\n\n¹ The first note, which runs over "
                                   "two lines.\n\n² The second note.\n")
