"""Agencies and initiatives across the archive: candidates resolved to one entry per real entity.

Resolution uses everything the archive knows at once: the gazetteer, every document's acronym
definitions, and the candidates each document yielded at index time. An acronym is read first by
its own document's definition ("GCM" is the Global Coalition on Migration in 002), then by the
archive's; an unknown acronym one letter away from one the document uses is taken as its typo
("UNCHR" beside UNHCR).
"""

from __future__ import annotations

import pickle
import re
from functools import lru_cache, partial
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from migarchive.core.entity_model import Entity as Entity, Mention as Mention
from migarchive.core.fuzzy import edit_distance
from migarchive.core.gazetteer import Gazetteer, normalise_acronym, normalise_name
from migarchive.core.mentions import ACRONYM, KNOWN, NAME
from migarchive.core.model import Defining, DocPath, DocumentInfo
from migarchive.core.names import ordinal_rank
from migarchive.core.registry import (
    NOT_AN_ENTITY,
    Builder,
    Key,
    Registry,
    Shadow,
    acronym_like,
    fingerprint,
    fingerprints,
    is_edition,
)


_LEADING_THE = re.compile(r"^(?i:the)\s+")
_QUOTES = re.compile(r"[“”\"]")


_PRIORITY = {KNOWN: 0, NAME: 1, ACRONYM: 2}


def resolve(infos: Iterable[DocumentInfo | Defining], gazetteer: Gazetteer,
            candidates: Mapping[DocPath, tuple[Any, ...]]) -> list[Entity]:
    """The entities of `infos`, given each document's candidates (`mentions.find_candidates`)."""
    return resolve_again(infos, gazetteer, None, lambda path: candidates.get(path, ()))[0]


RESOLVED_FORMAT = 4  # of what `Resolved` holds per document, as saved between runs


@dataclass(frozen=True)
class Resolved:
    """What resolving left for the next update: the registry the definitions made (by digest),
    and per document the version resolved, what it added to the registry, its mentions, what its
    own definitions named, and what in the registry it looked at (`registry.fingerprints`).

    The mentions are kept pickled: only gathering entities reads them, and an update, which loads
    and saves the resolution of every document to resolve one again, spent four fifths of loading
    it on making the mentions' tuples (24 of 29 ms at 2,000 documents)."""

    registry: str
    documents: dict[DocPath, tuple[tuple[str, Any], tuple[Any, ...], bytes, tuple[Any, ...], frozenset[int]]]


def resolve_again(infos: Iterable[DocumentInfo | Defining], gazetteer: Gazetteer, before: Resolved | None,
                  candidates_of: Callable[[DocPath], tuple[Any, ...]]) -> tuple[list[Entity], Resolved]:
    """The entities of `infos`, exactly as a resolution from scratch finds them, reusing `before`
    (the last resolution); see `resolve_documents`."""
    resolution = resolve_documents(infos, gazetteer, before, candidates_of)
    return resolution.entities(), resolution.resolved


class Resolution:
    """A resolution's documents (`resolved`, what the next update reuses) and the registry they
    were resolved against, from which the entities are made when first asked for: an update
    saves what it resolved, and only a reader of entities (the window, `migarchive entities`)
    pays for gathering the archive's hundreds of thousands of mentions into them."""

    def __init__(self, registry: Registry, resolved: Resolved) -> None:
        self._registry: Registry | None = registry
        self.resolved = resolved
        self._entities: list[Entity] | None = None

    def entities(self) -> list[Entity]:
        if self._entities is None:
            registry, self._registry = self._registry, None  # gathering fills its builders: once
            assert registry is not None
            self._entities = _gather(registry, self.resolved)
        return self._entities


