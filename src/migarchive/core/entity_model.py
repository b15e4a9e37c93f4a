"""What resolving entities yields: an entity and the places it is named; finding one by name.

Apart from `entities`, which resolves them: the facade, the search engine and the command line
hold and show entities, and opening an archive for one command need not load the resolver and
its patterns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from migarchive.core.gazetteer import normalise_acronym, normalise_name
from migarchive.core.model import DocPath


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
    # The United Nations as a whole: named everywhere, so listed apart and after the bodies.
    system: bool = False
    editions: tuple[str, ...] = ()  # of a recurring event: "Eighth International Metropolis Conference", …

    def documents(self) -> list[tuple[DocPath, int]]:
        """(path, mentions) per document, most mentions first."""
        counts = Counter(m.path for m in self.mentions)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


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
