"""The entities known while resolving an archive: by name, by acronym, by the shortenings of names.

One entry per real body or initiative, however it is written: its gazetteer name and aliases, the
long forms documents define for its acronym, the short names they give it in parentheses
("(Palermo Protocol)"), and its editions ("Eighth International Metropolis Conference" is an
edition of the Metropolis series, which keeps the list of its editions).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field
from collections.abc import Iterable
from typing import Any

from migarchive.core.gazetteer import INITIATIVE, Gazetteer, normalise_acronym, normalise_name
from migarchive.core.names import classify, is_generic, is_ordinal

NOT_AN_ENTITY = "-"
_AMBIGUOUS = "?"


@dataclass
class Builder:
    id: str
    kind: str
    acronym: str | None = None
    fixed_name: str | None = None  # from the gazetteer
    system: bool = False
    series_name: str | None = None  # for a series known only by its editions: the name they share
    short_names: set[str] = field(default_factory=set)  # normalised; never preferred as its name
    surfaces: Counter[str] = field(default_factory=Counter)
    editions: Counter[str] = field(default_factory=Counter)
    mentions: list[Any] = field(default_factory=list)


class Registry:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.builders: dict[str, Builder] = {}
        self.by_name: dict[str, str] = {}
        # Every word-prefix (two words or more) of a known name, with the entity it shortens, or
        # _AMBIGUOUS: looking a shortening up is one dict access, not a scan of every known name.
        self.shortenings: dict[str, str] = {}
        self.by_acronym: dict[str, list[str]] = {}
        self.ignore = gazetteer.ignore
        self.generic = gazetteer.generic
        # While documents are resolved: what each adds (new entities, names, series), so that
        # an update can replay an unchanged document's additions instead of resolving it again.
        self.log: list[tuple[str, str, str | None, str | None]] | None = None
        # And what it looks at that documents can add or change (`Key`), where what it finds
        # decides its mentions or what it adds: a later update resolves an unchanged document again
        # only when one of these differs from last time. (Whether an entity or a shortening it
        # adds already exists does not: its mentions are the same, and `Shadow` follows the rest.)
        self.reads: set[Key] | None = None
        for entry in gazetteer.entries:
            entity = self._new(f"g:{normalise_name(entry.name)}", entry.kind, entry.acronym)
            entity.fixed_name = entry.name
            entity.system = entry.system
            self._name(normalise_name(entry.name), entity.id)
            for alias in entry.aliases:
                if acronym_like(alias):
                    self.by_acronym.setdefault(normalise_acronym(alias), []).append(entity.id)
                else:
                    self._name(normalise_name(alias), entity.id)
            if entry.acronym:
                self.by_acronym.setdefault(normalise_acronym(entry.acronym), []).insert(0, entity.id)

    def _read(self, space: str, key: str) -> None:
        if self.reads is not None:
            self.reads.add((space, key))

    def has_name(self, norm: str) -> bool:
        self._read(NAME, norm)
        return norm in self.by_name

    def _new(self, entity_id: str, kind: str, acronym: str | None) -> Builder:
        builder = self.builders.get(entity_id)
        if builder is None:
            builder = self.builders[entity_id] = Builder(entity_id, kind, acronym)
            if self.log is not None:
                self.log.append(("new", entity_id, kind, acronym))
        return builder

    def _name(self, norm: str, entity_id: str) -> None:
        self._read(NAME, norm)
        if norm in self.by_name:
            return
        if self.log is not None:
            self.log.append(("name", norm, entity_id, None))
        self.by_name[norm] = entity_id
        for prefix in _prefixes(norm):
            if self.shortenings.setdefault(prefix, entity_id) != entity_id:
                self.shortenings[prefix] = _AMBIGUOUS

    def define(self, short: str, long_form: str) -> str:
        """The entity a definition names (created if new), or NOT_AN_ENTITY. The short form is an
        acronym ("IOM") or a short name given in parentheses ("Palermo Protocol"), which becomes
        one more name of the entity."""
        is_acronym = acronym_like(short)
        key = normalise_acronym(short)
        known = self.lookup_name(long_form)
        if known is None:
            kind = classify(long_form)
            if kind is None or normalise_name(long_form) in self.ignore or is_generic(long_form, self.generic):
                return NOT_AN_ENTITY
            gazetteer_ids = [i for i in self.by_acronym.get(key, []) if i.startswith("g:")] if is_acronym else []
            if gazetteer_ids:
                return gazetteer_ids[0]  # the gazetteer knows this acronym; the long form was mis-read
            known = self._new(f"d:{normalise_name(long_form)}", kind, short if is_acronym else None).id
            self._name(normalise_name(long_form), known)
        entity = self.builders[known]
        if not is_acronym:
            self._name(normalise_name(short), known)
            entity.short_names.add(normalise_name(short))
            return known
        if entity.acronym is None:
            entity.acronym = short
        ids = self.by_acronym.setdefault(key, [])
        if known not in ids:
            ids.append(known)
        return known

    def lookup_name(self, name: str) -> str | None:
        """By name, else for an edition ("Eighth International Metropolis Conference") by its series."""
        known = self._lookup(name)
        if known is None and (series := series_of(name)) is not None:
            known = self._lookup(series)
        return known

    def _lookup(self, name: str) -> str | None:
        """By name; else by the longest part before an "of (the)" that is known (a body "of the
        United Nations Secretariat"); else as the unique shortening of a known name."""
        norm = normalise_name(name)
        self._read(NAME, norm)
        if norm in self.by_name:
            return self.by_name[norm]
        words = norm.split()
        for cut in range(len(words) - 1, 1, -1):
            if words[cut] == "of":
                self._read(NAME, " ".join(words[:cut]))
                if " ".join(words[:cut]) in self.by_name:
                    return self.by_name[" ".join(words[:cut])]
        self._read(SHORTENING, norm)
        shortened = self.shortenings.get(norm)
        return shortened if shortened not in (None, _AMBIGUOUS) else None

    def name_entity(self, name: str, kind: str) -> str | None:
        """The entity a capitalised name found in a text names, created if new. An edition of an
        event is its series ("Third International Forum for Social Development")."""
        known = self.lookup_name(name)
        if known is not None:
            return known
        series = series_of(name) if kind == INITIATIVE else None
        if series is not None and len(series.split()) >= 2 and not is_generic(series, self.generic):
            entity_id = self._body(series, kind)
            if entity_id is not None:
                self._read(SERIES, entity_id)
            if entity_id is not None and self.builders[entity_id].series_name is None:
                self._series(entity_id, series)
            return entity_id
        return self._body(name, kind)

    def _series(self, entity_id: str, series: str) -> None:
        self.builders[entity_id].series_name = series
        if self.log is not None:
            self.log.append(("series", entity_id, series, None))

    def digest(self) -> str:
        """What every lookup depends on, as one hash: two registries with the same digest answer
        every question alike and make the same entities of what they are told."""
        builders = sorted((b.id, b.kind, b.acronym, b.fixed_name, b.system, b.series_name, sorted(b.short_names))
                          for b in self.builders.values())
        state = (sorted(self.by_name.items()), sorted(self.shortenings.items()),
                 sorted(self.by_acronym.items()), builders, sorted(self.ignore), sorted(self.generic))
        return hashlib.sha256(repr(state).encode()).hexdigest()

    def replay(self, additions: Iterable[tuple[str, str, str | None, str | None]]) -> None:
        """Make again what a document added when it was resolved (from `log`), in the same state."""
        for what, key, value, extra in additions:
            if what == "new":
                self._new(key, value or "", extra)
            elif what == "name":
                self._name(key, value or "")
            else:
                self._series(key, value or "")

    def _body(self, name: str, kind: str) -> str | None:
        known = self._lookup(name)
        if known is not None:
            return known
        owned = _without_owners(name)
        if owned is not None and not is_generic(owned, self.generic):
            known = self.lookup_name(owned)  # "UNITAR/UNFPA “Key Migration Issues” Workshop Series"
            if known is not None:
                return known
        norm = normalise_name(name)
        if norm in self.ignore or (len(norm.split()) < 2 and not name.startswith("UN-")):
            return None
        entity = self._new(f"n:{norm}", kind, None)
        self._name(norm, entity.id)
        if owned is not None and not is_generic(owned, self.generic):
            self._name(normalise_name(owned), entity.id)
        return entity.id


_LEADING_THE = re.compile(r"^(?i:the)\s+")


@lru_cache(maxsize=65536)
def series_of(name: str) -> str | None:
    """The series an edition belongs to: its name without the ordinal ("Eighth International
    Metropolis Conference" → "International Metropolis Conference"), or None."""
    words = _LEADING_THE.sub("", name.strip("“”\"")).split()
    if len(words) >= 2 and is_ordinal(words[0].strip("“”\"")):
        return " ".join(words[1:])
    return None


# What documents add to a registry, and what resolving one looks at: (space, key).
Key = tuple[str, str]
NAME, SHORTENING, BUILDER, SERIES = "n", "s", "b", "e"


def _prefixes(norm: str) -> list[str]:
    """The word-prefixes of a name that shorten it (two words or more, not the whole)."""
    words = norm.split()
    return [" ".join(words[:cut]) for cut in range(2, len(words))]


class Shadow:
    """What documents' additions (from `log`) made of the keys they set, from their logs alone:
    one of the last resolution and one of this one, side by side, tell which keys differ between
    the two at any point of the way. A name is its entity's; a shortening is the entity of every
    name it shortens, or ambiguous; a new entity is its kind and acronym; a series, its name."""

    def __init__(self, base_shortenings: dict[str, str]) -> None:
        self.values: dict[Key, Any] = {}
        self._base = base_shortenings  # what the gazetteer and the definitions made

    def value(self, key: Key) -> Any:
        if key in self.values:
            return self.values[key]
        return self._base.get(key[1]) if key[0] == SHORTENING else None

    def apply(self, additions: Iterable[tuple[str, str, str | None, str | None]]) -> list[Key]:
        """Take in one document's additions; the keys they touched."""
        touched: list[Key] = []
        for what, key, value, extra in additions:
            if what == "name":
                touched.append((NAME, key))
                self.values.setdefault((NAME, key), value)
                for prefix in _prefixes(key):
                    shortening = (SHORTENING, prefix)
                    known = self.value(shortening)
                    self.values[shortening] = value if known is None else known if known == value else _AMBIGUOUS
                    touched.append(shortening)
            else:
                touched.append((BUILDER, key) if what == "new" else (SERIES, key))
                self.values.setdefault(touched[-1], (value, extra))
        return touched


def fingerprint(key: Key) -> int:
    """A key as a small number, to keep per document: two keys may share one (then a document is
    resolved again without need), but a key has only one."""
    return zlib.crc32(f"{key[0]}\0{key[1]}".encode())


def fingerprints(keys: Iterable[Key]) -> frozenset[int]:
    return frozenset(map(fingerprint, keys))


def _without_owners(name: str) -> str | None:
    """The name without the co-owners before it ("UNITAR/UNFPA" in "UNITAR/UNFPA Workshop
    Series"), when what remains is still a name of two words or more."""
    words = name.split()
    if len(words) >= 3 and "/" in words[0]:
        rest = " ".join(words[1:])
        return rest if classify(rest) else None
    return None


@lru_cache(maxsize=65536)
def acronym_like(text: str) -> bool:
    # Cached: the same definitions and surfaces are asked about at every resolution.
    compact = re.sub(r"[\s\-]", "", text)
    return 0 < len(compact) <= 10 and len(text.split()) <= 2 and \
        sum(c.isupper() for c in compact) >= max(2, len(compact) - 2)


def is_edition(surface: str) -> bool:
    return series_of(surface) is not None
