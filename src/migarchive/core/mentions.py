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
from migarchive.core.known import KnownNames
from migarchive.core.model import DAMAGE_MARKER, Document

KNOWN, NAME, ACRONYM = "known", "name", "acronym"

AGENCY_HEADS = frozenset("""
organization organisation office institute institution fund bank university commission division
department union centre center council federation league agency secretariat committee group coalition
network foundation association society assembly court board bureau school college academy observatory
unit section branch mission parliament authority service services cross crescent programme program force
""".split())
INITIATIVE_HEADS = frozenset("""
initiative project process dialogue forum campaign compact declaration agenda framework database
series conference summit convention protocol agreement platform plan goal partnership workshop
consultation system roadmap round briefing symposium
""".split())
# Words that begin a capitalised run without being part of a name.
_LEADING = frozenset("""
a an the in at by for from on to of this these that those its their his her our since under with within
while although as after before between both each many some several other such also further however
moreover thus hence mr ms mrs dr during through all any most recent
""".split())
_ROLES = frozenset("""
director chief officer chair chairman chairperson president secretary-general secretary representative
representatives head heads minister ambassador rector professor adviser advisor economist member
members commissioner coordinator executive expert consultant staff deputy assistant specialist
statistician associate moderator delegate delegates spokesperson envoy fellow researcher
""".split())
_PLURAL_NAMES = frozenset({"goals", "series", "nations", "services", "societies", "workshops"})
_PREPOSITIONS = frozenset({"of", "for", "on", "against", "in", "to", "at"})
_CONNECTOR_WORDS = frozenset("of for on and the in against de des du la le et pour".split())
_CONNECTORS = "(?:" + "|".join(sorted(_CONNECTOR_WORDS)) + ")"
_CAP = r"(?:[“\"]?(?:[A-Z][A-Za-z'’]*(?:-[A-Za-z]+)*|\d{4})[”\"]?)"
_SPAN = re.compile(rf"{_CAP}(?: +(?:{_CONNECTORS} +)*{_CAP})*")
_CAPITAL_WORD = re.compile(r"(?<![\w/-])[A-Z][A-Za-z]*+")
_CAPITAL_WORD_END = re.compile(r"[A-Z][A-Za-z]*+(?![\w-])")
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


def classify(name: str) -> str | None:
    """agency, initiative, or None, from the name's head word ("Division for the Advancement of Women")."""
    lower = name.lower()
    if "programme of action" in lower or "plan of action" in lower:
        return INITIATIVE
    words = [w.strip("“”\"'’,") for w in name.split()]
    head_segment: list[str] = []
    for word in words:
        if word.lower() in _PREPOSITIONS and head_segment:
            break
        head_segment.append(word)
    if not head_segment:
        return None
    head_word = head_segment[-1].lower()
    head = _singular(head_word)
    if head != head_word and head_word not in _PLURAL_NAMES:
        return None  # "National Statistical Offices", "regional consultative processes": kinds, not bodies
    if head in ("programme", "program"):
        return AGENCY if re.match(r"(?:joint )?(?:united nations|world)\b", lower) else INITIATIVE
    if head in AGENCY_HEADS:
        return AGENCY
    if head in INITIATIVE_HEADS:
        return INITIATIVE
    return None


