"""What a note's fields may hold, checked before anything is written: spans inside the text and not
blank, corpus-relative paths, text where text is meant, known colours, tags trimmed and each once."""

from __future__ import annotations

import re
from collections.abc import Iterable

from migarchive.core.notes.model import COLOURS
from migarchive.errors import UserError

_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Trimmed, without empties, each tag once (compared ignoring case), in the order given."""
    if isinstance(tags, str):
        raise UserError("tags must be a list of strings, not one string")
    seen: set[str] = set()
    kept = []
    for tag in tags:
        if not isinstance(tag, str):
            raise UserError(f"a tag must be text, not {tag!r}")
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            kept.append(tag)
    return tuple(kept)


def check_span(text: str, start: int, end: int) -> None:
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        raise UserError(f"the span {start}:{end} is not within the document ({len(text)} characters)")
    if not text[start:end].strip():
        raise UserError("cannot annotate or bookmark only blank space")


def check_path(path: str) -> str:
    if not isinstance(path, str) or not path or path.startswith("/") or "\\" in path:
        raise UserError(f"a note's document path must be corpus-relative with '/', not {path!r}")
    return path


def check_str(value: str, what: str) -> str:
    if not isinstance(value, str):
        raise UserError(f"the {what} must be text, not {type(value).__name__}")
    return value


def check_colour(colour: str) -> str:
    if colour in COLOURS or (isinstance(colour, str) and _HEX_COLOUR.fullmatch(colour)):
        return colour
    raise UserError(f"unknown colour {colour!r} (use one of {', '.join(COLOURS)}, or #rrggbb)")
