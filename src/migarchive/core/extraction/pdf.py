"""Text out of a PDF with pypdf: every piece of text with its position, size and weight, then laid out.

pypdf's visitor reports each run of text with the text and transformation matrices at its start, its
font and font size; `lines` and `layout` rebuild lines, columns and paragraphs from that. Whatever a
damaged or hostile file makes pypdf do, the user gets an `ExtractionError` sentence or a warning,
never a traceback.
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Callable
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from migarchive.core.extraction import layout
from migarchive.core.extraction.fonts import FontMetrics, metrics
from migarchive.core.extraction.lines import Run, page_lines
from migarchive.core.extraction.markdown import assemble
from migarchive.core.extraction.result import Extracted, ExtractionError
from migarchive.core.extraction.textstate import TextState, multiply, split_at_gaps

# pypdf reports the repairs it makes to odd files on its logger. Without a handler anywhere, Python
# would print them on stderr; with this one they reach only an application that configures logging.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

_Visit = tuple[Any, tuple[float, ...], Any, Any]  # text, text-to-page matrix at its start, font, font size


def extract_pdf(data: bytes, subject: str) -> Extracted:
    """`subject` names the file in messages: "report.pdf", or "This PDF"."""
    reader = _open(data, subject)
    pages: list[layout.PageText] = []
    textless: list[int] = []
    unreadable: list[int] = []
    for number, page in enumerate(_pages(reader, subject), start=1):
        try:
            visits, box, graphics = _read_page(page)
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001 - a damaged page, whatever pypdf raised for it
            unreadable.append(number)
            pages.append(layout.PageText((), 0.0))
            continue
        lines = page_lines(_runs(visits, box))
        pages.append(layout.PageText(tuple(lines), box[3] - box[1]))
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


def _open(data: bytes, subject: str) -> PdfReader:
    if b"%PDF" not in data[:1024]:  # where pypdf, like other readers, looks for the header
        raise ExtractionError(f"{subject} is not a PDF file (it does not start with %PDF)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf's reaction to a broken file is not ours to predict
        raise ExtractionError(f"{subject} is damaged or not a PDF ({_reason(exc)})") from exc
    if encrypted:
        _decrypt(reader, subject)
    return reader


def _decrypt(reader: PdfReader, subject: str) -> None:
    """Open a PDF encrypted with an empty user password, as viewers do; refuse one that needs a password."""
    unprotected = "; save an unprotected copy (e.g. print it to PDF) and add that"
    try:
        opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except DependencyError as exc:
        raise ExtractionError(f"{subject} is encrypted with AES, which needs the Python package "
                              f"'cryptography' to read{unprotected}") from exc
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - an encryption pypdf does not know, or a damaged one
        raise ExtractionError(f"{subject} is encrypted in a way that cannot be read ({_reason(exc)})"
                              f"{unprotected}") from exc
    if not opened:
        raise ExtractionError(f"{subject} is protected by a password{unprotected}")


# Far beyond any meeting document (the longest real report has ~100 pages); checked before a page
# is read, so that a small file listing one page thousands of times costs nothing.
MAX_PAGES = 5000


def _pages(reader: PdfReader, subject: str) -> list[Any]:
    try:
        pages = list(reader.pages)
        if len(pages) > MAX_PAGES:
            raise ExtractionError(f"{subject} has {len(pages):,} pages; the limit for one document is {MAX_PAGES:,}")
    except (MemoryError, ExtractionError):
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged page tree
        raise ExtractionError(f"{subject} is damaged: its list of pages cannot be read ({_reason(exc)})") from exc
    if not pages:
        raise ExtractionError(f"{subject} has no pages")
    return pages


def _read_page(page: Any) -> tuple[list[_Visit], tuple[float, float, float, float], bool]:
    """pypdf's text runs on the page (kept as reported), its media box, and whether it draws anything else."""
    visits: list[_Visit] = []
    state = TextState(_font_lookup(page))

    def visit(text: Any, cm: Any, tm: Any, font: Any, size: Any) -> None:
        start = state.take_start()
        if start is None and len(cm) == 6 and len(tm) == 6:
            start = multiply(tm, cm)
        if start is not None:
            visits.append((text, start, font, size))

    # Text turned sideways (stamps, margin notes) is left out: only upright text makes lines.
    page.extract_text(visitor_operand_before=state.before, visitor_text=visit, orientations=(0,))
    box = page.cropbox  # what a viewer shows; the media box when the page sets no other
    return visits, (float(box.left), float(box.bottom), float(box.right), float(box.top)), _draws_graphics(page)


def _font_lookup(page: Any) -> Callable[[Any], FontMetrics]:
    """A font resource name → its metrics, for the fonts of the page (forms' own fonts are not known)."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    fonts = resources.get("/Font") if resources is not None else None
    fonts = fonts.get_object() if fonts is not None else None
    found: dict[Any, FontMetrics] = {}

    def lookup(name: Any) -> FontMetrics:
        if name not in found:
            font = fonts.get(name) if fonts is not None and hasattr(fonts, "get") else None
            found[name] = _metrics(font.get_object() if font is not None else None)
        return found[name]

    return lookup


def _draws_graphics(page: Any) -> bool:
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    if resources is not None and resources.get("/XObject"):
        return True
    contents = page.get_contents()
    return contents is not None and b"BI" in contents.get_data()


def _runs(visits: list[_Visit], box: tuple[float, float, float, float]) -> list[Run]:
    runs: list[Run] = []
    fonts: dict[int, FontMetrics] = {}
    order = 0
    for text, matrix, font, size in visits:
        if not isinstance(text, str) or not text.strip():
            continue
        a, b, c, d, e, f = matrix
        scale = math.hypot(c, d)
        try:
            effective = float(size) * scale
        except (TypeError, ValueError):
            continue
        if effective <= 0.5:
            continue
        key = id(font)
        if key not in fonts:
            fonts[key] = _metrics(font)
        if not box[1] - 0.7 * effective < f < box[3] + 0.2 * effective:
            continue  # drawn off the page, as some writers do with the line a page break cut
        for index, (x, piece) in enumerate(split_at_gaps(text, e)):
            # Pieces a wide gap kept apart are no neighbours in the stream: their spacing is measured.
            order += 1 if index == 0 else 2
            if piece.strip():
                width = fonts[key].width(piece.strip()) * float(size) * math.hypot(a, b) / 1000
                runs.append(Run(x - box[0], f - box[1], width, round(effective, 1), piece, fonts[key].bold, order))
    return runs


def _metrics(font: Any) -> FontMetrics:
    try:
        return metrics(font)
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - a damaged font dictionary: measure the text as Helvetica
        return FontMetrics()


def _numbers(pages: list[int]) -> str:
    return ", ".join(str(n) for n in pages[:20]) + (" …" if len(pages) > 20 else "")


def _reason(exc: Exception) -> str:
    message = " ".join(str(exc).split())
    return message[:120] if message else type(exc).__name__
