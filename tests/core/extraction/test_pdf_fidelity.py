"""PDF text fidelity on PDFs made by real producers (tests/fixtures/pdfs, see make_pdfs.py there).

LibreOffice Writer and groff + Ghostscript, one and two columns, footnotes, lists, a quotation, a
table, running headers and 'Page N of M' / '– N –' footers. The thresholds are those the issue set
(and pdftotext does not reach: median 0.94, worst 0.66 on these files); a regression fails here.
"""

from __future__ import annotations

import json
import statistics
from functools import cache

import pytest
from fixtures.fidelity import HERE, MANIFEST, Score, parse, score

from migarchive.core.extraction import extract
from migarchive.core.extraction.hyphenation import Vocabulary, dictionary
from migarchive.core.extraction.layout import join_lines

ENTRIES = json.loads(MANIFEST.read_text(encoding="utf-8"))


@cache
def _score(name: str) -> Score:
    entry = ENTRIES[name]
    result = extract(HERE / name)
    return score(result.text, result.page_starts, parse(HERE / "sources" / f"{entry['source']}.txt"), entry)


def test_the_set_has_both_producers_and_the_layouts() -> None:
    assert {entry["producer"] for entry in ENTRIES.values()} == {"libreoffice", "groff"}
    layouts = " ".join(entry["layout"] for entry in ENTRIES.values())
    for feature in ("1 column", "2 columns", "footnotes", "bullets", "numbered list", "table"):
        assert feature in layouts
    assert all((HERE / name).stat().st_size < 100_000 for name in ENTRIES)


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_each_file_reads_like_its_source(name: str) -> None:
    result = _score(name)
    assert result.similarity >= 0.95, name
    assert result.leaks == 0, "a running header or footer is in the text"
    assert result.pages_right == result.pages, "a sentence is not found on its page"


def test_the_whole_set() -> None:
    scores = [_score(name) for name in ENTRIES]
    assert statistics.median(s.similarity for s in scores) >= 0.97
    assert min(s.similarity for s in scores) >= 0.95
    assert sum(s.hyphens_right for s in scores) >= 0.97 * sum(s.hyphens for s in scores)


@pytest.mark.parametrize("before, after, joined", [
    ("labour migra-", "tion towards", "labour migration towards"),
    ("the long-", "term plan", "the long-term plan"),  # no list has "longterm"
    ("twenty-", "one projects", "twenty-one projects"),
    ("several non-", "governmental bodies", "several non-governmental bodies"),
    ("to ex-", "tend their stay", "to extend their stay"),
    ("the fol-", "low-up to the", "the follow-up to the"),  # the document writes "follow-up"
])
def test_line_end_hyphens_by_the_document_and_the_word_list(before: str, after: str, joined: str) -> None:
    vocabulary = Vocabulary(["the follow-up to the Dialogue", "labour migration"])
    assert join_lines(before, after, vocabulary)[0] == joined


def test_the_document_outvotes_the_word_list() -> None:
    assert join_lines("the long-", "term", Vocabulary(["a longterm view"]))[0] == "the longterm"
    assert join_lines("co-", "operation", Vocabulary(["the Co-operation and Development"]))[0] == "co-operation"


def test_the_word_list_ships_with_the_source() -> None:
    words = dictionary()
    assert len(words) > 50_000
    assert {"migration", "labour", "organization", "remittances"} <= words
