"""The one-pass index analysis must give exactly the terms and positions of Whoosh's analyzer."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from migarchive.core.analysis import QueryTokens, analyze, index_positions, stem, text_analyzer


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


def _tokens(analyzer: object, text: str) -> list[tuple[object, ...]]:
    return [(t.text, t.startchar, t.endchar, t.boost, t.stopped, t.pos)
            for t in analyzer(text, positions=True, chars=True, mode="query", removestops=False)]  # type: ignore[operator]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aAbZ/.-'’s 0129\n(é)")), max_size=80))
def test_highlighting_tokens_are_the_analyzers(text: str) -> None:
    assert _tokens(QueryTokens(), text) == _tokens(text_analyzer(), text)


def test_snippets_are_the_same_as_with_the_analyzer(corpus_dir: Path) -> None:
    from whoosh import highlight

    from migarchive.core.whoosh_parts import MarkdownBold, fragmenter

    terms = frozenset(analyze("migration remittances IOM human rights Global Compact A/RES/71/1 statistics"))
    for path in sorted(corpus_dir.glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            assert (highlight.highlight(paragraph, terms, QueryTokens(), fragmenter(), MarkdownBold(), top=2)
                    == highlight.highlight(paragraph, terms, text_analyzer(), fragmenter(), MarkdownBold(), top=2))
