"""Notes follow their text when the corpus is edited and re-indexed (core.archive + core.notes).

The scenario of the issue: annotate passages of the seed texts 001, 002 and 003 in a copy of the
corpus; insert a paragraph above, reflow whitespace, change a word near but outside a quote and
delete one annotated paragraph; sync. Every annotation whose text still exists points at the same
text, the deleted one is orphaned, and none is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from migarchive.core.archive import Archive
from migarchive.core.notes.anchoring import collapse_whitespace
from migarchive.core.notes.model import ANCHORED, ORPHANED, Annotation
from migarchive.paths import AppPaths

S001, S002, S003 = "001_2af6c4c605665e75.txt", "002_85393ee9b1ec9064.txt", "003_701c0046ca42ff1f.txt"

INSERTED = ("A paragraph inserted above everything else, to say that this copy of the report was annotated "
            "by a careful reader.\n\n")
DELETED_PARAGRAPH_START = "Countries of origin had concerns of their own."


@pytest.fixture
def paths(copy_corpus: Path, data_dir: Path) -> AppPaths:
    return AppPaths(corpus=copy_corpus, data_dir=data_dir)


@pytest.fixture
def archive(paths: AppPaths) -> Iterator[Archive]:
    opened = Archive.open(paths)
    yield opened
    opened.close()


def _annotate(archive: Archive, path: str, exact: str, **kwargs: object) -> Annotation:
    text = archive.document(path).cleaned
    assert text.count(exact) == 1, exact
    start = text.index(exact)
    return archive.notes.add_annotation(path, text, start, start + len(exact), **kwargs)  # type: ignore[arg-type]


def _edit(corpus: Path, path: str, old: str, new: str) -> None:
    file = corpus / path
    raw = file.read_text(encoding="utf-8")
    assert raw.count(old) == 1, old
    file.write_text(raw.replace(old, new), encoding="utf-8")


def _wrap(paragraph: str, width: int = 60) -> str:
    """The paragraph re-wrapped at `width` columns, as an editor's "reflow" would."""
    lines, line = [], ""
    for word in paragraph.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def test_annotations_survive_edits_and_the_deleted_one_is_orphaned(archive: Archive, paths: AppPaths) -> None:
    corpus = paths.corpus
    notes = {
        # 001: moved down by a paragraph inserted above
        "moved": _annotate(archive, S001, "International migration flows were not expected to abate in the "
                           "foreseeable future.", note="a forecast", tags=["flows"]),
        # 001: its paragraph is deleted
        "deleted": _annotate(archive, S001, "They benefited from the flow of remittances but had not yet found "
                             "the best way of channelling remittances", note="remittances and development",
                             tags=["remittances"]),
        # 001: a word changes just before it ("noted" -> "observed"), inside its context
        "near-edit": _annotate(archive, S001, "there was no institution at the international level",
                               colour="green"),
        # 002: its paragraph is re-wrapped, the quote's own spaces become line breaks
        "reflowed": _annotate(archive, S002, "It was the latest in a series of annual coordination meetings on "
                              "international migration convened since 2002"),
        # 002: in a paragraph after the re-wrapped one, unchanged
        "after-reflow": _annotate(archive, S002, "The meeting was attended by more than 300 participants",
                                  tags=["attendance"]),
        # 003: a word changes right after it ("participants" -> "attendees")
        "word-after": _annotate(archive, S003, "Each event gathered fifty to one hundred international experts"),
        # 003: a paragraph inserted above, and double spaces after each sentence elsewhere
        "spaced": _annotate(archive, S003, "The Series hosted seven events on the topics of"),
    }
    passage = next(p for p in archive.document(S001).passages if p.text.startswith("Mr. Doyle stated that"))
    bookmark = archive.notes.add_bookmark(S001, archive.document(S001).cleaned, passage_id=passage.id,
                                          label="Doyle's conclusions")
    before = {a.id: a for a in archive.notes.annotations()}
    assert len(before) == 7

    first = "The Second United Nations Coordination Meeting on International Migration took place"
    _edit(corpus, S001, first, INSERTED + first)
    raw = (corpus / S001).read_text(encoding="utf-8")
    start = raw.index(DELETED_PARAGRAPH_START)
    _edit(corpus, S001, raw[start : raw.index("\n\n", start) + 2], "")
    _edit(corpus, S001, "Mr. Doyle noted that there was no institution", "Mr. Doyle observed that there was no "
          "institution")
    raw2 = (corpus / S002).read_text(encoding="utf-8")
    start = raw2.index("The Fifteenth Coordination Meeting on International Migration was held")
    preface = raw2[start : raw2.index("\n\n", start)]
    _edit(corpus, S002, preface, _wrap(preface))
    _edit(corpus, S003, "international experts and participants.", "international experts and attendees.")
    _edit(corpus, S003, "UNITED NATIONS INSTITUTE FOR TRAINING AND RESEARCH New York Office\n\n",
          "UNITED NATIONS INSTITUTE FOR TRAINING AND RESEARCH New York Office\n\n" + INSERTED)
    raw3 = (corpus / S003).read_text(encoding="utf-8")
    (corpus / S003).write_text(re.sub(r"\. (?=[A-Z])", ".  ", raw3), encoding="utf-8")

    report = archive.sync()
    assert set(report.updated) == {S001, S002, S003}
    assert (report.reanchored, report.orphaned) == (7, 1)

    after = {a.id: a for a in archive.notes.annotations()}
    assert set(after) == set(before), "no annotation is ever lost"
    texts = {path: archive.document(path).cleaned for path in (S001, S002, S003)}
    for name, old in notes.items():
        new = after[old.id]
        assert (new.note, new.tags, new.colour, new.created) == (old.note, old.tags, old.colour, old.created)
        if name == "deleted":
            assert new.status == ORPHANED
            assert new.exact == old.exact and new.quote == old.quote  # shown with its quote and note
            assert old.exact not in collapse_whitespace(texts[old.path])
            continue
        assert new.status == ANCHORED, name
        found = texts[new.path][new.start : new.end]
        if name == "reflowed":
            assert found != old.exact and "\n" in found  # its spaces really were re-wrapped
            assert collapse_whitespace(found) == old.exact
        else:
            assert found == old.exact, name
        assert new.exact == found
    assert after[notes["moved"].id].start == notes["moved"].start + len(INSERTED)
    moved_mark = archive.notes.bookmark(bookmark.id)
    assert moved_mark.status == ANCHORED and moved_mark.passage_id == passage.id
    assert texts[S001][moved_mark.start : moved_mark.end] == passage.text

    # syncing again changes nothing; the orphan is still listed, with its note
    again = archive.sync()
    assert (again.updated, again.reanchored, again.orphaned) == ((), 0, 0)
    orphans = [a for a in archive.notes.annotations() if a.status == ORPHANED]
    assert [(a.id, a.note) for a in orphans] == [(notes["deleted"].id, "remittances and development")]


