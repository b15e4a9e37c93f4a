"""Expansions analyse their sources on the first query that needs them: what a query gets must be
what analysing every source first gives, whatever queries came before."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from migarchive.core import gazetteer
from migarchive.core.analysis import analyze
from migarchive.core.vocabulary import (
    _MAX_SPAN,
    ACRONYM_WEIGHT,
    NARROWER_FACTOR,
    QUERY_STOP_WORDS,
    Alternative,
    Concept,
    Expansions,
    Thesaurus,
    _phrase,
    load_thesaurus,
)


def eager_concepts(thesaurus: Thesaurus, acronyms: list[tuple[str, str]], words: list[str]) -> list[Concept]:
    """The former construction: every source analysed up front, in order, then looked up."""
    by_terms: dict[tuple[str, ...], dict[tuple[str, ...], Alternative]] = {}

    def add(key: tuple[str, ...], alternative: Alternative) -> None:
        if key and 0 < len(key) <= _MAX_SPAN:
            found = by_terms.setdefault(key, {})
            known = found.get(alternative.terms)
            if known is None or known.weight < alternative.weight:
                found[alternative.terms] = alternative

    for terms, narrower, weight in thesaurus.groups:
        analysed = [(tuple(analyze(t)), t) for t in terms]
        below = [(tuple(analyze(t)), t) for t in narrower]
        for key, _ in analysed:
            for other, label in analysed:
                if other and other != key:
                    add(key, _phrase(other, weight, label))
            for other, label in below:
                if other and other != key:
                    add(key, _phrase(other, weight * NARROWER_FACTOR, label))
    for acronym, long_form in acronyms:
        short, long = tuple(analyze(acronym)), tuple(analyze(long_form))
        if short and len(long) > 1 and short != long:
            add(short, _phrase(long, ACRONYM_WEIGHT, long_form))
            add(long, Alternative(short, ACRONYM_WEIGHT, acronym))
    analysed_words = [tuple(analyze(word)) for word in words]
    concepts: list[Concept] = []
    i = 0
    while i < len(words):
        for length in range(min(_MAX_SPAN, len(words) - i), 0, -1):
            terms = tuple(t for part in analysed_words[i:i + length] for t in part)
            expansions = by_terms.get(terms) if terms else None
            if expansions or length == 1:
                optional = length == 1 and words[i].lower().strip(string.punctuation) in QUERY_STOP_WORDS
                own = _phrase(terms, 1.0, "") if length > 1 else Alternative(terms, 1.0, "")
                others = tuple(a for a in (expansions or {}).values() if not set(own.terms) <= set(a.terms))
                if terms:
                    concepts.append(Concept(" ".join(words[i:i + length]), (own, *others), optional))
                i += length
                break
    return concepts


THESAURUS = load_thesaurus()
KNOWN = [(e.acronym, name) for e in gazetteer.load().entries if e.acronym for name in (e.name, *e.aliases)]
NAMES = [name for pair in KNOWN for name in pair] + [t for group in THESAURUS.groups for t in group[0] + group[1]]
WORDS = sorted({w for name in NAMES for w in name.split()} | {"the", "of", "migration", "Migrant's"})

# Definitions as documents write them, clashing on purpose: one acronym for two long forms, one long
# form for two acronyms, a long form that is a thesaurus term, and names sharing their first word.
definitions = st.lists(st.tuples(st.sampled_from([a for a, _ in KNOWN] + ["ABC", "Abc", "GMG"]),
                                 st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)),
                       max_size=40)
# Queries of words from those names, whole runs of a name among them.
query = st.lists(st.sampled_from(WORDS) | st.sampled_from(NAMES).map(str.split).map(" ".join),
                 min_size=1, max_size=6).map(lambda parts: " ".join(parts).split())


@settings(max_examples=150, deadline=None)
@given(definitions, st.lists(query, min_size=1, max_size=6), st.booleans())
def test_expansions_analysed_on_demand_give_what_analysing_all_first_gives(defined, queries, real_thesaurus):
    thesaurus = THESAURUS if real_thesaurus else Thesaurus(THESAURUS.groups[:3])
    acronyms = [*KNOWN, *dict.fromkeys(defined)]
    expansions = Expansions(thesaurus, acronyms)
    for words in queries:
        assert expansions.concepts(words) == eager_concepts(thesaurus, acronyms, words)


def test_a_long_form_expands_to_its_acronym_and_back():
    expansions = Expansions(Thesaurus(()), [("IOM", "International Organization for Migration")])
    [concept] = expansions.concepts("International Organization for Migration".split())
    assert [a.label for a in concept.alternatives] == ["", "IOM"]
    [concept] = expansions.concepts(["IOM"])
    assert [a.label for a in concept.alternatives] == ["", "International Organization for Migration"]
