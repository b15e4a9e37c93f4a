"""Where a segment writer keeps its postings until it writes them: grouped by term as they come.

Whoosh's pool keeps one tuple per posting, sorts them all (900,000 for 300 documents), spills
sorted runs to disk when memory runs out and merges the runs one posting at a time through a
heap, then its field writer takes them one at a time: together a fifth of a build. Here each
field's terms hold their document numbers and weights as arrays and their values as a list,
appended as postings arrive; only the terms are sorted, runs are written and merged a term at a
time, and the field writer (`ArrayFieldWriter`, which `postings.ArrayCodec` makes) puts a term's
postings into its blocks by slices. Arrays, not lists: the cyclic collector walks every list
alive at each full collection, and three lists a term made the build's collections half as long
again as they were.

A term's postings arrive in increasing document numbers: a writer adds documents in order, and a
merge adds each older segment's postings after them, in its order. Each term is checked (a sort
of what is sorted costs one pass), and put in order if it is not, as Whoosh's pool would.
"""

from __future__ import annotations

import heapq
import itertools
import marshal
import struct
import sys
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.writing import PostingPool

# What one posting held costs in memory (its number and weight in arrays, its value and a list
# slot, a share of its term's): the pool writes a run to disk past its memory limit at this size.
POSTING_BYTES = 100
# A run is marshalled in blocks of this many postings (whole terms): merging the runs holds one
# block of each in memory, and with a dozen runs a worker, blocks of 20,000 made the end of a
# 10,000-document build its peak (100 MB more over the two workers).
RUN_BLOCK = 2_000
_BLOCK_SIZE = struct.Struct("<I")
_BIG_ENDIAN = sys.byteorder == "big"

Term = tuple[str, bytes, "array[int]", "array[float]", list[Any]]  # field, term, numbers, weights, values


class GroupedPostings:
    """The pool's postings, in order: by term (`terms`, for our field writer), or one at a time
    as Whoosh's (field, term, number, weight, value) for any other."""

    def __init__(self, terms: Iterator[Term]) -> None:
        self._terms = terms

    def terms(self) -> Iterator[Term]:
        return self._terms

    def __iter__(self) -> Iterator[tuple[str, bytes, int, float, Any]]:
        for fieldname, btext, numbers, weights, values in self._terms:
            for number, weight, value in zip(numbers, weights, values):
                yield fieldname, btext, number, weight, value


