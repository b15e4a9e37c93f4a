"""Posting blocks laid out as arrays: what the array scoring reads without unpickling anything.

Whoosh 3 writes each block of 128 postings as one zlib-compressed pickle of (ids, weights,
positions). Reading a posting list for the array scoring (`ranking`) then cost an unpickling and a
decompression per block, positions included, though scoring needs only ids and frequencies: 70 %
of a query's time on a 2,000-document archive. Here a block is a fixed header, the id deltas and
the weights as raw little-endian arrays, then the positions as before (compressed, read only by
a phrase or a highlight). `read_arrays` turns a whole posting list into two numpy arrays with a
few calls per block; Whoosh's own matchers (the operator path, phrases) read the same blocks
through `ArrayLeafMatcher`, which answers exactly as Whoosh's does.

The codec is pickled into each segment's entry in the table of contents, so an index written with
it is read with it; vectors (none in our schema) keep Whoosh's format.
"""

from __future__ import annotations

import struct
import zlib
from pickle import dumps, loads
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.matching import ListMatcher
from whoosh.util.numeric import byte_to_length, length_to_byte

# Block length (negative for the last block), then: postings, last id, maximum weight, the length
# bytes of the shortest and longest document, how ids and weights are stored, size of the ids and
# weights (the positions follow, to the end of the block).
_HEAD = struct.Struct("<iIIdBBBBI")  # the maximum weight a double: never below the true one
_ID_TYPES = {1: np.uint8, 2: np.uint16, 4: np.uint32}
_WEIGHTS_ONE, _WEIGHTS_U8, _WEIGHTS_F32 = 0, 1, 2


class ArrayCodec(W3Codec):
    """Whoosh 3's codec with array blocks for the postings of terms."""

    length_stats = False  # see `indexing.new_writer`

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
        ids = np.frombuffer(self._ids, dtype=np.uint32)
        # The gaps between ids, by array operations: np.diff costs more in Python than the
        # subtraction itself on blocks this small, and a build writes tens of thousands of them.
        deltas = ids.copy()
        deltas[1:] -= ids[:-1]
        widest = int(deltas.max())
        width = 1 if widest < 256 else 2 if widest < 65536 else 4
        id_bytes = deltas.astype(_ID_TYPES[width]).tobytes()
        weights = np.frombuffer(self._weights, dtype=np.float32)
        rounded = weights.astype(np.uint8)
        if (weights == 1.0).all():
            kind, weight_bytes = _WEIGHTS_ONE, b""
        elif (rounded == weights).all():  # term frequencies below 256: one byte each
            kind, weight_bytes = _WEIGHTS_U8, rounded.tobytes()
        else:
            kind, weight_bytes = _WEIGHTS_F32, weights.tobytes()
        values = self._mini_values()
        value_bytes = zlib.compress(dumps(values, 2), self._compression) if values is not None else b""
        arrays = len(id_bytes) + len(weight_bytes)
        length = _HEAD.size - 4 + arrays + len(value_bytes)
        self._postfile.write(_HEAD.pack(-length if last else length, len(ids), int(ids[-1]), self._maxweight,
                                        length_to_byte(self._minlength), length_to_byte(self._maxlength),
                                        width, kind, arrays))
        self._postfile.write(id_bytes)
        self._postfile.write(weight_bytes)
        self._postfile.write(value_bytes)
        self._blockcount += 1
        self._new_block()


def _arrays(raw: bytes, at: int, count: int, width: int, kind: int) -> tuple[np.ndarray, np.ndarray]:
    """(ids, weights) of the block whose arrays begin at `at` in `raw`."""
    ids = np.frombuffer(raw, dtype=_ID_TYPES[width], count=count, offset=at).cumsum(dtype=np.int64)
    at += count * width
    if kind == _WEIGHTS_ONE:
        weights = np.ones(count, dtype=np.float32)
    elif kind == _WEIGHTS_U8:
        weights = np.frombuffer(raw, dtype=np.uint8, count=count, offset=at).astype(np.float32)
    else:
        weights = np.frombuffer(raw, dtype=np.float32, count=count, offset=at)
    return ids, weights


def read_arrays(matcher: ArrayLeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """(ids, weights) of a whole posting list: its bytes read in one piece, two arrays per block."""
    ids, weights, _blocks = read_blocks(matcher)
    return ids, weights


def read_blocks(matcher: ArrayLeafMatcher) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int, int]]]:
    """`read_arrays`, and where each block's positions are: (its first posting, the file offset
    and size of its positions), for `positions` to read only the blocks it needs."""
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
        blocks.append((first, matcher._startoffset + values_at, at + 4 + abs(length) - values_at))
        first += count
        if length < 0:
            break
        at += 4 + length
    if len(ids) == 1:
        return ids[0], weights[0], blocks
    return np.concatenate(ids), np.concatenate(weights), blocks


def positions(matcher: ArrayLeafMatcher, blocks: list[tuple[int, int, int]], wanted: np.ndarray) -> list[list[int]]:
    """The positions of the postings at indexes `wanted` (ascending) of `matcher`'s list, decoding
    only the blocks that hold them."""
    starts = np.array([b[0] for b in blocks], dtype=np.int64)
    which = np.searchsorted(starts, wanted, side="right") - 1
    decode = matcher.format.decode_positions
    found: list[list[int]] = []
    current, values = -1, ()
    for index, block in zip(wanted.tolist(), which.tolist()):
        if block != current:
            _first, offset, size = blocks[block]
            values = loads(zlib.decompress(matcher._postfile.get(offset, size)))
            current = block
        found.append(decode(values[index - blocks[block][0]]))
    return found


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
        width, kind, size = self._layout
        raw = self._postfile.get(self._dataoffset, size)
        ids, weights = _arrays(raw, 0, self._blocklength, width, kind)
        self._data = (ids, weights)

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        # Lists of Python numbers: what Whoosh's callers index and compare, not numpy scalars.
        self._ids = self._data[0].tolist()

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        self._weights = self._data[1].tolist()

    def _read_values(self) -> None:
        width, kind, size = self._layout
        start = self._dataoffset + size
        stored = self._postfile.get(start, self._nextoffset - start)
        values = loads(zlib.decompress(stored)) if stored else None
        fixed = self._fixedsize
        if fixed is None or fixed < 0:
            self._values = values
        elif fixed == 0:
            self._values = (None,) * self._blocklength
        else:
            self._values = tuple(values[i:i + fixed] for i in range(0, len(values), fixed))