def test_removed_document_orphans_its_notes_and_they_come_back(archive: Archive, paths: AppPaths) -> None:
    note = _annotate(archive, S003, "The Series hosted seven events on the topics of", note="kept")
    mark = archive.notes.add_bookmark(S003, archive.document(S003).cleaned, label="whole paper")
    file = paths.corpus / S003
    content = file.read_bytes()
    file.unlink()
    report = archive.sync()
    assert report.removed == (S003,)
    assert report.orphaned == 2
    assert archive.notes.annotation(note.id).status == ORPHANED
    assert archive.notes.bookmark(mark.id).status == ORPHANED
    file.write_bytes(content)
    report = archive.sync()
    assert report.added == (S003,) and report.reanchored == 2
    assert archive.notes.annotation(note.id) == note
    assert archive.notes.bookmark(mark.id).status == ANCHORED


def test_a_rebuild_also_orphans_notes_of_documents_gone_meanwhile(archive: Archive, paths: AppPaths) -> None:
    note = _annotate(archive, S002, "The meeting was attended by more than 300 participants")
    (paths.corpus / S002).unlink()
    report = archive.sync(rebuild=True)
    assert report.rebuilt and report.orphaned == 1
    assert archive.notes.annotation(note.id).status == ORPHANED


def test_indexing_alone_creates_no_notes_database(paths: AppPaths) -> None:
    archive = Archive.open(paths)
    try:
        (paths.corpus / S001).write_text("Changed entirely.\n", encoding="utf-8")
        report = archive.sync()
        assert report.updated == (S001,) and (report.reanchored, report.orphaned) == (0, 0)
        assert not archive.notes_path.exists()
    finally:
        archive.close()


def test_notes_outlive_the_archive_object(paths: AppPaths, archive: Archive) -> None:
    note = _annotate(archive, S001, "International migration flows were not expected to abate")
    archive.close()
    reopened = Archive.open(paths)
    try:
        assert reopened.notes.annotations() == [note]
    finally:
        reopened.close()