def resolve_documents(infos: Iterable[DocumentInfo | Defining], gazetteer: Gazetteer, before: Resolved | None,
                      candidates_of: Callable[[DocPath], tuple[Any, ...]]) -> Resolution:
    """The documents of `infos` resolved, exactly as a resolution from scratch resolves them,
    reusing `before` (the last resolution).

    First every definition is registered; then documents are resolved in path order, each seeing
    what those before it added to the registry. If the definitions made the same registry as last
    time, an unchanged document (same version, its definitions naming the same) is taken as it
    was, its additions replayed and its mentions kept, unless something it looked at in the
    registry may differ from last time at that point: added, or no longer added, by a document
    before it that was added, removed or resolved differently. `candidates_of(path)` gives a
    document's candidates; it is asked only for the documents resolved again. A document is given
    as its record or, read from the saved records without making them, as what resolving needs
    of it (`Defining`)."""
    ordered = sorted((d if isinstance(d, Defining) else d.defining() for d in infos), key=lambda d: d.path)
    registry = Registry(gazetteer)
    local: dict[tuple[str, str], str] = {}
    named: dict[str, list[tuple[str, str]]] = {}
    for info in ordered:
        for acronym, long_form in info.definitions:
            key = normalise_acronym(acronym)
            entity_id = local[(info.path, key)] = registry.define(acronym, long_form)
            named.setdefault(info.path, []).append((key, entity_id))
    digest = registry.digest()
    known = before.documents if before is not None and before.registry == digest else {}
    current = {info.path for info in ordered}
    gone = sorted(path for path in known if path not in current)
    differ = _Differences(dict(registry.shortenings))
    documents = {}
    for info in ordered:
        while gone and gone[0] < info.path:  # a removed document no longer adds what it added
            differ.take(known[gone.pop(0)][1], ())
        version, last = info.version, known.get(info.path)
        own = tuple(named.get(info.path, ()))
        if last is not None and last[0] == version and last[3] == own and differ.keys.isdisjoint(last[4]):
            registry.replay(last[1])
            documents[info.path] = last
            differ.take(last[1], last[1])
            continue
        registry.log, registry.reads = [], set()
        mentions = _decide(info.path, candidates_of(info.path), registry, local)
        added, looked_at = tuple(registry.log), fingerprints(registry.reads)
        registry.log = registry.reads = None
        differ.take(last[1] if last is not None else (), added)
        documents[info.path] = (version, added, pickle.dumps(mentions, pickle.HIGHEST_PROTOCOL), own, looked_at)
    return Resolution(registry, Resolved(digest, documents))


def _gather(registry: Registry, resolved: Resolved) -> list[Entity]:
    """The entities the documents of `resolved` name, their mentions counted into the builders
    of the `registry` they were resolved against."""
    make = partial(tuple.__new__, Mention)  # no Python frame per mention, as Mention(*m) has
    for _version, _added, mentions, _own, _looked_at in resolved.documents.values():
        for entity_id, edition, written, mention in pickle.loads(mentions):  # noqa: S301 - made by us
            builder = registry.builders[entity_id]
            (builder.editions if edition else builder.surfaces)[written] += 1
            builder.mentions.append(make(mention))
    found = [_finish(b) for b in registry.builders.values() if b.mentions]
    return sorted(found, key=lambda e: (e.system, -len(e.mentions), e.name.lower()))


class _Differences:
    """The keys of the registry whose value differs, at the current point, between the last
    resolution and this one (as fingerprints, in `keys`)."""

    def __init__(self, base_shortenings: dict[str, str]) -> None:
        self._then, self._now = Shadow(base_shortenings), Shadow(base_shortenings)
        self._differing: set[Key] = set()
        self._by_number: dict[int, int] = {}  # fingerprint → keys with it that differ
        self.keys: set[int] = set()

    def take(self, then: tuple[tuple[str, str, str | None, str | None], ...],
             now: tuple[tuple[str, str, str | None, str | None], ...]) -> None:
        """One document's additions, last time (`then`) and this time (`now`)."""
        if then == now:
            # The same additions on both sides keep equal keys equal: only those that differ
            # already may change (a shortening both sides now find ambiguous). Most documents.
            touched = self._then.apply(then)
            self._now.apply(now)
            for key in self._differing.intersection(touched):
                self._check(key)
            return
        for key in [*self._then.apply(then), *self._now.apply(now)]:
            self._check(key)

    def _check(self, key: Key) -> None:
        differs = self._then.value(key) != self._now.value(key)
        if differs == (key in self._differing):
            return
        number = fingerprint(key)
        if differs:
            self._differing.add(key)
            self._by_number[number] = self._by_number.get(number, 0) + 1
            self.keys.add(number)
        else:
            self._differing.discard(key)
            self._by_number[number] -= 1
            if not self._by_number[number]:
                self.keys.discard(number)


