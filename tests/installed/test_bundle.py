"""The frozen bundle (`make bundle`: PyInstaller, one folder) works on a machine without Python.

Runs only where the bundle was built (dist/migarchive/migarchive, or $MIGARCHIVE_BUNDLE); building
it takes a minute and PyInstaller, so `make test` does not. Same checks as the wheel's, plus an
index big enough to start the indexing worker processes, which in a frozen app are the bundle's
executable started again.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .runner import Installed, check_every_command

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = Path(os.environ.get("MIGARCHIVE_BUNDLE") or ROOT / "dist" / "migarchive" / "migarchive")

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(not BUNDLE.is_file(), reason=f"no bundle at {BUNDLE} (build it with `make bundle`)"),
]


@pytest.fixture
def bundle(tmp_path: Path) -> Installed:
    where = tmp_path / "elsewhere"
    where.mkdir()
    return Installed([str(BUNDLE)], where)


def test_the_bundle_runs_every_command_on_its_archive(bundle: Installed) -> None:
    package_corpus = next(BUNDLE.parent.glob("_internal/migarchive/corpus"), BUNDLE.parent / "migarchive" / "corpus")
    assert package_corpus.is_dir()
    check_every_command(bundle, package_corpus)


def test_the_bundle_indexes_with_worker_processes(bundle: Installed, corpus_dir: Path) -> None:
    corpus = bundle.cwd / "big"
    corpus.mkdir()
    size = 0
    copies = 0
    while size < 2_200_000:  # over indexing.PARALLEL_MIN_BYTES: two processes share the work
        for seed in sorted(corpus_dir.glob("*.txt")):
            target = corpus / f"{copies:03d}_{seed.name}"
            shutil.copyfile(seed, target)
            size += target.stat().st_size
        copies += 1
    report = bundle.json("index", "--corpus", str(corpus))
    assert report["documents"] == 5 * copies and not report["skipped"]
    assert bundle.json("search", "remittances", "--corpus", str(corpus))["total"] > 0


def test_the_bundle_carries_the_licences_help_about_shows(bundle: Installed) -> None:
    info = bundle.json("about")
    assert info["bundled"] and Path(info["corpus"]).is_relative_to(BUNDLE.parent)
    assert Path(info["imported"]) == bundle.data_dir / "imported"
    names = {lib["name"].lower().replace("_", "-"): lib["licence"] for lib in info["libraries"]}
    assert {"pyside6-essentials", "whoosh-reloaded", "markdown", "pypdf", "platformdirs"} <= set(names)
    assert "unknown" not in names.values()  # the libraries' metadata was bundled
    assert "United Nations" in info["documents"]
