"""Acronyms explained where they are read: the long form, and where it is defined.

A document's own definition comes first ("GCM" is the Global Coalition on Migration in one paper
and the Global Compact in another), then the first other document of the archive that defines it,
then the archive's agencies and initiatives (which include the gazetteer's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from migarchive.core.acronyms import is_short_form
from migarchive.core.entity_model import Entity
from migarchive.core.gazetteer import normalise_acronym
from migarchive.core.labels import document_label
from migarchive.core.model import AcronymDefinition, Document, DocumentInfo
from migarchive.core.paragraphs import number_paragraphs


@dataclass(frozen=True)
class Explanation:
    acronym: str
    long_form: str
    where: str  # "defined in this document, para. 4", "defined in Paper · UNITAR · …", "an agency of the archive"

    def text(self) -> str:
        return f"{self.acronym} — {self.long_form}\n{self.where[:1].upper()}{self.where[1:]}."


class Glossary:
    """What the archive knows of its acronyms; asked for each word the mouse rests on."""

    def __init__(self, infos: Iterable[DocumentInfo], entities: Iterable[Entity]) -> None:
        self._defined: dict[str, tuple[str, DocumentInfo]] = {}  # acronym key -> (long form, first definer)
        for info in sorted(infos, key=lambda i: i.path):
            for definition in info.definitions:
                self._defined.setdefault(normalise_acronym(definition.acronym), (definition.long_form, info))
        self._entities: dict[str, Entity] = {}
        for entity in entities:
            for form in (entity.acronym, *entity.aliases):
                if form and is_short_form(form):
                    self._entities.setdefault(normalise_acronym(form), entity)

    def explain(self, word: str, document: Document | None = None) -> Explanation | None:
        """The long form of `word` if it is an acronym the document or the archive defines."""
        word = word.strip(".,;:()[]“”\"'’")
        if not is_short_form(word):
            return None
        key = normalise_acronym(word)
        own = next((d for d in (document.definitions if document else ()) if normalise_acronym(d.acronym) == key), None)
        if own is not None and document is not None:
            return Explanation(word, own.long_form, _where_defined(document, own))
        if key in self._defined:
            long_form, info = self._defined[key]
            where = ("defined in this document" if document is not None and info.path == document.path
                     else f"defined in {document_label(info)}")
            return Explanation(word, long_form, where)
        entity = self._entities.get(key)
        if entity is not None and entity.name.lower() != word.lower():
            return Explanation(word, entity.name, f"an {entity.kind} named in {len(entity.documents())} "
                               f"document{'s' if len(entity.documents()) != 1 else ''} of the archive")
        return None


def _where_defined(document: Document, definition: AcronymDefinition) -> str:
    """"defined in this document, para. 4": where its long form stands beside the acronym."""
    text = document.cleaned
    long_form = r"\W+".join(re.escape(w) for w in definition.long_form.split())
    acronym = re.escape(definition.acronym)
    pattern = re.compile(rf"{long_form}[\W_]{{0,6}}{acronym}\b|\b{acronym}[\W_]{{0,6}}{long_form}", re.I)
    found = pattern.search(text) or re.search(long_form, text, re.I)
    number = number_paragraphs(text).number_at(found.start()) if found else None
    return "defined in this document" + (f", para. {number}" if number is not None else "")
