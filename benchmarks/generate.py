"""A deterministic synthetic archive built from the seed documents' paragraphs.

    python benchmarks/generate.py OUT_DIR [--documents N] [--seed S]

Each document: a coordination-meeting title, a "New York, d–d Month YYYY" line, then 20–60
paragraphs drawn from the seeds (with their headings). The same arguments give the same files.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from migarchive.core.metadata import ordinal_name
from migarchive.paths import bundled_corpus

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def seed_paragraphs(corpus: Path) -> list[str]:
    paragraphs: list[str] = []
    for path in sorted(corpus.glob("*.txt")):
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            block = block.strip()
            if len(block.split()) >= 12 and "\t" not in block:
                paragraphs.append(block)
    return paragraphs


def generate(out: Path, documents: int, seed: int = 20261124, corpus: Path | None = None) -> int:
    """Write `documents` files into `out`; returns the number of bytes written."""
    rng = random.Random(seed)
    paragraphs = seed_paragraphs(corpus or bundled_corpus())
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for number in range(documents):
        meeting = rng.randint(1, 20)
        year = 2001 + meeting
        month = rng.randrange(12)
        day = rng.randint(1, 26)
        lines = [
            f"{ordinal_name(meeting).upper()} COORDINATION MEETING ON INTERNATIONAL MIGRATION",
            f"New York, {day}-{day + 1} {MONTHS[month]} {year}",
        ]
        for index in range(rng.randint(20, 60)):
            if index and index % 12 == 0:
                lines.append(f"{'ABCDEFGH'[index // 12 - 1]}. SECTION {index // 12} ON MIGRATION ISSUES")
            lines.append(rng.choice(paragraphs))
        text = "\n\n".join(lines) + "\n"
        path = out / f"doc_{number:05d}.txt"
        path.write_text(text, encoding="utf-8")
        written += len(text.encode("utf-8"))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args()
    size = generate(args.out, args.documents, args.seed)
    print(f"{args.documents} documents, {size / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
