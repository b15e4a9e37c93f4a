"""The segment writer every build and update uses: Whoosh's, adding a document's postings a field
at a time.

Whoosh's `SegmentWriter.add_document` takes each field's postings from a generator, one
(term, frequency, weight, value) tuple at a time, packs each into another tuple and hands it to
the pool in a call of its own: three to four Python calls a posting, 900,000 postings for 300
documents. Here a field's postings go to the pool in one call (`GroupedPostingPool.add_terms`),
and a passage's searchable text straight from the positions its analysis made
(`GroupedPostingPool.add_positions`), without a tuple per posting. The stored fields, lengths
and columns are written as Whoosh writes them; a document with boosts (`_boost`, `_F_boost`), a
stored value of its own (`_stored_F`) or a field with vectors or separate spelling words goes
through Whoosh's method.
"""

from __future__ import annotations

from typing import Any

from whoosh.index import Index
from whoosh.writing import SegmentWriter

from migarchive.core.index_schema import AnalysedParts
from migarchive.core.posting_pool import GroupedPostingPool
from migarchive.core.postings import ArrayCodec

# Each writer keeps this much of its posting lists in memory before spilling them to a temp file:
# two workers at 64 MB made the build's peak 30 MB larger, for no time measurably saved.
WRITER_MEMORY_MB = 32


def new_writer(ix: Index, **kwargs: Any) -> SegmentWriter:
    """A segment writer with its postings grouped by term (`posting_pool`; Whoosh ignores its
    `poolclass` argument), posting blocks laid out as arrays (`postings.ArrayCodec`), and without per-block length
    statistics: gathering them reads each posting's field length back from disk, and they only let
    BM25 skip blocks a little sooner (without them a block's best score is overestimated, which is
    safe)."""
    writer = FieldAtATimeWriter(ix, limitmb=WRITER_MEMORY_MB, codec=ArrayCodec(), compound=False, **kwargs)
    writer.pool = GroupedPostingPool(writer._tempstorage, writer.newsegment, limitmb=WRITER_MEMORY_MB)
    return writer


class FieldAtATimeWriter(SegmentWriter):
    """See the top. `pool` must be a `GroupedPostingPool` (`new_writer` sets it)."""

    pool: GroupedPostingPool
    _whoosh_fields: set[str] | None = None  # fields that need Whoosh's `add_document`

    def add_document(self, **fields: Any) -> None:
        schema = self.schema
        names = sorted(fields)
        if self._whoosh_fields is None:
            self._whoosh_fields = {name for name, field in schema.items() if field.separate_spelling() or field.vector}
        if any(name.startswith("_") or name in self._whoosh_fields for name in names):
            super().add_document(**fields)
            return
        self._check_state()
        self._check_fields(schema, names)
        perdoc = self.perdocwriter
        pool = self.pool
        number = self.docnum
        perdoc.start_doc(number)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    if isinstance(value, AnalysedParts):  # a passage's text, analysed when it was prepared
                        length = pool.add_positions(name, number, value.positions, field.format.field_boost)
                    else:  # a title or heading: its postings made once per document (`RepeatedValues`)
                        length = pool.add_terms(name, number, field.index(value))
                    if not field.scorable:
                        length = 0
                perdoc.add_field(name, field, value if field.stored else None, length)
                column = field.column_type
                if column:
                    perdoc.add_column_value(name, column, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        pool.check_size()
        self._added = True
        self.docnum += 1

