"""Just enough of R's serialization format to read the character vectors of a lazy-load database.

The Debian package r-cran-janeaustenr ships Jane Austen's six novels as R data
(`data/Rdata.rdx` + `Rdata.rdb`), one character vector per novel, one element per line of text.
Reading them needs no R: the index (`.rdx`) is a gzip'd serialization of
`list(variables = list(name = c(offset, length), …), …)`, and each variable is a zlib'd
serialization at that offset in the `.rdb`, after a 4-byte uncompressed length.
Format: R Internals, "Serialization Formats" (XDR, version 2 or 3).
"""

from __future__ import annotations

import gzip
import struct
import zlib
from pathlib import Path
from typing import Any

_NIL_LIKE = {254, 242, 253, 252, 251, 250}  # NULL, empty/global/base env, unbound, missing, base namespace
_PAIRS = {2, 3, 5, 6, 17, 240, 241}  # pairlist, closure, promise, call, dots, attribute pairlists
_REFERENCED = {247, 248, 249}  # namespace, package, persistent: a string vector, added to the reference table


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0
        self.refs: list[Any] = []

    def int(self) -> int:
        (value,) = struct.unpack_from(">i", self.data, self.at)
        self.at += 4
        return int(value)

    def take(self, size: int) -> bytes:
        chunk = self.data[self.at:self.at + size]
        self.at += size
        return chunk

    def length(self) -> int:
        size = self.int()
        if size == -1:  # a long vector: two more ints
            upper, lower = self.int(), self.int()
            size = (upper << 32) + lower
        return size

    def header(self) -> None:
        if self.take(2) != b"X\n":
            raise ValueError("not an XDR serialization of R")
        version = self.int()
        self.int()  # the writer's R version
        self.int()  # the oldest R that reads it
        if version == 3:
            self.take(self.int())  # the native encoding's name

    def item(self) -> Any:
        flags = self.int()
        kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if kind in _NIL_LIKE:
            return None
        if kind == 255:  # a reference to an earlier item
            return self.refs[(flags >> 8 or self.int()) - 1]
        if kind in _REFERENCED:
            self.int()
            strings = [self.item() for _ in range(self.length())]
            self.refs.append(strings)
            return strings
        if kind == 1:  # a symbol: its name, a CHARSXP
            symbol = self.item()
            self.refs.append(symbol)
            return symbol
        if kind in _PAIRS:
            attributes = self.item() if has_attr else None
            tag = self.item() if has_tag else None
            return ("pair", tag, self.item(), self.item(), attributes)
        if kind == 4:  # an environment: locked, enclosure, frame, hash table, attributes
            environment: dict[str, Any] = {}
            self.refs.append(environment)
            self.int()
            for part in ("enclosure", "frame", "hash", "attributes"):
                environment[part] = self.item()
            return environment
        if kind == 9:  # CHARSXP
            size = self.int()
            return None if size == -1 else self.take(size).decode("utf-8", "replace")
        value: Any
        if kind in (10, 13):  # logical, integer
            size = self.length()
            value = list(struct.unpack_from(f">{size}i", self.data, self.at))
            self.at += 4 * size
        elif kind == 14:  # double
            size = self.length()
            value = list(struct.unpack_from(f">{size}d", self.data, self.at))
            self.at += 8 * size
        elif kind in (16, 19, 20):  # character vector, list, expression
            value = [self.item() for _ in range(self.length())]
        elif kind == 238:  # ALTREP: class information, state, attributes; the state is the value here
            self.item()
            value = self.item()
            self.item()
            return value
        else:
            raise ValueError(f"R type {kind} is not supported by this reader")
        if has_attr:
            names = _pairlist(self.item()).get("names")
            if kind == 19 and names:
                return dict(zip(names, value, strict=False))
        return value


def _pairlist(pairs: Any) -> dict[Any, Any]:
    found = {}
    while isinstance(pairs, tuple):
        _, tag, value, pairs, _ = pairs
        found[tag] = value
    return found


def character_vectors(rdx: Path) -> dict[str, list[str]]:
    """Every character vector of the lazy-load database `rdx` (with its `.rdb` beside it), by name."""
    index = _Reader(gzip.decompress(rdx.read_bytes()))
    index.header()
    variables = index.item()["variables"]
    database = rdx.with_suffix(".rdb").read_bytes()
    vectors = {}
    for name, (offset, length) in variables.items():
        chunk = database[offset:offset + length]
        reader = _Reader(zlib.decompress(chunk[4:]))
        reader.header()
        value = reader.item()
        if isinstance(value, list) and all(isinstance(line, str | None) for line in value):
            vectors[name] = [line or "" for line in value]
    return vectors
