"""A passage's snippet: its best two stretches around the words searched, those words in bold.

What Whoosh's `highlight.highlight(text, terms, analyzer, ContextFragmenter(240, 70),
MarkdownBold(), top=2)` returns, character for character, in one loop over the passage's words:
Whoosh makes a token object per word and passes it through six generators, which was the
largest part of a plain search's time (ten snippets of a few hundred words each).
`tests/core/test_snippets.py` holds the two to the same output.
"""

from __future__ import annotations

from collections import deque
from heapq import nlargest

from migarchive.core.analysis import TOKEN, term_of

MAX_CHARS = 240  # of one stretch
SURROUND = 70  # characters of context before the first and after the last word found
CHAR_LIMIT = 2**15  # words beyond this are not looked at (Whoosh's default)
BETWEEN = " … "

Match = tuple[int, int]  # where a word found starts and ends


class _Fragment:
    """A stretch of the passage; ordered by where it starts, as Whoosh's `Fragment` is."""

    __slots__ = ("start", "end", "matches", "terms")

    def __init__(self, start: int, end: int, matches: list[Match], terms: set[str]) -> None:
        self.start, self.end, self.matches, self.terms = start, end, matches, terms

    def __lt__(self, other: _Fragment) -> bool:
        return self.start < other.start


def snippet(text: str, terms: frozenset[str], top: int = 2) -> str:
    """The snippet of `text` for the index terms `terms`; "" when none of them occurs in it."""
    fragments = _fragments(text, terms)
    # Whoosh's `BasicFragmentScorer`: the words found, times a hundred per distinct term.
    scored = nlargest(top, ((float(len(f.matches)) * ((len(f.terms) * 100) or 1), f) for f in fragments))
    best = sorted((f for score, f in scored if score >= 1), key=lambda f: f.start)
    return BETWEEN.join(_bold(text, f) for f in best)


def _fragments(text: str, terms: frozenset[str]) -> list[_Fragment]:
    """Whoosh's `ContextFragmenter.fragment_tokens`, over (start, end, found?) of each word."""
    found: list[_Fragment] = []
    first: int | None = None
    firsts: deque[int] = deque()
    countdown = -1  # below zero: not in a stretch
    matches: list[Match] = []
    matched_terms: set[str] = set()
    end = 0
    length = 0
    for word in TOKEN.finditer(text):
        start, end = word.span()
        size = end - start
        if end > CHAR_LIMIT:
            break
        term = term_of(word.group())
        matched = term in terms
        if countdown < 0 and not matched:
            firsts.append(start)
            while firsts and end - firsts[0] > SURROUND:
                firsts.popleft()
        elif length + size > MAX_CHARS:
            countdown = 0
        elif matched:
            countdown = SURROUND
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = start
                    countdown += SURROUND
            matches.append((start, end))
            matched_terms.add(term)
        if countdown >= 0:
            length += size
            countdown -= size
            if countdown <= 0:
                found.append(_made(text, first, end, matches, matched_terms))
                matches, matched_terms, firsts, first, length = [], set(), deque(), None, 0
    if matches:
        found.append(_made(text, first, end, matches, matched_terms))
    return found


def _made(text: str, first: int | None, end: int, matches: list[Match], terms: set[str]) -> _Fragment:
    # Whoosh's `mkfrag`: a stretch closed before any word was found in it starts at its first match, or at 0.
    start = first if first is not None else matches[0][0] if matches else 0
    return _Fragment(max(0, start), min(len(text), end), matches, terms)


def _bold(text: str, fragment: _Fragment) -> str:
    """Whoosh's `Formatter.format_fragment` with `MarkdownBold`'s format_token."""
    output = []
    index = fragment.start
    for start, end in sorted(fragment.matches, key=lambda m: (m[0], m[0] - m[1])):
        if start < index:
            continue
        if start > index:
            output.append(text[index:start])
        output.append(f"**{text[start:end]}**")
        index = end
    output.append(text[index:fragment.end])
    return "".join(output)
