"""How text becomes index terms: words, UN document symbols kept whole, possessives dropped, stems.

`A/RES/71/1` is one term, so a symbol is found verbatim; at index time its parts are added at the
same position so that `RES` alone still finds it. The stemmer's results are cached: a corpus
repeats the same few thousand words millions of times.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import accumulate

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, Token
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.lang.porter import stem as porter_stem

# At most eight letter parts and eight further parts (real symbols have up to six in all): with
# unbounded repeats the two groups could share a run of "A/A/A/…" in quadratically many ways,
# each tried at every start, which made a 3 KB query take a minute.
SYMBOL = r"(?:[A-Za-z]{1,8}/){1,8}(?:[A-Za-z0-9.\-]+/){0,8}[A-Za-z0-9.\-]*\d[A-Za-z0-9.\-]*(?<![.\-])"
_WORDS = r"\d+(?:[.,]\d+)+|\w+(?:['’]\w+)*"
TOKEN = re.compile(SYMBOL + "|" + _WORDS)
# TOKEN's matches in a text without a slash, which every symbol has: tried at each word, SYMBOL's
# letters before a slash backtrack through eight lengths, a third of the time of finding words.
_TOKEN_WITHOUT_SYMBOLS = re.compile(_WORDS)


_SPLIT_TOKENS = re.compile(f"({TOKEN.pattern})")
_SPLIT_WITHOUT_SYMBOLS = re.compile(f"({_WORDS})")


def token_pattern(text: str) -> re.Pattern[str]:
    """TOKEN, or a quicker pattern with the same matches in `text`."""
    return TOKEN if "/" in text else _TOKEN_WITHOUT_SYMBOLS


def words_and_ends(text: str) -> tuple[list[str], list[int]]:
    """TOKEN's matches in `text` and where they start and end, in C calls: the words, then
    `bounds`, in which word i starts at bounds[2 * i] and ends at bounds[2 * i + 1] (and the
    last is the text's length)."""
    parts = (_SPLIT_TOKENS if "/" in text else _SPLIT_WITHOUT_SYMBOLS).split(text)
    return parts[1::2], list(accumulate(map(len, parts)))


class PossessiveFilter(Filter):
    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if t.text.endswith(("'s", "’s")):
                t.text = t.text[:-2]
            yield t


class SymbolPartsFilter(Filter):
    """At index time, also index a symbol's letter parts (`res` of `a/res/71/1`) at its position."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            yield t
            if "/" in t.text and getattr(t, "mode", "") == "index":
                whole = t.text
                for part in dict.fromkeys(re.findall(r"[a-z]{2,}", whole)):
                    t.text = part
                    yield t
                t.text = whole


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    if "/" in word or not word.isalpha():
        return word
    stemmed: str = porter_stem(word)
    return stemmed


class CachedStemFilter(Filter):
    is_morph = True  # lets Whoosh keep the unstemmed words for spelling suggestions

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


def text_analyzer() -> CompositeAnalyzer:
    return RegexTokenizer(TOKEN) | LowercaseFilter() | PossessiveFilter() | SymbolPartsFilter() | CachedStemFilter()


def plain_analyzer() -> CompositeAnalyzer:
    """For names and labels (`org:`, `kind:`): words, lower-cased, not stemmed."""
    return RegexTokenizer(TOKEN) | LowercaseFilter() | PossessiveFilter()


_TERMS: dict[str, str] = {}


def term_of(word: str) -> str:
    """The index term of one word as written (a `TOKEN` match): lower-cased, without a possessive,
    stemmed. Remembered: indexing, queries and snippets meet the same few thousand words over and
    over."""
    term = _TERMS.get(word)
    if term is None:
        if len(_TERMS) > 500_000:  # a long-running app indexing many corpora: stay bounded
            _TERMS.clear()
        lower = word.lower()
        term = _TERMS[word] = stem(lower[:-2] if lower.endswith(("'s", "’s")) else lower)
    return term


def terms_of(words: list[str]) -> list[str]:
    """`term_of` each word: those already known looked up in one C call."""
    terms = list(map(_TERMS.get, words))
    if None in terms:
        terms = [term if term is not None else term_of(word) for term, word in zip(terms, words)]
    return terms  # type: ignore[return-value]


@lru_cache(maxsize=65536)
def _query_terms(text: str) -> tuple[str, ...]:
    # What `text_analyzer()` yields in query mode, in a plain loop: Whoosh's pipeline cost ~60 µs
    # a call, and the first search analyses every thesaurus term and acronym definition (~1,000).
    # `tests/core/test_analysis.py` holds the two to the same output.
    return tuple(term_of(match.group()) for match in token_pattern(text).finditer(text))


def first_term(text: str) -> str | None:
    """`analyze(text)[0]` (None when it has no terms), from the first word only."""
    match = token_pattern(text).search(text)
    return term_of(match.group()) if match is not None else None


def analyze(text: str) -> list[str]:
    """The terms a query for `text` looks up (query mode: symbols stay whole). Cached: opening an
    archive analyses every acronym definition of every document, mostly the same few hundred."""
    return list(_query_terms(text))


def index_positions(text: str) -> dict[str, list[int]]:
    """Each term `text_analyzer()` yields in index mode, with its positions, in one pass.

    Indexing spends most of its time here: Whoosh's token pipeline builds a generator and a `Token`
    per word per filter, where a plain loop over the regex matches does the same work several times
    faster. `tests/core/test_analysis.py` holds the two to the same output."""
    positions: dict[str, list[int]] = {}
    if "/" in text:  # symbols, whose letter parts are also indexed at their position
        known = _TERMS.get  # most words' terms are known: the call of `term_of` only for the others
        for pos, word in enumerate(TOKEN.findall(text)):
            positions.setdefault(known(word) or term_of(word), []).append(pos)
            if "/" in word:
                for part in dict.fromkeys(re.findall(r"[a-z]{2,}", word.lower())):
                    positions.setdefault(stem(part), []).append(pos)
        return positions
    get = positions.get
    for pos, term in enumerate(terms_of(_TOKEN_WITHOUT_SYMBOLS.findall(text))):
        found = get(term)
        if found is None:
            positions[term] = [pos]
        else:
            found.append(pos)
    return positions
