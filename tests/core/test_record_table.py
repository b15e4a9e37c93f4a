"""The records saved beside the index: the same `DocumentInfo` back, whether made from its tuple or
given, and the facts read from the tuples equal to those of the objects."""

from __future__ import annotations

import pickle
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from migarchive.core.archive import Archive
from migarchive.core.model import AcronymDefinition, DocPath, DocumentInfo, MeetingRef, Metadata, Section, SectionId
from migarchive.core.record_table import Records, from_plain, to_plain

_text = st.text(max_size=12)
_day = st.none() | st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1))
_ref = st.builds(MeetingRef, st.integers(1, 40), _day, _day, st.none() | _text, st.none() | _text)
_section = st.builds(Section, _text.map(SectionId), _text, st.integers(1, 6), st.integers(0, 10**6),
                     st.integers(0, 10**6), st.none() | st.text(min_size=1, max_size=5).map(SectionId))
_info = st.builds(
    DocumentInfo, st.text(min_size=1, max_size=12).map(DocPath), _text, st.integers(0, 10**9), st.integers(0, 2**62),
    st.builds(Metadata, _text, _text, st.none() | _ref, st.none() | _text, st.none() | _text, _day,
              st.lists(_ref, max_size=3).map(tuple), st.lists(_text, max_size=3).map(tuple)),
    st.lists(_section, max_size=4).map(tuple), st.integers(0, 5000), st.integers(0, 9),
    st.lists(st.builds(AcronymDefinition, _text, _text), max_size=3).map(tuple),
    st.lists(_text, max_size=2).map(tuple), st.none() | st.tuples(st.integers(0, 99), st.integers(0, 99)),
    st.lists(st.integers(0, 10**6), max_size=3).map(tuple), st.none() | st.sampled_from(["pdf", "html"]))


@settings(max_examples=100, deadline=None)
@given(_info)
def test_a_record_survives_its_tuple(info: DocumentInfo) -> None:
    assert from_plain(pickle.loads(pickle.dumps(to_plain(info)))) == info


@settings(max_examples=40, deadline=None)
@given(st.lists(_info, max_size=6, unique_by=lambda i: i.path), st.data())
def test_facts_read_from_the_tuples_are_those_of_the_records(infos: list[DocumentInfo], data: st.DataObject) -> None:
    by_path = {info.path: info for info in infos}
    saved = Records.loaded(pickle.loads(pickle.dumps(Records(made=by_path).saved())))
    assert saved is not None
    half = {p: i for n, (p, i) in enumerate(by_path.items()) if n % 2}
    mixed = Records({p: to_plain(i) for p, i in by_path.items() if p not in half}, half)
    for records in (saved, mixed):
        assert dict(records) == by_path
        assert list(records) == sorted(by_path)
        assert records.passages() == sum(i.passage_count for i in infos)
        assert records.meetings() == [by_path[p].metadata.meeting for p in sorted(by_path)]
        assert records.defining() == [by_path[p].defining() for p in sorted(by_path)]
        assert records.definitions() == [(d.acronym, d.long_form) for p in sorted(by_path) for d in by_path[p].definitions]
        for path, info in by_path.items():
            assert records.stamp(path) == (info.size, info.mtime_ns, info.sidecar_stamp)
            assert records.title(path) == info.metadata.title and records.sha256(path) == info.sha256
    removed = data.draw(st.lists(st.sampled_from(sorted(by_path)), unique=True)) if by_path else []
    replacement = data.draw(_info)
    changed = saved.changed(removed, {replacement.path: replacement})
    expected = {p: i for p, i in by_path.items() if p not in removed}
    expected[replacement.path] = replacement
    assert dict(changed) == expected and list(changed) == sorted(expected)


def test_a_table_of_another_format_is_not_read() -> None:
    assert Records.loaded({"": (0,), "a.txt": ()}) is None
    assert Records.loaded(None) is None
    assert Records.loaded({"": (1,), "a.txt": ("b.txt",) * 13}) is None  # a tuple under another path


def test_the_seed_archive_opens_again_with_the_same_records(archive: Archive) -> None:
    before = {info.path: info for info in archive.documents()}
    archive.close()
    again = Archive(archive.paths)
    try:
        again.sync()
        assert {info.path: info for info in again.documents()} == before
        assert again.last_report is not None and again.last_report.passages == sum(i.passage_count for i in before.values())
    finally:
        again.close()
