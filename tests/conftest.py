import os
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Shared fixtures: the bundled corpus, isolated data directories and an index built once per session.

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from migarchive.core import documents, reading
from migarchive.core.archive import Archive
from migarchive.core.model import Document, Skipped
from migarchive.paths import CORPUS_ENV, DATA_DIR_ENV, AppPaths

# Hypothesis keeps a cache; keep it out of the source tree.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "migarchive-tests-hypothesis"))

TESTS_DIR = Path(__file__).resolve().parent
CORPUS_DIR = (TESTS_DIR.parent / "corpus").resolve()

# The five seed documents, by their number.
SEED = {
    "000": "000_b26e33a0a508e853.txt",
    "001": "001_2af6c4c605665e75.txt",
    "002": "002_85393ee9b1ec9064.txt",
    "003": "003_701c0046ca42ff1f.txt",
    "004": "004_92a7188ace85ec6e.txt",
}


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may ever read or write the user's real data directory or pick up their corpus."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path_factory.mktemp("env-data-dir")))
    monkeypatch.delenv(CORPUS_ENV, raising=False)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The bundled corpus (read-only: tests that edit files use `copy_corpus`)."""
    assert CORPUS_DIR.is_dir(), CORPUS_DIR
    return CORPUS_DIR


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data directory of the test's own."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def _built_data_dir(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    """A data directory holding an index of the bundled corpus, built once per session."""
    data = tmp_path_factory.mktemp("built-data")
    archive = Archive.open(AppPaths(corpus=corpus_dir, data_dir=data))
    archive.close()
    return data


@pytest.fixture
def indexed_data_dir(_built_data_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the session's built index: tests may change it freely."""
    target = tmp_path / "indexed-data"
    shutil.copytree(_built_data_dir, target)
    return target


@pytest.fixture
def indexed_paths(corpus_dir: Path, indexed_data_dir: Path) -> AppPaths:
    return AppPaths(corpus=corpus_dir, data_dir=indexed_data_dir)


@pytest.fixture
def archive(indexed_paths: AppPaths) -> Iterator[Archive]:
    """The bundled corpus's archive, opened on a private copy of the prebuilt index."""
    opened = Archive.open(indexed_paths)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def copy_corpus(tmp_path: Path, corpus_dir: Path) -> Path:
    """A writable copy of the bundled corpus, for tests that add, edit or delete files."""
    target = tmp_path / "corpus"
    shutil.copytree(corpus_dir, target)
    return target.resolve()


def _build_document(corpus: Path, name: str) -> Document:
    files, _ = reading.discover(corpus)
    file = next(f for f in files if f.path == name)
    source = reading.read_source(file)
    assert not isinstance(source, Skipped), source
    return documents.build(source, file)


@pytest.fixture(scope="session")
def build_document() -> Callable[[Path, str], Document]:
    """build_document(corpus, relative_path): a corpus file read and built as the archive does."""
    return _build_document


@pytest.fixture(scope="session")
def seed() -> dict[str, str]:
    """The seed documents' corpus paths by number: {"000": "000_b26e33a0a508e853.txt", ...}."""
    return dict(SEED)


@pytest.fixture(scope="session")
def seed_docs(corpus_dir: Path) -> dict[str, Document]:
    """The five seed documents, built once: {"000": Document, ...}."""
    return {number: _build_document(corpus_dir, name) for number, name in SEED.items()}


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], corpus_dir: Path, indexed_data_dir: Path,
        monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """cli(*args) -> (exit code, stdout, stderr), on the bundled corpus and a copy of its prebuilt index."""
    from migarchive.cli import main
    from migarchive.paths import DATA_DIR_ENV

    monkeypatch.setenv(DATA_DIR_ENV, str(indexed_data_dir))
    capsys.readouterr()

    def run(*args: str, corpus: Path | None = corpus_dir) -> tuple[int, str, str]:
        code = main(list(args) + (["--corpus", str(corpus)] if corpus is not None else []))
        out, err = capsys.readouterr()
        return code, out, err

    return run
