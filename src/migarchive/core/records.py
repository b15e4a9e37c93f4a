"""`DocumentInfo` to and from the JSON kept in the index."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from migarchive.core.model import (
    AcronymDefinition,
    DocPath,
    DocumentInfo,
    MeetingRef,
    Metadata,
    Section,
    SectionId,
)


def meeting_to_json(ref: MeetingRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {
        "number": ref.number,
        "start_date": _iso(ref.start_date),
        "end_date": _iso(ref.end_date),
        "month": ref.month,
        "place": ref.place,
    }


def meeting_from_json(data: dict[str, Any] | None) -> MeetingRef | None:
    if data is None:
        return None
    return MeetingRef(
        number=int(data["number"]),
        start_date=_day(data.get("start_date")),
        end_date=_day(data.get("end_date")),
        month=data.get("month"),
        place=data.get("place"),
    )


def dumps(info: DocumentInfo, candidates: tuple[Any, ...] = ()) -> str:
    """The record stored in the index: the document's `info`, and its entity candidates (kept there
    too, so that a lost derived state can be made again from the index alone)."""
    meta = info.metadata
    return json.dumps(
        {
            "path": info.path,
            "sha256": info.sha256,
            "size": info.size,
            "mtime_ns": info.mtime_ns,
            "title": meta.title,
            "kind": meta.kind,
            "meeting": meeting_to_json(meta.meeting),
            "organization": meta.organization,
            "symbol": meta.symbol,
            "doc_date": _iso(meta.doc_date),
            "mentioned_meetings": [meeting_to_json(m) for m in meta.mentioned_meetings],
            "overridden": list(meta.overridden),
            "sections": [[s.id, s.title, s.level, s.start, s.end, s.parent] for s in info.sections],
            "passage_count": info.passage_count,
            "damaged_spots": info.damaged_spots,
            "definitions": [[d.acronym, d.long_form] for d in info.definitions],
            "warnings": list(info.warnings),
            "sidecar_stamp": list(info.sidecar_stamp) if info.sidecar_stamp else None,
            "candidates": [list(c) for c in candidates],
            "page_starts": list(info.page_starts),
            "original_format": info.original_format,
        },
        ensure_ascii=False,
    )


def loads(text: str) -> DocumentInfo:
    data = json.loads(text)
    metadata = Metadata(
        title=data["title"],
        kind=data["kind"],
        meeting=meeting_from_json(data["meeting"]),
        organization=data["organization"],
        symbol=data["symbol"],
        doc_date=_day(data["doc_date"]),
        mentioned_meetings=tuple(m for m in map(meeting_from_json, data["mentioned_meetings"]) if m),
        overridden=tuple(data["overridden"]),
    )
    return DocumentInfo(
        path=DocPath(data["path"]),
        sha256=data["sha256"],
        size=data["size"],
        mtime_ns=data["mtime_ns"],
        metadata=metadata,
        sections=tuple(
            Section(SectionId(i), title, level, start, end, SectionId(parent) if parent else None)
            for i, title, level, start, end, parent in data["sections"]
        ),
        passage_count=data["passage_count"],
        damaged_spots=data["damaged_spots"],
        definitions=tuple(AcronymDefinition(a, long) for a, long in data["definitions"]),
        warnings=tuple(data["warnings"]),
        sidecar_stamp=tuple(data["sidecar_stamp"]) if data.get("sidecar_stamp") else None,
        page_starts=tuple(data.get("page_starts", ())),
        original_format=data.get("original_format"),
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def candidates_of(text: str) -> tuple[tuple[Any, ...], ...]:
    """The entity candidates stored with a record, as plain tuples (form, surface, start, end,
    passage id, kind)."""
    return tuple(tuple(c) for c in json.loads(text).get("candidates", []))
