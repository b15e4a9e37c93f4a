"""Finding the places in one document that may name an agency or an initiative.

Three kinds of candidate, found at index time with what this document and the gazetteer know:
- `known`: a name or alias from the gazetteer, or a long form this document defines, in any case;
- `name`: a capitalised phrase headed by a body or initiative word ("Swiss Federal Office for
  Refugees", "Berne Initiative"), with job titles and leading function words cut off;
- `acronym`: an upper-case token (IOM, UNHCR, MDGs). Whether it names an entity is decided with
  the whole archive's definitions, in `entities`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import NamedTuple

from migarchive.core.gazetteer import AGENCY, INITIATIVE, Gazetteer, normalise_name
from migarchive.core.isolation import checkpoint
from migarchive.core.known import KnownNames, find_words
from migarchive.core.names import fold_shouting, has_head_word as _has_head_word, is_ordinal, name_spans
from migarchive.core.model import DAMAGE_MARKER, Document

KNOWN, NAME, ACRONYM = "known", "name", "acronym"

# Not inside a word or a document symbol ("A/RES/71/1"), but a co-owner after another's slash
# ("AU/IMP") is an acronym too.
# Only words with a second capital (`_acronyms` wants two): most capitalised words have one.
_CAPITAL_WORD = re.compile(r"(?<![\w-])(?<![^A-Z]/)(?<!^/)[A-Z](?=[a-z]*[A-Z])[A-Za-z]*+")
_CAPITAL_WORD_END = re.compile(r"[A-Z][A-Za-z]*+(?![\w-])")
_SLASH = re.compile(r"(?<![A-Z])/|/(?![A-Za-z])")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\*)[^*\n]+?\*(?!\*)")
_NOT_ACRONYMS = frozenset({"MR", "MS", "MRS", "DR", "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII"})


class Candidate(NamedTuple):
    """A place that may name an entity. A named tuple: an archive has hundreds of thousands, saved
    and loaded with its derived state."""

    form: str  # KNOWN, NAME or ACRONYM
    surface: str
    start: int  # offsets in the cleaned document text
    end: int
    passage_id: str
    kind: str | None = None  # for NAME: the kind its head word suggests


def find_candidates(document: Document, gazetteer: Gazetteer) -> tuple[Candidate, ...]:
    # The gazetteer's names are put in a tree once per gazetteer; the document's own long forms are few.
    matchers = [m for m in (_gazetteer_names_tree(gazetteer), _document_names(document, gazetteer)) if m]
    keep = _gazetteer_acronyms(gazetteer) | {d.acronym for d in document.definitions}
    found: list[Candidate] = []
    for original, base, passage_id in _segments(document):
        checkpoint()
        text = _masked(original)
        shouting = _shouting_lines(text)
        words = find_words(text) if matchers else None
        known = [(_with_ordinal(text, start), end) for matcher in matchers
                 for start, end in matcher.finditer(text, words)]
        named = [(_with_ordinal(text, start), end, kind)
                 for start, end, kind in name_spans(_readable(text, shouting, keep), gazetteer)]
        for start, end in _not_inside_other_names(known, named, text):
            found.append(Candidate(KNOWN, original[start:end], base + start, base + end, passage_id))
        for start, end, kind in named:
            found.append(Candidate(NAME, original[start:end], base + start, base + end, passage_id, kind))
        for start, end in _acronyms(text):
            token = text[start:end]
            if token.upper() in _NOT_ACRONYMS or shouting(start):
                continue
            found.append(Candidate(ACRONYM, token, base + start, base + end, passage_id))
    return tuple(found)


def _not_inside_other_names(known: list[tuple[int, int]], named: list[tuple[int, int, str]],
                            text: str) -> list[tuple[int, int]]:
    """Known names, less those that only qualify a longer name whose head word comes after them
    ("UNHCR Executive Committee" names the committee). A name only qualified before it ("Eighth
    International Metropolis Conference") stays itself; so does a co-owner before a slash or
    inside the first word of a co-owned name ("UNITAR/World Bank Briefing"), and a known name
    followed by another (a header line: "Population Division Department of Economic and Social
    Affairs"). Both lists are in text order, so one pass compares them."""
    if not named:
        return known
    starts = {start for start, _end in known}
    kept = []
    spans = sorted(named)
    index = 0
    for start, end in sorted(known):
        # A known mention may begin with "the", which the grammar of names leaves out.
        core = start + len(_THE.match(text, start, end).group())  # type: ignore[union-attr]
        while index < len(spans) and spans[index][1] <= core:
            index += 1
        if index < len(spans) and spans[index][0] <= core and end < spans[index][1]:
            name_start, name_end = spans[index][0], spans[index][1]
            first_word_end = text.find(" ", name_start, name_end)
            owner = "/" in text[name_start:first_word_end] and start < first_word_end
            followed = _next_word(text, end) in starts
            if not owner and not followed and _has_head_word(text[end:name_end]):
                continue
        kept.append((start, end))
    return kept


_THE = re.compile(r"(?i:the\s+)?")


def _next_word(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t":
        position += 1
    return position


def _segments(document: Document) -> Iterator[tuple[str, int, str]]:
    """(text, offset, passage id) of each passage and each heading line. A heading's mentions
    belong to the first passage under it, where search and the reader find them; a department
    named only in a header line is named all the same."""
    yield from ((p.text, p.start, p.id) for p in document.passages)
    starts = [p.start for p in document.passages]
    for section in document.sections:
        line_end = document.cleaned.find("\n", section.start)
        line_end = len(document.cleaned) if line_end < 0 else line_end
        after = bisect.bisect_left(starts, line_end)
        inside = after < len(starts) and starts[after] < section.end
        yield document.cleaned[section.start : line_end], section.start, \
            document.passages[after].id if inside else section.id


def _readable(text: str, shouting: Callable[[int], bool], keep: frozenset[str]) -> str:
    """The text with its all-capitals lines in ordinary case, for the grammar of names."""
    if not _ANY_CAPS_RUN.search(text):
        return text
    parts = []
    position = 0
    for line in text.split("\n"):
        parts.append(fold_shouting(line, keep) if line and shouting(position) else line)
        position += len(line) + 1
    return "\n".join(parts)


_ANY_CAPS_RUN = re.compile(r"[A-Z]{4}[^a-z\n]{8}")  # a quick no for the many passages with no shouting line


def _with_ordinal(text: str, start: int) -> int:
    """Where a name begins with its edition's ordinal before it ("the third global mayoral forum")."""
    match = _ORDINAL_BEFORE.search(text, max(0, start - 24), start)
    return match.start(1) if match and is_ordinal(match.group(1)) else start


_ORDINAL_BEFORE = re.compile(r"(?<![\w-])([A-Za-z]+|\d{1,3}[a-z]{2}) +$")


@lru_cache(maxsize=4)
def _gazetteer_acronyms(gazetteer: Gazetteer) -> frozenset[str]:
    return frozenset(a for e in gazetteer.entries for a in (e.acronym, *e.aliases) if a and _looks_like_acronym(a))


@lru_cache(maxsize=4)
def _gazetteer_names_tree(gazetteer: Gazetteer) -> KnownNames:
    names = []
    for entry in gazetteer.entries:
        names.append(entry.name)
        names.extend(a for a in entry.aliases if not _looks_like_acronym(a))
    return KnownNames(names)


def _document_names(document: Document, gazetteer: Gazetteer) -> KnownNames:
    """The long forms the document defines that the gazetteer does not already know."""
    known = _gazetteer_names(gazetteer)
    return KnownNames({d.long_form for d in document.definitions if normalise_name(d.long_form) not in known})


@lru_cache(maxsize=4)
def _gazetteer_names(gazetteer: Gazetteer) -> frozenset[str]:
    return frozenset(normalise_name(name) for entry in gazetteer.entries for name in (entry.name, *entry.aliases))


def _acronyms(text: str) -> Iterator[tuple[int, int]]:
    """Upper-case tokens: a word of letters with two capitals or more ("IOM", "MDGs", "UNHCR"),
    with a second word of capitals after a space or hyphen ("UN DESA", "UN-DESA").

    Each word is taken whole (a possessive quantifier) and judged in code: the pattern this
    replaces let two starred letter classes share one word, which backtracked in the square of a
    long word's length."""
    resume = 0
    for match in _CAPITAL_WORD.finditer(text):
        start, end = match.span()
        if start < resume:
            continue
        after = text[end : end + 1]
        if after in ("-", " "):
            second = _CAPITAL_WORD_END.match(text, end + 1)
            if second is not None and second.end() - second.start() >= 2 and text[second.end() - 1].isupper():
                resume = second.end()
                yield start, resume
                continue
            if after == "-":
                continue  # "UN-Habitat" is a name, not the acronym UN
        elif after and (after.isalnum() or after == "_"):
            continue  # "G77", "ISO9001"
        yield start, end


def _looks_like_acronym(text: str) -> bool:
    """"UNHCR", "MDGs", "UN DESA"; not "UN-Habitat", a name to be found as written."""
    letters = [c for c in text if c.isalpha()]
    uppers = sum(c.isupper() for c in letters)
    return bool(re.fullmatch(r"[A-Z][A-Za-z\- ]*", text)) and uppers >= 2 and uppers * 2 >= len(letters) \
        and len(text.split()) <= 2


def _masked(text: str) -> str:
    """Italics (publication titles) and damage marks blanked out, keeping every offset."""
    # A slash separates names ("Population Division/DESA"); "|" keeps the offset and breaks a run.
    # After an acronym it joins co-owners ("AU/IMP Dialogue", "UNITAR/World Bank Briefing").
    # Each pattern is tried only on a text holding its character: tried at every position, their
    # look-behinds cost a fifth of finding a document's candidates.
    if DAMAGE_MARKER in text:
        text = text.replace(DAMAGE_MARKER, " " * len(DAMAGE_MARKER))
    if "/" in text:
        text = _SLASH.sub("|", text)
    if "*" in text:
        text = _ITALIC.sub(lambda m: " " * len(m.group()), text)
    return text


_LETTERS = re.compile(r"[^\W\d_]")


def _shouting_lines(text: str) -> Callable[[int], bool]:
    """is_shouting(position): whether the line at `position` is written in capitals, so that an
    upper-case word there is a heading word, not an acronym.

    Each line is judged once: a document written as one long line has thousands of acronyms on
    it, and scanning the line for each of them took hours for a few hundred kilobytes."""
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    judged: dict[int, bool] = {}

    def is_shouting(position: int) -> bool:
        line = bisect.bisect_right(starts, position) - 1
        if line not in judged:
            end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
            letters = _LETTERS.findall(text, starts[line], end)
            judged[line] = len(letters) > 12 and sum(map(str.isupper, letters)) > 0.8 * len(letters)
        return judged[line]

    return is_shouting


