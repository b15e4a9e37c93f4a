"""Index and query timings on a corpus (default: the bundled one). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bundled_corpus.py [--corpus DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from migarchive.core.archive import Archive
from migarchive.paths import AppPaths, bundled_corpus

QUERIES = [
    "remittances", "trafficking in persons", '"New York Declaration"', "IOM", "A/RES/71/1",
    "E/CN.4/2003/74", "meeting:5 migration", "org:UNITAR workshop", "kind:report security",
    "year:2017 compact", "remitances", "undocumented OR irregular", "migration NOT security",
    '"global compact"', "UNHCR refugees", "statistics data", "section:research", "Berne Initiative",
    "diaspora", "labour migration", "Global Commission on International Migration", "brain drain",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=bundled_corpus())
    parser.add_argument("--repeat", type=int, default=20, help="passes over the query list")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        paths = AppPaths(corpus=args.corpus.resolve(), data_dir=Path(data_dir))
        started = time.perf_counter()
        archive = Archive.open(paths)
        full = time.perf_counter() - started
        report = archive.sync()
        archive.close()
        started = time.perf_counter()
        archive = Archive.open(paths)
        reopen = time.perf_counter() - started
        timings = []
        for _ in range(args.repeat):
            for query in QUERIES:
                t0 = time.perf_counter()
                archive.search(query, limit=10)
                timings.append((time.perf_counter() - t0) * 1000)
        archive.close()
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus              {args.corpus} ({report.documents} documents, {report.passages} passages)")
    print(f"full index          {full * 1000:8.1f} ms")
    print(f"reopen, unchanged   {reopen * 1000:8.1f} ms")
    print(f"query p50           {statistics.median(timings):8.2f} ms   (top 10 with snippets, {len(timings)} queries)")
    print(f"query p95           {p95:8.2f} ms")
    print(f"peak RSS            {rss:8.1f} MB")


if __name__ == "__main__":
    main()
