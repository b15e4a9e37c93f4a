"""A PDF's pages of lines made into Markdown blocks: paragraphs, headings and footnotes, without the
running headers, footers and page numbers, with words hyphenated at a line or page break made whole.

Pure functions of `Line`s (see `lines`), so every rule is tested without a PDF. Each block remembers
where each page's text begins in it, so the document's text can be mapped back to its pages.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from migarchive.core.cleaning import recognise_heading
from migarchive.core.dates import find_dates
from migarchive.core.extraction.hyphenation import Vocabulary
from migarchive.core.extraction.lines import FULL, LEFT, RIGHT, Line, with_column_edges
from migarchive.core.extraction.markdown import Block, heading, superscript

# A sentence ends with its punctuation, perhaps inside quotes or brackets, perhaps with a note mark.
_TERMINAL = re.compile(r"""[.!?:]["”’')\]]*[⁰¹²³⁴⁵⁶⁷⁸⁹*†]*$""")
_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:page|p\.|pág\.?|seite)?\s*(?:\d{1,3}|[ivxlcdm]{1,7})(?:\s*(?:of|/|de|sur|von)\s*\d{1,4})?[-–—\s]*$",
    re.I,
)
_SYMBOL = re.compile(r"(?<![\w/])[A-Z]{1,6}(?:/[A-Za-z0-9.\-]+){2,}")
# A footnote starts with its number (or star), then its text: "3 Report of…", "¹Report of…", "* Chief…".
_NOTE_MARK = re.compile(r"^(?P<mark>\d{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}|[*†‡]{1,3})\s*(?=[^\s\d.,;:)/%-])")
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_BULLET = re.compile(r"^[•◦▪▫‣○●■□➢►✓❖]\s")
# A contents entry: dot leaders, then the page number. Kept on its own line, the cleaning drops it.
_CONTENTS_ENTRY = re.compile(r"(?:\.\s?){4,}\s*(?:\d{1,4}|[ivxlcdm]{1,7})?$", re.I)

# What a line is: part of a paragraph, a line of its own (a plain-text heading, a contents entry),
# the title page's symbol or date, the document's title, a heading.
PARAGRAPH, OWN_LINE, FRONT_LINE, TITLE, HEADING = "paragraph", "own line", "front line", "title", "heading"


@dataclass(frozen=True)
class PageText:
    lines: tuple[Line, ...]  # in reading order
    height: float


@dataclass(frozen=True)
class Style:
    """What the document's text looks like, measured over all its pages."""

    body: float  # the size most text is set in
    leading: float  # the baseline distance inside a body paragraph
    title: float | None  # the biggest size on the first page, when bigger than the body's

    def line_spacing(self, size: float) -> float:
        return self.leading * size / self.body


def blocks(pages: Sequence[PageText]) -> list[Block]:
    style = measure(pages)
    # Column edges are measured without the page numbers and headers, which stand outside them.
    kept = [with_column_edges([line for i, line in enumerate(page.lines) if i not in drop])
            for page, drop in zip(pages, furniture(pages, style))]
    first_page = next((i for i, lines in enumerate(kept) if lines), 0)
    compounds = Vocabulary(line.text for page in pages for line in page.lines)
    out: list[Block] = []
    # Footnotes wait for the block that calls them by their mark, or else for the paragraph in
    # progress at the end of their page; `True` once their page is done.
    waiting: list[tuple[str, Block, bool]] = []
    current: _Open | None = None

    def close() -> None:
        nonlocal current
        called = ""
        if current is not None:
            out.append(current.block())
            called = current.text
            current = None
        for entry in list(waiting):
            mark, note, due = entry
            if due or _calls(called, mark):
                out.append(note)
                waiting.remove(entry)

    for index, (page, lines) in enumerate(zip(pages, kept)):
        body, notes = split_notes(lines, style, page.height)
        for number, note in enumerate(notes):
            marks = ((index, 0),) if not body and number == 0 else ()
            text = note_text(note, compounds)
            waiting.append((text.split(" ", 1)[0], Block(text, marks), False))
        for position, line in enumerate(body):
            kind = line_kind(line, index == first_page, style)
            mark = index if position == 0 else None
            if current is not None and _continues(current, line, kind, position == 0, style):
                current.add(line, mark, compounds)
            else:
                close()
                current = _Open(kind, line.text, line, [(index, 0)] if mark is not None else [])
        waiting[:] = [(mark, note, True) for mark, note, _ in waiting]
        if current is None or current.kind != PARAGRAPH:
            close()  # nothing on the next page can continue it
    close()
    return out


