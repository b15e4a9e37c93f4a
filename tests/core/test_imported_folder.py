"""An archive whose `imported/` documents live outside its corpus folder (the bundled corpus's)."""

from __future__ import annotations

from pathlib import Path

from add_support import web_page

from migarchive.core import reading
from migarchive.core.archive import Archive
from migarchive.paths import AppPaths


def test_discover_lists_an_outside_imported_folder_as_imported(tmp_path: Path) -> None:
    corpus, elsewhere = tmp_path / "corpus", tmp_path / "data" / "imported"
    (corpus / "imported").mkdir(parents=True)
    elsewhere.mkdir(parents=True)
    (corpus / "a.txt").write_text("A text.\n", encoding="utf-8")
    (corpus / "imported" / "old.txt").write_text("Shadowed by the outside folder.\n", encoding="utf-8")
    (elsewhere / "b.md").write_text("# B\n\nAdded.\n", encoding="utf-8")
    mine = tmp_path / "mine.txt"
    mine.write_text("The user's own file, linked.\n", encoding="utf-8")
    (elsewhere / "linked.txt").symlink_to(mine)

    files, skipped = reading.discover(corpus, imported=elsewhere)
    assert [f.path for f in files] == ["a.txt", "imported/b.md", "imported/linked.txt"] and skipped == []
    assert files[1].abs_path == (elsewhere / "b.md").resolve()
    # Without an outside folder the corpus's own imported/ is read, as before.
    assert [f.path for f in reading.discover(corpus)[0]] == ["a.txt", "imported/old.txt"]

    one = reading.corpus_file(corpus, "imported/b.md", imported=elsewhere)
    assert isinstance(one, reading.CorpusFile) and one == files[1]
    assert reading.corpus_file(corpus, "imported/old.txt", imported=elsewhere) is None
    assert reading.location(corpus, "imported/b.md", elsewhere) == elsewhere / "b.md"
    assert reading.location(corpus, "a.txt", elsewhere) == corpus / "a.txt"


def test_the_bundled_archive_keeps_additions_and_corrections_in_the_data_directory(
        indexed_paths: AppPaths, tmp_path: Path) -> None:
    assert indexed_paths.bundled and indexed_paths.imported == indexed_paths.data_dir / "imported"
    before = sorted(p.name for p in indexed_paths.corpus.iterdir())
    page = web_page(tmp_path / "note.html")
    archive = Archive.open(indexed_paths)
    try:
        assert archive.add([page]).added == ["imported/note.html"]
        assert archive.original_file("imported/note.html") == indexed_paths.data_dir / "imported" / "note.html"
        archive.correct_metadata({"imported/note.html": {"meeting": 7}})
        assert (indexed_paths.data_dir / "imported" / "note.html.meta.json").is_file()
        assert archive.info("imported/note.html").metadata.meeting.number == 7
        assert "circular migration" in archive.document("imported/note.html").cleaned.lower()
    finally:
        archive.close()
    assert sorted(p.name for p in indexed_paths.corpus.iterdir()) == before


def test_a_named_corpus_folder_keeps_its_own_imported_folder(copy_corpus: Path, data_dir: Path) -> None:
    paths = AppPaths(corpus=copy_corpus, data_dir=data_dir)
    assert not paths.bundled and paths.imported == copy_corpus / "imported"
