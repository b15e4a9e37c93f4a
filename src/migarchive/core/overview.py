"""The archive at a glance, for the start page: the meetings as a timeline, the agencies and
initiatives named most, the latest notes, and what could not be read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from migarchive.core.entity_model import Entity
from migarchive.core.gazetteer import AGENCY, INITIATIVE
from migarchive.core.meetings import Meeting
from migarchive.core.model import DocumentInfo, Skipped
from migarchive.core.notes.model import Annotation

TOP_ENTITIES = 8  # of each kind
LATEST_NOTES = 5


@dataclass(frozen=True)
class MeetingLine:
    meeting: Meeting
    kinds: tuple[tuple[str, int], ...]  # (kind of document, how many), most first


@dataclass(frozen=True)
class Overview:
    documents: int
    passages: int
    meetings: tuple[MeetingLine, ...]  # in the order held, with those only referenced
    unassigned: int  # documents under no meeting
    agencies: tuple[Entity, ...]  # named most, the United Nations system apart
    initiatives: tuple[Entity, ...]
    notes: tuple[Annotation, ...]  # the latest changed first
    skipped: tuple[Skipped, ...]


def overview(meetings: Iterable[Meeting], unassigned: Iterable[DocumentInfo], found: Iterable[Entity],
             annotations: Iterable[Annotation], skipped: Iterable[Skipped]) -> Overview:
    meetings, unassigned, found = list(meetings), list(unassigned), list(found)
    infos = [info for m in meetings for info in m.documents] + unassigned
    lines = tuple(MeetingLine(m, tuple(Counter(d.metadata.kind for d in m.documents).most_common()))
                  for m in meetings)

    def top(kind: str) -> tuple[Entity, ...]:
        named = [e for e in found if e.kind == kind and not e.system]
        return tuple(sorted(named, key=lambda e: (-len(e.mentions), e.name.lower()))[:TOP_ENTITIES])

    latest = sorted(annotations, key=lambda a: (a.modified, a.id), reverse=True)[:LATEST_NOTES]
    return Overview(len(infos), sum(i.passage_count for i in infos), lines, len(unassigned), top(AGENCY),
                    top(INITIATIVE), tuple(latest), tuple(skipped))
