"""The benchmark's corpus generator: deterministic, and its output is an archive migarchive reads."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from migarchive.core.archive import Archive
from migarchive.paths import AppPaths

_SPEC = importlib.util.spec_from_file_location(
    "bench_generate", Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py")
assert _SPEC and _SPEC.loader
generate = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(generate)


def test_same_seed_same_corpus(tmp_path: Path) -> None:
    generate.generate(tmp_path / "a", 3, seed=7)
    generate.generate(tmp_path / "b", 3, seed=7)
    for name in ("doc_00000.txt", "doc_00001.txt", "doc_00002.txt"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_generated_documents_are_placed_under_their_meeting(tmp_path: Path) -> None:
    generate.generate(tmp_path / "corpus", 4, seed=3)
    archive = Archive.open(AppPaths(tmp_path / "corpus", tmp_path / "data"))
    infos = archive.documents()
    assert len(infos) == 4
    assert all(info.metadata.meeting is not None and info.metadata.meeting.start_date for info in infos)
    assert archive.search("migration").total > 0
    archive.close()



# -- the prose mode, on a small prose file of its own (no network) -----------------------------------

_PROSE = [
    "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in "
    "want of a wife, however little known the feelings or views of such a man may be on his first entering.",
    "The lantern swung in the wind while the ferryman counted the passengers twice, as was his habit, and "
    "found one more than he had taken on board at the quay below the old customs house that evening.",
    "Nothing is so tiring as a holiday spent in waiting for the weather, and the family had waited a "
    "fortnight at the seaside for a day on which the sun would consent to shine upon the promenade.",
]


def _prose_file(tmp_path: Path) -> Path:
    path = tmp_path / "prose.txt"
    path.write_text("\n".join(_PROSE) + "\n", encoding="utf-8")
    return path


def test_prose_mode_same_seed_same_corpus(tmp_path: Path) -> None:
    prose = _prose_file(tmp_path)
    generate.generate(tmp_path / "a", 3, seed=7, prose=prose)
    generate.generate(tmp_path / "b", 3, seed=7, prose=prose)
    generate.generate(tmp_path / "c", 3, seed=8, prose=prose)
    names = sorted(path.name for path in (tmp_path / "a").iterdir())
    assert names == ["doc_00000.txt", "doc_00001.txt", "doc_00002.txt"]
    assert all((tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes() for name in names)
    assert any((tmp_path / "a" / name).read_bytes() != (tmp_path / "c" / name).read_bytes() for name in names)


def test_prose_documents_are_shaped_like_meeting_documents(tmp_path: Path) -> None:
    generate.generate(tmp_path / "corpus", 40, seed=5, prose=_prose_file(tmp_path))
    seeds = set(generate.seed_paragraphs(generate.bundled_corpus()))
    counts = {"seed": 0, "prose": 0}
    with_meeting = 0
    for path in sorted((tmp_path / "corpus").glob("*.txt")):
        blocks = path.read_text(encoding="utf-8").split("\n\n")
        assert blocks[0].startswith("# ") and not blocks[0].startswith("## ")
        sections = [block for block in blocks if block.startswith("## ")]
        assert sections and blocks[1 + 2 * ("COORDINATION MEETING" in blocks[1])].startswith("## I. ")
        with_meeting += "COORDINATION MEETING" in blocks[1]
        body = [block.strip() for block in blocks if not block.startswith("#")][2 * ("COORDINATION MEETING" in blocks[1]):]
        assert 20 <= len(body) <= 60
        for block in body:
            counts["seed" if block in seeds else "prose"] += 1
            assert block in seeds or block in _PROSE
    assert 0.2 < counts["seed"] / (counts["seed"] + counts["prose"]) < 0.4
    assert 0 < with_meeting < 40  # documents spread over meetings, and some belong to none


def test_prose_documents_are_an_archive_migarchive_reads(tmp_path: Path) -> None:
    generate.generate(tmp_path / "corpus", 6, seed=3, prose=_prose_file(tmp_path))
    archive = Archive.open(AppPaths(tmp_path / "corpus", tmp_path / "data"))
    infos = archive.documents()
    assert len(infos) == 6
    assert {info.metadata.meeting.number for info in infos if info.metadata.meeting} <= set(range(1, 21))
    assert all(info.metadata.title and not info.metadata.title.startswith("#") for info in infos)
    assert archive.search("ferryman").total > 0 and archive.search("migration").total > 0
    archive.close()


def test_without_the_packages_the_corpus_falls_back_to_the_seeds_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable(cache: Path = Path()) -> Path:
        raise generate.ProseUnavailable("apt-get download fortunes failed: no network")

    monkeypatch.setattr(generate, "prose_file", unavailable)
    notes: list[str] = []
    assert generate.default_prose(notes) is None
    assert len(notes) == 1 and "no network" in notes[0] and "seed paragraphs alone" in notes[0]
