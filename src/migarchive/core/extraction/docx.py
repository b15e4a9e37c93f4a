"""Text out of a Word document (.docx): a zip of XML, read with the standard library.

Paragraphs in heading styles become ATX headings, tables tab-separated rows, and footnotes are
gathered at the end under "## Notes", each after its number as a superscript, as the corpus writes
notes (a plain "1. " would read as a numbered heading).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

from migarchive.core.extraction.markdown import Block, assemble, collapse, heading, superscript, tidy
from migarchive.core.extraction.result import Extracted, ExtractionError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_HEADING_NAME = re.compile(r"^heading\s*([1-6])$", re.I)
_HEADING_ID = re.compile(r"^heading([1-6])$", re.I)
_SPACES = re.compile(r" {2,}")
_SPACES_AROUND_TAB = re.compile(r" *\t *")
# Unpacked, the XML of even a long report is a few MB (a 1,000-page book about 30); far more is a
# zip bomb, not a document. Checked before parsing: parsing 190 MB of XML took a minute and 3 GB.
MAX_PART_BYTES = 32 * 1024 * 1024


def extract_docx(data: bytes, subject: str) -> Extracted:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ExtractionError(f"{subject} is not a Word .docx file: it is not a zip archive (an old .doc or a "
                              "password-protected file? save it again as an unprotected .docx)") from exc
    with archive:
        document = _part(archive, "word/document.xml", subject)
        if document is None:
            raise ExtractionError(f"{subject} is not a Word .docx file (it has no word/document.xml)")
        styles = _heading_styles(_part(archive, "word/styles.xml", subject))
        notes = _notes(_part(archive, "word/footnotes.xml", subject))
    body = document.find(f"{_W}body")
    numbers: dict[str, int] = {}  # footnote id → its number, in the order the text refers to them
    blocks = list(_blocks(body, styles, notes, numbers)) if body is not None else []
    if numbers:
        blocks.append(heading(2, "Notes"))
        blocks.extend(f"{superscript(str(n))} {notes[key]}" for key, n in numbers.items() if notes.get(key))
    text, _ = assemble([Block(block) for block in blocks], 0)
    return Extracted(text, (), 0)


def _part(archive: zipfile.ZipFile, name: str, subject: str) -> ElementTree.Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    too_large = ExtractionError(f"{subject} is too large to be a meeting document ({name} unpacks to more than "
                                f"{MAX_PART_BYTES // 2**20} MB)")
    if info.file_size > MAX_PART_BYTES:
        raise too_large
    try:
        # The size in the zip's directory may lie: never inflate more than the limit.
        with archive.open(info) as member:
            xml = member.read(MAX_PART_BYTES + 1)
        if len(xml) > MAX_PART_BYTES:
            raise too_large
        return ElementTree.fromstring(xml)
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        # RuntimeError: an encrypted member; NotImplementedError: a compression zipfile does not know.
        raise ExtractionError(f"{subject} is damaged ({name} cannot be read); open and save it again in Word") from exc


def _heading_styles(styles: ElementTree.Element | None) -> dict[str, int]:
    """Paragraph style id → heading level, from the styles' names ("heading 1", "Title")."""
    levels: dict[str, int] = {}
    for style in styles.iter(f"{_W}style") if styles is not None else ():
        style_id = style.get(f"{_W}styleId") or ""
        name_element = style.find(f"{_W}name")
        name = (name_element.get(f"{_W}val") if name_element is not None else None) or ""
        match = _HEADING_NAME.match(name.strip())
        if match:
            levels[style_id] = int(match.group(1))
        elif name.strip().lower() == "title":
            levels[style_id] = 1
    return levels


def _notes(footnotes: ElementTree.Element | None) -> dict[str, str]:
    notes: dict[str, str] = {}
    for note in footnotes.iter(f"{_W}footnote") if footnotes is not None else ():
        if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = collapse(" ".join(_paragraph_text(p, {}, {}) for p in note.iter(f"{_W}p")))
        notes[note.get(f"{_W}id") or ""] = text
    return notes


def _blocks(container: ElementTree.Element, styles: dict[str, int], notes: dict[str, str],
            numbers: dict[str, int]) -> Iterator[str]:
    for element in _body_elements(container):
        if element.tag == f"{_W}p":
            yield from _paragraph(element, styles, notes, numbers)
        elif element.tag == f"{_W}tbl":
            rows = ["\t".join(collapse(" ".join(_paragraph_text(p, notes, numbers) for p in _paragraphs(cell)))
                              for cell in row.findall(f"{_W}tc"))
                    for row in element.findall(f"{_W}tr")]
            table = "\n".join(row for row in rows if row.strip())
            if table:
                yield table


def _body_elements(container: ElementTree.Element) -> Iterator[ElementTree.Element]:
    """The container's children in order, with the content of content controls (which nest, as
    deep as the file says) in their place; an explicit stack, not recursion."""
    stack = [iter(container)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
        elif element.tag == f"{_W}sdt":  # a content control: its content is ordinary body text
            content = element.find(f"{_W}sdtContent")
            if content is not None:
                stack.append(iter(content))
        else:
            yield element


def _paragraph(paragraph: ElementTree.Element, styles: dict[str, int], notes: dict[str, str],
               numbers: dict[str, int]) -> Iterator[str]:
    text = _paragraph_text(paragraph, notes, numbers)
    lines = [_SPACES_AROUND_TAB.sub("\t", _SPACES.sub(" ", line)).strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return
    level = _level(paragraph, styles)
    yield heading(level, " ".join(" ".join(lines).split())) if level else "\n".join(lines)


def _level(paragraph: ElementTree.Element, styles: dict[str, int]) -> int | None:
    properties = paragraph.find(f"{_W}pPr")
    if properties is None:
        return None
    style = properties.find(f"{_W}pStyle")
    style_id = (style.get(f"{_W}val") if style is not None else None) or ""
    if style_id in styles:
        return styles[style_id]
    match = _HEADING_ID.match(style_id)
    if match:
        return int(match.group(1))
    if style_id.lower() == "title":
        return 1
    outline = properties.find(f"{_W}outlineLvl")
    value = outline.get(f"{_W}val") if outline is not None else None
    return int(value) + 1 if value is not None and value.isdigit() and int(value) < 6 else None


def _paragraph_text(paragraph: ElementTree.Element, notes: dict[str, str], numbers: dict[str, int]) -> str:
    parts: list[str] = []
    for element in _walk(paragraph):
        tag = element.tag
        if tag == f"{_W}t":
            parts.append(element.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            # A page or column break is no line of its own; a line break is.
            parts.append(" " if element.get(f"{_W}type") in ("page", "column") else "\n")
        elif tag == f"{_W}p":  # a paragraph of a text box inside this one
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{_W}footnoteReference":
            key = element.get(f"{_W}id") or ""
            if key in notes:
                numbers.setdefault(key, len(numbers) + 1)
                parts.append(superscript(str(numbers[key])))
    return tidy("".join(parts))


def _walk(element: ElementTree.Element) -> Iterator[ElementTree.Element]:
    """The element's descendants in document order, without the copies kept for old versions of Word.
    An explicit stack: a file may nest runs as deep as it likes."""
    stack = [iter(element)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag != _FALLBACK:
            yield child
            stack.append(iter(child))


def _paragraphs(cell: ElementTree.Element) -> Iterator[ElementTree.Element]:
    return (element for element in _walk(cell) if element.tag == f"{_W}p")
