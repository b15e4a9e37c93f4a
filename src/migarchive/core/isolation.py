"""One document's work behind one guard: whatever goes wrong with one file costs that file only.

Everything done per document (read, extract, clean, metadata, sections, entity candidates,
analysis) runs inside `guarded`. An exception, or running past the document's time budget, turns
into a `Skipped` with a one-line reason the user sees; the traceback of an unexpected exception
travels with it (`Skipped.details`) and is written to the log in the data directory, so that a bug
report has it. The stages are linear by construction (`benchmarks/adversarial.py`); the budget is
the second line of defence, checked at `checkpoint()` calls placed in each stage's per-block,
per-page and per-passage loops, so that no single file can hold a whole build hostage.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from migarchive.core.atomic import write_atomically
from migarchive.core.model import DocPath, Skipped

T = TypeVar("T")

LOG_NAME = "migarchive.log"
# Ordinary documents take ~2 s per MB through the whole pipeline and PDFs ~180 pages a second:
# the budget is many times that, so only a pathological file meets it.
BUDGET_BASE_SECONDS = 10.0
BUDGET_SECONDS_PER_MB = 10.0
BUDGET_MAX_SECONDS = 120.0

log = logging.getLogger("migarchive")
_deadline: ContextVar[tuple[float, float] | None] = ContextVar("migarchive_deadline", default=None)


class OverBudget(Exception):
    """The document's work ran past its time budget."""


def budget_seconds(size_bytes: int) -> float:
    return min(BUDGET_MAX_SECONDS, BUDGET_BASE_SECONDS + BUDGET_SECONDS_PER_MB * size_bytes / 1e6)


def checkpoint() -> None:
    """Raise `OverBudget` when the current document's time is up; nothing outside `guarded`."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline[0]:
        raise OverBudget(f"took longer than {deadline[1]:.0f} s, the limit for a file of its size")


@contextmanager
def budget(size_bytes: int) -> Iterator[None]:
    seconds = budget_seconds(size_bytes)
    token = _deadline.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def guarded(path: DocPath, size_bytes: int, work: Callable[[], T | Skipped],
            passthrough: tuple[type[BaseException], ...] = ()) -> T | Skipped:
    """`work()`, or the reason it failed as a `Skipped`. Exceptions in `passthrough` (cancelling,
    a full disk) are the caller's and propagate, as do KeyboardInterrupt and SystemExit."""
    try:
        with budget(size_bytes):
            return work()
    except passthrough:
        raise
    except OverBudget as exc:
        return Skipped(path, f"not indexed: it {exc}")
    except RecursionError as exc:
        return Skipped(path, "not indexed: its structure is nested too deeply to read",
                       details="".join(traceback.format_exception(exc)))
    except MemoryError:
        return Skipped(path, "not indexed: reading it needed more memory than this computer has")
    except Exception as exc:  # noqa: BLE001 - the point of the guard: one file never stops the rest
        summary = " ".join(str(exc).split())[:120] or "no message"
        return Skipped(path, f"not indexed: an unexpected error ({type(exc).__name__}: {summary}); "
                             f"the details are in {LOG_NAME} in the data directory",
                       details="".join(traceback.format_exception(exc)))


# -- the log file ----------------------------------------------------------------------------------

_logging_lock = threading.Lock()
_logged: set[tuple[str, int]] = set()  # (path, hash of details): each traceback once per process


def log_to(data_dir: Path) -> None:
    """Send the `migarchive` log to `LOG_NAME` in `data_dir` (once per folder and process)."""
    target = (data_dir / LOG_NAME).resolve()
    with _logging_lock:
        if any(getattr(h, "baseFilename", None) == str(target) for h in log.handlers):
            return
        handler = _RotatingLog(str(target))
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


class _RotatingLog(logging.Handler):
    """A rotating log file made at the first record: most commands log nothing, and
    `logging.handlers` (with the socket and pickle modules it loads) was 8 ms of every start."""

    def __init__(self, filename: str) -> None:
        super().__init__()
        self.baseFilename = filename
        self._file: logging.Handler | None = None
        self._failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None and not self._failed:
            import logging.handlers

            try:
                self._file = logging.handlers.RotatingFileHandler(
                    self.baseFilename, maxBytes=1_000_000, backupCount=2, encoding="utf-8", delay=True)
            except OSError:
                self._failed = True  # no log is better than no archive
                return
            self._file.setFormatter(self.formatter)
        if self._file is not None:
            self._file.emit(record)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def log_skipped(skipped: Iterator[Skipped] | list[Skipped] | tuple[Skipped, ...]) -> None:
    """Write the traceback of each file skipped by an unexpected error to the log, once."""
    for entry in skipped:
        if not entry.details:
            continue
        key = (entry.path, hash(entry.details))
        with _logging_lock:
            if key in _logged:
                continue
            _logged.add(key)
        log.error("skipped %s: %s\n%s", entry.path, entry.reason, entry.details.rstrip())


# -- files skipped before, unchanged since -----------------------------------------------------------

class SkipMemory:
    """The files skipped for their content, by (size, mtime, sidecar stamp): an unchanged bad file
    is reported again without being read again, so that one file that takes its whole budget does
    not cost that at every start. Kept as one small JSON file beside the index; losing it only
    means the files are tried once more."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._known: dict[str, list[Any]] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                self._known = {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 2}
        except (OSError, ValueError, RecursionError):
            pass
        self._seen: dict[str, list[Any]] = {}

    def recall(self, path: DocPath, stamp: tuple[Any, ...]) -> Skipped | None:
        entry = self._known.get(path)
        if entry is None or entry[0] != _plain(stamp):
            return None
        self._seen[path] = entry
        return Skipped(path, str(entry[1]))

    def remember(self, skipped: Skipped, stamp: tuple[Any, ...]) -> None:
        self._seen[skipped.path] = [_plain(stamp), skipped.reason]

    def save(self) -> None:
        """Keep what this sync saw: files no longer skipped, or gone, are forgotten."""
        if self._seen == self._known:
            return
        try:
            write_atomically(self._path, json.dumps(self._seen, sort_keys=True))
            self._known = dict(self._seen)
        except OSError:
            pass  # only a memory: the files are read again next time


def _plain(stamp: tuple[Any, ...]) -> list[Any]:
    plain: list[Any] = json.loads(json.dumps(stamp))  # tuples as lists, as they come back from the file
    return plain
