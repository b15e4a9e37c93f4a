"""Cleaning PDF-extraction debris out of a document, and giving its headings Markdown form.

The output is Markdown: real structure (headings, emphasis, links, tab tables, footnote marks) is kept,
plain-text headings become ATX headings, and print artefacts are dropped. Where the extraction
destroyed text, a `DAMAGE_MARKER` is left so a reader knows something is missing there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from migarchive.core.model import DAMAGE_MARKER

_BLANK_PAGE = re.compile(r"^\W*this page (is|has been) intentionally left blank\W*$", re.I)
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_TOC_NUMBER = re.compile(r"(?:[ivxlcdm]+|\d{1,4})", re.I)
_CONTENTS_TITLE = re.compile(r"^[#*_\s]*(table of )?contents[*_\s]*$", re.I)
_LETTER_SPACED = re.compile(r"(?<!\w)(?:[A-Za-z] ){3,}[A-Za-z](?!\w)")

# PDF text-operators (Tj, TJ, Tw, Tc, Td, TD, Tf, Tm, Tz, TL, Ts, Tr, T*) standing alone or glued
# to a word fragment: the signature of a content stream that leaked into the extracted text.
_OPERATOR = re.compile(r"^[(\[]*-?(?:[a-z]*T[jJwcdDfmzLsr*]|BT|ET)[)\]]*$")
# What every operator token contains: a line without it is left alone without being split into tokens
# (which, for a document written as one long line, would take hundreds of MB).
_OPERATOR_HINT = re.compile(r"T[jJwcdDfmzLsr*]|[BE]T")
_NUMBERISH = re.compile(r"^[(\[]*-?\d+(?:[.,]\d+)*[)\].,]*$")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_ASCII_NOT_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_THREE_LETTERS = re.compile(r"[A-Za-z]{3}")
_GLITCHY = re.compile(r"\d[A-Za-z]|[A-Za-z]\d|[a-z][A-Z]")

# Only the opening marks: the closing "###" and the trailing blanks are taken off in plain code
# (`_atx`); as one pattern, "(.*?)\s*#*\s*$" backtracked cubically over a run of spaces.
_ATX = re.compile(r"(#{1,6})\s+")
_ROMAN = re.compile(r"^(?:[IVX]{1,5}|L?X{0,3})\.\s+\S")
_LETTER = re.compile(r"^[A-H]\.\s+\S")
_ARABIC = re.compile(r"^\d{1,2}\.\s+[A-Z]")
_EMPHASIS_WRAP = re.compile(r"^(\*\*|__|\*|_)(.+)\1$", re.S)
_TERMINAL = re.compile(r"""[.!?:;)\]"”’'…⟧]["”’'*_]*[\d¹²³⁴⁵⁶⁷⁸⁹⁰*]*$""")

# A body paragraph: what separates the title page (front matter) from the text proper.
BODY_MIN_WORDS = 20


@dataclass(frozen=True)
class Heading:
    level: int
    title: str


@dataclass(frozen=True)
class CleanResult:
    text: str
    damaged_spots: int


def clean(raw: str) -> CleanResult:
    blocks = _blocks(_drop_artefacts(raw.split("\n")))
    damaged = 0
    out: list[str] = []
    front = True
    for index, block in enumerate(blocks):
        block, hits = _remove_debris(block)
        damaged += hits
        heading = recognise_heading(block, front)
        if heading is not None:
            out.append("#" * heading.level + " " + _heading_source(block))
            continue
        if front and is_body(block):
            front = False
        if not front and _text_lost_after(block, blocks[index + 1] if index + 1 < len(blocks) else None):
            block = block.rstrip() + " " + DAMAGE_MARKER
            damaged += 1
        out.append(block)
    return CleanResult("\n\n".join(out) + "\n" if out else "", damaged)


def recognise_heading(block: str, front_matter: bool) -> Heading | None:
    """A heading's level from its form: `#` marks, Roman numerals, letters, digits, ALL CAPS."""
    lines = block.split("\n")
    atx = _atx(block) if len(lines) == 1 else None
    if atx:
        title = strip_emphasis(atx[1])
        return Heading(_numbered_level(title) or atx[0], title) if title else None
    if len(lines) > 2 or "\t" in block:
        return None
    title = strip_emphasis(" ".join(line.strip() for line in lines))
    words = title.split()
    if not words or len(title) > 250 or title.endswith((",", ";")) or DAMAGE_MARKER in title:
        return None
    numbered = _numbered_level(title)
    if numbered and len(words) <= 30 and (numbered != 3 or _is_caps(title)):
        if not title.endswith(".") or _is_caps(title):
            return Heading(numbered, title)
    if _is_caps(title) and not title.endswith(".") and re.search(r"(?<![\w/])[A-Za-z'’]{3,}(?![\w/])", title):
        return Heading(1 if front_matter else 2, title)
    return None


