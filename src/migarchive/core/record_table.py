"""Every document's record (`DocumentInfo`) as saved beside the index, read back only as needed.

Opening an archive of 2,000 documents read 2,000 records with 16,000 sections back into objects
before anything else could happen: 60–100 ms of every command, and of every update twice (read and
written again). Saved as plain tuples they load in a sixth of that time, and a record becomes an
object only when something asks for it: a search that shows ten documents makes ten. The few facts
asked of every document on every open (its stamp, its title, its passage count) are read from the
tuples directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from migarchive.core.model import (
    AcronymDefinition,
    Defining,
    DocPath,
    DocumentInfo,
    MeetingRef,
    Metadata,
    Section,
    SectionId,
)

# Bumped whenever the tuples below change shape: a table saved by another version is not read.
FORMAT = 1
Plain = tuple[Any, ...]
Stamp = tuple[int, int, tuple[int, int] | None]

# Where the facts read without making the object sit in a record's tuple.
_SHA256, _SIZE, _MTIME, _METADATA, _PASSAGES, _DEFINITIONS, _SIDECAR = 1, 2, 3, 4, 6, 8, 10


def to_plain(info: DocumentInfo) -> Plain:
    meta = info.metadata
    return (info.path, info.sha256, info.size, info.mtime_ns,
            (meta.title, meta.kind, _ref_plain(meta.meeting), meta.organization, meta.symbol, meta.doc_date,
             tuple(_ref_plain(m) for m in meta.mentioned_meetings), meta.overridden),
            tuple((s.id, s.title, s.level, s.start, s.end, s.parent) for s in info.sections),
            info.passage_count, info.damaged_spots,
            tuple((d.acronym, d.long_form) for d in info.definitions),
            info.warnings, info.sidecar_stamp, info.page_starts, info.original_format)


def from_plain(plain: Plain) -> DocumentInfo:
    (path, sha256, size, mtime_ns, meta, sections, passage_count, damaged_spots, definitions, warnings,
     sidecar_stamp, page_starts, original_format) = plain
    title, kind, meeting, organization, symbol, doc_date, mentioned, overridden = meta
    return DocumentInfo(
        DocPath(path), sha256, size, mtime_ns,
        Metadata(title, kind, _ref(meeting), organization, symbol, doc_date,
                 tuple(r for r in map(_ref, mentioned) if r is not None), tuple(overridden)),
        tuple(Section(SectionId(i), t, level, start, end, SectionId(parent) if parent else None)
              for i, t, level, start, end, parent in sections),
        passage_count, damaged_spots, tuple(AcronymDefinition(a, long) for a, long in definitions),
        tuple(warnings), tuple(sidecar_stamp) if sidecar_stamp else None, tuple(page_starts), original_format)


def _ref_plain(ref: MeetingRef | None) -> Plain | None:
    return None if ref is None else (ref.number, ref.start_date, ref.end_date, ref.month, ref.place)


def _ref(plain: Plain | None) -> MeetingRef | None:
    return None if plain is None else MeetingRef(*plain)


class Records(Mapping[DocPath, DocumentInfo]):
    """Path → record; each record made from its tuple on first use (then kept), or given made."""

    def __init__(self, plain: Mapping[DocPath, Plain] | None = None,
                 made: Mapping[DocPath, DocumentInfo] | None = None) -> None:
        self._plain: dict[DocPath, Plain] = dict(plain or {})
        self._made: dict[DocPath, DocumentInfo] = dict(made or {})
        self._paths = sorted(self._plain.keys() | self._made.keys())

    def __getitem__(self, path: DocPath) -> DocumentInfo:
        info = self._made.get(path)
        if info is None:
            info = self._made[path] = from_plain(self._plain[path])  # KeyError for an unknown path
        return info

    def __contains__(self, path: object) -> bool:
        return path in self._plain or path in self._made

    def __iter__(self) -> Iterator[DocPath]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def stamp(self, path: DocPath) -> Stamp:
        """What says the file changed (size, modification time, sidecar's stamp), as `CorpusFile.stamp`."""
        info = self._made.get(path)
        if info is not None:
            return (info.size, info.mtime_ns, info.sidecar_stamp)
        plain = self._plain[path]
        sidecar = plain[_SIDECAR]
        return (plain[_SIZE], plain[_MTIME], tuple(sidecar) if sidecar else None)

    def title(self, path: DocPath) -> str:
        info = self._made.get(path)
        return info.metadata.title if info is not None else str(self._plain[path][_METADATA][0])

    def sha256(self, path: DocPath) -> str:
        info = self._made.get(path)
        return info.sha256 if info is not None else str(self._plain[path][_SHA256])

    def passages(self) -> int:
        """Passages in all documents."""
        return sum(info.passage_count if (info := self._made.get(path)) is not None else self._plain[path][_PASSAGES]
                   for path in self._paths)

    def definitions(self) -> list[tuple[str, str]]:
        """(acronym, long form) of every definition, document by document in path order."""
        found: list[tuple[str, str]] = []
        for path in self._paths:
            info = self._made.get(path)
            if info is None:
                found.extend(self._plain[path][_DEFINITIONS])
            else:
                found.extend((d.acronym, d.long_form) for d in info.definitions)
        return found

    def meetings(self) -> list[MeetingRef | None]:
        """The meeting each document belongs to, in path order."""
        return [info.metadata.meeting if (info := self._made.get(path)) is not None
                else _ref(self._plain[path][_METADATA][2]) for path in self._paths]

    def defining(self) -> list[Defining]:
        """What resolving entities needs of every document, in path order."""
        found = []
        for path in self._paths:
            info = self._made.get(path)
            if info is not None:
                found.append(info.defining())
            else:
                plain = self._plain[path]
                sidecar = plain[_SIDECAR]
                found.append(Defining(path, (plain[_SHA256], tuple(sidecar) if sidecar else None), plain[_DEFINITIONS]))
        return found

    def changed(self, removed: Iterable[DocPath], updated: Mapping[DocPath, DocumentInfo]) -> Records:
        """These records without `removed`, with `updated` added or replaced."""
        gone = set(removed) | updated.keys()
        return Records({p: v for p, v in self._plain.items() if p not in gone},
                       {**{p: v for p, v in self._made.items() if p not in gone}, **updated})

    def saved(self) -> dict[str, Any]:
        """What `loaded` reads back: the format under "", which no path is, and each tuple."""
        return {"": (FORMAT,), **{path: self._plain.get(path) or to_plain(self._made[path]) for path in self._paths}}

    @classmethod
    def loaded(cls, saved: Any) -> Records | None:
        """The records `saved` describes, or None when they were saved by another version."""
        if not isinstance(saved, dict) or saved.get("") != (FORMAT,):
            return None
        plain = {DocPath(path): value for path, value in saved.items() if path}
        if not all(isinstance(value, tuple) and len(value) == 13 and value[0] == path for path, value in plain.items()):
            return None
        return cls(plain)
