"""The facade: one `Archive` per corpus folder, used alike by the CLI, the UI and the tests.

Opening an archive brings its index up to date: unchanged files (same size and modification time,
or same content hash) are reused, changed and new ones are re-read, removed ones dropped. A full
rebuild is built aside and swapped in, so the live index is never half-written. After each sync the
user's notes on changed documents are anchored again (`core.notes`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh.index import Index

# `documents` (cleaning, metadata, entity candidates) is imported where a document is read, and
# `entities` (the resolver) where entities are first asked for: opening an unchanged archive for a
# command-line search or an update needs neither.
from migarchive.core import gazetteer, importing, isolation
from migarchive.core.archive_notes import ArchiveNotes
from migarchive.core.archive_views import ArchiveViews, Whereabouts as Whereabouts
from migarchive.core.changes import AddReport, SyncReport
from migarchive.core.entity_model import Entity, find as find_entity
from migarchive.core.index import IndexStore
from migarchive.core.cancelling import Progress
from migarchive.core.meetings import Meeting, build_meetings, meetings_by_year
from migarchive.core.model import DocPath, Document, DocumentInfo, Skipped, SourceText
from migarchive.core.note_search import note_hits, query_terms, split_notes_filter
from migarchive.core.reading import CorpusFile, corpus_file, discover, location, read_source
from migarchive.core.record_table import Records
from migarchive.core.results import Hit, SearchResults
from migarchive.core.sync import Synced, synchronise
from migarchive.core.vocabulary import Expansions, load_thesaurus
from migarchive.errors import DataDirError, DocumentNotFoundError, IndexProblem, NotesProblem
from migarchive.paths import AppPaths

if TYPE_CHECKING:  # imported where it is made: a command-line search does not need it
    from migarchive.core.glossary import Glossary
    from migarchive.core.notes.store import NotesStore
    from migarchive.core.search import SearchEngine

# Part of the facade, for the window and the command line, which import nothing else of the core
# that reads or writes (the import-linter contract in pyproject.toml): what a cancelled sync raises,
# the file types one can add, what became of a file added, the query syntax, and the log's file.
from migarchive.core.importing import ADDED as ADDED, ALREADY as ALREADY, FAILED as FAILED
from migarchive.core.cancelling import Cancelled as Cancelled
from migarchive.core.isolation import LOG_NAME as LOG_NAME, log as log
from migarchive.core.reading import DOCUMENT_SUFFIXES as DOCUMENT_SUFFIXES
from migarchive.core.query_syntax import SYNTAX_HELP as SYNTAX_HELP


def _no_progress(done: int, total: int, message: str) -> None:
    return None


class _Searching:
    """An index's searcher and search engine, made on the first search: re-opening an unchanged
    archive to list its documents, or to hear that it is up to date, needs neither (nor numpy and
    Whoosh's matchers, which the engine imports)."""

    def __init__(self, ix: Index, make: Callable[[Any], SearchEngine]) -> None:
        self.ix = ix
        self._make = make
        self._lock = threading.Lock()
        self._made: tuple[Any, SearchEngine] | None = None

    def get(self) -> tuple[Any, SearchEngine]:
        """(the searcher, the engine)."""
        with self._lock:
            if self._made is None:
                searcher = self.ix.searcher()
                self._made = (searcher, self._make(searcher))
            return self._made

    def close(self, index_too: bool = True) -> None:
        with self._lock:
            made, self._made = self._made, None
        if made is not None:
            made[0].close()
        if index_too:
            self.ix.close()


@dataclass(frozen=True)
class _State:
    """What readers see: replaced whole after each sync, so a search never meets a half update."""

    searching: _Searching
    infos: Records
    entities: Callable[[], list[Entity]]
    skipped: tuple[Skipped, ...]


class Archive(ArchiveViews, ArchiveNotes):
    """One archive: its corpus folder, index, entities and notes. Every read and write of the UI and
    the CLI goes through it; writes return what they changed (`changes.Change`)."""

    @staticmethod
    def read_notes_file(path: Path) -> Any:
        """A notes file to import (W3C JSON-LD), read and checked before anything is opened or written."""
        from migarchive.core.notes import exchange

        return exchange.read_file(path)

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
        self._last_document: tuple[DocumentInfo, Document] | None = None
        self._glossary: tuple[_State | None, Glossary] | None = None
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

    def unsure_fields(self, path: str) -> list[str]:
        """The metadata of a document a person should check: what extraction could not find or only guessed."""
        return importing.unsure_fields(self.info(path))

    @staticmethod
    def info_of(document: Document) -> DocumentInfo:
        """The record of a document as it reads now (`info` is the one indexed)."""
        from migarchive.core import documents

        return documents.info(document)

    def document(self, path: str) -> Document:
        """The full document, read again from the corpus folder (the latest one is kept: opening a
        document and then annotating it, or citing it, reads it once)."""
        info = self.info(path)
        cached = self._last_document
        if cached is not None and cached[0] is info:
            return cached[1]
        # The one file, not a walk of the corpus per opening.
        file = corpus_file(self.paths.corpus, path, self.extracted_cache, self._imported)
        source = read_source(file) if isinstance(file, CorpusFile) else file
        if not isinstance(file, CorpusFile) or not isinstance(source, SourceText):
            reason = source.reason if isinstance(source, Skipped) else "it is no longer in the corpus folder"
            raise DocumentNotFoundError(f"cannot open '{path}': {reason}")
        from migarchive.core import documents

        document = documents.build(source, file)
        self._last_document = (info, document)
        return document

    def meetings(self) -> tuple[list[Meeting], list[DocumentInfo]]:
        """Meetings in order, each with its documents, and the documents that belong to none."""
        # Views ask for a document's meeting per row (breadcrumbs, citations, the notes tree):
        # build the list once per state, not once per question.
        state = self._state
        cached = self._meetings_cache
        if cached is not None and cached[0] is state:
            return list(cached[1]), list(cached[2])
        meetings, unassigned = build_meetings(self._state.infos.values() if self._state else ())
        self._meetings_cache = (state, tuple(meetings), tuple(unassigned))
        return meetings, unassigned

    def entities(self, kind: str | None = None) -> list[Entity]:
        """Agencies and initiatives, most mentioned first; `kind` is "agency" or "initiative"."""
        found = self._state.entities() if self._state else []
        return [e for e in found if kind is None or e.kind == kind]

    def entity(self, text: str) -> Entity | None:
        """The entity named by an acronym, name or alias, in any case."""
        return find_entity(self.entities(), text)

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
            fields = self._state.searching.get()[0].document(id=f"{path}#{passage_id}")
        return fields.get("text") if fields else None

    def search(self, query: str, limit: int = 10, *, include_notes: bool = False) -> SearchResults:
        """The best `limit` passages; with `in:notes` in the query, the user's matching annotations
        alone, and with `include_notes` those beside the passages."""
        text, notes_only = split_notes_filter(query)
        notes = self._note_hits(text) if notes_only or include_notes else ()
        if notes_only:
            return SearchResults(query, None, 0, 0, (), notes=notes, notes_only=True, terms=query_terms(text))
        with self._state_lock:
            if self._state is None:
                raise IndexProblem("the archive is not open yet")
            results = self._state.searching.get()[1].search(text, limit)
        return replace(results, notes=notes, terms=query_terms(results.corrected or text))

    def _note_hits(self, text: str) -> tuple[Hit, ...]:
        infos = self._state.infos if self._state else {}
        return note_hits(self.find_notes(text), lambda path: infos.get(DocPath(path)), text.split())

    # -- notes (the rest in `ArchiveNotes`) ------------------------------------------------------

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
            from migarchive.core import documents

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
        unreadable: dict[str, str] = {path: skipped[path] for path in added if path in skipped}
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
            state.searching.close()
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
        files, skipped = discover(self.paths.corpus, self.extracted_cache, self._imported)
        synced = synchronise(self._store, files, skipped, self._gazetteer, rebuild=rebuild, progress=progress,
                             cancel=cancel, notes_exist=self._has_notes, workers=self.workers)
        self._swap(synced)
        self._store.remove_stale_generations()  # a replaced generation, or one a killed build left
        reanchored, orphaned = self._sync_notes(synced.rebuilt, list(synced.changed))
        return SyncReport(
            documents=len(synced.infos),
            passages=synced.infos.passages(),
            added=synced.added, updated=synced.updated, removed=synced.removed,
            skipped=synced.skipped, rebuilt=synced.rebuilt, seconds=0.0,
            reanchored=reanchored, orphaned=orphaned, notice=synced.notice,
        )

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

    def _swap(self, synced: Synced) -> None:
        """Make the synced index the one readers use."""
        ix, infos, found = synced.ix, synced.infos, synced.entities

        def expansions() -> Expansions:
            # The gazetteer's bodies by acronym, name and aliases ("UN Refugee Agency"), beside what
            # the documents define.
            known = [(e.acronym, name) for e in self._gazetteer.entries if e.acronym for name in (e.name, *e.aliases)]
            return Expansions(self._thesaurus, [*known, *dict.fromkeys(infos.definitions())])

        def engine(searcher: Any) -> SearchEngine:
            from migarchive.core.search import SearchEngine
            from migarchive.core.whoosh_parts import AcronymExpander

            # The acronyms and the vocabulary are made on the first query that needs them.
            return SearchEngine(searcher, AcronymExpander(infos.definitions),
                                lambda path: infos.title(DocPath(path)) if path in infos else None,
                                lambda text: find_entity(found(), text), expansions,
                                lambda: meetings_by_year(infos.meetings()))

        with self._state_lock:
            old, self._state = self._state, _State(_Searching(ix, engine), infos, found, synced.skipped)
        if old is not None:
            old.searching.close(index_too=old.searching.ix is not ix)
