"""Bringing an index up to date with the corpus files: a full build aside, or an update of what
changed, and the records and entities derived from it.

A function from the index store, the corpus files, the gazetteer, progress and cancel to the new
state and what changed; it knows nothing of the facade that swaps the state in, nor of notes
beyond marking, before a commit, which documents' notes must be anchored again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from dataclasses import dataclass

from whoosh.index import Index
from whoosh.writing import IndexWriter

# Indexing (reading, analysing documents) is imported where a file has changed, and the entity
# resolver where entities are resolved or first asked for: opening an unchanged archive, as a
# command-line search does, needs neither.
from migarchive.core import collector, isolation
from migarchive.core.cancelling import Progress, check
from migarchive.core.entity_model import Entity
from migarchive.core.gazetteer import Gazetteer
from migarchive.core.candidate_store import CandidateStore
from migarchive.core.index import CANDIDATES, LEGACY_ENTITIES, RECORDS, RESOLVED, SKIPPED, IndexStore
from migarchive.core.model import DocPath, DocumentInfo, Skipped
from migarchive.core.reading import CorpusFile
from migarchive.core.record_table import Records
from migarchive.errors import IndexProblem

if TYPE_CHECKING:
    from migarchive.core.entities import Resolved
    from migarchive.core.indexing import Prepared


@dataclass(frozen=True)
class Synced:
    """The new state of an index and what changed to reach it."""

    ix: Index
    infos: Records
    entities: Callable[[], list[Entity]]  # loaded when first asked for: a search rarely needs them
    skipped: tuple[Skipped, ...]
    added: tuple[DocPath, ...]
    updated: tuple[DocPath, ...]
    removed: tuple[DocPath, ...]
    rebuilt: bool
    notice: str | None  # something the user should hear about, e.g. a damaged index was rebuilt

    @property
    def changed(self) -> tuple[DocPath, ...]:
        return (*self.added, *self.updated, *self.removed)


def synchronise(store: IndexStore, files: list[CorpusFile], skipped: list[Skipped], gazetteer: Gazetteer, *,
                rebuild: bool, progress: Progress, cancel: threading.Event | None,
                notes_exist: Callable[[], bool], workers: int | None = None) -> Synced:
    """Bring the index in `store` up to date with `files`; the caller holds the store's write lock.
    `skipped` (what discovery refused) is extended with what could not be indexed."""
    notice = None
    ix, problem = (None, None) if rebuild else store.open_live()
    derived_key = store.live_key() if ix is not None else None
    saved_records = Records.loaded(store.load_derived(derived_key, RECORDS))
    infos = saved_records if saved_records is not None else _read_infos(ix) if ix is not None else None
    if ix is not None and infos is None:
        problem = "its document records cannot be read"
    if ix is None or infos is None:
        if ix is not None:
            ix.close()
        if problem is not None:
            notice = f"the search index was damaged ({problem}) and has been rebuilt"
        ix, infos, fresh = _rebuild(store, files, skipped, gazetteer, progress, cancel, notes_exist, workers)
        added, updated, removed = sorted(infos), list[DocPath](), list[DocPath]()
        rebuilt = True
    else:
        try:
            infos, fresh, (added, updated, removed) = _update(store, ix, infos, files, skipped, gazetteer,
                                                              progress, cancel, notes_exist)
        except BaseException:
            ix.close()
            raise
        rebuilt = False
    changed = bool(added or updated or removed)
    if saved_records is not None and not changed and store.has_derived(derived_key, RESOLVED):
        def saved_entities() -> list[Entity]:
            from migarchive.core import entities

            before = _load_resolved(store, derived_key)
            if before is None:
                return _resolve_from(ix, gazetteer)
            # Unchanged, every document is taken from the last resolution: none is resolved again.
            kept = CandidateStore(store.root / CANDIDATES)  # connects only if one is
            try:
                with collector.paused():
                    return entities.resolve_documents(infos.defining(), gazetteer, before,
                                                      _candidates_from(ix, kept, infos, {})).entities()
            finally:
                kept.close()

        entities_of = _later(saved_entities)
    else:
        from migarchive.core import entities

        # The last resolution: unchanged documents are taken from it. Without it every document is
        # resolved, with the candidates its record in the index holds.
        before = _load_resolved(store, derived_key) if saved_records is not None else None
        if before is None and not rebuilt:
            fresh = {**_read_candidates(ix), **fresh}
        kept = CandidateStore(store.root / CANDIDATES)
        # What follows makes the new state and no garbage: the collector need not walk it (`collector`).
        with collector.paused():
            try:
                resolution = entities.resolve_documents(infos.defining(), gazetteer, before,
                                                        _candidates_from(ix, kept, infos, fresh))
                kept.update(((path, (infos[path].sha256, infos[path].sidecar_stamp), candidates)
                             for path, candidates in fresh.items() if path in infos),
                            removed=removed, everything=rebuilt)
            finally:
                kept.close()
            key = store.live_key()
            store.save_derived(key, infos.saved(), RECORDS)
            resolved = resolution.resolved
            # Saved as one dict: its format and the definitions' digest under "", which no path is.
            store.save_derived(key, {"": (entities.RESOLVED_FORMAT, resolved.registry), **resolved.documents},
                               RESOLVED)
        store.discard_derived(LEGACY_ENTITIES)

        def gathered() -> list[Entity]:
            with collector.paused():
                return resolution.entities()

        entities_of = _later(gathered)
    isolation.log_skipped(skipped)
    return Synced(ix, infos, entities_of, tuple(skipped), tuple(added), tuple(updated),
                  tuple(removed), rebuilt, notice)


def _later(load: Callable[[], list[Entity]]) -> Callable[[], list[Entity]]:
    """`load()` once, when first asked for, whichever thread asks."""
    lock = threading.Lock()
    done: list[list[Entity]] = []

    def get() -> list[Entity]:
        with lock:
            if not done:
                done.append(load())
            return done[0]

    return get


def _resolve_from(ix: Index, gazetteer: Gazetteer) -> list[Entity]:
    from migarchive.core import entities

    # The saved entities went missing after opening: resolved from the index's own records.
    try:
        infos = _read_infos(ix)
    except Exception:  # noqa: BLE001 - a closed or damaged index: no entities rather than a crash
        return []
    return entities.resolve(infos.defining(), gazetteer, _read_candidates(ix)) if infos else []


def _candidates_from(ix: Index, kept: CandidateStore, infos: Mapping[DocPath, DocumentInfo],
                     fresh: dict[DocPath, tuple[Any, ...]]) -> Callable[[DocPath], tuple[Any, ...]]:
    """A document's entity candidates, for those resolving must resolve again: as just found, else
    as kept beside the index, else from the document's record in the index."""
    def candidates(path: DocPath) -> tuple[Any, ...]:
        if path in fresh:
            return fresh[path]
        info = infos[path]
        found = kept.get(path, (info.sha256, info.sidecar_stamp))
        if found is not None:
            return found
        from migarchive.core import records

        with ix.searcher() as searcher:
            fields = searcher.document(doctype="document", path=path)
        return records.candidates_of(fields["record"]) if fields else ()

    return candidates


