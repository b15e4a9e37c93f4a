"""Which command opens a PDF at a page: known viewers, installed or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from migarchive.ui import pdf_viewer


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    present: set[str] = set()
    monkeypatch.setattr(pdf_viewer.shutil, "which", lambda name: f"/usr/bin/{name}" if name in present else None)
    return present


def test_known_viewers_are_told_the_page(installed: set[str]) -> None:
    installed.update({"evince", "okular"})
    pdf = Path("/papers/a b.pdf")
    assert pdf_viewer.page_command(pdf, 4, "org.gnome.Evince") == ["evince", "--page-label=4", "/papers/a b.pdf"]
    assert pdf_viewer.page_command(pdf, 4, "org.kde.okular") == ["okular", "--page", "4", "/papers/a b.pdf"]


def test_unknown_or_missing_viewers_give_no_command(installed: set[str]) -> None:
    pdf = Path("/papers/a.pdf")
    assert pdf_viewer.page_command(pdf, 2, "org.gnome.Evince") is None  # not installed
    assert pdf_viewer.page_command(pdf, 2, "firefox") is None
    assert pdf_viewer.page_command(pdf, 2, None) is None


def test_opening_without_a_default_viewer_says_so(installed: set[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_viewer, "default_viewer", lambda: None)
    assert pdf_viewer.open_at_page(Path("/papers/a.pdf"), 3) is False
