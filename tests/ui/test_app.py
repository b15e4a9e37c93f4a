"""Starting and quitting the app: Qt's own options reach Qt, note writes finish before the archive
closes, and the process ends as soon as the window has closed and everything is written."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from migarchive import cli
from migarchive.qt_arguments import split_qt_arguments
from migarchive.ui import app as app_module

from .conftest import OpenWindow

pytestmark = pytest.mark.gui


def test_qt_options_are_told_apart_from_ours() -> None:
    assert split_qt_arguments(["-style", "Fusion", "--corpus", "c", "-platform=offscreen", "gui", "-reverse",
                               "--quit-after-start"]) == (
        ["--corpus", "c", "gui", "--quit-after-start"], ["-style", "Fusion", "-platform=offscreen", "-reverse"])
    assert split_qt_arguments(["--style", "Fusion", "search", "q"]) == (["search", "q"], ["--style", "Fusion"])
    # After "--" everything is ours, and an unknown single-dash word is left to argparse.
    assert split_qt_arguments(["search", "--", "-style"]) == (["search", "--", "-style"], [])
    assert split_qt_arguments(["-x"]) == (["-x"], [])


def test_the_gui_gets_qt_options_and_other_commands_refuse_them(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}

    def run_and_exit(**kwargs: object) -> None:
        seen.update(kwargs)
        raise SystemExit(0)  # as the real one ends the process

    monkeypatch.setattr(app_module, "run_and_exit", run_and_exit)
    with pytest.raises(SystemExit):
        cli.main(["-style", "Fusion", "--corpus", "somewhere", "-platform", "offscreen"])
    assert seen["qt_arguments"] == ["-style", "Fusion", "-platform", "offscreen"]
    assert seen["corpus"] == "somewhere"
    with pytest.raises(SystemExit) as refused:
        cli.main(["meetings", "-style", "Fusion"])
    assert refused.value.code == 2


def _environment(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    env.pop("QT_QPA_PLATFORM", None)  # the platform comes from the command line, or nowhere
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def test_qt_options_on_the_command_line_reach_qt(tmp_path: Path, corpus_dir: Path) -> None:
    command = [sys.executable, "-m", "migarchive", "-platform", "offscreen", "-style", "NoSuchStyle", "gui",
               "--quit-after-start", "--corpus", str(corpus_dir), "--data-dir", str(tmp_path / "data")]
    done = subprocess.run(command, env=_environment(tmp_path), capture_output=True, text=True, timeout=120)
    # No display: only `-platform offscreen` lets it start; Qt itself says it read `-style`.
    assert done.returncode == 0, done.stderr
    assert "usable window after" in done.stdout
    assert "NoSuchStyle" in done.stderr, done.stderr


QUIT_SCRIPT = """
import atexit, sys
from migarchive.ui.app import run_and_exit
atexit.register(lambda: print("interpreter teardown ran", flush=True))
run_and_exit(corpus=sys.argv[1], data_dir=sys.argv[2], quit_after_start=True, qt_arguments=["-platform", "offscreen"])
"""


def test_quitting_ends_the_process_once_everything_is_written(tmp_path: Path, corpus_dir: Path) -> None:
    data = tmp_path / "data"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", QUIT_SCRIPT, str(corpus_dir), str(data)],
                          env=_environment(tmp_path), capture_output=True, text=True, timeout=120)
    print(f"start to exit: {time.perf_counter() - started:.2f} s")  # printed, never asserted: shared machines
    assert done.returncode == 0, done.stderr
    assert "usable window after" in done.stdout
    assert "interpreter teardown ran" not in done.stdout  # the teardown is skipped …
    layouts = list((data / "windows").glob("*.ini"))  # … after the layout was written
    saved = QSettings(str(layouts[0]), QSettings.Format.IniFormat) if len(layouts) == 1 else None
    assert saved is not None and saved.value("window/geometry") is not None
    assert (tmp_path / "home" / ".config" / "migarchive").is_dir()  # and the user's settings


def test_closing_waits_for_a_note_write_and_gives_up_no_data(open_window: OpenWindow) -> None:
    win = open_window()
    archive = win.archive
    writing, written = threading.Event(), threading.Event()

    def slow_write() -> None:
        writing.set()
        time.sleep(0.5)
        archive.bookmark("000_b26e33a0a508e853.txt")  # a real write, late
        written.set()

    win.operations.write(slow_write)
    assert writing.wait(5)
    win.close()
    assert written.is_set()  # the write finished before the archive was closed
    assert not archive.ready
