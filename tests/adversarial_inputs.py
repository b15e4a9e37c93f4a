"""Generated inputs that once made one stage of indexing super-linear, recursive or unbounded.

Each `Input` makes a document of about `size` bytes (or, for the nesting and bomb inputs, of a
depth or an inflated size that grows with it), so the same input can be run at two sizes and the
growth compared: `benchmarks/adversarial.py` prints the figures, `tests/reliability/test_linear.py`
holds them to linear growth.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@dataclass(frozen=True)
class Input:
    size: int  # N, in bytes of text (or nesting depth, for the nesting inputs)
    make: Callable[[int], tuple[bytes, str]]  # size -> (file content, suffix)
    why: str


def _repeat(unit: str, suffix: str = ".txt", head: str = "", tail: str = "") -> Callable[[int], tuple[bytes, str]]:
    return lambda size: ((head + unit * max(1, size // len(unit)) + tail).encode("utf-8"), suffix)


def _blocks(block: str) -> Callable[[int], tuple[bytes, str]]:
    return lambda size: ("\n\n".join([block] * max(1, size // (len(block) + 2))).encode("utf-8"), ".txt")


def _acronym_definitions(size: int) -> tuple[bytes, str]:
    parts, i = [], 0
    while sum(map(len, parts)) < size:
        parts.append(f"the Alpha Beta Gamma Delta {i} (ABGD{i}) and ")
        i += 1
    return "".join(parts).encode("utf-8"), ".txt"


def _tab_table(size: int) -> tuple[bytes, str]:
    row = "\t".join(["Migrants", "12,400", "2003", "IOM", "Geneva"]) + "\n"
    return (row * max(1, size // len(row))).encode("utf-8"), ".txt"


def _docx(body: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml",
                         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml",
                         '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                         f"<w:body>{body}</w:body></w:document>")
    return buffer.getvalue()


def nested_docx(depth: int) -> tuple[bytes, str]:
    return _docx("<w:p>" + "<w:r>" * depth + "<w:t>xylonested</w:t>" + "</w:r>" * depth + "</w:p>"), ".docx"


def inflating_docx(size: int) -> tuple[bytes, str]:
    """A small file whose document part inflates to `size` bytes of XML."""
    run = "<w:r><w:t>" + "a" * 1000 + "</w:t></w:r>"
    return _docx("<w:p>" + run * max(1, size // len(run)) + "</w:p>"), ".docx"


def nested_html(depth: int) -> tuple[bytes, str]:
    return ("<html><body>" + "<div>" * depth + "<p>xylonested</p>" + "</div>" * depth + "</body></html>").encode(), ".html"


def many_page_pdf(pages: int) -> tuple[bytes, str]:
    """A tiny PDF whose page tree lists `pages` references to one empty page."""
    kids = " ".join("3 0 R" for _ in range(pages))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue(), ".pdf"


INPUTS: dict[str, Input] = {
    "director-of": Input(60_000, _repeat("Director of ", ".md", tail="Migration Office\n"), "name finder recursion"),
    "office-and": Input(60_000, _repeat("AlphaX Office and "), "name finder recursion"),
    "x-office-and": Input(60_000, _repeat("X Office and "), "name finder hang"),
    "heading-spaces": Input(20_000, _repeat(" ", ".md", head="# a", tail="x"), "cubic heading pattern"),
    "tj-operators": Input(120_000, _repeat("Tj 12 "), "debris scan per token"),
    "dates": Input(120_000, _repeat("1 January 2003 "), "date spans"),
    "meeting-blocks": Input(120_000, _blocks("The Third Coordination Meeting on International Migration was held."),
                            "meeting mentions per block"),
    "the-words": Input(200_000, _repeat("The "), "capitalised words"),
    "acronym-definitions": Input(200_000, _acronym_definitions, "acronym definitions"),
    "tab-table": Input(200_000, _tab_table, "table rows"),
    "docx-nesting": Input(20_000, nested_docx, "XML walk recursion"),
    "html-nesting": Input(20_000, nested_html, "HTML walk recursion"),
    "docx-inflating": Input(4_000_000, inflating_docx, "zip member inflation"),
    "pdf-page-refs": Input(2_500, many_page_pdf, "page tree size"),
}


def ordinary(size: int) -> bytes:
    """The bundled corpus's paragraphs, repeated to `size` bytes: the throughput to keep."""
    paragraphs = [block for path in sorted(_CORPUS.glob("*.txt"))
                  for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")) if len(block) > 200]
    text, i = [], 0
    while sum(map(len, text)) < size:
        text.append(paragraphs[i % len(paragraphs)])
        i += 1
    return "\n\n".join(text).encode("utf-8")
