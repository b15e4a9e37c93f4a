"""What Help › About tells: the version, where things are, and the licences of what is bundled.

The libraries' licences are read from their installed metadata (wheels, pipx and the frozen bundle
all carry it), so the list follows what is really installed rather than a list kept by hand. The
bundled documents' notice is `resources/NOTICE.md`. Qt-free; the dialog is `ui/about.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from importlib import metadata
from typing import Any, cast

from migarchive import __version__
from migarchive.paths import APP_NAME, AppPaths, resources_dir

NOTICE_FILE = "NOTICE.md"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class Library:
    name: str
    version: str
    licence: str


def summary(paths: AppPaths) -> dict[str, Any]:
    """Everything About tells, as plain values (`migarchive about --json`)."""
    return {"version": __version__, "corpus": str(paths.corpus), "bundled": paths.bundled,
            "imported": str(paths.imported), "data_dir": str(paths.data_dir), "licence": own_licence(),
            "libraries": [{"name": lib.name, "version": lib.version, "licence": lib.licence} for lib in libraries()],
            "documents": documents_notice()}


def summary_text(data: dict[str, Any]) -> str:
    width = max((len(lib["name"]) for lib in data["libraries"]), default=0)
    return "\n".join([
        f"migarchive {data['version']} ({data['licence']} licence)",
        f"corpus folder:    {data['corpus']}{'  (the bundled archive, read-only)' if data['bundled'] else ''}",
        f"added documents:  {data['imported']}",
        f"data directory:   {data['data_dir']}",
        "",
        *(f"{lib['name']:<{width}}  {lib['version']:<10}  {lib['licence']}" for lib in data["libraries"]),
        "",
        data["documents"].rstrip(),
    ])


def documents_notice() -> str:
    """Where the bundled documents come from and under what terms (Markdown)."""
    try:
        return (resources_dir() / NOTICE_FILE).read_text(encoding="utf-8")
    except OSError as exc:
        return f"(the notice of the bundled documents cannot be read: {exc.strerror or exc})"


def own_licence() -> str:
    return _licence_of(APP_NAME) or "MIT"


def libraries() -> list[Library]:
    """migarchive's run-time dependencies and theirs, installed ones only (a requirement behind an
    environment marker that does not apply is simply not installed), sorted by name."""
    found: dict[str, Library] = {}
    todo = _requirements(APP_NAME)
    while todo:
        name = todo.pop()
        key = _normalise(name)
        if key in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        found[key] = Library(dist.metadata["Name"] or name, dist.version, _licence(dist) or "unknown")
        todo.extend(_requirements(name))
    return sorted(found.values(), key=lambda lib: lib.name.lower())


def _requirements(name: str) -> list[str]:
    try:
        required = metadata.requires(name) or []
    except metadata.PackageNotFoundError:
        return []
    names = []
    for requirement in required:
        marker = requirement.split(";", 1)[1] if ";" in requirement else ""
        if "extra" in marker:
            continue  # optional (test) dependencies are not part of the app
        match = _NAME.match(requirement.strip())
        if match:
            names.append(match.group(0))
    return names


def _licence_of(name: str) -> str | None:
    try:
        return _licence(metadata.distribution(name))
    except metadata.PackageNotFoundError:
        return None


def _licence(dist: metadata.Distribution) -> str | None:
    """The SPDX expression, else a short License field, else the licence classifiers."""
    # At run time the metadata is an email.message.Message; the stubs' PackageMetadata lacks its `get`.
    meta = cast(Message, dist.metadata)
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    text = (meta.get("License") or "").strip()
    # Some packages put the whole licence text in the field: a first line is not a name then.
    if text and "\n" not in text and len(text) <= 80 and text.upper() != "UNKNOWN":
        return text
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return ", ".join(dict.fromkeys(classifiers))
    return text.splitlines()[0].strip() if text else None


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
