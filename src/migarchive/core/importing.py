"""Putting a user's own files into the archive: copied (or linked) into the archive's `imported/`
folder, the one part of an archive migarchive writes to: the corpus folder's `imported/`
subfolder, or for the read-only bundled corpus the data directory's (`AppPaths.imported`).

A file whose content is already in the archive is not added again, under any name. Copies are
written beside their final name and renamed into place, so a crash never leaves half a PDF.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migarchive.core.atomic import replacing, write_atomically
from migarchive.core.model import DocPath, DocumentInfo, Kind
from migarchive.core.overrides import FIELDS
from migarchive.core.reading import DOCUMENT_SUFFIXES
from migarchive.errors import UserError
from migarchive.paths import IMPORTED

ADDED, ALREADY, FAILED = "added", "already in the archive", "failed"


@dataclass(frozen=True)
class Placed:
    """What became of one file the user asked to add."""

    source: Path
    status: str  # ADDED, ALREADY or FAILED
    path: DocPath | None = None  # where it is in the corpus (for ADDED and ALREADY)
    reason: str | None = None  # why it FAILED


def place(folder: Path, files: Iterable[Path], link: bool, known: Mapping[str, DocPath]) -> list[Placed]:
    """Copy (or symlink, with `link`) each file into the archive's imported `folder`, where it is
    `imported/NAME`; `known` maps the content hashes already in the archive to their documents."""
    seen = dict(known)
    placed = []
    for source in files:
        source = Path(source).expanduser()
        problem = _unusable(source)
        if problem is not None:
            placed.append(Placed(source, FAILED, reason=problem))
            continue
        try:
            digest = _sha256(source)
        except OSError as exc:
            placed.append(Placed(source, FAILED, reason=f"cannot be read: {exc.strerror or exc}"))
            continue
        if digest in seen:
            placed.append(Placed(source, ALREADY, seen[digest]))
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = _free_name(folder, source.name)
            if link:
                os.symlink(source.resolve(), target)
            else:
                _copy_atomically(source, target)
        except OSError as exc:
            placed.append(Placed(source, FAILED, reason=f"cannot be put in {folder}: {exc.strerror or exc}"))
            continue
        path = DocPath(f"{IMPORTED}/{target.name}")
        seen[digest] = path
        placed.append(Placed(source, ADDED, path))
    return placed


def unsure_fields(info: DocumentInfo) -> list[str]:
    """The metadata a person should check: what extraction could not find or only guessed."""
    meta = info.metadata
    unsure = []
    if meta.meeting is None and "meeting" not in meta.overridden:
        unsure.append("meeting")
    if meta.kind == Kind.OTHER and "kind" not in meta.overridden:
        unsure.append("kind")
    if meta.organization is None and meta.kind == Kind.PAPER and "organization" not in meta.overridden:
        unsure.append("organization")
    return unsure


def write_corrections(folder: Path, path: str, fields: Mapping[str, Any]) -> Path:
    """Store corrected metadata in the document's sidecar `NAME.meta.json` in the archive's
    imported `folder` (merged with what is there); only for documents in `imported/`: the rest of
    the corpus folder is the user's."""
    if not path.startswith(IMPORTED + "/"):
        raise UserError(f"'{path}' is not a document you added; migarchive does not write in the rest of the "
                        f"corpus folder. To correct it, put a file '{Path(path).name}.meta.json' beside it "
                        "(see the README, “Correcting metadata”)")
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise UserError(f"unknown metadata field(s): {', '.join(unknown)}; known: {', '.join(FIELDS)}")
    sidecar = folder / f"{path[len(IMPORTED) + 1:]}.meta.json"
    try:
        current = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.is_file() else {}
    except (OSError, ValueError):
        current = {}
    if not isinstance(current, dict):
        current = {}
    current.update({key: value for key, value in fields.items() if value not in (None, "")})
    for key in [key for key, value in fields.items() if value in (None, "")]:
        current.pop(key, None)  # an emptied field goes back to what extraction found
    try:
        write_atomically(sidecar, json.dumps(current, ensure_ascii=False, indent=2) + "\n")
    except OSError as exc:
        raise UserError(f"cannot write {sidecar}: {exc.strerror or exc}") from exc
    return sidecar


def _unusable(source: Path) -> str | None:
    if not source.exists():
        return "no such file"
    if not source.is_file():
        return "not a regular file"
    if not source.name.lower().endswith(DOCUMENT_SUFFIXES):
        return f"not a document migarchive reads ({', '.join(DOCUMENT_SUFFIXES)})"
    return None


def _sha256(source: Path) -> str:
    digest = hashlib.sha256()
    with open(source, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _free_name(folder: Path, name: str) -> Path:
    """`name` in `folder`, or `stem-2.ext`, `stem-3.ext`… when another file has it."""
    target = folder / name
    stem, suffix = os.path.splitext(name)
    number = 2
    while target.exists() or target.is_symlink():
        target = folder / f"{stem}-{number}{suffix}"
        number += 1
    return target


def _copy_atomically(source: Path, target: Path) -> None:
    with open(source, "rb") as original, replacing(target) as copy:
        shutil.copyfileobj(original, copy, 1 << 20)
    shutil.copystat(source, target)