def _calls(text: str, mark: str) -> bool:
    """Whether `text` calls the note marked `mark` ("³", "*"), and not a longer one ("³" in "¹³")."""
    if not mark or not text:
        return False
    if mark[0] in _SUPERSCRIPT_DIGITS:
        return re.search(f"(?<![{_SUPERSCRIPT_DIGITS}]){re.escape(mark)}(?![{_SUPERSCRIPT_DIGITS}])", text) is not None
    return mark in text


def measure(pages: Sequence[PageText]) -> Style:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    gaps = [above.y - below.y
            for page in pages for above, below in zip(page.lines, page.lines[1:])
            if above.column == below.column and above.size == below.size == body
            and 0.9 * body < above.y - below.y < 2.5 * body]
    first = next((page.lines for page in pages if page.lines), ())
    biggest = max((line.size for line in first), default=body)
    return Style(body, statistics.median(gaps) if gaps else 1.2 * body, biggest if biggest >= 1.15 * body else None)


def furniture(pages: Sequence[PageText], style: Style) -> list[set[int]]:
    """Per page, the lines that are running headers, footers or page numbers.

    A running header is a line at the top or bottom of pages that comes back, but for its numbers, on
    half the pages or on three (a chapter's header lasts only for the chapter). Headers are set no
    bigger than the text, so a title page's title survives a header that repeats it.
    """
    edges = [_edge_lines(page, style) for page in pages]
    seen: Counter[str] = Counter()
    for page, edge in zip(pages, edges):
        seen.update({_furniture_key(page.lines[i].text) for i in edge})
    with_text = sum(1 for page in pages if page.lines)
    repeated = max(2, min(3, math.ceil(0.5 * with_text)))
    first = next((i for i, page in enumerate(pages) if page.lines), 0)
    title = [_furniture_key(line.text) for line in pages[first].lines[:6]] if pages else []
    drops: list[set[int]] = []
    for index, (page, edge) in enumerate(zip(pages, edges)):
        drop = set()
        for i in edge:
            line = page.lines[i]
            key = _furniture_key(line.text)
            if _PAGE_NUMBER.match(line.text):
                drop.add(i)
            elif line.size > style.body + 0.5 or (index == first and _has_symbol(line.text)):
                continue  # the document symbol on the title page is its identity, not a header
            elif seen[key] >= repeated or (index != first and _running_title(line, key, title, page)):
                drop.add(i)
        drops.append(drop)
    return drops


def _running_title(line: Line, key: str, title: Sequence[str], page: PageText) -> bool:
    """A head above the text that repeats the document's symbol or title: on a short document, or
    one whose first page has no header, it is seen once only, yet it is no part of the text."""
    if line.bold or line.y < 0.75 * page.height:
        return False
    return _has_symbol(line.text) or (len(key.split()) >= 3 and any(key in words for words in title))


