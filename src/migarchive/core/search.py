"""A user's query to results a person can read, by one of two paths.

Plain queries (words, phrases, filters, prefixes, NOT: what people type) are matched forgivingly
and scored as arrays (`plain_search`, `ranking`). Queries with AND, OR or parentheses are the user
asking for exactly that: Whoosh's parser, BM25F, and a retry with spelling corrections when
nothing matches. Both share the field filters (`meeting:5`, `year:2006`, `org:UNITAR`,
`kind:report`, `entity:IOM`), the limits that keep a query's work bounded, and the hits.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from whoosh import collectors, qparser
from whoosh.query import And, AndMaybe, Every, MultiTerm, Or, Phrase, Query, Term
from whoosh.searching import Results, Searcher

from migarchive.core import operator_scoring, plain_search, snippets
from migarchive.core.analysis import analyze, stem
from migarchive.core.fuzzy import edit_distance
from migarchive.core.ordinals import ORDINALS
from migarchive.core.entity_model import Entity
from migarchive.core.inline_marks import plain_inline
from migarchive.core.results import Hit, SearchResults
from migarchive.core.whoosh_parts import (
    BODY,
    RECORDS,
    AcronymExpander,
    CountingTopCollector,
    MarkdownBold,
    PassageSet,
    fragmenter,
    phrase,
)
from migarchive.core.plain_search import PlainSearcher
from migarchive.core.query_syntax import OPERATORS as OPERATORS, SYNTAX_HELP as SYNTAX_HELP
from migarchive.core.query_limits import (
    MAX_EXPANSION,
    MAX_NESTING,
    MAX_QUERY_CHARS,
    check_expansion,
    check_phrase,
    check_terms,
)
from migarchive.core.ranking import IndexArrays
from migarchive.core.vocabulary import Expansions, Speller, Thesaurus
from migarchive.errors import QuerySyntaxError, UserError


class UnknownEntityError(UserError):
    """`entity:X` names nothing the archive knows."""

TEXT_FIELDS = ("text", "section", "title")
FILTER_FIELDS = ("meeting", "year", "org", "kind", "path", "entity")
FIELD_ALIASES = {"organization": "org", "agency": "org", "heading": "section", "doc": "path", "text": "body"}
KNOWN_FIELDS = frozenset(TEXT_FIELDS + FILTER_FIELDS) | FIELD_ALIASES.keys()
# Each further passage from the same document counts for a little less, so that one long report
# does not push every other document off the first page.
SAME_DOCUMENT_DECAY = 0.8
# Forgiving matches reach further into each document: let other documents come up sooner.
PLAIN_DOCUMENT_DECAY = 0.6
_FIELD_PREFIX = re.compile(r"(?<![\w/])([A-Za-z_]+):(?=\S)")
_WORD = re.compile(r"(?<![\w:/*])[A-Za-z]{3,}(?![\w/*])")
_ENTITY_FILTER = re.compile(r'(?<![\w:])entity:(?:"([^"]+)"|(\S+))', re.I)
_MEETING_VALUE = re.compile(r"\bmeeting:([A-Za-z0-9-]+)", re.I)





class SearchEngine:
    def __init__(self, searcher: Searcher, expander: AcronymExpander, title_of: Callable[[str], str | None],
                 find_entity: Callable[[str], Entity | None] | None = None,
                 expansions: Callable[[], Expansions] | None = None,
                 meetings_by_year: Callable[[], Mapping[str, tuple[int, ...]]] | None = None) -> None:
        self._searcher = searcher
        self._find_entity = find_entity or (lambda _text: None)
        self._expander = expander
        # Made on the first plain query: analysing the thesaurus and every acronym costs tens of
        # milliseconds that opening the archive for anything else need not pay.
        self._expansions = expansions or (lambda: Expansions(Thesaurus(()), ()))
        # Asked for by a `year:` filter only: it reads every document's record.
        self._meetings_by_year = meetings_by_year or dict
        self._years: Mapping[str, tuple[int, ...]] | None = None
        self._title_of = title_of
        self._plain: PlainSearcher | None = None
        self._index_arrays: IndexArrays | None = None
        self._last_counts: Counter[Any] = Counter()
        self._passage_sets: dict[str, PassageSet] = {}
        self._parser = qparser.QueryParser(BODY, searcher.schema)
        self._parser.add_plugin(
            qparser.FieldAliasPlugin({target: [alias for alias, t in FIELD_ALIASES.items() if t == target]
                                      for target in set(FIELD_ALIASES.values())})
        )

    def search(self, query: str, limit: int = 10) -> SearchResults:
        text = normalise_query(query)
        asked = text
        text, entity_filter = self._entity_filter(text)
        plain = plain_search.parse(text)
        if plain is not None:
            results = self._search_plain(query, plain, entity_filter[0] if entity_filter else None, limit)
            if results.corrected is not None:
                # Said only of results there are, and with the agencies the query asked for: the
                # corrected words were searched within them.
                entities = " ".join(m.group(0) for m in _ENTITY_FILTER.finditer(asked))
                results = replace(results, corrected=" ".join(filter(None, [entities, results.corrected]))
                                  if results.total else None)
            return results
        q = self._parse(text) if text.strip() else Every()
        if entity_filter is not None:
            required, surfaces = entity_filter
            # The surfaces only rank and highlight: a mention may be a typo ("UNCHR") they miss.
            q = AndMaybe(And([q, required]), surfaces) if not isinstance(q, Every) else AndMaybe(required, surfaces)
        total, documents, hits = self._run(q, limit)
        corrected = None
        if total == 0 and text.strip():
            suggestion = self._correct(text)
            if suggestion is not None:
                corrected_q = self._parse(suggestion)
                if entity_filter is not None:
                    corrected_q = AndMaybe(And([corrected_q, entity_filter[0]]), entity_filter[1])
                total, documents, hits = self._run(corrected_q, limit)
                corrected = suggestion if total else None
                if not total:
                    total, documents, hits = 0, 0, ()
        counts = {path if isinstance(path, str) else path.decode("utf-8"): n
                  for path, n in self._last_counts.items()} if total else {}
        return SearchResults(query, corrected, total, documents, hits, per_document=counts)

    def _search_plain(self, query: str, plain: plain_search.PlainQuery, entity: Query | None,
                      limit: int) -> SearchResults:
        for token in plain.filters:
            self._check_size(self._parser.parse(token))
        check_terms(len(plain.words) + sum(len(p.split()) for p in plain.phrases))
        for quoted in plain.phrases:
            check_phrase(len(quoted.split()))
        answer = self._plain_searcher().search(plain, entity, max(limit, 1) * 3 + 20)
        ranked = answer.ranked
        seen: Counter[int] = Counter()  # hits so far per document, by its number in `arrays.document`
        window = []
        documents = self._arrays().document[ranked.docnums].tolist()
        for docnum, score, tier, document in zip(ranked.docnums.tolist(), ranked.scores.tolist(),
                                                 ranked.tiers.tolist(), documents):
            window.append((tier, score * PLAIN_DOCUMENT_DECAY ** seen[document], docnum))
            seen[document] += 1
        window.sort(key=lambda item: (-item[0], -item[1], item[2]))
        terms = ranked.matched_terms
        join = re.compile(r"\*\*([^*]+)\*\* (" + "|".join(map(re.escape, sorted(ranked.joiners))) + r") \*\*", re.I) \
            if ranked.joiners else None
        hits = tuple(self._hit_of(docnum, score, terms, join) for _tier, score, docnum in window[:limit])
        return SearchResults(query, answer.corrected, ranked.total, ranked.documents, hits, ranked.loosened,
                             ranked.expanded, answer.suggestion, ranked.complete, ranked.per_document)

    def _plain_searcher(self) -> PlainSearcher:
        if self._plain is None:
            reader = self._searcher.reader()
            arrays = self._arrays()
            speller = Speller(self._spelling_words, lambda word: reader.doc_frequency(BODY, stem(word)))
            self._plain = PlainSearcher(arrays, self._expansions(), speller,
                                        lambda token: self._with_meeting_years(self._parser.parse(token)))
        return self._plain

    def _spelling_words(self) -> list[str]:
        """The words spelling suggestions may offer, from the "spelling" records that store them."""
        words: list[str] = []
        for docnum in self._arrays().postings("doctype", b"spelling")[0].tolist():
            stored = self._searcher.stored_fields(docnum).get("spell")
            if not isinstance(stored, str):  # written before the words were stored: the slow way
                return [t.decode("utf-8") for t in self._searcher.reader().lexicon("spell")]
            words.extend(stored.split())
        return words

    def _arrays(self) -> IndexArrays:
        if self._index_arrays is None:
            self._index_arrays = IndexArrays(self._searcher, BODY)
        return self._index_arrays

    def _with_meeting_years(self, q: Query) -> Query:
        """`year:2007` also finds documents with no date of their own under a meeting held in 2007."""
        def widen(node: Query) -> Query:
            if isinstance(node, Term) and node.fieldname == "year":
                if self._years is None:
                    self._years = self._meetings_by_year()
                meetings = self._years.get(str(node.text), ())
                if meetings:
                    return Or([node, *(Term("meeting", str(n)) for n in meetings)])
            return node
        return q.accept(widen)

    def _hit_of(self, docnum: int, score: float, terms: frozenset[str], join: re.Pattern[str] | None) -> Hit:
        fields = self._searcher.stored_fields(docnum)
        text = plain_inline(fields.get("text", ""), keep_bold=False)  # as the reader shows it
        snippet = snippets.snippet(text, terms) if terms else ""
        snippet = " ".join(snippet.split()).replace("** **", " ")
        if join is not None:  # "**International Organization** for **Migration**" is one name
            snippet = join.sub(r"**\1 \2 ", snippet)
        return self._hit_from(fields, score, snippet or _opening(text))

    def _entity_filter(self, text: str) -> tuple[str, tuple[Query, Query] | None]:
        """`entity:IOM` becomes: passages where the entity is mentioned, aliases and typos included."""
        clauses: list[tuple[Query, Query]] = []

        def take(match: re.Match[str]) -> str:
            name = match.group(1) or match.group(2)
            entity = self._find_entity(name)
            if entity is None:
                raise UnknownEntityError(f"no agency or initiative called '{name}' in this archive "
                                         "(see `migarchive entities`)")
            passages = self._passage_sets.get(entity.name)
            if passages is None:
                passages = PassageSet(f"{m.path}#{m.passage_id}" for m in entity.mentions)
                self._passage_sets[entity.name] = passages  # it remembers the document numbers
            forms = {tuple(analyze(f)) for f in {entity.name, *entity.aliases, *filter(None, [entity.acronym])}}
            # One-word forms (the acronym) rank and highlight as well as the phrases, for a fraction
            # of the cost of matching phrases in thousands of passages.
            words = sorted(f for f in forms if f and not f[1:]) or sorted(f for f in forms if f)
            clauses.append((passages, Or([phrase(BODY, form) for form in words])))
            return " "
        rest = _ENTITY_FILTER.sub(take, text)
        if not clauses:
            return text, None
        return rest, (And([c[0] for c in clauses]), Or([c[1] for c in clauses]))

    def _parse(self, text: str) -> Query:
        try:
            parsed = self._with_meeting_years(self._parser.parse(text))
        except Exception as exc:  # noqa: BLE001 - Whoosh's parser fails in its own ways ("NOT NOT x")
            raise QuerySyntaxError("cannot read the query: check its operators (NOT NOT, a dangling OR) and "
                                   f"parentheses. Syntax: {SYNTAX_HELP}") from exc
        self._check_size(parsed)
        return self._expander.expand(parsed)

    def _check_size(self, q: Query) -> None:
        """Refuse a query whose work would not be bounded: too many words, a phrase too long, a
        prefix standing for too many words. Walked with a stack: the depth is the user's."""
        reader = self._searcher.reader()
        terms = 0
        stack = [q]
        while stack:
            node = stack.pop()
            if isinstance(node, Phrase):
                check_phrase(len(node.words))
                terms += len(node.words)
            elif isinstance(node, MultiTerm):
                expanded = sum(1 for _ in itertools.islice(node._btexts(reader), MAX_EXPANSION + 1))
                check_expansion(expanded, f"{node.text}*" if type(node).__name__ == "Prefix" else node.text)
                terms += 1
            elif node.is_leaf():
                terms += 1
            else:
                stack.extend(node.children())
            check_terms(terms)

    def _run(self, q: Query, limit: int) -> tuple[int, int, tuple[Hit, ...]]:
        # Per-file records share the index with passages; masking them out is cheap (one per file),
        # where intersecting every query with "is a passage" walked every passage.
        # Fetch more than asked so the per-document decay can bring other documents up.
        wanted = max(limit, 1) * 3 + 20
        arrays = self._arrays()
        scored = operator_scoring.scored_matches(self._searcher, q)
        if scored is not None:  # the same scores, order and count as Whoosh's collector gives
            passages = arrays.passage[scored[0]]  # what the filter of RECORDS lets through
            scored = (scored[0][passages], scored[1][passages])
            matched: Any = scored[0]
            results = Results(self._searcher, q, operator_scoring.top(scored, wanted))
        else:
            top = CountingTopCollector(limit=wanted)
            self._searcher.search_with_collector(q, collectors.FilterCollector(top, restrict=RECORDS))
            matched, results = top.matched, top.results()
        results.fragmenter = fragmenter()
        results.formatter = MarkdownBold()
        seen: Counter[str] = Counter()
        ranked = []
        for hit in results:
            path = hit["path"]
            ranked.append((hit.score * SAME_DOCUMENT_DECAY ** seen[path], hit))
            seen[path] += 1
        ranked.sort(key=lambda pair: -pair[0])
        hits = tuple(self._hit(hit, score) for score, hit in ranked[:limit])
        counts = np.bincount(arrays.document[np.asarray(matched, dtype=np.int64)], minlength=arrays.documents)
        present = np.flatnonzero(counts)
        self._last_counts = Counter(dict(zip((arrays.paths[i] for i in present.tolist()), counts[present].tolist())))
        return len(matched), len(self._last_counts), hits

    def _hit(self, hit: object, score: float) -> Hit:
        fields = hit.fields()  # type: ignore[attr-defined]
        text = plain_inline(fields.get("text", ""), keep_bold=False)  # as the reader shows it
        return self._hit_from(fields, score, hit.highlights(BODY, text=text, top=2) or _opening(text))  # type: ignore[attr-defined]

    def _hit_from(self, fields: Mapping[str, Any], score: float, snippet: str) -> Hit:
        return Hit(
            path=fields["path"],
            title=self._title_of(fields["path"]) or fields.get("title", ""),
            meeting=int(fields["meeting"]) if fields.get("meeting") else None,
            section=fields.get("section") or None,
            section_id=fields.get("section_id"),
            passage_id=fields["passage_id"],
            score=round(score, 4),
            snippet=" ".join(snippet.split()).replace("** **", " "),
            page=fields.get("page"),
        )

    def _correct(self, text: str) -> str | None:
        """The query with each word the corpus never uses replaced by the nearest word it does."""
        reader = self._searcher.reader()
        corrector = self._searcher.corrector("spell")  # the unstemmed words of each document

        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            if word in OPERATORS or match.end() < len(text) and text[match.end()] == ":":
                return word
            if ("spell", word.lower()) in reader:
                return word
            near = self._plain_searcher().speller.best(word.lower())  # one edit away: well under a millisecond
            if near is not None:
                return near[0]
            # Two edits away: Whoosh's corrector, which compares the word with every word (slow, and rare).
            candidates = corrector.suggest(word.lower(), limit=12)
            if not candidates:
                return word
            # Whoosh returns candidates within the edit distance unordered by closeness; prefer the
            # closest, then the most common in the corpus.
            return str(min(candidates, key=lambda c: (edit_distance(word.lower(), c),
                                                      -reader.doc_frequency(BODY, stem(c)))))

        corrected = _WORD.sub(fix, text)
        return corrected if corrected != text else None