def _atx(line: str) -> tuple[int, str] | None:
    """(level, title) of a one-line ATX heading ("## Title ##"), else None."""
    opening = _ATX.match(line)
    if opening is None:
        return None
    title = line[opening.end():].rstrip()
    if title.endswith("#"):
        title = title.rstrip("#").rstrip()
    return len(opening.group(1)), title


def is_toc_line(line: str) -> bool:
    """A contents line: some text, then four or more dot leaders, then perhaps a page number. Read
    from the end in plain code: as a pattern, a long line of dots backtracked quadratically."""
    end = len(line.rstrip())
    number = None
    start = end
    while start > 0 and line[start - 1].isalnum():
        start -= 1
    if start < end and _TOC_NUMBER.fullmatch(line, start, end):
        number = start
    position = number if number is not None else end
    dots = 0
    while position > 0 and (line[position - 1] == "." or line[position - 1].isspace()):
        position -= 1
        dots += line[position] == "."
    if dots < 4:
        return False
    if position == 0:  # all leaders: the first character stands for the text
        position, dots = 1, dots - (line[0] == ".")
    return dots >= 4 and position <= 160


def strip_emphasis(text: str) -> str:
    text = text.strip()
    while True:
        match = _EMPHASIS_WRAP.match(text)
        if not match or match.group(1) in match.group(2):  # "*a* and *b*" is not one emphasis
            return text
        text = match.group(2).strip()


def _numbered_level(title: str) -> int | None:
    if _ROMAN.match(title):
        return 2
    if _LETTER.match(title):
        return 3
    if _ARABIC.match(title) and len(title.split()) <= 14 and not title.endswith("."):
        return 4
    return None


def _is_caps(text: str) -> bool:
    """Nine in ten of its letters (four at least) upper-case, three ASCII letters in a row."""
    # Asked of every paragraph: letters are counted by C calls, a list of one-letter strings per
    # paragraph was a tenth of cleaning.
    if text.isascii():
        letters = text.encode("ascii").translate(None, _ASCII_NOT_LETTERS)
        count = len(letters)
        upper = count - len(letters.translate(None, _ASCII_UPPER))
    else:
        only = _NOT_LETTERS.sub("", text)
        count = len(only)
        upper = sum(map(str.isupper, only))
    if count < 4 or not _THREE_LETTERS.search(text):
        return False
    return upper >= 0.9 * count


def _heading_source(block: str) -> str:
    atx = _atx(block) if "\n" not in block else None
    if atx:
        return atx[1]
    return strip_emphasis(" ".join(line.strip() for line in block.split("\n")))


def _drop_artefacts(lines: list[str]) -> list[str]:
    kept: list[str] = []
    previous = None  # the last line kept that is not blank
    for line in lines:
        if not line.strip() or _BLANK_PAGE.match(line) or _RULE.match(line):
            kept.append("")
            continue
        if is_toc_line(line):
            # The "CONTENTS" title goes with its dot leaders.
            if previous is not None and _CONTENTS_TITLE.match(kept[previous]):
                kept[previous] = ""
                previous = None
            kept.append("")
            continue
        previous = len(kept)
        kept.append(_LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), line.rstrip("\t ") + _hard_break(line)))
    return kept


def _hard_break(line: str) -> str:
    # Two trailing spaces are a Markdown line break; keep them, drop other trailing blanks.
    return "  " if line.endswith("  ") and line.strip() else ""


def _blocks(lines: list[str]) -> list[str]:
    blocks: list[str] = []
    current: list[str] = []
    for line in lines + [""]:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    return blocks


def is_body(block: str) -> bool:
    """A paragraph of the text proper (not a title-page line, caption or table)."""
    return len(block.split()) >= BODY_MIN_WORDS and "\t" not in block


def _text_lost_after(block: str, following: str | None) -> bool:
    """A paragraph cut off mid-sentence, as happens when a page's text was lost in extraction."""
    stripped = block.rstrip()
    if stripped.endswith(DAMAGE_MARKER) or "\t" in block or _is_caps(stripped):
        return False
    if following is not None and following.lstrip()[:1].islower() and "\t" not in following:
        return True
    # Short unpunctuated lines are captions, names and addresses, not cut-off sentences.
    return len(stripped.split()) >= 8 and not _TERMINAL.search(stripped)


