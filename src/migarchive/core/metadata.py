"""Which coordination meeting a document belongs to, when it met, and what the document is.

Everything is read from the cleaned text: the title page (front matter, the blocks before the first
real paragraph) says most; the first sentence that names a meeting says the rest. The document's own
meeting wins over the meetings it merely mentions.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from migarchive.core.cleaning import BODY_MIN_WORDS, blocks_with_offsets, recognise_heading, strip_emphasis
from migarchive.core.dates import DateSpan, find_dates
from migarchive.core.model import DAMAGE_MARKER, Kind, MeetingRef, Metadata
from migarchive.core.ordinals import ORDINALS, meeting_title, ordinal_name as ordinal_name

_ORDINAL = r"(?:" + "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in ORDINALS), key=len, reverse=True))
_ORDINAL += r"|\d{1,2}(?:st|nd|rd|th))"
_MEETING = re.compile(
    rf"\b(?P<ordinal>{_ORDINAL})\s+(?:(?:united|nations|annual|un)\s+){{0,3}}coordination\s+meeting\b", re.I
)
# Where a meeting's name ends, and what cannot be inside one (`meeting_names`).
_MEETING_END = re.compile(r"coordination\s+meeting\b", re.I)
_NOT_IN_A_NAME = re.compile(r"[^\w\s\-]")
# Repeats bounded (real symbols have up to six parts): unbounded, the two groups could split a run of
# "A/A/…" in quadratically many ways.
_SYMBOL = re.compile(r"(?<![\w/])(?:[A-Z]{1,6}/){1,8}[A-Z0-9][A-Za-z0-9.\-]*(?:/[A-Za-z0-9.\-]+){0,8}(?<![.\-])")
_SYMBOL_MEETING = re.compile(r"MIG-(\d{1,2})CM", re.I)
_CONVENER = re.compile(
    r"population division|department of economic and social affairs|united nations secretariat"
    r"|^united nations$|^new york\b|coordination meeting",
    re.I,
)
_ORG_WORDS = re.compile(
    r"\b(institute|organi[sz]ation|office|commission|fund|programme|program|bank|university|agency"
    r"|union|centre|center|council|federation|division|department|secretariat|committee|league)\b",
    re.I,
)
# Title-page lines that name what a document is, or who is speaking, and no organization.
_NOT_AN_AUTHOR = re.compile(r"(?:provisional |annotated |draft )?(?:programme|program|agenda)\b|prepared by\b"
                            r"|(?:statement|remarks|address) (?:by|of|on behalf)\b|chair(?:ed by)?\b", re.I)
_DOCUMENT_NAME = re.compile(r"((?:provisional |annotated |draft )?(?:programme of work|programme|agenda"
                            r"|press release|information note|background note|concept note)\b)", re.I)
_ACRONYM_IN_PARENS = re.compile(r"\(([A-Z][A-Za-z&]{1,9}(?: [A-Z]{2,})?)\)")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "de", "des", "du", "et", "for", "from", "in", "la",
                "le", "of", "on", "or", "pour", "the", "to", "with"}

POPULATION_DIVISION = "Population Division"
PROSE_LOWER_SHARE = 0.35


@dataclass(frozen=True)
class _Block:
    start: int
    end: int
    text: str  # emphasis and heading marks removed
    is_heading: bool


@dataclass(frozen=True)
class _Mention:
    number: int
    position: int
    block: int


def extract(cleaned: str, fallback_title: str) -> Metadata:
    blocks = _blocks(cleaned)
    front = _front_matter(blocks)
    mentions = _meeting_mentions(cleaned, blocks)
    symbol = _symbol(blocks[:front])
    own = _own_meeting(mentions, front, blocks, symbol)
    meeting = _dated_meeting(own, cleaned, blocks) if own else None
    kind = _kind(blocks, front, symbol)
    organization = _organization(blocks[:front], kind)
    if kind == Kind.OTHER and organization is not None:
        kind = Kind.PAPER
    mentioned = _mentioned_meetings(mentions, own, cleaned)
    return Metadata(
        title=_title(kind, meeting, organization, blocks[:front], blocks, fallback_title),
        kind=kind,
        meeting=meeting,
        organization=organization,
        symbol=symbol,
        doc_date=_doc_date(blocks[:front]),
        mentioned_meetings=mentioned,
    )


def _blocks(cleaned: str) -> list[_Block]:
    result = []
    for start, end in blocks_with_offsets(cleaned):
        raw = cleaned[start:end]
        heading = recognise_heading(raw, front_matter=False) if raw.startswith("#") else None
        text = heading.title if heading else strip_emphasis(raw.replace("**", "").replace("  \n", "\n"))
        result.append(_Block(start, end, text.replace(DAMAGE_MARKER, " ").strip(), heading is not None))
    return result


def _front_matter(blocks: list[_Block]) -> int:
    """Index of the first body paragraph: everything before it is the title page."""
    for i, block in enumerate(blocks):
        words = block.text.split()
        if not block.is_heading and len(words) >= BODY_MIN_WORDS and "\t" not in block.text and _prose(words):
            return i
    return len(blocks)


def _prose(words: list[str]) -> bool:
    """Running text, not a title page's lines run together ("SIXTH COORDINATION MEETING … Population
    Division, Department of Economic and Social Affairs … New York, 26-27 November 2007"): prose
    is mostly words in lower case."""
    return sum(word[:1].islower() for word in words) >= PROSE_LOWER_SHARE * len(words)


def _meeting_mentions(cleaned: str, blocks: list[_Block]) -> list[_Mention]:
    mentions = []
    # Blocks are in order and do not overlap: the one holding a mention is found by bisection, not
    # by a walk over the blocks for each mention (a document naming a meeting in each of its
    # paragraphs took time in the square of its length).
    starts = [b.start for b in blocks]
    for match in meeting_names(cleaned):
        word = " ".join(match.group("ordinal").lower().split())
        number = ORDINALS.get(word) or int(re.sub(r"\D", "", word) or 0)
        if number <= 0:
            continue
        index = bisect.bisect_right(starts, match.start()) - 1
        inside = index >= 0 and match.start() < max(blocks[index].end, blocks[index].start + 1)
        mentions.append(_Mention(number, match.start(), index if inside else 0))
    return mentions


def meeting_names(cleaned: str) -> Iterator[re.Match[str]]:
    """What `_MEETING.finditer(cleaned)` finds, without trying its forty ordinals at every word
    (3 ms of every document indexed): each name ends where "coordination meeting" does, and
    starts after the last character before it that no name holds (a full stop, a comma), and
    after the last such ending, since no name holds "coordination meeting" before its end."""
    barriers: list[int] | None = None
    searched_to = 0
    for end in _MEETING_END.finditer(cleaned):
        if barriers is None:
            barriers = [m.start() for m in _NOT_IN_A_NAME.finditer(cleaned)]
        before = bisect.bisect_left(barriers, end.start()) - 1
        start = max(searched_to, barriers[before] + 1 if before >= 0 else 0)
        found = _MEETING.search(cleaned, start, end.end())
        if found is not None:
            yield found
        searched_to = end.end()


def _own_meeting(mentions: list[_Mention], front: int, blocks: list[_Block], symbol: str | None) -> _Mention | None:
    """The title page or a heading names the document's meeting; failing that, its first mention."""
    for mention in mentions:
        if mention.block < front or blocks[mention.block].is_heading:
            return mention
    by_symbol = _SYMBOL_MEETING.search(symbol or "")
    if by_symbol:
        number = int(by_symbol.group(1))
        return next((m for m in mentions if m.number == number), _Mention(number, 0, 0))
    return mentions[0] if mentions else None


