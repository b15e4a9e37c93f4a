"""Building the index in worker processes, spilling posting runs, cancelling: the same index as a
plain single-process build, or nothing at all."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from migarchive.core import indexing, posting_pool
from migarchive.core.archive import Archive
from migarchive.core.index import IndexStore
from migarchive.core.indexing import Cancelled
from migarchive.paths import AppPaths

QUERIES = ["remittances", '"New York Declaration"', "migration NOT security", "IOM", "entity:UNHCR",
           "meeting:5 migration", "kind:report security", "remitances", "A/RES/71/1"]


def build(corpus: Path, data_dir: Path, workers: int) -> Archive:
    archive = Archive(AppPaths(corpus=corpus, data_dir=data_dir))
    archive.workers = workers
    archive.sync(rebuild=True)
    return archive


def answers(archive: Archive) -> list[tuple[int, int, frozenset[str], float, str | None]]:
    """Per query: the counts, every hit, the best score (to 1%: field-length statistics of two
    segments add up a little differently from one) and the spelling correction."""
    found = []
    for query in QUERIES:
        results = archive.search(query, limit=1000)  # all of them: a cut at 10 would fall among ties
        hits = frozenset(f"{h.path}#{h.passage_id}" for h in results.hits)
        best = results.hits[0].score if results.hits else 0.0
        found.append((results.total, results.documents, hits, pytest.approx(best, rel=0.01), results.corrected))
    return found


@pytest.fixture
def larger_corpus(tmp_path: Path, corpus_dir: Path) -> Path:
    """The seeds three times over, so that each worker gets several files."""
    corpus = tmp_path / "corpus"
    for copy in range(3):
        shutil.copytree(corpus_dir, corpus / f"copy{copy}")
    return corpus


@pytest.mark.slow
def test_worker_processes_build_the_same_index(larger_corpus: Path, tmp_path: Path) -> None:
    alone = build(larger_corpus, tmp_path / "one", workers=1)
    together = build(larger_corpus, tmp_path / "two", workers=2)
    try:
        assert together.documents() == alone.documents()
        assert answers(together) == answers(alone)
        assert [(e.name, len(e.mentions)) for e in together.entities()] == \
            [(e.name, len(e.mentions)) for e in alone.entities()]
        # an update after a parallel build goes on from its segments
        edited = larger_corpus / "copy0" / sorted(p.name for p in (larger_corpus / "copy0").glob("*.txt"))[0]
        edited.write_text(edited.read_text(encoding="utf-8") + "\n\nA new paragraph on xylophone diplomacy.\n",
                          encoding="utf-8")
        report = together.sync()
        assert report.updated == (f"copy0/{edited.name}",) and not report.rebuilt
        assert [h.path for h in together.search("xylophone").hits] == [f"copy0/{edited.name}"]
    finally:
        alone.close()
        together.close()


def test_posting_runs_spilled_to_disk_give_the_same_index(copy_corpus: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    in_memory = build(copy_corpus, tmp_path / "memory", workers=1)
    monkeypatch.setattr(posting_pool, "POSTING_BYTES", 2_000_000)  # a run every ~60 postings
    monkeypatch.setattr(posting_pool, "RUN_BLOCK", 7)
    spilled = build(copy_corpus, tmp_path / "spilled", workers=1)
    try:
        assert answers(spilled) == answers(in_memory)
    finally:
        in_memory.close()
        spilled.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_cancelled_build_leaves_the_live_index_alone(larger_corpus: Path, tmp_path: Path, workers: int) -> None:
    archive = build(larger_corpus, tmp_path / "data", workers=1)
    before = answers(archive)
    store_root = archive.paths.index_root
    generations = sorted(p.name for p in store_root.iterdir() if p.name.startswith("g-"))
    cancel = threading.Event()

    def progress(done: int, total: int, message: str) -> None:
        if done >= 2:
            cancel.set()

    archive.workers = workers
    try:
        with pytest.raises(Cancelled):
            archive.sync(rebuild=True, progress=progress, cancel=cancel)
        assert answers(archive) == before  # readers still see the previous index
        archive.sync()  # and the next opening cleans up what the cancelled build wrote
        assert sorted(p.name for p in store_root.iterdir() if p.name.startswith("g-")) == generations
        assert answers(archive) == before
    finally:
        archive.close()


def test_reopening_an_unchanged_archive_uses_the_saved_derived_state(copy_corpus: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    first = build(copy_corpus, tmp_path / "data", workers=1)
    expected = ([(e.name, len(e.mentions)) for e in first.entities()], answers(first), first.documents())
    first.close()

    def must_not_resolve(*args: object) -> None:
        raise AssertionError("entities resolved again for an unchanged index")

    monkeypatch.setattr("migarchive.core.entities.resolve", must_not_resolve)
    again = Archive(AppPaths(corpus=copy_corpus, data_dir=tmp_path / "data"))
    try:
        again.sync()
        assert ([(e.name, len(e.mentions)) for e in again.entities()], answers(again),
                [d.path for d in again.documents()]) == (expected[0], expected[1], [d.path for d in expected[2]])
    finally:
        again.close()


def test_a_damaged_derived_state_is_recomputed(copy_corpus: Path, tmp_path: Path) -> None:
    first = build(copy_corpus, tmp_path / "data", workers=1)
    expected = answers(first)
    first.close()
    for name in ("records.pickle", "resolved.pickle"):
        (IndexStore(first.paths.index_root).root / name).write_bytes(b"\x80\x05garbage")
    again = Archive(AppPaths(corpus=copy_corpus, data_dir=tmp_path / "data"))
    try:
        again.sync()
        assert answers(again) == expected
        assert len(again.entities()) > 10
    finally:
        again.close()


def test_an_update_from_the_saved_state_resolves_entities_as_a_rebuild_does(copy_corpus: Path, tmp_path: Path) -> None:
    build(copy_corpus, tmp_path / "data", workers=1).close()
    paper = sorted(copy_corpus.glob("*.txt"))[-1]
    paper.write_text(paper.read_text(encoding="utf-8") + "\n\nThe UNHCR and the International Labour "
                     "Organization (ILO) met the Xylo Initiative for Refugees (XIR).\n", encoding="utf-8")
    updated = Archive(AppPaths(corpus=copy_corpus, data_dir=tmp_path / "data"))
    rebuilt = build(copy_corpus, tmp_path / "fresh", workers=1)
    try:
        assert updated.sync().updated == (paper.name,)
        assert [(e.name, e.acronym, e.mentions) for e in updated.entities()] == \
            [(e.name, e.acronym, e.mentions) for e in rebuilt.entities()]
        assert updated.entity("XIR") is not None
    finally:
        updated.close()
        rebuilt.close()


def test_a_damaged_candidate_store_is_read_from_the_index_instead(copy_corpus: Path, tmp_path: Path) -> None:
    build(copy_corpus, tmp_path / "data", workers=1).close()
    store = IndexStore(AppPaths(corpus=copy_corpus, data_dir=tmp_path / "data").index_root)
    (store.root / "candidates.sqlite3").write_bytes(b"this is not a database" * 64)
    paper = sorted(copy_corpus.glob("*.txt"))[0]
    paper.write_text(paper.read_text(encoding="utf-8") + "\n\nThe Xylo Initiative for Refugees (XIR) met the "
                     "International Labour Organization (ILO).\n", encoding="utf-8")
    updated = Archive(AppPaths(corpus=copy_corpus, data_dir=tmp_path / "data"))
    rebuilt = build(copy_corpus, tmp_path / "fresh", workers=1)
    try:
        assert updated.sync().updated == (paper.name,)
        assert [(e.name, e.mentions) for e in updated.entities()] == [(e.name, e.mentions) for e in rebuilt.entities()]
    finally:
        updated.close()
        rebuilt.close()


def test_a_phrase_never_runs_from_one_part_of_a_passage_into_the_next(tmp_path: Path) -> None:
    """A passage is searched as its document's title, its section heading and its paragraph, each
    at positions of its own: words that meet across two parts are not a phrase, words within one are."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.md").write_text(
        "# Report on the Quokka Workshop\n\n## Findings of Wombats\n\n"
        "Numbats gathered in Perth to count the migrating wallabies.\n\n"
        "A second paragraph, about the wallabies again.\n", encoding="utf-8")
    archive = build(corpus, tmp_path / "data", workers=1)
    try:
        def total(query: str) -> int:
            return archive.search(query, limit=50).total

        assert total('"quokka workshop"') == 3  # in every passage, and the title's own
        assert total('"findings of wombats"') == 2  # in each passage of the section
        assert total('"numbats gathered in perth"') == 1
        assert total('"migrating wallabies"') == 1
        for across in ('"workshop findings"', '"wombats numbats"', '"workshop numbats"', '"again report"'):
            assert total(across) == 0, across
    finally:
        archive.close()
