"""Finding agencies, initiatives and dates takes time in proportion to the text, whatever the text.

Each input once made some stage super-linear (a recursion as deep as the input, a scan of earlier
matches for each match, a slice per word, a pattern that backtracks). Linearity is shown without
timing anything absolute: the same input at n and 4n must cost about four times as much, counted
both in Python calls (a profiler hook, deterministic) and in CPU seconds (which also sees work done
inside a regular expression or a list copy, where no call is made), with generous bounds.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import pytest

from migarchive.core import documents, entities, gazetteer
from migarchive.core.acronyms import find_definitions
from migarchive.core.dates import find_dates
from migarchive.core.mentions import find_candidates
from migarchive.core.model import DocPath, SourceText

GAZETTEER = gazetteer.load(None)


def _codes(i: int) -> str:
    return "".join(chr(65 + i // 26**k % 26) for k in range(3))


# name -> text of about n repetitions; each once cost time in the square of n (or overflowed the stack)
INPUTS: dict[str, Callable[[int], str]] = {
    "job titles": lambda n: "Director of " * n + "Migration Office\n",
    "bodies joined by and": lambda n: "AlphaX Office and " * n,
    "one-letter bodies": lambda n: "X Office and " * n,
    "leading function words": lambda n: "The " * n,
    "meeting in every paragraph": lambda n: "The Third Coordination Meeting on International Migration met.\n\n" * n,
    "acronym definitions": lambda n: "".join(f"The Alpha Beta{_codes(i)} Office (AB{_codes(i)}) met.\n"
                                             for i in range(n)),
    "acronym typos": lambda n: "".join(f"The Alpha B{_codes(i)} Office (AB{_codes(i)}) met XB{_codes(i)}Q.\n"
                                       for i in range(n)),
    "dates": lambda n: "1 January 2003 " * n,
    "one long capital word": lambda n: "AB" * n + "-",
    "tabs in a table row": lambda n: "AB" + "\t" * n + "\n",
}
# Small enough for the whole file to take a few seconds, large enough for a square to show.
SIZES = {"job titles": 250, "bodies joined by and": 200, "one-letter bodies": 300, "leading function words": 8000,
         "meeting in every paragraph": 60, "acronym definitions": 100, "acronym typos": 80, "dates": 250,
         "one long capital word": 3000, "tabs in a table row": 3000}


def pipeline(text: str) -> list[entities.Entity]:
    """What indexing and resolving do with one document: read it, find candidates, resolve them."""
    source = SourceText(DocPath("d.md"), text, "utf-8", "0", len(text), 0)
    document = documents.build(source)
    info = documents.info(document)
    candidates = {document.path: find_candidates(document, GAZETTEER)}
    # Metadata reads dates in parts of the text, and extracted text (a Word table) reaches the
    # acronym reader with its tabs: the whole raw text is the worst case of each.
    find_dates(text)
    find_definitions(text)
    return entities.resolve([info], GAZETTEER, candidates)


def _calls(text: str) -> int:
    count = 0

    def hook(_frame: Any, event: str, _arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(hook)
    try:
        pipeline(text)
    finally:
        sys.setprofile(None)
    return count


def _cpu(text: str) -> float:
    best = float("inf")
    for _ in range(2):  # the better of two: a shared machine adds noise, never removes work
        start = time.process_time()
        pipeline(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    pipeline("The International Organization for Migration (IOM) met on 1 January 2003.\n")  # caches, imports


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_four_times_the_input_is_about_four_times_the_work(name: str, figures: Any) -> None:
    small, large = INPUTS[name](SIZES[name]), INPUTS[name](4 * SIZES[name])
    calls = _calls(large) / _calls(small)
    cpu = _cpu(large) / max(_cpu(small), 1e-3)
    figures[f"linear entities, x4 input: {name}"] = f"calls x{calls:.1f}, cpu x{cpu:.1f}"  # type: ignore[assignment]
    assert calls < 5.5, f"{name}: {calls:.1f} times the calls for 4 times the text"
    assert cpu < 8, f"{name}: {cpu:.1f} times the CPU time for 4 times the text"


def test_a_deep_chain_of_job_titles_gives_the_body_not_a_recursion_error() -> None:
    found = pipeline("Director of " * 1200 + "Migration Office\n")
    assert [e.name for e in found] == ["Migration Office"]


def test_thousands_of_bodies_joined_by_and_are_each_a_mention() -> None:
    found = pipeline("AlphaX Office and " * 2000)
    assert [(e.name, len(e.mentions)) for e in found] == [("AlphaX Office", 2000)]


def test_a_run_longer_than_any_name_is_read_in_pieces() -> None:
    text = ("Alpha " * 40) + "and the Beta Migration Office"
    assert [e.name for e in pipeline(text)] == ["Beta Migration Office"]
