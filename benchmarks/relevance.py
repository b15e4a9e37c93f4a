"""Relevance of search on judged queries (issue #13): MRR, nDCG and passage hits, per kind of query.

    .venv/bin/python benchmarks/relevance.py [--verbose] [--json] [--only q01,q02] [--no-recoll] [--check]

The corpus is the bundled `corpus/` plus `benchmarks/relevance/corpus/`, copied side by side into a
temporary folder; the judgments are `benchmarks/relevance/queries.json`, written by reading the texts.
Only the public facade is used (`Archive.open`, `search`, `passage_text`), so the benchmark keeps
working while search is rewritten. A query that raises a `UserError` counts as zero results.

Figures, per kind and overall:
  MRR@10     reciprocal rank of the first hit whose document is judged >= 2 (hits are passages, in order)
  nDCG@10    document level: hits deduplicated by document in rank order, gain 2^grade - 1
  psg@3      queries with judged passages: share where a top-3 hit's text contains one of them
  zero       share of queries with no results (or refused)
Recoll, when `recollindex`/`recollq` are installed, indexes the same folder with a private
configuration and answers each query (field filters removed) with any-word (OR) semantics; its
hits are documents, so it has no passage figure. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migarchive.core.archive import Archive
from migarchive.errors import UserError
from migarchive.paths import AppPaths, bundled_corpus

HERE = Path(__file__).resolve().parent
OWN_CORPUS = HERE / "relevance" / "corpus"
QUERIES = HERE / "relevance" / "queries.json"
KINDS = ("question", "topic-synonym", "name", "variant", "misspelling", "phrase", "filter", "agenda")
DEPTH = 10  # hits asked for and judged
PASSAGE_DEPTH = 3
SHOWN = 5  # hits per query in --verbose
# Our field filters; Recoll has no such fields, so they are taken out of the words it gets.
_FILTER = re.compile(r'(?<![\w:])(?:meeting|year|org|organization|agency|kind|path|entity|section|heading|in):(?:"[^"]*"|\S+)',
                     re.I)


@dataclass(frozen=True)
class Query:
    id: str
    kind: str
    text: str
    judgments: dict[str, int]
    passages: tuple[str, ...] = ()
    note: str | None = None


@dataclass
class Ranked:
    """One engine's answer to one query: hits in order, as (path, passage text or None, label)."""

    paths: list[str] = field(default_factory=list)
    texts: list[str | None] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # section and snippet, for people
    total: int = 0
    corrected: str | None = None
    error: str | None = None
    passages: bool = True  # False: the engine answers with documents, so has no passage figure


def load_queries(path: Path = QUERIES) -> list[Query]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [Query(q["id"], q["kind"], q["query"], dict(q["judgments"]), tuple(q.get("passages", ())), q.get("note"))
            for q in raw["queries"]]


def normalized(text: str) -> str:
    """For finding a judged passage in a hit: case, whitespace and Markdown emphasis do not count."""
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"').replace("*", "")
    return " ".join(text.split()).casefold()


def build_corpus(folder: Path) -> Path:
    """The bundled documents and ours side by side, as paths relative to one folder."""
    folder.mkdir(parents=True)
    for source in (bundled_corpus(), OWN_CORPUS):
        for file in sorted(source.iterdir()):
            if file.is_file():
                shutil.copy2(file, folder / file.name)
    return folder


def check(queries: Sequence[Query], corpus: Path) -> list[str]:
    """Problems with the judgments themselves: unknown kinds or paths, passages no judged text contains."""
    problems = []
    seen: set[str] = set()
    texts = {p.name: normalized(p.read_text(encoding="utf-8")) for p in corpus.iterdir() if p.is_file()}
    for q in queries:
        if q.id in seen:
            problems.append(f"{q.id}: duplicate id")
        seen.add(q.id)
        if q.kind not in KINDS:
            problems.append(f"{q.id}: unknown kind {q.kind!r}")
        for path, grade in q.judgments.items():
            if path not in texts:
                problems.append(f"{q.id}: no document {path}")
            if grade not in (1, 2, 3):
                problems.append(f"{q.id}: grade {grade} for {path}")
        judged = [texts[p] for p in q.judgments if p in texts]
        for passage in q.passages:
            if not any(normalized(passage) in text for text in judged):
                problems.append(f"{q.id}: passage {passage!r} is in no judged document")
    return problems


# -- engines -------------------------------------------------------------------------------------


def ours(archive: Archive, query: Query) -> Ranked:
    ranked = Ranked()
    try:
        results = archive.search(query.text, limit=DEPTH)
    except UserError as exc:
        ranked.error = str(exc)
        return ranked
    ranked.total = results.total
    ranked.corrected = getattr(results, "corrected", None)
    for rank, hit in enumerate(results.hits[:DEPTH]):
        ranked.paths.append(str(hit.path))
        # Only the texts that are judged or shown are fetched.
        ranked.texts.append(archive.passage_text(str(hit.path), hit.passage_id) if rank < max(SHOWN, PASSAGE_DEPTH) else None)
        snippet = " ".join(str(getattr(hit, "snippet", "") or "").split())
        section = getattr(hit, "section", None)
        ranked.labels.append(f"[{section}] {snippet}" if section else snippet)
    return ranked