def _trim(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Cut leading function words, trailing connectors, titles and "in <place or year>"."""
    first, last = 0, len(tokens)  # indexes, not slices: "The The The …" must not copy the run each time
    while first < last and (tokens[first][2].lower().strip("“”\"") in _LEADING
                            or tokens[first][2] in _CONNECTOR_WORDS):
        first += 1
    while True:
        if first < last and (tokens[last - 1][2] in _CONNECTOR_WORDS
                             or tokens[last - 1][2].lower() in ("mr", "ms", "mrs")):
            last -= 1
        elif last - first >= 3 and tokens[last - 2][2] == "in" and classify(tokens[last - 1][2]) is None:
            last -= 2  # "Metropolis Conference in Vienna", "Workshop Series in 2007"
        else:
            return tokens[first:last]


def _singular(word: str) -> str:
    if word.endswith("sses") or word.endswith("ses") and word[:-2] in INITIATIVE_HEADS | AGENCY_HEADS:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "series")) and len(word) > 4:
        return word[:-1]
    return word


def find_candidates(document: Document, gazetteer: Gazetteer) -> tuple[Candidate, ...]:
    # The gazetteer's names are put in a tree once per gazetteer; the document's own long forms are few.
    matchers = [m for m in (_gazetteer_names_tree(gazetteer), _document_names(document, gazetteer)) if m]
    found: list[Candidate] = []
    for passage in document.passages:
        text = _masked(passage.text)
        base = passage.start
        shouting = _shouting_lines(text)
        for matcher in matchers:
            for start, end in matcher.finditer(text):
                found.append(Candidate(KNOWN, text[start:end], base + start, base + end, passage.id))
        for start, end, kind in _name_spans(text, gazetteer):
            found.append(Candidate(NAME, text[start:end], base + start, base + end, passage.id, kind))
        for start, end in _acronyms(text):
            token = text[start:end]
            if token.upper() in _NOT_ACRONYMS or shouting(start):
                continue
            found.append(Candidate(ACRONYM, token, base + start, base + end, passage.id))
    return tuple(found)


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
        if start < resume or sum(map(str.isupper, match.group())) < 2:
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
    return bool(re.fullmatch(r"[A-Z][A-Za-z\-]*", text)) and sum(c.isupper() for c in text) >= 2


def _masked(text: str) -> str:
    """Italics (publication titles) and damage marks blanked out, keeping every offset."""
    # A slash separates names ("Population Division/DESA"); "|" keeps the offset and breaks a run.
    text = text.replace(DAMAGE_MARKER, " " * len(DAMAGE_MARKER)).replace("/", "|")
    return _ITALIC.sub(lambda m: " " * len(m.group()), text)


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


# No body's name is this long (the gazetteer's longest has 14 words): a longer capitalised run is a
# list or a heading in title case, and is read in pieces, which bounds the work on each.
MAX_NAME_WORDS = 30
_BREAKS = frozenset({"and", "of", "&"})


def _name_spans(text: str, gazetteer: Gazetteer) -> Iterator[tuple[int, int, str]]:
    for match in _SPAN.finditer(text):
        tokens = [(m.start() + match.start(), m.end() + match.start(), m.group())
                  for m in re.finditer(r"\S+", match.group())]
        for piece in _pieces(tokens):
            yield from _names_in(piece, text, gazetteer)


def _pieces(tokens: list[tuple[int, int, str]]) -> Iterator[list[tuple[int, int, str]]]:
    """A run cut after each possessive ("IOM's Council" is IOM, then "Council") and, when longer
    than any name, at each "and" and "of", then every MAX_NAME_WORDS words."""
    piece: list[tuple[int, int, str]] = []
    for token in tokens:
        if token[2].endswith(("'s", "’s")):
            piece.append((token[0], token[1] - 2, token[2][:-2]))
            yield from _bounded(piece)
            piece = []
        else:
            piece.append(token)
    yield from _bounded(piece)


def _bounded(tokens: list[tuple[int, int, str]]) -> Iterator[list[tuple[int, int, str]]]:
    if len(tokens) <= MAX_NAME_WORDS:
        yield tokens
        return
    piece: list[tuple[int, int, str]] = []
    for token in tokens:
        if token[2].lower() in _BREAKS:
            yield from _windows(piece)
            piece = []
        else:
            piece.append(token)
    yield from _windows(piece)


def _windows(tokens: list[tuple[int, int, str]]) -> Iterator[list[tuple[int, int, str]]]:
    for start in range(0, len(tokens), MAX_NAME_WORDS):
        yield tokens[start : start + MAX_NAME_WORDS]


def _names_in(run: list[tuple[int, int, str]], text: str, gazetteer: Gazetteer) -> Iterator[tuple[int, int, str]]:
    """The names in one capitalised run. A run is cut into parts (two names joined by "and", a job
    title before "of"), and the parts are read in turn from an explicit stack, not by recursion."""
    stack = [run]
    while stack:
        parts = _split(_trim(stack.pop()), text, gazetteer)
        if isinstance(parts, list):
            stack.extend(reversed(parts))
        elif parts is not None:
            yield parts


def _split(tokens: list[tuple[int, int, str]], text: str, gazetteer: Gazetteer) \
        -> list[list[tuple[int, int, str]]] | tuple[int, int, str] | None:
    """The parts to read again, or the name the tokens are (start, end, kind), or None."""
    words = [t[2] for t in tokens]
    if len(words) < 2:
        return None
    lowered = [w.lower() for w in words]
    # "OECD and the European Commission": two names joined, unlike "Latin America and the Caribbean".
    for i, word in enumerate(lowered):
        if word == "and" and 0 < i < len(words) - 2:
            rest = i + 1 + (1 if lowered[i + 1] == "the" else 0)
            left = words[:i]
            separate = rest > i + 1 or classify(" ".join(left)) or (len(left) == 1 and left[0].isupper())
            if separate and len(words) - rest >= 2 and classify(" ".join(words[rest:])):
                return [tokens[:i], tokens[rest:]]
    # "Director of the Population Division": drop the job title and its "of (the)".
    if "of" in lowered:
        first_of = lowered.index("of")
        rest = first_of + 1 + (1 if first_of + 1 < len(lowered) and lowered[first_of + 1] == "the" else 0)
        titled = any(w.strip("“”\"") in _ROLES for w in lowered[:first_of])
        if titled and classify(" ".join(words[:first_of])) is None:
            return [tokens[rest:]]
        # "Population Division of the Department of …": two bodies, not one.
        head = words[:first_of]
        tail = words[rest:]
        if normalise_name(" ".join(head)) in gazetteer.ignore:  # "New York Office of UNHCR"
            return [tokens[rest:]]
        if len(head) >= 2 and classify(" ".join(head)) and len(tail) >= 2 and classify(" ".join(tail)) == AGENCY \
                and "of" not in lowered[:first_of]:
            return [tokens[:first_of], tokens[rest:]]
    # "UNFPA “Key Migration Issues” Workshop Series": the partner's acronym is its own mention.
    first = 0
    while len(tokens) - first > 2 and tokens[first][2].isupper() and classify(" ".join(words[first + 1:])):
        first += 1
    name = text[tokens[first][0] : tokens[-1][1]]
    kind = classify(name)
    if kind is None or normalise_name(name) in gazetteer.ignore or "coordination meeting" in name.lower():
        return None
    return tokens[first][0], tokens[-1][1], kind
