"""Plain queries: words, "quoted phrases", field filters, prefixes (`migr*`) and exclusions (`NOT x`).

Those are what people type, and they are matched forgivingly (`ranking`): a passage that has most
of the words is still found; a phrase, a filter, a prefix and an exclusion are exact. A query with
the other operators (AND, OR, parentheses, wildcards inside words, fuzzy or boost marks) is the user
asking for exactly that, and goes to Whoosh's parser as it is. A question mark ending a word is
punctuation, not a wildcard.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from whoosh.query import Query

from migarchive.core.analysis import analyze
from migarchive.core.query_limits import check_expansion
from migarchive.core.ranking import IndexArrays, Ranked, rank
from migarchive.core.vocabulary import (
    QUERY_STOP_WORDS,
    SPELLING_WEIGHT,
    Alternative,
    Concept,
    Expansions,
    Speller,
)

_OPERATOR_SYNTAX = re.compile(r"\b(?:AND|OR|ANDNOT|ANDMAYBE)\b|NOT\s*$|[()~^\[\]{}]|\?(?!\s|$)|\*(?!\s|$)|(?:^|\s)\*")
_QUOTED = re.compile(r'"[^"]*"')
_TOKEN = re.compile(r'(?P<field>[A-Za-z_]+):(?:"(?P<quoted>[^"]*)"|(?P<value>\S+))|"(?P<phrase>[^"]*)"|(?P<word>\S+)')
_EDGE_PUNCTUATION = "?!.,;:\"'“”‘’()[]"


@dataclass(frozen=True)
class PlainQuery:
    filters: tuple[str, ...]  # "field:value" as typed, for Whoosh's parser
    phrases: tuple[str, ...]  # the text of each quoted phrase
    words: tuple[str, ...]  # the other words, in order
    prefixes: tuple[str, ...] = ()  # "migr" of `migr*`
    excluded: tuple[str, ...] = ()  # what follows NOT, as typed (a word, "a phrase" or field:value)


def parse(text: str) -> PlainQuery | None:
    """The plain query in `text`, or None when it uses operators."""
    if _OPERATOR_SYNTAX.search(_QUOTED.sub(" ", text)):
        return None
    filters: list[str] = []
    phrases: list[str] = []
    words: list[str] = []
    prefixes: list[str] = []
    excluded: list[str] = []
    negate = False
    for match in _TOKEN.finditer(text):
        if match.group() == "NOT":
            if negate:
                return None  # "NOT NOT x": Whoosh's parser says what is wrong with it
            negate = True
            continue
        if negate:
            excluded.append(match.group())
            negate = False
            continue
        if match.group("word") and match.group("word").endswith("*") and match.group("word").strip("*"):
            prefixes.append(match.group("word").rstrip("*").lower())
            continue
        if match.group("field"):
            value = match.group("quoted")
            filters.append(match.group() if value is None else f'{match.group("field")}:"{value}"')
        elif match.group("phrase") is not None:
            if match.group("phrase").strip():
                phrases.append(match.group("phrase"))
        else:
            word = match.group("word").strip(_EDGE_PUNCTUATION)
            if word:
                words.append(word)
    return PlainQuery(tuple(filters), tuple(phrases), tuple(words), tuple(prefixes), tuple(excluded))


# A word found in at most this many passages, with a word one edit away found in this many times
# more, earns a "did you mean".
RARE = 3
MUCH_MORE = 20


@dataclass(frozen=True)
class PlainAnswer:
    ranked: Ranked
    corrected: str | None  # the query as searched, when a word the archive lacks was replaced
    suggestion: str | None  # "did you mean": the query with rare words replaced by common ones


class PlainSearcher:
    """Plain queries over one searcher's arrays: concepts from the words, filters as a mask."""

    def __init__(self, arrays: IndexArrays, expansions: Expansions, speller: Speller,
                 parse_filter: Callable[[str], Query]) -> None:
        self.arrays = arrays
        self._expansions = expansions
        self.speller = speller
        self._parse_filter = parse_filter

    def search(self, query: PlainQuery, extra_filter: Query | None, limit: int) -> PlainAnswer:
        with self.arrays.one_query():
            return self._search(query, extra_filter, limit)

    def _search(self, query: PlainQuery, extra_filter: Query | None, limit: int) -> PlainAnswer:
        allowed = None
        for q in [*(self._parse_filter(f) for f in query.filters), *filter(None, [extra_filter])]:
            mask = np.zeros(self.arrays.size, dtype=bool)
            mask[self.arrays.matching(q)] = True
            allowed = mask if allowed is None else allowed & mask
        for token in query.excluded:
            q = self._parse_filter(token)
            if allowed is None:
                allowed = np.ones(self.arrays.size, dtype=bool)
            allowed[self.arrays.matching(q)] = False
        words, corrected, suggested = self._spelled(list(query.words))
        concepts = self._expansions.concepts(words)
        for prefix in query.prefixes:
            concepts.append(Concept(prefix + "*", tuple(Alternative((term,), 1.0, "") for term in self._expand(prefix))))
        if suggested is not None:
            # A rare word with a much commoner twin ("trafficing", whose stem "traffic" exists) is
            # searched as itself and as the twin.
            twins = {word: twin for word, twin in zip(words, suggested) if twin != word}
            concepts = [Concept(c.text, (*c.alternatives, Alternative(tuple(analyze(twins[c.text])), SPELLING_WEIGHT,
                                                                      twins[c.text])), c.optional)
                        if c.text in twins else c for c in concepts]
        phrases = []
        for phrase in query.phrases:
            terms = tuple(analyze(phrase))
            if len(terms) > 1:
                phrases.append(terms)
            elif terms:  # one quoted word: that word exactly, no alternatives
                concepts.append(Concept(phrase, (Alternative(terms, 1.0, ""),)))
        ranked = rank(self.arrays, concepts, phrases, allowed, limit)
        rebuilt = " ".join([*query.filters, *(f'"{p}"' for p in query.phrases)])
        return PlainAnswer(ranked, _joined(corrected, rebuilt), _joined(suggested, rebuilt))

    def _expand(self, prefix: str) -> list[str]:
        terms = []
        for term in self.arrays.searcher.reader().expand_prefix(self.arrays.body, prefix):
            terms.append(term.decode("utf-8") if isinstance(term, bytes) else term)
            check_expansion(len(terms), prefix + "*")
        return terms

    def _spelled(self, words: list[str]) -> tuple[list[str], list[str] | None, list[str] | None]:
        """The words to search (absent words replaced by the nearest common one), the corrected
        query when one was replaced, and a suggestion when a rare word has a much commoner twin."""
        searched, suggested = list(words), list(words)
        replaced = suggests = False
        for i, word in enumerate(words):
            lower = word.lower()
            if not lower.isalpha() or len(lower) < 4 or lower in QUERY_STOP_WORDS:
                continue
            frequency = self._frequency(lower)
            if frequency > RARE:
                continue
            best = self.speller.best(lower)
            if best is None:
                continue
            twin, twin_frequency = best
            if frequency == 0:
                searched[i] = suggested[i] = twin
                replaced = True
            elif twin_frequency >= MUCH_MORE * frequency:
                suggested[i] = twin
                suggests = True
        return searched, searched if replaced else None, suggested if suggests and not replaced else None

    def _frequency(self, word: str) -> int:
        terms = analyze(word)
        return self.arrays.searcher.reader().doc_frequency(self.arrays.body, terms[0]) if len(terms) == 1 else 1


def _joined(words: list[str] | None, rest: str) -> str | None:
    return None if words is None else " ".join(filter(None, [" ".join(words), rest]))
