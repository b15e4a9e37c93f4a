"""What a search returns: hits (passages, with where they are and a snippet) and the results line."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from migarchive.core.meetings import Meeting


@dataclass(frozen=True)
class Hit:
    path: str
    title: str
    meeting: int | None
    section: str | None
    section_id: str | None
    passage_id: str
    score: float
    snippet: str
    page: int | None = None  # for a passage of a PDF
    note_id: str | None = None  # a hit that is one of the user's annotations, not a passage


@dataclass(frozen=True)
class SearchResults:
    query: str
    corrected: str | None  # the query as searched, when words the archive lacks were corrected
    total: int
    documents: int
    hits: tuple[Hit, ...]
    loosened: bool = False  # no passage has all the words: the closest are shown
    also_searched: tuple[str, ...] = ()  # synonyms, acronyms and long forms that matched
    suggestion: str | None = None  # "did you mean": rare words with a much commoner twin
    complete: int | None = None  # of `total`, the passages with every word (None: all of them)
    per_document: Mapping[str, int] | None = None  # results in each document (path → passages)
    notes: tuple[Hit, ...] = ()  # the user's annotations that match (`in:notes`, or asked for)
    notes_only: bool = False  # the query asked for notes alone (`in:notes`)
    terms: tuple[str, ...] = ()  # the words to highlight in what the hits open

    def describe(self, quotes: tuple[str, str] = ("'", "'")) -> list[str]:
        """What was done to the query, in sentences for the results line."""
        left, right = quotes
        notes = []
        if self.corrected:
            notes.append(f"no results for {left}{self.query}{right}; showing results for {left}{self.corrected}{right}")
        if self.suggestion:
            notes.append(f"did you mean {left}{self.suggestion}{right}?")
        if self.loosened and self.total:
            notes.append("no passage has all the words; showing the closest")
        elif self.complete is not None and 0 < self.complete < self.total:
            notes.append(f"{self.complete} with all the words, then the closest")
        if self.also_searched and self.total:
            shown = ", ".join(self.also_searched[:6]) + (" …" if len(self.also_searched) > 6 else "")
            notes.append(f"also searched: {shown}")
        return notes


@dataclass(frozen=True)
class MeetingPassages:
    """A query's best passages in one meeting's documents, and how many there are in all."""

    meeting: Meeting
    hits: tuple[Hit, ...]
    total: int  # passages of this meeting that match
    documents: int  # of its documents, those with a matching passage


@dataclass(frozen=True)
class Comparison:
    """One query across the meetings, in the order they were held (`Archive.compare`)."""

    query: str
    corrected: str | None  # the query as searched, when the archive knows other spellings
    meetings: tuple[MeetingPassages, ...]
    terms: tuple[str, ...] = ()  # the words to highlight in what the hits open

    @property
    def total(self) -> int:
        return sum(group.total for group in self.meetings)


class CountsWhenAsked(Mapping[str, int]):
    """Results per document, counted when first read: a query matching thousands of documents made
    a dict of them all (~0.15 ms, a few per cent of a query) that the command line never reads
    and the window reads once."""

    def __init__(self, count: Callable[[], dict[str, int]]) -> None:
        self._count: Callable[[], dict[str, int]] | None = count
        self._counted: dict[str, int] | None = None

    def _counts(self) -> dict[str, int]:
        if self._counted is None:
            assert self._count is not None
            self._counted, self._count = self._count(), None
        return self._counted

    def __getitem__(self, path: str) -> int:
        return self._counts()[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts())

    def __len__(self) -> int:
        return len(self._counts())
