"""One query across the meetings (`Archive.compare`): its best passages in each meeting, in the order
the meetings were held, so that a reader sees how the language on a subject changed over the years.

A search limited to one meeting (`meeting:5`) costs as much as one of the whole archive, the ranking
of every matching passage being the work: twenty of them took 4 s on 2,000 documents. So one search
is made, deep enough to hold most meetings' best passages, and its count of matches in every
document gives each meeting's totals; only a meeting whose best passages lie deeper than that is
searched alone (0.3 s in all for the same query). The global ranking restricted to a meeting is the
ranking its own search gives: the same scores, the same tiers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from migarchive.core import plain_search
from migarchive.core.meetings import Meeting
from migarchive.core.results import Comparison, Hit, MeetingPassages, SearchResults

DEPTH = 4  # the first search holds this many times the passages shown
Search = Callable[[str, int], SearchResults]


def within_meeting(query: str, number: int) -> str:
    """`query` limited to one meeting. A query with operators is bracketed first, so that the filter
    applies to all of it ("a OR b meeting:5" would be "a OR (b AND meeting:5)"); a plain query is
    not, to keep its forgiving matching."""
    if plain_search.parse(query) is None:
        return f"({query}) meeting:{number}"
    return f"{query} meeting:{number}"


def compare_meetings(search: Search, meetings: Sequence[Meeting], query: str, per_meeting: int = 3, *,
                     asked: str | None = None) -> Comparison:
    """The best `per_meeting` passages of `query` in each of `meetings` that has documents of its own;
    `asked` is the query as the user wrote it (default `query`)."""
    held = [m for m in meetings if not m.referenced_only and m.documents]
    overall = search(query, max(per_meeting * len(held) * DEPTH, 1))  # a bad query says so here, once
    searched = overall.corrected or query  # one spelling for every meeting
    meeting_of: dict[str, int] = {info.path: m.number for m in held for info in m.documents}
    counted = overall.per_document is not None
    totals: Counter[int] = Counter()
    documents: Counter[int] = Counter()
    for path, count in (overall.per_document or {}).items():
        if path in meeting_of:
            totals[meeting_of[path]] += count
            documents[meeting_of[path]] += 1
    best: dict[int, list[Hit]] = {m.number: [] for m in held}
    for hit in overall.hits:
        found = best.get(meeting_of.get(hit.path, -1))
        if found is not None and len(found) < per_meeting:
            found.append(hit)
    groups = []
    for meeting in held:
        hits = best[meeting.number]
        if len(hits) < per_meeting and (not counted or len(hits) < totals[meeting.number]):
            alone = search(within_meeting(searched, meeting.number), per_meeting)
            # Nothing found in this meeting is said so, not what yet another spelling would find.
            hits = [] if alone.corrected else list(alone.hits)
            if not counted:
                totals[meeting.number], documents[meeting.number] = alone.total, alone.documents
        groups.append(MeetingPassages(meeting, tuple(hits), totals[meeting.number] if hits else 0,
                                      documents[meeting.number] if hits else 0))
    return Comparison(asked or query, overall.corrected, tuple(groups), overall.terms)
