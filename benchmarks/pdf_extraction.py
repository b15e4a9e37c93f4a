"""How fast a PDF's text is extracted: a generated report of meeting papers, timed through `extract()`.

    python benchmarks/pdf_extraction.py [--pages 200] [--repeat 3]

The PDF is written by tests/pdfmaker.py from the bundled corpus's paragraphs: a running header and a
page number on every page, a heading now and then, a two-column page in every five, a footnote in
every three. Prints pages per second (best of the repeats); asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from pdfmaker import TextRun, make_pdf, wrap  # noqa: E402

from migarchive.core.extraction import extract  # noqa: E402

_TOP, _BOTTOM, _LEFT, _WIDTH = 770.0, 90.0, 72.0, 451.0


def corpus_paragraphs() -> list[str]:
    """Body paragraphs of the corpus, without Markdown marks or extraction debris."""
    paragraphs = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            text = " ".join(re.sub(r"[*#_`\[\]⟦⟧…]", "", block).split())
            if len(text.split()) >= 25 and "Tj" not in text:
                paragraphs.append(text)
    return paragraphs


def report(pages: int) -> bytes:
    texts = itertools.cycle(corpus_paragraphs())
    out = []
    for number in range(1, pages + 1):
        page = [TextRun(_LEFT, 806, "Coordination Meeting on International Migration: papers", 8),
                TextRun(290, 40, f"- {number} -", 8)]
        y = _TOP
        if number % 4 == 1:
            page.append(TextRun(_LEFT, y, f"{number // 4 + 1}. Contributions of the participating organizations",
                                12, bold=True))
            y -= 24
        if number % 5 == 0:
            page += _two_columns(texts, y)
        else:
            while True:
                runs, below = wrap(next(texts), _LEFT, y, _WIDTH, indent=18)
                if below < _BOTTOM + 40:
                    break
                page += runs
                y = below - 6
        if number % 3 == 0:
            page.append(TextRun(_LEFT, 60, f"{number} Report of the Secretary-General, A/60/871, para. {number}.", 8))
        out.append(page)
    return make_pdf(out)


def _two_columns(texts: itertools.cycle[str], top: float) -> list[TextRun]:
    runs: list[TextRun] = []
    for left in (_LEFT, _LEFT + _WIDTH / 2 + 9):
        y = top
        while True:
            column, below = wrap(next(texts), left, y, _WIDTH / 2 - 9)
            if below < _BOTTOM + 40:
                break
            runs += column
            y = below - 6
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(report(args.pages))
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = extract(path)
            timings.append(time.perf_counter() - start)
        size = path.stat().st_size
    best = min(timings)
    print(f"{result.pages} pages, {size / 1e6:.1f} MB, {len(result.text) / 1e6:.2f} M characters of text")
    print(f"extract(): best {best:.2f} s of {args.repeat} → {result.pages / best:.0f} pages/second")


if __name__ == "__main__":
    main()
