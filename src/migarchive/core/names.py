"""The grammar of names: where a capitalised phrase that names a body or an initiative begins and ends.

A name is a run of capitalised words and the small words that join them ("Division for the
Advancement of Women", "Regional Conference on Arab Migration in a Globalized World"), headed by a
body or initiative word; its kind comes from that head word. A run is trimmed of the words that
begin sentences and of job titles ("Director of the …"), and cut where two names are joined ("OECD
and the European Commission", "Population Division of the Department of …").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from migarchive.core.gazetteer import AGENCY, INITIATIVE, Gazetteer, normalise_name

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
_HEADS = AGENCY_HEADS | INITIATIVE_HEADS
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
# Small words a name goes on through when a capitalised word follows: "Division for the
# Advancement of Women", "Conference on Arab Migration in a Globalized World", "Protocol to Prevent".
_CONNECTOR_WORDS = frozenset("of for on and the in at a an to against de des du la le et pour".split())
_CONNECTORS = "(?:" + "|".join(sorted(_CONNECTOR_WORDS, key=len, reverse=True)) + ")"
# A capitalised word; a slash joins co-owners inside one ("AU/IMP Dialogue", "UNITAR/UNFPA
# Workshop Series"), where the text kept it (see `mentions`).
_CAP = r"(?:[“\"]?(?:[A-Z][A-Za-z'’]*(?:[-/][A-Za-z]+)*|\d{4})[”\"]?)"
_SPAN = re.compile(rf"{_CAP}(?: +(?:{_CONNECTORS} +)*{_CAP})*")
# "in Vienna", "at Headquarters", "to Geneva" after a name say where, not which.
_PLACE_WORDS = frozenset({"in", "at", "to"})
# Words a shouting (all-capitals) line keeps in lower case when read as ordinary text.
_SMALL_WORDS = _CONNECTOR_WORDS | {"at", "by", "with", "from", "or"}
_UN_NAME = re.compile(r"UN-[A-Z][a-z]+")  # "UN-Habitat": a United Nations body by its own name
ORDINALS = {word: rank for rank, word in enumerate("""
first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth
fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth
""".split(), start=1)}
_NUMBERED = re.compile(r"(\d{1,3})(?:st|nd|rd|th)", re.I)


def is_ordinal(word: str) -> bool:
    return word.lower() in ORDINALS or bool(_NUMBERED.fullmatch(word))


def ordinal_rank(word: str) -> int:
    """3 for "third" or "3rd"; 0 for a word that is not an ordinal."""
    numbered = _NUMBERED.fullmatch(word)
    return int(numbered.group(1)) if numbered else ORDINALS.get(word.lower(), 0)


def is_generic(name: str, generic: frozenset[str]) -> bool:
    """Whether a name is only generic words before its head ("Ministerial Conference", "Regional
    consultative process", "Steering Committee"): a kind of body, not one body."""
    words = [w.strip("“”\"'’,").lower() for w in name.split()]
    words = [w for w in words if w and w != "the"]
    if not words or any(w in _PREPOSITIONS for w in words):
        return False  # "Conference on Arab Migration": the subject makes it one
    return all(w in generic or is_ordinal(w) for w in words[:-1])


def fold_shouting(line: str, keep: frozenset[str]) -> str:
    """An all-capitals line as ordinary text ("POPULATION DIVISION OF THE …" → "Population Division
    of the …"), so that the same grammar reads it; `keep` are the acronyms left as they are. The
    result has the same length, so offsets stay valid: where case folding would change the length
    (a few non-ASCII letters), the line is left as it is."""
    def word(match: re.Match[str]) -> str:
        token = match.group()
        if token in keep or all(part in keep for part in token.split("/")):
            return token
        lower = token.lower()
        if lower in _SMALL_WORDS and match.start() > 0:
            return lower
        return token[0] + lower[1:]

    folded = re.sub(r"[^\W\d_]+(?:/[^\W\d_]+)*", word, line)
    return folded if len(folded) == len(line) else line


@lru_cache(maxsize=4)
def _known(gazetteer: Gazetteer) -> frozenset[str]:
    """The gazetteer's names: "General Assembly" is generic in form, and still one body."""
    return frozenset(normalise_name(n) for e in gazetteer.entries for n in (e.name, *e.aliases))


def has_head_word(text: str) -> bool:
    return any(_singular(w.strip("“”\"'’,").lower()) in _HEADS for w in text.split())


def classify(name: str) -> str | None:
    """agency, initiative, or None, from the name's head word ("Division for the Advancement of Women")."""
    lower = name.lower()
    if "programme of action" in lower or "plan of action" in lower:
        return INITIATIVE
    if _UN_NAME.fullmatch(name):
        return AGENCY
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
        elif (place := _place_at_end(tokens, first, last)) is not None:
            last = place  # "Metropolis Conference in Vienna", "Dialogue in Addis Ababa", "Series in 2007"
        else:
            return tokens[first:last]


def _place_at_end(tokens: list[tuple[int, int, str]], first: int, last: int) -> int | None:
    """Where "in", "at" or "to" and a place of up to three words end a run, the index of that small
    word; None if the words after it are the name's own ("… in a Globalized World")."""
    for size in (1, 2, 3):
        small = last - size - 1
        if small - first < 2:
            return None
        word = tokens[small][2]
        if word in _CONNECTOR_WORDS and word not in _PLACE_WORDS:
            return None
        if word in _PLACE_WORDS:
            place = " ".join(t[2] for t in tokens[small + 1 : last])
            if classify(place) is not None or any(t[2] in _CONNECTOR_WORDS for t in tokens[small + 1 : last]):
                return None
            if word == "at" and _is_campus(tokens, first, small):
                return None
            # One word is a place ("in Vienna"); longer, only after a complete name ("Dialogue in
            # Addis Ababa"), not after a subject that goes on ("Trafficking in Human Beings").
            if size > 1 and _singular(tokens[small - 1][2].lower()) not in _HEADS:
                return None
            return small
    return None


def _is_campus(tokens: list[tuple[int, int, str]], first: int, last: int) -> bool:
    """"State University of New York at Albany": a campus is part of a university's name."""
    return any(tokens[i][2].lower() in ("university", "college") for i in range(first, last))


def _singular(word: str) -> str:
    if word.endswith("sses") or word.endswith("ses") and word[:-2] in INITIATIVE_HEADS | AGENCY_HEADS:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "series")) and len(word) > 4:
        return word[:-1]
    return word


