"""How faithful our PDF text is, beside poppler's pdftotext, on PDFs made by real producers.

    python benchmarks/pdf_fidelity.py [--no-pdftotext] [--show NAME]

Reads the committed test set in tests/fixtures/pdfs/ (LibreOffice Writer and groff + Ghostscript,
see tests/fixtures/make_pdfs.py) and prints, per file and in total: the word-sequence similarity to
the source text, the share of its words recovered in order, running headers and footers leaked into
the text, line-end hyphens read right, and chosen sentences found on their page. pdftotext (default
mode, when installed) is scored the same way; it keeps headers and page numbers by design, which
costs it similarity and shows as leaks. `--show NAME` prints our text of one file. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from fixtures.fidelity import HERE, MANIFEST, Score, parse, pdftotext_pages, score  # noqa: E402

from migarchive.core.extraction import extract  # noqa: E402


def ours(path: Path) -> tuple[str, tuple[int, ...]]:
    result = extract(path)
    return result.text, result.page_starts


def poppler(path: Path) -> tuple[str, tuple[int, ...]]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                         timeout=60).stdout.decode("utf-8")
    return pdftotext_pages(out)


def _row(label: str, s: Score) -> str:
    return (f"{s.similarity:5.3f} {s.recovered:6.1%} {s.leaks:5d} {s.hyphens_right:4d}/{s.hyphens:<4d}"
            f"{s.pages_right:3d}/{s.pages:<3d}")


def _total(scores: list[Score]) -> str:
    sims = [s.similarity for s in scores]
    hy = sum(s.hyphens_right for s in scores), sum(s.hyphens for s in scores)
    pages = sum(s.pages_right for s in scores), sum(s.pages for s in scores)
    return (f"median {statistics.median(sims):.3f} worst {min(sims):.3f}, recovered "
            f"{statistics.mean(s.recovered for s in scores):.1%}, leaks {sum(s.leaks for s in scores)}, "
            f"hyphens {hy[0]}/{hy[1]} ({hy[0] / max(1, hy[1]):.1%}), pages {pages[0]}/{pages[1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-pdftotext", action="store_true")
    parser.add_argument("--show", metavar="NAME", help="print our text of this file (e.g. agenda.groff.pdf)")
    args = parser.parse_args()
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    if args.show:
        print(ours(HERE / args.show)[0])
        return
    extractors = {"ours": ours}
    if not args.no_pdftotext and shutil.which("pdftotext"):
        extractors["pdftotext"] = poppler
    header = "  sim   found leaks hyphens  pages"
    print(f"{'file':44} {'layout':38}" + "".join(f"| {name:^32}" for name in extractors))
    print(f"{'':44} {'':38}" + f"| {header:32}" * len(extractors))
    totals: dict[str, dict[str, list[Score]]] = {name: {} for name in extractors}
    for name, entry in manifest.items():
        source = parse(HERE / "sources" / f"{entry['source']}.txt")
        cells = []
        for label, extractor in extractors.items():
            text, starts = extractor(HERE / name)
            result = score(text, starts, source, entry)
            for group in ("all", entry["producer"]):
                totals[label].setdefault(group, []).append(result)
            cells.append(_row(label, result))
        print(f"{name:44} {entry['layout'][:38]:38}" + "".join(f"| {cell:32}" for cell in cells))
    print()
    for label, groups in totals.items():
        for group, scores in sorted(groups.items()):
            print(f"{label:9} {group:12} {_total(scores)}")


if __name__ == "__main__":
    main()
