"""Operator queries scored as arrays give Whoosh's own scores, bit for bit, and its order and count."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import collectors
from whoosh import index as whoosh_index
from whoosh.query import And, Not, Or, Phrase, Query, Term

from migarchive.core import operator_scoring
from migarchive.core.index import schema
from migarchive.core.segment_writer import new_writer
from migarchive.core.whoosh_parts import CountingTopCollector, PassageSet

# Common words (long posting lists, read as arrays), rarer ones (walked), one that occurs once
# (an inlined posting) and one that never does.
WORDS = ["migration", "labour", "remittances", "rights", "workers", "census", "diaspora", "phaeton", "nowhere"]
_WEIGHTS = [300, 120, 40, 30, 12, 4, 2, 0, 0]


def _passage(chance: random.Random) -> str:
    words = [w for w, weight in zip(WORDS, _WEIGHTS) if chance.randrange(1000) < weight]
    return " ".join(words * chance.randint(1, 3) + ["filler"] * chance.randint(0, 80))


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> whoosh_index.Index:
    """Two segments, the first above Whoosh's 5,000 documents (where an OR of three is a tree
    of unions) and with deletions; the second small."""
    folder = tmp_path_factory.mktemp("operators")
    index = whoosh_index.create_in(str(folder), schema())
    chance = random.Random(14)
    writer = new_writer(index)
    for number in range(5400):
        writer.add_document(id=f"p{number}", path=f"d{number // 50}", body=_passage(chance))
    writer.add_document(id="once", path="d-once", body="phaeton")
    writer.commit()
    writer = new_writer(index)
    for number in range(0, 5400, 7):
        writer.delete_by_term("id", f"p{number}")
    for number in range(300):
        writer.add_document(id=f"q{number}", path=f"e{number // 50}", body=_passage(chance))
    writer.commit(merge=False)
    return index


def _whooshs(searcher: object, q: Query) -> tuple[list[int], list[float]]:
    """Every match and its score, as Whoosh's collector asks the matcher tree for them."""
    ids: list[int] = []
    scores: list[float] = []
    context = searcher.context()  # type: ignore[attr-defined]
    for leaf, offset in searcher.leaf_searchers():  # type: ignore[attr-defined]
        matcher = q.matcher(leaf, context)
        while matcher.is_active():
            ids.append(offset + matcher.id())
            scores.append(matcher.score())
            matcher.next()
    return ids, scores


def _term(word: str, boost: float = 1.0) -> Term:
    """The query's word as the index holds it (stemmed)."""
    from migarchive.core.analysis import term_of

    return Term("body", term_of(word), boost=boost)


_TERM = st.sampled_from(WORDS).map(_term)


def _compound(children: st.SearchStrategy[Query]) -> st.SearchStrategy[Query]:
    return st.builds(lambda kind, subs: kind(subs), st.sampled_from([Or, And]), st.lists(children, min_size=2, max_size=4))


QUERIES = st.recursive(_TERM, _compound, max_leaves=8).filter(lambda q: not isinstance(q, Term))


@settings(max_examples=150, deadline=None)
@given(QUERIES)
def test_scores_are_whooshs_to_the_last_bit(ix: whoosh_index.Index, q: Query) -> None:
    q = q.normalize()
    with ix.searcher() as searcher:
        found = operator_scoring.scored_matches(searcher, q)
        expected_ids, expected_scores = _whooshs(searcher, q)
    if found is None:  # Whoosh's own matcher for an OR of three or more in the small segment
        return
    assert found[0].tolist() == expected_ids
    assert found[1].tolist() == expected_scores  # equal doubles, not close ones


def test_an_or_of_words_is_scored_as_arrays_in_a_large_segment(ix: whoosh_index.Index) -> None:
    q = Or([_term("migration"), _term("remittances"), _term("phaeton"), _term("nowhere")])
    with ix.searcher() as searcher:
        leaves = searcher.leaf_searchers()
        big = next(leaf for leaf, _ in leaves if leaf.doc_count_all() > 5000)
        found = operator_scoring.scored_matches(big, q)
        assert found is not None and len(found[0]) > 1000
        assert (found[0].tolist(), found[1].tolist()) == _whooshs(big, q)


def test_the_top_and_the_count_are_the_collectors(ix: whoosh_index.Index) -> None:
    q = Or([_term("labour"), And([_term("rights"), _term("workers")])])
    with ix.searcher() as searcher:
        top = CountingTopCollector(limit=50)
        searcher.search_with_collector(q, collectors.FilterCollector(top, restrict=Term("path", "d3")))
        found = operator_scoring.scored_matches(searcher, q)
        assert found is not None
        ids, scores = found
        d3 = {offset + n for leaf, offset in searcher.leaf_searchers()
              for n in leaf.docs_for_query(Term("path", "d3"))}
        keep = np.array([d not in d3 for d in ids.tolist()], dtype=bool)
        assert ids[keep].tolist() == sorted(top.matched)
        assert operator_scoring.top((ids[keep], scores[keep]), 50) == [(s, d) for d, s in top.results().items()]


@pytest.mark.parametrize("q", [Or([_term("labour"), Phrase("body", [_term("labour").text, _term("migration").text])]),
                               And([_term("labour"), Not(_term("census"))]),
                               Or([_term("labour"), _term("census", boost=2.0)]),
                               And([_term("labour"), PassageSet(["p1", "p2", "p3", "p4", "p11"])]),
                               Or([_term("phaeton"), PassageSet(["p5", "once"])])])
def test_what_it_does_not_reproduce_is_left_to_whoosh(ix: whoosh_index.Index, q: Query) -> None:
    with ix.searcher() as searcher:
        found = operator_scoring.scored_matches(searcher, q)
        if found is not None:  # a boost it does reproduce
            assert (found[0].tolist(), found[1].tolist()) == _whooshs(searcher, q)
        else:
            assert not isinstance(q.matcher(searcher), type(None))


def test_the_index_is_the_one_described(ix: whoosh_index.Index, tmp_path: Path) -> None:
    with ix.searcher() as searcher:
        sizes = sorted(leaf.doc_count_all() for leaf, _ in searcher.leaf_searchers())
        assert len(sizes) == 2 and sizes[0] < 5000 < sizes[1]
        assert any(leaf.reader().has_deletions() for leaf, _ in searcher.leaf_searchers())


FILTERS = st.recursive(_TERM | st.lists(st.sampled_from(["p1", "p7", "p30", "q3", "once", "gone"]), max_size=4)
                       .map(PassageSet), _compound, max_leaves=6)


@settings(max_examples=150, deadline=None)
@given(FILTERS)
def test_a_filters_matches_from_arrays_are_whooshs(ix: whoosh_index.Index, q: Query) -> None:
    """`IndexArrays.matching` combines ORs and ANDs of terms by array operations; apart from the
    deleted documents, which it leaves to its callers, it finds what Whoosh's matchers find."""
    from migarchive.core.ranking import IndexArrays

    with ix.searcher() as searcher:
        arrays = IndexArrays(searcher, "body")
        deleted = {offset + d for leaf, offset in searcher.leaf_searchers() for d in range(leaf.reader().doc_count_all())
                   if leaf.reader().is_deleted(d)}
        found = [n for n in arrays.matching(q).tolist() if n not in deleted]
        assert found == _whooshs(searcher, q)[0]
