"""The one-pass index analysis must give exactly the terms and positions of Whoosh's analyzer."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from migarchive.core.analysis import analyze, index_positions, stem, text_analyzer


def whoosh_positions(text: str) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = defaultdict(list)
    for token in text_analyzer()(text, mode="index", positions=True):
        positions[token.text].append(token.pos)
    return dict(positions)


def whoosh_query_terms(text: str) -> list[str]:
    return [token.text for token in text_analyzer()(text, mode="query")]


def test_same_terms_as_the_analyzer_on_the_seed_texts(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert index_positions(text) == whoosh_positions(text), path.name
        for line in text.splitlines()[:400]:
            assert analyze(line) == whoosh_query_terms(line), line


def test_symbols_possessives_and_numbers() -> None:
    text = "IOM's report A/RES/71/1 and E/CN.4/2003/74 cite 1,250.5 migrants’ rights in 2006."
    assert index_positions(text) == whoosh_positions(text)
    assert "a/res/71/1" in index_positions(text)
    assert stem("res") in index_positions(text)  # the letters of a symbol also find it


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aAbZ/.-'’s 0129\n(é)")), max_size=80))
def test_same_terms_on_arbitrary_text(text: str) -> None:
    assert index_positions(text) == whoosh_positions(text)
    assert analyze(text) == whoosh_query_terms(text)