def recoll_available() -> bool:
    return bool(shutil.which("recollindex") and shutil.which("recollq"))


def recoll_index(corpus: Path, folder: Path) -> Path:
    """A private configuration (only the corpus; Markdown read as text) and its index."""
    folder.mkdir(parents=True)
    (folder / "recoll.conf").write_text(
        f'topdirs = "{corpus}"\ndbdir = {folder / "xapiandb"}\naspellLanguage = en\nindexstemminglanguages = english\n',
        encoding="utf-8")
    (folder / "mimemap").write_text(".md = text/plain\n.txt = text/plain\n", encoding="utf-8")
    subprocess.run(["recollindex", "-c", str(folder)], capture_output=True, text=True, check=True, timeout=600,
                   env=_recoll_env(folder))
    return folder


def _recoll_env(config: Path) -> dict[str, str]:
    return {**os.environ, "RECOLL_CONFDIR": str(config)}


def recoll(config: Path, corpus: Path, query: Query) -> Ranked:
    ranked = Ranked(passages=False)
    words = " ".join(_FILTER.sub(" ", query.text).split())
    if not words:
        ranked.error = "only field filters, which Recoll does not have"
        return ranked
    # -o: any word (OR), as the GUI's "any term" search; -b: URLs only, one per line.
    done = subprocess.run(["recollq", "-c", str(config), "-b", "-n", str(DEPTH), "-o", words],
                          capture_output=True, text=True, timeout=120, env=_recoll_env(config))
    if done.returncode != 0:
        ranked.error = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        return ranked
    root = corpus.resolve()
    for line in done.stdout.splitlines():
        line = line.strip()
        if not line.startswith("file://"):
            continue
        path = Path(urllib.parse.unquote(line[len("file://"):]))
        try:
            ranked.paths.append(path.resolve().relative_to(root).as_posix())
        except ValueError:
            continue
        ranked.texts.append(None)
        ranked.labels.append("")
    ranked.total = len(ranked.paths)
    return ranked


# -- figures -------------------------------------------------------------------------------------


def reciprocal_rank(query: Query, ranked: Ranked) -> float:
    for rank, path in enumerate(ranked.paths[:DEPTH], start=1):
        if query.judgments.get(path, 0) >= 2:
            return 1.0 / rank
    return 0.0


def documents_in_order(paths: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(paths))


def ndcg(query: Query, ranked: Ranked) -> float:
    def dcg(grades: Sequence[int]) -> float:
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:DEPTH]))

    ideal = dcg(sorted(query.judgments.values(), reverse=True))
    got = dcg([query.judgments.get(p, 0) for p in documents_in_order(ranked.paths)[:DEPTH]])
    return got / ideal if ideal else 0.0


def passage_hit(query: Query, ranked: Ranked) -> bool | None:
    """None: the query has no judged passage, or the engine returns documents, not passages."""
    if not query.passages or not ranked.passages:
        return None
    wanted = [normalized(p) for p in query.passages]
    return any(text is not None and any(w in normalized(text) for w in wanted)
               for text in ranked.texts[:PASSAGE_DEPTH])


def zero(ranked: Ranked) -> bool:
    return ranked.error is not None or not ranked.paths


def figures(queries: Sequence[Query], answers: Sequence[Ranked]) -> dict[str, float | int | None]:
    n = len(queries)
    hits = [h for h in (passage_hit(q, a) for q, a in zip(queries, answers, strict=True)) if h is not None]
    return {
        "queries": n,
        "mrr@10": sum(reciprocal_rank(q, a) for q, a in zip(queries, answers, strict=True)) / n if n else None,
        "ndcg@10": sum(ndcg(q, a) for q, a in zip(queries, answers, strict=True)) / n if n else None,
        "passage@3": sum(hits) / len(hits) if hits else None,
        "passage queries": len(hits),
        "zero": sum(zero(a) for a in answers) / n if n else None,
    }


def table(queries: Sequence[Query], engines: dict[str, list[Ranked]]) -> dict[str, dict[str, dict[str, Any]]]:
    """kind (and "overall") -> engine -> figures."""
    groups = [k for k in KINDS if any(q.kind == k for q in queries)] + ["overall"]
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for group in groups:
        index = [i for i, q in enumerate(queries) if group in ("overall", q.kind)]
        result[group] = {name: figures([queries[i] for i in index], [answers[i] for i in index])
                         for name, answers in engines.items()}
    return result


def _cell(value: float | None) -> str:
    return "   –" if value is None else f"{value:4.2f}"


