"""Known names (the gazetteer's, a document's own long forms) found in a text word by word.

A regular expression with one alternative per name tries every name at every position, so a
document defining thousands of acronyms made its own pattern cost time in the square of its size.
Here the names are a tree of words: each word of the text is looked up once, and a match is
followed only as long as its words are those of some name, so the work is the number of words
times the length of the longest name, whatever the number of names.

The rules are those of the names' readers: a name of three words or more is found in any case
("global compact for safe, orderly and regular migration"); a shorter one only as written or in
capitals, so that "global forum" in running prose is not taken for the Global Forum. Words may be
separated by spaces, commas and quotes; "the" before a name belongs to the mention; British and
American spellings of "organization" and "centre" are one word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import Any

# A word may carry inner apostrophes ("Children's") and hyphens ("UN-Habitat"), not a trailing
# apostrophe ("the United Nations’ work" names the United Nations).
WORD = re.compile(r"[\w-]+(?:['’][\w-]+)*")
_WORD_SPLIT = re.compile(f"({WORD.pattern})")
_SEPARATOR_CHARS = " \t\n\r\f\v,“”\""
_ANY_CASE_WORDS = 3
_MIN_LENGTH = 4

_END = ""  # key of a node's entry for the names that end there (no word is empty)
# A trie node: the next word's node under each folded word, and under _END the case forms (None: any).
_Node = dict[str, Any]
_Forms = set[tuple[str, ...] | None]


_VARIANTS = {"organisation": "organization", "organisations": "organizations", "centre": "center",
             "centres": "centers"}
_VARIANT_KEYS = frozenset(_VARIANTS.values())


def fold(word: str) -> str:
    """The key a word is looked up by: its case and spelling variants made one."""
    key = word.lower()
    if "’" in key:
        key = key.replace("’", "'")
    return _VARIANTS.get(key, key)


Words = tuple[list[tuple[int, int]], list[str]]


def find_words(text: str) -> Words:
    """The words of a text, (start, end) each, and the key each is looked up by."""
    # One lowering of the whole text, whose words are the text's (lowering changes no character's
    # class: a word character stays one) where it keeps the length; found with C calls: one split,
    # the bounds by adding up the parts' lengths, the spelling variants by a map.
    lowered = text.lower().replace("’", "'")
    if len(lowered) == len(text):
        parts = _WORD_SPLIT.split(lowered)
        bounds = list(accumulate(map(len, parts)))
        words = parts[1::2]
        return list(zip(bounds[0:-1:2], bounds[1::2])), list(map(_VARIANTS.get, words, words))
    # A few letters change length when lowered ("İ"): word by word, then.
    tokens = [m.span() for m in WORD.finditer(text)]
    return tokens, [fold(text[s:e]) for s, e in tokens]


class KnownNames:
    """A set of names, matched as `finditer` would match one pattern made of them all."""

    def __init__(self, names: Iterable[str]) -> None:
        self._root: _Node = {}
        self.depth = 0
        for name in names:
            words = WORD.findall(name)
            if not words or len(name) < _MIN_LENGTH:
                continue
            node = self._root
            for word in words:
                node = node.setdefault(fold(word), {})
            # Short names keep the spellings they may be written in; long ones match in any case.
            forms: _Forms = node.setdefault(_END, set())
            if len(words) >= _ANY_CASE_WORDS:
                forms.add(None)
            else:
                forms.add(tuple(_case_key(w) for w in words))
                forms.add(tuple(_case_key(w.upper()) for w in words))
            self.depth = max(self.depth, len(words))

    def __bool__(self) -> bool:
        return bool(self._root)

    def finditer(self, text: str, words: Words | None = None) -> Iterator[tuple[int, int]]:
        """(start, end) of each known name in `text`, leftmost first, the longest at a place, not
        overlapping. `words` are the text's words (`words(text)`), when they were found already."""
        if not self._root:
            return
        tokens, keys = words or find_words(text)
        root = self._root
        i = 0
        count = len(tokens)
        while i < count:
            key = keys[i]
            if key not in root and key != "the" and not (("-" in key or "'" in key)
                                                          and any(stem in root for stem in _stems(key))):
                i += 1
                continue
            # "the" before a name is part of the mention, as a reader would quote it.
            if key == "the" and i + 1 < count and text[tokens[i][1]:tokens[i + 1][0]].isspace():
                found = self._longest(text, tokens, keys, i + 1)
                if found is not None:
                    yield tokens[i][0], found[1]
                    i = found[0] + 1
                    continue
            found = self._longest(text, tokens, keys, i)
            if found is not None:
                yield tokens[i][0], found[1]
                i = found[0] + 1
            else:
                i += 1

    def _longest(self, text: str, tokens: list[tuple[int, int]], keys: list[str], first: int) \
            -> tuple[int, int] | None:
        """(index of its last word, end offset) of the longest name that begins at word `first`.
        A name may end at a hyphen inside a word ("Global Forum-related") or before a possessive
        ("the General Assembly's High-level Dialogue")."""
        node: _Node = self._root
        best = None
        j = first
        while True:
            key = keys[j]
            for head in _stems(key):
                forms = node.get(head, {}).get(_END)
                end = tokens[j][0] + len(head)
                if forms and self._accepts(forms, text, tokens, first, j, end):
                    best = j, end
            child: _Node | None = node.get(key)
            if child is None:
                return best
            node = child
            forms = node.get(_END)
            if forms and self._accepts(forms, text, tokens, first, j, tokens[j][1]):
                best = j, tokens[j][1]
            if j + 1 >= len(tokens) or not _is_separator(text[tokens[j][1]:tokens[j + 1][0]]):
                return best
            j += 1

    @staticmethod
    def _accepts(forms: _Forms, text: str, tokens: list[tuple[int, int]], first: int, last: int, end: int) -> bool:
        if None in forms:
            return True
        written = tuple(_case_key(text[s:e]) for s, e in tokens[first:last]) + (_case_key(text[tokens[last][0]:end]),)
        return written in forms


def _stems(key: str) -> tuple[str, ...]:
    """The word a name may end with inside `key`: before a hyphen or a possessive."""
    if "-" in key and key[0] != "-":
        return (key[: key.index("-")],)
    if key.endswith("'s") and len(key) > 2:
        return (key[:-2],)
    return ()


def _case_key(word: str) -> str:
    """A word as its case must match: exact, except the spelling variants that fold() joins."""
    folded = fold(word)
    if folded in _VARIANT_KEYS:
        # "Organisation" is "organization" in any case; "ORGANISATION" is "ORGANIZATION".
        return folded if word[1:].islower() else folded.upper()
    return word.replace("’", "'")


def _is_separator(gap: str) -> bool:
    return bool(gap) and not gap.strip(_SEPARATOR_CHARS)
