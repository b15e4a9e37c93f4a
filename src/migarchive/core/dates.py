"""Dates as UN documents write them: "15 to 16 October 2003", "16-17 February 2017", "July 2002"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DASH = r"\s*(?:-|–|—|to|and|until)\s*"
_DAY = r"(?P<{}>\d{{1,2}})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_PATTERNS = [
    # 30 December 2003 to 2 January 2004
    ("range", re.compile(rf"\b{_DAY.format('d1')}\s+(?P<m1>{_MONTH}),?\s+(?P<y1>(?:19|20)\d\d){_DASH}"
                         rf"{_DAY.format('d2')}\s+(?P<m2>{_MONTH}),?\s+{_YEAR}\b", re.I)),
    # 30 November to 1 December 2010
    ("range", re.compile(rf"\b{_DAY.format('d1')}\s+(?P<m1>{_MONTH}){_DASH}{_DAY.format('d2')}\s+(?P<m2>{_MONTH}),?\s+{_YEAR}\b", re.I)),
    # 15 to 16 October 2003, 16-17 February 2017
    ("range", re.compile(rf"\b{_DAY.format('d1')}{_DASH}{_DAY.format('d2')}\s+(?P<m1>{_MONTH}),?\s+{_YEAR}\b", re.I)),
    # October 15-16, 2003
    ("range", re.compile(rf"\b(?P<m1>{_MONTH})\s+{_DAY.format('d1')}{_DASH}{_DAY.format('d2')},?\s+{_YEAR}\b", re.I)),
    ("day", re.compile(rf"\b{_DAY.format('d1')}\s+(?P<m1>{_MONTH}),?\s+{_YEAR}\b", re.I)),
    ("day", re.compile(rf"\b(?P<m1>{_MONTH})\s+{_DAY.format('d1')},\s+{_YEAR}\b", re.I)),
    ("month", re.compile(rf"\b(?P<m1>{_MONTH})\s+{_YEAR}\b", re.I)),
]


@dataclass(frozen=True)
class DateSpan:
    kind: str  # "range", "day" or "month"
    start: date | None
    end: date | None
    month: str | None  # "YYYY-MM" for a month-only mention
    position: int
    end_position: int


def find_dates(text: str) -> list[DateSpan]:
    """Every date or date range in `text`, in order; a range is not also reported as its parts."""
    found: list[DateSpan] = []
    # One byte per character, set where a date was kept: a later, looser pattern's match is checked
    # against its own length, not against every date found before (a page of dates took minutes).
    taken = bytearray(len(text))
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if taken.find(1, start, end) != -1:
                continue
            span = _to_span(kind, match)
            if span is not None:
                found.append(span)
                taken[start:end] = b"\x01" * (end - start)
    return sorted(found, key=lambda s: s.position)


def _to_span(kind: str, match: re.Match[str]) -> DateSpan | None:
    groups = match.groupdict()
    year = int(groups["year"])
    m1 = _MONTHS[groups["m1"].lower().rstrip(".")]
    try:
        if kind == "month":
            return DateSpan(kind, None, None, f"{year:04d}-{m1:02d}", match.start(), match.end())
        start = date(int(groups.get("y1") or year), m1, int(groups["d1"]))
        if kind == "day":
            return DateSpan(kind, start, start, None, match.start(), match.end())
        m2 = _MONTHS[groups["m2"].lower().rstrip(".")] if groups.get("m2") else m1
        end = date(year, m2, int(groups["d2"]))
    except ValueError:  # 31 February and the like: not a date
        return None
    if end < start:
        return None
    return DateSpan(kind, start, end, None, match.start(), match.end())
