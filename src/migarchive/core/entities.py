"""Agencies and initiatives across the archive: candidates resolved to one entry per real entity.

Resolution uses everything the archive knows at once: the gazetteer, every document's acronym
definitions, and the candidates each document yielded at index time. An acronym is read first by
its own document's definition ("GCM" is the Global Coalition on Migration in 002), then by the
archive's; an unknown acronym one letter away from one the document uses is taken as its typo
("UNCHR" beside UNHCR).
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from migarchive.core.fuzzy import edit_distance
from migarchive.core.gazetteer import Gazetteer, normalise_acronym, normalise_name
from migarchive.core.mentions import ACRONYM, KNOWN, NAME, classify
from migarchive.core.model import DocPath, DocumentInfo


_LEADING_THE = re.compile(r"^(?i:the)\s+")


class Mention(NamedTuple):
    """One place an entity is named. A named tuple rather than a dataclass: an archive has
    hundreds of thousands, and they are saved and loaded with the archive's derived state."""

    path: DocPath
    passage_id: str
    start: int  # offsets in the cleaned text of the document
    end: int
    surface: str


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    acronym: str | None
    kind: str
    aliases: tuple[str, ...]
    mentions: tuple[Mention, ...]

    def documents(self) -> list[tuple[DocPath, int]]:
        """(path, mentions) per document, most mentions first."""
        counts = Counter(m.path for m in self.mentions)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass
class _Builder:
    id: str
    kind: str
    acronym: str | None = None
    fixed_name: str | None = None  # from the gazetteer
    surfaces: Counter[str] = field(default_factory=Counter)
    mentions: list[Mention] = field(default_factory=list)


_NOT_AN_ENTITY = "-"
_AMBIGUOUS = "?"
_PRIORITY = {KNOWN: 0, NAME: 1, ACRONYM: 2}


class _Registry:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.builders: dict[str, _Builder] = {}
        self.by_name: dict[str, str] = {}
        # Every word-prefix (two words or more) of a known name, with the entity it shortens, or
        # _AMBIGUOUS: looking a shortening up is one dict access, not a scan of every known name.
        self.shortenings: dict[str, str] = {}
        self.by_acronym: dict[str, list[str]] = {}
        self.ignore = gazetteer.ignore
        for entry in gazetteer.entries:
            entity = self._new(f"g:{normalise_name(entry.name)}", entry.kind, entry.acronym)
            entity.fixed_name = entry.name
            self._name(normalise_name(entry.name), entity.id)
            for alias in entry.aliases:
                if _acronym_like(alias):
                    self.by_acronym.setdefault(normalise_acronym(alias), []).append(entity.id)
                else:
                    self._name(normalise_name(alias), entity.id)
            if entry.acronym:
                self.by_acronym.setdefault(normalise_acronym(entry.acronym), []).insert(0, entity.id)

    def _name(self, norm: str, entity_id: str) -> None:
        if norm in self.by_name:
            return
        self.by_name[norm] = entity_id
        words = norm.split()
        for cut in range(2, len(words)):
            prefix = " ".join(words[:cut])
            if self.shortenings.setdefault(prefix, entity_id) != entity_id:
                self.shortenings[prefix] = _AMBIGUOUS

    def _new(self, entity_id: str, kind: str, acronym: str | None) -> _Builder:
        builder = self.builders.get(entity_id)
        if builder is None:
            builder = self.builders[entity_id] = _Builder(entity_id, kind, acronym)
        return builder

    def define(self, acronym: str, long_form: str) -> str:
        """The entity an acronym definition names (created if new), or _NOT_AN_ENTITY."""
        key = normalise_acronym(acronym)
        known = self.lookup_name(long_form)
        if known is not None:
            entity = self.builders[known]
            if entity.acronym is None:
                entity.acronym = acronym
            ids = self.by_acronym.setdefault(key, [])
            if known not in ids:
                ids.append(known)
            return known
        kind = classify(long_form)
        if kind is None or normalise_name(long_form) in self.ignore:
            return _NOT_AN_ENTITY
        gazetteer_ids = [i for i in self.by_acronym.get(key, []) if i.startswith("g:")]
        if gazetteer_ids:
            return gazetteer_ids[0]  # the gazetteer knows this acronym; the long form was mis-read
        entity = self._new(f"d:{normalise_name(long_form)}", kind, acronym)
        self._name(normalise_name(long_form), entity.id)
        self.by_acronym.setdefault(key, []).append(entity.id)
        return entity.id

    def lookup_name(self, name: str) -> str | None:
        """By name; else by the longest part before an "of (the)" that is known (a body "of the
        United Nations Secretariat"); else as the unique shortening of a known name."""
        norm = normalise_name(name)
        if norm in self.by_name:
            return self.by_name[norm]
        words = norm.split()
        for cut in range(len(words) - 1, 1, -1):
            if words[cut] == "of" and " ".join(words[:cut]) in self.by_name:
                return self.by_name[" ".join(words[:cut])]
        shortened = self.shortenings.get(norm)
        return shortened if shortened not in (None, _AMBIGUOUS) else None

    def name_entity(self, name: str, kind: str) -> str | None:
        known = self.lookup_name(name)
        if known is not None:
            return known
        norm = normalise_name(name)
        if norm in self.ignore or len(norm.split()) < 2:
            return None
        entity = self._new(f"n:{norm}", kind, None)
        self._name(norm, entity.id)
        return entity.id


