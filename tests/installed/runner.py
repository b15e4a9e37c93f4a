"""Driving an installed migarchive (a wheel in a venv, the frozen bundle) as a user would: from a
folder outside the source tree, with a home, data directory and desktop folders of its own."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from add_support import web_page

# Variables that could point the installed program back at the checkout or at the user's files.
_DROPPED = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "MIGARCHIVE_CORPUS", "MIGARCHIVE_DATA_DIR")


@dataclass
class Installed:
    """`run(*args)` runs the installed `command` in `cwd`, its data directory `data_dir`."""

    command: list[str]
    cwd: Path

    @property
    def data_dir(self) -> Path:
        return self.cwd / "data"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _DROPPED and not k.startswith("XDG_")}
        home = self.cwd / "home"
        env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
                   XDG_CACHE_HOME=str(home / ".cache"), MIGARCHIVE_DATA_DIR=str(self.data_dir),
                   QT_QPA_PLATFORM="offscreen")
        return env

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        (self.cwd / "home").mkdir(parents=True, exist_ok=True)
        return subprocess.run([*self.command, *args], cwd=self.cwd, env=self.env(), capture_output=True,
                              text=True, timeout=timeout, check=False)

    def json(self, *args: str) -> Any:
        done = self.run(*args, "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


def check_every_command(app: Installed, package_corpus: Path) -> dict[str, float]:
    """The checks every installed form must pass on its bundled archive; returns seconds per step."""
    seconds: dict[str, float] = {}

    def timed(name: str, *args: str) -> subprocess.CompletedProcess[str]:
        started = time.perf_counter()
        done = app.run(*args)
        seconds[name] = time.perf_counter() - started
        assert done.returncode == 0, f"{name}: {done.stderr}"
        return done

    assert re.fullmatch(r"migarchive \d+\.\d+\.\d+\S*\n", timed("--version", "--version").stdout)
    info = app.json("about")
    assert info["bundled"] and Path(info["corpus"]) == package_corpus
    assert Path(info["imported"]) == app.data_dir / "imported"
    corpus_before = sorted(p.name for p in package_corpus.iterdir())
    meetings = json.loads(timed("meetings", "meetings", "--json").stdout)
    assert [m["number"] for m in meetings["meetings"]] == [1, 2, 4, 5, 15]  # the bundled archive, indexed
    results = json.loads(timed("search", "search", "remittances", "--json").stdout)
    assert results["total"] > 0 and results["results"][0]["snippet"]
    assert app.json("entities", "--kind", "agency")["entities"]
    shown = app.run("show", results["results"][0]["path"])
    assert shown.returncode == 0 and shown.stdout.strip()

    page = web_page(app.cwd / "note.html")
    added = app.json("add", str(page))["files"]
    assert [(f["status"], f["path"]) for f in added] == [("added", "imported/note.html")]
    assert (app.data_dir / "imported" / "note.html").is_file()  # the user's folder, not the package
    assert sorted(p.name for p in package_corpus.iterdir()) == corpus_before
    assert app.json("search", "xylotomous")["total"] == 1

    notes = app.json("notes", "list")
    assert notes == {"annotations": [], "bookmarks": []}

    gui = timed("gui", "gui", "--quit-after-start")
    assert re.search(r"usable window after \d+ ms", gui.stdout), gui.stdout + gui.stderr

    installed = app.json("install-desktop")["installed"]
    assert any(p.endswith("applications/migarchive.desktop") for p in installed)
    assert all(p.startswith(str(app.cwd / "home" / ".local/share")) for p in installed)
    assert app.run("install-desktop", "--uninstall").returncode == 0
    return seconds