def _read_candidates(ix: Index) -> dict[DocPath, tuple[Any, ...]]:
    """Every document's entity candidates, from the records in the index."""
    from migarchive.core import records

    try:
        with ix.searcher() as searcher:
            return {DocPath(fields["path"]): records.candidates_of(fields["record"])
                    for fields in searcher.documents(doctype="document")}
    except Exception:  # noqa: BLE001 - a damaged index: resolved without them, rebuilt at the next open
        return {}


def _load_resolved(store: IndexStore, key: str | None) -> Resolved | None:
    from migarchive.core import entities

    saved = store.load_derived(key, RESOLVED)
    if not isinstance(saved, dict) or saved.get("") is None:
        return None
    head = saved.pop("")
    if not (isinstance(head, tuple) and head[:1] == (entities.RESOLVED_FORMAT,)):
        return None  # written by another version: resolved from scratch
    if not all(isinstance(entry, tuple) and len(entry) == 5 and isinstance(entry[2], bytes)
               for entry in saved.values()):
        return None
    return entities.Resolved(head[1], saved)


def _rebuild(store: IndexStore, files: list[CorpusFile], skipped: list[Skipped], gazetteer: Gazetteer,
             progress: Progress, cancel: threading.Event | None, notes_exist: Callable[[], bool],
             workers: int | None) -> tuple[Index, Records, dict[DocPath, tuple[Any, ...]]]:
    from migarchive.core import indexing

    def before_commit() -> None:
        if notes_exist():
            store.mark_notes_pending((), everything=True)

    with store.new_generation() as ix:
        indexed = indexing.build(ix, files, gazetteer, progress, cancel, before_commit, workers=workers)
    skipped.extend(indexed.skipped)
    skipped.sort(key=lambda s: s.path)
    memory = isolation.SkipMemory(store.root / SKIPPED)
    stamps = {f.path: f.stamp for f in files}
    for entry in indexed.skipped:
        memory.remember(entry, stamps[entry.path])
    memory.save()
    fresh = store.open_current()
    if fresh is None:
        raise IndexProblem(f"the index just built in {store.root} cannot be opened")
    return fresh, Records(made=indexed.infos), indexed.candidates


