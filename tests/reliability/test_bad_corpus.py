"""A corpus full of bad input (see `badcorpus`): the good documents index and search normally; each
bad file is read sensibly or skipped with its reason, by `migarchive index --json` and in the app;
no HTML from a document is ever markup; the run is bounded in time and memory; nothing is written
to the corpus."""

from __future__ import annotations

import html.parser
import json
import os
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from migarchive.core import archive as archive_module
from migarchive.core import documents, indexing, reading, render
from migarchive.core.archive import Archive
from migarchive.core.model import Skipped
from migarchive.paths import AppPaths, bundled_corpus

from .badcorpus import HOSTILE, STRANGE_NAME, Expect, make_bad_corpus
from .conftest import GapMeter, cli_json, popup_noise, tree_snapshot

SEEDS = sorted(p.name for p in bundled_corpus().glob("*.txt"))

# Runs the command line and then records its own peak memory, which the parent cannot see alone.
MEASURED = r"""
import json, resource, sys, time
from migarchive.cli import main
started = time.perf_counter()
code = main(sys.argv[2:])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open(sys.argv[1], "w") as out:
    json.dump({"seconds": time.perf_counter() - started,
               "peak_mb": peak / (1024 * 1024 if sys.platform == "darwin" else 1024)}, out)
sys.exit(code)
"""


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Expect]]:
    root = tmp_path_factory.mktemp("bad")
    corpus = root / "corpus"
    expect = make_bad_corpus(corpus, root / "outside-secret.txt")
    return corpus.resolve(), expect


def test_bad_corpus_indexes_the_good_and_names_the_bad(bad: tuple[Path, list[Expect]], tmp_path: Path,
                                                       figures: Counter[str]) -> None:
    corpus, expect = bad
    before = tree_snapshot(corpus)
    data, measures = tmp_path / "data", tmp_path / "measures.json"
    done = subprocess.run([sys.executable, "-c", MEASURED, str(measures), "index", "--json", "--corpus", str(corpus),
                           "--data-dir", str(data)], capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    measured = json.loads(measures.read_text())
    # bounded: the 50 MB line is refused unread, the 1 MB one costs a second or two
    assert measured["peak_mb"] < 1024, measured
    assert measured["seconds"] < 60, measured

    skipped = {item["path"]: item["reason"] for item in report["skipped"]}
    for item in expect:
        if item.indexed:
            assert item.name not in skipped, (item, skipped.get(item.name))
        else:
            assert item.reason in skipped.get(item.name, ""), (item, skipped.get(item.name))
    assert len(skipped) == sum(not item.indexed for item in expect), skipped
    assert report["documents"] == len(SEEDS) + sum(item.indexed for item in expect)
    figures["bad inputs tried"] += len(expect)

    archive = Archive.open(AppPaths(corpus=corpus, data_dir=data))
    try:
        for item in expect:
            if item.indexed:
                found = archive.search(item.word, limit=20)
                assert {h.path for h in found.hits} == {item.name}, item
        # the seed documents are found as in an archive of them alone
        clean = Archive.open(AppPaths(corpus=bundled_corpus(), data_dir=tmp_path / "clean"))
        try:
            for query in ("remittances", '"New York Declaration"', "entity:UNHCR"):
                def seeds_of(results: Any) -> set[tuple[str, str]]:
                    return {(h.path, h.passage_id) for h in results.hits if h.path in SEEDS}

                assert seeds_of(archive.search(query, limit=1000)) == seeds_of(clean.search(query, limit=1000))
        finally:
            clean.close()
        for name in ("crlf.txt", "cr.txt", "nul-stray.txt", "utf16-le.txt"):
            cleaned = archive.document(name).cleaned
            assert "\r" not in cleaned and "\x00" not in cleaned and "Second line" in cleaned or name in (
                "nul-stray.txt", "utf16-le.txt")
        assert "outside" not in " ".join(h.path for h in archive.search("xylooutside").hits)
    finally:
        archive.close()

    # a name full of shell and non-ASCII characters works as an argument and in JSON
    shown = cli_json("show", STRANGE_NAME, "--corpus", corpus, "--data-dir", data)
    assert shown["path"] == STRANGE_NAME and "xylostrange" in shown["text"]
    found = cli_json("search", "xylostrange", "--corpus", corpus, "--data-dir", data)
    assert [hit["path"] for hit in found["results"]] == [STRANGE_NAME]

    assert tree_snapshot(corpus) == before, "the corpus folder was changed"


def test_files_that_change_between_discovery_and_reading(copy_corpus: Path, data_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          figures: Counter[str]) -> None:
    """Deleted, edited, grown past the limit, or replaced by a pipe after the folder was listed."""
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 4096)
    for name in ("vanishes.txt", "changes.txt", "grows.txt", "becomes-a-pipe.txt"):
        (copy_corpus / name).write_text(f"A paper on xyloold, called {name}.\n", encoding="utf-8")
    real_read = reading.read_source

    def racing_read(file: reading.CorpusFile) -> Any:
        if file.path == "vanishes.txt":
            file.abs_path.unlink()
        elif file.path == "changes.txt":
            file.abs_path.write_text("A longer paper on xylonew, written while the index was being built.\n",
                                     encoding="utf-8")
        elif file.path == "grows.txt":
            file.abs_path.write_text("xylogrown " * 1000, encoding="utf-8")
        elif file.path == "becomes-a-pipe.txt" and hasattr(os, "mkfifo"):
            file.abs_path.unlink()
            os.mkfifo(file.abs_path)
        return real_read(file)

    monkeypatch.setattr(archive_module, "read_source", racing_read)  # updates
    monkeypatch.setattr(indexing, "read_source", racing_read)  # full builds
    archive = Archive(AppPaths(corpus=copy_corpus, data_dir=data_dir))
    try:
        with ThreadPoolExecutor(1) as pool:  # a pipe must not make reading hang
            report = pool.submit(archive.sync).result(timeout=60)
        reasons = {s.path: s.reason for s in report.skipped}
        assert "no such file" in reasons["vanishes.txt"]
        assert "too large" in reasons["grows.txt"]
        if hasattr(os, "mkfifo"):
            assert reasons["becomes-a-pipe.txt"] == "not a regular file"
        assert "changes.txt" not in reasons
        assert [h.path for h in archive.search("xylonew").hits] == ["changes.txt"]
        assert archive.search("xyloold").total == 0
        # what was read is what is recorded: the next sync does not read it again
        monkeypatch.setattr(archive_module, "read_source", real_read)
        again = archive.sync()
        assert (again.added, again.updated, again.removed) == ((), (), ())
    finally:
        archive.close()
    figures["bad inputs tried"] += 4


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_safe_html(markup: str) -> None:
    """Only our own markup: no script, image or frame, no event handler, no link but http(s), mailto, #."""
    parser = _Tags()
    parser.feed(markup)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "img", "iframe", "object", "embed", "style", "link", "meta", "form"), tag
        assert not any(name.startswith("on") or name == "src" for name in attrs), (tag, attrs)
        href = (attrs.get("href") or "").strip().lower()
        assert not href or href.startswith(("http://", "https://", "mailto:", "#")), (tag, attrs)