class GroupedPostingPool(PostingPool):
    """A drop-in for Whoosh's `PostingPool` (see the top)."""

    runs: list[str]  # the paths of the runs written, Whoosh's

    def __init__(self, tempstore: Any, segment: Any, limitmb: int, **kwargs: Any) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self._capacity = max(1, self.limit // POSTING_BYTES)
        self._held = 0
        self._fields: dict[str, dict[bytes, tuple[array[int], array[float], list[Any]]]] = {}

    def add(self, item: tuple[str, bytes, int, float, Any]) -> None:
        """Whoosh's way in, one posting at a time (merging a segment, a spelling word)."""
        fieldname, btext, number, weight, value = item
        self.add_terms(fieldname, number, ((btext, 0, weight, value),))
        self.check_size()

    def add_terms(self, fieldname: str, number: int, items: Iterable[tuple[bytes, int, float, Any]]) -> int:
        """One document's postings of one field, as a field's `index` yields them; the field's
        length (the sum of the frequencies). `check_size` once the document is added."""
        terms = self._terms(fieldname)
        length = count = 0
        for btext, frequency, weight, value in items:
            length += frequency
            count += 1
            found = terms.get(btext)
            if found is None:
                terms[btext] = (array("q", (number,)), array("d", (weight,)), [value])
            else:
                found[0].append(number)
                found[1].append(weight)
                found[2].append(value)
        self._held += count
        return length

    def add_positions(self, fieldname: str, number: int, positions: dict[str, list[int]], boost: float) -> int:
        """One document's postings of a `RawPositions` field, from each term's positions; the field's
        length. Each value is what `RawPositions.encode` makes of the positions."""
        if _BIG_ENDIAN or boost != 1.0:  # the general case, a posting at a time as `add_terms` takes them
            return self.add_terms(fieldname, number, ((term.encode("utf-8"), len(found), len(found) * boost,
                                                       _little_positions(found)) for term, found in positions.items()))
        # The common case in one loop: weights are the frequencies, positions already little-endian.
        terms = self._terms(fieldname)
        length = 0
        for term, found in positions.items():
            frequency = len(found)
            length += frequency
            btext = term.encode("utf-8")
            entry = terms.get(btext)
            if entry is None:
                terms[btext] = (array("q", (number,)), array("d", (frequency,)), [array("I", found).tobytes()])
            else:
                entry[0].append(number)
                entry[1].append(frequency)
                entry[2].append(array("I", found).tobytes())
        self._held += len(positions)
        return length

    def check_size(self) -> None:
        """Write a run to disk if the postings held have reached the memory limit."""
        if self._held >= self._capacity:
            self.save()

    def _terms(self, fieldname: str) -> dict[bytes, tuple[array[int], array[float], list[Any]]]:
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def save(self) -> None:
        if not self._held:
            return
        path, f = self._new_run()
        try:
            block: list[Term] = []
            size = 0
            for term in self._in_memory():
                block.append(term)
                size += len(term[2])
                if size >= RUN_BLOCK:
                    _write_block(f, block)
                    block, size = [], 0
            if block:
                _write_block(f, block)
        finally:
            f.close()
        self.runs.append(path)
        self._fields, self._held = {}, 0

    def iter_postings(self) -> GroupedPostings:
        if not self.runs:
            return GroupedPostings(_checked(self._in_memory()))
        self.save()
        runs, self.runs = self.runs, []
        merged = heapq.merge(*(self._read_terms(path) for path in runs), key=_key)
        return GroupedPostings(_checked(_joined(merged)))

    def _in_memory(self) -> Iterator[Term]:
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            for btext in sorted(terms):
                numbers, weights, values = terms[btext]
                yield fieldname, btext, numbers, weights, values

    def _read_terms(self, path: str) -> Iterator[Term]:
        # Each block read whole and unmarshalled from memory: `marshal.load` on a file reads it a
        # few bytes at a time, 25 times slower.
        f = self._open_run(path)
        try:
            while header := f.read(_BLOCK_SIZE.size):
                (size,) = _BLOCK_SIZE.unpack(header)
                for fieldname, btext, numbers, weights, values in marshal.loads(f.read(size)):
                    yield fieldname, btext, array("q", numbers), array("d", weights), values
        finally:
            f.close()
            self._remove_run(path)


def _little_positions(positions: list[int]) -> bytes:
    encoded = array("I", positions)
    if _BIG_ENDIAN:
        encoded.byteswap()
    return encoded.tobytes()


def _write_block(f: Any, block: list[Term]) -> None:
    data = marshal.dumps([(t[0], t[1], t[2].tobytes(), t[3].tobytes(), t[4]) for t in block])
    f.write(_BLOCK_SIZE.pack(len(data)))
    f.write(data)


def _key(term: Term) -> tuple[str, bytes]:
    return term[0], term[1]


def _joined(terms: Iterable[Term]) -> Iterator[Term]:
    """A term's postings from several runs as one: the runs are in the order they were written,
    which is the order of the document numbers, and `heapq.merge` keeps that order for equal keys."""
    for (fieldname, btext), group in itertools.groupby(terms, key=_key):
        first = next(group)
        numbers, weights, values = first[2], first[3], first[4]
        for more in group:
            numbers.extend(more[2])
            weights.extend(more[3])
            values.extend(more[4])
        yield fieldname, btext, numbers, weights, values


def _checked(terms: Iterable[Term]) -> Iterator[Term]:
    for term in terms:
        numbers = term[2]
        if len(numbers) > 1 and numbers.tolist() != sorted(numbers):
            order = sorted(range(len(numbers)), key=numbers.__getitem__)
            term = (term[0], term[1], array("q", [numbers[i] for i in order]),
                    array("d", [term[3][i] for i in order]), [term[4][i] for i in order])
        yield term


class ArrayFieldWriter(W3FieldWriter):
    """Whoosh 3's field writer, taking the postings of `GroupedPostingPool` a term at a time:
    Whoosh's `add_postings` made three Python calls for each posting written (its field's length,
    `add`, the postings writer's `add_posting`). The same fields, terms and blocks: a term's
    postings go into the postings writer's block as `add_posting` puts them there, by slices,
    and the block is written when full. Postings from any other pool, or with block length
    statistics to gather, go through Whoosh's loop."""

    def add_postings(self, schema: Any, lengths: Any, items: Any) -> None:
        if lengths is None and isinstance(items, GroupedPostings):
            self._add_terms(schema, items.terms())
        else:
            super().add_postings(schema, lengths, items)

    def _add_terms(self, schema: Any, terms: Any) -> None:
        """What `add_postings` writes, from each term's lists, put into the blocks by slices."""
        field = None
        for fieldname, btext, numbers, weights, values in terms:
            if fieldname != field:
                if field is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                field = fieldname
            if -1 in numbers:  # Whoosh's mark of a spelling word, which it does not write either
                kept = [i for i, number in enumerate(numbers) if number != -1]
                numbers, weights, values = (array("q", [numbers[i] for i in kept]),
                                            array("d", [weights[i] for i in kept]), [values[i] for i in kept])
                if not numbers:
                    continue
            self.start_term(btext)
            post = self._postwriter
            limit = post._blocklimit
            done = 0
            while done < len(numbers):
                room = limit - len(post._ids)
                if room <= 0:
                    post._write_block()
                    continue
                end = done + room
                some = weights[done:end]
                post._ids.extend(numbers[done:end].tolist())  # its arrays are of other types
                post._weights.extend(some.tolist())
                post._values.extend(filter(None, values[done:end]))
                post._maxweight = max(post._maxweight, max(some))
                done = end
            self.finish_term()
        if field is not None:
            self.finish_field()
