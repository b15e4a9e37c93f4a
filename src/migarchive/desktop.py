"""The desktop launcher: a freedesktop.org `.desktop` entry and the app's icon, installed for the
user (`migarchive install-desktop`, `--uninstall`), so that migarchive appears in the desktop menu.

Files go under `$XDG_DATA_HOME` (default `~/.local/share`): `applications/migarchive.desktop` and
`icons/hicolor/{scalable,NxN}/apps/migarchive.{svg,png}`, the places every freedesktop desktop
(GNOME, KDE, Xfce, …) reads. Qt-free: the command works without a display.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from migarchive import __version__
from migarchive.errors import UserError
from migarchive.paths import resources_dir

# The desktop file's name without `.desktop`; the window says the same (QGuiApplication's desktop
# file name, WM_CLASS), which is how a desktop matches the running window to its menu entry.
APP_ID = "migarchive"
ICON_SIZES = (48, 128, 256)


def icon_folder() -> Path:
    return resources_dir() / "icons"


def icon_file() -> Path:
    """The scalable icon (also the window's)."""
    return icon_folder() / f"{APP_ID}.svg"


def data_home() -> Path:
    # The XDG spec: a relative $XDG_DATA_HOME is invalid and must be ignored.
    raw = os.environ.get("XDG_DATA_HOME", "")
    return Path(raw) if raw and os.path.isabs(raw) else Path.home() / ".local" / "share"


def launch_command() -> list[str]:
    """How the menu starts this installation of migarchive: the frozen bundle's executable, else
    the console script beside this interpreter (a venv, pipx), else `python -m migarchive`.
    Absolute paths: a desktop session's PATH often lacks ~/.local/bin and never has a venv."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.executable).parent / APP_ID
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", APP_ID]


def desktop_entry(command: list[str]) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        f"Name={APP_ID}",
        "GenericName=Archive browser",
        "Comment=Browse and search the UN Coordination Meetings on International Migration, offline",
        f"Exec={' '.join(_exec_quote(arg) for arg in command)}",
        f"TryExec={_escape(command[0])}",  # the menu hides the entry once that program is gone
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Office;Viewer;Qt;",
        "Keywords=United Nations;UN;migration;archive;search;meetings;",
        f"StartupWMClass={APP_ID}",
        "StartupNotify=true",
        f"X-migarchive-Version={__version__}",
        "",
    ])


def targets(home: Path) -> dict[Path, Path | None]:
    """What is installed: target file -> source file (None for the generated desktop entry)."""
    hicolor = home / "icons" / "hicolor"
    files: dict[Path, Path | None] = {
        home / "applications" / f"{APP_ID}.desktop": None,
        hicolor / "scalable" / "apps" / f"{APP_ID}.svg": icon_file(),
    }
    for size in ICON_SIZES:
        files[hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = icon_folder() / f"{APP_ID}-{size}.png"
    return files


def install(home: Path | None = None) -> list[Path]:
    home = home or data_home()
    written = []
    for target, source in targets(home).items():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if source is None:
                _write(target, desktop_entry(launch_command()))
            else:
                shutil.copyfile(source, target)
        except OSError as exc:
            raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
        written.append(target)
    _refresh_caches(home)
    return written


def uninstall(home: Path | None = None) -> list[Path]:
    home = home or data_home()
    removed = []
    for target in targets(home):
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise UserError(f"cannot remove {target}: {exc.strerror or exc}") from None
        removed.append(target)
    _refresh_caches(home)
    return removed


def _write(target: Path, text: str) -> None:
    # Written aside and renamed: a menu watching the folder never reads half an entry.
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)


def _refresh_caches(home: Path) -> None:
    """Some desktops read the menu and icons through caches: refresh them where the tools exist.
    Both are optional (without them the files are found on the next login), and an icon cache is
    only updated, never created: a stale one would hide icons other programs add later."""
    hicolor = home / "icons" / "hicolor"
    commands = [["update-desktop-database", "-q", str(home / "applications")]]
    if (hicolor / "icon-theme.cache").is_file():
        commands.append(["gtk-update-icon-cache", "-q", "-t", "-f", str(hicolor)])
    for command in commands:
        program = shutil.which(command[0])
        if program is None:
            continue
        try:
            subprocess.run([program, *command[1:]], check=False, timeout=30,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError):
            pass


def _escape(value: str) -> str:
    """A string value of a desktop entry (the spec's escapes)."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def _exec_quote(arg: str) -> str:
    """One argument of `Exec`: quoted when it holds a reserved character, with `"`, `` ` ``, `$`
    and `\\` escaped inside the quotes, then escaped again as a string value; `%` doubled (field
    codes)."""
    arg = arg.replace("%", "%%")
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`="):
        return _escape(arg)
    inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return _escape(f'"{inner}"')
