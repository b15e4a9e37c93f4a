"""The words of a query and what else they may be written as: the field's thesaurus, acronyms and
their long forms (both ways), and spelling corrections from the archive's own words.

A query becomes a list of `Concept`s: one per word the user typed, or one for a run of words that
names one thing ("people smuggling", "United Nations Children's Fund"). Each concept has
alternatives, each a set of index terms that must all occur in a passage, with a weight below
the user's own words (1.0). Query stop words ("which", "the", "being") are concepts that need not
match.
"""

from __future__ import annotations

import itertools
import json
import string
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh.analysis import STOP_WORDS

from migarchive.core.analysis import analyze, first_term, stem
from migarchive.errors import UserError
from migarchive.paths import resources_dir

FILE_NAME = "thesaurus.json"
DEFAULT_WEIGHT = 0.6
NARROWER_FACTOR = 0.6  # narrower terms count for this much of their group's weight
ACRONYM_WEIGHT = 0.9  # an acronym and its long form name the same body: nearly the user's words
SPELLING_WEIGHT = 0.9
# Words a question is made of that carry no topic: they may match, they need not.
QUERY_STOP_WORDS = frozenset(STOP_WORDS) | {
    "which", "what", "where", "who", "whom", "whose", "why", "how", "does", "did", "do", "was", "were",
    "been", "being", "there", "their", "any", "some", "about", "tell", "me", "show", "find", "please",
    "list", "all", "its", "into", "has", "had", "they", "them", "these", "those", "than", "then", "so",
    "such", "also", "our", "my", "i", "many", "much",
}
_STOP_TERMS = frozenset(stem(word) for word in QUERY_STOP_WORDS) | QUERY_STOP_WORDS
_MAX_SPAN = 8  # words in the longest name or thesaurus term matched in a query


@dataclass(frozen=True)
class Alternative:
    terms: tuple[str, ...]  # index terms that must all occur
    weight: float
    label: str  # how it is shown ("also searched: …"); "" for the user's own words
    joiners: tuple[str, ...] = ()  # its small words ("for", "of"), which snippets bold between its words


@dataclass(frozen=True)
class Concept:
    text: str  # the words of the query it stands for
    alternatives: tuple[Alternative, ...]  # the user's own words first
    optional: bool = False  # a stop word: scores when present, need not be


@dataclass(frozen=True)
class Thesaurus:
    groups: tuple[tuple[tuple[str, ...], tuple[str, ...], float], ...]  # (terms, narrower, weight)


