"""The app and the command line never open a network connection, only ever read the corpus, and
write nowhere but the data directory (and the file the user exports to).

Every flow runs under `guard`: socket creation and name lookups fail (and are recorded), and every
file write, folder creation, rename and removal is recorded; after each flow the corpus tree must
be byte-identical to what it was."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gui_support import run_search, settle
from migarchive.cli import main

from .badcorpus import STRANGE_NAME, make_bad_corpus
from .conftest import popup_noise, tree_snapshot
from .guard import Guard, guarded

DOC = "001_2af6c4c605665e75.txt"


def _cli_flows(corpus: Path, data: Path, exports: Path) -> list[list[str]]:
    base = ["--corpus", str(corpus), "--data-dir", str(data)]
    return [
        ["index", "--json", *base],
        ["index", "--rebuild", *base],
        ["search", "remittances", "--json", *base],
        ["search", "remitances", *base],
        ["search", "entity:IOM meeting:2", "--json", *base],
        ["meetings", "--json", *base],
        ["entities", "--kind", "agency", *base],
        ["show", DOC, "--json", *base],
        ["show", STRANGE_NAME, *base],
        ["notes", "add", DOC, "--exact", "Berne Initiative", "--note", "offline", "--tags", "a,b", *base],
        ["notes", "list", "--json", *base],
        ["notes", "export", "--format", "json", "--output", str(exports / "notes.json"), *base],
        ["notes", "export", "--format", "markdown", *base],
        ["notes", "import", str(exports / "notes.json"), *base],
    ]


def _assert_only_under(guard: Guard, *allowed: Path) -> None:
    roots = [root.resolve() for root in allowed]
    stray = [(event, path) for event, path in guard.writes
             if not any(path.resolve() == root or root in path.resolve().parents for root in roots)]
    assert not stray, f"written outside the data directory: {stray[:5]}"


def test_command_line_flows_stay_offline_and_leave_the_corpus_alone(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    corpus, data, exports = tmp_path / "corpus", tmp_path / "data", tmp_path / "exports"
    make_bad_corpus(corpus, tmp_path / "outside.txt", long_line=False)
    exports.mkdir()
    before = tree_snapshot(corpus)
    for argv in _cli_flows(corpus, data, exports):
        with guarded() as guard:
            code = main(argv)
        out, err = capsys.readouterr()
        assert code == 0, (argv, err)
        assert "Traceback" not in err
        assert guard.sockets == [], (argv, guard.sockets)
        _assert_only_under(guard, data, exports)
        assert tree_snapshot(corpus) == before, f"`{' '.join(argv[:2])}` changed the corpus"


# A fresh process: even starting up (imports, platform folders) must not touch the network.
CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import guard
with guard.guarded() as g:
    from migarchive.cli import main
    codes = [main(argv) for argv in json.loads(sys.argv[2])]
sys.stdout.flush()
print("\nREPORT " + json.dumps({"codes": codes, "sockets": g.sockets,
                                "writes": [str(p) for _, p in g.writes]}))
"""


def test_a_fresh_process_never_touches_the_network(tmp_path: Path, corpus_dir: Path) -> None:
    data, exports = tmp_path / "data", tmp_path / "exports"
    exports.mkdir()
    flows = [f for f in _cli_flows(corpus_dir, data, exports) if STRANGE_NAME not in f]
    done = subprocess.run([sys.executable, "-c", CHILD, str(Path(__file__).parent), json.dumps(flows)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    report = json.loads(done.stdout.rsplit("REPORT ", 1)[1])
    assert report["codes"] == [0] * len(flows)
    assert report["sockets"] == []
    roots = [str(data.resolve()), str(exports.resolve())]
    assert all(any(path.startswith(root) for root in roots) for path in report["writes"]), report["writes"]


@pytest.mark.gui
@popup_noise
def test_app_flows_stay_offline_and_leave_the_corpus_alone(tmp_path: Path, open_window: Any, qtbot: Any,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QFileDialog

    corpus, data, exports = tmp_path / "corpus", tmp_path / "data", tmp_path / "exports"
    make_bad_corpus(corpus, tmp_path / "outside.txt", long_line=False)
    exports.mkdir()
    before = tree_snapshot(corpus)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(exports / "notes.md"), "")))
    with guarded() as guard:
        win = open_window(corpus, data)
        assert tree_snapshot(corpus) == before
        win.search_field.setText("remittances")
        run_search(win)
        assert win.results_model.rowCount() > 0
        win.search.open_result(win.results_model.index(0, 0))
        assert win.open_place(DOC)
        document = win.reader.browser.document()
        at = document.toPlainText().find("Berne Initiative")
        cursor = QTextCursor(document)
        cursor.setPosition(at)
        cursor.setPosition(at + len("Berne Initiative"), QTextCursor.MoveMode.KeepAnchor)
        win.reader.browser.setTextCursor(cursor)
        win.notes.highlight()
        win.notes.bookmark()
        win.notes.export_notes("markdown")
        settle(win)
        assert (exports / "notes.md").read_text(encoding="utf-8").count("Berne Initiative") >= 1
        assert tree_snapshot(corpus) == before
        with qtbot.waitSignal(win.ready, timeout=60_000):
            win.reindex(rebuild=True)
        assert win.open_place(STRANGE_NAME)
        win.copy_citation()
    assert guard.sockets == []
    _assert_only_under(guard, data, exports)
    assert tree_snapshot(corpus) == before


def test_the_guard_sees_what_it_must(tmp_path: Path) -> None:
    """The checks above would pass vacuously if the guard were blind."""
    import socket

    with guarded() as guard:
        with pytest.raises(PermissionError):
            socket.create_connection(("example.org", 80), timeout=1)
        with pytest.raises(PermissionError):
            socket.socket()
        (tmp_path / "written.txt").write_text("x", encoding="utf-8")
    assert [event for event, _ in guard.sockets][:1] == ["socket.getaddrinfo"]
    assert len(guard.sockets) == 2
    assert any(path == tmp_path / "written.txt" for _, path in guard.writes)