def _dated_meeting(own: _Mention, cleaned: str, blocks: list[_Block]) -> MeetingRef:
    """The first date range after the meeting's name, within a few blocks of it."""
    window_end = blocks[min(own.block + 6, len(blocks) - 1)].end if blocks else len(cleaned)
    window = cleaned[own.position : window_end]
    for span in find_dates(window):
        if span.kind == "range":
            return MeetingRef(own.number, span.start, span.end, place=_place_before(window, span.position))
    # A meeting that lasted a single day, named in the same sentence.
    sentence = _sentence_at(cleaned, own.position)
    for span in find_dates(sentence):
        if span.kind == "day":
            return MeetingRef(own.number, span.start, span.end)
    return MeetingRef(own.number)


_PLACE = re.compile(
    r"(?:\bin\s+|^|\s)(?P<place>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?),?\s*(?:from|on)?\s*$"
)


def _place_before(text: str, position: int) -> str | None:
    """"New York" in "in New York from 15 to 16 October" or "New York, 20-21 November"."""
    before = text[max(0, position - 60) : position].rstrip()
    match = _PLACE.search(before)
    if match is None:
        return None
    place = match.group("place")
    return None if place.lower() in {"headquarters", "secretariat", "division", "affairs"} else place


def _mentioned_meetings(mentions: list[_Mention], own: _Mention | None, cleaned: str) -> tuple[MeetingRef, ...]:
    refs: dict[int, MeetingRef] = {}
    for mention in mentions:
        if own is not None and mention.number == own.number:
            continue
        ref = _ref_from_sentence(mention.number, _sentence_at(cleaned, mention.position))
        known = refs.get(mention.number)
        if known is None or (known.start_date is None and known.month is None):
            refs[mention.number] = ref
    return tuple(sorted(refs.values(), key=lambda r: r.number))


def _ref_from_sentence(number: int, sentence: str) -> MeetingRef:
    spans: list[DateSpan] = find_dates(sentence)
    for span in spans:
        if span.kind == "range":
            return MeetingRef(number, span.start, span.end)
    for span in spans:
        if span.kind == "month":
            return MeetingRef(number, month=span.month)
    return MeetingRef(number)


