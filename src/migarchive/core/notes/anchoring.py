"""Finding an annotation's text again after its document changed (pure functions, no I/O).

An annotation remembers where its text was (a W3C TextPositionSelector: start/end in the cleaned
text) and what it was (a TextQuoteSelector: the exact text with ~32 characters either side). When
the document changes, `anchor` looks for the text in this order, as Hypothesis does:

1. the old position, if the exact text and its context are still there;
2. every place the exact text occurs, taking the one whose context and position fit best;
3. the same ignoring differences in whitespace (a paragraph re-wrapped or re-extracted);
4. an approximate match of the quote, found with Myers' bit-parallel edit distance so that a whole
   document costs one pass, accepted when at least `threshold` similar (0.75 by default).

`None` means "not found": the caller then marks the annotation orphaned. Nothing here deletes.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from migarchive.core.notes.model import TextQuote

CONTEXT = 32
THRESHOLD = 0.75
# A quote whose context is gone may only move to a place it cannot be confused with: a short one
# ("IOM") never, a longer one only if it occurs there alone. Otherwise the note of a deleted paragraph
# would silently jump to an unrelated mention; orphaned, it is at least shown for what it is.
SHORT_QUOTE = 20
CONTEXT_AGREES = 0.5
# Accept the old position at once when the context there is (nearly) unchanged.
SAME_PLACE_CONTEXT = 0.9
# Fuzzy search looks near the old position first, then (if affordable) in the whole text.
_WINDOW = 4096
_FULL_SCAN_BUDGET = 4_000_000  # text characters × 64-bit words of the pattern (≈ 1 s of Python)
_MAX_OCCURRENCES = 5000
_MAX_FUZZY_CANDIDATES = 32
_WHITESPACE = re.compile(r"\s+")


def make_quote(text: str, start: int, end: int, context: int = CONTEXT) -> TextQuote:
    """The TextQuoteSelector of text[start:end]."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span {start}:{end} is outside a text of {len(text)} characters")
    return TextQuote(text[start:end], text[max(0, start - context) : start], text[end : end + context])


def anchor(text: str, quote: TextQuote, start: int | None = None, end: int | None = None,
           *, threshold: float = THRESHOLD) -> tuple[int, int] | None:
    """Where `quote` is in `text` now, as (start, end); `start`/`end` are where it was before."""
    return Anchorer(text).anchor(quote, start, end, threshold=threshold)


def collapse_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text)


@dataclass(frozen=True)
class _Collapsed:
    """A text with each whitespace run turned into one space, mapped back to the original offsets."""

    text: str
    starts: list[int]  # original offset where each collapsed character begins
    ends: list[int]  # original offset just after it (a collapsed run ends after the whole run)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]

    def position(self, original: int) -> int:
        return bisect.bisect_left(self.starts, original)


def _collapse(text: str) -> _Collapsed:
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for match in _WHITESPACE.finditer(text):
        a, b = match.span()
        parts.append(text[pos:a])
        starts.extend(range(pos, a))
        ends.extend(range(pos + 1, a + 1))
        parts.append(" ")
        starts.append(a)
        ends.append(b)
        pos = b
    parts.append(text[pos:])
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    return _Collapsed("".join(parts), starts, ends)


