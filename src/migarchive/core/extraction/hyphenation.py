"""Whether a hyphen at a line end is the typesetter's ("migra-" "tion") or the word's ("long-" "term").

On paper both are the same glyph; LibreOffice and groff hyphenate automatically, and a compound
broken at its own hyphen looks exactly like a hyphenated word. The document's own vocabulary says
most: a word it writes with a hyphen inside a line keeps it, a word it writes whole is joined.
Failing that, an English word list decides: "migration" is a word, so "migra-tion" is joined; no
list has "longterm", but "long" and "term" are words, so "long-term" keeps its hyphen.

The word list is SCOWL's (Debian's wamerican and wbritish, both spellings: UN documents write
"organization" and "labour"), lower case, without possessives, shipped as
resources/wordlist/english.txt.gz with its licence beside it.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from migarchive.paths import resources_dir

WORD_LIST = "wordlist/english.txt.gz"
# Prefixes British and UN usage writes with a hyphen ("non-governmental", "self-reliance") even where
# an American list has the word whole ("nongovernmental").
_HYPHENATED_PREFIXES = frozenset({"non", "self", "quasi"})
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@lru_cache(maxsize=1)
def dictionary() -> frozenset[str]:
    """The English word list, read once; empty when it is missing (then only the document decides)."""
    try:
        with gzip.open(resources_dir() / WORD_LIST, "rt", encoding="utf-8") as file:
            return frozenset(file.read().split())
    except (OSError, EOFError, UnicodeDecodeError):
        return frozenset()


class Vocabulary:
    """The compounds a line-end hyphen belongs to, as a container: `"long-term" in vocabulary`.

    A container of the broken words whose hyphen stays, so `layout.join_lines` asks it the way it
    asks a plain set of the document's compounds.
    """

    def __init__(self, lines: Iterable[str], words: frozenset[str] | None = None) -> None:
        self._compounds: set[str] = set()
        self._whole: set[str] = set()
        for text in lines:
            for word in _WORD.findall(text.lower()):
                (self._compounds if "-" in word else self._whole).add(word)
        self._words = dictionary() if words is None else words

    def __contains__(self, compound: object) -> bool:
        if not isinstance(compound, str) or "-" not in compound:
            return False
        if compound in self._compounds:
            return True
        # Which hyphen the line broke at is not said ("fol-low-up"): a reading without one of them that
        # the document writes is the word.
        cuts = [i for i, c in enumerate(compound) if c == "-"]
        if any(self._writes(compound[:i] + compound[i + 1:]) for i in cuts):
            return False
        head, _, tail = compound.rpartition("-")
        piece = head.rpartition("-")[2]
        if piece in _HYPHENATED_PREFIXES and _known(tail, self._words):
            return True
        joined = head[: len(head) - len(piece)] + piece + tail
        if not piece or not tail or joined in self._whole or _known(joined, self._words):
            return False
        return _known(piece, self._words) and _known(tail, self._words)

    def _writes(self, word: str) -> bool:
        return word in self._whole or word in self._compounds

    def __iter__(self) -> Iterator[str]:
        return iter(self._compounds)

    def __len__(self) -> int:
        return len(self._compounds)


def _known(word: str, words: frozenset[str]) -> bool:
    return word in words
