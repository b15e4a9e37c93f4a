"""The user's annotations as search results: the `in:notes` filter, note hits beside passage hits,
and the words of a query worth highlighting in what a hit opens."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from migarchive.core.model import DocumentInfo
from migarchive.core.notes.model import Annotation
from migarchive.core.results import Hit
from migarchive.core.query_syntax import OPERATORS
from migarchive.core.vocabulary import QUERY_STOP_WORDS

IN_NOTES = re.compile(r"(?<!\S)in:notes(?!\S)")
_FILTER_TOKEN = re.compile(r'\b\w+:(?:"[^"]*"|\S+)')
_WORD = re.compile(r"[\w/.'’-]+")
_QUOTE_SHOWN = 160
_NOTE_SHOWN = 200


def split_notes_filter(query: str) -> tuple[str, bool]:
    """The query without `in:notes`, and whether it was there (then: search the notes alone)."""
    if IN_NOTES.search(query) is None:
        return query, False
    return " ".join(IN_NOTES.sub(" ", query).split()), True


def query_terms(query: str) -> tuple[str, ...]:
    """The words of a query worth highlighting: no filters, operators, syntax or small words ("and",
    "the" would light up the whole page; "WHO" in capitals is the agency and stays)."""
    text = _FILTER_TOKEN.sub(" ", query)
    return tuple(w for w in _WORD.findall(text) if w not in OPERATORS and len(w) > 1
                 and (w.isupper() or w.lower() not in QUERY_STOP_WORDS))


def note_hits(annotations: Iterable[Annotation], info_of: Callable[[str], DocumentInfo | None],
              words: Iterable[str] = ()) -> tuple[Hit, ...]:
    """Annotations as hits: the document they are in, and their quote and note as the snippet, with
    the words searched for in bold."""
    bold = _bolder(words)
    hits = []
    for annotation in annotations:
        info = info_of(annotation.path)
        meeting = info.metadata.meeting if info is not None else None
        snippet = f"Note on “{bold(annotation.exact[:_QUOTE_SHOWN])}”"
        if annotation.note:
            snippet += f" — {bold(annotation.note[:_NOTE_SHOWN])}"
        section = "your note" + (" (orphaned)" if annotation.orphaned else "")
        hits.append(Hit(annotation.path, info.metadata.title if info is not None else annotation.path,
                        meeting.number if meeting else None, section, None, f"note:{annotation.id}", 0.0,
                        " ".join(snippet.split()), note_id=annotation.id))
    return tuple(hits)


def _bolder(words: Iterable[str]) -> Callable[[str], str]:
    # The note search matches words anywhere in the text, any case: bold the same. One pattern of
    # alternatives, longest first, so a word inside a longer one is not bolded twice.
    wanted = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    if not wanted:
        return lambda text: " ".join(text.replace("*", " ").split())
    pattern = re.compile("|".join(re.escape(w) for w in wanted), re.IGNORECASE)

    def bold(text: str) -> str:
        return pattern.sub(lambda m: f"**{m.group(0)}**", " ".join(text.replace("*", " ").split()))

    return bold