def _edge_lines(page: PageText, style: Style) -> list[int]:
    """Lines on the two top and two bottom baselines of the page, set apart from the text between them.

    Headers and footers stand off the body by more than a line; a paragraph that merely reaches the
    bottom of the page does not, and boilerplate repeated there (a licence notice) is kept.
    """
    levels = sorted({round(line.y) for line in page.lines}, reverse=True)
    apart = 1.4 * style.leading
    top = {level for i, level in enumerate(levels[:2])
           if any(levels[j] - levels[j + 1] >= apart for j in range(i, min(2, len(levels) - 1)))}
    bottom = {level for i, level in enumerate(levels) if i >= len(levels) - 2
              and any(levels[j - 1] - levels[j] >= apart for j in range(max(len(levels) - 2, 1), i + 1))}
    return [i for i, line in enumerate(page.lines)
            if (round(line.y) in top and line.y > 0.75 * page.height)
            or (round(line.y) in bottom and line.y < 0.25 * page.height)]


def _furniture_key(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text.lower()).split())


def split_notes(lines: Sequence[Line], style: Style, height: float) -> tuple[list[Line], list[list[Line]]]:
    """Body lines, and the footnotes: small lines low on the page, below all body text of their column."""
    small = [line.size <= 0.92 * style.body for line in lines]
    lowest: dict[int, float] = {}
    for line, is_small in zip(lines, small):
        if not is_small:
            for column in (line.column,) if line.column != FULL else (FULL, LEFT, RIGHT):
                lowest[column] = min(lowest.get(column, math.inf), line.y)
    body: list[Line] = []
    notes: list[list[Line]] = []
    in_note = False
    for line, is_small in zip(lines, small):
        below_body = line.y < min(lowest.get(line.column, math.inf), lowest.get(FULL, math.inf))
        candidate = is_small and below_body and line.y < 0.5 * height
        if candidate and _NOTE_MARK.match(line.text):
            notes.append([line])
            in_note = True
        elif candidate and in_note:
            notes[-1].append(line)
        else:
            body.append(line)
            in_note = False
    return body, notes


def note_text(lines: Sequence[Line], compounds: Collection[str] = frozenset()) -> str:
    text = ""
    for line in lines:
        text = join_lines(text, line.text, compounds)[0]
    match = _NOTE_MARK.match(text)
    if match is None:
        return text
    mark = match.group("mark")
    return f"{superscript(mark) if mark.isdigit() else mark} {text[match.end():].lstrip()}"


def line_kind(line: Line, first_page: bool, style: Style) -> str:
    if first_page and _stands_alone(line):
        return FRONT_LINE
    words = line.text.split()
    if 0 < len(words) <= 20 and not line.text.endswith((".", ",", ";")) and any(c.isalpha() for c in line.text):
        if style.title is not None and line.size >= style.title - 0.25:
            return TITLE
        if line.size >= 1.15 * style.body or (line.bold and line.size >= 0.95 * style.body):
            return HEADING
    # "I. INTRODUCTION": the project's own heading rules will know it; keep it out of the paragraphs.
    if _short(line) and len(words) <= 12 and recognise_heading(line.text, front_matter=False) is not None:
        return OWN_LINE
    if _CONTENTS_ENTRY.search(line.text):
        return OWN_LINE
    return PARAGRAPH


def _stands_alone(line: Line) -> bool:
    """The title page's symbol and date lines, which the metadata reader looks for on their own."""
    words = line.text.split()
    if _has_symbol(line.text) and len(words) <= 8:
        return True
    return len(words) <= 10 and not line.text.endswith(".") and any(
        span.kind in ("range", "day") for span in find_dates(line.text))


def _has_symbol(text: str) -> bool:
    """A UN document symbol ("UN/POP/MIG-5CM/2006/01", "A/RES/71/1"), not a list of agencies ("UNITAR/IOM")."""
    return any(re.search(r"\d", match.group()) for match in _SYMBOL.finditer(text))