def resolve(infos: Iterable[DocumentInfo], gazetteer: Gazetteer) -> list[Entity]:
    infos = sorted(infos, key=lambda i: i.path)
    registry = _Registry(gazetteer)
    local: dict[tuple[str, str], str] = {}
    for info in infos:
        for definition in info.definitions:
            entity_id = registry.define(definition.acronym, definition.long_form)
            local[(info.path, normalise_acronym(definition.acronym))] = entity_id
    for info in infos:
        _resolve_document(info, registry, local)
    entities = [_finish(b) for b in registry.builders.values() if b.mentions]
    return sorted(entities, key=lambda e: (-len(e.mentions), e.name.lower()))


def _resolve_document(info: DocumentInfo, registry: _Registry, local: dict[tuple[str, str], str]) -> None:
    # Candidates are read as plain tuples (form, surface, start, end, passage id, kind): after an
    # update they come from the saved state as such, and making hundreds of thousands of named
    # tuples again would cost more than resolving them.
    resolved: list[tuple[tuple[Any, ...], str]] = []
    typos: list[tuple[Any, ...]] = []
    for candidate in sorted(info.candidates, key=lambda c: (_PRIORITY[c[0]], c[2] - c[3])):
        form, surface, _start, _end, _passage, kind = candidate
        if form == ACRONYM:
            key = normalise_acronym(surface)
            entity_id = local.get((info.path, key))
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
        if entity_id is not None and entity_id != _NOT_AN_ENTITY:
            resolved.append((candidate, entity_id))
    present = _Neighbours({normalise_acronym(c[1]): e for c, e in resolved if c[0] == ACRONYM})
    nearest: dict[str, str | None] = {}  # a typo tends to recur in its document
    for candidate in typos:
        key = normalise_acronym(candidate[1])
        if not _TYPO_MIN <= len(key) <= _TYPO_MAX:
            continue
        if key not in nearest:
            close = {e for acronym, e in present.near(key) if _one_typo_apart(key, acronym)}
            nearest[key] = close.pop() if len(close) == 1 else None
        if nearest[key] is not None:
            resolved.append((candidate, nearest[key]))
    for (_form, surface, start, end, passage_id, _kind), entity_id in _without_overlaps(resolved):
        builder = registry.builders[entity_id]
        surface = _LEADING_THE.sub("", surface.strip("“”\""))
        builder.surfaces[surface] += 1
        builder.mentions.append(Mention(info.path, passage_id, start, end, surface))


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
    for candidate, entity_id in resolved:  # already in priority order
        start, end = candidate[2], candidate[3]
        if taken.find(1, start, end) != -1:
            continue
        kept.append((candidate, entity_id))
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


def _finish(builder: _Builder) -> Entity:
    long_forms = [s for s in builder.surfaces if not _acronym_like(s)]
    name = builder.fixed_name or _best_name(long_forms, builder.surfaces) or builder.acronym or builder.id
    acronyms = [s for s in builder.surfaces if _acronym_like(s)]
    acronym = builder.acronym or (Counter({a: builder.surfaces[a] for a in acronyms}).most_common(1)[0][0]
                                  if acronyms else None)
    aliases = sorted({s for s in builder.surfaces if s not in (name, acronym)}, key=lambda s: (s.lower(), s))
    return Entity(builder.id, name, acronym, builder.kind, tuple(aliases),
                  tuple(sorted(builder.mentions, key=lambda m: (m.path, m.start))))


def _best_name(long_forms: list[str], counts: Counter[str]) -> str | None:
    if not long_forms:
        return None
    # Prefer a form in ordinary case to one from an all-capitals heading, then the most used.
    return max(long_forms, key=lambda s: (not s.isupper(), counts[s], len(s)))


def _acronym_like(text: str) -> bool:
    compact = re.sub(r"[\s\-]", "", text)
    return 0 < len(compact) <= 10 and len(text.split()) <= 2 and \
        sum(c.isupper() for c in compact) >= max(2, len(compact) - 2)


def find(entities: Iterable[Entity], text: str) -> Entity | None:
    """The entity a user means by `text`: its acronym, name or any alias, in any case."""
    norm, acronym = normalise_name(text), normalise_acronym(text)
    candidates = list(entities)
    for entity in candidates:
        if entity.acronym and normalise_acronym(entity.acronym) == acronym:
            return entity
    for entity in candidates:
        if norm in {normalise_name(entity.name), *map(normalise_name, entity.aliases)}:
            return entity
    return None
