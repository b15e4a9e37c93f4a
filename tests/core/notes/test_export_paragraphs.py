"""The Markdown export cites each note's paragraph, read in the text the note's offsets belong to."""

from __future__ import annotations

from migarchive.core.archive import Archive
from migarchive.core.paragraphs import paragraph_at

DOC = "001_2af6c4c605665e75.txt"


def test_markdown_export_cites_the_paragraph_of_each_note(archive: Archive) -> None:
    text = archive.document(DOC).cleaned
    store = archive.notes
    start = text.index("Mr. Joseph Chamie")
    store.add_annotation(DOC, text, start, start + len("Mr. Joseph Chamie"), note="the director")
    later = text.index("Ms. Marta Roig")
    store.add_annotation(DOC, text, later, later + len("Ms. Marta Roig"))
    exported = archive.export_notes("markdown")
    assert paragraph_at(text, start) == 2 and paragraph_at(text, later) == 3
    citations = [line for line in exported.splitlines() if line.startswith("— ")]
    assert len(citations) == 2
    assert citations[0].endswith(", para. 2.") and citations[1].endswith(", para. 3.")