def normalise_query(query: str) -> str:
    """Check what Whoosh would silently misread, and spell `meeting:second` as `meeting:2`."""
    text = query.strip()
    if not text:
        raise QuerySyntaxError("empty query; try words, a \"phrase\", or a filter such as meeting:5")
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    if "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise QuerySyntaxError("the query contains characters that are not text (NUL or a lone surrogate)")
    if text.count('"') % 2:
        raise QuerySyntaxError('unbalanced quote (") in the query')
    depth = deepest = 0
    for char in re.sub(r'"[^"]*"', "", text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
        if depth < 0:
            break
    if depth != 0:
        raise QuerySyntaxError("unbalanced parentheses in the query")
    if deepest > MAX_NESTING:
        raise QuerySyntaxError(f"parentheses nested {deepest} deep; the limit is {MAX_NESTING}")
    for match in _FIELD_PREFIX.finditer(re.sub(r'"[^"]*"', "", text)):
        if match.group(1).lower() not in KNOWN_FIELDS:
            raise QuerySyntaxError(
                f"unknown field '{match.group(1)}:'; known fields: {', '.join(sorted(KNOWN_FIELDS))}"
            )
    return _MEETING_VALUE.sub(lambda m: f"meeting:{_meeting_number(m.group(1))}", text)


def _meeting_number(value: str) -> str:
    word = value.lower()
    if word in ORDINALS:
        return str(ORDINALS[word])
    digits = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", word)
    return digits.group(1) if digits else value


def _opening(text: str, length: int = 200) -> str:
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + " …"
