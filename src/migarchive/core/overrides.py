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


# A sidecar holds a handful of short fields; anything larger is not one.
MAX_SIDECAR_BYTES = 64 * 1024
MAX_TEXT_CHARS = 500
MAX_MEETING = 200  # the meetings are yearly since 2002
_YEARS = range(1945, 2200)


def read_sidecar(sidecar: Path) -> tuple[dict[str, Any], str | None]:
    """The sidecar's fields, or ({}, warning) when it exists but cannot be used."""
    try:
        with open(sidecar, "rb") as handle:
            raw = handle.read(MAX_SIDECAR_BYTES + 1)
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        return {}, f"ignored {sidecar.name}: {exc.strerror or exc}"
    if len(raw) > MAX_SIDECAR_BYTES:
        return {}, f"ignored {sidecar.name}: larger than {MAX_SIDECAR_BYTES // 1024} KB"
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_NonFinite)
    except RecursionError:
        return {}, f"ignored {sidecar.name}: nested too deep"
    except (UnicodeDecodeError, ValueError) as exc:
        return {}, f"ignored {sidecar.name}: {exc}"
    if not isinstance(data, dict):
        return {}, f"ignored {sidecar.name}: expected a JSON object"
    return data, None


class _NonFinite:
    """Infinity or NaN in a sidecar: kept in place so that only its own field is refused."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


def _text(value: Any) -> str:
    """A short text field, or ValueError: strings (or numbers) of valid Unicode, without controls."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(value)
    text = " ".join(str(value).split())
    if not text or len(text) > MAX_TEXT_CHARS or any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise ValueError(value)
    return text


def _meeting_number(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        value = int(value)  # finite: Infinity and NaN arrive as `_NonFinite`
    number = int(value) if isinstance(value, int) else int(_text(value)) if _text(value).isdigit() else 0
    if not 1 <= number <= MAX_MEETING:
        raise ValueError(value)
    return number


def _day(value: Any) -> date:
    day = date.fromisoformat(_text(value))
    if day.year not in _YEARS:
        raise ValueError(value)
    return day


def apply(metadata: Metadata, fields: dict[str, Any]) -> tuple[Metadata, list[str]]:
    """`metadata` with the recognised fields replaced; unknown or malformed values become warnings."""
    warnings: list[str] = []
    changes: dict[str, Any] = {}
    meeting = metadata.meeting
    # The meeting number first: a different meeting does not keep the extracted meeting's dates.
    for key, value in sorted(fields.items(), key=lambda kv: kv[0] != "meeting"):
        if key not in FIELDS:
            shown = key if len(key) <= 40 else key[:37] + "…"
            warnings.append(f"unknown metadata field '{shown.encode('utf-8', 'replace').decode()}' ignored")
            continue
        try:
            if key == "meeting":
                number = _meeting_number(value)
                same = meeting is not None and meeting.number == number
                meeting = meeting if same else MeetingRef(number)
            elif key in ("start_date", "end_date"):
                day = _day(value)
                meeting = meeting or MeetingRef(0)
                dates: dict[str, Any] = {key: day, "month": None}
                meeting = dataclasses.replace(meeting, **dates)
            elif key in ("title", "kind"):
                changes[key] = _text(value)
            else:  # organization and symbol may be cleared with null
                changes[key] = _text(value) if value is not None else None
        except (TypeError, ValueError, OverflowError):
            shown = repr(value)
            shown = shown if len(shown) <= 60 else shown[:57] + "…"
            warnings.append(f"metadata field '{key}' has an unusable value: {shown.encode('utf-8', 'replace').decode()}")
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