def test_html_in_a_document_is_text_and_links_are_inert(bad: tuple[Path, list[Expect]]) -> None:
    corpus, _ = bad
    file = next(f for f in reading.discover(corpus)[0] if f.path == HOSTILE)
    source = reading.read_source(file)
    assert not isinstance(source, Skipped)
    markup = render.to_html(documents.build(source, file))
    assert_safe_html(markup)
    assert "&lt;script&gt;alert(&#x27;xylohostile&#x27;)&lt;/script&gt;" in markup or \
        "&lt;script&gt;alert('xylohostile')&lt;/script&gt;" in markup
    assert "&lt;img src=x onerror=alert(1)&gt;" in markup
    assert 'href="https://example.org"' in markup  # the one real link; the others are inert text
    assert markup.count("inert-link") == 6


@pytest.mark.gui
@popup_noise
def test_the_app_on_the_bad_corpus(bad: tuple[Path, list[Expect]], tmp_path: Path, open_window: Any, qtbot: Any,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QEvent, Qt, QUrl
    from PySide6.QtGui import QDesktopServices, QHelpEvent
    from PySide6.QtWidgets import QApplication, QDialog, QListWidget, QToolTip

    from migarchive.ui.roles import PathRole

    corpus, expect = bad
    before = tree_snapshot(corpus)
    win = open_window(corpus, tmp_path / "data", wait=False)
    meter = GapMeter()
    started = time.monotonic()
    with qtbot.waitSignal(win.ready, timeout=60_000):
        pass
    # the index was built in the background: the window kept answering all along
    longest = meter.stop()
    assert longest < 0.5, f"the GUI froze for {longest * 1000:.0f} ms while indexing the bad corpus"
    assert time.monotonic() - started < 60

    # the skipped files and their reasons are listed
    bad_names = {item.name for item in expect if not item.indexed}
    win.indexing.show_skipped()
    dialog = next(d for d in win.findChildren(QDialog) if d.windowTitle() == "Skipped files")
    entries = [dialog.findChild(QListWidget).item(i).text() for i in range(dialog.findChild(QListWidget).count())]
    assert {e.split(" — ")[0] for e in entries} == bad_names
    assert all(" — " in e and e.split(" — ")[1] for e in entries)

    # the hostile document: text, not markup, in the reader, the breadcrumb and the tooltips
    assert win.open_place(HOSTILE)
    browser = win.reader.browser
    assert "<script>alert('xylohostile')</script>" in browser.toPlainText()
    assert "<img" not in browser.toHtml()
    assert win.reader.breadcrumb.textFormat() == Qt.TextFormat.PlainText
    assert "<img src=" in win.reader.breadcrumb.text()  # shown as the characters it is
    tree, proxy = win.tree, win.tree_proxy
    hostile = next(proxy.index(r, 0, proxy.index(g, 0)) for g in range(proxy.rowCount())
                   for r in range(proxy.rowCount(proxy.index(g, 0)))
                   if proxy.index(r, 0, proxy.index(g, 0)).data(PathRole) == HOSTILE)
    tree.scrollTo(hostile)
    where = tree.visualRect(hostile).center()
    event = QHelpEvent(QEvent.Type.ToolTip, where, tree.viewport().mapToGlobal(where))
    QApplication.sendEvent(tree.viewport(), event)
    assert QToolTip.text().startswith("<p style='white-space:pre-wrap'>")
    assert "&lt;img src=&quot;file:///etc/hostname&quot;&gt;" in QToolTip.text()
    QToolTip.hideText()

    # links: only http(s) and mailto reach the browser, and only when clicked
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    for target in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi", "ftp://example.org/x",
                   "https://example.org", "mailto:someone@example.org"):
        win.reader._link_clicked(QUrl(target))
    assert opened == ["https://example.org", "mailto:someone@example.org"]
    assert tree_snapshot(corpus) == before
