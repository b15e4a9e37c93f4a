"""Word (.docx) text extraction (core.extraction.docx), on documents zipped at test time."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from migarchive.core import cleaning, metadata
from migarchive.core.extraction import Extracted, ExtractionError, extract_bytes

_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')


def _docx(body: str, styles: str | None = None, footnotes: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", f'<?xml version="1.0"?><w:document {_NS}><w:body>{body}'
                                              "<w:sectPr/></w:body></w:document>")
        if styles is not None:
            archive.writestr("word/styles.xml", f'<?xml version="1.0"?><w:styles {_NS}>{styles}</w:styles>')
        if footnotes is not None:
            archive.writestr("word/footnotes.xml", f'<?xml version="1.0"?><w:footnotes {_NS}>{footnotes}</w:footnotes>')
    return out.getvalue()


def _p(*runs: str, style: str | None = None) -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{properties}{''.join(runs)}</w:p>"


def _r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


_STYLES = ('<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/></w:style>'
           '<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>')


def test_paragraphs_headings_tabs_and_breaks() -> None:
    result = extract_bytes(_docx(
        _p(_r("Labour migration"), style="Title")
        + _p(_r("Introduction"), style="Heading1")
        + _p(_r("Two "), _r("runs,  "), "<w:r><w:tab/></w:r>", _r("a tab"), "<w:r><w:br/></w:r>",
             _r("and a line break."))
        + _p(_r("Styled by name"), style="berschrift2")
        + _p(_r("Page"), '<w:r><w:br w:type="page"/></w:r>', _r("break"))
        + _p() + _p(_r("   ")), styles=_STYLES), ".docx")
    assert result == Extracted("# Labour migration\n\n# Introduction\n\nTwo runs,\ta tab\nand a line break.\n\n"
                               "## Styled by name\n\nPage break\n", (), 0)


def test_outline_level_makes_a_heading() -> None:
    body = '<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr>' + _r("Level three") + "</w:p>"
    assert extract_bytes(_docx(body), ".docx").text == "### Level three\n"


def test_tables_become_tab_separated_rows() -> None:
    cell = "<w:tc>{}</w:tc>"
    table = ("<w:tbl><w:tr>" + cell.format(_p(_r("Agency"))) + cell.format(_p(_r("Papers"))) + "</w:tr>"
             "<w:tr>" + cell.format(_p(_r("IOM")) + _p(_r("Geneva"))) + cell.format(_p(_r("3"))) + "</w:tr>"
             "<w:tr>" + cell.format(_p()) + cell.format(_p()) + "</w:tr></w:tbl>")
    result = extract_bytes(_docx(_p(_r("Before.")) + table + _p(_r("After."))), ".docx")
    assert result.text == "Before.\n\nAgency\tPapers\nIOM Geneva\t3\n\nAfter.\n"


def test_footnotes_are_gathered_at_the_end() -> None:
    notes = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
             '</w:p></w:footnote>'
             '<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r>' + _r(" Second, by its place.")
             + "</w:p></w:footnote>"
             '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>' + _r(" Report of the Secretary-General,")
             + "</w:p><w:p>" + _r("A/60/871.") + "</w:p></w:footnote>")
    body = _p(_r("Remittances grew"), '<w:r><w:footnoteReference w:id="2"/></w:r>', _r(" and so did"),
              '<w:r><w:footnoteReference w:id="1"/></w:r>', _r(" migration."))
    result = extract_bytes(_docx(body, footnotes=notes), ".docx")
    assert result.text == ("Remittances grew¹ and so did² migration.\n\n## Notes\n\n¹ Second, by its place.\n\n"
                           "² Report of the Secretary-General, A/60/871.\n")


def test_hidden_copies_deleted_text_and_field_codes_are_left_out() -> None:
    body = _p(
        _r("Kept"),
        '<w:del><w:r><w:delText>deleted</w:delText></w:r></w:del>',
        '<w:r><w:instrText> PAGE </w:instrText></w:r>',
        '<w:ins>' + _r(" inserted") + '</w:ins>',
        '<w:hyperlink>' + _r(" linked") + '</w:hyperlink>',
        '<w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent>' + _p(_r("box")) +
        '</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict>' + _p(_r("box")) +
        '</w:pict></mc:Fallback></mc:AlternateContent></w:r>',
    )
    sdt = "<w:sdt><w:sdtPr/><w:sdtContent>" + _p(_r("In a content control.")) + "</w:sdtContent></w:sdt>"
    assert extract_bytes(_docx(body + sdt), ".docx").text == "Kept inserted linked\nbox\n\nIn a content control.\n"


def test_meeting_metadata_from_a_word_paper() -> None:
    body = (_p(_r("UN/POP/MIG-5CM/2006/01")) + _p(_r("10 November 2006"))
            + _p(_r("FIFTH COORDINATION MEETING ON INTERNATIONAL MIGRATION"), style="Title")
            + _p(_r("Population Division")) + _p(_r("New York, 15-16 November 2006"))
            + _p(_r("The participants reviewed recent activities of the organizations of the United Nations system "
                    "in the field of international migration and agreed to meet again next year.")))
    meta = metadata.extract(cleaning.clean(extract_bytes(_docx(body), ".docx").text).text, "fallback")
    assert meta.meeting is not None
    assert (meta.meeting.number, meta.meeting.start_date, meta.meeting.end_date) == (
        5, date(2006, 11, 15), date(2006, 11, 16))
    assert meta.symbol == "UN/POP/MIG-5CM/2006/01" and meta.doc_date == date(2006, 11, 10)


def test_not_a_zip_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError, match=r"not a Word \.docx file.*not a zip archive"):
        extract_bytes(b"\xd0\xcf\x11\xe0 an old .doc", ".docx")


def test_zip_without_document_is_an_extraction_error() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("content.xml", "<office/>")
    with pytest.raises(ExtractionError, match="no word/document.xml"):
        extract_bytes(out.getvalue(), ".DOCX")


def test_malformed_xml_is_an_extraction_error() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><unclosed>")
    with pytest.raises(ExtractionError, match="damaged"):
        extract_bytes(out.getvalue(), ".docx")


def test_truncated_zip_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError):
        extract_bytes(_docx(_p(_r("text")))[:-30], ".docx")


def test_empty_document() -> None:
    assert extract_bytes(_docx(""), ".docx") == Extracted("", (), 0)
