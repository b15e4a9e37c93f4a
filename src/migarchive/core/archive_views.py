"""The facade's reads for the window's views: where a passage is (breadcrumbs, citations), the
archive at a glance (the start page), the acronyms explained (the reader's tooltips), and one
question across the meetings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from migarchive.core.citation import cite
from migarchive.core.entity_model import Entity
from migarchive.core.meetings import Meeting
from migarchive.core.model import Document, DocumentInfo, Skipped
from migarchive.core.note_search import split_notes_filter
from migarchive.core.notes.model import Annotation
from migarchive.core.paragraphs import paragraph_at
from migarchive.core.results import Comparison, SearchResults
from migarchive.errors import NotesProblem

if TYPE_CHECKING:  # imported where they are made: a command-line search needs neither
    from migarchive.core.glossary import Glossary
    from migarchive.core.overview import Overview


@dataclass(frozen=True)
class Whereabouts:
    info: DocumentInfo
    meeting: Meeting | None
    section: str | None  # the heading of the section, or of the section holding the passage
    page: int | None  # of a PDF
    paragraph: int | None = None  # the number of the paragraph a passage begins


class ArchiveViews:
    """Mixed into `Archive`, which provides the reads these are made of."""

    _state: Any
    _glossary: tuple[Any, Glossary] | None

    # What `Archive` and `ArchiveNotes` provide; declared for the type checker only, so that no
    # stand-in shadows them at run time.
    if TYPE_CHECKING:
        @property
        def skipped(self) -> tuple[Skipped, ...]:
            raise NotImplementedError

        def info(self, path: str) -> DocumentInfo:
            raise NotImplementedError

        def document(self, path: str) -> Document:
            raise NotImplementedError

        def meetings(self) -> tuple[list[Meeting], list[DocumentInfo]]:
            raise NotImplementedError

        def meeting_of(self, path: str) -> Meeting | None:
            raise NotImplementedError

        def entities(self, kind: str | None = None) -> list[Entity]:
            raise NotImplementedError

        def annotations(self, path: str | None = None) -> list[Annotation]:
            raise NotImplementedError

        def search(self, query: str, limit: int = 10, *, include_notes: bool = False) -> SearchResults:
            raise NotImplementedError

    def overview(self, with_notes: bool = True) -> Overview:
        """The archive at a glance (the start page); without notes when asked, or when their
        database cannot be read."""
        from migarchive.core.overview import overview

        meetings, unassigned = self.meetings()
        annotations = []
        if with_notes:
            try:
                annotations = self.annotations()
            except NotesProblem:
                pass
        return overview(meetings, unassigned, self.entities(), annotations, self.skipped)

    def glossary(self) -> Glossary:
        """The archive's acronyms with their long forms and where they are defined (made once per
        state of the archive, for the reader's tooltips)."""
        state = self._state
        cached = self._glossary
        if cached is not None and cached[0] is state:
            return cached[1]
        from migarchive.core.glossary import Glossary

        made = Glossary(state.infos.values() if state else (), state.entities() if state else ())
        self._glossary = (state, made)
        return made

    def locate(self, path: str, anchor: str | None = None) -> Whereabouts:
        """Where a passage or section (by id) of a document is: meeting, section heading, page and
        the paragraph a passage begins."""
        info, document = self.info(path), self.document(path)
        passage = document.passage(anchor) if anchor else None
        paragraph = paragraph_at(document.cleaned, passage.start) if passage is not None else None
        return Whereabouts(info, self.meeting_of(path), document.section_title(anchor), document.page_of(anchor),
                           paragraph)

    def citation(self, path: str, anchor: str | None = None, paragraph: int | None = None) -> str:
        """A citation of the document, down to the section, page and paragraph of `anchor` (or the
        paragraph given: the one a reader is looking at)."""
        where = self.locate(path, anchor)
        return cite(where.info, where.meeting, where.section, where.page, paragraph or where.paragraph)

    def compare(self, query: str, per_meeting: int = 3) -> Comparison:
        """The query's best `per_meeting` passages in each meeting that has documents, in the order
        the meetings were held: how the language on a subject changed from one to the next. Notes
        (`in:notes`) are not compared; a misspelled query is corrected once, for every meeting alike."""
        from migarchive.core.comparison import compare_meetings  # with the search machinery: numpy

        text, _notes_only = split_notes_filter(query)
        return compare_meetings(lambda q, limit: self.search(q, limit), self.meetings()[0], text, per_meeting,
                                asked=query)