def print_table(rows: dict[str, dict[str, dict[str, Any]]], names: Sequence[str]) -> None:
    metrics = ("mrr@10", "ndcg@10", "passage@3", "zero")
    width = max(7 * len(names), max(len(m) for m in metrics)) + 2
    print((f"{'kind':15}{'n':>4}  " + "".join(f"{m:<{width}}" for m in metrics)).rstrip())
    print((f"{'':19}  " + "".join("".join(f"{n[:6]:>7}" for n in names).ljust(width) for _ in metrics)).rstrip())
    for group, engines in rows.items():
        n = next(iter(engines.values()))["queries"]
        cells = ["".join(f"{_cell(engines[name][m]):>7}" for name in names).ljust(width) for m in metrics]
        print((f"{group:15}{n:>4}  " + "".join(cells)).rstrip())


def print_verbose(query: Query, engines: dict[str, Ranked]) -> None:
    print(f"\n{query.id} [{query.kind}] {query.text}")
    if query.note:
        print(f"    note: {query.note}")
    for name, ranked in engines.items():
        head = f"  {name}: {ranked.total} results"
        if ranked.corrected:
            head += f", corrected to {ranked.corrected!r}"
        if ranked.error:
            head += f", refused: {ranked.error}"
        head += f"   RR {reciprocal_rank(query, ranked):.2f}  nDCG {ndcg(query, ranked):.2f}"
        hit = passage_hit(query, ranked)
        if hit is not None:
            head += f"  passage@3 {'yes' if hit else 'no'}"
        print(head)
        wanted = [normalized(p) for p in query.passages]
        for rank, (path, text, label) in enumerate(zip(ranked.paths, ranked.texts, ranked.labels, strict=True), start=1):
            if rank > SHOWN:
                break
            mark = "P" if text is not None and any(w in normalized(text) for w in wanted) else " "
            print(f"    {rank:>2}. [{query.judgments.get(path, 0)}]{mark} {path}  {label[:110]}")
        found = set(ranked.paths)
        missing = [f"{p} ({g})" for p, g in sorted(query.judgments.items(), key=lambda x: -x[1]) if g >= 2 and p not in found]
        if missing:
            print(f"    not in top {DEPTH}: {', '.join(missing)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--only", help="comma-separated query ids")
    parser.add_argument("--verbose", action="store_true", help=f"each query's top {SHOWN} with judgments")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--no-recoll", action="store_true", help="leave Recoll out even when installed")
    parser.add_argument("--check", action="store_true", help="only check the judgments against the texts")
    args = parser.parse_args(argv)

    queries = load_queries(args.queries)
    if args.only:
        wanted = set(args.only.split(","))
        queries = [q for q in queries if q.id in wanted]
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="migarchive-relevance-") as tmp:
        corpus = build_corpus(Path(tmp) / "corpus")
        problems = check(queries, corpus)
        for problem in problems:
            print(f"judgments: {problem}", file=sys.stderr)
        if args.check:
            print(f"{len(queries)} queries, {len(problems)} problems")
            return 1 if problems else 0
        archive = Archive.open(AppPaths(corpus=corpus, data_dir=Path(tmp) / "data"))
        try:
            report = archive.last_report
            engines: dict[str, list[Ranked]] = {"ours": [ours(archive, q) for q in queries]}
        finally:
            archive.close()
        if args.no_recoll:
            notes.append("Recoll: left out (--no-recoll)")
        elif not recoll_available():
            notes.append("Recoll: skipped (recollindex/recollq not installed; `apt-get install recoll` to compare)")
        else:
            try:
                config = recoll_index(corpus, Path(tmp) / "recoll")
                engines["recoll"] = [recoll(config, corpus, q) for q in queries]
                notes.append("Recoll: any word (recollq -o), field filters removed; hits are documents, so no passage figure")
            except (subprocess.SubprocessError, OSError) as exc:
                notes.append(f"Recoll: failed, left out: {exc}")
    rows = table(queries, engines)
    documents = report.documents if report else None
    if args.json:
        per_query = [{"id": q.id, "kind": q.kind, "query": q.text,
                      **{name: {"total": a[i].total, "corrected": a[i].corrected, "error": a[i].error,
                                "documents": documents_in_order(a[i].paths), "rr": reciprocal_rank(q, a[i]),
                                "ndcg": ndcg(q, a[i]), "passage@3": passage_hit(q, a[i])}
                         for name, a in engines.items()}}
                     for i, q in enumerate(queries)]
        print(json.dumps({"documents": documents, "figures": rows, "queries": per_query, "notes": notes,
                          "judgment problems": problems}, indent=1))
        return 0
    if args.verbose:
        for i, q in enumerate(queries):
            print_verbose(q, {name: answers[i] for name, answers in engines.items()})
        print()
    print(f"relevance: {len(queries)} judged queries on {documents} documents (top {DEPTH}; passage figure: top {PASSAGE_DEPTH})")
    print_table(rows, list(engines))
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
