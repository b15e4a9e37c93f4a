"""Every stage of indexing one document grows linearly with it, and input-controlled depth never
recurses: the inputs of `adversarial_inputs` (each once quadratic, cubic or recursive) at two sizes.

No wall-clock limits: the CPU time at 4N is compared with the time at N, generously (linear work
gives about 4, quadratic 16); the same figures are printed by `benchmarks/adversarial.py`.
"""

from __future__ import annotations

import time

import pytest

from adversarial_inputs import INPUTS, ordinary
from migarchive.core import acronyms, cleaning, documents, metadata, overrides, sections
from migarchive.core.analysis import TOKEN, index_positions
from migarchive.core.extraction import ExtractionError, extract_bytes
from migarchive.core.gazetteer import load
from migarchive.core.mentions import find_candidates
from migarchive.core.model import SourceText
from migarchive.core.reading import decode
from migarchive.paths import resources_dir

# Linear work grows 4 times for 4 times the input; quadratic 16 times. Small inputs have fixed
# costs, which only lower the ratio.
GROWTH_LIMIT = 8.0
# The inputs at a quarter of the benchmark's N: fast, and still large enough to show the growth.
SCALE = 0.25


def _pipeline(data: bytes, suffix: str) -> int:
    """The whole per-document pipeline; returns the number of passages (and so cannot be skipped)."""
    if suffix in (".txt", ".md"):
        text = decode(data)[0] or ""
        cleaned = cleaning.clean(overrides.split_front_matter(text)[1]).text
    else:
        extracted = extract_bytes(data, suffix)
        cleaned = cleaning.mark_headings(extracted.text, extracted.page_starts)[0]
    sections.split(cleaned)
    metadata.extract(cleaned, fallback_title="input")
    acronyms.find_definitions(cleaned)
    source = SourceText(path="input" + suffix, text=cleaned, encoding="utf-8", sha256="0", size=len(data), mtime_ns=0)
    document = documents.build(source)
    find_candidates(document, load(resources_dir()))
    for passage in document.passages:
        index_positions(passage.text)
    return len(document.passages)


def _cpu_seconds(work, repeat: int = 2) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def _growth(make, size: int) -> float:  # type: ignore[no-untyped-def]
    small, large = make(size), make(4 * size)
    _pipeline(*small)  # warm the caches (gazetteer pattern, stems) before measuring
    a = _cpu_seconds(lambda: _pipeline(*small))
    b = _cpu_seconds(lambda: _pipeline(*large))
    return b / max(a, 0.005)


RECOVERABLE = [name for name in INPUTS if name not in ("docx-inflating", "pdf-page-refs")]


@pytest.mark.parametrize("name", RECOVERABLE)
def test_each_stage_grows_linearly(name: str) -> None:
    spec = INPUTS[name]
    growth = _growth(spec.make, max(1, int(spec.size * SCALE)))
    assert growth < GROWTH_LIMIT, f"{name} ({spec.why}): 4× the input took {growth:.1f}× the time"


def test_adversarial_inputs_stay_near_the_throughput_of_ordinary_text() -> None:
    """Not only linear: each input costs per byte at most a small factor of ordinary prose."""
    size = 60_000
    per_byte_ordinary = _cpu_seconds(lambda: _pipeline(ordinary(size), ".txt")) / size
    slow = {}
    for name in RECOVERABLE:
        data, suffix = INPUTS[name].make(int(INPUTS[name].size * SCALE))
        per_byte = _cpu_seconds(lambda: _pipeline(data, suffix), repeat=1) / len(data)
        if per_byte > 25 * per_byte_ordinary:
            slow[name] = round(per_byte / per_byte_ordinary, 1)
    assert not slow, f"times slower per byte than ordinary text: {slow}"


@pytest.mark.parametrize("name", ["director-of", "office-and", "x-office-and", "docx-nesting", "html-nesting"])
def test_deep_or_long_chains_are_read_not_recursed(name: str) -> None:
    """Inputs that once raised RecursionError give a result; the depth grows with the size."""
    spec = INPUTS[name]
    for size in (spec.size, 5 * spec.size):
        assert _pipeline(*spec.make(size)) >= 1


def test_the_symbol_pattern_is_linear_on_slashes() -> None:
    # `A/A/A/…` could be split between the symbol pattern's two groups in quadratically many ways.
    def scan(n: int) -> None:
        TOKEN.findall("A/" * n + " x")
    assert _cpu_seconds(lambda: scan(20_000)) / max(_cpu_seconds(lambda: scan(5_000)), 0.001) < GROWTH_LIMIT


def test_a_word_file_is_refused_before_its_inflated_part_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    from migarchive.core.extraction import docx

    parsed = []
    monkeypatch.setattr(docx.ElementTree, "fromstring", lambda *a, **k: parsed.append(a) or None)
    data, suffix = INPUTS["docx-inflating"].make(docx.MAX_PART_BYTES + 1_000_000)
    assert len(data) < 2_000_000  # a small file…
    with pytest.raises(ExtractionError, match="too large"):
        extract_bytes(data, suffix)  # …refused without parsing what it unpacks to
    assert parsed == []


def test_a_pdf_with_too_many_pages_is_refused_before_any_page_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from migarchive.core.extraction import pdf

    monkeypatch.setattr(pdf, "MAX_PAGES", 50)
    data, suffix = INPUTS["pdf-page-refs"].make(51)
    with pytest.raises(ExtractionError, match="51 pages; the limit for one document is 50"):
        extract_bytes(data, suffix)


@pytest.mark.parametrize("unit", ["`", "[", "![", "[x](", "![a](", "**a", "*a ", "__a", "_a", '[a](b "', "`a"])
def test_taking_inline_marks_off_a_passage_is_linear(unit: str) -> None:
    # Snippets are made from passage text with its Markdown taken off (render.plain_inline): a
    # passage of a hostile file must not make a search slow.
    from migarchive.core.inline_marks import plain_inline

    def take_off(count: int) -> None:
        plain_inline(unit * count, keep_bold=False)

    growth = _cpu_seconds(lambda: take_off(32_000)) / max(_cpu_seconds(lambda: take_off(8_000)), 0.001)
    assert growth < GROWTH_LIMIT, f"{unit!r} × 32,000 took {growth:.1f}× the time of × 8,000"
