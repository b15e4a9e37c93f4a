"""The prose sources of the benchmark corpus: R's lazy-load data read without R, paragraphs kept or joined.

The R data is written here in R's own serialization format (XDR), the way R saves a package's data,
so the reader is tested without the Debian package or the network.
"""

from __future__ import annotations

import gzip
import importlib.util
import struct
import sys
import zlib
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
_SPEC = importlib.util.spec_from_file_location("bench_prose", BENCHMARKS / "prose.py")
assert _SPEC and _SPEC.loader
prose = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(prose)


def _int(value: int) -> bytes:
    return struct.pack(">i", value)


def _strings(values: list[str | None]) -> bytes:
    out = _int(16) + _int(len(values))
    for value in values:
        out += _int(9) + (_int(-1) if value is None else _int(len(value.encode())) + value.encode())
    return out


def _named_list(items: list[bytes], names: list[str]) -> bytes:
    names_attribute = _int(2 | 1 << 10) + _int(1) + _int(9) + _int(5) + b"names" + _strings(names) + _int(254)
    return _int(19 | 1 << 9) + _int(len(items)) + b"".join(items) + names_attribute


def _serialized(body: bytes) -> bytes:
    return b"X\n" + _int(3) + _int(0x040201) + _int(0x030500) + _int(5) + b"UTF-8" + body


def _lazy_load_database(folder: Path, vectors: dict[str, list[str | None]]) -> Path:
    database, places = b"", []
    for values in vectors.values():
        body = _serialized(_strings(values))
        chunk = _int(len(body)) + zlib.compress(body)
        places.append(_int(13) + _int(2) + _int(len(database)) + _int(len(chunk)))
        database += chunk
    index = _named_list([_named_list(places, list(vectors)), _int(19) + _int(0), _int(10) + _int(1) + _int(1)],
                        ["variables", "references", "compressed"])
    (folder / "Rdata.rdb").write_bytes(database)
    (folder / "Rdata.rdx").write_bytes(gzip.compress(_serialized(index)))
    return folder / "Rdata.rdx"


def test_character_vectors_are_read_from_an_r_lazy_load_database(tmp_path: Path) -> None:
    rdx = _lazy_load_database(tmp_path, {"emma": ["EMMA", "", "By Jane Austen", None, "Emma Woodhouse, handsome"],
                                         "persuasion": ["Persuasion", "by Jane Austen — 1818"]})
    vectors = prose.character_vectors(rdx)
    assert vectors == {"emma": ["EMMA", "", "By Jane Austen", "", "Emma Woodhouse, handsome"],
                       "persuasion": ["Persuasion", "by Jane Austen — 1818"]}


def test_lines_become_paragraphs_and_short_ones_are_joined() -> None:
    lines = ["It was a dark", "and stormy night.", "", "", "Yes.", "", *(["word"] * 3)]
    assert list(prose.paragraphs(lines)) == ["It was a dark and stormy night.", "Yes.", "word word word"]
    short = "A short reply, said she."
    long = " ".join(["everything"] * 30)
    assert list(prose.usable([short, long, short])) == [f"{short} {long}"]  # the trailing short one is dropped


def test_tables_listings_and_damaged_text_are_not_prose() -> None:
    prose_text = " ".join(["The reader walked along the river in the morning light"] * 4)
    blocks = ["| a | b | c |", "$ sudo apt-get install -y foo=1.2.3 bar-4.5 /etc/x 0x12 42 17 99",
              f"{prose_text} \ufffd", prose_text]
    assert list(prose.usable(blocks)) == [prose_text]
