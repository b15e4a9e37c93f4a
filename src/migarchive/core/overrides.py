"""Hand corrections of a document's metadata: a front-matter block or a JSON sidecar.

Front matter is a block at the very top of the file::

    ---
    meeting: 5
    kind: contributed paper
    ---

A sidecar is `<file name>.meta.json` next to the document, e.g. `paper.txt.meta.json`. Sidecar
values win over front matter, which wins over what was extracted.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from migarchive.core.model import MeetingRef, Metadata

FIELDS = ("title", "kind", "meeting", "start_date", "end_date", "organization", "symbol")
_FRONT = re.compile(r"\A---[ \t]*\n((?:[ \t]*[A-Za-z_]+[ \t]*:.*\n)+)---[ \t]*(?:\n|\Z)")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """The front-matter fields and the text after the block; text without one comes back as is."""
    match = _FRONT.match(text)
    if not match:
        return {}, text
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, _, value = line.partition(":")
        fields[key.strip().lower().replace("_", " ").replace(" ", "_")] = value.strip().strip("\"'")
    return fields, text[match.end() :]


def read_sidecar(document: Path) -> tuple[dict[str, Any], str | None]:
    """The sidecar's fields, or ({}, warning) when it exists but cannot be used."""
    sidecar = document.with_name(document.name + ".meta.json")
    if not sidecar.is_file():
        return {}, None
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, f"ignored {sidecar.name}: {exc}"
    if not isinstance(data, dict):
        return {}, f"ignored {sidecar.name}: expected a JSON object"
    return data, None


def apply(metadata: Metadata, fields: dict[str, Any]) -> tuple[Metadata, list[str]]:
    """`metadata` with the recognised fields replaced; unknown or malformed values become warnings."""
    warnings: list[str] = []
    changes: dict[str, Any] = {}
    meeting = metadata.meeting
    # The meeting number first: a different meeting does not keep the extracted meeting's dates.
    for key, value in sorted(fields.items(), key=lambda kv: kv[0] != "meeting"):
        if key not in FIELDS:
            warnings.append(f"unknown metadata field '{key}' ignored")
            continue
        try:
            if key == "meeting":
                if isinstance(value, bool):
                    raise ValueError(value)
                number = int(value)
                if number < 1:
                    raise ValueError(value)
                same = meeting is not None and meeting.number == number
                meeting = meeting if same else MeetingRef(number)
            elif key in ("start_date", "end_date"):
                day = date.fromisoformat(str(value))
                meeting = meeting or MeetingRef(0)
                meeting = dataclasses.replace(meeting, **{key: day, "month": None})
            elif key in ("title", "kind"):
                if value is None or not str(value).strip():
                    raise ValueError(value)
                changes[key] = str(value).strip()
            else:  # organization and symbol may be cleared with null
                changes[key] = str(value).strip() if value is not None else None
        except (TypeError, ValueError):
            warnings.append(f"metadata field '{key}' has an unusable value: {value!r}")
            continue
        changes.setdefault("overridden", ())
        changes["overridden"] += (key,)
    if meeting is not None and meeting.number <= 0:
        warnings.append("start_date/end_date given for a document with no meeting number")
        meeting = metadata.meeting
        changes["overridden"] = tuple(k for k in changes.get("overridden", ()) if k not in ("start_date", "end_date"))
    if meeting is not None and meeting.start_date and meeting.end_date and meeting.end_date < meeting.start_date:
        warnings.append("end_date before start_date: the meeting is taken as one day")
        meeting = dataclasses.replace(meeting, end_date=meeting.start_date)
    return dataclasses.replace(metadata, meeting=meeting, **changes), warnings
