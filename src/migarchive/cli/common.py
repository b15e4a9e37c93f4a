"""What every command does alike: open the archive, report progress and notices on stderr, print."""

from __future__ import annotations

import argparse
import gc
import json
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from migarchive.core.archive import Archive
from migarchive.core.changes import SyncReport
from migarchive.errors import UserError
from migarchive.paths import resolve_paths


def open_archive(args: argparse.Namespace, rebuild: bool = False) -> Archive:
    paths = resolve_paths(args.corpus, args.data_dir)
    archive = Archive(paths)
    args.opened.append(archive)
    archive.sync(rebuild=rebuild, progress=progress_printer())
    # A command runs once and exits: what opening loaded stays until then, so the cyclic
    # collector need not walk it again at every later collection (~50 ms at 2,000 documents).
    gc.freeze()
    tell(archive.last_report)
    return archive


def tell(report: SyncReport | None) -> None:
    """What the user should know about the last sync (a damaged index rebuilt), on stderr."""
    if report is not None and report.notice:
        print(f"migarchive: {report.notice}", file=sys.stderr)


def progress_printer() -> Callable[[int, int, str], None] | None:
    """A progress line on a terminal; nothing when stderr is a file or a pipe."""
    if not sys.stderr.isatty():
        return None
    lock = threading.Lock()

    def show(done: int, total: int, message: str) -> None:
        with lock:
            end = "\n" if done >= total else ""
            sys.stderr.write(f"\rindexing {done}/{total} {message[-50:]:<50}{end}")
            sys.stderr.flush()

    return show


def emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(text)


def warn_skipped(args: argparse.Namespace, archive: Archive) -> None:
    for item in archive.skipped:
        print(f"migarchive: skipped {item.path}: {item.reason}", file=sys.stderr)


def excerpt(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def write_file(target: Path, content: str) -> None:
    try:
        Archive.write_notes_export(target, content)
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