def _decide(path: str, candidates: Iterable[tuple[Any, ...]], registry: Registry,
            local: dict[tuple[str, str], str]) -> tuple[tuple[str, bool, str, tuple[Any, ...]], ...]:
    """A document's mentions: (entity id, an edition?, the name as written, the mention)."""
    # Candidates are read as plain tuples (form, surface, start, end, passage id, kind): after an
    # update they come from the saved state as such, and making hundreds of thousands of named
    # tuples again would cost more than resolving them.
    resolved: list[tuple[tuple[Any, ...], str]] = []
    typos: list[tuple[Any, ...]] = []
    for candidate in sorted(candidates, key=lambda c: (_PRIORITY[c[0]], c[2] - c[3])):
        form, surface, _start, _end, _passage, kind = candidate
        if form == ACRONYM:
            key = normalise_acronym(surface)
            entity_id = local.get((path, key))
            if entity_id is None:
                ids = registry.by_acronym.get(key, [])
                entity_id = ids[0] if ids else None
            if entity_id is None:
                typos.append(candidate)
                continue
        elif form == KNOWN:
            entity_id = registry.lookup_name(surface)
        else:
            entity_id = registry.name_entity(surface, kind or "")
        if entity_id is not None and entity_id != NOT_AN_ENTITY:
            resolved.append((candidate, entity_id))
    if typos:  # the neighbours of a document's acronyms, only for a document with unknown ones
        present = _Neighbours({normalise_acronym(c[1]): e for c, e in resolved if c[0] == ACRONYM})
        nearest: dict[str, str | None] = {}  # a typo tends to recur in its document
        for candidate in typos:
            key = normalise_acronym(candidate[1])
            if not _TYPO_MIN <= len(key) <= _TYPO_MAX:
                continue
            if key not in nearest:
                close = {e for acronym, e in present.near(key) if _one_typo_apart(key, acronym)}
                nearest[key] = close.pop() if len(close) == 1 else None
            found = nearest[key]
            if found is not None:
                resolved.append((candidate, found))
    mentions = []
    for (_form, surface, start, end, passage_id, _kind), entity_id in _without_overlaps(resolved):
        surface, written = _spellings(surface)
        edition = is_edition(written) and not registry.has_name(normalise_name(written))
        mentions.append((entity_id, edition, written, (path, passage_id, start, end, surface)))
    return tuple(mentions)


_TYPO_MIN, _TYPO_MAX = 4, 12  # shorter acronyms are too alike; longer tokens are not acronyms


class _Neighbours:
    """The acronyms a document uses, found by any of their one-letter deletions: two words one
    edit apart share one of these keys, so a typo is compared with a few acronyms, not with all
    those of its document (which made a document with thousands of each take minutes)."""

    def __init__(self, acronyms: dict[str, str]) -> None:
        self._by_key: dict[str, list[tuple[str, str]]] = {}
        for acronym, entity_id in acronyms.items():
            if len(acronym) <= _TYPO_MAX + 1:
                for key in _deletions(acronym):
                    self._by_key.setdefault(key, []).append((acronym, entity_id))

    def near(self, word: str) -> set[tuple[str, str]]:
        return {pair for key in _deletions(word) for pair in self._by_key.get(key, ())}


def _deletions(word: str) -> set[str]:
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


@lru_cache(maxsize=65536)
def _spellings(surface: str) -> tuple[str, str]:
    """A mention's surface without a leading "the", and the same as a name or alias, also without
    the quotes round some of its words ("“Key Migration Issues” Workshop Series"). Cached: the
    same few thousand surfaces recur across the archive."""
    surface = _LEADING_THE.sub("", surface.strip("“”\""))
    return surface, " ".join(_QUOTES.sub("", surface).split())


