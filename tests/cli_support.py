"""What every CLI test checks: one JSON line on stdout, or one calm error line on stderr."""

from __future__ import annotations

import json
from typing import Any


def json_line(out: str) -> Any:
    assert out.endswith("\n") and out.count("\n") == 1, "exactly one JSON line on stdout"
    return json.loads(out)


def one_error_line(code: int, out: str, err: str) -> str:
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("migarchive: ")
    return lines[0]
