"""The benchmark's corpus generator: deterministic, and its output is an archive migarchive reads."""

from __future__ import annotations

import importlib.util
from pathlib import Path

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

