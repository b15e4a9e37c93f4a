"""The `migarchive` command line: JSON shapes, text output, exit codes and error lines (migarchive.cli)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import json_line, one_error_line

from migarchive.paths import DATA_DIR_ENV

S000, S001, S002, S003, S004 = (
    "000_b26e33a0a508e853.txt", "001_2af6c4c605665e75.txt", "002_85393ee9b1ec9064.txt",
    "003_701c0046ca42ff1f.txt", "004_92a7188ace85ec6e.txt",
)
# Beyond the contract: "month" dates a meeting known by its month only; "place" is where it met.
MEETING_KEYS = {"number", "title", "start_date", "end_date", "referenced_only", "documents", "month", "place"}
DOCUMENT_KEYS = {"path", "title", "kind", "organization", "symbol", "sections"}
SECTION_KEYS = {"id", "title", "level"}
SEARCH_KEYS = {"query", "corrected", "total", "results", "suggestion", "loosened", "also_searched"}
RESULT_KEYS = {"path", "title", "meeting", "section", "passage_id", "page", "score", "snippet"}
INDEX_KEYS = {"documents", "passages", "skipped", "seconds"}


# -- index -----------------------------------------------------------------------------------------


def test_index_json(cli) -> None:
    code, out, err = cli("index", "--json")
    assert code == 0
    data = json_line(out)
    assert set(data) == INDEX_KEYS
    assert (data["documents"], data["passages"], data["skipped"]) == (5, 134, [])
    assert isinstance(data["seconds"], (int, float)) and data["seconds"] >= 0
    assert err == ""


def test_index_rebuild_json(cli) -> None:
    code, out, _ = cli("index", "--rebuild", "--json")
    assert code == 0
    data = json_line(out)
    assert set(data) == INDEX_KEYS
    assert (data["documents"], data["passages"]) == (5, 134)


def test_index_text(cli) -> None:
    code, out, _ = cli("index", "--rebuild")
    assert code == 0
    assert out.startswith("5 documents, 134 passages indexed in ")
    assert "(rebuilt)" in out


def test_index_lists_broken_files_and_indexes_the_rest(cli, copy_corpus: Path) -> None:
    (copy_corpus / "empty.txt").write_bytes(b"")
    (copy_corpus / "sub").mkdir()
    (copy_corpus / "sub" / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(500))
    code, out, _ = cli("index", "--json", corpus=copy_corpus)
    assert code == 0
    data = json_line(out)
    assert data["documents"] == 5
    assert data["passages"] == 134
    assert data["skipped"] == [
        {"path": "empty.txt", "reason": "empty file"},
        {"path": "sub/scan.txt", "reason": "binary file, not text"},
    ]
    # the other commands still work and say on stderr what they skipped
    code, out, err = cli("search", "remittances", "--json", corpus=copy_corpus)
    assert code == 0
    assert json_line(out)["total"] == 8
    assert "skipped empty.txt: empty file" in err
    assert "Traceback" not in err


# -- meetings --------------------------------------------------------------------------------------


def test_meetings_json_shape_and_content(cli) -> None:
    code, out, err = cli("meetings", "--json")
    assert code == 0
    assert err == ""
    data = json_line(out)
    assert set(data) == {"meetings", "unassigned"}
    assert data["unassigned"] == []
    meetings = data["meetings"]
    for meeting in meetings:
        assert set(meeting) == MEETING_KEYS
        for doc in meeting["documents"]:
            assert set(doc) == DOCUMENT_KEYS
            for section in doc["sections"]:
                assert set(section) == SECTION_KEYS
                assert isinstance(section["level"], int)
    assert [m["number"] for m in meetings] == [1, 2, 4, 5, 15]
    by_number = {m["number"]: m for m in meetings}
    placed = {n: [d["path"] for d in m["documents"]] for n, m in by_number.items()}
    assert placed == {1: [], 2: [S001, S000], 4: [S004], 5: [S003], 15: [S002]}
    assert [(n, m["start_date"], m["end_date"], m["referenced_only"]) for n, m in by_number.items()] == [
        (1, None, None, True),
        (2, "2003-10-15", "2003-10-16", False),
        (4, "2005-10-26", "2005-10-27", False),
        (5, "2006-11-20", "2006-11-21", False),
        (15, "2017-02-16", "2017-02-17", False),
    ]
    assert by_number[1]["month"] == "2002-07"
    assert by_number[2]["title"] == "Second Coordination Meeting on International Migration"
    paper = by_number[5]["documents"][0]
    assert paper["kind"] == "contributed paper"
    assert "UNITAR" in paper["organization"]
    assert paper["symbol"] == "UN/POP/MIG-5CM/2006/11"
    report = by_number[2]["documents"][0]
    assert (report["kind"], report["organization"], report["symbol"]) == ("report", "Population Division", None)
    assert {"id": "1-workers-remittances", "title": "1. Workers' Remittances", "level": 4} in report["sections"]


def test_meetings_text(cli) -> None:
    code, out, _ = cli("meetings")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == " 1. First Coordination Meeting on International Migration · 2002-07  (referenced only)"
    assert " 2. Second Coordination Meeting on International Migration · 2003-10-15 – 2003-10-16" in lines
    assert any(line.strip().startswith(S003) and "UN/POP/MIG-5CM/2006/11" in line for line in lines)


def test_meetings_paths_are_corpus_relative_with_slashes(cli, copy_corpus: Path) -> None:
    nested = copy_corpus / "2007" / "sixth"
    nested.mkdir(parents=True)
    (nested / "paper.md").write_text(
        "SIXTH COORDINATION MEETING ON INTERNATIONAL MIGRATION\n\nNew York, 26-27 November 2007\n\n"
        "The representatives of the organizations reviewed the activities carried out during the year in the "
        "field of international migration and agreed on a common plan.\n", encoding="utf-8")
    (copy_corpus / "loose.txt").write_text("A note without any meeting at all, kept in the archive folder.\n",
                                           encoding="utf-8")
    code, out, _ = cli("meetings", "--json", corpus=copy_corpus)
    assert code == 0
    data = json_line(out)
    by_number = {m["number"]: m for m in data["meetings"]}
    assert [d["path"] for d in by_number[6]["documents"]] == ["2007/sixth/paper.md"]
    assert [d["path"] for d in data["unassigned"]] == ["loose.txt"]
    assert set(data["unassigned"][0]) == DOCUMENT_KEYS
    code, out, _ = cli("search", "common plan", "--json", corpus=copy_corpus)
    assert [r["path"] for r in json_line(out)["results"]] == ["2007/sixth/paper.md"]


# -- search ----------------------------------------------------------------------------------------


def test_search_json(cli) -> None:
    code, out, err = cli("search", "remittances", "--json", "--limit", "3")
    assert code == 0
    assert err == ""
    data = json_line(out)
    assert set(data) == SEARCH_KEYS
    assert (data["query"], data["corrected"], data["total"]) == ("remittances", None, 8)
    assert len(data["results"]) == 3
    for result in data["results"]:
        assert set(result) == RESULT_KEYS
        assert "**remittances**" in result["snippet"].lower()
        assert not result["path"].startswith("/") and "\\" not in result["path"]
    top = data["results"][0]
    assert top["path"] == S001
    assert top["meeting"] == 2
    assert top["section"] == "1. Workers' Remittances"
    assert top["passage_id"].startswith("p")
    assert isinstance(top["score"], float)
    assert top["title"] == "Report of the Second Coordination Meeting on International Migration"


def test_search_json_spelling_correction(cli) -> None:
    code, out, _ = cli("search", "remitances", "--json")
    assert code == 0
    data = json_line(out)
    assert (data["query"], data["corrected"]) == ("remitances", "remittances")
    assert data["total"] > 0 and data["results"]


def test_search_symbol_and_filters(cli) -> None:
    data = json_line(cli("search", "A/RES/71/1", "--json")[1])
    assert [r["path"] for r in data["results"]] == [S002]
    data = json_line(cli("search", "org:UNITAR year:2005", "--json", "--limit", "50")[1])
    assert {r["path"] for r in data["results"]} == {S004}


def test_search_text(cli) -> None:
    code, out, _ = cli("search", "remitances", "--limit", "2")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "(no results for 'remitances'; showing results for 'remittances')"
    assert lines[1] == "8 passages in 3 documents"
    assert f"{S001}#" in out and "meeting 2 › Report of the Second Coordination Meeting" in out


def test_search_with_no_results(cli) -> None:
    code, out, _ = cli("search", "zzzxqv", "--json")
    assert code == 0
    assert json_line(out) == {"query": "zzzxqv", "corrected": None, "suggestion": None, "loosened": False,
                              "also_searched": [], "total": 0, "results": []}


# -- show ------------------------------------------------------------------------------------------


def test_entities_json_shape_sorted_by_mentions(cli) -> None:
    code, out, err = cli("entities", "--json")
    assert code == 0
    data = json_line(out)
    assert set(data) == {"entities"}
    entities = data["entities"]
    assert entities, "the bundled corpus names many agencies"
    for entity in entities:
        assert set(entity) == {"name", "acronym", "kind", "system", "aliases", "editions", "mentions", "documents"}
        assert entity["kind"] in ("agency", "initiative")
        assert entity["mentions"] == sum(d["mentions"] for d in entity["documents"])
        assert all(set(d) == {"path", "mentions"} for d in entity["documents"])
    # The bodies by mentions; the United Nations as a whole apart, after them.
    bodies = [e for e in entities if not e["system"]]
    assert [e["name"] for e in entities if e["system"]] == ["United Nations"]
    assert entities[: len(bodies)] == bodies
    counts = [e["mentions"] for e in bodies]
    assert counts == sorted(counts, reverse=True)
    iom = next(e for e in entities if e["acronym"] == "IOM")
    assert iom["name"] == "International Organization for Migration" and iom["kind"] == "agency"


def test_entities_kind_filter(cli) -> None:
    code, out, _ = cli("entities", "--kind", "initiative", "--json")
    assert code == 0
    kinds = {e["kind"] for e in json_line(out)["entities"]}
    assert kinds == {"initiative"}
    code, out, _ = cli("entities", "--kind", "initiative")
    assert code == 0 and "Berne Initiative" in out


def test_search_entity_filter(cli) -> None:
    code, out, _ = cli("search", "entity:IOM", "--limit", "50", "--json")
    assert code == 0
    data = json_line(out)
    assert data["total"] > 5
    code, out, err = cli("search", "entity:NOSUCHTHING")
    one_error_line(code, out, err)


def test_show_prints_the_cleaned_text(cli, seed_docs) -> None:
    code, out, _ = cli("show", S001)
    assert code == 0
    assert out == seed_docs["001"].cleaned.rstrip("\n") + "\n"
    assert out.startswith("## I. REPORT OF THE MEETING\n")
    assert "Tj" not in out


def test_show_section(cli, seed_docs) -> None:
    code, out, _ = cli("show", S001, "--section", "1-workers-remittances")
    assert code == 0
    assert out.startswith("#### 1. Workers' Remittances\n")
    assert "Mr. Dilip K. Ratha" in out
    assert "2. Undocumented migration" not in out
    assert out == seed_docs["001"].section_text("1-workers-remittances").rstrip("\n") + "\n"


def test_show_json(cli) -> None:
    code, out, _ = cli("show", S003, "--json")
    assert code == 0
    data = json_line(out)
    assert DOCUMENT_KEYS | {"meeting"} <= set(data)
    assert data["path"] == S003
    assert data["meeting"] == 5
    assert data["kind"] == "contributed paper"
    assert data["symbol"] == "UN/POP/MIG-5CM/2006/11"
    assert "UNITAR" in data["organization"]
    assert [s["id"] for s in data["sections"]] == [
        "fifth-coordination-meeting-on-international-migration",
        "unitar-s-migration-related-activities",
        "a-unitar-unfpa-iom-key-migration-issues-workshop-series",
        "b-unitar-s-migration-related-activities-in-2007",
    ]
    assert data["text"].startswith("UN/POP/MIG-5CM/2006/11 21 November 2006")


def test_show_json_section(cli) -> None:
    data = json_line(cli("show", S001, "--section", "1-workers-remittances", "--json")[1])
    assert data["text"].startswith("#### 1. Workers' Remittances")
    assert len(data["sections"]) == 10


def test_show_nested_path(cli, copy_corpus: Path) -> None:
    (copy_corpus / "sub").mkdir()
    (copy_corpus / "sub" / "note.md").write_text("# NOTE\n\nA short note about remittances.\n", encoding="utf-8")
    code, out, _ = cli("show", "sub/note.md", corpus=copy_corpus)
    assert code == 0
    assert out == "# NOTE\n\nA short note about remittances.\n"


# -- errors ----------------------------------------------------------------------------------------


def test_error_missing_corpus(cli, tmp_path: Path) -> None:
    line = one_error_line(*cli("meetings", corpus=tmp_path / "no-such-folder"))
    assert "no-such-folder" in line


def test_error_corpus_is_a_file(cli, tmp_path: Path) -> None:
    file = tmp_path / "file.txt"
    file.write_text("x", encoding="utf-8")
    one_error_line(*cli("search", "x", corpus=file))


@pytest.mark.parametrize("query", ['"unbalanced', "foo:bar", "(migration", ""])
def test_error_bad_query(cli, query: str) -> None:
    one_error_line(*cli("search", query))
    one_error_line(*cli("search", query, "--json"))


def test_error_unknown_document(cli) -> None:
    line = one_error_line(*cli("show", "nope.txt"))
    assert "nope.txt" in line


def test_error_unknown_section(cli) -> None:
    line = one_error_line(*cli("show", S001, "--section", "no-such-section"))
    assert "no-such-section" in line


def test_error_bad_limit(cli) -> None:
    one_error_line(*cli("search", "migration", "--limit", "0"))


def test_error_unwritable_data_dir(cli, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    one_error_line(*cli("meetings", "--data-dir", str(blocker / "data")))


def test_usage_errors_exit_with_argparse_status(cli) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("frobnicate")
    assert exc.value.code == 2


# -- option placement ------------------------------------------------------------------------------



@pytest.mark.parametrize(
    "order",
    [
        "after",
        "before",
        "mixed",
    ],
)
def test_options_before_or_after_the_subcommand(cli, copy_corpus: Path, tmp_path: Path, order: str) -> None:
    (copy_corpus / "extra.txt").write_text("The quokkaesque proposal was welcomed by all participants.\n",
                                           encoding="utf-8")
    data = tmp_path / "explicit-data"
    options = ["--corpus", str(copy_corpus), "--data-dir", str(data), "--json"]
    args = {
        "after": ["search", "quokkaesque", *options],
        "before": [*options, "search", "quokkaesque"],
        "mixed": ["--json", "--data-dir", str(data), "search", "quokkaesque", "--corpus", str(copy_corpus)],
    }[order]
    code, out, _ = cli(*args, corpus=None)
    assert code == 0
    assert [r["path"] for r in json_line(out)["results"]] == ["extra.txt"]
    assert (data / "indexes").is_dir()


@pytest.mark.parametrize(
    "args",
    [
        ["search", "x", "--corpus", "MISSING"],
        ["--corpus", "MISSING", "search", "x"],
    ],
)
def test_missing_corpus_is_an_error_wherever_the_option_is(cli, tmp_path: Path, args: list[str]) -> None:
    missing = str(tmp_path / "missing-corpus")
    one_error_line(*cli(*[missing if a == "MISSING" else a for a in args], corpus=None))


def test_corpus_from_the_environment(cli, copy_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (copy_corpus / "extra.txt").write_text("The quokkaesque proposal was welcomed.\n", encoding="utf-8")
    monkeypatch.setenv("MIGARCHIVE_CORPUS", str(copy_corpus))
    code, out, _ = cli("search", "quokkaesque", "--json", corpus=None)
    assert code == 0
    assert [r["path"] for r in json_line(out)["results"]] == ["extra.txt"]


# -- the module entry point ------------------------------------------------------------------------


def test_python_dash_m_entry_point(corpus_dir: Path, indexed_data_dir: Path) -> None:
    env = dict(os.environ, **{DATA_DIR_ENV: str(indexed_data_dir)})
    env.pop("MIGARCHIVE_CORPUS", None)
    proc = subprocess.run(
        [sys.executable, "-m", "migarchive", "meetings", "--json", "--corpus", str(corpus_dir)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    data = json.loads(proc.stdout)
    assert [m["number"] for m in data["meetings"]] == [1, 2, 4, 5, 15]


def test_python_dash_m_error_exit(tmp_path: Path) -> None:
    env = dict(os.environ, **{DATA_DIR_ENV: str(tmp_path / "data")})
    proc = subprocess.run(
        [sys.executable, "-m", "migarchive", "search", '"open quote', "--corpus", str(tmp_path / "nowhere")],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("migarchive: ")


def test_search_batch_prints_one_json_line_per_query(cli, tmp_path: Path) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text('remittances\n\n"New York Declaration"\nfoo:bar\n', encoding="utf-8")
    code, out, err = cli("search", "--batch", str(queries), "--limit", "2", "--json")
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["query"] for line in lines] == ["remittances", '"New York Declaration"', "foo:bar"]
    assert all(isinstance(line["ms"], float) for line in lines)
    assert lines[0]["total"] > 0 and len(lines[0]["results"]) == 2
    assert "unknown field" in lines[2]["error"]


def test_search_needs_a_query_or_a_batch(cli) -> None:
    code, out, err = cli("search")
    one_error_line(code, out, err)


# What a command loads: each module below cost a command-line search milliseconds at its start.
UNNEEDED_FOR_A_SEARCH = ("migarchive.core.entities", "migarchive.core.indexing", "migarchive.core.metadata",
                         "migarchive.core.documents", "multiprocessing", "logging.handlers", "asyncio",
                         "urllib.request", "migarchive.core.notes.store", "migarchive.core.notes.exchange",
                         "migarchive.core.notes.markdown_export", "migarchive.core.notes.anchoring")


def test_a_search_of_an_unchanged_archive_loads_only_what_it_needs(corpus_dir: Path, indexed_data_dir: Path) -> None:
    # As `python -m migarchive search`, then the modules loaded listed: a fresh process, since
    # this one has imported everything.
    script = ("import os, runpy, sys\n"
              "def exit_here(code):\n    raise SystemExit(code)\n"
              "os._exit = exit_here  # the command's quick exit, caught to list the modules\n"
              "sys.argv = ['migarchive', 'search', 'remittances', '--json']\n"
              "try:\n    runpy.run_module('migarchive', run_name='__main__')\n"
              "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
              "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n")
    env = dict(os.environ, **{DATA_DIR_ENV: str(indexed_data_dir), "MIGARCHIVE_CORPUS": str(corpus_dir)})
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["total"] > 0
    loaded = set(proc.stderr.split())
    assert "migarchive.core.search" in loaded  # the listing is of this run
    assert loaded.isdisjoint(UNNEEDED_FOR_A_SEARCH), sorted(loaded & set(UNNEEDED_FOR_A_SEARCH))


def test_a_reader_that_goes_away_is_no_error(corpus_dir: Path, indexed_data_dir: Path) -> None:
    # `migarchive search … | head -1`: the command's quick exit flushes what it can and says nothing.
    env = dict(os.environ, **{DATA_DIR_ENV: str(indexed_data_dir), "MIGARCHIVE_CORPUS": str(corpus_dir)})
    with subprocess.Popen([sys.executable, "-m", "migarchive", "search", "migration", "--limit", "500"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()
        error = proc.stderr.read()
        assert proc.wait(timeout=120) == 0
    assert error == b""
