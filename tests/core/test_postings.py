"""The array posting blocks answer as Whoosh's own blocks do: ids, frequencies, positions, skips, phrases."""

from __future__ import annotations

import random
from array import array
from itertools import accumulate
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.query import Phrase
from whoosh.writing import SegmentWriter

from migarchive.core import posting_pool
from migarchive.core.index import schema
from migarchive.core.index_schema import AnalysedParts
from migarchive.core.posting_pool import GroupedPostingPool
from migarchive.core.postings import (_ID_CODES, ArrayCodec, ArrayLeafMatcher, _large_arrays, _native,
                                      _small_arrays, _weights, read_blocks)
from migarchive.core.ranking import IndexArrays
from migarchive.core.segment_writer import FieldAtATimeWriter

WORDS = ["migration", "of", "a", "good", "fortune", "possession", "labour", "remittances", "the", "global", "compact"]


def _build(folder: Path, codec: object, compound: bool = True, grouped: bool = False) -> whoosh_index.Index:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), schema())
    if grouped:  # the writer the app uses: a field's postings at a time, grouped by term
        writer = FieldAtATimeWriter(ix, codec=codec, compound=compound)
        writer.pool = GroupedPostingPool(writer._tempstorage, writer.newsegment, limitmb=1)
    else:
        writer = SegmentWriter(ix, codec=codec, compound=compound)
    chance = random.Random(14)
    for number in range(1500):
        if number % 40 == 0:
            writer.add_document(id=f"d{number}", doctype="document", path=f"d{number // 40}")
            continue
        # Long lists (several blocks), frequencies above 1, and gaps of every width between ids.
        words = [chance.choice(WORDS) for _ in range(chance.randint(1, 60 if number % 97 else 400))]
        if number % 300 == 7:
            words = words * 300  # a frequency above 255: stored as floats
        # `org` keeps Whoosh's own positions (a pickle per posting), `body` raw arrays.
        # A passage's text as indexing prepares it (with a title and heading) or as a plain string.
        body = AnalysedParts((f"Title {number // 40}", "A heading" if number % 3 else "", " ".join(words))) \
            if number % 2 else " ".join(words)
        writer.add_document(id=f"p{number}", path=f"d{number // 40}", body=body, org=" ".join(words[:6]))
    writer.commit()
    return ix


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> tuple[whoosh_index.Index, whoosh_index.Index]:
    root = tmp_path_factory.mktemp("postings")
    return _build(root / "whoosh", W3Codec()), _build(root / "arrays", ArrayCodec(blocklimit=64))  # many blocks per list


def _walk(matcher: object) -> list[tuple[int, float, list[int]]]:
    found = []
    while matcher.is_active():  # type: ignore[attr-defined]
        found.append((matcher.id(), matcher.weight(), matcher.value_as("positions")))  # type: ignore[attr-defined]
        matcher.next()  # type: ignore[attr-defined]
    return found


@pytest.mark.parametrize("word", [w for w in WORDS if w not in ("of", "a", "the")] + ["of", "a"])
def test_the_matcher_reads_what_whoosh_reads(indexes: tuple, word: str) -> None:
    ours, theirs = (ix.reader() for ix in reversed(indexes))
    term = ours.schema["body"].process_text(word, mode="query").__next__().encode("utf-8")
    mine = ours.postings("body", term)
    assert isinstance(mine, ArrayLeafMatcher)
    assert _walk(mine) == _walk(theirs.postings("body", term))
    ids, weights, _blocks = read_blocks(ours.postings("body", term))
    expected = list(theirs.postings("body", term).items_as("weight"))
    assert ids.tolist() == [d for d, _ in expected]
    assert weights.tolist() == [w for _, w in expected]
    for target in (0, 5, 333, 700, 1499):  # skipping lands where Whoosh's does
        a, b = ours.postings("body", term), theirs.postings("body", term)
        if a.is_active() and target <= 1499:
            a.skip_to(target)
            b.skip_to(target)
            assert a.is_active() == b.is_active()
            if a.is_active():
                assert (a.id(), a.weight()) == (b.id(), b.weight())


_CHANCE = random.Random(7)
_RANDOM_PHRASES = [tuple(_CHANCE.choice(WORDS[:8]) for _ in range(_CHANCE.randint(2, 4))) for _ in range(12)]


@pytest.mark.parametrize("field", ["body", "org"])
@pytest.mark.parametrize("words", [("good", "fortune"), ("possession", "of", "a", "good", "fortune"), ("a", "a"),
                                   ("global", "compact"), ("of", "the", "of"), ("labour", "nowhere"),
                                   *_RANDOM_PHRASES])
