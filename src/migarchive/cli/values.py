"""The JSON shapes the commands print: documents, meetings, results, entities, notes."""

from __future__ import annotations

from typing import Any

from migarchive.core.entity_model import Entity
from migarchive.core.meetings import Meeting
from migarchive.core.archive import Archive
from migarchive.core.model import Document, DocumentInfo
from migarchive.core.notes.model import Annotation, Bookmark
from migarchive.core.results import SearchResults


def document_json(info: DocumentInfo) -> dict[str, Any]:
    meta = info.metadata
    return {
        "path": info.path,
        "title": meta.title,
        "kind": meta.kind,
        "organization": meta.organization,
        "symbol": meta.symbol,
        "sections": [{"id": s.id, "title": s.title, "level": s.level} for s in info.sections],
    }


def meeting_json(meeting: Meeting) -> dict[str, Any]:
    return {
        "number": meeting.number,
        "title": meeting.title,
        "start_date": meeting.start_date.isoformat() if meeting.start_date else None,
        "end_date": meeting.end_date.isoformat() if meeting.end_date else None,
        "month": meeting.month,
        "place": meeting.place,
        "referenced_only": meeting.referenced_only,
        "documents": [document_json(d) for d in meeting.documents],
    }


def results_json(results: SearchResults) -> dict[str, Any]:
    return {
        "query": results.query,
        "corrected": results.corrected,
        "suggestion": results.suggestion,
        "loosened": results.loosened,
        "also_searched": list(results.also_searched),
        "total": results.total,
        "results": [
            {"path": h.path, "title": h.title, "meeting": h.meeting, "section": h.section,
             "passage_id": h.passage_id, "page": h.page, "score": h.score, "snippet": h.snippet}
            for h in results.hits
        ],
        **({"notes": [{"path": h.path, "title": h.title, "note_id": h.note_id, "snippet": h.snippet}
                      for h in results.notes]} if results.notes_only or results.notes else {}),
    }


def entity_json(entity: Entity) -> dict[str, Any]:
    return {
        "name": entity.name,
        "acronym": entity.acronym,
        "kind": entity.kind,
        "system": entity.system,
        "aliases": list(entity.aliases),
        "editions": list(entity.editions),
        "mentions": len(entity.mentions),
        "documents": [{"path": path, "mentions": count} for path, count in entity.documents()],
    }


def annotation_json(annotation: Annotation) -> dict[str, Any]:
    return {"id": annotation.id, "path": annotation.path, "exact": annotation.exact, "note": annotation.note,
            "tags": list(annotation.tags), "status": annotation.status, "start": annotation.start,
            "end": annotation.end}


def bookmark_json(bookmark: Bookmark) -> dict[str, Any]:
    return {"id": bookmark.id, "path": bookmark.path, "passage_id": bookmark.passage_id, "label": bookmark.label,
            "exact": bookmark.exact, "status": bookmark.status, "start": bookmark.start, "end": bookmark.end}


def describe(info: DocumentInfo) -> str:
    meta = info.metadata
    return "; ".join(x for x in (meta.kind, meta.organization, meta.symbol) if x)


def dates(meeting: Meeting) -> str:
    if meeting.start_date and meeting.end_date and meeting.start_date != meeting.end_date:
        return f"{meeting.start_date.isoformat()} – {meeting.end_date.isoformat()}"
    if meeting.start_date:
        return meeting.start_date.isoformat()
    return meeting.month or ""


def info_of(document: Document) -> DocumentInfo:
    return Archive.info_of(document)
