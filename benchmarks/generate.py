"""A deterministic synthetic archive: the seed documents' paragraphs, alone or mixed with real prose.

    python benchmarks/generate.py OUT_DIR [--documents N] [--seed S] [--prose | --prose-file FILE]

Seed-only (the default here): each document is a coordination-meeting title, a "New York, d–d Month
YYYY" line, then 20–60 paragraphs drawn from the seeds (corpus/*.txt). Every query then matches a
large share of all passages (the seeds hold ~1,900 distinct words).

Prose (`--prose`, fetched by prose.py; the default of bench.py): each document is a Markdown title
(`# …`), in two documents of three a coordination-meeting line with its dates, then 20–60
paragraphs under `##` section headings: ~30 % seed paragraphs, the rest runs of consecutive real
prose (novels, quotations, a manual), so the vocabulary is an archive's (tens of thousands of
words, Zipfian) and most words match few passages. The same arguments and prose file give the same files.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

from migarchive.core.metadata import ordinal_name
from migarchive.paths import bundled_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent))
from prose import ProseUnavailable, prose_file, read_prose  # noqa: E402

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


# Share of a prose document's paragraphs drawn from the seeds; the rest is prose.
SEED_SHARE = 0.3
# Documents with a coordination-meeting line (so they spread over the meetings); the others have none.
MEETING_SHARE = 2 / 3
TOPICS = [
    "Migrant workers' remittances", "Trafficking in persons", "Refugees and asylum seekers",
    "International migration and development", "Labour migration", "Migration statistics",
    "Irregular migration", "Return and reintegration", "Diaspora contributions to development",
    "Human rights of migrants", "Migration and security", "The brain drain", "Family reunification",
    "Climate and displacement", "Integration of migrants", "Data collection and the census",
]
TITLE_FORMS = ["{topic}", "Note on {topic_lower}", "{topic}: recent developments", "Panel on {topic_lower}",
               "{topic} in the regions"]
SECTIONS = [
    "Introduction", "Background", "Opening of the meeting", "Recent debates", "Current issues",
    "Data and research", "Policy responses", "Activities of participating organizations",
    "Regional perspectives", "Partnerships and cooperation", "Challenges ahead",
    "Conclusions and recommendations", "Annex",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def generate(out: Path, documents: int, seed: int = 20261124, corpus: Path | None = None,
             prose: Path | None = None) -> int:
    """Write `documents` files into `out`; returns the number of bytes written.

    With `prose` (a file of one paragraph per line, see prose.py), documents mix it with the seeds.
    """
    if prose is not None:
        return generate_prose(out, documents, read_prose(prose), seed, corpus)
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


def generate_prose(out: Path, documents: int, prose: list[str], seed: int = 20261124,
                   corpus: Path | None = None) -> int:
    """The prose mode of `generate`: meeting-document shapes, seed paragraphs among real prose."""
    if not prose:
        raise ValueError("no prose paragraphs")
    rng = random.Random(seed)
    seeds = seed_paragraphs(corpus or bundled_corpus())
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for number in range(documents):
        topic = rng.choice(TOPICS)
        lines = [f"# {rng.choice(TITLE_FORMS).format(topic=topic, topic_lower=topic[0].lower() + topic[1:])}"]
        if rng.random() < MEETING_SHARE:
            meeting = rng.randint(1, 20)
            day = rng.randint(1, 26)
            lines += [f"{ordinal_name(meeting).upper()} COORDINATION MEETING ON INTERNATIONAL MIGRATION",
                      f"New York, {day}-{day + 1} {rng.choice(MONTHS)} {2001 + meeting}"]
        total = rng.randint(20, 60)
        sections = rng.sample(SECTIONS, k=min(len(ROMAN), 2 + total // 8))
        cuts = [0, *sorted(rng.sample(range(1, total), len(sections) - 1)), total]  # each section >= 1 paragraph
        for index, section in enumerate(sections):
            size = cuts[index + 1] - cuts[index]
            lines.append(f"## {ROMAN[index]}. {section}")
            at = rng.randrange(len(prose))  # a run of consecutive prose, as a section reads on
            for _ in range(size):
                if rng.random() < SEED_SHARE:
                    lines.append(rng.choice(seeds))
                else:
                    lines.append(prose[at % len(prose)])
                    at += 1
        text = "\n\n".join(lines) + "\n"
        path = out / f"doc_{number:05d}.txt"
        path.write_text(text, encoding="utf-8")
        written += len(text.encode("utf-8"))
    return written


def default_prose(notes: list[str]) -> Path | None:
    """The fetched prose file, or None with a note saying why the corpus falls back to the seeds alone."""
    try:
        return prose_file()
    except (ProseUnavailable, OSError, ValueError) as exc:
        notes.append(f"prose unavailable ({exc}): the corpus falls back to the seed paragraphs alone")
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261124)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--prose", action="store_true", help="mix in real prose fetched from Debian packages")
    mode.add_argument("--prose-file", type=Path, help="mix in the prose of this file (a paragraph per line)")
    args = parser.parse_args()
    notes: list[str] = []
    prose = args.prose_file or (default_prose(notes) if args.prose else None)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    size = generate(args.out, args.documents, args.seed, prose=prose)
    print(f"{args.documents} documents, {size / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
