"""Real English prose for the benchmark corpus, from public-domain texts in Debian packages.

    python benchmarks/prose.py [--cache DIR]     # fetch (once) and print what the prose file holds

Sources, fetched with `apt-get download` (no root needed, no install) and unpacked with `dpkg-deb -x`
into a cache folder (benchmarks/.cache/ by default, gitignored):

- r-cran-janeaustenr: Jane Austen's six novels (R data, read by rdata.py): narrative and dialogue;
- fortunes: some 10,000 quotations, jokes and definitions: a wide vocabulary, short passages;
- debian-reference-en: a technical manual (its plain-text edition): terms, commands, numbers.

Together they hold ~40,000 distinct words with a Zipfian spread, against the seed documents' ~1,900.
The result is one UTF-8 file, `prose.txt`, a paragraph per line; the corpus generator reads only that
file, so a test can hand it a small one of its own, and a run without network can reuse the cache.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rdata import character_vectors  # noqa: E402

DEFAULT_CACHE = Path(__file__).resolve().parent / ".cache"
PACKAGES = ("r-cran-janeaustenr", "fortunes", "debian-reference-en")
PROSE_FILE = "prose.txt"
# Shorter paragraphs (dialogue, one-line quotations) are joined to the next one of the same work, so
# that passages are the size of a meeting document's paragraphs rather than of a line of dialogue.
MIN_WORDS = 30
# Fortune files that are not prose: drawings, and sayings in other languages.
SKIPPED_FORTUNES = {"ascii-art", "translate-me"}
_WORD = re.compile(r"[^\W\d_]{2,}")


class ProseUnavailable(RuntimeError):
    """The packages could not be fetched or read: the caller falls back to the seed paragraphs."""


def prose_file(cache: Path = DEFAULT_CACHE) -> Path:
    """The prose file in `cache`, built (and the packages fetched) on first use."""
    target = cache / PROSE_FILE
    if target.exists():
        return target
    unpacked = fetch(cache)
    paragraphs = list(read_sources(unpacked))
    if not paragraphs:
        raise ProseUnavailable(f"no prose found in {unpacked}")
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=cache, delete=False, suffix=".tmp") as out:
        out.write("\n".join(paragraphs) + "\n")
    Path(out.name).replace(target)  # whole or not at all: a concurrent or interrupted run sees no half file
    return target


def fetch(cache: Path) -> Path:
    """Download the packages' .deb files and unpack them under cache/root; returns that folder."""
    if not (shutil.which("apt-get") and shutil.which("dpkg-deb")):
        raise ProseUnavailable("apt-get/dpkg-deb not found (not a Debian-like system)")
    debs, root = cache / "debs", cache / "root"
    debs.mkdir(parents=True, exist_ok=True)
    for package in PACKAGES:
        if not list(debs.glob(f"{package}_*.deb")):
            done = subprocess.run(["apt-get", "download", package], cwd=debs, capture_output=True, text=True)
            if done.returncode != 0:
                raise ProseUnavailable(f"apt-get download {package} failed: {done.stderr.strip()[-300:]}")
    for deb in sorted(debs.glob("*.deb")):
        done = subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], capture_output=True, text=True)
        if done.returncode != 0:
            raise ProseUnavailable(f"dpkg-deb -x {deb.name} failed: {done.stderr.strip()[-300:]}")
    return root


def read_sources(root: Path) -> Iterator[str]:
    """Every usable paragraph, work by work in a fixed order (the generator's draws depend on it)."""
    rdx = root / "usr/lib/R/site-library/janeaustenr/data/Rdata.rdx"
    if rdx.exists():
        for _, lines in sorted(character_vectors(rdx).items()):
            yield from usable(paragraphs(lines))
    fortunes = root / "usr/share/games/fortunes"
    for path in sorted(fortunes.glob("*")) if fortunes.is_dir() else ():
        if path.suffix or path.is_symlink() or path.name in SKIPPED_FORTUNES:
            continue  # .dat indexes, .u8 links to the same files
        quotations = path.read_text(encoding="utf-8", errors="replace").split("\n%\n")
        yield from usable(" ".join(quotation.split()) for quotation in quotations)
    manual = root / "usr/share/debian-reference/debian-reference.en.txt.gz"
    if manual.exists():
        with gzip.open(manual, "rt", encoding="utf-8", errors="replace") as text:
            yield from usable(paragraphs(text.read().splitlines()))


def paragraphs(lines: Iterable[str]) -> Iterator[str]:
    """Blank-line separated paragraphs, each joined onto one line."""
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            yield " ".join(current)
            current = []


def usable(blocks: Iterable[str]) -> Iterator[str]:
    """Paragraphs of running text: mostly words, short ones joined to the next; no replacement marks."""
    pending = ""
    for block in blocks:
        tokens = block.split()
        if not tokens or "\ufffd" in block or block.startswith(("#", "|", "+-")):
            continue
        if sum(bool(_WORD.fullmatch(token.strip(".,;:!?\"'()_-"))) for token in tokens) < 0.7 * len(tokens):
            continue  # a table row, a command listing, a drawing
        pending = f"{pending} {block}".strip()
        if len(pending.split()) >= MIN_WORDS:
            yield pending
            pending = ""


def read_prose(path: Path) -> list[str]:
    """The paragraphs of a prose file: one per non-blank line."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args()
    try:
        path = prose_file(args.cache)
    except ProseUnavailable as exc:
        raise SystemExit(f"prose unavailable: {exc}") from None
    texts = read_prose(path)
    words = {word.lower() for text in texts for word in _WORD.findall(text)}
    print(f"{path}: {len(texts)} paragraphs, {sum(map(len, texts)) / 1e6:.1f} MB, {len(words)} distinct words")


if __name__ == "__main__":
    main()
