"""The benchmark runs end to end on a tiny corpus, and measures the memory of a whole process tree.

Its figures are not checked: timings are not tests. That every row is printed, with a figure for
migarchive, is.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"

_SPEC = importlib.util.spec_from_file_location("bench_bench", BENCHMARKS / "bench.py")
assert _SPEC and _SPEC.loader
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)

# A process that starts two children holding 150 MB each for a second, at the same time.
_PARENT_OF_TWO_BIG_CHILDREN = (
    "import subprocess, sys\n"
    "big = [sys.executable, '-c', 'import time; block = bytearray(150 * 2**20); time.sleep(1)']\n"
    "children = [subprocess.Popen(big) for _ in range(2)]\n"
    "assert all(child.wait() == 0 for child in children)\n"
)


def test_the_benchmark_prints_every_row_on_a_tiny_corpus(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    prose = tmp_path / "prose.txt"  # a prose file of its own: the test fetches nothing
    prose.write_text(" ".join(["The phaeton waited a great time in the lane by the old neighbourhood"] * 3) + "\n",
                     encoding="utf-8")
    done = subprocess.run([sys.executable, str(BENCHMARKS / "bench.py"), "--documents", "6", "--keep", str(tmp_path),
                           "--prose-file", str(prose)], capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    rows = {line[:30].strip(): line[30:].split() for line in done.stdout.splitlines()}
    for row in bench.ROWS:
        assert row in rows, f"no row {row!r} in\n{done.stdout}"
        float(rows[row][0])  # migarchive has a figure in every row, the window rows included
    assert "window: 6 documents in the tree" in done.stdout
    assert "Recoll: every figure is a whole process" in done.stdout or "Recoll: skipped" in done.stdout
    assert "tantivy: skipped" in done.stdout or "passages (FTS5's), built in" in done.stdout
    assert "seed paragraphs among real prose" in done.stdout
    matched = done.stdout.split("passages matched", 1)[1].splitlines()[1:]
    assert [line[:50].strip() for line in matched[:len(bench.QUERIES)]] == [q[:50] for q in bench.QUERIES]
    assert float(matched[bench.QUERIES.index("phaeton")].split()[1]) > 0  # migarchive found the prose


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="the process tree is read from /proc (Linux)")
def test_peak_memory_is_what_the_whole_process_tree_held_at_once() -> None:
    # Measured from a fresh interpreter: on Linux a child's ru_maxrss starts from what the process
    # that forked it held, and this test process may hold hundreds of MB after the window's tests.
    measure = (f"import sys; sys.path.insert(0, {str(BENCHMARKS)!r}); import bench; "
               f"m = bench.run([sys.executable, '-c', {_PARENT_OF_TWO_BIG_CHILDREN!r}]); "
               "print(m.largest_mb, m.tree_mb)")
    done = subprocess.run([sys.executable, "-c", measure], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    largest_mb, tree_mb = map(float, done.stdout.split())
    assert 150 < largest_mb < 250  # one child, as ru_maxrss sees it …
    assert tree_mb > 300  # … while both children and their parent held memory together
