"""Small documents to add, made at test time: a two-page PDF of a contributed paper, an HTML page."""

from __future__ import annotations

from pathlib import Path

from pdfmaker import ImageBox, TextRun, make_pdf, wrap

PARAGRAPH = ("Remittances sent by migrant workers through formal channels rose sharply in the region, and the "
             "xylophage survey of households found that they financed schooling and small enterprises.")
SECOND = ("The Organization will continue to support the Global Migration Group and to report on the "
          "quasquicentennial programme of work at the next coordination meeting.")


def paper_pdf(path: Path) -> Path:
    """A paper for the Fifth Coordination Meeting: the survey on page 1, the programme on page 2."""
    page1 = [TextRun(72, 780, "UN/POP/MIG-5CM/2006/07", 9),
             TextRun(72, 760, "FIFTH COORDINATION MEETING ON INTERNATIONAL MIGRATION", 11, bold=True),
             TextRun(72, 744, "New York, 25-26 October 2006", 10),
             TextRun(72, 710, "REMITTANCES AND HOUSEHOLDS", 16, bold=True)]
    runs, _ = wrap(PARAGRAPH, 72, 680, 450)
    page1 += runs
    page2, _ = wrap(SECOND, 72, 780, 450)
    path.write_bytes(make_pdf([page1, page2]))
    return path


def scanned_pdf(path: Path) -> Path:
    path.write_bytes(make_pdf([[ImageBox(72, 500, 400, 300)]]))
    return path


def web_page(path: Path) -> Path:
    path.write_text("<html><head><title>Notes</title><script>var x = 'scriptword';</script></head><body>"
                    "<h1>Circular migration</h1><p>A note on xylotomous circular migration schemes.</p>"
                    "</body></html>", encoding="utf-8")
    return path