# No body's name is this long (the gazetteer's longest has 14 words): a longer capitalised run is a
# list or a heading in title case, and is read in pieces, which bounds the work on each.
MAX_NAME_WORDS = 30
_BREAKS = frozenset({"and", "of", "&"})


def name_spans(text: str, gazetteer: Gazetteer) -> Iterator[tuple[int, int, str]]:
    for match in _SPAN.finditer(text):
        if " " not in match.group() and not _UN_NAME.match(match.group()):
            continue  # one word is a name only as "UN-Habitat" is (`_split`): most runs, skipped here
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
    if len(words) == 1 and _UN_NAME.fullmatch(words[0]):
        return tokens[0][0], tokens[0][1], AGENCY
    if len(words) < 2:
        return None
    lowered = [w.lower() for w in words]
    # "International Relations at Columbia University": where a body follows "at", the words
    # before it are a field or a title; a place after it ("… of New York at Albany") is a campus.
    if "at" in lowered:
        at = len(lowered) - 1 - lowered[::-1].index("at")
        if len(words) - at > 2 and classify(" ".join(words[at + 1:])) and not classify(" ".join(words[:at])):
            return [tokens[at + 1:]]
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
    # Co-owners joined by a slash are part of the name ("AU/IMP Dialogue").
    while len(tokens) - first > 2 and tokens[first][2].isupper() and "/" not in tokens[first][2] \
            and classify(" ".join(words[first + 1:])):
        first += 1
    name = text[tokens[first][0] : tokens[-1][1]]
    kind = classify(name)
    norm = normalise_name(name)
    if kind is None or norm in gazetteer.ignore or "coordination meeting" in name.lower() \
            or (is_generic(name, gazetteer.generic) and norm not in _known(gazetteer)):
        return None
    return tokens[first][0], tokens[-1][1], kind
