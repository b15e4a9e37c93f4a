"""tantivy as a benchmark peer, run by bench.py in a venv of its own (`make bench-peers`), never in migarchive's.

    PEERS_PYTHON benchmarks/tantivy_peer.py index CORPUS INDEX_DIR   # build; prints one JSON line
    PEERS_PYTHON benchmarks/tantivy_peer.py serve CORPUS INDEX_DIR   # JSON lines on stdin and stdout

The passages are FTS5's: every blank-line separated block of every corpus file, one tantivy document
each (`path`: the file name, raw and stored, to delete a file's passages by; `text`: English stemmer,
stored, for snippets). `serve` answers one request per line:

    {"op": "query", "query": Q}  -> {"ms": …, "count": …}  first 10 hits, each with a SnippetGenerator snippet
    {"op": "update", "file": F}  -> {"s": …}               delete F's passages, add them again if F exists,
                                                          commit, reload the reader, take a new searcher
    {"op": "quit"}               -> {"maxrss_mb": …}       the serving process's own peak RSS

Queries are parsed with conjunction by default (FTS5's, Recoll's and migarchive's default) and with
regexes allowed (a prefix is written `text:/migr.*/`: tantivy's query language has no `migr*`).
This file imports nothing of migarchive: it runs under another interpreter.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import tantivy

HEAP_BYTES = 128_000_000  # tantivy-py's default writer heap, split among its threads
LIMIT = 10


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("path", stored=True, tokenizer_name="raw")
    builder.add_text_field("text", stored=True, tokenizer_name="en_stem")
    return builder.build()


def passages(path: Path) -> list[str]:
    return [block for block in path.read_text(encoding="utf-8").split("\n\n") if block.strip()]


def add_file(writer: tantivy.IndexWriter, path: Path) -> int:
    blocks = passages(path)
    for block in blocks:
        writer.add_document(tantivy.Document(path=path.name, text=block))
    return len(blocks)


def build(corpus: Path, folder: Path) -> dict[str, float]:
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema(), path=str(folder), reuse=False)
    writer = index.writer(HEAP_BYTES, 0)
    count = sum(add_file(writer, path) for path in sorted(corpus.glob("*.txt")))
    writer.commit()
    writer.wait_merging_threads()
    return {"passages": count, "seconds": time.perf_counter() - started}


class Server:
    def __init__(self, corpus: Path, folder: Path) -> None:
        self.corpus = corpus
        self.index = tantivy.Index.open(str(folder))
        self.schema = self.index.schema
        self.writer: tantivy.IndexWriter | None = None  # taken at the first update: it locks the index
        self.searcher = self.index.searcher()

    def query(self, text: str) -> dict[str, object]:
        started = time.perf_counter()
        try:
            query = self.index.parse_query(text, ["text"], conjunction_by_default=True, allow_regexes=True)
        except ValueError as exc:
            return {"error": str(exc)}
        found = self.searcher.search(query, LIMIT)
        snippets = tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "text")
        page = [(self.searcher.doc(address)["path"][0], snippets.snippet_from_doc(self.searcher.doc(address)).to_html())
                for _, address in found.hits]
        return {"ms": (time.perf_counter() - started) * 1000, "count": found.count, "shown": len(page)}

    def update(self, name: str) -> dict[str, object]:
        started = time.perf_counter()
        if self.writer is None:
            self.writer = self.index.writer(HEAP_BYTES, 0)
        self.writer.delete_documents_by_term("path", name)
        path = self.corpus / name
        if path.exists():
            add_file(self.writer, path)
        self.writer.commit()
        self.index.reload()
        self.searcher = self.index.searcher()
        return {"s": time.perf_counter() - started}


def serve(corpus: Path, folder: Path) -> None:
    started = time.perf_counter()
    server = Server(corpus, folder)
    reply({"ready_s": time.perf_counter() - started, "passages": server.searcher.num_docs})
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "query":
            reply(server.query(request["query"]))
        elif request["op"] == "update":
            reply(server.update(request["file"]))
        else:
            if server.writer is not None:
                server.writer.wait_merging_threads()
            reply({"maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
            return


def reply(answer: dict[str, object]) -> None:
    print(json.dumps(answer), flush=True)


def main() -> None:
    command, corpus, folder = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if command == "index":
        reply(build(corpus, folder))
    elif command == "serve":
        serve(corpus, folder)
    else:
        raise SystemExit(f"unknown command {command!r}: index or serve")


if __name__ == "__main__":
    main()
