"""One bad file costs that file only: hostile values in sidecars, notes files and queries give a
clear reason, a failing or slow stage skips its document and nothing else, the traceback of an
unexpected failure reaches the log, and what was skipped is not read again until it changes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from migarchive.core import indexing, isolation, mentions, reading
from migarchive.core.archive import Archive
from migarchive.core.notes import exchange
from migarchive.errors import QuerySyntaxError, UserError
from migarchive.paths import AppPaths

ORDINARY = "A paper on xyloordinary and the statistics of international migration.\n"


def _corpus(tmp_path: Path, files: dict[str, str]) -> AppPaths:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ok.txt").write_text(ORDINARY, encoding="utf-8")
    for name, content in files.items():
        (corpus / name).write_text(content, encoding="utf-8", errors="surrogatepass")
    return AppPaths(corpus=corpus.resolve(), data_dir=(tmp_path / "data"))


def _open(paths: AppPaths) -> Archive:
    paths.data_dir.mkdir(exist_ok=True)
    return Archive.open(paths)


def _printable(archive: Archive) -> None:
    """What every read command prints can be encoded: no value in the archive breaks output."""
    meetings, unassigned = archive.meetings()
    for info in [*unassigned, *(d for m in meetings for d in m.documents)]:
        json.dumps([info.metadata.title, info.metadata.organization, info.metadata.symbol, list(info.warnings)],
                   ensure_ascii=False).encode("utf-8")
        archive.document(info.path).cleaned.encode("utf-8")


SIDECARS = {
    "infinity": '{"meeting": Infinity}',
    "nan": '{"meeting": NaN, "title": "Kept title"}',
    "surrogate": '{"title": "\\ud800 broken", "organization": "\\udfff"}',
    "huge-number": '{"meeting": %d}' % 10**100,
    "float-meeting": '{"meeting": 5.5}',
    "bool-meeting": '{"meeting": true}',
    "wrong-types": '{"title": ["a", "list"], "kind": {"a": 1}, "symbol": 3.5e300}',
    "impossible-dates": '{"meeting": 5, "start_date": "0001-01-01", "end_date": "2003-02-30"}',
    "control-characters": '{"title": "a\\u0000b\\u0007"}',
    "deep": "[" * 100_000 + "]" * 100_000,
    "deep-object": '{"title": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "}",
    "long-key": '{"%s": 1}' % ("k" * 10_000),
}


@pytest.mark.parametrize("case", sorted(SIDECARS))
def test_hostile_sidecar_values_are_ignored_field_by_field(tmp_path: Path, case: str) -> None:
    paths = _corpus(tmp_path, {"paper.txt": "A paper on xylohostile migration.\n"})
    (paths.corpus / "paper.txt.meta.json").write_text(SIDECARS[case], encoding="utf-8", errors="surrogatepass")
    archive = _open(paths)
    try:
        assert not archive.skipped
        info = archive.info("paper.txt")
        assert info.warnings, "an unusable sidecar value is reported"
        meeting = info.metadata.meeting
        assert meeting is None or 1 <= meeting.number <= 200
        if case == "nan":
            assert info.metadata.title == "Kept title"  # the usable field is applied
        assert archive.search("xylohostile").total == 1
        _printable(archive)
    finally:
        archive.close()


def test_a_sidecar_linked_out_of_the_corpus_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text('{"title": "Taken from outside"}', encoding="utf-8")
    paths = _corpus(tmp_path, {"paper.txt": "A paper on xylolinked migration.\n"})
    os.symlink(outside, paths.corpus / "paper.txt.meta.json")
    archive = _open(paths)
    try:
        info = archive.info("paper.txt")
        assert info.metadata.title != "Taken from outside"
        assert any("outside the corpus" in w for w in info.warnings)
    finally:
        archive.close()


def test_a_failing_stage_skips_its_document_only_and_logs_the_traceback(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    real = mentions.find_candidates

    def broken(document, gazetteer):  # type: ignore[no-untyped-def]
        if document.path == "bad.txt":
            raise ValueError("a bug in the name finder")
        return real(document, gazetteer)

    monkeypatch.setattr(indexing, "find_candidates", broken)
    paths = _corpus(tmp_path, {"bad.txt": "A paper on xylobad migration.\n"})
    archive = _open(paths)
    try:
        assert [s.path for s in archive.skipped] == ["bad.txt"]
        reason = archive.skipped[0].reason
        assert "ValueError: a bug in the name finder" in reason and isolation.LOG_NAME in reason
        assert archive.search("xyloordinary").total == 1
        log = (paths.data_dir / isolation.LOG_NAME).read_text(encoding="utf-8")
        assert "skipped bad.txt" in log and "Traceback" in log and "broken" in log
    finally:
        archive.close()


def test_a_document_past_its_budget_is_skipped_and_the_rest_indexed(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    real = isolation.budget_seconds
    monkeypatch.setattr(isolation, "budget_seconds", lambda size: -1.0 if size > 1000 else real(size))
    paths = _corpus(tmp_path, {"long.txt": "A long paper on xylolong migration statistics.\n\n" * 100})
    archive = _open(paths)
    try:
        assert [(s.path, "took longer than" in s.reason) for s in archive.skipped] == [("long.txt", True)]
        assert archive.search("xyloordinary").total == 1
    finally:
        archive.close()


def test_an_unchanged_skipped_file_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _corpus(tmp_path, {"bad.txt.meta.json": "{}", "bad.txt": ""})  # empty: skipped
    _open(paths).close()
    reads: list[str] = []
    real = reading.read_source
    monkeypatch.setattr(indexing, "read_source", lambda file: reads.append(file.path) or real(file))
    archive = _open(paths)
    try:
        assert [s.path for s in archive.skipped] == ["bad.txt"] and reads == []
        (paths.corpus / "bad.txt").write_text("Now a paper on xylofixed migration.\n", encoding="utf-8")
        assert archive.sync().added == ("bad.txt",) and reads == ["bad.txt"]
        assert not archive.skipped
    finally:
        archive.close()


def test_adding_a_file_that_cannot_be_indexed_leaves_nothing_behind(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _corpus(tmp_path, {})
    archive = _open(paths)
    monkeypatch.setattr(isolation, "budget_seconds", lambda size: -1.0)
    source = tmp_path / "incoming.txt"
    source.write_text("A paper on xyloincoming.\n", encoding="utf-8")
    try:
        report = archive.add([source])
        assert list(report.unreadable) and "took longer" in next(iter(report.unreadable.values()))
        assert not list((paths.corpus / "imported").glob("*.txt"))
        assert not archive.skipped
    finally:
        archive.close()


# -- notes files -------------------------------------------------------------------------------------

def _annotation(**selector: object) -> dict[str, object]:
    return {"type": "Annotation", "target": {"source": "ok.txt", "selector": [
        {"type": "TextQuoteSelector", "exact": selector.pop("exact", "xyloordinary"), **selector}]}}


NOTES = {
    "deep": lambda: "[" * 100_000 + "]" * 100_000,
    "surrogate": lambda: json.dumps([_annotation(exact="xylo\ud800")]),
    "huge-position": lambda: json.dumps([{"type": "Annotation", "target": {"source": "ok.txt", "selector": [
        {"type": "TextPositionSelector", "start": 10**30, "end": 10**30 + 5}]}}]),
    "long-quote": lambda: json.dumps([_annotation(exact="migration " * 700_000)]),
    "long-number": lambda: '[{"type": "Annotation", "n": ' + "9" * 100_000 + "}]",
}


@pytest.mark.parametrize("case", sorted(NOTES))
def test_hostile_notes_files_are_refused_before_anything_is_written(tmp_path: Path, case: str) -> None:
    paths = _corpus(tmp_path, {})
    archive = _open(paths)
    notes_file = tmp_path / "notes.json"
    notes_file.write_text(NOTES[case](), encoding="utf-8", errors="surrogatepass")
    try:
        with pytest.raises(UserError):
            archive.import_notes(exchange.read_file(notes_file))
        assert archive.notes.annotations() == []
    finally:
        archive.close()


# -- queries -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, limit", [
    ("(" * 40 + "migration" + ")" * 40, "nested"),
    ("NOT NOT migration", "operators"),
    ("x" * 5000, "characters long"),
    ('"' + " ".join(["migration"] * 40) + '"', "at most"),
    (" ".join(f"word{i}" for i in range(100)), "more than"),
    ("migration\ud800", "not text"),
])
def test_queries_past_a_limit_are_refused_with_the_limit_named(archive: Archive, query: str, limit: str) -> None:
    with pytest.raises(QuerySyntaxError, match=limit):
        archive.search(query)


def test_a_prefix_standing_for_too_many_words_is_refused(archive: Archive) -> None:
    with pytest.raises(QuerySyntaxError, match="give more letters"):
        archive.search("*a*")
    assert archive.search("migr*").total > 0
