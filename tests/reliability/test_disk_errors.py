"""A full disk or a read-only data directory while indexing: one clear line from the command line,
a status message in the app, never a traceback; the index in use stays whole and nothing is left
half-written. (Saving a note on a failing disk: tests/ui/test_notes_ui.py::
test_failed_save_keeps_the_note_in_the_editor; a damaged notes database: test_a_damaged_notes_database_*.)

Root ignores file permissions, so a read-only folder is simulated by refusing writes under it
(`guard`), and a full disk by making Whoosh's file writes fail with ENOSPC; a real read-only
folder is used too where the tests do not run as root."""

from __future__ import annotations

import errno
import json
import os
import stat
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh.filedb.structfile import StructFile

from gui_support import run_search
from migarchive.cli import main
from migarchive.core.archive import Archive
from migarchive.core.index import CURRENT
from migarchive.errors import DataDirError
from migarchive.paths import AppPaths

from .conftest import READY_TIMEOUT
from .guard import guarded, refuse_under

# Whoosh does not close a file whose write failed; the garbage collector does. Not ours to fix.
whoosh_leaks = pytest.mark.filterwarnings("ignore::ResourceWarning",
                                          "ignore::pytest.PytestUnraisableExceptionWarning")

NEW_WORDS = "A paragraph about the xylofulldisk register, added while the disk was full."


def _one_error_line(code: int, out: str, err: str) -> str:
    assert code == 2, (code, out, err)
    assert out == "" and "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("migarchive: ")
    return err


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """full_disk(after_bytes): from then on, every write to an index file fails with ENOSPC."""
    state = {"left": None}
    real_write = StructFile.write

    def write(self: StructFile, *args: Any, **kwargs: Any) -> Any:
        if state["left"] is not None:
            data = args[0] if args else b""
            state["left"] -= len(data)
            if state["left"] < 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(StructFile, "write", write)

    def fill(after_bytes: int | None) -> None:
        state["left"] = after_bytes

    yield fill


def _index_files(paths: AppPaths) -> dict[str, bytes]:
    return {str(p.relative_to(paths.index_root)): p.read_bytes()
            for p in sorted(paths.index_root.rglob("*")) if p.is_file() and p.name != "lock"}


def _results(archive: Archive) -> list[tuple[str, str]]:
    return [(h.path, h.passage_id) for h in archive.search("remittances OR xylofulldisk", limit=100).hits]


@whoosh_leaks
@pytest.mark.parametrize("after_bytes", [0, 50_000, 400_000])
def test_full_disk_during_a_rebuild_keeps_the_index_in_use(indexed_paths: AppPaths, full_disk: Any,
                                                           after_bytes: int, figures: Counter[str]) -> None:
    archive = Archive.open(indexed_paths)
    try:
        expected = _results(archive)
        before = _index_files(indexed_paths)
        full_disk(after_bytes)
        with pytest.raises(DataDirError, match="cannot write the index in .*: No space left on device"):
            archive.sync(rebuild=True)
        assert _index_files(indexed_paths) == before, "something was left half-written"
        assert _results(archive) == expected  # the open archive keeps answering
        full_disk(None)  # space was freed
        assert archive.sync(rebuild=True).rebuilt
        assert _results(archive) == expected
    finally:
        archive.close()
    figures["disk errors handled"] += 1


@whoosh_leaks
def test_full_disk_during_an_update_keeps_the_index_in_use(copy_corpus: Path, data_dir: Path, full_disk: Any,
                                                           figures: Counter[str]) -> None:
    paths = AppPaths(corpus=copy_corpus, data_dir=data_dir)
    archive = Archive.open(paths)
    try:
        expected = _results(archive)
        pointer = (paths.index_root / CURRENT).read_bytes()
        with open(copy_corpus / "001_2af6c4c605665e75.txt", "a", encoding="utf-8") as handle:
            handle.write("\n\n" + NEW_WORDS + "\n")
        full_disk(1000)
        with pytest.raises(DataDirError, match="No space left on device"):
            archive.sync()
        assert (paths.index_root / CURRENT).read_bytes() == pointer
        assert _results(archive) == expected
        full_disk(None)
        report = archive.sync()
        assert report.updated == ("001_2af6c4c605665e75.txt",)
        assert ("001_2af6c4c605665e75.txt" in {p for p, _ in _results(archive)})
        assert archive.search("xylofulldisk").total == 1
    finally:
        archive.close()
    # what the failed update had begun to write is gone; only the live files remain
    live = json.loads((paths.index_root / CURRENT).read_text(encoding="utf-8"))
    generation = paths.index_root / live["generation"]
    assert sorted(p.name for p in generation.iterdir() if p.name != "MAIN_WRITELOCK") == sorted(live["files"])
    figures["disk errors handled"] += 1