def test_phrases_from_the_arrays_are_whooshs_phrases(indexes: tuple, words: tuple[str, ...], field: str) -> None:
    whoosh_ix, array_ix = indexes
    terms = [next(whoosh_ix.schema[field].process_text(w, mode="query")) for w in words]
    with whoosh_ix.searcher() as searcher:
        matcher = Phrase(field, terms).matcher(searcher)
        expected = sorted(matcher.all_ids()) if matcher.is_active() else []
    with array_ix.searcher() as searcher:
        found = IndexArrays(searcher, "body").phrase(field, tuple(terms))
    assert sorted(found.tolist()) == expected
    assert np.all(np.diff(np.sort(found)) > 0)  # each document once


# -- the two block encoders ----------------------------------------------------------------------------

_WEIGHT = st.one_of(st.sampled_from([1.0, 2.0, 3.0, 255.0, 256.0, 0.5, -1.0]),
                    st.floats(min_value=-1e6, max_value=1e6, width=32))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 70_000), _WEIGHT), min_size=1, max_size=300), st.booleans())
def test_small_and_large_blocks_are_encoded_alike(postings: list[tuple[int, float]], ones: bool) -> None:
    ids = array("I", sorted({d for d, _ in postings}))
    weights = array("f", [1.0 if ones else w for _, w in postings[:len(ids)]])
    weights.extend([1.0] * (len(ids) - len(weights)))
    assert _small_arrays(ids, weights) == _large_arrays(ids, weights)
    width, id_bytes, kind, weight_bytes = _small_arrays(ids, weights)
    assert list(accumulate(_native(_ID_CODES[width], id_bytes))) == ids.tolist()
    assert _weights(weight_bytes, len(ids), kind) == weights.tolist()


@pytest.mark.parametrize("spilled", [False, True])
def test_postings_grouped_by_term_write_what_whooshs_pool_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                spilled: bool) -> None:
    if spilled:  # a run every ~8 postings, in blocks of 3 terms or so: terms split across runs
        monkeypatch.setattr(posting_pool, "POSTING_BYTES", 130_000)
        monkeypatch.setattr(posting_pool, "RUN_BLOCK", 5)
    grouped = _build(tmp_path / "grouped", ArrayCodec(blocklimit=64), compound=False, grouped=True)
    whooshs = _build(tmp_path / "whooshs", ArrayCodec(blocklimit=64), compound=False)  # Whoosh's writer, pool, loop
    if not spilled:  # every file of the segment (postings, terms, stored fields, lengths, columns)
        ours, theirs = ({f.name.split(".", 1)[1]: f.read_bytes() for f in (tmp_path / name).glob("MAIN_*.*")}
                        for name in ("grouped", "whooshs"))
        assert ours.keys() == theirs.keys() and len(ours) > 4
        for kind, data in ours.items():
            assert data == theirs[kind], kind
        return
    # Through a run the values are equal but not always the same objects, which Whoosh's pickled
    # positions (`org`) then write as a copy or a reference: the same postings, not the same bytes.
    with grouped.reader() as ours, whooshs.reader() as theirs:
        terms = list(ours.all_terms())
        assert terms == list(theirs.all_terms()) and len(terms) > 20
        for fieldname, term in terms:
            assert _raw(ours.postings(fieldname, term)) == _raw(theirs.postings(fieldname, term)), (fieldname, term)
            assert ours.term_info(fieldname, term).max_weight() == theirs.term_info(fieldname, term).max_weight()


def _raw(matcher: object) -> list[tuple[int, float, bytes]]:
    found = []
    while matcher.is_active():  # type: ignore[attr-defined]
        found.append((matcher.id(), matcher.weight(), matcher.value()))  # type: ignore[attr-defined]
        matcher.next()  # type: ignore[attr-defined]
    return found


def test_a_term_out_of_document_order_is_put_in_order(tmp_path: Path) -> None:
    pool = GroupedPostingPool(None, None, limitmb=1)
    for number, weight in [(5, 1.0), (2, 3.0), (9, 2.0)]:
        pool.add(("body", b"word", number, weight, bytes([number])))
    assert list(pool.iter_postings()) == [("body", b"word", 2, 3.0, b"\x02"), ("body", b"word", 5, 1.0, b"\x05"),
                                          ("body", b"word", 9, 2.0, b"\t")]