def _remove_debris(block: str) -> tuple[str, int]:
    hits = 0
    lines = []
    for line in block.split("\n"):
        cleaned, found = _remove_debris_from_line(line)
        hits += found
        lines.append(cleaned)
    return "\n".join(lines), hits


def _remove_debris_from_line(line: str) -> tuple[str, int]:
    if not _OPERATOR_HINT.search(line):
        return line, 0
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", line)]
    strong = [i for i, (_, _, tok) in enumerate(tokens) if _OPERATOR.match(tok)]
    operators = set(strong)
    numbers = [i for i, (_, _, tok) in enumerate(tokens)
               if i not in operators and (_NUMBERISH.match(tok) or _weird(tok))]
    # One operator-like token alone could be an abbreviation; two, or one among numbers, is a stream.
    if not strong or (len(strong) < 2 and not any(abs(n - strong[0]) <= 3 for n in numbers)):
        return line, 0
    first, last = strong[0], strong[-1]
    # Walk back over the garbage that precedes the first operator, tolerating one plausible word.
    start = first
    i = first - 1
    while i >= 0:
        if _weird(tokens[i][2]) or _NUMBERISH.match(tokens[i][2]):
            start = i
            i -= 1
        elif i - 1 >= 0 and _weird(tokens[i - 1][2]) and first - i <= 4:
            start = i - 1
            i -= 2
        else:
            break
    # A short tail after the last operator is more of the same stream, not a new sentence.
    end = last
    if len(tokens) - 1 - last <= 6 and not any(tok.endswith((".", "?", "!")) and tok[:1].isalpha()
                                               and not _weird(tok) for _, _, tok in tokens[last + 1 :]):
        end = len(tokens) - 1
    head = line[: tokens[start][0]].rstrip()
    tail = line[tokens[end][1] :].strip()
    cleaned = " ".join(part for part in (head, DAMAGE_MARKER, tail) if part)
    return cleaned, 1


def _weird(token: str) -> bool:
    core = token.strip("()[].,;:")
    return bool(core) and (bool(_GLITCHY.search(core)) or bool(_OPERATOR.match(core))) and not core.isupper()


def mark_headings(text: str, page_starts: tuple[int, ...] = ()) -> tuple[str, tuple[int, ...]]:
    """Extracted text, already clean, with its plain-text headings ("I. INTRODUCTION") given ATX
    form as `clean` would, and the page offsets moved along with the text."""
    pieces: list[str] = []
    length = 0  # of the new text so far
    # (old start, old end, new start, new end) of each replaced block, to move page offsets along.
    moved: list[tuple[int, int, int, int]] = []
    position = 0
    front = True
    for start, end in blocks_with_offsets(text):
        block = text[start:end]
        heading = None if "\n" not in block and _atx(block) else recognise_heading(block, front)
        if heading is None:
            front = front and not is_body(block)
            continue
        before = text[position:start]
        marked = f"{'#' * heading.level} {heading.title}"
        pieces += [before, marked]
        moved.append((start, end, length + len(before), length + len(before) + len(marked)))
        length += len(before) + len(marked)
        position = end
    if not moved:
        return text, page_starts
    pieces.append(text[position:])
    return "".join(pieces), _moved_offsets(page_starts, moved)


def _moved_offsets(offsets: tuple[int, ...], moved: list[tuple[int, int, int, int]]) -> tuple[int, ...]:
    """Each offset in the new text: one walk over both lists (both ascend), not one per offset."""
    result = []
    shift, j = 0, 0
    for offset in offsets:
        while j < len(moved) and moved[j][1] <= offset:
            shift = moved[j][3] - moved[j][1]
            j += 1
        if j < len(moved) and moved[j][0] <= offset:
            result.append(moved[j][2])  # a page that begins inside a heading begins with it
        else:
            result.append(offset + shift)
    return tuple(result)


def blocks_with_offsets(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of non-blank lines; `end` excludes the trailing newline. Plain code:
    the pattern it replaces backtracked quadratically over a long line of blanks."""
    start = None  # of the current block
    end = 0
    position = 0
    length = len(text)
    while position <= length:
        newline = text.find("\n", position)
        stop = length if newline < 0 else newline
        if not text[position:stop].isspace() and stop > position:
            if start is None:
                start = position
            end = stop
        elif start is not None:
            yield start, end
            start = None
        position = stop + 1
    if start is not None:
        yield start, end
