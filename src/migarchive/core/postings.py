"""Posting blocks laid out as arrays: what the array scoring reads without unpickling anything.

Whoosh 3 writes each block of 128 postings as one zlib-compressed pickle of (ids, weights,
positions). Reading a posting list for the array scoring (`ranking`) then cost an unpickling and a
decompression per block, positions included, though scoring needs only ids and frequencies: 70 %
of a query's time on a 2,000-document archive. Here a block is a fixed header, the id deltas and
the weights as raw little-endian arrays, then the positions (compressed, read only by a phrase).
`read_blocks` turns a whole posting list into two numpy arrays with a few calls per block;
Whoosh's own matchers (the operator path) read the same blocks through `ArrayLeafMatcher`, which
answers exactly as Whoosh's does.

The searched text fields keep their positions as raw arrays too (`RawPositions`): Whoosh's format
pickles each posting's positions, and checking a phrase such as "New York Declaration" unpickled
five thousand of them, 80 % of its time; a block of raw positions is one decompression and one
array, and `position_arrays` hands a phrase the positions of the postings it asks for as arrays.

The codec is pickled into each segment's entry in the table of contents, so an index written with
it is read with it; vectors (none in our schema) keep Whoosh's format.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from itertools import accumulate
from pickle import dumps, loads
from typing import TYPE_CHECKING, Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.formats import Positions
from whoosh.matching import ListMatcher
from whoosh.util.numeric import byte_to_length, length_to_byte

from migarchive.core.posting_pool import ArrayFieldWriter

if TYPE_CHECKING:
    import numpy as np
else:
    # Imported when a posting list is first read or written: opening an index (which unpickles
    # this codec) to list its documents, as re-opening an unchanged archive does, needs none.
    np = None


def _numpy() -> None:
    global np
    if np is None:
        import numpy

        np = numpy


# Block length (negative for the last block), then: postings, last id, maximum weight, the length
# bytes of the shortest and longest document, how ids and weights are stored, size of the ids and
# weights (the positions follow, to the end of the block).
_HEAD = struct.Struct("<iIIdBBBBI")  # the maximum weight a double: never below the true one
_ID_TYPES = {1: "<u1", 2: "<u2", 4: "<u4"}
_WEIGHTS_ONE, _WEIGHTS_U8, _WEIGHTS_F32 = 0, 1, 2
# Set in the weights byte of a block whose positions are raw (`RawPositions`).
_RAW_POSITIONS = 0x80
_BIG_ENDIAN = sys.byteorder == "big"


class RawPositions(Positions):
    """Whoosh's `Positions`, each posting's positions stored as little-endian 32-bit integers
    rather than a pickle of their gaps; a block of them is laid out as arrays (see the top)."""

    def encode(self, poslist: list[int]) -> bytes:
        return _little(array("I", poslist))

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return _native("I", valuestring).tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * float(self.field_boost)


# Postings per block: Whoosh's 128 made a common word's list a thousand blocks, and reading one
# costs a few microseconds of Python whatever its size; eight times as many postings make an eighth
# of the blocks, decoded by numpy in the same time. (A phrase decompresses the positions of whole
# blocks, a few of them.)
BLOCK_POSTINGS = 1024


class ArrayCodec(W3Codec):
    """Whoosh 3's codec with array blocks for the postings of terms."""

    length_stats = False  # see `segment_writer.new_writer`

    def __init__(self, blocklimit: int = BLOCK_POSTINGS, compression: int = 3, inlinelimit: int = 1) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return ArrayFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:  # vectors: Whoosh's own blocks
            return super().postings_writer(dbfile, byteids=True)
        return ArrayPostingsWriter(dbfile, blocklimit=self._blocklimit, compression=self._compression,
                                   inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return ListMatcher(ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo)
        offset, length = terminfo.extent()
        if isinstance(length, tuple):  # Whoosh's term info reads the length back as a 1-tuple
            length = length[0]
        return ArrayLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class ArrayPostingsWriter(W3PostingsWriter):
    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        width, id_bytes, kind, weight_bytes = (_small_arrays if len(ids) < SMALL_BLOCK else _large_arrays)(
            ids, self._weights)
        if isinstance(self._format, RawPositions):
            # The number of positions of each posting, then all the positions: two arrays.
            counts = _little(array("I", [len(v) // 4 for v in self._values]))
            value_bytes = zlib.compress(counts + b"".join(self._values), self._compression)
            kind |= _RAW_POSITIONS
        else:
            values = self._mini_values()
            value_bytes = zlib.compress(dumps(values, 2), self._compression) if values is not None else b""
        arrays = len(id_bytes) + len(weight_bytes)
        length = _HEAD.size - 4 + arrays + len(value_bytes)
        self._postfile.write(_HEAD.pack(-length if last else length, len(ids), ids[-1], self._maxweight,
                                        length_to_byte(self._minlength), length_to_byte(self._maxlength),
                                        width, kind, arrays))
        self._postfile.write(id_bytes)
        self._postfile.write(weight_bytes)
        self._postfile.write(value_bytes)
        self._blockcount += 1
        self._new_block()


# Below this many postings a block is encoded in Python, above it by numpy: numpy's few calls cost
# ~5 µs whatever the size, Python's loop ~0.13 µs a posting: numpy gains little below a few hundred,
# and most blocks are short (a rare word's whole list; every list of a one-document update, which
# then needs no numpy at all).
SMALL_BLOCK = 256
_ID_CODES = {1: "B", 2: "H", 4: "I"}


def _little(values: array[Any]) -> bytes:
    if _BIG_ENDIAN:
        values.byteswap()
    return values.tobytes()


def _id_width(widest: int) -> int:
    return 1 if widest < 256 else 2 if widest < 65536 else 4


def _small_arrays(ids: array[int], weights: array[float]) -> tuple[int, bytes, int, bytes]:
    """(width of an id gap, the gaps, how weights are stored, the weights) of a block, in Python;
    the same bytes as `_large_arrays`."""
    deltas = [ids[0], *(b - a for a, b in zip(ids, ids[1:]))]
    width = _id_width(max(deltas))
    id_bytes = _little(array(_ID_CODES[width], deltas))
    if weights.count(1.0) == len(weights):
        return width, id_bytes, _WEIGHTS_ONE, b""
    if all(w.is_integer() and 0 <= w < 256 for w in weights):  # term frequencies: one byte each
        return width, id_bytes, _WEIGHTS_U8, array("B", [int(w) for w in weights]).tobytes()
    return width, id_bytes, _WEIGHTS_F32, _little(array("f", weights))


def _large_arrays(ids_array: array[int], weights_array: array[float]) -> tuple[int, bytes, int, bytes]:
    _numpy()
    ids = np.frombuffer(ids_array, dtype=np.uint32)
    # The gaps between ids, by array operations: np.diff costs more in Python than the
    # subtraction itself on blocks this small, and a build writes tens of thousands of them.
    deltas = ids.copy()
    deltas[1:] -= ids[:-1]
    width = _id_width(int(deltas.max()))
    id_bytes = deltas.astype(_ID_TYPES[width]).tobytes()
    weights = np.frombuffer(weights_array, dtype=np.float32)
    rounded = weights.astype(np.uint8)
    if (weights == 1.0).all():
        return width, id_bytes, _WEIGHTS_ONE, b""
    if (rounded == weights).all():
        return width, id_bytes, _WEIGHTS_U8, rounded.tobytes()
    return width, id_bytes, _WEIGHTS_F32, weights.astype("<f4").tobytes()


def _arrays(raw: bytes, at: int, count: int, width: int, kind: int) -> tuple[np.ndarray, np.ndarray]:
    """(ids, weights) of the block whose arrays begin at `at` in `raw`."""
    _numpy()
    ids = np.frombuffer(raw, dtype=_ID_TYPES[width], count=count, offset=at).cumsum(dtype=np.int64)
    at += count * width
    kind &= ~_RAW_POSITIONS
    if kind == _WEIGHTS_ONE:
        weights = np.ones(count, dtype=np.float32)
    elif kind == _WEIGHTS_U8:
        weights = np.frombuffer(raw, dtype=np.uint8, count=count, offset=at).astype(np.float32)
    else:
        weights = np.frombuffer(raw, dtype=np.float32, count=count, offset=at)
    return ids, weights


def _native(code: str, data: bytes) -> array[Any]:
    values = array(code)
    values.frombytes(data)
    if _BIG_ENDIAN:
        values.byteswap()
    return values


def _weights(data: bytes, count: int, kind: int) -> list[float]:
    if kind == _WEIGHTS_ONE:
        return [1.0] * count
    if kind == _WEIGHTS_U8:
        return [float(w) for w in data[:count]]
    return _native("f", data[:4 * count]).tolist()


Block = tuple[int, int, int, int, bool]  # first posting, file offset and size of the positions, postings, raw?


def read_blocks(matcher: ArrayLeafMatcher) -> tuple[np.ndarray, np.ndarray, list[Block]]:
    """(ids, weights) of a whole posting list, its bytes read in one piece, and where each block's
    positions are (`Block`), for `position_arrays` to read only the blocks it needs."""
    _numpy()
    raw = matcher._postfile.get(matcher._startoffset, matcher._length)
    at = len(WHOOSH3_HEADER_MAGIC)
    ids, weights, blocks = [], [], []
    first = 0
    while True:
        length, count, _last, _weight, _low, _high, width, kind, size = _HEAD.unpack_from(raw, at)
        block_ids, block_weights = _arrays(raw, at + _HEAD.size, count, width, kind)
        ids.append(block_ids)
        weights.append(block_weights)
        values_at = at + _HEAD.size + size
        blocks.append((first, matcher._startoffset + values_at, at + 4 + abs(length) - values_at, count,
                       bool(kind & _RAW_POSITIONS)))
        first += count
        if length < 0:
            break
        at += 4 + length
    if len(ids) == 1:
        return ids[0], weights[0], blocks
    return np.concatenate(ids), np.concatenate(weights), blocks


def position_arrays(matcher: ArrayLeafMatcher, blocks: list[Block],
                    wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the postings at indexes `wanted` (ascending) of `matcher`'s list, decoding
    only the blocks that hold them: (for each position, the index in `wanted` of its posting; the
    positions), posting after posting."""
    _numpy()
    starts = np.array([b[0] for b in blocks], dtype=np.int64)
    which = np.searchsorted(starts, wanted, side="right") - 1
    owners: list[np.ndarray] = []
    found: list[np.ndarray] = []
    edges = np.flatnonzero(np.diff(which)) + 1
    for run in np.split(np.arange(len(wanted)), edges):
        if not len(run):
            continue
        first, offset, size, postings_in_block, raw = blocks[int(which[run[0]])]
        within = wanted[run] - first
        stored = zlib.decompress(matcher._postfile.get(offset, size))
        if raw:
            counts = np.frombuffer(stored, dtype="<u4", count=postings_in_block).astype(np.int64)
            values = np.frombuffer(stored, dtype="<u4", offset=4 * postings_in_block).astype(np.int64)
            ends = np.cumsum(counts)
            lengths = counts[within]
            begins = (ends - counts)[within]
            owner = np.repeat(run, lengths)
            at = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            owners.append(owner)
            found.append(values[np.repeat(begins, lengths) + at])
        else:  # Whoosh's positions, a pickle per posting (the label fields)
            decode = matcher.format.decode_positions
            postings = loads(stored)
            for index, posting in zip(run.tolist(), within.tolist()):
                got = decode(postings[posting])
                owners.append(np.full(len(got), index, dtype=np.int64))
                found.append(np.array(got, dtype=np.int64))
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(owners), np.concatenate(found)


class ArrayLeafMatcher(W3LeafMatcher):
    """Whoosh's matcher over array blocks: the same answers, from the layout above."""

    def _goto(self, position: int) -> None:
        self._data = None
        self._ids = None
        self._weights = None
        self._values = None
        self._i = 0
        head = self._postfile.get(position, _HEAD.size)
        length, count, last_id, weight, low, high, width, kind, size = _HEAD.unpack(head)
        if length < 0:
            self._lastblock = True
            length = -length
        self._nextoffset = position + 4 + length
        self._dataoffset = position + _HEAD.size
        self._blocklength, self._maxid, self._maxweight = count, last_id, weight
        self._minlength, self._maxlength = byte_to_length(low), byte_to_length(high)
        self._layout = (width, kind, size)

    def _read_data(self) -> None:
        # Python lists, what Whoosh's callers index and compare, decoded without numpy: as fast
        # for a block this size, and deleting a document's passages (which reads its path's
        # postings) then needs no numpy.
        width, kind, size = self._layout
        raw = self._postfile.get(self._dataoffset, size)
        count = self._blocklength
        gaps = _native(_ID_CODES[width], raw[:count * width])
        self._data = (list(accumulate(gaps)), _weights(raw[count * width:], count, kind & ~_RAW_POSITIONS))

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = self._data[0]

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        self._weights = self._data[1]

    def _read_values(self) -> None:
        width, kind, size = self._layout
        start = self._dataoffset + size
        stored = self._postfile.get(start, self._nextoffset - start)
        if kind & _RAW_POSITIONS:
            data = zlib.decompress(stored)
            count = self._blocklength
            ends = list(accumulate(_native("I", data[:4 * count]), lambda at, n: at + 4 * n, initial=4 * count))
            self._values = tuple(data[begin:end] for begin, end in zip(ends, ends[1:]))
            return
        values = loads(zlib.decompress(stored)) if stored else None
        fixed = self._fixedsize
        if fixed is None or fixed < 0:
            self._values = values
        elif fixed == 0:
            self._values = (None,) * self._blocklength
        else:
            self._values = tuple(values[i:i + fixed] for i in range(0, len(values), fixed))
