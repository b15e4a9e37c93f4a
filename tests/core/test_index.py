"""Incremental re-indexing and the on-disk index generations (core.archive sync, core.index IndexStore)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from migarchive.core.archive import Archive, Cancelled, SyncReport
from migarchive.core.index import CURRENT, SCHEMA_VERSION, IndexStore
from migarchive.paths import AppPaths

S001, S002, S003 = "001_2af6c4c605665e75.txt", "002_85393ee9b1ec9064.txt", "003_701c0046ca42ff1f.txt"
NEW_PARAGRAPH = ("\n\nThe delegates also discussed the quokkaesque proposal for a shared register of migration "
                 "statistics.\n")


@pytest.fixture
def corpus_paths(copy_corpus: Path, data_dir: Path) -> AppPaths:
    return AppPaths(corpus=copy_corpus, data_dir=data_dir)


@pytest.fixture
def sync() -> Iterator:
    """sync(paths, rebuild=False) -> (report, archive); every archive opened is closed at the end."""
    opened: list[Archive] = []

    def run(paths: AppPaths, rebuild: bool = False) -> tuple[SyncReport, Archive]:
        archive = Archive(paths)
        opened.append(archive)
        return archive.sync(rebuild=rebuild), archive

    yield run
    for archive in opened:
        archive.close()


def _pointer(paths: AppPaths) -> dict:
    return json.loads((paths.index_root / CURRENT).read_text(encoding="utf-8"))


def _generations(paths: AppPaths) -> list[str]:
    return sorted(p.name for p in paths.index_root.iterdir() if p.is_dir() and p.name.startswith("g-"))


def _hits(archive: Archive, query: str) -> list[tuple[str, str]]:
    return [(h.path, h.passage_id) for h in archive.search(query, limit=200).hits]


# -- incremental sync ------------------------------------------------------------------------------


def test_first_open_builds_everything(corpus_paths: AppPaths, sync) -> None:
    report, archive = sync(corpus_paths)
    assert report.rebuilt is True
    assert report.documents == 5
    assert report.passages == 134
    assert len(report.added) == 5 and report.updated == () and report.removed == ()
    assert report.skipped == ()
    assert report.seconds >= 0
    assert [d.path for d in archive.documents()] == sorted(report.added)


def test_unchanged_reopen_changes_nothing(indexed_paths: AppPaths, sync) -> None:
    generation = _pointer(indexed_paths)["generation"]
    report, archive = sync(indexed_paths)
    assert (report.added, report.updated, report.removed, report.rebuilt) == ((), (), (), False)
    assert report.documents == 5 and report.passages == 134
    assert _pointer(indexed_paths)["generation"] == generation
    assert archive.search("remittances").total == 8


def test_edited_file_is_updated_and_searchable(corpus_paths: AppPaths, sync) -> None:
    before_passages = sync(corpus_paths)[0].passages
    target = corpus_paths.corpus / S003
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(NEW_PARAGRAPH)
    report, archive = sync(corpus_paths)
    assert (report.added, report.updated, report.removed, report.rebuilt) == ((), (S003,), (), False)
    assert report.passages == before_passages + 1
    hits = archive.search("quokkaesque").hits
    assert [h.path for h in hits] == [S003]
    assert hits[0].meeting == 5
    # the document's old passages were replaced, not added a second time
    ids = [h.passage_id for h in archive.search("meeting:5", limit=100).hits]
    assert len(ids) == len(set(ids)) == 17
    assert archive.info(S003).passage_count == 17


def test_many_small_updates_leave_few_segments_and_the_same_results(corpus_paths: AppPaths, sync,
                                                                    tmp_path: Path) -> None:
    from whoosh.index import open_dir

    from migarchive.core.indexing import SMALL_SEGMENTS

    sync(corpus_paths)
    for round_ in range(3):
        for path in sorted(corpus_paths.corpus.glob("*.txt")):
            path.write_text(path.read_text(encoding="utf-8") + f"\n\nRound {round_} of edits.\n", encoding="utf-8")
            report, archive = sync(corpus_paths)
            assert report.updated == (path.name,)
    segments = open_dir(str(corpus_paths.index_root / _pointer(corpus_paths)["generation"]))._segments()
    # Each edit writes a segment and empties the one before: merged and dropped, not piled up.
    assert len(segments) <= SMALL_SEGMENTS
    assert all(segment.doc_count() > 0 for segment in segments)
    built = sync(AppPaths(corpus=corpus_paths.corpus, data_dir=tmp_path / "built"))[1]
    for query in ("migration", "remittances", "IOM", '"of edits"'):
        updated, fresh = archive.search(query), built.search(query)
        assert (updated.total, updated.documents, updated.per_document) == (fresh.total, fresh.documents,
                                                                             fresh.per_document), query


def test_edit_that_removes_text_makes_it_unsearchable(corpus_paths: AppPaths, sync) -> None:
    _, archive = sync(corpus_paths)
    assert archive.search("Schoenholtz").total == 1
    target = corpus_paths.corpus / S001
    target.write_text(target.read_text(encoding="utf-8").replace("Schoenholtz", "Someone"), encoding="utf-8")
    report, archive = sync(corpus_paths)
    assert report.updated == (S001,)
    results = archive.search("Schoenholtz")
    assert results.total == 0 or results.corrected is not None
    assert all(h.path != S001 or "Schoenholtz" not in h.snippet for h in results.hits)


def test_added_file_is_indexed(corpus_paths: AppPaths, sync) -> None:
    sync(corpus_paths)
    (corpus_paths.corpus / "new" / "paper.md").parent.mkdir()
    (corpus_paths.corpus / "new" / "paper.md").write_text(
        "SIXTH COORDINATION MEETING ON INTERNATIONAL MIGRATION\n\nNew York, 26-27 November 2007\n\n"
        "The quokkaesque initiative was presented by the representative of the organization to all the "
        "participants of the meeting and was discussed at length.\n", encoding="utf-8")
    report, archive = sync(corpus_paths)
    assert (report.added, report.updated, report.removed, report.rebuilt) == (("new/paper.md",), (), (), False)
    assert report.documents == 6
    assert [h.path for h in archive.search("quokkaesque").hits] == ["new/paper.md"]
    assert 6 in {m.number for m in archive.meetings()[0]}


def test_deleted_file_is_removed_with_its_passages(corpus_paths: AppPaths, sync) -> None:
    _, archive = sync(corpus_paths)
    assert archive.search('"E/CN.4/2003/74"').total == 1
    (corpus_paths.corpus / "004_92a7188ace85ec6e.txt").unlink()
    report, archive = sync(corpus_paths)
    assert (report.added, report.updated, report.removed) == ((), (), ("004_92a7188ace85ec6e.txt",))
    assert report.documents == 4
    assert archive.search('"E/CN.4/2003/74"').total == 0
    assert "004_92a7188ace85ec6e.txt" not in {h.path for h in archive.search("UNITAR", limit=500).hits}
    assert 4 not in {m.number for m in archive.meetings()[0]}


def test_file_that_becomes_unreadable_is_removed_and_skipped(corpus_paths: AppPaths, sync) -> None:
    sync(corpus_paths)
    (corpus_paths.corpus / S003).write_bytes(b"")
    report, archive = sync(corpus_paths)
    assert report.removed == (S003,)
    assert [(s.path, s.reason) for s in report.skipped] == [(S003, "empty file")]
    assert archive.search("meeting:5").total == 0


def test_touch_without_change_is_not_an_update(corpus_paths: AppPaths, sync) -> None:
    sync(corpus_paths)
    target = corpus_paths.corpus / S002
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    report, archive = sync(corpus_paths)
    assert (report.added, report.updated, report.removed, report.rebuilt) == ((), (), (), False)
    assert archive.search('"New York Declaration"').total > 0


def test_same_size_edit_is_noticed(corpus_paths: AppPaths, sync) -> None:
    sync(corpus_paths)
    target = corpus_paths.corpus / S002
    text = target.read_text(encoding="utf-8")
    edited = text.replace("Ninette Kelley", "Ninette Kellez", 1)
    assert len(edited) == len(text)
    target.write_text(edited, encoding="utf-8")
    report, archive = sync(corpus_paths)
    assert report.updated == (S002,)
    assert archive.search("Kellez").total == 1


def test_new_sidecar_is_picked_up_on_reopen(corpus_paths: AppPaths, sync) -> None:
    sync(corpus_paths)
    (corpus_paths.corpus / f"{S003}.meta.json").write_text('{"meeting": 6}', encoding="utf-8")
    report, archive = sync(corpus_paths)
    assert archive.info(S003).metadata.meeting.number == 6  # type: ignore[union-attr]
    assert report.updated == (S003,)


def test_sidecar_is_applied_on_rebuild(corpus_paths: AppPaths, sync) -> None:
    (corpus_paths.corpus / f"{S003}.meta.json").write_text('{"meeting": 6, "organization": "UNITAR"}',
                                                            encoding="utf-8")
    _, archive = sync(corpus_paths, rebuild=True)
    meta = archive.info(S003).metadata
    assert meta.meeting is not None and meta.meeting.number == 6
    assert meta.organization == "UNITAR"
    assert set(meta.overridden) == {"meeting", "organization"}
    assert {h.path for h in archive.search("meeting:6", limit=100).hits} == {S003}


# -- generations and the CURRENT pointer -----------------------------------------------------------


def test_rebuild_swaps_in_a_new_generation(indexed_paths: AppPaths, sync) -> None:
    old = _pointer(indexed_paths)
    assert old["schema"] == SCHEMA_VERSION
    assert _generations(indexed_paths) == [old["generation"]]
    _, archive = sync(indexed_paths)
    expected = _hits(archive, "remittances")
    archive.close()

    report, archive = sync(indexed_paths, rebuild=True)

    new = _pointer(indexed_paths)
    assert report.rebuilt is True
    assert len(report.added) == 5
    assert new["generation"] != old["generation"]
    assert new["schema"] == SCHEMA_VERSION
    assert _generations(indexed_paths) == [new["generation"]]  # the old one is gone
    assert not (indexed_paths.index_root / old["generation"]).exists()
    assert not [p for p in indexed_paths.index_root.iterdir() if p.name.endswith(".tmp")]
    assert _hits(archive, "remittances") == expected


@pytest.mark.parametrize(
    "damage",
    ["garbage", "empty", "missing", "not-an-object", "wrong-schema", "no-schema", "unknown-generation",
     "generation-emptied"],
)
def test_damaged_pointer_or_index_triggers_a_rebuild(indexed_paths: AppPaths, sync, damage: str) -> None:
    _, archive = sync(indexed_paths)
    expected = _hits(archive, '"New York Declaration"'), _hits(archive, "remittances meeting:2")
    archive.close()
    pointer_file = indexed_paths.index_root / CURRENT
    pointer = _pointer(indexed_paths)
    if damage == "garbage":
        pointer_file.write_text("{ this is not json", encoding="utf-8")
    elif damage == "empty":
        pointer_file.write_bytes(b"")
    elif damage == "missing":
        pointer_file.unlink()
    elif damage == "not-an-object":
        pointer_file.write_text("[1, 2, 3]", encoding="utf-8")
    elif damage == "wrong-schema":
        pointer_file.write_text(json.dumps(dict(pointer, schema=SCHEMA_VERSION - 1)), encoding="utf-8")
    elif damage == "no-schema":
        pointer_file.write_text(json.dumps({"generation": pointer["generation"]}), encoding="utf-8")
    elif damage == "unknown-generation":
        pointer_file.write_text(json.dumps(dict(pointer, generation="g-nope")), encoding="utf-8")
    elif damage == "generation-emptied":
        for child in (indexed_paths.index_root / pointer["generation"]).iterdir():
            child.unlink()

    report, archive = sync(indexed_paths)

    assert report.rebuilt is True
    assert report.documents == 5 and report.passages == 134
    assert (_hits(archive, '"New York Declaration"'), _hits(archive, "remittances meeting:2")) == expected
    new = _pointer(indexed_paths)
    assert new["schema"] == SCHEMA_VERSION
    assert _generations(indexed_paths) == [new["generation"]]
    # and the next open is an ordinary incremental one again
    report, _ = sync(indexed_paths)
    assert report.rebuilt is False


# Whoosh leaves the damaged segment's file handle open when it fails to read it; that is not what is tested here.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_damaged_segment_files_trigger_a_rebuild(indexed_paths: AppPaths, sync) -> None:
    generation = indexed_paths.index_root / _pointer(indexed_paths)["generation"]
    for child in generation.iterdir():
        if child.suffix == ".seg" or child.name.endswith((".trm", ".pst", ".vps", ".fdt", ".sto")):
            child.write_bytes(b"\x00garbage")
    report, archive = sync(indexed_paths)
    assert report.rebuilt is True
    assert report.documents == 5
    assert archive.search("remittances").total == 8


def test_leftover_half_built_generation_is_cleaned_up_by_a_rebuild(indexed_paths: AppPaths, sync) -> None:
    leftover = indexed_paths.index_root / "g-20000101000000-deadbeef"
    leftover.mkdir()
    (leftover / "_MAIN_1.toc").write_bytes(b"half written")
    report, archive = sync(indexed_paths, rebuild=True)
    assert report.rebuilt is True
    assert not leftover.exists()
    assert _generations(indexed_paths) == [_pointer(indexed_paths)["generation"]]
    assert archive.search("remittances").total == 8


def test_leftover_generation_with_a_damaged_pointer_is_cleaned_up(indexed_paths: AppPaths, sync) -> None:
    old_generation = _pointer(indexed_paths)["generation"]
    leftover = indexed_paths.index_root / "g-20000101000000-deadbeef"
    leftover.mkdir()
    (leftover / "partial").write_bytes(b"\x00" * 10)
    (indexed_paths.index_root / CURRENT).write_text("garbage", encoding="utf-8")
    report, _ = sync(indexed_paths)
    assert report.rebuilt is True
    assert not leftover.exists()
    assert not (indexed_paths.index_root / old_generation).exists()
    assert len(_generations(indexed_paths)) == 1


def test_failed_build_leaves_no_generation_behind(tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "index")
    with pytest.raises(RuntimeError), store.new_generation():
        raise RuntimeError("boom")
    assert [p.name for p in store.root.iterdir() if p.name.startswith("g-")] == []
    assert not (store.root / CURRENT).exists()
    assert store.open_current() is None


def test_cancelled_rebuild_keeps_the_live_index(indexed_paths: AppPaths) -> None:
    before = _pointer(indexed_paths)
    cancel = threading.Event()

    def progress(done: int, total: int, message: str) -> None:
        if done >= 2:
            cancel.set()

    archive = Archive(indexed_paths)
    try:
        with pytest.raises(Cancelled):
            archive.sync(rebuild=True, progress=progress, cancel=cancel)
    finally:
        archive.close()
    assert _pointer(indexed_paths) == before
    assert _generations(indexed_paths) == [before["generation"]]
    reopened = Archive.open(indexed_paths)
    try:
        assert reopened.search("remittances").total == 8
    finally:
        reopened.close()


def test_progress_is_reported(corpus_paths: AppPaths) -> None:
    calls: list[tuple[int, int, str]] = []
    archive = Archive.open(corpus_paths, progress=lambda done, total, message: calls.append((done, total, message)))
    archive.close()
    assert calls[0][:2] == (0, 5)
    assert calls[-1] == (5, 5, "writing the index")
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


def test_index_root_is_per_corpus(tmp_path: Path, copy_corpus: Path, corpus_dir: Path) -> None:
    data = tmp_path / "shared-data"
    a = AppPaths(corpus=corpus_dir, data_dir=data)
    b = AppPaths(corpus=copy_corpus, data_dir=data)
    assert a.index_root != b.index_root
    assert a.index_root.parent == b.index_root.parent == data / "indexes"
