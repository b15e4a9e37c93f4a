"""The wheel, installed outside the checkout, works on its bundled archive (issue #19).

Builds the wheel from a copy of the source (the checkout gets no build/ or egg-info), installs it
into a fresh venv and runs every command from a temporary folder. The dependencies are the test
venv's own, lent through a .pth file (an install of PySide6 would cost a minute and the network);
`pip check` then proves the wheel's requirements are met by them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .runner import Installed, check_every_command

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ("pyproject.toml", "setup.py", "README.md", "src", "corpus", "resources")

pytestmark = pytest.mark.packaging


def _pip(*args: str, cwd: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SOURCE:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns(
                "__pycache__", "*.pyc", "*.egg-info", ".*"))
        else:
            shutil.copy2(ROOT / name, source / name)
    # What a developer added to the checkout's archive is theirs, not part of a release.
    (source / "corpus" / "imported").mkdir(exist_ok=True)
    (source / "corpus" / "imported" / "mine.txt").write_text("A developer's own document.\n", encoding="utf-8")
    dist = tmp_path_factory.mktemp("dist")
    # No isolated build environment: the venv's setuptools (a test requirement) builds offline.
    _pip("wheel", "--no-deps", "--no-build-isolation", "--quiet", "--wheel-dir", str(dist), str(source), cwd=source)
    (built,) = dist.glob("migarchive-*.whl")
    return built


def test_the_wheel_carries_the_corpus_the_gazetteer_and_the_icon(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    corpus = sorted(n for n in names if n.startswith("migarchive/corpus/"))
    assert corpus == [f"migarchive/corpus/{p.name}" for p in sorted((ROOT / "corpus").glob("*.txt"))]
    assert {"migarchive/resources/gazetteer.json", "migarchive/resources/NOTICE.md",
            "migarchive/resources/icons/migarchive.svg", "migarchive/resources/icons/migarchive-48.png",
            "migarchive/__main__.py", "migarchive/ui/app.py", "migarchive/core/archive.py"} <= names
    assert not any("__pycache__" in n or n.startswith(("tests/", "corpus/", "resources/")) for n in names)


def test_the_installed_wheel_runs_every_command_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    # A plain path line: the lent site-packages' own .pth files (our editable install) are not run.
    lent = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (purelib / "lent-dependencies.pth").write_text("\n".join(sorted(lent)) + "\n", encoding="utf-8")
    _pip("--python", str(python), "install", "--no-deps", "--no-index", "--quiet", str(wheel), cwd=tmp_path)
    _pip("--python", str(python), "check", cwd=tmp_path)

    where = tmp_path / "elsewhere"
    where.mkdir()
    located = Installed([str(python), "-c", "import migarchive.paths as p; print(p.bundled_corpus())"], where).run()
    package_corpus = Path(located.stdout.strip())
    assert package_corpus == purelib / "migarchive" / "corpus", located.stderr
    assert not (package_corpus / "imported").exists()

    seconds = check_every_command(Installed([str(venv / "bin" / "migarchive")], where), package_corpus)
    module = Installed([str(python), "-m", "migarchive"], where)
    assert module.run("--version").stdout == f"migarchive {_version(wheel)}\n"
    assert module.json("search", "remittances")["total"] > 0
    print({name: round(s, 2) for name, s in seconds.items()})


def _version(wheel: Path) -> str:
    return wheel.name.split("-")[1]
