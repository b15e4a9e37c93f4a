"""Where things live: the corpus folder and the data directory, resolved once.

Precedence for the data directory: explicit argument (`--data-dir`) > `MIGARCHIVE_DATA_DIR` >
the platform's user data directory. The result is an `AppPaths` value passed down, never a global.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import platformdirs

from migarchive.errors import CorpusNotFoundError, DataDirError

APP_NAME = "migarchive"
DATA_DIR_ENV = "MIGARCHIVE_DATA_DIR"
CORPUS_ENV = "MIGARCHIVE_CORPUS"
# The corpus subfolder `add` writes to (the rest of a corpus folder is only read).
IMPORTED = "imported"


def _packaged(name: str) -> Path:
    """A data folder shipped with the package: `migarchive/corpus` or `migarchive/resources`.

    A wheel (pip, pipx, a distro package) and the frozen bundle hold it inside the package (setup.py
    maps the repository's top-level folders there). A source checkout, also when installed in
    editable mode, keeps it at the repository root, two levels above `src/migarchive`: setuptools'
    editable finder maps data-only folders but `importlib.resources` cannot open them.
    """
    # A real folder, not a Traversable: the corpus is walked with os.walk and its index is keyed
    # by its path, so a zipped install could not be served anyway.
    package = Path(str(resources.files(__package__ or APP_NAME)))
    installed = package / name
    if installed.is_dir():
        return installed
    checkout = package.parents[1] / name
    return checkout if (package.parent.name == "src" and checkout.is_dir()) else installed


def bundled_corpus() -> Path:
    """The archive shipped with migarchive (the default when no corpus is named); read-only."""
    return _packaged("corpus").resolve()


def resources_dir() -> Path:
    return _packaged("resources")


@dataclass(frozen=True)
class AppPaths:
    corpus: Path
    data_dir: Path

    @property
    def _corpus_key(self) -> str:
        """The corpus folder as a file name: its name, and a digest of its path to tell apart two
        folders of the same name."""
        digest = hashlib.sha1(str(self.corpus).encode("utf-8")).hexdigest()[:12]
        return f"{self.corpus.name or 'corpus'}-{digest}"

    @property
    def index_root(self) -> Path:
        """One index per corpus folder, so one data directory can serve several archives."""
        return self.data_dir / "indexes" / self._corpus_key

    @property
    def window_settings(self) -> Path:
        """The window's layout for this archive (geometry, docks, the documents last opened): each
        archive has its own, beside its index in the data directory."""
        return self.data_dir / "windows" / f"{self._corpus_key}.ini"

    @property
    def bundled(self) -> bool:
        return self.corpus == bundled_corpus()

    @property
    def imported(self) -> Path:
        """Where the archive's `imported/` documents live, the one place `add` writes to: in the
        corpus folder, except for the bundled corpus, which sits in site-packages or a frozen
        bundle (often not writable, and replaced by the next upgrade), so that the user's
        additions to it are kept in the data directory."""
        return (self.data_dir if self.bundled else self.corpus) / IMPORTED


def resolve_corpus(explicit: str | os.PathLike[str] | None) -> Path:
    raw = explicit if explicit is not None else os.environ.get(CORPUS_ENV) or bundled_corpus()
    path = Path(raw).expanduser()
    if not path.exists():
        raise CorpusNotFoundError(f"no such corpus folder: {path}")
    if not path.is_dir():
        raise CorpusNotFoundError(f"the corpus must be a folder, not a file: {path}")
    return path.resolve()


def resolve_data_dir(explicit: str | os.PathLike[str] | None) -> Path:
    raw = explicit if explicit is not None else os.environ.get(DATA_DIR_ENV)
    path = Path(raw).expanduser() if raw else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(f"cannot create the data directory {path}: {exc.strerror or exc}") from exc
    if not os.access(path, os.W_OK | os.X_OK):
        raise DataDirError(f"the data directory is not writable: {path}")
    return path.resolve()


def resolve_paths(
    corpus: str | os.PathLike[str] | None = None, data_dir: str | os.PathLike[str] | None = None
) -> AppPaths:
    return AppPaths(corpus=resolve_corpus(corpus), data_dir=resolve_data_dir(data_dir))
