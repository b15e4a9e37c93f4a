"""Every stage of indexing one document, on generated adversarial inputs at two sizes (N and 4N).

    python benchmarks/adversarial.py [--scale 1.0] [--only NAME ...] [--timeout 120]

For each input it prints, per stage, seconds per MB at N and at 4N and the growth ratio (4N time / N
time; linear work stays near 4), beside the same figures for ordinary text (the bundled corpus's
paragraphs). Each (input, size) runs in a process of its own under a time limit, so one that hangs
shows as "> limit" instead of stopping the table. It asserts nothing: these machines are shared and
noisy, and `tests/reliability/test_linear.py` holds the same inputs to linear growth by comparing
sizes generously.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from adversarial_inputs import INPUTS, ordinary  # noqa: E402

STAGES = ("extract", "clean", "sections", "metadata", "definitions", "mentions", "analysis")


def run_stages(name: str, data: bytes, suffix: str) -> dict[str, float]:
    """Seconds spent in each stage on one input (in this process)."""
    from migarchive.core import acronyms, cleaning, documents, metadata, overrides, sections
    from migarchive.core.analysis import index_positions
    from migarchive.core.extraction import extract_bytes
    from migarchive.core.gazetteer import load
    from migarchive.core.mentions import find_candidates
    from migarchive.core.reading import decode
    from migarchive.paths import resources_dir

    gazetteer = load(resources_dir())
    seconds: dict[str, float] = {}

    def timed(stage: str, work: Callable[[], object]) -> object:
        start = time.perf_counter()
        result = work()
        seconds[stage] = time.perf_counter() - start
        return result

    if suffix in (".txt", ".md"):
        text = timed("extract", lambda: decode(data)[0])
        body = overrides.split_front_matter(text)[1]
        cleaned = timed("clean", lambda: cleaning.clean(body).text)
    else:
        extracted = timed("extract", lambda: extract_bytes(data, suffix))
        cleaned = timed("clean", lambda: cleaning.mark_headings(extracted.text, extracted.page_starts)[0])
    timed("sections", lambda: sections.split(cleaned))
    timed("metadata", lambda: metadata.extract(cleaned, fallback_title=name))
    timed("definitions", lambda: acronyms.find_definitions(cleaned))
    from migarchive.core.model import SourceText

    source = SourceText(path=name + suffix, text=cleaned, encoding="utf-8", sha256="0", size=len(data), mtime_ns=0)
    document = documents.build(source)
    timed("mentions", lambda: find_candidates(document, gazetteer))
    timed("analysis", lambda: [index_positions(p.text) for p in document.passages])
    return seconds


def _one(name: str, size: int, timeout: float) -> tuple[int, dict[str, float] | str | None]:
    """(bytes, seconds per stage) from a child process; None for the stages when it ran out of time,
    the exception's name when one stage raised."""
    command = [sys.executable, __file__, "--child", name, str(size)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return size, None
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        return size, tail.split(":")[0][-16:]
    result = json.loads(done.stdout)
    return result["bytes"], result["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every input's size N")
    parser.add_argument("--only", nargs="*", help="input names to run (default: all)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per input and size")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, size = args.child[0], int(args.child[1])
        data, suffix = (ordinary(size), ".txt") if name == "ordinary" else INPUTS[name].make(size)
        print(json.dumps({"bytes": len(data), "seconds": run_stages(name, data, suffix)}))
        return

    names = ["ordinary", *(args.only or INPUTS)]
    print(f"{'input':<22}{'MB (N)':>8}  " + "  ".join(f"{s:>16}" for s in STAGES) + f"  {'whole':>16}")
    print(f"{'':<22}{'':>8}  " + "  ".join(f"{'s/MB N→4N  ×':>16}" for _ in (*STAGES, 0)))
    for name in names:
        n = int(INPUTS[name].size * args.scale) if name != "ordinary" else int(400_000 * args.scale)
        small_bytes, small = _one(name, n, args.timeout)
        large_bytes, large = _one(name, 4 * n, args.timeout)
        cells = []
        if isinstance(small, str) or isinstance(large, str):
            failed = small if isinstance(small, str) else large
            print(f"{name:<22}{small_bytes / 1e6:>8.2f}  raised {failed}", flush=True)
            continue
        for stage in (*STAGES, "whole"):
            def total(seconds: dict[str, float] | None) -> float | None:
                if seconds is None:
                    return None
                return sum(seconds.values()) if stage == "whole" else seconds.get(stage, 0.0)
            a, b = total(small), total(large)
            if a is None:
                cells.append(f"{'> ' + str(int(args.timeout)) + ' s':>16}")
                continue
            per_mb = a / (small_bytes / 1e6)
            if b is None:
                cells.append(f"{per_mb:7.2f}  4N >{int(args.timeout)}s")
                continue
            ratio = b / a if a > 1e-4 else float("nan")
            cells.append(f"{per_mb:7.2f} {b / (large_bytes / 1e6):5.2f} {ratio:4.1f}"
                         if a > 1e-4 else f"{per_mb:7.2f} {b / (large_bytes / 1e6):5.2f}    –")
        print(f"{name:<22}{small_bytes / 1e6:>8.2f}  " + "  ".join(cells), flush=True)


if __name__ == "__main__":
    main()
