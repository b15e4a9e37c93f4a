"""The facade: one `Archive` per corpus folder, used alike by the CLI, the UI and the tests.

Opening an archive brings its index up to date: unchanged files (same size and modification time,
or same content hash) are reused, changed and new ones are re-read, removed ones dropped. A full
rebuild is built aside and swapped in, so the live index is never half-written. After each sync the
user's notes on changed documents are anchored again (`core.notes`).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from whoosh.index import Index
from whoosh.writing import IndexWriter

from migarchive.core import documents, entities, gazetteer, importing, indexing, isolation, records
from migarchive.core.entities import Entity
from migarchive.core.index import CANDIDATES, ENTITIES, RECORDS, SKIPPED, IndexStore
from migarchive.core.indexing import Cancelled, Progress, check  # noqa: F401 - Cancelled: part of the facade
from migarchive.core.metadata import meeting_title
from migarchive.core.model import DocPath, Document, DocumentInfo, MeetingRef, Skipped, SourceText
from migarchive.core.notes.store import NotesStore
from migarchive.core.reading import CorpusFile, corpus_file, discover, location, read_source
from migarchive.core.search import AcronymExpander, SearchEngine, SearchResults
from migarchive.core.vocabulary import Expansions, load_thesaurus
from migarchive.errors import DataDirError, DocumentNotFoundError, IndexProblem, NotesProblem
from migarchive.paths import AppPaths


@dataclass(frozen=True)
class SyncReport:
    documents: int
    passages: int
    added: tuple[DocPath, ...]
    updated: tuple[DocPath, ...]
    removed: tuple[DocPath, ...]
    skipped: tuple[Skipped, ...]
    rebuilt: bool
    seconds: float
    reanchored: int = 0  # notes of the changed documents found again in their new text
    orphaned: int = 0  # notes of the changed or removed documents whose text is gone
    notice: str | None = None  # something the user should hear about, e.g. a damaged index was rebuilt


@dataclass(frozen=True)
class AddReport:
    placed: tuple[importing.Placed, ...]
    sync: SyncReport | None
    unreadable: dict[str, str]  # added files that could not be indexed, with the reason

    @property
    def added(self) -> list[DocPath]:
        return [p.path for p in self.placed if p.status == importing.ADDED and p.path and p.path not in self.unreadable]


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


def _no_progress(done: int, total: int, message: str) -> None:
    return None


@dataclass(frozen=True)
class _State:
    """What readers see: replaced whole after each sync, so a search never meets a half update."""

    ix: Index
    searcher: Any
    engine: SearchEngine
    infos: dict[DocPath, DocumentInfo]
    entities: list[Entity]
    skipped: tuple[Skipped, ...]


class Archive:
    def __init__(self, paths: AppPaths) -> None:
        self.paths = paths
        isolation.log_to(paths.data_dir)
        self._gazetteer = gazetteer.load(paths.data_dir)
        self._thesaurus = load_thesaurus(paths.data_dir)
        self._store = IndexStore(paths.index_root, fingerprint=self._gazetteer.digest)
        self._state: _State | None = None
        self._state_lock = threading.Lock()  # guards swapping and using the state; held briefly
        self._meetings_cache: tuple[_State | None, tuple[Meeting, ...], tuple[DocumentInfo, ...]] | None = None
        self._sync_lock = threading.Lock()  # one sync at a time in this process
        self._notes: NotesStore | None = None
        self._notes_lock = threading.Lock()
        self.last_report: SyncReport | None = None
        self.extracted_cache = paths.data_dir / "extracted"
        # The bundled corpus keeps its `imported/` documents in the data directory; others in
        # their own folder, which the walk of the corpus finds anyway.
        self._imported = paths.imported if paths.bundled else None
        # Processes a full build may use; None: as many as pay off (`indexing.worker_count`).
        self.workers: int | None = None

    @classmethod
    def open(cls, paths: AppPaths, *, rebuild: bool = False, progress: Progress | None = None,
             cancel: threading.Event | None = None) -> Archive:
        archive = cls(paths)
        archive.sync(rebuild=rebuild, progress=progress, cancel=cancel)
        return archive

    # -- reading ---------------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        return self._state is not None

    @property
    def skipped(self) -> tuple[Skipped, ...]:
        return self._state.skipped if self._state else ()

    def documents(self) -> list[DocumentInfo]:
        infos = self._state.infos if self._state else {}
        return sorted(infos.values(), key=lambda info: info.path)

    def info(self, path: str) -> DocumentInfo:
        infos = self._state.infos if self._state else {}
        try:
            return infos[DocPath(path)]
        except KeyError:
            raise DocumentNotFoundError(f"no document '{path}' in {self.paths.corpus}") from None

    def document(self, path: str) -> Document:
        """The full document, read again from the corpus folder."""
        self.info(path)
        # The one file, not a walk of the corpus per opening.
        file = corpus_file(self.paths.corpus, path, self.extracted_cache, self._imported)
        source = read_source(file) if isinstance(file, CorpusFile) else file
        if not isinstance(file, CorpusFile) or not isinstance(source, SourceText):
            reason = source.reason if isinstance(source, Skipped) else "it is no longer in the corpus folder"
            raise DocumentNotFoundError(f"cannot open '{path}': {reason}")
        return documents.build(source, file)

    def meetings(self) -> tuple[list[Meeting], list[DocumentInfo]]:
        """Meetings in order, each with its documents, and the documents that belong to none."""
        # Views ask for a document's meeting per row (breadcrumbs, citations, the notes tree):
        # build the list once per state, not once per question.
        state = self._state
        cached = self._meetings_cache
        if cached is not None and cached[0] is state:
            return list(cached[1]), list(cached[2])
        meetings, unassigned = self._build_meetings()
        self._meetings_cache = (state, tuple(meetings), tuple(unassigned))
        return meetings, unassigned

    def _build_meetings(self) -> tuple[list[Meeting], list[DocumentInfo]]:
        own: dict[int, list[DocumentInfo]] = {}
        unassigned = []
        for info in self.documents():
            meeting = info.metadata.meeting
            if meeting is None:
                unassigned.append(info)
            else:
                own.setdefault(meeting.number, []).append(info)
        meetings = [_meeting(number, docs) for number, docs in own.items()]
        mentioned: dict[int, list[MeetingRef]] = {}
        for info in self.documents():
            for ref in info.metadata.mentioned_meetings:
                if ref.number not in own:
                    mentioned.setdefault(ref.number, []).append(ref)
        for number, refs in mentioned.items():
            start, end, month = _best_dates(refs)
            meetings.append(Meeting(number, meeting_title(number), start, end, month, True))
        return sorted(meetings, key=lambda m: m.number), unassigned

    def entities(self, kind: str | None = None) -> list[Entity]:
        """Agencies and initiatives, most mentioned first; `kind` is "agency" or "initiative"."""
        found = self._state.entities if self._state else []
        return [e for e in found if kind is None or e.kind == kind]

    def entity(self, text: str) -> Entity | None:
        """The entity named by an acronym, name or alias, in any case."""
        return entities.find(self.entities(), text)

    def meeting_of(self, path: str) -> Meeting | None:
        number = self.info(path).metadata.meeting
        if number is None:
            return None
        return next((m for m in self.meetings()[0] if m.number == number.number), None)

    def passage_text(self, path: str, passage_id: str) -> str | None:
        """A passage's indexed text (without damage marks), from the index rather than the file."""
        with self._state_lock:
            if self._state is None:
                return None
            fields = self._state.searcher.document(id=f"{path}#{passage_id}")
        return fields.get("text") if fields else None

    def search(self, query: str, limit: int = 10) -> SearchResults:
        with self._state_lock:
            if self._state is None:
                raise IndexProblem("the archive is not open yet")
            return self._state.engine.search(query, limit)

    # -- notes -----------------------------------------------------------------------------------

    @property
    def notes_path(self) -> Path:
        return self.paths.data_dir / "notes.sqlite3"

    @property
    def notes(self) -> NotesStore:
        """The bookmarks and annotations, opened (or created) on first use; raises `NotesCorrupt`
        for a damaged database, offering its backups."""
        with self._notes_lock:
            if self._notes is None:
                self._notes = NotesStore.open(self.notes_path, self.paths.data_dir / "backups")
            return self._notes

    def reanchor_notes(self, paths: Iterable[str] | None = None) -> tuple[int, int]:
        """Find the notes of `paths` (default: every document with notes) again in the documents'
        current text; notes of documents no longer in the archive become orphaned.
        Returns (anchored, orphaned)."""
        store = self.notes
        known = set(store.paths())
        wanted = sorted(known if paths is None else known & set(paths))
        anchored = orphaned = 0
        if not wanted:
            return 0, 0
        infos = self._state.infos if self._state else {}
        # One walk, not one per document.
        files = {f.path: f for f in discover(self.paths.corpus, self.extracted_cache, self._imported)[0]}
        for path in wanted:
            file = files.get(DocPath(path))
            source = read_source(file) if file is not None and path in infos else None
            if file is None or source is None or isinstance(source, Skipped):
                orphaned += store.orphan_document(path)
                continue
            found, lost = store.reanchor(path, documents.build(source, file).cleaned)
            anchored += found
            orphaned += lost
        return anchored, orphaned

    # -- adding documents ------------------------------------------------------------------------

    def add(self, files: Iterable[Path], *, link: bool = False, progress: Progress | None = None,
            cancel: threading.Event | None = None) -> AddReport:
        """Copy (or link) `files` into the archive's `imported/` folder (`AppPaths.imported`) and
        index them."""
        known = {info.sha256: path for path, info in (self._state.infos if self._state else {}).items()}
        placed = importing.place(self.paths.imported, list(files), link, known)
        added = {p.path for p in placed if p.status == importing.ADDED}
        report = self.sync(progress=progress, cancel=cancel) if added or self._state is None else self.last_report
        skipped = {s.path: s.reason for s in self.skipped}
        unreadable = {path: skipped[path] for path in added if path in skipped}
        if unreadable:
            # Nothing half-added: a file that cannot be indexed does not stay in the archive to be
            # reported again at every start.
            for path in unreadable:
                location(self.paths.corpus, path, self.paths.imported).unlink(missing_ok=True)
            report = self.sync(progress=progress, cancel=cancel)
        return AddReport(tuple(placed), report, unreadable)

    def correct_metadata(self, corrections: dict[str, dict[str, Any]], *,
                         progress: Progress | None = None) -> SyncReport:
        """Store corrections of added documents' metadata (path → fields) as their sidecars, and
        re-index them."""
        for path in corrections:
            self.info(path)
        for path, fields in corrections.items():
            importing.write_corrections(self.paths.imported, path, fields)
        return self.sync(progress=progress)

    def original_file(self, path: str) -> Path | None:
        """The file a PDF/HTML/Word document was extracted from (to open in the system viewer)."""
        if self.info(path).original_format is None:
            return None
        return location(self.paths.corpus, path, self._imported)

    def close(self) -> None:
        with self._state_lock:
            state, self._state = self._state, None
        if state is not None:
            state.searcher.close()
            state.ix.close()
        with self._notes_lock:
            notes, self._notes = self._notes, None
        if notes is not None:
            notes.close()

    # -- writing ---------------------------------------------------------------------------------

    def sync(self, *, rebuild: bool = False, progress: Progress | None = None,
             cancel: threading.Event | None = None) -> SyncReport:
        """Bring the index up to date with the corpus folder. Readers keep using the previous state
        until the new one is complete."""
        started = time.perf_counter()
        progress = progress or _no_progress
        try:
            with self._sync_lock, self._store.write_lock():
                report = self._sync_locked(rebuild, progress, cancel)
        except OSError as exc:
            # Reading the corpus never raises (a bad file is skipped), so this is the data directory:
            # full, read-only or gone. What was live stays live: a rebuild is swapped in only when
            # complete, an update is one Whoosh commit.
            raise DataDirError(f"cannot write the index in {self._store.root}: {exc.strerror or exc}") from exc
        self.last_report = replace(report, seconds=time.perf_counter() - started)
        return self.last_report

    def _sync_locked(self, rebuild: bool, progress: Progress, cancel: threading.Event | None) -> SyncReport:
        notice = None
        files, skipped = discover(self.paths.corpus, self.extracted_cache, self._imported)
        ix, problem = (None, None) if rebuild else self._store.open_live()
        derived_key = self._store.live_key() if ix is not None else None
        saved_records = self._store.load_derived(derived_key, RECORDS)  # without their candidates
        infos = saved_records if saved_records is not None else _read_infos(ix) if ix is not None else None
        if ix is not None and infos is None:
            problem = "its document records cannot be read"
        if ix is None or infos is None:
            if ix is not None:
                ix.close()
            if problem is not None:
                notice = f"the search index was damaged ({problem}) and has been rebuilt"
            ix, infos = self._rebuild(files, skipped, progress, cancel)
            added, updated, removed = sorted(infos), [], []
            rebuilt = True
        else:
            try:
                infos, (added, updated, removed) = self._update(ix, infos, files, skipped, progress, cancel)
            except BaseException:
                ix.close()
                raise
            rebuilt = False
        changed = bool(added or updated or removed)
        found = None
        if saved_records is not None and not changed:
            found = self._store.load_derived(derived_key, ENTITIES)
        if found is None and saved_records is not None:
            # The saved records leave out the entity candidates, which resolving needs again.
            infos = self._with_candidates(infos, derived_key, ix)
        isolation.log_skipped(skipped)
        found = self._swap(ix, infos, tuple(skipped), found)
        if found is not None:
            key = self._store.live_key()
            self._store.save_derived(key, self._state.infos if self._state else {}, RECORDS)
            self._store.save_derived(key, found, ENTITIES)
            self._store.save_derived(key, {path: [tuple(c) for c in info.candidates] for path, info in infos.items()},
                                     CANDIDATES)
        infos = self._state.infos if self._state else infos  # without candidates: memory for nothing
        self._store.remove_stale_generations()  # a replaced generation, or one a killed build left
        reanchored, orphaned = self._sync_notes(rebuilt, [*added, *updated, *removed])
        return SyncReport(
            documents=len(infos),
            passages=sum(i.passage_count for i in infos.values()),
            added=tuple(added), updated=tuple(updated), removed=tuple(removed),
            skipped=tuple(skipped), rebuilt=rebuilt, seconds=0.0,
            reanchored=reanchored, orphaned=orphaned, notice=notice,
        )

    def _with_candidates(self, infos: dict[DocPath, DocumentInfo], derived_key: str | None,
                         ix: Index) -> dict[DocPath, DocumentInfo]:
        """`infos`, where records loaded without their candidates get them back: from the saved
        candidates of the index state they were loaded from, else from the index's records."""
        saved = self._store.load_derived(derived_key, CANDIDATES)
        if not isinstance(saved, dict):
            return _read_infos(ix) or infos
        missing = [path for path, info in infos.items() if not info.candidates and path not in saved]
        if missing:
            return _read_infos(ix) or infos
        # Saved and used as plain tuples: a named tuple costs a Python call to make, times 300,000.
        return {path: info if info.candidates else replace(info, candidates=tuple(saved[path]))
                for path, info in infos.items()}

    def _has_notes(self) -> bool:
        # Indexing alone never creates the notes database; with no notes there is nothing to do.
        return self._notes is not None or self.notes_path.exists()

    def _sync_notes(self, rebuilt: bool, changed: list[DocPath]) -> tuple[int, int]:
        if not self._has_notes():
            return 0, 0
        # What a process killed between its index commit and this point left to do.
        pending_all, pending = self._store.pending_notes()
        if not changed and not rebuilt and not pending_all and not pending:
            return 0, 0
        try:
            # A rebuild does not say what was removed meanwhile: look at every document with notes.
            everything = rebuilt or pending_all
            found = self.reanchor_notes(None if everything else sorted({*changed, *pending}))
        except NotesProblem:
            # The index is fine and stays usable; opening the notes reports the problem to the user.
            return 0, 0
        self._store.clear_notes_pending()
        return found

    def _swap(self, ix: Index, infos: dict[DocPath, DocumentInfo], skipped: tuple[Skipped, ...],
              found: list[Entity] | None = None) -> list[Entity] | None:
        """Make `ix` the index readers use; returns the entities if it had to resolve them."""
        searcher = ix.searcher()
        titles = {path: info.metadata.title for path, info in infos.items()}
        resolved = found is None
        if found is None:
            found = entities.resolve(infos.values(), self._gazetteer)
        infos = _without_candidates(infos)  # only resolving needs them; they are saved apart
        definitions = [(d.acronym, d.long_form) for info in infos.values() for d in info.definitions]
        # The gazetteer's bodies by acronym, name and aliases ("UN Refugee Agency"), beside what the
        # documents define.
        known = [(e.acronym, name) for e in self._gazetteer.entries if e.acronym for name in (e.name, *e.aliases)]
        engine = SearchEngine(searcher, AcronymExpander(definitions), titles,
                              lambda text: entities.find(found, text),
                              lambda: Expansions(self._thesaurus, [*known, *dict.fromkeys(definitions)]),
                              _meetings_by_year(infos.values()))
        with self._state_lock:
            old, self._state = self._state, _State(ix, searcher, engine, infos, found, skipped)
        if old is not None:
            old.searcher.close()
            if old.ix is not ix:
                old.ix.close()
        return found if resolved else None

    def _rebuild(self, files: list[CorpusFile], skipped: list[Skipped], progress: Progress,
                 cancel: threading.Event | None) -> tuple[Index, dict[DocPath, DocumentInfo]]:
        def before_commit() -> None:
            if self._has_notes():
                self._store.mark_notes_pending((), everything=True)

        with self._store.new_generation() as ix:
            indexed = indexing.build(ix, files, self._gazetteer, progress, cancel, before_commit,
                                     workers=self.workers)
        skipped.extend(indexed.skipped)
        skipped.sort(key=lambda s: s.path)
        memory = isolation.SkipMemory(self._store.root / SKIPPED)
        stamps = {f.path: f.stamp for f in files}
        for entry in indexed.skipped:
            memory.remember(entry, stamps[entry.path])
        memory.save()
        infos = indexed.infos
        fresh = self._store.open_current()
        if fresh is None:
            raise IndexProblem(f"the index just built in {self._store.root} cannot be opened")
        return fresh, infos

    def _update(self, ix: Index, known_infos: dict[DocPath, DocumentInfo], files: list[CorpusFile],
                skipped: list[Skipped], progress: Progress, cancel: threading.Event | None
                ) -> tuple[dict[DocPath, DocumentInfo], tuple[list[DocPath], list[DocPath], list[DocPath]]]:
        current = {f.path for f in files}
        removed = [path for path in known_infos if path not in current]
        todo: list[tuple[CorpusFile, indexing.Prepared]] = []
        memory = isolation.SkipMemory(self._store.root / SKIPPED)
        for done, file in enumerate(files):
            check(cancel)
            known = known_infos.get(file.path)
            stamp = file.stamp
            if known is not None and _stamp(known) == stamp:
                continue
            remembered = memory.recall(file.path, stamp) if known is None else None
            if remembered is not None:
                skipped.append(remembered)
                continue
            progress(done, len(files), file.path)
            same_sidecar = known is not None and known.sidecar_stamp == file.sidecar_stamp
            prepared = indexing.prepare(file, self._gazetteer, known.sha256 if known and same_sidecar else None)
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
            return known_infos, ([], [], [])
        writer: IndexWriter = indexing.new_writer(ix)
        infos = dict(known_infos)
        added: list[DocPath] = []
        updated: list[DocPath] = []
        try:
            for path in removed:
                writer.delete_by_term("path", path)
                infos.pop(path, None)
            words: set[str] = set()
            for file, prepared in todo:
                (updated if file.path in infos else added).append(file.path)
                writer.delete_by_term("path", file.path)
                indexing.write(writer, prepared)
                infos[file.path] = prepared.info
                words |= prepared.words
            with ix.reader() as reader:
                indexing.add_spelling(writer, words, reader)
            check(cancel)
            if self._has_notes():
                self._store.mark_notes_pending([*removed, *added, *updated])
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        self._store.seal(ix)
        return infos, (added, updated, sorted(removed))