def join_lines(before: str, after: str, compounds: Collection[str] = frozenset()) -> tuple[str, int]:
    """Two lines of one paragraph as one text, and where `after` begins in it.

    "migra-" + "tion" is "migration", unless "migra-tion" is in `compounds` (a `hyphenation.Vocabulary`
    knows the document's compounds and English words); a hyphen before a capital or a digit is a real one
    ("UN-DESA"). A dash or slash ending a line joins without a space ("2003–" "2005", "and/" "or").
    """
    if not before:
        return after, 0
    if not after:
        return before, len(before)
    if before[-1] in "-‐" and len(before) > 1 and before[-2].isalnum():
        if before[-2].isalpha() and after[0].islower() and _compound(before, after) not in compounds:
            return before[:-1] + after, len(before) - 1
        if after[0].isalnum():
            return before + after, len(before)
    if before[-1] in "—–/" and len(before) > 1 and not before[-2].isspace() and not after[0].isspace():
        return before + after, len(before)
    return before + " " + after, len(before) + 1


def _compound(before: str, after: str) -> str:
    head = re.search(r"[^\W\d_][\w-]*-$", before)
    tail = re.match(r"[\w-]+", after)
    return ((head.group() if head else "") + (tail.group() if tail else "")).lower()


def ends_sentence(text: str) -> bool:
    return bool(_TERMINAL.search(text.rstrip()))


@dataclass
class _Open:
    """The block being written: its kind, its text so far, its last line and its pages' marks."""

    kind: str
    text: str
    last: Line
    marks: list[tuple[int, int]] = field(default_factory=list)

    def add(self, line: Line, page: int | None, compounds: Collection[str]) -> None:
        self.text, at = join_lines(self.text, line.text, compounds)
        if page is not None:
            self.marks.append((page, at))
        self.last = line

    def block(self) -> Block:
        if self.kind not in (TITLE, HEADING):
            return Block(self.text, tuple(self.marks))
        text = heading(1 if self.kind == TITLE else 2, self.text)
        shift = len(text) - len(self.text)
        return Block(text, tuple((page, at + shift if at else 0) for page, at in self.marks))


def _continues(current: _Open, line: Line, kind: str, new_page: bool, style: Style) -> bool:
    previous = current.last
    if kind in (OWN_LINE, FRONT_LINE) and current.kind == PARAGRAPH:
        # A line that would stand alone, but that the line before runs into, ends that paragraph.
        return not new_page and _wraps_into(previous, line, style)
    if kind != current.kind or kind in (OWN_LINE, FRONT_LINE):
        return False
    if kind in (TITLE, HEADING):  # a heading set on two lines
        return (not new_page and line.column == previous.column and line.bold == previous.bold
                and abs(line.size - previous.size) < 0.5 and 0 < previous.y - line.y <= 1.8 * line.size)
    if _BULLET.match(line.text):
        return False
    if new_page or line.column != previous.column:
        return _carries_over(previous, line)
    gap = previous.y - line.y
    if gap <= 0.3 * line.size or gap > 1.45 * style.line_spacing(line.size) or abs(line.size - previous.size) >= 1:
        return False
    return not (ends_sentence(previous.text) and (line.x0 > previous.x0 + 0.8 * line.size or _short(previous)))


def _wraps_into(previous: Line, line: Line, style: Style) -> bool:
    gap = previous.y - line.y
    return (line.column == previous.column and 0.3 * line.size < gap <= 1.45 * style.line_spacing(line.size)
            and _reaches_edge(previous) and not ends_sentence(previous.text)
            and not _CONTENTS_ENTRY.search(previous.text) and not _CONTENTS_ENTRY.search(line.text))


def _carries_over(previous: Line, line: Line) -> bool:
    """A paragraph cut by a page or column break: it had not ended, and the next text goes on with it."""
    if ends_sentence(previous.text):
        return False
    if line.text[:1].islower():
        return True
    return _reaches_edge(previous) and line.x0 <= line.left + 0.8 * line.size


def _reaches_edge(line: Line) -> bool:
    """A line that runs to the edge of its column was cut there, not ended."""
    return line.x1 >= line.right - 0.12 * (line.right - line.left)


def _short(line: Line) -> bool:
    return line.x1 < line.right - 0.3 * (line.right - line.left)
