"""The gazetteer: well-known agencies and initiatives with their aliases, from a JSON data file.

The bundled `resources/gazetteer.json` can be extended without code by a `gazetteer.json` of the
same shape in the data directory; its entries are added (same name: replaced).
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path

from migarchive.errors import UserError
from migarchive.paths import resources_dir

AGENCY = "agency"
INITIATIVE = "initiative"
KINDS = (AGENCY, INITIATIVE)
FILE_NAME = "gazetteer.json"


# Part of the digest: bumped when the way candidates are found or resolved changes, so that an
# index built by an older reader extracts again.
READER_VERSION = "2"


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    acronym: str | None
    kind: str
    aliases: tuple[str, ...]
    system: bool = False  # the United Nations as a whole: shown apart from the agencies


@dataclass(frozen=True)
class Gazetteer:
    entries: tuple[GazetteerEntry, ...]
    ignore: frozenset[str]  # normalised names
    digest: str  # changes when the data changes, so the index knows to extract again
    # Words that only say what sort of body a name is ("regional", "ministerial", "steering"): a
    # name made of them and a head word is generic ("Ministerial Conference"), not an entity.
    generic: frozenset[str] = frozenset()


@lru_cache(maxsize=65536)
def normalise_name(text: str) -> str:
    """The form two spellings of one name share: case, British/American spelling, "the", quotes.
    (Cached: resolving an archive's entities asks this of the same few thousand names again and again.)"""
    text = text.lower().replace("’", "'")
    text = re.sub(r"[“”\"*_]", "", text)
    text = re.sub(r"\borganisation", "organization", text)
    text = re.sub(r"\bcentre\b", "center", text)
    text = re.sub(r"\blabor\b", "labour", text)
    text = re.sub(r"\bco-?operation\b", "cooperation", text)
    text = re.sub(r"\bhigh-level\b", "high level", text)
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w]+", " ", text)
    text = re.sub(r"^(?:the|of|and)\s+", "", text.strip())
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def normalise_acronym(text: str) -> str:
    """UN DESA = UNDESA, SDGs = SDG."""
    text = re.sub(r"[\s\-.]", "", text)
    if len(text) > 2 and text.endswith("s") and text[-2].isupper():
        text = text[:-1]
    return text.upper()


def load(extra_dir: Path | None = None) -> Gazetteer:
    sources = [resources_dir() / FILE_NAME]
    if extra_dir is not None and (extra_dir / FILE_NAME).is_file():
        sources.append(extra_dir / FILE_NAME)
    entries: dict[str, GazetteerEntry] = {}
    ignore: set[str] = set()
    generic: set[str] = set()
    digest = hashlib.sha256(READER_VERSION.encode())
    for source in sources:
        try:
            raw = source.read_bytes()
            data = json.loads(raw.decode("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UserError(f"cannot read the gazetteer {source}: {exc}") from exc
        digest.update(raw)
        for item in data.get("entities", []):
            entry = _entry(item, source)
            entries[normalise_name(entry.name)] = entry
        ignore.update(normalise_name(name) for name in data.get("ignore", []))
        generic.update(word.lower() for word in data.get("generic", []) if isinstance(word, str))
    return Gazetteer(tuple(entries.values()), frozenset(ignore), digest.hexdigest()[:16], frozenset(generic))


def _entry(item: object, source: Path) -> GazetteerEntry:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str) or item.get("kind") not in KINDS:
        raise UserError(f"{source}: each entity needs a 'name' and a 'kind' of {' or '.join(KINDS)}: {item!r}")
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise UserError(f"{source}: 'aliases' of {item['name']!r} must be a list of names")
    acronym = item.get("acronym")
    return GazetteerEntry(item["name"], acronym if isinstance(acronym, str) and acronym else None,
                          item["kind"], tuple(aliases), item.get("system") is True)