_SENTENCE_END = re.compile(r"\.\s+(?=[A-Z])|\n\s*\n")
_SENTENCE_LIMIT = 4000


def _sentence_at(text: str, position: int) -> str:
    """From `position` to the end of its sentence (a full stop followed by a capital, or a blank line)."""
    # Looked for within a bounded stretch: a text with no sentence end must not be read to its end
    # for each of its mentions.
    limit = min(len(text), position + _SENTENCE_LIMIT)
    match = _SENTENCE_END.search(text, position, limit)
    return text[position : match.start() if match else min(limit, position + 400)]


def _symbol(front: list[_Block]) -> str | None:
    for block in front:
        for match in _SYMBOL.finditer(block.text):
            if match.group().count("/") >= 2 and re.search(r"\d", match.group()):
                return match.group()
    return None


def _doc_date(front: list[_Block]) -> date | None:
    for block in front:
        for span in find_dates(block.text):
            if span.kind == "day":
                return span.start
    return None


def _kind(blocks: list[_Block], front: int, symbol: str | None) -> str:
    headings = [b.text for b in blocks if b.is_heading] + [b.text for b in blocks[:front]]
    if any(re.search(r"\bexecutive summary\b", h, re.I) for h in headings):
        return Kind.SUMMARY
    if any(re.search(r"^(?:[IVX]+\.\s+)?report of the\b.*\bmeeting\b", h, re.I) for h in headings):
        return Kind.REPORT
    if symbol is not None:
        return Kind.PAPER
    return Kind.OTHER


def _organization(front: list[_Block], kind: str) -> str | None:
    if kind in (Kind.REPORT, Kind.SUMMARY):
        return POPULATION_DIVISION
    for block in front:
        text = " ".join(block.text.split())
        if _CONVENER.search(text) or len(text.split()) > 14 or _SYMBOL.search(text):
            continue
        acronym = _ACRONYM_IN_PARENS.search(text)
        if acronym and _ORG_WORDS.search(text):
            name = text[: acronym.start()].strip(" ,*")
            return f"{_titlecase(name, set())} ({acronym.group(1)})"
    for block in front:
        text = " ".join(block.text.split())
        if (not _CONVENER.search(text) and _ORG_WORDS.search(text) and len(text.split()) <= 10
                and not text.endswith(".") and not _NOT_AN_AUTHOR.match(text)):
            return _titlecase(text.strip(" ,*"), set())
    return None


def _title(kind: str, meeting: MeetingRef | None, organization: str | None, front: list[_Block],
           blocks: list[_Block], fallback: str) -> str:
    if meeting is not None and kind == Kind.REPORT:
        return f"Report of the {meeting_title(meeting.number)}"
    if meeting is not None and kind == Kind.SUMMARY:
        return f"Executive Summary of the {meeting_title(meeting.number)}"
    acronyms = _acronyms(blocks)
    for block in front:
        if not block.is_heading or _CONVENER.search(block.text) or _ACRONYM_IN_PARENS.search(block.text):
            continue
        if organization and _same_name(block.text, organization):
            continue
        return _titlecase(block.text, acronyms)
    if organization is not None:
        return f"Contribution of the {organization.removeprefix('the ')}" if organization[:1].isupper() else organization
    # No title of its own: one from what is known of it, never its first heading (an agenda's
    # first heading is a day, and every passage is searched with the title).
    named = next((m.group(1) for b in front if (m := _DOCUMENT_NAME.match(b.text))), None)
    if named and meeting is not None:
        return f"{_titlecase(named, acronyms)} of the {meeting_title(meeting.number)}"
    if meeting is not None:
        return meeting_title(meeting.number)
    return named and _titlecase(named, acronyms) or fallback


def _same_name(heading: str, organization: str) -> bool:
    simple = re.compile(r"[^a-z]+")
    return simple.sub("", heading.lower()).startswith(simple.sub("", organization.lower().split("(")[0]))


def _acronyms(blocks: list[_Block]) -> set[str]:
    """Upper-case words the document also uses in running text: those stay upper-case in titles."""
    found: set[str] = set()
    for block in blocks:
        if not block.is_heading and not block.text.isupper():
            found.update(re.findall(r"\b[A-Z]{2,8}\b", block.text))
    return found


def _titlecase(text: str, acronyms: set[str]) -> str:
    if not any(c.islower() for c in text):
        words = []
        for i, word in enumerate(text.split()):
            stem = re.sub(r"['’]S$", "", word.strip("()\"“”,:"))
            if stem in acronyms or (word.startswith("(") and word.endswith(")")):
                words.append(word[: len(word) - 2] + word[-2:].lower() if stem != word.strip("()\"“”,:") else word)
            elif i > 0 and word.lower() in _SMALL_WORDS:
                words.append(word.lower())
            else:
                words.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
        text = " ".join(words)
    return text[:1].upper() + text[1:]
