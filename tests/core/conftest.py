"""The agencies-and-initiatives scores per document kind, printed at the end of the run."""

from __future__ import annotations

from typing import Any

import pytest

# kind -> (precision, recall, documents), filled by tests/core/test_entities_gold.py
ENTITY_SCORES: dict[str, tuple[float, float, int]] = {}


@pytest.fixture
def entity_scores() -> dict[str, tuple[float, float, int]]:
    return ENTITY_SCORES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if ENTITY_SCORES:
        terminalreporter.write_sep("-", "agencies and initiatives against the gold list")
        for kind, (precision, recall, count) in sorted(ENTITY_SCORES.items()):
            terminalreporter.write_line(f"{kind} ({count}): precision {precision:.3f}, recall {recall:.3f}")