@lru_cache(maxsize=65536)
def _one_typo_apart(a: str, b: str) -> bool:
    # The same few typos meet the same few acronyms in document after document.
    return abs(len(a) - len(b)) <= 1 and edit_distance(a, b) == 1


def _without_overlaps(resolved: list[tuple[tuple[Any, ...], str]]) -> list[tuple[tuple[Any, ...], str]]:
    """Known names beat capitalised runs beat acronyms, longer beats shorter; "Name (ACR)" is one
    mention, not two."""
    kept: list[tuple[tuple[Any, ...], str]] = []
    # One byte per character of the document, set where a kept mention lies: checking a candidate
    # costs its own length, however many mentions were kept before it. (Comparing with every kept
    # span made a document with thousands of mentions take minutes; a sorted list of spans still
    # moved half of itself at each insertion.)
    taken = bytearray(max((c[3] for c, _ in resolved), default=0))
    owners: dict[int, int] = {}  # start -> end of the kept mentions that may be co-owners of a name
    for candidate, entity_id in resolved:  # already in priority order
        form, surface, start, end = candidate[0], candidate[1], candidate[2], candidate[3]
        first_word = surface.find(" ")
        if form == NAME and first_word > 0 and "/" in surface[:first_word]:
            # A co-owned name ("UNITAR/World Bank Briefing") is kept beside the mentions of its
            # co-owners, which begin in its first word; they are soft (2) for each other.
            body = start + first_word
            body = max([body, *(owners.get(p, body) for p in range(start, body))])
            if taken.find(1, body, end) != -1:
                continue
            kept.append((candidate, entity_id))
            for position in range(start, body):
                taken[position] = taken[position] or 2
            taken[body:end] = b"\x01" * (end - body)
            continue
        if taken.find(1, start, end) != -1:
            continue
        kept.append((candidate, entity_id))
        if form != NAME:
            owners[start] = end
        taken[start:end] = b"\x01" * (end - start)
    kept.sort(key=lambda pair: pair[0][2])
    merged: list[tuple[tuple[Any, ...], str]] = []
    for candidate, entity_id in kept:
        if merged:
            previous, previous_id = merged[-1]
            gap = candidate[2] - previous[3]
            if previous_id == entity_id and candidate[0] == ACRONYM and 0 <= gap <= 3 \
                    and previous[4] == candidate[4]:
                continue  # the acronym in brackets after the name it defines
        merged.append((candidate, entity_id))
    return merged


def _finish(builder: Builder) -> Entity:
    long_forms = [s for s in builder.surfaces if not acronym_like(s)]
    # The full name, not the short one a document gave it in parentheses ("Palermo Protocol").
    long_forms = [s for s in long_forms if normalise_name(s) not in builder.short_names] or long_forms
    name = builder.fixed_name or _best_name(long_forms, builder.surfaces) or builder.series_name \
        or builder.acronym or builder.id
    acronyms = [s for s in builder.surfaces if acronym_like(s)]
    acronym = builder.acronym or (Counter({a: builder.surfaces[a] for a in acronyms}).most_common(1)[0][0]
                                  if acronyms else None)
    aliases = sorted({s for s in builder.surfaces if s not in (name, acronym)}, key=lambda s: (s.lower(), s))
    # Editions in the order they were held, each once, in the spelling used most.
    spellings: dict[str, str] = {}
    for surface, _count in builder.editions.most_common():
        spellings.setdefault(normalise_name(surface), surface)
    editions = sorted(spellings.values(), key=lambda s: (ordinal_rank(s.split()[0]), s.lower()))
    return Entity(builder.id, name, acronym, builder.kind, tuple(aliases),
                  tuple(sorted(builder.mentions, key=lambda m: (m.path, m.start))), builder.system, tuple(editions))


def _best_name(long_forms: list[str], counts: Counter[str]) -> str | None:
    if not long_forms:
        return None
    # Prefer a form in ordinary case to one from an all-capitals heading, then the most used.
    return max(long_forms, key=lambda s: (not s.isupper(), counts[s], len(s)))


