"""The pieces of Whoosh a search is made of: a fixed set of passages, a collector that counts every
match, bold snippets, and acronyms expanded in parsed queries (the exact, operator path)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from whoosh import collectors, highlight
from whoosh.matching import ListMatcher, Matcher, NullMatcher
from whoosh.query import CompoundQuery, Or, Phrase, Query, Term
from whoosh.searching import Searcher

from migarchive.core import snippets
from migarchive.core.analysis import analyze

BODY = "body"
# Where the words of a query are looked for: passage text, section heading and title, indexed together.
SEARCHED_FIELDS = frozenset({BODY, "section", "title"})
# Records that are not passages: one per file, and the spelling word lists.
RECORDS = Or([Term("doctype", "document"), Term("doctype", "spelling")])


class PassageSet(Query):
    """Exactly these passages (by id), each scoring 1: what `entity:X` requires. An `Or` of one
    term per passage did the same, but walking thousands of one-posting lists at once cost half a
    second for a much-mentioned agency."""

    fieldname = "id"

    def __init__(self, ids: Iterable[str]) -> None:
        self.ids = tuple(sorted(set(ids)))
        self._numbers: dict[int, list[int]] = {}  # per segment reader (by id: readers live as long as the engine)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PassageSet) and other.ids == self.ids

    def __hash__(self) -> int:
        return hash((PassageSet, self.ids))

    def __repr__(self) -> str:
        return f"PassageSet({len(self.ids)} passages)"

    def is_leaf(self) -> bool:
        return True

    def estimate_size(self, ixreader: object) -> int:
        return len(self.ids)

    def matcher(self, searcher: Searcher, context: object = None) -> Matcher:
        reader = searcher.reader()
        # Looking an id up costs tens of microseconds: once per segment reader, not once per search.
        numbers = self._numbers.get(id(reader))
        if numbers is None:
            numbers = []
            for passage in self.ids:
                term = passage.encode("utf-8")
                if ("id", term) in reader:
                    postings = reader.postings("id", term)
                    if postings.is_active():
                        numbers.append(postings.id())
            numbers.sort()
            self._numbers[id(reader)] = numbers
        return ListMatcher(list(numbers)) if numbers else NullMatcher()


class CountingTopCollector(collectors.TopCollector):
    """The best matches and the number of every match, so that counting needs no second pass over
    the postings. Without Whoosh's shortcuts (block skipping, replacing matchers by leaner ones once
    the top is full): they drop matches that cannot reach the top, which would make the count wrong,
    and on passages this short they cost about what they save."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit, usequality=False, replace=0)
        self.matched: list[int] = []

    def collect(self, sub_docnum: int) -> object:
        self.matched.append(self.offset + sub_docnum)
        return super().collect(sub_docnum)


class MarkdownBold(highlight.Formatter):
    """Snippets mark matched words as **bold**: readable in a terminal, rendered by the reader."""

    between = " … "

    def format_token(self, text: str, token: highlight.Token, replace: bool = False) -> str:
        return f"**{highlight.get_text(text, token, replace)}**"


class AcronymExpander:
    """`IOM` also matches "International Organization for Migration" where the corpus says so.

    Built on the first query that uses operators (`definitions` may be a function giving them):
    analysing every definition of a large archive is wasted on a plain search."""

    def __init__(self, definitions: Iterable[tuple[str, str]] | Callable[[], Iterable[tuple[str, str]]]) -> None:
        self._definitions = definitions
        self._built = False
        self._lock = threading.Lock()
        self._long: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        self._short: dict[tuple[str, ...], set[tuple[str, ...]]] = {}

    def _build(self) -> None:
        with self._lock:
            if self._built:
                return
            definitions = self._definitions() if callable(self._definitions) else self._definitions
            for acronym, long_form in definitions:
                short_terms, long_terms = tuple(analyze(acronym)), tuple(analyze(long_form))
                if short_terms and len(long_terms) > 1:
                    self._long.setdefault(short_terms, set()).add(long_terms)
                    self._short.setdefault(long_terms, set()).add(short_terms)
            self._built = True

    def expand(self, q: Query) -> Query:
        if not self._built:
            self._build()
        return self._expand(q)

    def _expand(self, q: Query) -> Query:
        if isinstance(q, Term) and q.fieldname in SEARCHED_FIELDS:
            alternatives = self._long.get((q.text,), set())
            if alternatives:
                return Or([q, *(phrase(q.fieldname, words) for words in sorted(alternatives))])
        elif isinstance(q, Phrase) and q.fieldname in SEARCHED_FIELDS:
            alternatives = self._short.get(tuple(q.words), set()) | self._long.get(tuple(q.words), set())
            if alternatives:
                return Or([q, *(phrase(q.fieldname, words) for words in sorted(alternatives))])
        elif isinstance(q, CompoundQuery):
            q.subqueries = [self._expand(sub) for sub in q.subqueries]
        return q


def phrase(fieldname: str, words: tuple[str, ...]) -> Query:
    return Term(fieldname, words[0]) if len(words) == 1 else Phrase(fieldname, list(words))





def fragmenter() -> highlight.ContextFragmenter:
    """The operator path's snippets; the plain path's (`snippets`) are the same, made faster."""
    return highlight.ContextFragmenter(maxchars=snippets.MAX_CHARS, surround=snippets.SURROUND)
