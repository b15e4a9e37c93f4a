"""A passage's snippet: its best two stretches around the words searched, those words in bold.

What Whoosh's `highlight.highlight(text, terms, analyzer, ContextFragmenter(240, 70),
MarkdownBold(), top=2)` returns, character for character, in one loop over the passage's words:
Whoosh makes a token object per word and passes it through six generators, which was the
largest part of a plain search's time (ten snippets of a few hundred words each).
`tests/core/test_snippets.py` holds the two to the same output.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from heapq import nlargest
from itertools import compress

from migarchive.core.analysis import term_of, terms_of, words_and_ends

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
    """Whoosh's `ContextFragmenter.fragment_tokens`, over (start, end, found?) of each word.

    Between stretches a word not found only moves the window of recent word starts that the next
    stretch opens at (those `SURROUND` characters back at most): so words are stepped through one
    by one only within stretches, and from one stretch the loop jumps to the next word found,
    where that window is a binary search of the word starts. (Stepping through every word was
    most of a plain query's time: ten passages of a few hundred words.)"""
    words, bounds = words_and_ends(text)
    starts, ends = bounds[0:-1:2], bounds[1::2]
    stopped_at: int | None = None  # the end of the first word past CHAR_LIMIT: Whoosh stops there
    if ends and ends[-1] > CHAR_LIMIT:
        kept = bisect_right(ends, CHAR_LIMIT)
        stopped_at = ends[kept]
        words, starts, ends = words[:kept], starts[:kept], ends[:kept]
    found_at = list(compress(range(len(words)), map(terms.__contains__, terms_of(words))))  # indexes of the words found
    is_found = set(found_at)
    count = len(starts)
    found: list[_Fragment] = []
    matches: list[Match] = []
    matched_terms: set[str] = set()
    first: int | None = None
    run_start = i = 0  # the first word since the last stretch closed; the word looked at
    for i in found_at:
        if i < run_start:
            continue  # taken by the last stretch
        # A stretch opens at this word (every word since `run_start` before it was not found).
        first, countdown, length = None, -1, 0
        while i < count:
            start, end = starts[i], ends[i]
            size = end - start
            if length + size > MAX_CHARS:
                countdown = 0
            elif i in is_found:
                countdown = SURROUND
                if first is None:
                    window = bisect_left(starts, ends[i - 1] - SURROUND, run_start, i) if i > run_start else i
                    if window < i:
                        first = starts[window]
                    else:
                        first = start
                        countdown += SURROUND
                matches.append((start, end))
                matched_terms.add(term_of(text[start:end]))
            length += size
            countdown -= size
            i += 1
            if countdown <= 0:
                found.append(_made(text, first, end, matches, matched_terms))
                matches, matched_terms = [], set()
                if countdown == 0 and i < count and i not in is_found:
                    # Whoosh's countdown is not below zero yet: the next word, not found, makes
                    # an empty stretch of its own and is no start of the next one.
                    found.append(_made(text, None, ends[i], [], set()))
                    i += 1
                break
        run_start = i
    if matches:
        found.append(_made(text, first, stopped_at if stopped_at is not None else ends[-1], matches, matched_terms))
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