def load_thesaurus(extra_dir: Path | None = None) -> Thesaurus:
    """The bundled thesaurus, plus the user's `thesaurus.json` in `extra_dir` (the data directory)."""
    sources = [resources_dir() / FILE_NAME]
    if extra_dir is not None and (extra_dir / FILE_NAME).is_file():
        sources.append(extra_dir / FILE_NAME)
    groups = []
    for source in sources:
        try:
            raw = source.read_bytes()
            data = json.loads(raw.decode("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise UserError(f"cannot read the thesaurus {source}: {exc}") from exc
        for item in data.get("groups", []) if isinstance(data, dict) else []:
            terms, narrower, weight = item.get("terms"), item.get("narrower", []), item.get("weight", DEFAULT_WEIGHT)
            if (not isinstance(terms, list) or not all(isinstance(t, str) for t in terms) or len(terms) < 1
                    or not isinstance(narrower, list) or not all(isinstance(t, str) for t in narrower)
                    or isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 1):
                raise UserError(f"{source}: each group needs 'terms' (a list of words), optional 'narrower' "
                                f"(a list) and a 'weight' between 0 and 1: {item!r}"[:300])
            groups.append((tuple(terms), tuple(narrower), float(weight)))
    # Only queries read it: the index need not know when it changes, so no digest.
    return Thesaurus(tuple(groups))


def _content(terms: Iterable[str]) -> tuple[str, ...]:
    """Terms without stop words: what a phrase alternative requires (in any order)."""
    kept = tuple(t for t in terms if t not in _STOP_TERMS)
    return kept or tuple(terms)


def _phrase(terms: tuple[str, ...], weight: float, label: str) -> Alternative:
    content = _content(terms)
    return Alternative(content, weight, label, tuple(t for t in terms if t not in content))


Stamp = tuple[int, int]  # (source, step within it): when eager construction would have added it


class Expansions:
    """From a run of query terms to its alternatives: thesaurus groups, acronyms ⇄ long forms.

    The sources (thesaurus groups, then acronym definitions) are analysed on the first query that
    holds the first term of one of their names: a run of terms can only be a name whose first term
    it starts with. Analysing all of them at once (~900 at 2,000 documents) was 23 ms of every
    command-line search. What a query gets is what analysing every source in order would give:
    each alternative remembers when that would have added it (`Stamp`), so the winner of equal
    weights and the order of alternatives do not depend on which queries came first."""

    def __init__(self, thesaurus: Thesaurus, acronyms: Iterable[tuple[str, str]]) -> None:
        self._groups = thesaurus.groups
        self._acronyms = list(acronyms)
        # key -> alternative terms -> (first stamp, winner's stamp, winner)
        self._by_terms: dict[tuple[str, ...], dict[tuple[str, ...], tuple[Stamp, Stamp, Alternative]]] = {}
        self._waiting: dict[str, list[int]] | None = None  # first term of a name -> sources not analysed
        self._lock = threading.Lock()  # the window's searches may run on two threads

    def _names(self, source: int) -> Iterable[str]:
        """The texts of a source that are looked up as keys."""
        if source < len(self._groups):
            return self._groups[source][0]
        return self._acronyms[source - len(self._groups)]

    def _wait(self) -> dict[str, list[int]]:
        if self._waiting is None:
            self._waiting = {}
            for source in range(len(self._groups) + len(self._acronyms)):
                for first in dict.fromkeys(map(first_term, self._names(source))):
                    if first is not None:
                        self._waiting.setdefault(first, []).append(source)
        return self._waiting

    def _analyse(self, source: int) -> None:
        step = itertools.count()
        if source < len(self._groups):
            terms, narrower, weight = self._groups[source]
            analysed = [(tuple(analyze(t)), t) for t in terms]
            below = [(tuple(analyze(t)), t) for t in narrower]
            for key, _ in analysed:
                for other, label in analysed:
                    if other and other != key:
                        self._add(key, _phrase(other, weight, label), (source, next(step)))
                for other, label in below:
                    if other and other != key:
                        self._add(key, _phrase(other, weight * NARROWER_FACTOR, label), (source, next(step)))
            return
        acronym, long_form = self._acronyms[source - len(self._groups)]
        short, long = tuple(analyze(acronym)), tuple(analyze(long_form))
        if short and len(long) > 1 and short != long:
            self._add(short, _phrase(long, ACRONYM_WEIGHT, long_form), (source, 0))
            self._add(long, Alternative(short, ACRONYM_WEIGHT, acronym), (source, 1))

    def _add(self, key: tuple[str, ...], alternative: Alternative, stamp: Stamp) -> None:
        if key and 0 < len(key) <= _MAX_SPAN:
            found = self._by_terms.setdefault(key, {})
            known = found.get(alternative.terms)
            if known is None:
                found[alternative.terms] = (stamp, stamp, alternative)
                return
            first, won, winner = known
            # The highest weight wins, and of equal weights the one added first.
            if alternative.weight > winner.weight or (alternative.weight == winner.weight and stamp < won):
                won, winner = stamp, alternative
            found[alternative.terms] = (min(first, stamp), won, winner)

    def _alternatives(self, terms: tuple[str, ...]) -> list[Alternative]:
        found = self._by_terms.get(terms)
        return [winner for _, _, winner in sorted(found.values(), key=lambda known: known[0])] if found else []

    def concepts(self, words: list[str]) -> list[Concept]:
        """The query's words as concepts, joining the longest runs that name one thing."""
        analysed = [tuple(analyze(word)) for word in words]
        with self._lock:
            waiting = self._wait()
            for term in {t for part in analysed for t in part}:
                for source in waiting.pop(term, ()):
                    self._analyse(source)
            return self._concepts(words, analysed)

    def _concepts(self, words: list[str], analysed: list[tuple[str, ...]]) -> list[Concept]:
        concepts: list[Concept] = []
        i = 0
        while i < len(words):
            for length in range(min(_MAX_SPAN, len(words) - i), 0, -1):
                terms = tuple(t for part in analysed[i:i + length] for t in part)
                expansions = self._alternatives(terms) if terms else []
                if expansions or length == 1:
                    text = " ".join(words[i:i + length])
                    optional = length == 1 and words[i].lower().strip(string.punctuation) in QUERY_STOP_WORDS
                    own = _phrase(terms, 1.0, "") if length > 1 else Alternative(terms, 1.0, "")
                    # An alternative holding all of the user's words only narrows them: left out.
                    others = tuple(a for a in expansions if not set(own.terms) <= set(a.terms))
                    if terms:
                        concepts.append(Concept(text, (own, *others), optional))
                    i += length
                    break
        return concepts


class Speller:
    """Spelling suggestions from the archive's own words, one edit away (deletion, insertion,
    substitution, transposition): the edits of the word are generated and looked up, which takes
    well under a millisecond, where comparing the word with every word of the archive took a second."""

    ALPHABET = string.ascii_lowercase

    def __init__(self, words: Callable[[], Iterable[str]], frequency: Callable[[str], int]) -> None:
        self._load = words
        self._words: frozenset[str] | None = None
        self._frequency = frequency

    def _vocabulary(self) -> frozenset[str]:
        if self._words is None:
            self._words = frozenset(self._load())
        return self._words

    def best(self, word: str) -> tuple[str, int] | None:
        """The most frequent word one edit from `word`, with its frequency, or None."""
        word = word.lower()
        vocabulary = self._vocabulary()
        candidates = {edit for edit in _edits(word, self.ALPHABET) if edit in vocabulary and edit != word}
        if not candidates:
            return None
        scored = [(self._frequency(c), c) for c in sorted(candidates)]
        frequency, best = max(scored)
        return (best, frequency) if frequency > 0 else None


def _edits(word: str, alphabet: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in alphabet]
    inserts = [a + c + b for a, b in splits for c in alphabet]
    return set(deletes + transposes + replaces + inserts)
