"""The meetings of an archive, built from its document records: which documents each holds, its
dates and place as most documents give them, and the meetings only mentioned by others."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from migarchive.core.ordinals import meeting_title
from migarchive.core.model import DocumentInfo, MeetingRef

# A meeting's own documents open on the report, then its summary, then the rest by title.
_KIND_ORDER = {"report": 0, "executive summary": 1}


@dataclass(frozen=True)
class Meeting:
    number: int
    title: str
    start_date: date | None
    end_date: date | None
    month: str | None
    referenced_only: bool
    documents: tuple[DocumentInfo, ...] = field(default=())
    place: str | None = None


def build_meetings(infos: Iterable[DocumentInfo]) -> tuple[list[Meeting], list[DocumentInfo]]:
    """Meetings in order, each with its documents, and the documents (by path) that belong to none."""
    ordered = sorted(infos, key=lambda info: info.path)
    own: dict[int, list[DocumentInfo]] = {}
    unassigned = []
    for info in ordered:
        meeting = info.metadata.meeting
        if meeting is None:
            unassigned.append(info)
        else:
            own.setdefault(meeting.number, []).append(info)
    meetings = [_meeting(number, docs) for number, docs in own.items()]
    mentioned: dict[int, list[MeetingRef]] = {}
    for info in ordered:
        for ref in info.metadata.mentioned_meetings:
            if ref.number not in own:
                mentioned.setdefault(ref.number, []).append(ref)
    for number, refs in mentioned.items():
        start, end, month = _best_dates(refs)
        meetings.append(Meeting(number, meeting_title(number), start, end, month, True))
    return sorted(meetings, key=lambda m: m.number), unassigned


def meetings_by_year(meetings: Iterable[MeetingRef | None]) -> dict[str, tuple[int, ...]]:
    """Year → the meetings held in it, by the dates their documents give (`meetings`: the
    meeting each document belongs to)."""
    years: dict[int, Counter[str]] = {}
    for meeting in meetings:
        if meeting is not None and meeting.year:
            years.setdefault(meeting.number, Counter())[meeting.year] += 1
    by_year: dict[str, list[int]] = {}
    for number, counted in sorted(years.items()):
        by_year.setdefault(counted.most_common(1)[0][0], []).append(number)
    return {year: tuple(numbers) for year, numbers in by_year.items()}


def _meeting(number: int, docs: list[DocumentInfo]) -> Meeting:
    refs = [d.metadata.meeting for d in docs if d.metadata.meeting]
    start, end, month = _best_dates(refs)
    places = Counter(r.place for r in refs if r.place)
    docs = sorted(docs, key=lambda d: (_KIND_ORDER.get(d.metadata.kind, 2), d.metadata.title.lower(), d.path))
    return Meeting(number, meeting_title(number), start, end, month, False, tuple(docs),
                   places.most_common(1)[0][0] if places else None)


def _best_dates(refs: Iterable[MeetingRef]) -> tuple[date | None, date | None, str | None]:
    """Exact dates that most documents agree on; else the month named."""
    counted: dict[tuple[date, date | None], int] = {}
    months = []
    for ref in refs:
        if ref.start_date is not None:
            key = (ref.start_date, ref.end_date)
            counted[key] = counted.get(key, 0) + 1
        elif ref.month:
            months.append(ref.month)
    if counted:
        (start, end), _ = max(counted.items(), key=lambda kv: kv[1])
        return start, end, None
    return None, None, (months[0] if months else None)
