"""migarchive beside its peers on one generated corpus: index time, memory, updates, query latency.

    python benchmarks/bench.py [--documents 2000] [--keep DIR]

Prints a table; asserts nothing (timings are not tests). Peers: SQLite FTS5 (porter tokenizer,
snippet()) always; Recoll when `recollindex`/`recollq` are installed, else a note says it was skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

QUERIES = [
    "remittances", "trafficking in persons", '"New York Declaration"', "IOM", "A/RES/71/1",
    "E/CN.4/2003/74", "meeting:5 migration", "year:2006 statistics", "kind:report security",
    "org:UNITAR workshop", "entity:UNHCR refugees", "remitances", "undocumented OR irregular",
    "migration NOT security", '"global compact"', "brain drain", "diaspora contributions",
    "labour migration", "Global Commission on International Migration", "data collection census",
    "Berne Initiative", "human rights of migrants",
]
# The same information needs for FTS5, in its own syntax (no field filters, no entities).
FTS_QUERIES = [
    "remittances", "trafficking persons", '"New York Declaration"', "IOM", '"A/RES/71/1"', '"E/CN.4/2003/74"',
    "migration", "statistics", "security", "workshop", "refugees", "remitances", "undocumented OR irregular",
    "migration NOT security", '"global compact"', '"brain drain"', "diaspora contributions", "labour migration",
    '"Global Commission on International Migration"', "data collection census", '"Berne Initiative"',
    '"human rights of migrants"',
]


def run(command: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB, stdout) of one child process, its own peak, not the maximum so far."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"{command[:4]} failed: {err.read().strip()[-400:]}")
        return wall, usage.ru_maxrss / 1024, out.read()


def migarchive(corpus: Path, data: Path) -> dict[str, float]:
    cli = [sys.executable, "-m", "migarchive"]
    figures: dict[str, float] = {}
    wall, rss, _ = run([*cli, "index", "--rebuild", "--corpus", str(corpus), "--data-dir", str(data), "--json"])
    figures["full index s"], figures["peak RSS MB"] = wall, rss
    figures["reopen s"], _, _ = run([*cli, "index", "--corpus", str(corpus), "--data-dir", str(data), "--json"])
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n\nAn added paragraph on circular migration.\n",
                     encoding="utf-8")
    figures["update 1 edited s"], _, _ = run([*cli, "index", "--corpus", str(corpus), "--data-dir", str(data)])
    shutil.copy(first, corpus / "added_copy.txt")
    figures["update 1 added s"], _, _ = run([*cli, "index", "--corpus", str(corpus), "--data-dir", str(data)])
    (corpus / "added_copy.txt").unlink()
    figures["update 1 deleted s"], _, _ = run([*cli, "index", "--corpus", str(corpus), "--data-dir", str(data)])
    queries = data / "queries.txt"
    queries.write_text("\n".join(QUERIES * 3) + "\n", encoding="utf-8")
    _, _, out = run([*cli, "search", "--batch", str(queries), "--corpus", str(corpus), "--data-dir", str(data),
                     "--json", "--limit", "10"])
    times = sorted(json.loads(line)["ms"] for line in out.splitlines())
    figures["query p50 ms"], figures["query p95 ms"] = statistics.median(times), times[int(len(times) * 0.95) - 1]
    figures["index MB"] = sum(f.stat().st_size for f in (data / "indexes").rglob("*") if f.is_file()) / 1e6
    return figures


def fts5(corpus: Path, data: Path) -> dict[str, float]:
    db = data / "fts.sqlite3"
    started = time.perf_counter()
    connection = sqlite3.connect(db)
    connection.execute("CREATE VIRTUAL TABLE p USING fts5(path UNINDEXED, text, tokenize='porter unicode61')")
    with connection:
        for path in sorted(corpus.glob("*.txt")):
            for block in path.read_text(encoding="utf-8").split("\n\n"):
                if block.strip():
                    connection.execute("INSERT INTO p VALUES (?, ?)", (path.name, block))
    figures = {"full index s": time.perf_counter() - started, "index MB": db.stat().st_size / 1e6}
    times = []
    for query in FTS_QUERIES * 3:
        t0 = time.perf_counter()
        connection.execute("SELECT path, snippet(p, 1, '**', '**', '…', 24) FROM p WHERE p MATCH ? "
                           "ORDER BY rank LIMIT 10", (query,)).fetchall()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    figures["query p50 ms"], figures["query p95 ms"] = statistics.median(times), times[int(len(times) * 0.95) - 1]
    connection.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="keep the generated corpus and data here")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="migarchive-bench-"))
    corpus = work / "corpus"
    size = generate(corpus, args.documents)
    print(f"corpus: {args.documents} documents, {size / 1e6:.1f} MB ({corpus})", flush=True)
    ours = migarchive(corpus, work / "migarchive")
    ours["MB/s"] = size / 1e6 / ours["full index s"]
    (work / "fts5").mkdir(parents=True, exist_ok=True)
    peer = fts5(corpus, work / "fts5")
    recoll = shutil.which("recollindex") and shutil.which("recollq")
    print(f"\n{'':22}{'migarchive':>12}{'FTS5':>12}{'ratio':>8}")
    for key in ("full index s", "MB/s", "peak RSS MB", "reopen s", "update 1 edited s", "update 1 added s",
                "update 1 deleted s", "query p50 ms", "query p95 ms", "index MB"):
        mine, theirs = ours.get(key), peer.get(key)
        ratio = f"{mine / theirs:8.1f}" if mine is not None and theirs else ""
        print(f"{key:22}{mine if mine is not None else float('nan'):12.3f}"
              f"{theirs if theirs is not None else float('nan'):12.3f}{ratio}")
    if not recoll:
        print("\nRecoll: skipped (recollindex/recollq not installed; `apt-get install recoll` to compare)")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
