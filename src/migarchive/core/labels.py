"""Short names for documents and headings as people write them: title case, meeting words left out.

At two hundred documents the meeting tree was a column of "First Coordination Meeting on
Intern…": a document's row sits under its meeting's row, so the meeting's words are dropped from it
and the row leads with what tells the documents of one meeting apart: kind, organization, the
document's own title, its symbol. ALL-CAPS titles and headings are given title case, keeping the
acronyms (UNHCR, IOM) and Roman numerals that must stay capitals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import PurePosixPath

from migarchive.core import gazetteer
from migarchive.core.model import DocumentInfo, Kind
from migarchive.core.names import ordinal_rank

# Lower case inside a title (Chicago style), except as its first word or after a colon or dash.
SMALL_WORDS = frozenset("a an and as at but by for from in into nor of on or per the to via vs with".split())
KIND_LABELS = {Kind.REPORT: "Report", Kind.SUMMARY: "Executive summary", Kind.PAPER: "Paper", Kind.OTHER: ""}

_MEETING_WORDS = re.compile(
    r"(?:\b(?:of|at|to|for|from)\s+)?(?:\bthe\s+)?(?:(?P<ordinal>[\w-]+)\s+)?(?:United\s+Nations\s+)?"
    r"Coordination\s+Meeting\s+on\s+International\s+Migration\b", re.I)
_LOOSE_ENDS = re.compile(r"^[\s,;:.–—-]+|[\s,;:–—-]+$|\s+(?:of|at|to|for|from|the|and|on|in)$", re.I)
_ROMAN = re.compile(r"M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})")
_LETTERS = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")
_VOWELS = frozenset("AEIOUY")
_NUMBERING = re.compile(r"(?:[A-Z]|[IVXLC]{1,6}|\d{1,3})[.)]")
_SEPARATOR = " · "


@lru_cache(maxsize=1)
def known_acronyms() -> frozenset[str]:
    """The acronyms of the bundled gazetteer's agencies and initiatives (IOM, UNHCR, …)."""
    words: set[str] = set()
    for entry in gazetteer.load().entries:
        if entry.acronym:
            words.update(_WORD.findall(entry.acronym))
    return frozenset(w for w in words if len(w) >= 2 and w.isupper())


def is_all_caps(text: str) -> bool:
    letters = _LETTERS.findall(text)
    return len(letters) >= 4 and sum(map(str.isupper, letters)) >= 0.9 * len(letters)


def title_case(text: str, acronyms: Iterable[str] = ()) -> str:
    """An ALL-CAPS title in title case; any other text as it is (its capitals are the author's).

    Kept in capitals: `acronyms`, the gazetteer's, a word in parentheses, a word without a vowel
    (CRRF), a leading Roman numeral ("II."), and tokens with digits or slashes (symbols)."""
    if not is_all_caps(text):
        return text
    keep = known_acronyms() | {w for a in acronyms for w in _WORD.findall(a) if w.isupper()}
    out: list[str] = []
    first = True
    for token in re.split(r"(\s+)", text):
        if not token or token.isspace():
            out.append(token)
            continue
        out.append(_case_token(token, keep, first))
        # The word after a heading's number ("A.", "II.", "3.") or after a colon starts the title again.
        first = token.endswith((":", "–", "—")) or token == "-" or (first and bool(_NUMBERING.fullmatch(token)))
    return "".join(out)


def _case_token(token: str, keep: frozenset[str], first: bool) -> str:
    if any(c.isdigit() for c in token) and "/" in token or re.search(r"\w/\w", token):
        return token  # a document symbol: A/RES/71/1
    bare = token.strip("()[]“”\"‘’'.,;:!?*_")
    if first and _ROMAN.fullmatch(bare) and bare and token.rstrip("*_").endswith("."):
        return token  # "II." numbering a heading
    if token.startswith("(") and token.rstrip(".,;:").endswith(")") and bare.isupper():
        return token  # "(UNITAR)": an acronym given in parentheses
    return re.sub(r"[^\W\d_]+", lambda m: _case_word(m.group(), keep, first and m.start() == _first_letter(token)),
                  token)


def _first_letter(token: str) -> int:
    match = _WORD.search(token)
    return match.start() if match else -1


def _case_word(word: str, keep: frozenset[str], first: bool) -> str:
    if word in keep or (len(word) >= 2 and not _VOWELS & set(word.upper())):
        return word
    if len(word) == 1 and word in "S" and not first:
        return word.lower()  # the "S" of "UNITAR'S"
    lower = word.lower()
    return lower if lower in SMALL_WORDS and not first else lower.capitalize()


def without_meeting_words(title: str) -> str:
    """The title without "(of the) Second Coordination Meeting on International Migration": that
    belongs to the meeting's row, above the document's."""
    def drop(match: re.Match[str]) -> str:
        ordinal = match.group("ordinal")
        if ordinal and not ordinal_rank(ordinal) and ordinal.lower() not in ("the", "united"):
            return match.group()  # "Regional Coordination Meeting…" is another meeting: keep it
        return " "

    return _tidy(_MEETING_WORDS.sub(drop, title))


def _tidy(text: str) -> str:
    """Without the connecting words and punctuation a removal left at either end."""
    text = re.sub(r"\s+([,;:.])", r"\1", " ".join(text.split()))
    previous = None
    while previous != text:
        previous, text = text, _LOOSE_ENDS.sub("", " ".join(text.split()))
    return text


def short_organization(organization: str | None) -> str | None:
    """"UNITAR" for "United Nations Institute for Training and Research (UNITAR)"."""
    if organization and organization.endswith(")") and "(" in organization:
        return organization[organization.rindex("(") + 1 : -1].strip() or organization
    return organization


def document_label(info: DocumentInfo) -> str:
    """"Report · Population Division", "Paper · UNITAR · Migration Related Activities · UN/POP/…"."""
    meta = info.metadata
    acronyms = [d.acronym for d in info.definitions]
    kind = KIND_LABELS.get(meta.kind, meta.kind.capitalize())
    organization = short_organization(meta.organization)
    own = title_case(without_meeting_words(meta.title), acronyms)
    if meta.organization and meta.organization != organization:
        own = _tidy(own.replace(meta.organization, " "))
    if own.lower() in (kind.lower(), meta.kind.lower()):
        own = ""  # "Report of the …": the kind already says it
    parts = [kind, organization if organization and organization not in own else None, own or None, meta.symbol]
    label = _SEPARATOR.join(p for p in parts if p)
    if own or meta.symbol or (kind and organization):
        return label
    # Nothing of its own to tell it by (a title that is only the meeting's): its file name, which is
    # unique, and its first heading that is not the meeting's, which says what it is about.
    heading = next((h for h in (title_case(without_meeting_words(s.title), acronyms) for s in info.sections)
                    if h and h.lower() != meta.title.lower()), None)
    return _SEPARATOR.join(p for p in (label, PurePosixPath(info.path).stem, heading) if p)
