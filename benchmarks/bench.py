"""migarchive beside its peers on one generated corpus: index time, memory, updates, queries, the window.

    python benchmarks/bench.py [--documents 2000] [--keep DIR] [--seed-only | --prose-file FILE]

The corpus mixes the seed paragraphs with real prose (generate.py --prose; the prose is fetched
once from Debian packages into benchmarks/.cache), or, with --seed-only or when the prose cannot be
had (a note says so), is the seed paragraphs alone.
Prints a table; asserts nothing (timings are not tests). Peers: SQLite FTS5 (porter tokenizer,
snippet()) always; Recoll when `recollindex`/`recollq` are installed; tantivy when its Python package
is importable in benchmarks/.venv-peers (`make bench-peers`), run there in a subprocess; a note says
which peer was skipped and why.
Every ratio is migarchive / peer: below 1 means migarchive took less (time, memory, size), except for
MB/s, where above 1 means migarchive was faster.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import default_prose, generate  # noqa: E402

QUERIES = [
    "remittances", "trafficking in persons", '"New York Declaration"', "IOM", "A/RES/71/1",
    "E/CN.4/2003/74", "meeting:5 migration", "year:2006 statistics", "kind:report security",
    "org:UNITAR workshop", "entity:UNHCR refugees", "remitances", "undocumented OR irregular",
    "migration NOT security", '"global compact"', "brain drain", "diaspora contributions",
    "labour migration", "Global Commission on International Migration", "data collection census",
    "Berne Initiative", "human rights of migrants",
    # Real prose: common words, a rare one (a carriage in Austen), a typo of no indexed word, a quotation,
    # a question typed as a sentence, a prefix.
    "time", "great", "phaeton", "neighbourhod", '"possession of a good fortune"',
    "what did the participants say about remittances sent home by migrant workers", "migr*",
]
# The same information needs for FTS5, in its own syntax (no field filters, no entities).
FTS_QUERIES = [
    "remittances", "trafficking persons", '"New York Declaration"', "IOM", '"A/RES/71/1"', '"E/CN.4/2003/74"',
    "migration", "statistics", "security", "workshop", "refugees", "remitances", "undocumented OR irregular",
    "migration NOT security", '"global compact"', '"brain drain"', "diaspora contributions", "labour migration",
    '"Global Commission on International Migration"', "data collection census", '"Berne Initiative"',
    '"human rights of migrants"',
    "time", "great", "phaeton", "neighbourhod", '"possession of a good fortune"',
    "what did the participants say about remittances sent home by migrant workers", "migr*",
]
# For these queries Recoll's language is FTS5's but for exclusion, a leading minus: it has no NOT.
RECOLL_QUERIES = [query.replace(" NOT ", " -") for query in FTS_QUERIES]
# tantivy's language is FTS5's but for the prefix, a regular expression on a field (no `migr*`).
TANTIVY_QUERIES = [query.replace("migr*", "text:/migr.*/") for query in FTS_QUERIES]
# Each query list is run this many times; p50 and p95 are over every run.
PASSES = 3
# A query in a process of its own costs migarchive a start and an index open (seconds on 2,000
# documents), so a few varied queries are enough to compare with Recoll's whole-process figures.
OWN_PROCESS_QUERIES = ["remittances", '"New York Declaration"', "meeting:5 migration",
                       "undocumented OR irregular", "migration NOT security", "Berne Initiative"]
SAMPLE_SECONDS = 0.05
WINDOW_SCRIPT = Path(__file__).resolve().parent / "window.py"
TANTIVY_SCRIPT = Path(__file__).resolve().parent / "tantivy_peer.py"
# The peers' own venv (`make bench-peers`): their packages never enter migarchive's environment.
PEERS_PYTHON = Path(__file__).resolve().parent / ".venv-peers" / "bin" / "python"

ROWS = [
    "full index s", "MB/s", "peak RSS MB (all processes)", "peak RSS MB (largest process)", "reopen s",
    "update 1 edited s", "update 1 added s", "update 1 deleted s", "query p50 ms", "query p95 ms",
    "query p50 ms (own process)", "query p95 ms (own process)", "index MB", "usable window s",
    "longest GUI block ms",
]

Figures = dict[str, float]


class CommandFailed(RuntimeError):
    pass


class Measured(NamedTuple):
    wall: float  # seconds
    tree_mb: float  # peak of the summed RSS of the process and all its descendants
    largest_mb: float  # the peak RSS of the largest single process: wait4's ru_maxrss covers reaped descendants
    out: str


# -- processes and their memory ----------------------------------------------------------------------


def process_tree(root: int) -> list[int]:
    """`root` and every process below it, from the parent ids in /proc/*/stat (Linux).

    /proc/PID/task/TID/children would be shorter, but kernels built without CONFIG_PROC_CHILDREN
    (this benchmark's own VM among them) do not have it.
    """
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="utf-8", errors="replace") as stat:
                # The command name may hold spaces and parentheses; the fields after the last ")" do not.
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # it ended while we looked
        children.setdefault(parent, []).append(int(name))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, ()))
    return tree


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0  # ended, or a zombie (no VmRSS line)


class TreeMemory:
    """Samples the summed RSS of a process tree every 50 ms in a thread and keeps the peak.

    The indexer's worker processes are children of the CLI process; the ru_maxrss that wait4 reports is
    the largest of those processes, not what they held together.
    Pages shared between processes (the interpreter, Qt) are counted once per process, as VmRSS does.
    """

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        if os.path.isdir("/proc"):
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _sample(self) -> None:
        # The first sample waits one period too: processes shorter than that are left to ru_maxrss.
        while not self._stop.wait(SAMPLE_SECONDS):
            self.peak_kb = max(self.peak_kb, sum(rss_kb(pid) for pid in process_tree(self.root)))


def maxrss_mb(usage: resource.struct_rusage) -> float:
    kilobytes = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss  # macOS counts bytes
    return kilobytes / 1024


def run(command: list[str], env: Mapping[str, str] | None = None) -> Measured:
    """Wall time, peak memory and stdout of one child process; its own peaks, not the maximum so far."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True, env=env)
        with TreeMemory(process.pid) as memory:
            _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise CommandFailed(f"{' '.join(command[:4])} failed ({process.returncode}): {err.read().strip()[-400:]}")
        largest = maxrss_mb(usage)
        # A sample can miss a short peak; the tree's peak is at least its largest process's.
        return Measured(wall, max(memory.peak_kb / 1024, largest), largest, out.read())


# -- figures shared by the engines -------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest rank: the smallest value with at least `fraction` of all values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def latency(times_ms: list[float], suffix: str = "") -> Figures:
    return {f"query p50 ms{suffix}": statistics.median(times_ms), f"query p95 ms{suffix}": percentile(times_ms, 0.95)}


def folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def time_updates(corpus: Path, update: Callable[[str], float]) -> Figures:
    """Edit one file, add one, delete it again; `update(name of the file changed)` re-indexes
    incrementally and returns seconds (engines that scan the corpus ignore the name)."""
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n\nAn added paragraph on circular migration.\n",
                     encoding="utf-8")
    figures = {"update 1 edited s": update(first.name)}
    added = corpus / "added_copy.txt"
    shutil.copy(first, added)
    figures["update 1 added s"] = update(added.name)
    added.unlink()
    figures["update 1 deleted s"] = update(added.name)
    return figures


def compiled() -> str:
    """Byte-compile the package, as installing a wheel does: where PYTHONDONTWRITEBYTECODE is set
    (as on these machines), every command of an editable install would compile its modules again."""
    import compileall

    import migarchive

    package = Path(migarchive.__file__).parent
    compileall.compile_dir(str(package), quiet=1)
    return f"migarchive's modules byte-compiled before measuring ({package}), as a wheel install does"


def step(message: str) -> None:
    """Progress goes to stderr: a full run takes minutes, and stdout is the table."""
    print(f"… {message}", file=sys.stderr, flush=True)


# -- migarchive ----------------------------------------------------------------------------------------


class Migarchive:
    """Every figure of migarchive, each command in a process of its own, as a user runs them."""

    def __init__(self, corpus: Path, data: Path) -> None:
        self.corpus = corpus
        self.data = data
        self.cli = [sys.executable, "-m", "migarchive"]
        self.where = ["--corpus", str(corpus), "--data-dir", str(data)]
        self.notes: list[str] = []
        self.matches: list[int | None] = []  # passages matched, per query of QUERIES

    def measure(self) -> Figures:
        step("migarchive: full index")
        built = run([*self.cli, "index", "--rebuild", *self.where, "--json"])
        figures = {"full index s": built.wall, "peak RSS MB (all processes)": built.tree_mb,
                   "peak RSS MB (largest process)": built.largest_mb}
        step("migarchive: reopen and incremental updates")
        figures["reopen s"] = run([*self.cli, "index", *self.where, "--json"]).wall
        figures.update(time_updates(self.corpus, lambda _name: run([*self.cli, "index", *self.where]).wall))
        step("migarchive: queries")
        figures.update(latency(self.batch_query_times()))
        figures.update(latency([self.own_process_query(q) for q in OWN_PROCESS_QUERIES], " (own process)"))
        self.notes.append(f"query (own process): migarchive {len(OWN_PROCESS_QUERIES)} queries, one "
                          "`migarchive search` process each (start, index open, query, first page with snippets)")
        figures["index MB"] = folder_mb(self.data / "indexes")
        step("migarchive: window")
        figures.update(self.window())
        return figures

    def batch_query_times(self) -> list[float]:
        """Every query PASSES times in one process: the time of `search`, first page with snippets."""
        queries = self.data / "queries.txt"
        queries.write_text("\n".join(QUERIES * PASSES) + "\n", encoding="utf-8")
        out = run([*self.cli, "search", "--batch", str(queries), *self.where, "--json", "--limit", "10"]).out
        answers = [json.loads(line) for line in out.splitlines()]
        self.matches = [answer.get("total") for answer in answers[:len(QUERIES)]]
        self.note_slowest(answers)
        return [answer["ms"] for answer in answers]

    def note_slowest(self, answers: list[dict]) -> None:
        by_query: dict[str, list[float]] = {}
        for answer in answers:
            by_query.setdefault(answer["query"], []).append(answer["ms"])
            if "error" in answer:
                self.notes.append(f"migarchive query {answer['query']!r} failed: {answer['error']}")
        slowest = sorted(by_query.items(), key=lambda item: -statistics.median(item[1]))[:4]
        self.notes.append("migarchive slowest queries (median ms): "
                          + ", ".join(f"{query} {statistics.median(ms):.0f}" for query, ms in slowest))

    def own_process_query(self, query: str) -> float:
        return run([*self.cli, "search", query, *self.where, "--json", "--limit", "10"]).wall * 1000

    def window(self) -> Figures:
        """benchmarks/window.py in an offscreen process: time to `ready`, longest GUI-thread block."""
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        measured = run([sys.executable, str(WINDOW_SCRIPT), *self.where, "--launched", repr(time.time())], env=env)
        shown = json.loads(measured.out.splitlines()[-1])
        self.notes.append(
            f"window: {shown['documents']} documents in the tree; longest GUI block while opening "
            f"{shown['longest_block_start_ms']:.0f} ms, while expanding the whole tree "
            f"{shown['longest_block_expand_ms']:.0f} ms (expandAll {shown['expand_all_ms']:.0f} ms); "
            f"window process peak RSS {measured.tree_mb:.0f} MB")
        return {"usable window s": shown["usable_s"], "longest GUI block ms": shown["longest_block_ms"]}


# -- SQLite FTS5 ---------------------------------------------------------------------------------------


def fts5(corpus: Path, data: Path, matches: list[int | None]) -> Figures:
    """In this process: one row per paragraph, then every query with snippet() on the first page.

    `matches` receives the number of rows each query matches, counted apart from the timed queries."""
    step("FTS5: index and queries")
    data.mkdir(parents=True, exist_ok=True)
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
    for query in FTS_QUERIES * PASSES:
        t0 = time.perf_counter()
        connection.execute("SELECT path, snippet(p, 1, '**', '**', '…', 24) FROM p WHERE p MATCH ? "
                           "ORDER BY rank LIMIT 10", (query,)).fetchall()
        times.append((time.perf_counter() - t0) * 1000)
    for query in FTS_QUERIES:
        matches.append(connection.execute("SELECT count(*) FROM p WHERE p MATCH ?", (query,)).fetchone()[0])
    connection.close()
    return figures | latency(times)


# -- Recoll --------------------------------------------------------------------------------------------


def recoll_installed() -> bool:
    return bool(shutil.which("recollindex") and shutil.which("recollq"))


def recoll_config(corpus: Path, folder: Path) -> Path:
    """A private configuration: only the corpus, the index inside `folder`, nothing of the user's."""
    folder.mkdir(parents=True, exist_ok=True)
    # aspellLanguage: under a C locale Recoll derives no language and its spelling dictionary fails;
    # English makes it build one, as migarchive builds its spelling data.
    # topdirs is a list, so a folder with spaces is quoted; dbdir is one value, the rest of its line.
    (folder / "recoll.conf").write_text(
        f'topdirs = "{corpus}"\ndbdir = {folder / "xapiandb"}\naspellLanguage = en\n', encoding="utf-8")
    return folder


def recoll(corpus: Path, folder: Path) -> Figures:
    """`recollindex` for the index and its updates, `recollq` per query: all whole processes."""
    config = recoll_config(corpus, folder)
    env = {**os.environ, "RECOLL_CONFDIR": str(config)}
    index = ["recollindex", "-c", str(config)]
    step("Recoll: full index")
    built = run(index, env=env)
    figures = {"full index s": built.wall, "peak RSS MB (all processes)": built.tree_mb,
               "peak RSS MB (largest process)": built.largest_mb}
    step("Recoll: reopen, incremental updates and queries")
    figures["reopen s"] = run(index, env=env).wall
    figures.update(time_updates(corpus, lambda _name: run(index, env=env).wall))
    # -A alone prints no abstract with the Recoll 1.34 of Debian; -p 1 adds one query snippet per
    # result, as migarchive's first page has one per hit.
    times = [run(["recollq", "-c", str(config), "-n", "10", "-A", "-p", "1", query], env=env).wall * 1000
             for query in RECOLL_QUERIES * PASSES]
    figures.update(latency(times, " (own process)"))
    figures["index MB"] = folder_mb(config)
    return figures


# -- tantivy -------------------------------------------------------------------------------------------


def tantivy_importable() -> bool:
    return PEERS_PYTHON.exists() and subprocess.run([str(PEERS_PYTHON), "-c", "import tantivy"],
                                                    capture_output=True).returncode == 0


class TantivyServer:
    """tantivy_peer.py serve: one process of the peers' venv, one JSON line per request and answer."""

    def __init__(self, corpus: Path, folder: Path) -> None:
        self.process = subprocess.Popen([str(PEERS_PYTHON), str(TANTIVY_SCRIPT), "serve", str(corpus), str(folder)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.ready = self.receive()

    def ask(self, **request: str) -> dict:
        assert self.process.stdin
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self.receive()

    def receive(self) -> dict:
        assert self.process.stdout
        line = self.process.stdout.readline()
        if not line:
            raise CommandFailed(f"tantivy_peer.py serve ended ({self.process.wait()})")
        return json.loads(line)

    def close(self) -> dict:
        answer = self.ask(op="quit")
        self.process.wait()
        return answer


def tantivy(corpus: Path, folder: Path, notes: list[str], matches: list[int | None]) -> Figures:
    """Index in a process of its own (time, memory), then updates and queries in one serving process."""
    step("tantivy: full index")
    built = run([str(PEERS_PYTHON), str(TANTIVY_SCRIPT), "index", str(corpus), str(folder)])
    figures = {"full index s": built.wall, "peak RSS MB (all processes)": built.tree_mb,
               "peak RSS MB (largest process)": built.largest_mb, "index MB": folder_mb(folder)}
    answer = json.loads(built.out.splitlines()[-1])
    step("tantivy: incremental updates and queries")
    server = TantivyServer(corpus, folder)
    try:
        figures.update(time_updates(corpus, lambda name: server.ask(op="update", file=name)["s"]))
        times = []
        for query in TANTIVY_QUERIES * PASSES:
            result = server.ask(op="query", query=query)
            if "error" in result:
                notes.append(f"tantivy query {query!r} failed: {result['error']}")
            else:
                times.append(result["ms"])
            if len(matches) < len(TANTIVY_QUERIES):
                matches.append(result.get("count"))
        figures.update(latency(times))
    finally:
        served = server.close()
    notes.append(f"tantivy {answer['passages']} passages (FTS5's), built in {answer['seconds']:.2f} s in process "
                 f"(writer heap 128 MB, threads chosen by tantivy); index opened in {server.ready['ready_s'] * 1000:.0f} ms; "
                 f"serving process peak RSS {served['maxrss_mb']:.0f} MB; updates: delete the file's passages, add them, "
                 "commit, reload, new searcher, in that process")
    return figures


def tantivy_or_note(corpus: Path, folder: Path, notes: list[str], matches: list[int | None]) -> Figures | None:
    if not tantivy_importable():
        notes.append(f"tantivy: skipped (not importable by {PEERS_PYTHON}; `make bench-peers` to compare)")
        return None
    try:
        return tantivy(corpus, folder, notes, matches)
    except (CommandFailed, OSError, ValueError, KeyError) as exc:
        notes.append(f"tantivy: failed, left out: {exc}")
        return None


# -- the table -----------------------------------------------------------------------------------------


def cell(value: float | None, width: int, decimals: int = 3) -> str:
    return f"{value:{width}.{decimals}f}" if value is not None else f"{'-':>{width}}"


def ratio(mine: float | None, theirs: float | None) -> float | None:
    return mine / theirs if mine is not None and theirs else None


def print_table(ours: Figures, peers: dict[str, Figures | None]) -> None:
    names = list(peers)
    print(f"\n{'':30}{'migarchive':>12}" + "".join(f"{name:>12}" for name in names)
          + "".join(f"{'mig/' + name:>12}" for name in names))
    for key in ROWS:
        mine = ours.get(key)
        theirs = [(peers[name] or {}).get(key) for name in names]
        print(f"{key:30}{cell(mine, 12)}" + "".join(cell(value, 12) for value in theirs)
              + "".join(cell(ratio(mine, value), 12, 2) for value in theirs))


def print_matches(columns: dict[str, list[int | None]]) -> None:
    """Passages matched per query: the same information need should find a like number in each engine."""
    names = [name for name, counts in columns.items() if counts]
    print(f"\n{'passages matched':50}" + "".join(f"{name:>12}" for name in names))
    for row, query in enumerate(QUERIES):
        counts = [columns[name][row] if row < len(columns[name]) else None for name in names]
        print(f"{query[:50]:50}" + "".join(cell(None if count is None else float(count), 12, 0) for count in counts))


def print_notes(notes: list[str]) -> None:
    print()
    for note in notes:
        print(f"- {note}")


def recoll_or_note(corpus: Path, folder: Path, notes: list[str]) -> Figures | None:
    """Recoll's figures, or None with a note saying why there are none."""
    if not recoll_installed():
        notes.append("Recoll: skipped (recollindex/recollq not installed; `apt-get install recoll` to compare)")
        return None
    try:
        figures = recoll(corpus, folder)
    except CommandFailed as exc:
        notes.append(f"Recoll: failed, left out: {exc}")
        return None
    notes.append(f"Recoll: every figure is a whole process: recollindex (reopen: on the unchanged corpus), or "
                 f"recollq -n 10 -A -p 1 per query ({len(RECOLL_QUERIES)} queries x {PASSES}); so are migarchive's "
                 "index, reopen, update and own-process query figures")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="keep the generated corpus and data here")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--seed-only", action="store_true", help="the seed paragraphs alone (the corpus before #14)")
    mode.add_argument("--prose-file", type=Path, help="mix in this prose file (a paragraph per line), not the fetched one")
    args = parser.parse_args()
    started = time.perf_counter()
    for engine in ("corpus", "migarchive", "fts5", "recoll", "tantivy"):
        if args.keep is not None:  # every engine starts from nothing, as in a fresh folder
            shutil.rmtree(args.keep / engine, ignore_errors=True)
    work = args.keep or Path(tempfile.mkdtemp(prefix="migarchive-bench-"))
    corpus = work / "corpus"
    corpus_notes: list[str] = [compiled()]
    prose = None if args.seed_only else args.prose_file or default_prose(corpus_notes)
    for note in corpus_notes:
        print(f"note: {note}", flush=True)
    size = generate(corpus, args.documents, prose=prose)
    print(f"corpus: {args.documents} documents, {size / 1e6:.1f} MB, "
          f"{'seed paragraphs among real prose (' + str(prose) + ')' if prose else 'seed paragraphs alone'} ({corpus})",
          flush=True)
    ours = Migarchive(corpus, work / "migarchive")
    try:
        figures = ours.measure()
    except CommandFailed as exc:
        raise SystemExit(f"migarchive: {exc}") from None
    notes = [f"query p50/p95 ms: {len(QUERIES)} queries x {PASSES} in one process, first page of 10 with "
             "snippets (migarchive: search --batch; FTS5: snippet() in this process; tantivy: SnippetGenerator "
             "in its serving process)", *corpus_notes, *ours.notes]
    matches: dict[str, list[int | None]] = {"migarchive": ours.matches, "FTS5": [], "tantivy": []}
    peers = {"FTS5": fts5(corpus, work / "fts5", matches["FTS5"]),
             "Recoll": recoll_or_note(corpus, work / "recoll", notes),
             "tantivy": tantivy_or_note(corpus, work / "tantivy", notes, matches["tantivy"])}
    for engine in (figures, *filter(None, peers.values())):
        engine["MB/s"] = size / 1e6 / engine["full index s"]
    print_table(figures, peers)
    print_matches(matches)
    print_notes(notes)
    print(f"\nbenchmark: {time.perf_counter() - started:.0f} s in all")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
