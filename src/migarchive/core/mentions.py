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
_CONNECTORS = r"(?:of|for|on|and|the|in|against|de|des|du|la|le|et|pour)"
_CAP = r"(?:[“\"]?(?:[A-Z][A-Za-z'’]*(?:-[A-Za-z]+)*|\d{4})[”\"]?)"
_SPAN = re.compile(rf"{_CAP}(?: +(?:{_CONNECTORS} +)*{_CAP})*")
_ACRONYM = re.compile(r"(?<![\w/-])(?:[A-Z][A-Za-z]*[A-Z][A-Za-z]*|[A-Z]{2,})(?:[- ][A-Z][A-Za-z]*[A-Z])?(?![\w-])")
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
    while tokens and (tokens[0][2].lower().strip("“”\"") in _LEADING or re.fullmatch(_CONNECTORS, tokens[0][2])):
        tokens = tokens[1:]
    while True:
        if tokens and (re.fullmatch(_CONNECTORS, tokens[-1][2]) or tokens[-1][2].lower() in ("mr", "ms", "mrs")):
            tokens = tokens[:-1]
        elif len(tokens) >= 3 and tokens[-2][2] == "in" and classify(tokens[-1][2]) is None:
            tokens = tokens[:-2]  # "Metropolis Conference in Vienna", "Workshop Series in 2007"
        else:
            return tokens


def _singular(word: str) -> str:
    if word.endswith("sses") or word.endswith("ses") and word[:-2] in INITIATIVE_HEADS | AGENCY_HEADS:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "series")) and len(word) > 4:
        return word[:-1]
    return word


def find_candidates(document: Document, gazetteer: Gazetteer) -> tuple[Candidate, ...]:
    # The gazetteer's pattern is compiled once per gazetteer; the document's own long forms are few.
    patterns = [p for p in (_gazetteer_pattern(gazetteer), _document_pattern(document, gazetteer)) if p is not None]
    found: list[Candidate] = []
    for passage in document.passages:
        checkpoint()
        text = _masked(passage.text)
        base = passage.start
        shouting = _shouting_lines(text)
        for pattern in patterns:
            for match in pattern.finditer(text):
                found.append(Candidate(KNOWN, match.group(), base + match.start(), base + match.end(), passage.id))
        for start, end, kind in _name_spans(text, gazetteer):
            found.append(Candidate(NAME, text[start:end], base + start, base + end, passage.id, kind))
        for match in _ACRONYM.finditer(text):
            token = match.group()
            if token.upper() in _NOT_ACRONYMS or shouting(match.start()):
                continue
            found.append(Candidate(ACRONYM, token, base + match.start(), base + match.end(), passage.id))
    return tuple(found)


@lru_cache(maxsize=4)
def _gazetteer_pattern(gazetteer: Gazetteer) -> re.Pattern[str] | None:
    names = []
    for entry in gazetteer.entries:
        names.append(entry.name)
        names.extend(a for a in entry.aliases if not _looks_like_acronym(a))
    return _known_pattern(tuple(names))


def _document_pattern(document: Document, gazetteer: Gazetteer) -> re.Pattern[str] | None:
    """The long forms the document defines that the gazetteer does not already know. Compiling a
    pattern costs milliseconds, so the names are put in a canonical order for the cache to hit."""
    known = _gazetteer_names(gazetteer)
    names = {d.long_form for d in document.definitions if normalise_name(d.long_form) not in known}
    return _known_pattern(tuple(sorted(names)))


@lru_cache(maxsize=4)
def _gazetteer_names(gazetteer: Gazetteer) -> frozenset[str]:
    return frozenset(normalise_name(name) for entry in gazetteer.entries for name in (entry.name, *entry.aliases))


