"""How counts and phrases are said, alike in the window and on the command line."""

from __future__ import annotations

_IRREGULAR = {"match": "matches", "entry": "entries", "agency": "agencies", "was": "were", "is": "are"}


def plural(count: int, noun: str, many: str | None = None) -> str:
    """"1 document", "3 documents", "2 matches", "0 agencies"."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {many or _IRREGULAR.get(noun) or noun + 's'}"


def sentence(phrase: str) -> str:
    """A phrase ("the index was rebuilt") as the start of a sentence."""
    return phrase[:1].upper() + phrase[1:]