class Anchorer:
    """Anchors any number of quotes in one text, preparing the text's whitespace-collapsed form once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._collapsed: _Collapsed | None = None

    @property
    def collapsed(self) -> _Collapsed:
        if self._collapsed is None:
            self._collapsed = _collapse(self.text)
        return self._collapsed

    def anchor(self, quote: TextQuote, start: int | None = None, end: int | None = None,
               *, threshold: float = THRESHOLD) -> tuple[int, int] | None:
        text, exact = self.text, quote.exact
        if not exact.strip():
            return None
        hint = start if start is not None and 0 <= start <= len(text) else None
        # 1. Unchanged where it was (the common case: an edit elsewhere, or no edit at all).
        if start is not None and end is not None and 0 <= start <= end <= len(text) and text[start:end] == exact:
            context = self._context(quote, start, end)
            if context is None or context >= SAME_PLACE_CONTEXT:
                return start, end
        # 2. The exact text elsewhere (a paragraph inserted above moves everything below it).
        found = self._best(quote, [(s, s + len(exact), 1.0) for s in _occurrences(text, exact)], hint)
        if found is not None:
            return found
        # 3. The same words with different whitespace.
        collapsed, wanted = self.collapsed, collapse_whitespace(exact)
        spans = [(*collapsed.span(s, s + len(wanted)), 1.0) for s in _occurrences(collapsed.text, wanted)]
        found = self._best(quote, spans, hint)
        if found is not None:
            return found
        # 4. Nearly the same words (a typo fixed, a word changed inside the quote). Also where 2 and 3
        # found only copies out of context: the edited original, in its context, then wins over them.
        return self._fuzzy(quote, wanted, hint, threshold)

    # -- scoring ---------------------------------------------------------------------------------

    def _context(self, quote: TextQuote, start: int, end: int) -> float | None:
        """How well the text around start:end matches the quote's prefix and suffix (0..1), or None
        when the quote has no context to compare."""
        scores = [s for s in (self._prefix_score(quote, start), self._suffix_score(quote, end)) if s is not None]
        return sum(scores) / len(scores) if scores else None

    def _prefix_score(self, quote: TextQuote, start: int) -> float | None:
        wanted = collapse_whitespace(quote.prefix)
        if not wanted:
            return None
        # Twice the length, so that collapsing whitespace still leaves enough characters.
        found = collapse_whitespace(self.text[max(0, start - 2 * len(quote.prefix) - 2) : start])[-len(wanted):]
        return _ratio(wanted, found)

    def _suffix_score(self, quote: TextQuote, end: int) -> float | None:
        wanted = collapse_whitespace(quote.suffix)
        if not wanted:
            return None
        found = collapse_whitespace(self.text[end : end + 2 * len(quote.suffix) + 2])[: len(wanted)]
        return _ratio(wanted, found)

    def _best(self, quote: TextQuote, spans: list[tuple[int, int, float]], hint: int | None) -> tuple[int, int] | None:
        """The candidate (start, end, quote similarity) that fits best, weighing the quote most,
        then its context, then nearness to the old position (Hypothesis's weights)."""
        size = max(len(self.text), 1)
        scored = []
        for start, end, similarity in spans:
            prefix = self._prefix_score(quote, start)
            suffix = self._suffix_score(quote, end)
            near = 1 - abs(start - hint) / size if hint is not None else 0.5
            score = (50 * similarity + 20 * (0.5 if prefix is None else prefix)
                     + 20 * (0.5 if suffix is None else suffix) + 2 * near)
            known = [s for s in (prefix, suffix) if s is not None]
            scored.append((score, start, end, similarity, sum(known) / len(known) if known else None))
        if not scored:
            return None
        _, start, end, similarity, context = max(scored, key=lambda c: c[0])
        if context is not None and context < CONTEXT_AGREES:
            rivals = sum(1 for c in scored if c[3] >= similarity)
            if len(collapse_whitespace(quote.exact).strip()) < SHORT_QUOTE or rivals > 1:
                return None
        return start, end

    def _fuzzy(self, quote: TextQuote, wanted: str, hint: int | None, threshold: float) -> tuple[int, int] | None:
        pattern = wanted
        size = len(pattern)
        max_errors = int(size * (1 - threshold) + 1e-9)
        if max_errors < 1:
            return None  # only an exact match would do, and steps 2 and 3 found none that fits
        collapsed = self.collapsed
        haystack = collapsed.text
        words = size // 64 + 1
        regions: list[tuple[int, int]] = []
        if hint is not None:
            centre = collapsed.position(hint)
            regions.append((max(0, centre - _WINDOW - size), min(len(haystack), centre + _WINDOW + 2 * size)))
        if not regions or regions[0] != (0, len(haystack)):
            if len(haystack) * words <= _FULL_SCAN_BUDGET or not regions:
                regions.append((0, len(haystack)))
        for low, high in regions:
            spans = []
            for stop, _ in _fuzzy_ends(pattern, haystack[low:high], max_errors):
                begin, errors = best_start(pattern, haystack, low + stop, max_errors)
                similarity = 1 - errors / size
                if similarity >= threshold and begin < low + stop:
                    spans.append((*collapsed.span(begin, low + stop), similarity))
            found = self._best(quote, spans, hint)
            if found is not None:
                return found
        return None


def _occurrences(text: str, needle: str) -> Iterator[int]:
    found = text.find(needle)
    count = 0
    while found >= 0 and count < _MAX_OCCURRENCES:
        yield found
        count += 1
        found = text.find(needle, found + 1)


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


# -- Myers' bit-parallel edit distance (Myers 1999, in Hyyrö's formulation) --------------------------
# Python integers are arbitrary-precision, so one integer holds the whole pattern's bit vector.


def _pattern_masks(pattern: str) -> dict[str, int]:
    masks: dict[str, int] = {}
    for i, char in enumerate(pattern):
        masks[char] = masks.get(char, 0) | (1 << i)
    return masks


def search_ends(pattern: str, text: str, max_errors: int) -> list[tuple[int, int]]:
    """(end, errors) for every end offset in `text` where some substring ending there is within
    `max_errors` edits of `pattern` (Sellers' approximate search)."""
    size = len(pattern)
    if size == 0:
        return []
    masks = _pattern_masks(pattern)
    full = (1 << size) - 1
    high = 1 << (size - 1)
    pv, mv, score = full, 0, size
    found = []
    for j, char in enumerate(text):
        eq = masks.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = (ph << 1) & full  # the top row is all zeros: a match may start anywhere
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        if score <= max_errors:
            found.append((j + 1, score))
    return found


def _fuzzy_ends(pattern: str, text: str, max_errors: int) -> list[tuple[int, int]]:
    """The best end offsets: the lowest point of each run of matching ends, fewest errors first."""
    ends = search_ends(pattern, text, max_errors)
    best: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    for end, errors in ends:
        if run and end != run[-1][0] + 1:
            best.append(min(run, key=lambda e: e[1]))
            run = []
        run.append((end, errors))
    if run:
        best.append(min(run, key=lambda e: e[1]))
    return sorted(best, key=lambda e: e[1])[:_MAX_FUZZY_CANDIDATES]


def best_start(pattern: str, text: str, end: int, max_errors: int) -> tuple[int, int]:
    """(start, errors): the start of the substring ending at `end` that is closest to `pattern`.

    Runs the global variant of Myers' algorithm on the reversed pattern and text, so each column
    gives the distance of the pattern to text[end - j:end]."""
    size = len(pattern)
    low = max(0, end - size - max_errors)
    segment = text[low:end][::-1]
    masks = _pattern_masks(pattern[::-1])
    full = (1 << size) - 1
    high = 1 << (size - 1)
    pv, mv, score = full, 0, size
    best_errors, best_length = size, 0
    for j, char in enumerate(segment, start=1):
        eq = masks.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & full  # the top row counts up: the match must start at `end`
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        if score < best_errors or (score == best_errors and abs(j - size) < abs(best_length - size)):
            best_errors, best_length = score, j
    return end - best_length, best_errors

