"""A citation a researcher can paste into a paper: who, what, which meeting, where, when, section."""

from __future__ import annotations

from datetime import date

from migarchive.core.meetings import Meeting
from migarchive.core.model import DocumentInfo


def format_dates(start: date | None, end: date | None, month: str | None = None) -> str | None:
    """"15–16 October 2003", "30 November – 1 December 2010", "July 2002"."""
    if start is None:
        if month:
            year, number = month.split("-")
            return f"{date(int(year), int(number), 1):%B} {year}"
        return None
    end = end or start
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


def cite(info: DocumentInfo, meeting: Meeting | None, section: str | None = None, page: int | None = None) -> str:
    meta = info.metadata
    parts = []
    if meta.organization:
        parts.append(meta.organization)
    parts.append(f"“{meta.title}”")
    if meeting is not None:
        parts.append(meeting.title)
        if meeting.place:
            parts.append(meeting.place)
        when = format_dates(meeting.start_date, meeting.end_date, meeting.month)
        if when:
            parts.append(when)
    if meta.symbol:
        parts.append(meta.symbol)
    if section:
        parts.append(f"section “{section}”")
    if page is not None:
        parts.append(f"p. {page}")
    return ", ".join(parts) + "."
