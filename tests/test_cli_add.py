"""`migarchive add`: files copied or linked into imported/, extracted, indexed, placed under a meeting."""

from __future__ import annotations

from pathlib import Path

from add_support import paper_pdf, scanned_pdf, web_page
from cli_support import json_line


def test_add_a_pdf_and_a_web_page(cli, copy_corpus: Path, tmp_path: Path) -> None:
    pdf = paper_pdf(tmp_path / "paper.pdf")
    page = web_page(tmp_path / "note.html")
    code, out, err = cli("add", str(pdf), str(page), "--json", corpus=copy_corpus)
    assert code == 0, err
    rows = json_line(out)["files"]
    assert [r["status"] for r in rows] == ["added", "added"]
    assert rows[0]["path"] == "imported/paper.pdf" and (copy_corpus / "imported" / "paper.pdf").read_bytes() == \
        pdf.read_bytes()
    assert rows[0]["meeting"] == 5
    assert rows[0]["document"]["symbol"] == "UN/POP/MIG-5CM/2006/07"

    code, out, _ = cli("search", "quasquicentennial", "--json", corpus=copy_corpus)
    hit = json_line(out)["results"][0]
    assert (hit["path"], hit["page"]) == ("imported/paper.pdf", 2)
    code, out, _ = cli("search", "xylophage", "--json", corpus=copy_corpus)
    assert json_line(out)["results"][0]["page"] == 1
    code, out, _ = cli("search", "scriptword", "--json", corpus=copy_corpus)
    assert json_line(out)["total"] == 0  # scripts are not text

    code, out, _ = cli("meetings", "--json", corpus=copy_corpus)
    fifth = next(m for m in json_line(out)["meetings"] if m["number"] == 5)
    assert "imported/paper.pdf" in [d["path"] for d in fifth["documents"]]


def test_adding_the_same_content_again_is_a_no_op(cli, copy_corpus: Path, tmp_path: Path) -> None:
    pdf = paper_pdf(tmp_path / "paper.pdf")
    assert cli("add", str(pdf), corpus=copy_corpus)[0] == 0
    renamed = tmp_path / "other name.pdf"
    renamed.write_bytes(pdf.read_bytes())
    code, out, _ = cli("add", str(renamed), corpus=copy_corpus)
    assert code == 0
    assert out.startswith("already in the archive: imported/paper.pdf")
    assert sorted(p.name for p in (copy_corpus / "imported").iterdir()) == ["paper.pdf"]


def test_link_instead_of_copy(cli, copy_corpus: Path, tmp_path: Path) -> None:
    pdf = paper_pdf(tmp_path / "paper.pdf")
    code, out, err = cli("add", "--link", str(pdf), "--json", corpus=copy_corpus)
    assert code == 0, err
    linked = copy_corpus / "imported" / "paper.pdf"
    assert linked.is_symlink() and linked.resolve() == pdf.resolve()
    code, out, _ = cli("search", "xylophage", "--json", corpus=copy_corpus)
    assert json_line(out)["total"] == 1


def test_files_that_cannot_be_added_are_reported(cli, copy_corpus: Path, tmp_path: Path) -> None:
    scanned = scanned_pdf(tmp_path / "scan.pdf")
    unknown = tmp_path / "table.xlsx"
    unknown.write_bytes(b"PK\x03\x04")
    code, out, err = cli("add", str(scanned), str(unknown), str(tmp_path / "missing.pdf"), "--json", corpus=copy_corpus)
    assert code == 1
    rows = {Path(r["file"]).name: r for r in json_line(out)["files"]}
    assert rows["scan.pdf"]["status"] == "failed" and "text layer" in rows["scan.pdf"]["reason"]
    assert rows["table.xlsx"]["status"] == "failed" and "not a document" in rows["table.xlsx"]["reason"]
    assert rows["missing.pdf"]["reason"] == "no such file"


def test_adding_to_the_bundled_archive_writes_in_the_data_directory(cli, corpus_dir: Path, indexed_data_dir: Path,
                                                                     tmp_path: Path) -> None:
    """The bundled corpus is read-only wherever it is installed (site-packages, a frozen bundle):
    what the user adds to it is kept in the data directory, and is still part of that archive."""
    before = sorted(p.name for p in corpus_dir.iterdir())
    pdf = paper_pdf(tmp_path / "paper.pdf")
    code, out, err = cli("add", str(pdf), "--json")
    assert code == 0, err
    assert json_line(out)["files"][0]["path"] == "imported/paper.pdf"
    assert (indexed_data_dir / "imported" / "paper.pdf").read_bytes() == pdf.read_bytes()
    assert sorted(p.name for p in corpus_dir.iterdir()) == before

    code, out, _ = cli("search", "quasquicentennial", "--json")
    assert json_line(out)["results"][0]["path"] == "imported/paper.pdf"
    code, out, _ = cli("show", "imported/paper.pdf")
    assert code == 0 and "xylophage" in out
    code, out, _ = cli("add", str(pdf))
    assert out.startswith("already in the archive: imported/paper.pdf")

    page = web_page(tmp_path / "note.html")
    code, out, err = cli("add", "--link", str(page), "--json")
    assert code == 0, err
    assert (indexed_data_dir / "imported" / "note.html").is_symlink()
    code, out, _ = cli("search", "xylotomous", "--json")
    assert json_line(out)["total"] == 1
