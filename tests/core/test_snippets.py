"""Snippets made in one loop are Whoosh's snippets, character for character."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import highlight

from migarchive.core.analysis import analyze, text_analyzer
from migarchive.core.snippets import snippet
from migarchive.core.whoosh_parts import MarkdownBold, fragmenter

WORDS = ["migration", "migrants", "IOM's", "rights", "the", "of", "A/RES/71/1", "remittances", "x"]


def whooshs(text: str, terms: frozenset[str]) -> str:
    return highlight.highlight(text, terms, text_analyzer(), fragmenter(), MarkdownBold(), top=2)


def test_the_seed_paragraphs_give_whooshs_snippets(corpus_dir: Path) -> None:
    queries = ["migration remittances", "IOM human rights", "Global Compact A/RES/71/1 statistics",
               "the of and", "a", "Berne Initiative International Agenda for Migration Management"]
    for path in sorted(corpus_dir.glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            for query in queries:
                terms = frozenset(analyze(query))
                assert snippet(paragraph, terms) == whooshs(paragraph, terms), (path.name, query, paragraph[:80])


# Words of every length: a stretch's countdown of 70 characters can reach exactly zero, and a
# word can be longer than the context (70) or than a whole stretch (240).
_LONG_WORD = st.integers(1, 260).map(lambda n: "w" * n)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(WORDS) | st.text(alphabet="ab ,.'’\n", max_size=12) | _LONG_WORD, max_size=150),
       st.sets(st.sampled_from(WORDS), max_size=4))
def test_any_text_gives_whooshs_snippet(words: list[str], searched: set[str]) -> None:
    text = " ".join(words)
    terms = frozenset(t for word in searched for t in analyze(word))
    assert snippet(text, terms) == whooshs(text, terms)


def test_long_passages_and_the_character_limit() -> None:
    # Stretches cut at 240 characters, several candidates, and words beyond 32,768 characters.
    text = ("The migration of workers sends remittances home. " * 40 + "unrelated words here " * 2000
            + "migration at the very end.")
    terms = frozenset(analyze("migration remittances"))
    assert snippet(text, terms) == whooshs(text, terms)
    assert snippet("nothing to see", terms) == whooshs("nothing to see", terms) == ""
    for shift in range(-12, 4):  # a word found just before, across and after the limit
        near = "x " * ((2**15 + shift) // 2) + "migration and more"
        assert snippet(near, terms) == whooshs(near, terms)


def test_a_stretch_whose_countdown_ends_at_exactly_zero() -> None:
    # After "migration" (9 characters) a stretch counts down 70: a following word of 61 ends it
    # at exactly zero, where Whoosh swallows the next word into an empty stretch of its own.
    terms = frozenset(analyze("migration"))
    for width in range(55, 140):
        text = f"aa migration {'w' * width} bb cc dd migration ee ff"
        assert snippet(text, terms) == whooshs(text, terms), width
