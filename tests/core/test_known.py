"""The words a text's known names are looked for in (core.known.find_words): each word's place and
the key it is looked up by, as finding and folding each word in turn gives them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from migarchive.core.known import WORD, find_words, fold

PIECES = ["Organisation", "centres", "UN-Habitat", "Children’s", "children's", "İstanbul", "ǅemal", "ß", "Ⅷ",
          "Ⓐb", "x", "-", "’", "'", " ", ", ", "\n", "“", "”", "9", "_", "é", "Σσ"]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=30).map("".join))
def test_words_and_keys_are_those_of_each_word_folded(text: str) -> None:
    tokens = [m.span() for m in WORD.finditer(text)]
    assert find_words(text) == (tokens, [fold(text[s:e]) for s, e in tokens])
