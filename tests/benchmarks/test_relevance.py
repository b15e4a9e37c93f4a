"""The relevance benchmark runs end to end on a few judged queries, and its judgments fit the texts.

Its figures are not checked: they measure the engine, they do not test it. That the table is
printed, that --json is machine-readable and that every judged path and passage exists, is.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"

_SPEC = importlib.util.spec_from_file_location("bench_relevance", BENCHMARKS / "relevance.py")
assert _SPEC and _SPEC.loader
relevance = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = relevance  # its dataclasses look their module up there
_SPEC.loader.exec_module(relevance)

_FEW = "q03,q24,q46,q65"  # a question, a name, a misspelling and a filter


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(BENCHMARKS / "relevance.py"), "--only", _FEW, "--no-recoll", *args],
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


def test_every_judged_document_and_passage_is_in_the_corpus(tmp_path: Path) -> None:
    queries = relevance.load_queries()
    assert len(queries) >= 60
    assert {q.kind for q in queries} == set(relevance.KINDS)
    assert relevance.check(queries, relevance.build_corpus(tmp_path / "corpus")) == []


def test_the_table_has_a_row_per_kind_asked_and_overall() -> None:
    out = _run("--verbose").stdout
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.split()}
    for kind in ("question", "name", "misspelling", "filter", "overall"):
        assert kind in rows, f"no row {kind!r} in\n{out}"
        assert rows[kind][0] == ("4" if kind == "overall" else "1")
        float(rows[kind][1])  # MRR@10 of our engine
    assert "mrr@10" in out and "ndcg@10" in out and "passage@3" in out
    assert "q24 [name] GFMD" in out  # --verbose shows each query with its hits
    assert "Recoll: left out" in out


def test_json_gives_figures_and_each_query() -> None:
    data = json.loads(_run("--json").stdout)
    assert data["figures"]["overall"]["ours"]["queries"] == 4
    assert [q["id"] for q in data["queries"]] == _FEW.split(",")


def test_figures_on_a_made_up_ranking() -> None:
    query = relevance.Query("x", "name", "x", {"a": 3, "b": 2, "c": 1}, ("the answer",))
    ranked = relevance.Ranked(paths=["z", "b", "b", "a"], texts=["no", "The  Answer here", None, None],
                              labels=["", "", "", ""], total=4)
    assert relevance.reciprocal_rank(query, ranked) == 0.5
    assert relevance.passage_hit(query, ranked) is True
    assert 0 < relevance.ndcg(query, ranked) < 1
    perfect = relevance.Ranked(paths=["a", "b", "c"], texts=[None] * 3, labels=[""] * 3, total=3)
    assert relevance.ndcg(query, perfect) == 1.0
    assert relevance.zero(relevance.Ranked(error="bad query"))
