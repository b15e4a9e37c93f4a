"""Text out of a PDF with PDFium: every glyph where it is drawn, in its size and weight, then laid out.

`glyphs` turns each page's glyphs into runs of text; `lines` and `layout` rebuild lines, columns and
paragraphs from them. PDFium is chosen for the glyphs on evidence (see the commit that brought it):
it places glyphs exactly for every font type, reads damaged and AES-encrypted files, and is several
times faster on the files real producers write than following the text state beside pypdf was.
Whatever a damaged or hostile file makes PDFium do, the user gets an `ExtractionError` sentence or a
warning, never a traceback.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from migarchive.core.extraction import layout
from migarchive.core.extraction.glyphs import Fonts, page_runs
from migarchive.core.extraction.lines import page_lines
from migarchive.core.extraction.markdown import assemble
from migarchive.core.extraction.result import Extracted, ExtractionError
from migarchive.core.isolation import checkpoint

# Far beyond any meeting document (the longest real report has ~100 pages); checked before a page
# is read, so that a small file listing one page thousands of times costs nothing.
MAX_PAGES = 5000
# PDFium may not be called from two threads at once, not even for two documents.
_PDFIUM = threading.Lock()
_UNPROTECTED = "; save an unprotected copy (e.g. print it to PDF) and add that"


def extract_pdf(data: bytes, subject: str) -> Extracted:
    """`subject` names the file in messages: "report.pdf", or "This PDF"."""
    if b"%PDF" not in data[:1024]:  # where PDF readers look for the header
        raise ExtractionError(f"{subject} is not a PDF file (it does not start with %PDF)")
    pages: list[layout.PageText] = []
    textless: list[int] = []
    unreadable: list[int] = []
    with _document(data, subject) as document:
        count = len(document)
        if count <= 0:
            raise ExtractionError(f"{subject} has no pages")
        if count > MAX_PAGES:
            raise ExtractionError(f"{subject} has {count:,} pages; the limit for one document is {MAX_PAGES:,}")
        fonts = Fonts()
        for number in range(1, count + 1):
            checkpoint()
            try:
                runs, height, graphics = _read_page(document, number - 1, fonts)
            except MemoryError:
                raise
            except Exception:  # noqa: BLE001 - a damaged page, whatever PDFium made of it
                unreadable.append(number)
                pages.append(layout.PageText((), 0.0))
                continue
            lines = page_lines(runs)
            pages.append(layout.PageText(tuple(lines), height))
            if not lines and graphics:
                textless.append(number)
    if not any(page.lines for page in pages):
        if unreadable and not textless:
            raise ExtractionError(f"{subject} is damaged: none of its pages could be read")
        raise ExtractionError(f"{subject} has no text layer (a scanned PDF?); run it through OCR, "
                              "e.g. ocrmypdf, and add the result")
    text, starts = assemble(layout.blocks(pages), len(pages))
    warnings = []
    if textless:
        warnings.append(
            f"page {textless[0]} has no text layer (a scanned page?), so its text is missing" if len(textless) == 1
            else f"pages {_numbers(textless)} have no text layer (scanned pages?), so their text is missing")
        warnings[-1] += "; run the PDF through OCR, e.g. ocrmypdf, to include it"
    if unreadable:
        warnings.append(f"page {unreadable[0]} is damaged and could not be read" if len(unreadable) == 1
                        else f"pages {_numbers(unreadable)} are damaged and could not be read")
    return Extracted(text, starts, len(pages), tuple(warnings))


@contextmanager
def _document(data: bytes, subject: str) -> Iterator[Any]:
    """The open document, PDFium held for this thread until it is closed."""
    with _PDFIUM:
        try:
            # An empty password opens a file encrypted for its owner only, as viewers do.
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise _open_error(exc, subject) from exc
        try:
            yield document
        finally:
            document.close()


def _open_error(exc: pdfium.PdfiumError, subject: str) -> ExtractionError:
    code = exc.err_code
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return ExtractionError(f"{subject} is protected by a password{_UNPROTECTED}")
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return ExtractionError(f"{subject} is encrypted in a way that cannot be read{_UNPROTECTED}")
    return ExtractionError(f"{subject} is damaged or not a PDF ({_reason(exc)})")


def _read_page(document: Any, index: int, fonts: Fonts) -> tuple[list[Any], float, bool]:
    """The page's runs, its height, and whether it draws an image or a form (a scan has no text)."""
    page = document[index]
    try:
        left, bottom, right, top = _box(page.raw)
        text_page = pdfium_c.FPDFText_LoadPage(page.raw)
        if not text_page:
            raise ValueError("PDFium could not read the page's text")
        try:
            runs = page_runs(text_page, left, bottom, top, fonts)
        finally:
            pdfium_c.FPDFText_ClosePage(text_page)
        return runs, top - bottom, not runs and _draws_graphics(page.raw)
    finally:
        page.close()


def _box(page: Any) -> tuple[float, float, float, float]:
    """What a viewer shows: the crop box, the media box when the page sets no other."""
    edges = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(edge) for edge in edges]
    if not pdfium_c.FPDFPage_GetCropBox(page, *refs) and not pdfium_c.FPDFPage_GetMediaBox(page, *refs):
        return 0.0, 0.0, pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
    left, bottom, right, top = (edge.value for edge in edges)
    return min(left, right), min(bottom, top), max(left, right), max(bottom, top)


def _draws_graphics(page: Any) -> bool:
    kinds = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM)
    return any(pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page, i)) in kinds
               for i in range(pdfium_c.FPDFPage_CountObjects(page)))


def _numbers(pages: list[int]) -> str:
    return ", ".join(str(n) for n in pages[:20]) + (" …" if len(pages) > 20 else "")


def _reason(exc: Exception) -> str:
    message = " ".join(str(exc).split())
    return message[:120] if message else type(exc).__name__