@lru_cache(maxsize=1024)
def _known_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Known names in any case when they are long enough to be unmistakable ("global compact for
    safe, orderly and regular migration"); short ones ("Global Forum") only as capitalised."""
    alternatives = set()
    for name in names:
        words = re.findall(r"[\w'’-]+", name)
        if not words or len(name) < 4:
            continue
        parts = [_word_pattern(w) for w in words]
        joined = r"[\s,“”\"]+".join(parts)
        if len(words) >= 3:
            alternatives.add(f"(?i:{joined})")
        else:
            alternatives.add(joined)
            alternatives.add(r"[\s,“”\"]+".join(_word_pattern(w.upper()) for w in words))
    if not alternatives:
        return None
    ordered = sorted(alternatives, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:(?i:the)\s+)?(?:" + "|".join(ordered) + r")(?!['’]?\w)")


def _word_pattern(word: str) -> str:
    lower = word.lower()
    if lower in ("organization", "organisation"):
        return "(?i:organi[sz]ation)" if word[1:].islower() else "ORGANI[SZ]ATION"
    if lower in ("centre", "center"):
        return "(?i:cent(?:re|er))" if word[1:].islower() else "CENT(?:RE|ER)"
    return re.sub(r"['’]", "['’]", re.escape(word))


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


def _name_spans(text: str, gazetteer: Gazetteer) -> Iterator[tuple[int, int, str]]:
    for match in _SPAN.finditer(text):
        tokens = [(m.start() + match.start(), m.end() + match.start(), m.group())
                  for m in re.finditer(r"\S+", match.group())]
        # A possessive ends a name: "IOM's Council" is IOM, then "Council".
        pieces: list[list[tuple[int, int, str]]] = [[]]
        for token in tokens:
            pieces[-1].append(token)
            if re.search(r"['’]s$", token[2]):
                pieces[-1][-1] = (token[0], token[1] - 2, token[2][:-2])
                pieces.append([])
        for piece in pieces:
            yield from _names_in(piece, text, gazetteer)


def _names_in(tokens: list[tuple[int, int, str]], text: str, gazetteer: Gazetteer) -> Iterator[tuple[int, int, str]]:
    tokens = _trim(tokens)
    words = [t[2] for t in tokens]
    if len(words) < 2:
        return
    lowered = [w.lower() for w in words]
    # "OECD and the European Commission": two names joined, unlike "Latin America and the Caribbean".
    for i, word in enumerate(lowered):
        if word == "and" and 0 < i < len(words) - 2:
            rest = i + 1 + (1 if lowered[i + 1] == "the" else 0)
            left = words[:i]
            separate = rest > i + 1 or classify(" ".join(left)) or (len(left) == 1 and left[0].isupper())
            if separate and len(words) - rest >= 2 and classify(" ".join(words[rest:])):
                yield from _names_in(tokens[:i], text, gazetteer)
                yield from _names_in(tokens[rest:], text, gazetteer)
                return
    # "Director of the Population Division": drop the job title and its "of (the)".
    if "of" in lowered:
        first_of = lowered.index("of")
        if any(w.strip("“”\"") in _ROLES for w in lowered[:first_of]) and classify(" ".join(words[:first_of])) is None:
            rest = first_of + 1 + (1 if first_of + 1 < len(lowered) and lowered[first_of + 1] == "the" else 0)
            yield from _names_in(tokens[rest:], text, gazetteer)
            return
        # "Population Division of the Department of …": two bodies, not one.
        head = words[:first_of]
        rest = first_of + 1 + (1 if first_of + 1 < len(lowered) and lowered[first_of + 1] == "the" else 0)
        tail = words[rest:]
        if normalise_name(" ".join(head)) in gazetteer.ignore:  # "New York Office of UNHCR"
            yield from _names_in(tokens[rest:], text, gazetteer)
            return
        if len(head) >= 2 and classify(" ".join(head)) and len(tail) >= 2 and classify(" ".join(tail)) == AGENCY \
                and "of" not in lowered[:first_of]:
            yield from _names_in(tokens[:first_of], text, gazetteer)
            yield from _names_in(tokens[rest:], text, gazetteer)
            return
    # "UNFPA “Key Migration Issues” Workshop Series": the partner's acronym is its own mention.
    while len(tokens) > 2 and tokens[0][2].isupper() and classify(" ".join(t[2] for t in tokens[1:])):
        tokens = tokens[1:]
    name = text[tokens[0][0] : tokens[-1][1]]
    kind = classify(name)
    if kind is None or normalise_name(name) in gazetteer.ignore or "coordination meeting" in name.lower():
        return
    yield tokens[0][0], tokens[-1][1], kind
