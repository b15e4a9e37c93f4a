"""`migarchive notes …`: JSON shapes, Markdown and W3C JSON-LD export, import, and error lines (migarchive.cli)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_support import json_line, one_error_line

from migarchive.core.archive import Archive
from migarchive.paths import AppPaths

S001, S002, S003 = "001_2af6c4c605665e75.txt", "002_85393ee9b1ec9064.txt", "003_701c0046ca42ff1f.txt"
ANNOTATION_KEYS = {"id", "path", "exact", "note", "tags", "status", "start", "end"}
BOOKMARK_KEYS = {"id", "path", "passage_id", "label", "exact", "status", "start", "end"}
IMPORT_KEYS = {"added", "anchored", "orphaned", "duplicates"}


@pytest.fixture
def annotated(cli) -> list[dict[str, Any]]:
    """Three annotations made through the command line, as `notes add --json` printed them."""
    made = []
    for args in (
        [S001, "--exact", "Mr. Joseph Chamie", "--note", "Director of the Population Division",
         "--tags", "people, DESA"],
        [S001, "--exact", "workers' remittances", "--occurrence", "2", "--note", "the second mention"],
        [S003, "--exact", "The Series hosted seven events", "--tags", "UNITAR"],
    ):
        code, out, err = cli("notes", "add", *args, "--json")
        assert code == 0, err
        made.append(json_line(out))
    return made


# -- add and list ----------------------------------------------------------------------------------


def test_add_prints_the_annotation(annotated: list[dict[str, Any]], seed_docs) -> None:
    first, second, third = annotated
    assert set(first) == ANNOTATION_KEYS
    text = seed_docs["001"].cleaned
    assert text[first["start"] : first["end"]] == first["exact"] == "Mr. Joseph Chamie"
    assert first["tags"] == ["people", "DESA"]
    assert (first["status"], len(first["id"])) == ("anchored", 32)
    assert second["start"] == text.index("workers' remittances", text.index("workers' remittances") + 1)
    assert third["path"] == S003 and third["note"] == ""


def test_list_json_shape(cli, annotated: list[dict[str, Any]], corpus_dir: Path, indexed_data_dir: Path) -> None:
    archive = Archive.open(AppPaths(corpus=corpus_dir, data_dir=indexed_data_dir))
    doc = archive.document(S002)
    mark = archive.notes.add_bookmark(S002, doc.cleaned, passage_id=doc.passages[7].id, label="attendance")
    archive.notes.add_bookmark(S003, archive.document(S003).cleaned)
    archive.close()
    code, out, err = cli("notes", "list", "--json")
    assert code == 0 and err == ""
    data = json_line(out)
    assert set(data) == {"annotations", "bookmarks"}
    assert all(set(a) == ANNOTATION_KEYS for a in data["annotations"])
    assert all(set(b) == BOOKMARK_KEYS for b in data["bookmarks"])
    assert data["annotations"] == sorted(annotated, key=lambda a: (a["path"], a["start"]))
    by_label = {b["label"]: b for b in data["bookmarks"]}
    assert by_label["attendance"] == {"id": mark.id, "path": S002, "passage_id": doc.passages[7].id,
                                      "label": "attendance", "exact": doc.passages[7].text, "status": "anchored",
                                      "start": doc.passages[7].start, "end": doc.passages[7].end}
    assert by_label[""]["exact"] is None and by_label[""]["start"] is None


def test_list_text(cli, annotated: list[dict[str, Any]]) -> None:
    code, out, _ = cli("notes", "list")
    assert code == 0
    assert out.startswith("3 annotations, 0 bookmarks\n")
    assert "“Mr. Joseph Chamie”  #people #DESA" in out
    assert f"{S001}:{annotated[0]['start']}-{annotated[0]['end']}" in out


def test_list_with_no_notes(cli) -> None:
    code, out, _ = cli("notes", "list", "--json")
    assert code == 0
    assert json_line(out) == {"annotations": [], "bookmarks": []}


@pytest.mark.parametrize("args,expected", [
    ([S001, "--exact", "no such words anywhere"], "occurs nowhere"),
    ([S001, "--exact", "Mr. Joseph Chamie", "--occurrence", "5"], "only 1 time"),
    ([S001, "--exact", "Chamie", "--occurrence", "0"], "--occurrence"),
    (["nope.txt", "--exact", "x"], "nope.txt"),
    ([S001, "--exact", "   "], "--exact"),
])
def test_add_errors(cli, args: list[str], expected: str) -> None:
    line = one_error_line(*cli("notes", "add", *args, "--json"))
    assert expected in line
    assert json_line(cli("notes", "list", "--json")[1])["annotations"] == []


# -- export ----------------------------------------------------------------------------------------


def test_export_markdown(cli, annotated: list[dict[str, Any]]) -> None:
    code, out, err = cli("notes", "export", "--format", "markdown")
    assert code == 0 and err == ""
    assert out.startswith("# Notes\n")
    second = out.index("## Second Coordination Meeting on International Migration")
    fifth = out.index("## Fifth Coordination Meeting on International Migration")
    assert second < fifth
    assert "### Report of the Second Coordination Meeting on International Migration" in out
    assert "> Mr. Joseph Chamie\n\nDirector of the Population Division\n\nTags: people, DESA\n\n— " in out
    assert "> workers' remittances\n\nthe second mention\n\n— " in out
    citation = next(line for line in out.splitlines() if line.startswith("— Population Division"))
    assert "Second Coordination Meeting on International Migration" in citation and "2003" in citation
    assert "section “" in citation
    unitar = out[fifth:]
    assert "> The Series hosted seven events" in unitar and "Tags: UNITAR" in unitar
    assert "UN/POP/MIG-5CM/2006/11" in unitar


def test_export_json_is_a_w3c_annotation_collection(cli, annotated: list[dict[str, Any]], seed_docs) -> None:
    code, out, _ = cli("notes", "export", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == 3
    items = data["first"]["items"]
    assert data["first"]["type"] == "AnnotationPage" and len(items) == 3
    chamie = next(i for i in items if i["target"]["selector"][0]["exact"] == "Mr. Joseph Chamie")
    uuid_hex = annotated[0]["id"]
    assert chamie["id"] == (f"urn:uuid:{uuid_hex[:8]}-{uuid_hex[8:12]}-{uuid_hex[12:16]}-{uuid_hex[16:20]}-"
                            f"{uuid_hex[20:]}")
    assert chamie["type"] == "Annotation" and chamie["motivation"] == "commenting"
    assert chamie["body"] == [
        {"type": "TextualBody", "value": "Director of the Population Division", "format": "text/plain",
         "purpose": "commenting"},
        {"type": "TextualBody", "value": "people", "purpose": "tagging"},
        {"type": "TextualBody", "value": "DESA", "purpose": "tagging"},
    ]
    target = chamie["target"]
    assert target["source"] == S001
    quote, position = target["selector"]
    text = seed_docs["001"].cleaned
    start, end = annotated[0]["start"], annotated[0]["end"]
    assert quote == {"type": "TextQuoteSelector", "exact": "Mr. Joseph Chamie", "prefix": text[start - 32 : start],
                     "suffix": text[end : end + 32]}
    assert position == {"type": "TextPositionSelector", "start": start, "end": end}
    assert {"created", "modified"} <= set(chamie)
    # with --json, the same object on one line
    code, out, _ = cli("notes", "export", "--format", "json", "--json")
    assert json_line(out) == data


def test_export_to_a_file_is_atomic(cli, annotated: list[dict[str, Any]], tmp_path: Path) -> None:
    target = tmp_path / "out" / "notes.md"
    target.parent.mkdir()
    target.write_text("an older export", encoding="utf-8")
    code, out, _ = cli("notes", "export", "--format", "markdown", "--output", str(target), "--json")
    assert code == 0
    assert json_line(out) == {"output": str(target), "format": "markdown", "annotations": 3, "bookmarks": 0}
    assert target.read_text(encoding="utf-8").startswith("# Notes\n")
    assert [p.name for p in target.parent.iterdir()] == ["notes.md"]  # no temp file left
    code, out, _ = cli("notes", "export", "--format", "json", "--output", str(tmp_path / "out" / "n.json"))
    assert code == 0 and out.startswith("wrote 3 annotations and 0 bookmarks to ")
    line = one_error_line(*cli("notes", "export", "--format", "json", "--output", str(tmp_path / "no" / "x.json")))
    assert "x.json" in line


# -- import ----------------------------------------------------------------------------------------


def test_import_into_an_empty_data_dir_gives_the_same_list(cli, annotated: list[dict[str, Any]], tmp_path: Path,
                                                           corpus_dir: Path, indexed_data_dir: Path) -> None:
    archive = Archive.open(AppPaths(corpus=corpus_dir, data_dir=indexed_data_dir))
    doc = archive.document(S002)
    archive.notes.add_bookmark(S002, doc.cleaned, passage_id=doc.passages[7].id, label="attendance")
    archive.notes.add_bookmark(S003, archive.document(S003).cleaned, label="whole")
    archive.close()
    exported = tmp_path / "notes.json"
    assert cli("notes", "export", "--format", "json", "--output", str(exported))[0] == 0
    original = json_line(cli("notes", "list", "--json")[1])
    empty = tmp_path / "empty-data"
    code, out, err = cli("notes", "import", str(exported), "--json", "--data-dir", str(empty))
    assert code == 0, err
    assert json_line(out) == {"added": 5, "anchored": 5, "orphaned": 0, "duplicates": 0}
    assert json_line(cli("notes", "list", "--json", "--data-dir", str(empty))[1]) == original
    # importing again adds nothing, and neither does importing into the original
    assert json_line(cli("notes", "import", str(exported), "--json", "--data-dir", str(empty))[1]) == {
        "added": 0, "anchored": 0, "orphaned": 0, "duplicates": 5}
    assert json_line(cli("notes", "import", str(exported), "--json")[1])["duplicates"] == 5
    assert json_line(cli("notes", "list", "--json", "--data-dir", str(empty))[1]) == original
    code, out, _ = cli("notes", "import", str(exported), "--data-dir", str(empty))
    assert out == "imported 0 notes: 0 anchored, 0 orphaned; 5 already there\n"


def test_import_hand_written_annotations(cli, tmp_path: Path, seed_docs) -> None:
    hand = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "first": {"type": "AnnotationPage", "items": [
            {"type": "Annotation", "id": "http://example.org/anno/1", "bodyValue": "Quoted in chapter 2",
             "target": {"source": S003, "selector": {"type": "TextQuoteSelector",
                                                      "exact": "Each event gathered fifty to one hundred"}}},
            {"type": "Annotation", "body": {"type": "TextualBody", "value": "trafficking", "purpose": "tagging"},
             "target": {"source": S002, "selector": [{"type": "TextQuoteSelector",
                                                      "exact": "a sentence that this report never contained"}]}},
            {"type": "Annotation",
             "target": {"source": "gone/elsewhere.txt", "selector": {"type": "TextQuoteSelector", "exact": "lost"}}},
        ]},
    }
    file = tmp_path / "hand.json"
    file.write_text(json.dumps(hand), encoding="utf-8")
    code, out, err = cli("notes", "import", str(file), "--json")
    assert code == 0, err
    assert json_line(out) == {"added": 3, "anchored": 1, "orphaned": 2, "duplicates": 0}
    listed = json_line(cli("notes", "list", "--json")[1])["annotations"]
    by_path = {a["path"]: a for a in listed}
    anchored = by_path[S003]
    text = seed_docs["003"].cleaned
    assert anchored["status"] == "anchored" and anchored["note"] == "Quoted in chapter 2"
    assert text[anchored["start"] : anchored["end"]] == "Each event gathered fifty to one hundred"
    assert (by_path[S002]["status"], by_path[S002]["tags"]) == ("orphaned", ["trafficking"])
    assert by_path["gone/elsewhere.txt"]["status"] == "orphaned"
    # ids are derived from the items, so a second import recognises them all, even those without an id
    assert json_line(cli("notes", "import", str(file), "--json")[1])["duplicates"] == 3


@pytest.mark.parametrize("content,expected", [
    ("{not json", "not valid JSON"),
    ('"a string"', "JSON object"),
    ('{"type": "Something"}', "AnnotationCollection"),
    ('{"type": "AnnotationCollection", "first": {"items": [{"type": "Annotation"}]}}', "annotation 1"),
    ('[{"type": "Annotation", "target": {"source": "x.txt", "selector": {"type": "TextQuoteSelector"}}}]',
     "exact"),
    ('[{"type": "Annotation", "target": {"source": "x.txt", "selector": {"type": "TextPositionSelector", '
     '"start": 5, "end": 2}}}]', "TextPositionSelector"),
    ('[{"type": "Annotation", "target": {"source": "x.txt"}}]', "neither"),
])
def test_import_errors_are_one_line(cli, tmp_path: Path, content: str, expected: str) -> None:
    file = tmp_path / "bad.json"
    file.write_text(content, encoding="utf-8")
    line = one_error_line(*cli("notes", "import", str(file), "--json"))
    assert expected in line
    assert json_line(cli("notes", "list", "--json")[1]) == {"annotations": [], "bookmarks": []}


def test_import_missing_file(cli, tmp_path: Path) -> None:
    line = one_error_line(*cli("notes", "import", str(tmp_path / "missing.json")))
    assert "missing.json" in line


# -- a damaged notes database ----------------------------------------------------------------------


def test_damaged_database_is_reported_and_restored(cli, annotated: list[dict[str, Any]],
                                                   indexed_data_dir: Path) -> None:
    db = indexed_data_dir / "notes.sqlite3"
    backups = indexed_data_dir / "backups"
    for old in backups.glob("notes-*.sqlite3"):  # made by an earlier `notes add`, before all three
        old.unlink()
    cli("notes", "list")  # the next open makes the daily backup, holding the three notes
    assert len(list(backups.glob("notes-*.sqlite3"))) == 1
    original = json_line(cli("notes", "list", "--json")[1])
    db.write_bytes(b"garbage" * 1000)
    line = one_error_line(*cli("notes", "list", "--json"))
    assert "damaged" in line and "notes restore" in line
    # the index does not depend on the notes: searching still works
    assert cli("search", "remittances", "--json")[0] == 0
    code, out, err = cli("notes", "restore", "--json")
    assert code == 0, err
    data = json_line(out)
    assert Path(data["previous"]).read_bytes() == b"garbage" * 1000
    assert json_line(cli("notes", "list", "--json")[1]) == original
    line = one_error_line(*cli("notes", "restore"))
    assert "not damaged" in line


def test_export_markdown_lists_orphans_and_documents_gone(cli, copy_corpus: Path, tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    for path, exact in ((S002, "The meeting was attended by more than 300 participants"),
                        (S003, "The Series hosted seven events")):
        assert cli("notes", "add", path, "--exact", exact, "--note", "mine", *data, corpus=copy_corpus)[0] == 0
    raw = (copy_corpus / S002).read_text(encoding="utf-8")
    (copy_corpus / S002).write_text(raw.replace("The meeting was attended by more than 300 participants", "Many came"),
                                    encoding="utf-8")
    (copy_corpus / S003).unlink()
    code, out, _ = cli("notes", "export", "--format", "markdown", *data, corpus=copy_corpus)
    assert code == 0
    fifteenth, gone = out.split("## Documents no longer in the archive")
    assert "> The meeting was attended by more than 300 participants\n\n*Orphaned:" in fifteenth
    assert "### `003_701c0046ca42ff1f.txt`\n\n> The Series hosted seven events\n\n*Orphaned:" in gone
    statuses = {a["path"]: a["status"] for a in json_line(cli("notes", "list", "--json", *data, corpus=copy_corpus)[1])
                ["annotations"]}
    assert statuses == {S002: "orphaned", S003: "orphaned"}
