"""The index's schema: one Whoosh document per passage and one per document, with fields whose
repeated values (title, heading, kind, meeting) are analysed once per document, and passage text
analysed as the parts a passage is searched by (title, heading, text) with a gap between them."""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.codec import whoosh3
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from migarchive.core.analysis import index_positions, plain_analyzer, text_analyzer
from migarchive.core.postings import RawPositions


class RepeatedValues:
    """A field whose values repeat on every passage of a document (title, section heading, kind,
    meeting): each value is analysed once, not once per passage."""

    _MEMO_LIMIT = 4096

    def index(self, value: object, **kwargs: object) -> Iterator[tuple[bytes, int, float, bytes]]:
        if not isinstance(value, str) or kwargs.get("mode", "index") != "index":
            return super().index(value, **kwargs)  # type: ignore[misc, no-any-return]
        memo = self.__dict__.setdefault("_memo", {})
        found = memo.get(value)
        if found is None:
            if len(memo) > self._MEMO_LIMIT:
                memo.clear()
            found = memo[value] = list(super().index(value, **kwargs))  # type: ignore[misc]
        return iter(found)

    def __getstate__(self) -> dict[str, object]:
        # The schema is pickled into the index's table of contents: without the memo.
        state = dict(self.__dict__)
        state.pop("_memo", None)
        return state


class AnalysedText(TEXT):
    """Text indexed through `index_positions` (one pass, no token objects); queries still go
    through `text_analyzer()`, which yields the same terms. Positions are kept as arrays
    (`postings.RawPositions`), which phrases read without unpickling each posting's."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(analyzer=text_analyzer(), **kwargs)
        self.format = RawPositions(field_boost=kwargs.get("field_boost", 1.0))

    def index(self, value: object, **kwargs: object) -> Iterator[tuple[bytes, int, float, bytes]]:
        if kwargs.get("mode", "index") != "index" or not isinstance(value, (str, tuple)):
            yield from super().index(value, **kwargs)
            return
        encode = self.format.encode
        boost = self.format.field_boost
        for term, positions in _positions_of_parts(value).items():
            yield term.encode("utf-8"), len(positions), len(positions) * boost, encode(positions)


# Where the parts of a passage's searchable text begin: the paragraph at 0, its section heading and
# its document's title far beyond any paragraph's length, so that a phrase never runs from one part
# into the next, and the paragraph's positions (most of a passage's) are kept as analysed, unshifted.
HEADING_START = 1 << 30
TITLE_START = 1 << 31


class AnalysedParts(tuple):  # type: ignore[type-arg]
    """A passage's searchable parts (title, heading, text), analysed when made: indexing analyses
    each document before writing any of it, so that a failure cannot leave half a document in
    the index; the field then takes the positions from here instead of analysing again."""

    positions: dict[str, list[int]]

    def __new__(cls, parts: tuple[str, str, str], analysed: PassageParts | None = None) -> AnalysedParts:
        made = super().__new__(cls, parts)
        title, heading, text = parts
        analysed = analysed or PassageParts(title)
        made.positions = analysed.positions(heading, text)
        return made


class PassageParts:
    """The positions of one document's passages: its title and each heading analysed once (every
    passage repeats them), each passage's paragraph once. Positions lists are shared between
    passages and never changed."""

    def __init__(self, title: str) -> None:
        self._title = _shifted(index_positions(title), TITLE_START)
        self._headings: dict[str, dict[str, list[int]]] = {}

    def positions(self, heading: str, text: str) -> dict[str, list[int]]:
        merged = index_positions(text)
        heading_terms = self._headings.get(heading)
        if heading_terms is None:
            heading_terms = self._headings[heading] = _shifted(index_positions(heading), HEADING_START)
        for terms in (heading_terms, self._title):
            for term, found in terms.items():
                have = merged.get(term)
                merged[term] = found if have is None else have + found
        return merged


def _shifted(positions: dict[str, list[int]], start: int) -> dict[str, list[int]]:
    return {term: [start + p for p in found] for term, found in positions.items()}


def _positions_of_parts(value: str | tuple[str, ...]) -> dict[str, list[int]]:
    if isinstance(value, AnalysedParts):
        return value.positions
    if isinstance(value, str):
        return index_positions(value)
    title, heading, text = value
    return PassageParts(title).positions(heading, text)


class Heading(RepeatedValues, AnalysedText):
    """A document title or section heading, searched like the text."""


class Label(RepeatedValues, TEXT):
    """A name or label (`org:`, `kind:`): words, not stemmed."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(analyzer=plain_analyzer(), **kwargs)


class Value(RepeatedValues, ID):
    """A whole value (`meeting:5`, `year:2006`, a path)."""


def schema() -> Schema:
    return Schema(
        id=ID(unique=True, stored=True),
        doctype=ID(stored=True),  # "document": a file's record; "spelling": a word list; passages have none
        path=Value(stored=True, sortable=True),  # a column: counting documents must not load stored fields
        record=STORED(),  # JSON of the document record (doctype=document only)
        # The corpus's distinct unstemmed words, for spelling suggestions: once per segment (on a
        # "spelling" record), where Whoosh's `spelling=True` analyses every passage twice.
        # Stored as well: the speller reads its words from these few records in milliseconds,
        # where walking the field's terms of every segment took 170 ms at 2,000 documents.
        spell=KEYWORD(stored=True),
        passage_id=STORED(),
        section_id=STORED(),
        page=STORED(),  # the PDF page a passage begins on
        # What a query looks in: the passage with its section heading and its document's title, as
        # one field (title, heading, text), so that each word of a query is one posting list to walk,
        # not three; `section:` and `title:` still search those alone.
        body=AnalysedText(),
        text=STORED(),
        section=Heading(stored=True),
        title=Heading(stored=True),
        meeting=Value(stored=True),
        year=Value(stored=True),
        org=Label(stored=True),
        kind=Label(stored=True),
    )


def _remember_missing_length_columns() -> None:
    """Whoosh looks up a field's length column once per posting when it writes a segment, and for a
    field without one (ids, filters) it asks the file system each time; a third of the indexing
    time went there. Remember the answer per reader, as it already does for columns that exist."""
    reader_class = whoosh3.W3PerDocReader
    if getattr(reader_class, "_migarchive_patched", False):
        return
    original = reader_class._cached_reader

    def cached_reader(self, fieldname, column):  # type: ignore[no-untyped-def]
        missing = self.__dict__.setdefault("_missing_columns", set())
        if fieldname in missing:
            return None
        reader = original(self, fieldname, column)
        if reader is None:
            missing.add(fieldname)
        return reader

    reader_class._cached_reader = cached_reader
    reader_class._migarchive_patched = True


_remember_missing_length_columns()
