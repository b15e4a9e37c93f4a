"""Hypothesis fuzzing of the whole reading pipeline on arbitrary bytes and text: decoding, front
matter, cleaning, metadata, sections, acronyms, agency candidates and the reader's HTML.

Nothing raises; headings and passages cover the cleaned text exactly once; the HTML is safe."""

from __future__ import annotations

import hashlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migarchive.core import documents, gazetteer, render, sections
from migarchive.core.mentions import find_candidates
from migarchive.core.model import Document, SourceText
from migarchive.core.reading import decode

from .test_bad_corpus import assert_safe_html

GAZETTEER = gazetteer.load(None)

# Pieces a real or a hostile file is made of, as bytes: line ends of every system, BOMs, NULs,
# control bytes, UTF-16, cp1252, Markdown and HTML.
PIECES = [
    b"\r\n", b"\r", b"\n", b"\n\n", b"\x00", b"\x01\x02", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\t",
    b"  \n", b"caf\xe9 ", b"\x93quoted\x94", b"\xe2\x80\x99", "é中🙂".encode(), "Genève".encode("utf-16"),
    b"# Heading", b"## Sub", b"I. REPORT OF THE MEETING", b"A. RECENT ACTIVITIES", b"1. Remittances",
    b"---\nmeeting: 5\ntitle: <b>x</b>\n---\n", b"---\n", b"* * *", b". . . . . 4", b"BT 12 0 Td (x) Tj ET",
    b"Second Coordination Meeting on International Migration, 15 to 16 October 2003",
    b"International Organization for Migration (IOM)", b"UNHCR", b"UN/POP/MIG-5CM/2006/11",
    b"<script>alert(1)</script>", b"<img src=x onerror=alert(1)>", b'<a href="file:///etc/passwd">x</a>',
    b"[x](javascript:alert(1))", b"![i](file:///etc/hostname)", b"<javascript:alert(2)>", b"[r][1]\n\n[1]: data:x",
    b"[ok](https://example.org)", b"&lt;b&gt;", b"**bold**", b"_it_", b"`code`", b"> quote", b"- item", b"1) item",
    b"\xe2\x9f\xa6\xe2\x80\xa6\xe2\x9f\xa7", b"\xee\x80\x80", b"\xee\x80\x81", b"word", b"migration and remittances",
]

raw_bytes = st.one_of(
    st.binary(max_size=600),
    st.lists(st.one_of(st.sampled_from(PIECES), st.binary(max_size=8)), max_size=60).map(b"".join),
)
raw_text = st.one_of(
    st.text(max_size=600),
    st.lists(st.one_of(st.sampled_from([p.decode("utf-8", "replace") for p in PIECES]), st.text(max_size=8)),
             max_size=60).map("".join),
)


def _source(text: str, data: bytes) -> SourceText:
    return SourceText(path="fuzz.md", text=text, encoding="utf-8", sha256=hashlib.sha256(data).hexdigest(),
                      size=len(data), mtime_ns=0)


def _check(document: Document) -> None:
    text = document.cleaned
    headings = [(s.start, text.find("\n", s.start) if "\n" in text[s.start:] else len(text)) for s in document.sections]
    # A heading with no text under it is also a passage of its own (its title, inside its line).
    inside = {id(p) for p in document.passages for start, end in headings if start <= p.start and p.end <= end}
    spans = sorted([(p.start, p.end) for p in document.passages if id(p) not in inside] + headings)
    covered = 0
    for start, end in spans:
        assert start >= covered, "a character belongs to two passages or headings"
        assert not text[covered:start].strip(), "text that belongs to no passage and no heading"
        covered = end
    assert not text[covered:].strip()
    for passage in document.passages:
        assert text[passage.start:passage.end] == passage.text
    ids = [s.id for s in document.sections] + [p.id for p in document.passages]
    assert len(ids) == len(set(ids))
    assert sections.split(text) == (document.sections, document.passages)  # the same every time
    find_candidates(document, GAZETTEER)
    documents.info(document)
    assert_safe_html(render.to_html(document))


@settings(max_examples=300, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(raw_bytes)
def test_any_bytes_are_read_or_refused_never_a_crash(data: bytes) -> None:
    text, encoding, warnings = decode(data)
    if text is None:
        assert encoding  # the reason it was refused
        return
    assert "\r" not in text and "\x00" not in text  # one kind of line end, no NULs
    _check(documents.build(_source(text, data)))


@settings(max_examples=300, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(raw_text)
def test_any_text_is_cleaned_and_covered_exactly_once(text: str) -> None:
    _check(documents.build(_source(text, text.encode("utf-8", "surrogatepass"))))
