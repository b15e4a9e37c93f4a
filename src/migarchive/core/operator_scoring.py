"""The matches of an operator query (AND, OR) scored as arrays, exactly as Whoosh scores them.

Whoosh collects an operator query by advancing a tree of matchers posting by posting and asking
each match its score: ~4 µs a match in Python, 35 ms for "undocumented OR irregular" over 8,600
passages, the slowest kind of query. Here the same tree of matchers, as Whoosh builds it for the
query in each segment, is evaluated at once over whole posting lists: a term's BM25F with its own
scorer's statistics (idf, average length, B, K1), in double precision and in Whoosh's order of
operations; a union adds the scores of a passage both sides match, an intersection those of the
passages both match, in the tree's own shape. The scores are those Whoosh's collector computes,
bit for bit, and so are the order and the count of the results (`tests/core/test_operator_scoring.py`).

A matcher this does not know (a phrase, a NOT, a field filter with its own scorer, a wrapper)
makes the whole query Whoosh's: None is returned and the caller collects it as before.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching import IntersectionMatcher, ListMatcher, NullMatcherClass, UnionMatcher
from whoosh.matching.wrappers import FilterMatcher, WrappingMatcher
from whoosh.query import Query
from whoosh.scoring import BM25FScorer
from whoosh.searching import Searcher

from migarchive.core.postings import ArrayLeafMatcher, read_blocks
from migarchive.core.ranking import BYTE_TO_LENGTH, _common, _length_bytes

Scored = tuple[np.ndarray, np.ndarray]  # document numbers (ascending, each once), their scores (float64)



class _Unsupported(Exception):
    """A matcher whose scores this module does not reproduce."""


def scored_matches(searcher: Searcher, q: Query) -> Scored | None:
    """Every document `q` matches and its score, as Whoosh's collector finds them (deleted
    documents left out); None where `q` holds a matcher this does not reproduce."""
    context = searcher.context()
    ids: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    for leaf, offset in searcher.leaf_searchers():
        try:
            found = _evaluate(q.matcher(leaf, context), _Lengths(leaf))
        except _Unsupported:
            return None
        ids.append(found[0] + offset)
        scores.append(found[1])
    if not ids:
        return _empty()
    return np.concatenate(ids), np.concatenate(scores)


def top(scored: Scored, limit: int) -> list[tuple[float, int]]:
    """The best `limit` as Whoosh's top collector keeps them: highest score first, and of equal
    scores the lowest document number (the first collected)."""
    docnums, scores = scored
    order = np.lexsort((docnums, -scores))[:limit]
    return list(zip(scores[order].tolist(), docnums[order].tolist()))


class _Lengths:
    """A segment's field lengths per document, as `doc_field_length` reads them (default 1)."""

    def __init__(self, leaf: Searcher) -> None:
        self._reader = leaf.reader()
        self._count = self._reader.doc_count_all()
        self._by_field: dict[str, np.ndarray] = {}

    def of(self, fieldname: str) -> np.ndarray:
        lengths = self._by_field.get(fieldname)
        if lengths is None:
            lengths = self._by_field[fieldname] = _field_lengths(self._reader, fieldname, self._count)
        return lengths


def _field_lengths(reader: Any, fieldname: str, count: int) -> np.ndarray:
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return np.ones(count, dtype=np.float64)
    lengths: np.ndarray = BYTE_TO_LENGTH[_length_bytes(column, count)]  # doubles, as the scorer sees them
    return lengths


def _evaluate(matcher: Any, lengths: _Lengths) -> Scored:
    kind = type(matcher)
    if isinstance(matcher, NullMatcherClass):
        return _empty()
    if kind is UnionMatcher:
        return _union(_evaluate(matcher.a, lengths), _evaluate(matcher.b, lengths))
    if kind is IntersectionMatcher:
        return _intersection(_evaluate(matcher.a, lengths), _evaluate(matcher.b, lengths))
    if kind is WrappingMatcher:  # a boost
        ids, scores = _evaluate(matcher.child, lengths)
        return ids, scores * matcher.boost
    if kind is FilterMatcher and matcher.boost == 1.0:  # a segment's deleted documents
        ids, scores = _evaluate(matcher.child, lengths)
        inside = np.isin(ids, np.fromiter(matcher._ids, dtype=np.int64, count=len(matcher._ids)))
        keep = ~inside if matcher._exclude else inside
        return ids[keep], scores[keep]
    if kind is ArrayLeafMatcher or kind is ListMatcher:
        return _term(matcher, lengths)
    raise _Unsupported(kind.__name__)


def _term(matcher: Any, lengths: _Lengths) -> Scored:
    # Whoosh's two leaf matchers keep their scorer under different names.
    scorer = matcher.scorer if type(matcher) is ArrayLeafMatcher else matcher._scorer
    term = matcher.term()
    if type(scorer) is not BM25FScorer or term is None:  # e.g. a fixed set of passages, each scoring 1
        raise _Unsupported(type(scorer).__name__)
    if type(matcher) is ArrayLeafMatcher:
        ids, weights, _blocks = read_blocks(matcher)
        tf = weights.astype(np.float64)
        fl = lengths.of(term[0])[ids]
        idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        # `scoring.bm25`, operation for operation: the same doubles as Whoosh's.
        return ids, idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
    # An inlined posting list (a word used once): Whoosh's own matcher, exact by definition.
    found, scores = [], []
    while matcher.is_active():
        found.append(matcher.id())
        scores.append(matcher.score())
        matcher.next()
    return np.array(found, dtype=np.int64), np.array(scores, dtype=np.float64)


def _union(a: Scored, b: Scored) -> Scored:
    ids = np.union1d(a[0], b[0])
    scores = np.zeros(len(ids), dtype=np.float64)
    scores[np.searchsorted(ids, a[0])] = a[1]
    scores[np.searchsorted(ids, b[0])] += b[1]  # 0.0 + b where only b matches: b itself
    return ids, scores


def _intersection(a: Scored, b: Scored) -> Scored:
    left, right = _common(a[0], b[0])
    return a[0][left], a[1][left] + b[1][right]


def _empty() -> Scored:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