@whoosh_leaks
def test_full_disk_while_switching_to_the_new_index(indexed_paths: AppPaths, figures: Counter[str]) -> None:
    """The pointer to the new generation cannot be written: the old one stays, nothing is left over."""
    before = _index_files(indexed_paths)

    def refuse(event: str, path: Path) -> OSError | None:
        if path.name.startswith(f".{CURRENT}.") and event == "open":
            return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return None

    archive = Archive(indexed_paths)
    try:
        with guarded(refuse), pytest.raises(DataDirError, match="No space left on device"):
            archive.sync(rebuild=True)
    finally:
        archive.close()
    assert _index_files(indexed_paths) == before
    figures["disk errors handled"] += 1


@whoosh_leaks
def test_full_disk_is_one_line_from_the_command_line(corpus_dir: Path, indexed_data_dir: Path, full_disk: Any,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    full_disk(10_000)
    code = main(["index", "--rebuild", "--corpus", str(corpus_dir), "--data-dir", str(indexed_data_dir)])
    line = _one_error_line(code, *capsys.readouterr())
    assert "No space left on device" in line
    full_disk(None)
    assert main(["search", "remittances", "--json", "--corpus", str(corpus_dir),
                 "--data-dir", str(indexed_data_dir)]) == 0  # the index from before is whole


@pytest.mark.parametrize("state", ["empty", "indexed"])
def test_read_only_data_directory_is_one_line_from_the_command_line(state: str, corpus_dir: Path, tmp_path: Path,
                                                                    indexed_data_dir: Path,
                                                                    capsys: pytest.CaptureFixture[str],
                                                                    figures: Counter[str]) -> None:
    data = indexed_data_dir if state == "indexed" else tmp_path / "empty-data"
    data.mkdir(exist_ok=True)
    for command in (["index"], ["index", "--rebuild"], ["search", "remittances"],
                    ["notes", "add", "001_2af6c4c605665e75.txt", "--exact", "Berne Initiative"]):
        with guarded(refuse_under(data)):
            code = main([*command, "--corpus", str(corpus_dir), "--data-dir", str(data)])
        line = _one_error_line(code, *capsys.readouterr())
        assert "Read-only file system" in line, line
        figures["disk errors handled"] += 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write a read-only folder")
def test_really_read_only_data_directory(corpus_dir: Path, indexed_data_dir: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    folders = [indexed_data_dir, *[p for p in indexed_data_dir.rglob("*") if p.is_dir()]]
    for folder in folders:
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code = main(["index", "--rebuild", "--corpus", str(corpus_dir), "--data-dir", str(indexed_data_dir)])
        _one_error_line(code, *capsys.readouterr())
    finally:
        for folder in folders:
            folder.chmod(stat.S_IRWXU)


@pytest.mark.gui
def test_read_only_data_directory_in_the_app(corpus_dir: Path, tmp_path: Path, open_window: Any, qtbot: Any) -> None:
    data = tmp_path / "read-only-data"
    data.mkdir()
    with guarded(refuse_under(data)):
        win = open_window(corpus_dir, data, wait=False)
        qtbot.waitUntil(lambda: "could not be opened" in win.statusBar().currentMessage(), timeout=READY_TIMEOUT)
    message = win.statusBar().currentMessage()
    assert "Read-only file system" in message and "Traceback" not in message
    assert win.reindex_action.isEnabled()  # the user can try again once the folder is writable
    with qtbot.waitSignal(win.ready, timeout=READY_TIMEOUT):
        win.reindex()
    assert win.archive is not None and win.archive.search("remittances").total > 0


@pytest.mark.gui
@whoosh_leaks
def test_full_disk_during_a_reindex_in_the_app(corpus_dir: Path, indexed_data_dir: Path, open_window: Any,
                                               qtbot: Any, full_disk: Any) -> None:
    win = open_window(corpus_dir, indexed_data_dir)
    before = win.archive.search("remittances").total
    full_disk(20_000)
    win.reindex(rebuild=True)
    qtbot.waitUntil(lambda: "could not be updated" in win.statusBar().currentMessage(), timeout=READY_TIMEOUT)
    message = win.statusBar().currentMessage()
    assert "No space left on device" in message and "from before" in message
    win.search_field.setText("remittances")
    run_search(win)
    assert win.results_model.rowCount() == before  # searching goes on with the index from before
    assert win.reindex_action.isEnabled()
