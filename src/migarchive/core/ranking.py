"""Forgiving, ranked matching of plain queries, scored with numpy over whole posting lists.

A plain query (words, quoted phrases and filters; no operators) is a list of concepts. A passage's
*context* is the passage with its section heading and document title (indexed together in `body`).
Passages whose context holds every concept come first. After them come the passages holding most
of the query, the concepts weighed by their rarity, and those of documents that hold every concept
between their passages (an agenda's words spread over its lines). When no passage holds every
concept the match is "loosened", and the results say so. Within each group: BM25 over the
concepts present (each by its best alternative, times that alternative's weight), times the
share of the query the passage and its document hold, and ranked down when it is a title-page
scrap much shorter than a paragraph.

Posting lists are read whole into numpy arrays (`postings`: Whoosh's matchers cost microseconds
per posting in Python); everything after that is a handful of vector operations per concept.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.query import And, Or, Phrase, Query, Term
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from migarchive.core.postings import ArrayLeafMatcher, Block, position_arrays, read_blocks
from migarchive.core.results import CountsWhenAsked
from migarchive.core.vocabulary import Concept

K1 = 1.2
B = 0.75
# Below this share of a query's concepts (weighed by rarity) a passage is not worth showing.
LOOSE_SHARE = 0.5
MOST = 2 / 3
# Passages shorter than this part of the average are mostly title-page lines: ranked down.
SHORT = 0.6


@dataclass(frozen=True)
class Ranked:
    docnums: np.ndarray  # the best of the result set, best first
    scores: np.ndarray
    tiers: np.ndarray  # of each: 2 every concept in its context, 0 not
    total: int  # passages in the result set
    complete: int  # of which have every concept in their context
    documents: int  # documents they are in
    loosened: bool
    matched_terms: frozenset[str]  # index terms present in the results (for highlighting)
    expanded: tuple[str, ...]  # alternatives other than the user's words that matched
    joiners: frozenset[str] = frozenset()  # small words inside matched names ("for" in "… for Migration")
    per_document: Mapping[str, int] | None = None  # passages of the result set in each document (path)


LeafPostings = tuple[ArrayLeafMatcher | None, np.ndarray, np.ndarray, list[Block]]


class IndexArrays:
    """Per searcher: for every document number, whether it is a passage, its document and its
    length in `body`; built once (a few milliseconds for 80,000 passages)."""

    def __init__(self, searcher: Searcher, body: str) -> None:
        reader = searcher.reader()
        self.searcher = searcher
        self.body = body
        self._read: dict[tuple[int, str, bytes], LeafPostings | None] | None = None
        self._scored: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
        self.size = reader.doc_count_all()
        self.leaves = [(leaf, offset) for leaf, offset in reader.leaf_readers()]
        # A file's record is written first and its passages right after it (`indexing.write`), so
        # the records' numbers mark where each file's range begins: no per-document column walk,
        # which took 0.4 s at 80,000 passages.
        records = np.sort(self.postings("doctype", b"document")[0])
        self.document = np.maximum(np.searchsorted(records, np.arange(self.size), side="right") - 1, 0).astype(np.int32)
        self.documents = max(len(records), 1)
        self._records = records
        self._paths: list[str] | None = None
        passage = np.ones(self.size, dtype=bool)
        passage[records] = False
        passage[self.postings("doctype", b"spelling")[0]] = False
        for leaf, offset in self.leaves:
            if leaf.has_deletions():
                passage[[offset + d for d in leaf.deleted_docs_set]] = False
        self.passage = passage
        self.length = np.zeros(self.size, dtype=np.float32)
        for leaf, offset in self.leaves:
            column = leaf._perdoc._cached_reader(_lenfield(body), LENGTHS_COLUMN)  # one byte per document
            if column is not None:
                self.length[offset:offset + leaf.doc_count_all()] = _BYTE_TO_LENGTH[_length_bytes(column, leaf.doc_count_all())]
        count = int(passage.sum())
        self.passages = max(count, 1)
        self.average_length = float(self.length[passage].mean()) if count else 1.0

    @property
    def paths(self) -> list[str]:
        """Each document's path, by its number in `document`: read on the first count per document
        asked for, not per query (~6 µs a document from the path column, 12 ms at 2,000)."""
        if self._paths is None:
            reader = self.searcher.reader()
            # The path column, not the stored fields: those hold the whole record, unpickled per read.
            path_of = reader.column_reader("path") if reader.has_column("path") else None
            paths = [(path_of[int(n)] if path_of is not None else self.searcher.stored_fields(int(n)).get("path", ""))
                     for n in self._records] or [""]
            self._paths = [p.decode("utf-8") if isinstance(p, bytes) else p for p in paths]
        return self._paths

    @contextlib.contextmanager
    def one_query(self) -> Iterator[None]:
        """Within the block each posting list is read once: a query's alternatives share words
        ("migration" in several of "labour migration"'s), and a phrase's words are read for the
        phrase and again for the score. Forgotten after it (no cache across queries)."""
        self._read, self._scored = {}, {}
        try:
            yield
        finally:
            self._read = self._scored = None

    def _leaf_postings(self, leaf: Any, field: str, term: bytes) -> LeafPostings | None:
        """A segment's posting list of `term`: (its array matcher or None, ids, weights, blocks)."""
        key = (id(leaf), field, term)
        if self._read is not None and key in self._read:
            return self._read[key]
        found: LeafPostings | None = None
        try:
            matcher = _segment_postings(leaf, field, term)
        except TermNotFound:
            matcher = None
        if matcher is not None:
            while not isinstance(matcher, ArrayLeafMatcher) and hasattr(matcher, "child"):
                matcher = matcher.child  # deletions are masked out by `passage` instead
            if isinstance(matcher, ArrayLeafMatcher):  # the whole list in a few calls per block
                found = (matcher, *read_blocks(matcher))
            else:  # inlined, or an index of another codec: the slow, general walk
                items = list(matcher.items_as("weight")) if matcher.is_active() else []
                found = (None, np.array([d for d, _ in items], dtype=np.int64),
                         np.array([w for _, w in items], dtype=np.float32), [])
        if self._read is not None:
            self._read[key] = found
        return found

    def postings(self, field: str, term: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, term frequencies) of `term` in `field`, across segments."""
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for leaf, offset in self.leaves:
            found = self._leaf_postings(leaf, field, term)
            if found is None:
                continue
            ids.append(found[1] + offset)
            weights.append(found[2])
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return np.concatenate(ids), np.concatenate(weights)

    def bm25(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(passage numbers, BM25 of `term` there); within `one_query` computed once per term (a
        fifth of a query's terms recur among its alternatives: "migration" in "labour migration"'s)."""
        if self._scored is not None and term in self._scored:
            return self._scored[term]
        found = self._bm25(term)
        if self._scored is not None:
            for array in found:
                array.flags.writeable = False  # shared by the alternatives that ask for it
            self._scored[term] = found
        return found

    def _bm25(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        docnums, tf = self.postings(self.body, term.encode("utf-8"))
        keep = self.passage[docnums]
        docnums, tf = docnums[keep], tf[keep]
        if not len(docnums):
            return docnums, tf
        idf = math.log(1 + (self.passages - len(docnums) + 0.5) / (len(docnums) + 0.5))
        norm = K1 * (1 - B + B * self.length[docnums] / self.average_length)
        return docnums, (idf * tf * (K1 + 1) / (tf + norm)).astype(np.float32)

    def matching(self, q: Query) -> np.ndarray:
        """Document numbers `q` matches (a filter, a phrase): Whoosh's matcher, read whole; a
        term's posting list read as arrays (deleted documents included: callers mask them out)."""
        if type(q) is Phrase and q.slop == 1 and len(q.words) > 1:
            return self.phrase(q.fieldname, tuple(q.words))
        if type(q) is Term:
            return self.postings(q.fieldname, q.text.encode("utf-8") if isinstance(q.text, str) else q.text)[0]
        # A filter's combinations of terms ("year:2006" is its year or its meetings) by array
        # operations: Whoosh's matchers walked them a Python call per posting, 9 ms for two terms.
        if type(q) is Or and not q.minmatch and q.subqueries:
            return functools.reduce(np.union1d, map(self.matching, q.subqueries))
        if type(q) is And and q.subqueries:
            return functools.reduce(np.intersect1d, map(self.matching, q.subqueries))
        return self._walk(q)

    def phrase(self, field: str, words: tuple[str, ...]) -> np.ndarray:
        """Document numbers where `words` occur one after the other (what Whoosh's `Phrase` finds):
        the documents holding every word from the arrays, then the positions of those alone."""
        found: list[np.ndarray] = []
        for leaf, offset in self.leaves:
            lists = []
            for word in words:
                read = self._leaf_postings(leaf, field, word.encode("utf-8"))
                if read is None:
                    break
                matcher, ids, _tf, blocks = read
                if matcher is None:
                    return self._walk(Phrase(field, list(words)))  # another codec: Whoosh's own way
                lists.append((matcher, ids, blocks))
            if len(lists) < len(words):
                continue
            candidates = lists[0][1]
            for _matcher, ids, _blocks in lists[1:]:
                candidates = candidates[_common(candidates, ids)[0]]
            if not len(candidates):
                continue
            # Each word's (passage, position less the word's place in the phrase), as one number:
            # the phrase is where those of every word meet.
            shift = len(words)
            keys: np.ndarray | None = None
            for i, (matcher, ids, blocks) in enumerate(lists):
                owner, at = position_arrays(matcher, blocks, np.searchsorted(ids, candidates))
                mine = (candidates[owner] << 32) | (at + (shift - i))
                keys = mine if keys is None else np.intersect1d(keys, mine)
                if not len(keys):
                    break
            if keys is not None and len(keys):
                found.append(np.unique(keys >> 32) + offset)
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    def _walk(self, q: Query) -> np.ndarray:
        matcher = q.matcher(self.searcher)
        return np.fromiter(matcher.all_ids(), dtype=np.int64) if matcher.is_active() else np.zeros(0, dtype=np.int64)


def _segment_postings(leaf: Any, field: str, term: bytes) -> Any:
    """A segment's matcher for `term`, one look-up in the term table (not two with `in`). Without
    the filter `leaf.postings` wraps it in when the segment has deletions: making that filter
    reads the list's first block and steps past deleted documents, ~60 µs a term, and `passage`
    masks them out anyway."""
    terms = getattr(leaf, "_terms", None)
    if terms is None or leaf.is_closed or field not in leaf.schema:
        return leaf.postings(field, term)  # another reader, or the error it raises
    return terms.matcher(field, term, leaf.schema[field].format)


def _length_bytes(column: Any, count: int) -> np.ndarray:
    """The length bytes of a segment's documents, read in one piece (the column stores one byte
    per document up to the last one not of the default length)."""
    raw = getattr(column, "_dbfile", None)
    if raw is not None and getattr(column, "_typecode", None) == "B":
        stored = np.frombuffer(raw.get(column._basepos, column._count), dtype=np.uint8)
        lengths = np.full(count, column._default, dtype=np.uint8)
        lengths[:min(len(stored), count)] = stored[:count]
        return lengths
    return np.fromiter((column[i] for i in range(count)), dtype=np.uint8, count=count)


def _byte_to_length_table() -> np.ndarray:
    from whoosh.util.numeric import byte_to_length

    return np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


# What Whoosh's `byte_to_length` gives for each length byte (`operator_scoring` scores with these
# doubles); ranking's own arrays hold them as float32, exact for any passage's length.
BYTE_TO_LENGTH = _byte_to_length_table()
_BYTE_TO_LENGTH = BYTE_TO_LENGTH.astype(np.float32)


def rank(arrays: IndexArrays, concepts: Sequence[Concept], phrases: Sequence[tuple[str, ...]],
         allowed: np.ndarray | None, limit: int) -> Ranked:
    """The passages for `concepts` (and the exact `phrases`, each required), within `allowed`
    (a boolean mask, or None for all passages); the best `limit` first, and how many there are."""
    size = arrays.size
    score = np.zeros(size, dtype=np.float32)
    coverage = np.zeros(size, dtype=np.uint64)
    required = np.uint64(0)
    matched: set[str] = set()
    expanded: dict[str, None] = {}
    joiners: set[str] = set()
    frequency: dict[int, int] = {}
    for bit, concept in enumerate(concepts[:63]):
        best = np.zeros(size, dtype=np.float32)
        for alternative in concept.alternatives:
            present, value = _alternative(arrays, alternative.terms)
            if len(present):
                np.maximum.at(best, present, value * alternative.weight)
                if not concept.optional:  # stop words matched are not worth bold type
                    matched.update(alternative.terms)
                    joiners.update(alternative.joiners)
                if alternative.label:
                    expanded[alternative.label] = None
        # The passages it is in, by number: or-ing the bit in through a boolean mask of every
        # passage cost ~150 µs a concept, more than all the rest of it.
        hit = np.flatnonzero(best > 0)
        frequency[bit] = int(np.count_nonzero(arrays.passage[hit]))
        score += best
        coverage[hit] |= np.uint64(1 << bit)
        if not concept.optional:
            required |= np.uint64(1 << bit)
    if required == 0:  # only stop words: then they are the query
        required = np.uint64((1 << min(len(concepts), 63)) - 1)
    mask = arrays.passage.copy() if allowed is None else arrays.passage & allowed
    for words in phrases:
        exact = np.zeros(size, dtype=bool)
        exact[arrays.matching(Phrase(arrays.body, list(words)))] = True
        mask &= exact
        present, value = _alternative(arrays, words)  # scored as its words, where it occurs
        np.add.at(score, present, np.where(exact[present], value, 0))
        matched.update(words)
    if not concepts:
        candidates = np.flatnonzero(mask)
        values = score[candidates]
        if not phrases:  # filters alone: real paragraphs before title-page scraps
            values = values + 0.1 * np.log1p(arrays.length[candidates])
        return _ordered(arrays, candidates, values, np.full(len(candidates), 2.0), False, matched, (), limit, joiners)
    candidates = np.flatnonzero(mask & ((coverage & required) != 0) if required else mask)
    if not len(candidates) and phrases:
        candidates = np.flatnonzero(mask)
    # A concept counts for more the rarer it is: missing "produce" matters less than missing "Berne".
    bits = [bit for bit in range(min(len(concepts), 63)) if required & np.uint64(1 << bit)]
    importance = {bit: math.log(1 + arrays.passages / (1 + frequency[bit])) for bit in bits}
    whole_weight = sum(importance.values()) or 1.0
    own = coverage[candidates] & required
    documents = arrays.document[candidates]
    by_document = np.zeros(arrays.documents, dtype=np.uint64)
    np.bitwise_or.at(by_document, documents, own)
    share = _weighted_share(own, importance) / whole_weight
    document_share = _weighted_share(by_document[documents], importance) / whole_weight
    complete = own == required
    loosened = bool(len(candidates)) and not complete.any()
    if loosened:
        keep = (share >= LOOSE_SHARE) | (document_share >= 1.0)
        if not keep.any():
            keep = share >= share.max(initial=0.0)
    else:
        # Beside passages with every word, those with most of them: two of three, three of four.
        held = _weighted_share(own, dict.fromkeys(importance, 1.0))
        keep = complete | ((held >= 2) & (held >= MOST * len(importance))) | (document_share >= 1.0)
    candidates, complete, share, document_share = (candidates[keep], complete[keep], share[keep],
                                                    document_share[keep])
    # Passages with every word first; then the others by BM25, weighed by how much of the query
    # their context and their document hold, and against title-page scraps.
    prior = np.minimum(1.0, arrays.length[candidates] / (SHORT * arrays.average_length)) ** 0.5
    values = score[candidates] * (0.3 + 0.7 * share ** 2) * (0.6 + 0.4 * document_share) * prior
    return _ordered(arrays, candidates, values, complete.astype(np.float64) * 2, loosened, matched,
                    tuple(expanded), limit, joiners, int(complete.sum()))


def _weighted_share(masks: np.ndarray, importance: dict[int, float]) -> np.ndarray:
    total = np.zeros(len(masks), dtype=np.float64)
    for bit, weight in importance.items():
        total += ((masks >> np.uint64(bit)) & np.uint64(1)).astype(np.float64) * weight
    return total


def _alternative(arrays: IndexArrays, terms: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Passages holding every term of one alternative, and the sum of their BM25 there."""
    present: np.ndarray | None = None
    total: np.ndarray | None = None
    for term in terms:
        docnums, values = arrays.bm25(term)
        if present is None:
            present, total = docnums, values
            continue
        left, right = _common(present, docnums)
        present, total = present[left], total[left] + values[right]  # type: ignore[index]
        if not len(present):
            break
    if present is None or total is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return present, total


def _common(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where `a` and `b` (ascending, each value once: document numbers) hold the same values: the
    indexes in each. A binary search of `b` for each of `a`: np.intersect1d sorts both together,
    several times slower on posting lists, and ~1.5 ms of a two-word query."""
    at = np.searchsorted(b, a)
    inside = at < len(b)
    found = np.zeros(len(a), dtype=bool)
    found[inside] = b[at[inside]] == a[inside]
    return np.flatnonzero(found), at[found]


def _ordered(arrays: IndexArrays, candidates: np.ndarray, values: np.ndarray, tiers: np.ndarray,
             loosened: bool, matched: Iterable[str], expanded: tuple[str, ...], limit: int,
             joiners: Iterable[str] = (), complete: int | None = None) -> Ranked:
    total = len(candidates)
    counts = np.bincount(arrays.document[candidates], minlength=arrays.documents)
    present = np.flatnonzero(counts)
    per_document = CountsWhenAsked(
        lambda: dict(zip((arrays.paths[i] for i in present.tolist()), counts[present].tolist())))
    documents = len(present)
    if total > limit:
        key = tiers * 1e9 + values
        top = np.argpartition(-key, limit - 1)[:limit]
        candidates, values, tiers = candidates[top], values[top], tiers[top]
    order = np.lexsort((candidates, -values, -tiers))
    return Ranked(candidates[order], values[order], np.floor(tiers[order]), total,
                  total if complete is None else complete, documents, loosened, frozenset(matched), expanded,
                  frozenset(joiners), per_document)
