"""HTML text extraction (core.extraction.html)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from migarchive.core import cleaning, metadata
from migarchive.core.extraction import Extracted, extract, extract_bytes


def _html(body: str, head: str = "<title>Page title</title>") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def test_headings_paragraphs_and_lists() -> None:
    result = extract_bytes(_html(
        "<h1>Fifth  Coordination Meeting</h1><p>First   paragraph,\n spread over\tlines.</p>"
        "<h3>A <em>sub</em>section</h3><div>A div is a paragraph.<br>So is what follows a break.</div>"
        "<ul><li>one</li><li><p>two</p></li></ul><ol><li>three</li></ol>"), ".html")
    assert result == Extracted(
        "# Fifth Coordination Meeting\n\nFirst paragraph, spread over lines.\n\n### A subsection\n\n"
        "A div is a paragraph.\n\nSo is what follows a break.\n\n- one\n\n- two\n\n- three\n", (), 0)


def test_line_break_in_a_heading_or_list_item_is_a_space() -> None:
    result = extract_bytes(_html("<h1>Fifth Coordination Meeting<br/>on International Migration</h1>"
                                 "<ul><li>one<br>line</li></ul><p>a<br>b</p>"), ".html")
    assert result.text == "# Fifth Coordination Meeting on International Migration\n\n- one line\n\na\n\nb\n"


def test_title_is_the_heading_only_without_h1() -> None:
    assert extract_bytes(_html("<h2>Part</h2><p>Text.</p>"), ".html").text == "# Page title\n\n## Part\n\nText.\n"
    assert extract_bytes(_html("<h1>Own</h1>"), ".htm").text == "# Own\n"


def test_hidden_content_and_comments_are_dropped() -> None:
    result = extract_bytes(_html(
        "<nav><a href='/'>Home</a> | <a>Menu</a></nav><script>var x = '<p>not text</p>';</script>"
        "<style>p { color: red }</style><noscript>Enable JavaScript</noscript><!-- a comment -->"
        "<p>Visible.</p><svg><text>drawing</text></svg><template><p>later</p></template>",
        head="<title>T</title><meta charset='utf-8'><style>x</style><script>y</script>"), ".html")
    assert result.text == "# T\n\nVisible.\n"


def test_tables_become_tab_separated_rows() -> None:
    result = extract_bytes(_html(
        "<p>Before.</p><table><tr><th>Agency</th><th>Papers</th></tr>"
        "<tr><td><p>IOM</p><p>Geneva</p></td><td>3</td></tr><tr><td></td><td></td></tr>"
        "<tr><td>UNHCR<table><tr><td>inner</td><td>cells</td></tr></table></td><td>2</td></tr></table><p>After.</p>"),
        ".html")
    assert result.text == "# Page title\n\nBefore.\n\nAgency\tPapers\nIOM Geneva\t3\nUNHCR inner cells\t2\n\nAfter.\n"


def test_entities_are_decoded_and_whitespace_collapsed() -> None:
    result = extract_bytes(_html("<p>R&eacute;sum&eacute; &amp; caf&#233; &lt;b&gt;&nbsp;end &#x2014; ok</p>"), ".html")
    assert result.text == "# Page title\n\nRésumé & café <b> end — ok\n"


def test_markup_in_text_is_never_interpreted() -> None:
    assert "<script>" in extract_bytes(_html("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"), ".html").text


@pytest.mark.parametrize("data, expected", [
    (b"<meta charset='windows-1252'><p>caf\xe9 \x96 ok</p>", "café – ok"),
    (b"<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-1'><p>caf\xe9 \x93q\x94</p>",
     "café “q”"),  # a page declared Latin-1 is read as Windows-1252, as browsers do
    (b"\xef\xbb\xbf<p>caf\xc3\xa9</p>", "café"),
    ("\ufeff<p>café</p>".encode("utf-16-le"), "café"),
    ("<p>café</p>".encode(), "café"),
    (b"<meta charset='no-such-encoding'><p>caf\xc3\xa9</p>", "café"),
])
def test_encodings(data: bytes, expected: str) -> None:
    result = extract_bytes(data, ".html")
    assert result.text == expected + "\n" and result.warnings == ()


def test_invalid_utf8_without_declaration_is_replaced_with_a_warning() -> None:
    result = extract_bytes(b"<p>caf\xe9 au lait</p>", ".html")
    assert result.text == "caf\ufffd au lait\n"
    assert result.warnings and "not valid UTF-8" in result.warnings[0]


def test_unclosed_head_and_paragraphs() -> None:
    result = extract_bytes(b"<html><head><title>T</title><body><p>one<p>two<h2>three</h2>four", ".html")
    assert result.text == "# T\n\none\n\ntwo\n\n## three\n\nfour\n"


def test_extract_reads_a_file_by_its_suffix(tmp_path: Path) -> None:
    path = tmp_path / "paper.HTM"
    path.write_bytes(_html("<h1>Paper</h1><p>Text.</p>"))
    assert extract(path) == Extracted("# Paper\n\nText.\n", (), 0)


def test_empty_page() -> None:
    assert extract_bytes(b"", ".html") == Extracted("", (), 0)


def test_meeting_metadata_from_an_html_paper() -> None:
    result = extract_bytes(_html(
        "<p>UN/POP/MIG-5CM/2006/01</p><p>10 November 2006</p><h1>FIFTH COORDINATION MEETING ON INTERNATIONAL "
        "MIGRATION</h1><p>Population Division<br>New York, 15-16 November 2006</p><h2>International migration "
        "statistics</h2><p>The participants reviewed recent activities of the organizations of the United Nations "
        "system in the field of international migration and agreed to meet again next year.</p>"), ".html")
    meta = metadata.extract(cleaning.clean(result.text).text, "fallback")
    assert meta.meeting is not None
    assert (meta.meeting.number, meta.meeting.start_date) == (5, date(2006, 11, 15))
    assert meta.symbol == "UN/POP/MIG-5CM/2006/01"


@given(st.text())
def test_any_text_gives_well_formed_markdown(body: str) -> None:
    result = extract_bytes(body.encode("utf-8", errors="surrogatepass"), ".html")
    assert "\r" not in result.text and "\n\n\n" not in result.text
    assert result.text == "" or (result.text.endswith("\n") and not result.text.endswith("\n\n"))
