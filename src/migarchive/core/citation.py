"""A citation a researcher can paste into a paper: who, what, which meeting, where, when, section,
paragraph, page.

Titles and headings are given as a paper would print them: ALL-CAPS ones in title case (acronyms
kept), and a quotation inside one in single marks, since the citation puts the title in double ones.
"""

from __future__ import annotations

import re
from datetime import date

from migarchive.core.meetings import Meeting
from migarchive.core.labels import title_case
from migarchive.core.model import DocumentInfo

# A quotation inside a title: curly double marks, or straight ones in pairs.
_INNER_QUOTE = re.compile(r"“([^“”]*)”|\"([^\"]*)\"")


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


def quoted(text: str) -> str:
    """`text` in double quotation marks, the quotations inside it in single ones."""
    return "“" + _INNER_QUOTE.sub(lambda m: f"‘{m.group(1) if m.group(1) is not None else m.group(2)}’", text) + "”"


def cite(info: DocumentInfo, meeting: Meeting | None, section: str | None = None, page: int | None = None,
         paragraph: int | None = None) -> str:
    meta = info.metadata
    acronyms = [d.acronym for d in info.definitions]
    parts = []
    if meta.organization:
        parts.append(title_case(meta.organization, acronyms))
    parts.append(quoted(title_case(meta.title, acronyms)))
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
        parts.append(f"section {quoted(title_case(section, acronyms))}")
    if paragraph is not None:
        parts.append(f"para. {paragraph}")
    if page is not None:
        parts.append(f"p. {page}")
    return ", ".join(parts) + "."