def _update(store: IndexStore, ix: Index, known_infos: Records, files: list[CorpusFile],
            skipped: list[Skipped], gazetteer: Gazetteer, progress: Progress, cancel: threading.Event | None,
            notes_exist: Callable[[], bool]
            ) -> tuple[Records, dict[DocPath, tuple[Any, ...]], tuple[list[DocPath], list[DocPath], list[DocPath]]]:
    """The records after the update, the entity candidates of the documents read, and what was
    added, updated and removed."""
    current = {f.path for f in files}
    removed = [path for path in known_infos if path not in current]
    todo: list[tuple[CorpusFile, Prepared]] = []
    memory = isolation.SkipMemory(store.root / SKIPPED)
    for done, file in enumerate(files):
        check(cancel)
        stamp = file.stamp
        if file.path in known_infos and known_infos.stamp(file.path) == stamp:
            continue
        known = known_infos.get(file.path)
        remembered = memory.recall(file.path, stamp) if known is None else None
        if remembered is not None:
            skipped.append(remembered)
            continue
        progress(done, len(files), file.path)
        same_sidecar = known is not None and known.sidecar_stamp == file.sidecar_stamp
        from migarchive.core import indexing

        prepared = indexing.prepare(file, gazetteer, known.sha256 if known and same_sidecar else None)
        if prepared is None:
            continue  # touched, not changed
        if isinstance(prepared, Skipped):
            skipped.append(prepared)
            memory.remember(prepared, stamp)
            if known is not None:
                removed.append(file.path)
            continue
        todo.append((file, prepared))
    memory.save()
    if not todo and not removed:
        return known_infos, {}, ([], [], [])
    from migarchive.core import indexing
    from migarchive.core.segment_writer import new_writer

    writer: IndexWriter = new_writer(ix)
    written: dict[DocPath, DocumentInfo] = {}
    added: list[DocPath] = []
    updated: list[DocPath] = []
    try:
        for path in removed:
            writer.delete_by_term("path", path)
        words: set[str] = set()
        fresh: dict[DocPath, tuple[Any, ...]] = {}
        for file, prepared in todo:
            (updated if file.path in known_infos else added).append(file.path)
            writer.delete_by_term("path", file.path)
            indexing.write(writer, prepared)
            written[file.path] = prepared.info
            fresh[file.path] = prepared.candidates
            words |= prepared.words
        with ix.reader() as reader:
            indexing.add_spelling(writer, words, reader)
        check(cancel)
        if notes_exist():
            store.mark_notes_pending([*removed, *added, *updated])
        writer.commit(mergetype=indexing.merge_small_segments)
    except BaseException:
        writer.cancel()
        raise
    store.seal(ix)
    return known_infos.changed(removed, written), fresh, (added, updated, sorted(removed))


def _read_infos(ix: Index) -> Records | None:
    """The document records of an index, or None if the index cannot be read (then: rebuild)."""
    from migarchive.core import records

    try:
        with ix.searcher() as searcher:
            return Records(made={DocPath(fields["path"]): records.loads(fields["record"])
                                 for fields in searcher.documents(doctype="document")})
    except Exception:  # noqa: BLE001 - a damaged index is rebuilt, never a crash
        return None