def _meeting(number: int, docs: list[DocumentInfo]) -> Meeting:
    refs = [d.metadata.meeting for d in docs if d.metadata.meeting]
    start, end, month = _best_dates(refs)
    places = Counter(r.place for r in refs if r.place)
    order = {"report": 0, "executive summary": 1}
    docs = sorted(docs, key=lambda d: (order.get(d.metadata.kind, 2), d.metadata.title.lower(), d.path))
    return Meeting(number, meeting_title(number), start, end, month, False, tuple(docs),
                   places.most_common(1)[0][0] if places else None)


def _meetings_by_year(infos: Iterable[DocumentInfo]) -> dict[str, tuple[int, ...]]:
    """Year → the meetings held in it, by the dates their documents give."""
    years: dict[int, Counter[str]] = {}
    for info in infos:
        meeting = info.metadata.meeting
        if meeting is not None and meeting.year:
            years.setdefault(meeting.number, Counter())[meeting.year] += 1
    by_year: dict[str, list[int]] = {}
    for number, counted in sorted(years.items()):
        by_year.setdefault(counted.most_common(1)[0][0], []).append(number)
    return {year: tuple(numbers) for year, numbers in by_year.items()}


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


def _read_infos(ix: Index) -> dict[DocPath, DocumentInfo] | None:
    """The document records of an index, or None if the index cannot be read (then: rebuild)."""
    try:
        with ix.searcher() as searcher:
            return {
                DocPath(fields["path"]): records.loads(fields["record"])
                for fields in searcher.documents(doctype="document")
            }
    except Exception:  # noqa: BLE001 - a damaged index is rebuilt, never a crash
        return None


def _stamp(info: DocumentInfo) -> tuple[int, int, tuple[int, int] | None]:
    return (info.size, info.mtime_ns, info.sidecar_stamp)


def _without_candidates(infos: dict[DocPath, DocumentInfo]) -> dict[DocPath, DocumentInfo]:
    # Candidates are most of a record's size and are needed only to resolve entities again.
    return {path: replace(info, candidates=()) for path, info in infos.items()}
