"""From corpus files to index records: read, build, find entity candidates, add to a Whoosh writer.

Most of indexing is Python work (cleaning, analysis, posting lists), so one process uses one core.
When there are many files, each of a few worker processes runs the whole pipeline for its share of
them into a Whoosh segment of its own, and the parent lists the segments in one commit, as Whoosh's
own multiprocessing writer does. Until that commit the new segments are unlisted files that the next
clean-up removes, so a killed or cancelled build changes nothing.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import re
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.writing import IndexWriter, SegmentWriter

from migarchive.core import collector, documents, records
from migarchive.core.cancelling import Cancelled, Progress, check  # noqa: F401 - Cancelled: raised from here
from migarchive.core.gazetteer import Gazetteer
from migarchive.core.index_schema import AnalysedParts, PassageParts
from migarchive.core.isolation import checkpoint, guarded
from migarchive.core.mentions import find_candidates
from migarchive.core.model import DAMAGE_MARKER, DocPath, DocumentInfo, Skipped
from migarchive.core.reading import CorpusFile, read_source
from migarchive.core.segment_writer import new_writer

# Starting a worker process costs ~0.4 s (a fresh interpreter importing Whoosh); below this much
# text one process is as fast.
PARALLEL_MIN_BYTES = 2_000_000
_SPELLING_WORD = re.compile(r"[A-Za-z]{3,}")

# An update merges the small segments (below this share of the archive's index documents, or
# below this many of them) once there are this many.
SMALL_SHARE = 0.1
SMALL_DOCUMENTS = 500
SMALL_SEGMENTS = 4


def merge_small_segments(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """The merge policy of an update's commit: the segments to keep, the others merged into the
    one being written.

    Whoosh's own (MERGE_SMALL) leaves the few-dozen-document segments of one-file updates alone
    until hundreds gather, and keeps segments whose documents are all deleted: after some dozens
    of updates every word of a query was looked up in dozens of segments, and opening a searcher
    read each one's term table (0.2 s with 34). Here a segment with no live document is dropped,
    and small ones are merged as soon as a few gather, which rewrites a few hundred documents."""
    from whoosh.reading import SegmentReader

    live = [segment for segment in segments if segment.doc_count() > 0]
    total = sum(segment.doc_count_all() for segment in live)
    small = [segment for segment in live if segment.doc_count_all() < max(SMALL_SHARE * total, SMALL_DOCUMENTS)]
    if len(small) < SMALL_SEGMENTS:
        return live
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in live if segment not in small]


@dataclass(frozen=True)
class Indexed:
    infos: dict[DocPath, DocumentInfo]
    skipped: list[Skipped]
    candidates: dict[DocPath, tuple[Any, ...]] = field(default_factory=dict)  # for resolving entities


@dataclass(frozen=True)
class Prepared:
    """A document ready for the index: its record and its passages' fields, every value analysed
    already, so that writing it cannot fail half-way through the document."""

    info: DocumentInfo
    entries: tuple[dict[str, Any], ...]  # the record's fields first, then one per passage
    words: frozenset[str]  # for spelling suggestions
    candidates: tuple[Any, ...] = ()  # places that may name an agency or initiative (`mentions.Candidate`)


def prepare(file: CorpusFile, known: Gazetteer, unchanged_sha256: str | None = None) -> Prepared | Skipped | None:
    """Everything done to one file before it is written, behind the per-document guard: any
    failure or an exhausted time budget skips this file with its reason, and only this file.
    None when its content is `unchanged_sha256` (touched, not changed)."""
    return guarded(file.path, file.size, lambda: _prepare(file, known, unchanged_sha256), passthrough=(Cancelled,))


def _prepare(file: CorpusFile, known: Gazetteer, unchanged_sha256: str | None) -> Prepared | Skipped | None:
    source = read_source(file)
    if isinstance(source, Skipped) or source.sha256 == unchanged_sha256:
        return source if isinstance(source, Skipped) else None
    doc = documents.build(source, file)
    checkpoint()
    info = documents.info(doc, file.sidecar_stamp)
    candidates = tuple(tuple(c) for c in find_candidates(doc, known))
    checkpoint()
    meta = doc.metadata
    meeting = meta.meeting
    year = (meeting.start_date if meeting and meeting.start_date else meta.doc_date)
    common = {
        "path": doc.path,
        "title": meta.title,
        "kind": meta.kind,
        "org": meta.organization,
        "meeting": str(meeting.number) if meeting else None,
        "year": str(year.year) if year else (meeting.year if meeting else None),
    }
    common = {k: v for k, v in common.items() if v}
    entries: list[dict[str, Any]] = [dict(id=doc.path, doctype="document", path=doc.path, record=records.dumps(info, candidates))]
    titles = {s.id: s.title for s in doc.sections}
    analysed = PassageParts(meta.title)
    for passage in doc.passages:
        checkpoint()
        text = passage.text.replace(" " + DAMAGE_MARKER, "").replace(DAMAGE_MARKER, "")
        heading = titles[passage.section_id] if passage.section_id else ""
        fields: dict[str, Any] = dict(common, id=f"{doc.path}#{passage.id}", passage_id=passage.id, text=text,
                      body=AnalysedParts((meta.title, heading, text), analysed))
        if passage.section_id:
            fields.update(section_id=passage.section_id, section=heading)
        if passage.page is not None:
            fields["page"] = passage.page
        entries.append(fields)
    words = frozenset(" ".join(_SPELLING_WORD.findall(doc.cleaned)).lower().split())  # ASCII words: one lower()
    return Prepared(info, tuple(entries), words, candidates)


def write(writer: IndexWriter, prepared: Prepared) -> None:
    for fields in prepared.entries:
        writer.add_document(**fields)


def add_spelling(writer: IndexWriter, words: set[str], reader: Any = None) -> None:
    """One record holding the words that spelling suggestions may offer (those `reader` does not
    already know). A removed document's words stay until the next full build; a suggestion of one
    then finds nothing, and none is shown."""
    if reader is not None:
        words = {word for word in words if ("spell", word) not in reader}
    if words:
        writer.add_document(doctype="spelling", spell=" ".join(sorted(words)))


def add_files(writer: IndexWriter, files: list[CorpusFile], known: Gazetteer, progress: Progress,
              cancel: threading.Event | None, done: int = 0, total: int | None = None) -> Indexed:
    """Read, build and add `files` in this process."""
    infos: dict[DocPath, DocumentInfo] = {}
    candidates: dict[DocPath, tuple[Any, ...]] = {}
    skipped: list[Skipped] = []
    words: set[str] = set()
    total = len(files) if total is None else total
    for file in files:
        check(cancel)
        progress(done, total, file.path)
        prepared = prepare(file, known)
        if isinstance(prepared, Skipped):
            skipped.append(prepared)
        elif prepared is not None:
            write(writer, prepared)
            infos[prepared.info.path] = prepared.info
            candidates[prepared.info.path] = prepared.candidates
            words |= prepared.words
        done += 1
    add_spelling(writer, words)
    return Indexed(infos, skipped, candidates)


def worker_count(files: Iterable[CorpusFile]) -> int:
    """How many processes are worth starting for `files`: one per core, two at most, or 1."""
    if sum(f.size for f in files) < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def build(ix: Index, files: list[CorpusFile], known: Gazetteer, progress: Progress,
          cancel: threading.Event | None, before_commit: Callable[[], None],
          workers: int | None = None) -> Indexed:
    """Add `files` to the (new, empty) index `ix` and commit; in parallel when it pays."""
    workers = worker_count(files) if workers is None else workers
    if workers > 1:
        segments, indexed = _build_in_processes(ix, files, known, progress, cancel, workers)
        check(cancel)
        before_commit()
        # Opened only now: writers share one temp folder, which each removes when it finishes.
        writer = ix.writer()
        # What `SegmentWriter.commit` does for a writer that added nothing itself, with the
        # workers' segments listed beside the existing ones (Whoosh's MpWriter does the same).
        writer._close_segment()
        writer._commit_toc([*writer.segments, *segments])
        writer._finish()
        return indexed
    writer = new_writer(ix)
    try:
        with collector.fewer_collections():
            indexed = add_files(writer, files, known, progress, cancel)
            check(cancel)
            progress(len(files), len(files), "writing the index")
            before_commit()
            writer.commit()
        return indexed
    except BaseException:
        writer.cancel()
        raise


def _shares(files: list[CorpusFile], count: int) -> list[list[CorpusFile]]:
    """`files` in `count` groups of about the same total size, each in corpus order."""
    groups: list[list[CorpusFile]] = [[] for _ in range(count)]
    sizes = [0] * count
    for file in sorted(files, key=lambda f: -f.size):
        smallest = sizes.index(min(sizes))
        groups[smallest].append(file)
        sizes[smallest] += file.size
    return [sorted(group, key=lambda f: f.path) for group in groups if group]


def _build_in_processes(ix: Index, files: list[CorpusFile], known: Gazetteer, progress: Progress,
                        cancel: threading.Event | None, workers: int) -> tuple[list[Any], Indexed]:
    # "spawn": forking a process that runs Qt and worker threads can copy a held lock into the child.
    context = multiprocessing.get_context("spawn")
    messages = context.Queue()
    stop = context.Event()
    folder = ix.storage.folder
    total = len(files)
    done = 0
    progress(0, total, "starting the indexing processes")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                             initargs=(messages, stop)) as pool:
        futures: list[Future[tuple[Any, bytes] | None]] = [
            pool.submit(_index_share, folder, share, known) for share in _shares(files, workers)
        ]
        try:
            while not all(f.done() for f in futures) or not messages.empty():
                if cancel is not None and cancel.is_set():
                    stop.set()
                try:
                    path = messages.get(timeout=0.1)
                except queue.Empty:
                    continue
                progress(done, total, path)
                done += 1
            results = [f.result() for f in futures]
        except BaseException:
            stop.set()
            raise
    check(cancel)
    infos: dict[DocPath, DocumentInfo] = {}
    candidates: dict[DocPath, tuple[Any, ...]] = {}
    skipped: list[Skipped] = []
    segments = []
    for result in results:
        if result is None:
            raise Cancelled()
        segment, pickled = result
        # Unpickled once the workers have exited (see `_index_share`).
        indexed = pickle.loads(pickled)  # noqa: S301 - from our own worker process
        if segment is not None:
            segments.append(segment)
        infos.update(indexed.infos)
        candidates.update(indexed.candidates)
        skipped.extend(indexed.skipped)
    progress(total, total, "writing the index")
    skipped.sort(key=lambda s: s.path)
    return segments, Indexed(infos, skipped, candidates)


# -- in a worker process ---------------------------------------------------------------------------

_messages: Any = None
_stop: Any = None


def _start_worker(messages: Any, stop: Any) -> None:
    global _messages, _stop
    _messages, _stop = messages, stop


def _index_share(folder: str, files: list[CorpusFile], known: Gazetteer) -> tuple[Any, bytes] | None:
    """One worker's files into a segment of its own; the segment is listed by the parent's commit.
    What it found (`Indexed`) is handed back pickled: as objects, the parent unpickled them while
    the workers still held all they had allocated, and that moment was the build's peak of memory
    (tens of MB of records and candidates on top of two workers of ~110 MB each)."""
    ix = whoosh_index.open_dir(folder)
    # _lk=False: the parent holds the index's write lock for the whole build.
    writer = new_writer(ix, _lk=False)
    try:
        with collector.fewer_collections():
            indexed = add_files(writer, files, known, _report, _stop)
            segment = writer._finalize_segment() if writer._added else None
        if segment is None:
            writer._close_segment()
        return segment, pickle.dumps(indexed, pickle.HIGHEST_PROTOCOL)
    except Cancelled:
        writer._close_segment()  # not `cancel()`: that also empties the temp folder other writers use
        return None
    except BaseException:
        writer._close_segment()
        raise


def _report(done: int, total: int, path: str) -> None:
    _messages.put(path)
