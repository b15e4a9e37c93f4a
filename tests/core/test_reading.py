"""Finding corpus files and decoding them (core.reading), and the promise never to write the sources."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from migarchive.core import reading
from migarchive.core.archive import Archive
from migarchive.core.model import Skipped, SourceText
from migarchive.paths import AppPaths

PARAGRAPH = "The meeting reviewed recent activities on international migration at the United Nations."


def _read_one(root: Path, name: str) -> SourceText | Skipped:
    files, skipped = reading.discover(root)
    assert not skipped
    (file,) = [f for f in files if f.path == name]
    return reading.read_source(file)


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# -- discovery -------------------------------------------------------------------------------------


def test_discover_is_recursive_sorted_and_only_takes_documents(tmp_path: Path) -> None:
    _write(tmp_path / "b.txt", PARAGRAPH)
    _write(tmp_path / "a.md", PARAGRAPH)
    _write(tmp_path / "UPPER.TXT", PARAGRAPH)
    _write(tmp_path / "sub" / "deeper" / "c.txt", PARAGRAPH)
    _write(tmp_path / "sub" / "notes.markdown", PARAGRAPH)
    _write(tmp_path / "paper.pdf", b"%PDF-1.4 not a text file")
    _write(tmp_path / "table.csv", "a,b\n1,2\n")
    _write(tmp_path / "readme.txt.bak", PARAGRAPH)

    files, skipped = reading.discover(tmp_path)

    assert [f.path for f in files] == ["UPPER.TXT", "a.md", "b.txt", "paper.pdf", "sub/deeper/c.txt"]
    assert skipped == []
    broken_pdf = reading.read_source(files[3])
    assert isinstance(broken_pdf, Skipped) and "PDF" in broken_pdf.reason
    deep = files[-1]
    assert deep.abs_path == tmp_path.resolve() / "sub" / "deeper" / "c.txt"
    assert deep.size == len(PARAGRAPH.encode())
    assert deep.mtime_ns == (tmp_path / "sub" / "deeper" / "c.txt").stat().st_mtime_ns


def test_discover_ignores_hidden_files_and_folders(tmp_path: Path) -> None:
    _write(tmp_path / "visible.txt", PARAGRAPH)
    _write(tmp_path / ".hidden.txt", PARAGRAPH)
    _write(tmp_path / ".git" / "notes.txt", PARAGRAPH)
    _write(tmp_path / "sub" / ".cache" / "deep.md", PARAGRAPH)
    _write(tmp_path / "sub" / ".draft.md", PARAGRAPH)

    files, skipped = reading.discover(tmp_path)

    assert [f.path for f in files] == ["visible.txt"]
    assert skipped == []


def test_symlink_leaving_the_corpus_is_skipped_with_a_reason(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    outside = _write(tmp_path / "elsewhere" / "secret.txt", PARAGRAPH)
    _write(corpus / "real.txt", PARAGRAPH)
    (corpus / "escape.txt").symlink_to(outside)
    (corpus / "alias.txt").symlink_to(corpus / "real.txt")  # inside: fine

    files, skipped = reading.discover(corpus)

    assert [f.path for f in files] == ["alias.txt", "real.txt"]
    assert len(skipped) == 1
    assert skipped[0].path == "escape.txt"
    assert "outside the corpus" in skipped[0].reason


def test_symlinked_folder_loop_does_not_hang_or_duplicate(tmp_path: Path) -> None:
    _write(tmp_path / "sub" / "doc.txt", PARAGRAPH)
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)

    files, _ = reading.discover(tmp_path)

    assert [f.path for f in files] == ["sub/doc.txt"]


def test_dangling_symlink_is_skipped_not_fatal(tmp_path: Path) -> None:
    _write(tmp_path / "ok.txt", PARAGRAPH)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")

    files, skipped = reading.discover(tmp_path)

    assert [f.path for f in files] == ["ok.txt"]
    assert [s.path for s in skipped] == ["gone.txt"]
    assert skipped[0].reason.startswith("cannot be read")


def test_discover_finds_the_five_seed_documents(corpus_dir: Path, seed: dict[str, str]) -> None:
    files, skipped = reading.discover(corpus_dir)
    assert [f.path for f in files] == sorted(seed.values())
    assert skipped == []


# -- decoding --------------------------------------------------------------------------------------


def test_utf8_is_read_as_is(tmp_path: Path) -> None:
    text = "Café – “quoted” – Organisation internationale pour les migrations ²"
    _write(tmp_path / "doc.txt", text.encode("utf-8"))
    source = _read_one(tmp_path, "doc.txt")
    assert isinstance(source, SourceText)
    assert (source.text, source.encoding, source.warnings) == (text, "utf-8", ())


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    _write(tmp_path / "doc.txt", "\ufeffCafé society".encode())
    source = _read_one(tmp_path, "doc.txt")
    assert isinstance(source, SourceText)
    assert source.text == "Café society"
    assert source.encoding == "utf-8"
    assert source.warnings == ()


def test_cp1252_fallback_comes_with_a_warning(tmp_path: Path) -> None:
    text = "Café – “quoted” – naïve"
    _write(tmp_path / "legacy.txt", text.encode("cp1252"))
    source = _read_one(tmp_path, "legacy.txt")
    assert isinstance(source, SourceText)
    assert source.text == text
    assert source.encoding == "cp1252"
    assert len(source.warnings) == 1
    assert "UTF-8" in source.warnings[0] and "1252" in source.warnings[0]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, codec: str) -> None:
    text = "Fifth Coordination Meeting – Café\r\nsecond line"
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[codec]
    _write(tmp_path / "wide.txt", bom + text.encode(codec))
    source = _read_one(tmp_path, "wide.txt")
    assert isinstance(source, SourceText)
    assert source.text == "Fifth Coordination Meeting – Café\nsecond line"
    assert source.encoding == "utf-16"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"one\r\ntwo\r\n\r\nthree", "one\ntwo\n\nthree"),
        (b"one\rtwo\r\rthree", "one\ntwo\n\nthree"),
        (b"one\r\ntwo\rthree\nfour", "one\ntwo\nthree\nfour"),
    ],
    ids=["crlf", "cr", "mixed"],
)
def test_newlines_are_normalised(tmp_path: Path, raw: bytes, expected: str) -> None:
    _write(tmp_path / "nl.txt", raw)
    source = _read_one(tmp_path, "nl.txt")
    assert isinstance(source, SourceText)
    assert source.text == expected
    assert "\r" not in source.text


def test_source_records_hash_size_and_mtime_of_the_bytes(tmp_path: Path) -> None:
    import hashlib

    raw = "\ufeffline one\r\nline two".encode()
    path = _write(tmp_path / "doc.txt", raw)
    source = _read_one(tmp_path, "doc.txt")
    assert isinstance(source, SourceText)
    assert source.sha256 == hashlib.sha256(raw).hexdigest()
    assert source.size == len(raw)
    assert source.mtime_ns == path.stat().st_mtime_ns
    assert source.path == "doc.txt"


@pytest.mark.parametrize("raw", [b"", b"   \n\n\t  \r\n"], ids=["zero-bytes", "whitespace"])
def test_empty_file_is_skipped(tmp_path: Path, raw: bytes) -> None:
    _write(tmp_path / "empty.txt", raw)
    result = _read_one(tmp_path, "empty.txt")
    assert isinstance(result, Skipped)
    assert result.path == "empty.txt"
    assert result.reason == "empty file"


def test_utf16_holding_only_blanks_is_skipped_as_empty(tmp_path: Path) -> None:
    _write(tmp_path / "blank16.txt", "  \r\n ".encode("utf-16"))
    result = _read_one(tmp_path, "blank16.txt")
    assert isinstance(result, Skipped)
    assert result.reason == "empty file"


@pytest.mark.parametrize(
    "raw",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(400) + b"\x08\x02\x00\x00\x00",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00\x01\x02\x03" * 200,
        b"SQLite format 3\x00" + bytes(1024),
    ],
    ids=["png", "zip", "sqlite"],
)
def test_binary_file_is_skipped(tmp_path: Path, raw: bytes) -> None:
    _write(tmp_path / "renamed.txt", raw)
    result = _read_one(tmp_path, "renamed.txt")
    assert isinstance(result, Skipped)
    assert result.reason == "binary file, not text"


def test_a_stray_nul_in_a_long_text_is_dropped_not_fatal(tmp_path: Path) -> None:
    raw = (PARAGRAPH + " ") * 5
    damaged = raw[:100] + "\x00" + raw[100:]
    _write(tmp_path / "nul.txt", damaged.encode())
    source = _read_one(tmp_path, "nul.txt")
    assert isinstance(source, SourceText)
    assert source.text == raw


def test_oversized_file_is_skipped_without_reading_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "huge.txt", PARAGRAPH * 10)
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 100)
    result = _read_one(tmp_path, "huge.txt")
    assert isinstance(result, Skipped)
    assert "too large" in result.reason


def test_archive_reports_skipped_files_and_indexes_the_rest(copy_corpus: Path, data_dir: Path) -> None:
    _write(copy_corpus / "empty.txt", b"")
    _write(copy_corpus / "image.txt", b"\x89PNG\r\n\x1a\n" + bytes(300))
    archive = Archive.open(AppPaths(corpus=copy_corpus, data_dir=data_dir))
    try:
        reasons = {s.path: s.reason for s in archive.skipped}
        assert reasons == {"empty.txt": "empty file", "image.txt": "binary file, not text"}
        assert len(archive.documents()) == 5
        assert archive.search("remittances").total > 0
    finally:
        archive.close()


# -- the corpus is read-only -----------------------------------------------------------------------


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_indexing_never_modifies_the_bundled_corpus(corpus_dir: Path, data_dir: Path) -> None:
    before = _snapshot(corpus_dir)
    archive = Archive.open(AppPaths(corpus=corpus_dir, data_dir=data_dir), rebuild=True)
    try:
        archive.document("001_2af6c4c605665e75.txt")
        archive.search("remittances")
    finally:
        archive.close()
    assert _snapshot(corpus_dir) == before


def test_indexing_never_modifies_sources_sidecars_or_odd_files(copy_corpus: Path, data_dir: Path) -> None:
    _write(copy_corpus / "front.md", "---\nmeeting: 5\nkind: contributed paper\n---\n" + PARAGRAPH)
    _write(copy_corpus / "front.md.meta.json", '{"organization": "UNITAR"}')
    _write(copy_corpus / "crlf.txt", (PARAGRAPH + "\r\n\r\n" + PARAGRAPH).encode())
    _write(copy_corpus / "legacy.txt", "Café – naïve".encode("cp1252"))
    _write(copy_corpus / "empty.txt", b"")
    os.utime(copy_corpus / "crlf.txt", ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = _snapshot(copy_corpus)
    paths = AppPaths(corpus=copy_corpus, data_dir=data_dir)
    for rebuild in (True, False):
        archive = Archive.open(paths, rebuild=rebuild)
        archive.close()
    assert _snapshot(copy_corpus) == before


def test_one_file_is_found_as_the_walk_finds_it(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", PARAGRAPH)
    _write(tmp_path / "a.txt.meta.json", '{"meeting": 5}')
    _write(tmp_path / "sub" / "b.md", PARAGRAPH)
    _write(tmp_path / ".hidden" / "c.txt", PARAGRAPH)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    _write(outside, PARAGRAPH)
    (tmp_path / "link.txt").symlink_to(outside)
    (tmp_path / "linked").symlink_to(tmp_path / "sub")
    files, skipped = reading.discover(tmp_path)
    listed: dict[str, object] = {f.path: f for f in files} | {s.path: s for s in skipped}
    assert set(listed) == {"a.txt", "sub/b.md", "link.txt"}
    for path, expected in listed.items():
        assert reading.corpus_file(tmp_path, path) == expected
    for absent in (".hidden/c.txt", "linked/b.md", "gone.txt", "sub/../a.txt"):
        assert reading.corpus_file(tmp_path, absent) is None
