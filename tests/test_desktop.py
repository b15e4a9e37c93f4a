"""`migarchive install-desktop` (the menu entry and icons, under $XDG_DATA_HOME) and `migarchive about`."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import json_line
from migarchive import desktop


def test_install_and_uninstall_honour_xdg_data_home(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    code, out, err = cli("install-desktop", "--json", corpus=None)
    assert code == 0, err
    installed = sorted(Path(p).relative_to(home).as_posix() for p in json_line(out)["installed"])
    assert installed == ["applications/migarchive.desktop", "icons/hicolor/128x128/apps/migarchive.png",
                         "icons/hicolor/256x256/apps/migarchive.png", "icons/hicolor/48x48/apps/migarchive.png",
                         "icons/hicolor/scalable/apps/migarchive.svg"]
    assert (home / "icons/hicolor/scalable/apps/migarchive.svg").read_bytes() == desktop.icon_file().read_bytes()
    assert (home / "icons/hicolor/48x48/apps/migarchive.png").read_bytes().startswith(b"\x89PNG")

    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign] - keys are case-sensitive
    entry.read(home / "applications" / "migarchive.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application" and section["Icon"] == "migarchive"
    assert section["StartupWMClass"] == "migarchive" and section["Terminal"] == "false"
    program = section["Exec"].split()[0]
    assert Path(program).is_absolute() and Path(program).exists()  # a desktop session's PATH may lack it
    assert section["TryExec"] == program

    code, out, _ = cli("install-desktop", "--uninstall", "--json", corpus=None)
    assert code == 0 and len(json_line(out)["removed"]) == 5
    # (update-desktop-database, where installed, leaves its cache of the folder)
    assert not [p for p in home.rglob("migarchive*") if p.is_file()]
    code, out, _ = cli("install-desktop", "--uninstall", corpus=None)
    assert code == 0 and out.startswith("nothing to remove")


def test_the_entry_starts_this_installation(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    command = desktop.launch_command()
    assert command[0] == str(Path(sys.executable).parent / "migarchive") or command[1:] == ["-m", "migarchive"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bundle dir" / "migarchive"))
    assert desktop.launch_command() == [str((tmp_path / "bundle dir" / "migarchive").resolve())]


def test_exec_arguments_are_quoted_as_the_spec_says() -> None:
    line = desktop.desktop_entry(["/opt/my apps/bin/python", "-m", "migarchive", "50%"]).splitlines()
    exec_line = next(x for x in line if x.startswith("Exec="))
    assert exec_line == 'Exec="/opt/my apps/bin/python" -m migarchive 50%%'
    tricky = desktop.desktop_entry(['/a"b$c\\d']).splitlines()
    # Inside quotes `"`, `$` and `\` get a backslash; then every backslash is doubled as a string value.
    assert next(x for x in tricky if x.startswith("Exec=")) == 'Exec="/a\\\\"b\\\\$c\\\\\\\\d"'


def test_a_relative_xdg_data_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")
    assert desktop.data_home() == Path.home() / ".local" / "share"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-validate not installed")
def test_the_entry_is_valid(tmp_path: Path) -> None:
    target = tmp_path / "migarchive.desktop"
    target.write_text(desktop.desktop_entry(desktop.launch_command()), encoding="utf-8")
    done = subprocess.run(["desktop-file-validate", str(target)], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout


def test_about_names_version_folders_and_licences(cli, corpus_dir: Path, indexed_data_dir: Path) -> None:
    from migarchive import __version__

    code, out, err = cli("about", "--json", corpus=None)
    assert code == 0, err
    info = json_line(out)
    assert info["version"] == __version__ and info["licence"] == "MIT"
    assert (info["corpus"], info["bundled"]) == (str(corpus_dir), True)
    assert info["imported"] == str(indexed_data_dir / "imported") and info["data_dir"] == str(indexed_data_dir)
    assert {lib["name"] for lib in info["libraries"]} >= {"pypdfium2", "platformdirs"}
    assert "United Nations" in info["documents"]
    code, out, _ = cli("about", corpus=corpus_dir)
    assert out.startswith(f"migarchive {__version__} (MIT licence)")
