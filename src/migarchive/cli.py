"""The `migarchive` command: a thin layer over `core.archive.Archive`.

With `--json` each command prints exactly one JSON object on stdout; progress and warnings go to
stderr. A user mistake prints one line on stderr and exits with status 2, without a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Sequence
from typing import Any

from migarchive import __version__
from migarchive.core.archive import Archive, Meeting, SyncReport
from migarchive.core.entities import Entity
from migarchive.core.gazetteer import KINDS
from migarchive.core.model import DocumentInfo
from migarchive.core.search import SYNTAX_HELP, SearchResults
from migarchive.errors import MigarchiveError
from migarchive.paths import resolve_paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    # Shared options default to "absent" on both levels, so `--corpus X search q` and
    # `search q --corpus X` both work; fill in the real defaults once here.
    for name, default in (("corpus", None), ("data_dir", None), ("json", False)):
        if not hasattr(args, name):
            setattr(args, name, default)
    if args.command in (None, "gui"):
        from migarchive.ui.app import run  # Qt is loaded only for the window

        return run(corpus=args.corpus, data_dir=args.data_dir,
                   quit_after_start=getattr(args, "quit_after_start", False))
    try:
        return int(args.handler(args) or 0)
    except MigarchiveError as exc:
        print(f"migarchive: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("migarchive: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", metavar="DIR", default=argparse.SUPPRESS,
                        help="archive folder (default: $MIGARCHIVE_CORPUS, else the bundled corpus/)")
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="where the index and notes live (default: $MIGARCHIVE_DATA_DIR, else the "
                        "platform's user data folder)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print one JSON object on stdout")

    parser = argparse.ArgumentParser(prog="migarchive", parents=[common],
                                     description="Browse and search the UN Coordination Meetings on "
                                     "International Migration. Without a command, opens the app.")
    parser.add_argument("--version", action="version", version=f"migarchive {__version__}")
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", parents=[common], help="open the desktop app (the default)")
    gui.add_argument("--quit-after-start", action="store_true",
                     help="print how long the window took to become usable, then quit (for measuring)")
    gui.set_defaults(handler=None)

    index = commands.add_parser("index", parents=[common], help="build or update the search index")
    index.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    index.set_defaults(handler=_index)

    meetings = commands.add_parser("meetings", parents=[common], help="meetings and their documents")
    meetings.set_defaults(handler=_meetings)

    search = commands.add_parser("search", parents=[common], help="full-text search",
                                 epilog=f"query syntax: {SYNTAX_HELP}")
    search.add_argument("query", help="the query; quote it in the shell")
    search.add_argument("--limit", type=int, default=10, metavar="N", help="results to show (default 10)")
    search.set_defaults(handler=_search)

    entities = commands.add_parser("entities", parents=[common], help="agencies and initiatives named")
    entities.add_argument("--kind", choices=KINDS, help="only agencies, or only initiatives")
    entities.set_defaults(handler=_entities)

    show = commands.add_parser("show", parents=[common], help="print a document's cleaned text")
    show.add_argument("path", help="document path relative to the corpus folder")
    show.add_argument("--section", metavar="ID", help="only this section (ids: see --json or meetings)")
    show.set_defaults(handler=_show)
    return parser


def _open(args: argparse.Namespace, rebuild: bool = False) -> Archive:
    paths = resolve_paths(args.corpus, args.data_dir)
    return Archive.open(paths, rebuild=rebuild, progress=_progress_printer())


def _progress_printer():  # type: ignore[no-untyped-def]
    """A progress line on a terminal; nothing when stderr is a file or a pipe."""
    if not sys.stderr.isatty():
        return None
    lock = threading.Lock()

    def show(done: int, total: int, message: str) -> None:
        with lock:
            end = "\n" if done >= total else ""
            sys.stderr.write(f"\rindexing {done}/{total} {message[-50:]:<50}{end}")
            sys.stderr.flush()

    return show


def _emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(text)


def _warn_skipped(args: argparse.Namespace, archive: Archive) -> None:
    for item in archive.skipped:
        print(f"migarchive: skipped {item.path}: {item.reason}", file=sys.stderr)


def _index(args: argparse.Namespace) -> int:
    paths = resolve_paths(args.corpus, args.data_dir)
    archive = Archive(paths)
    report: SyncReport = archive.sync(rebuild=args.rebuild, progress=_progress_printer())
    data = {
        "documents": report.documents,
        "passages": report.passages,
        "skipped": [{"path": s.path, "reason": s.reason} for s in report.skipped],
        "seconds": round(report.seconds, 3),
    }
    changes = ", ".join(f"{len(v)} {k}" for k, v in
                        (("added", report.added), ("updated", report.updated), ("removed", report.removed)) if v)
    text = (f"{report.documents} documents, {report.passages} passages indexed in {report.seconds:.2f} s"
            f"{' (rebuilt)' if report.rebuilt else ''}{'; ' + changes if changes and not report.rebuilt else ''}")
    for item in report.skipped:
        text += f"\nskipped {item.path}: {item.reason}"
    _emit(args, data, text)
    archive.close()
    return 0


def document_json(info: DocumentInfo) -> dict[str, Any]:
    meta = info.metadata
    return {
        "path": info.path,
        "title": meta.title,
        "kind": meta.kind,
        "organization": meta.organization,
        "symbol": meta.symbol,
        "sections": [{"id": s.id, "title": s.title, "level": s.level} for s in info.sections],
    }


def meeting_json(meeting: Meeting) -> dict[str, Any]:
    return {
        "number": meeting.number,
        "title": meeting.title,
        "start_date": meeting.start_date.isoformat() if meeting.start_date else None,
        "end_date": meeting.end_date.isoformat() if meeting.end_date else None,
        "month": meeting.month,
        "place": meeting.place,
        "referenced_only": meeting.referenced_only,
        "documents": [document_json(d) for d in meeting.documents],
    }


def _meetings(args: argparse.Namespace) -> int:
    archive = _open(args)
    _warn_skipped(args, archive)
    meetings, unassigned = archive.meetings()
    lines = []
    for meeting in meetings:
        when = _dates(meeting)
        flag = "  (referenced only)" if meeting.referenced_only else ""
        lines.append(f"{meeting.number:>2}. {meeting.title}{' · ' + when if when else ''}{flag}")
        for info in meeting.documents:
            lines.append(f"      {info.path}  {info.metadata.title}  [{_describe(info)}]")
    if unassigned:
        lines.append("    Not assigned to a meeting:")
        lines.extend(f"      {info.path}  {info.metadata.title}  [{_describe(info)}]" for info in unassigned)
    _emit(args, {"meetings": [meeting_json(m) for m in meetings],
                 "unassigned": [document_json(d) for d in unassigned]}, "\n".join(lines))
    archive.close()
    return 0


def _describe(info: DocumentInfo) -> str:
    meta = info.metadata
    return "; ".join(x for x in (meta.kind, meta.organization, meta.symbol) if x)


def _dates(meeting: Meeting) -> str:
    if meeting.start_date and meeting.end_date and meeting.start_date != meeting.end_date:
        return f"{meeting.start_date.isoformat()} – {meeting.end_date.isoformat()}"
    if meeting.start_date:
        return meeting.start_date.isoformat()
    return meeting.month or ""


def _search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise MigarchiveError("--limit must be at least 1")
    archive = _open(args)
    _warn_skipped(args, archive)
    results: SearchResults = archive.search(args.query, limit=args.limit)
    archive.close()
    data = {
        "query": results.query,
        "corrected": results.corrected,
        "total": results.total,
        "results": [
            {"path": h.path, "title": h.title, "meeting": h.meeting, "section": h.section,
             "passage_id": h.passage_id, "score": h.score, "snippet": h.snippet}
            for h in results.hits
        ],
    }
    lines = []
    if results.corrected:
        lines.append(f"(no results for '{results.query}'; showing results for '{results.corrected}')")
    lines.append(f"{results.total} passages in {results.documents} documents")
    for hit in results.hits:
        where = " › ".join(x for x in (f"meeting {hit.meeting}" if hit.meeting else None, hit.title, hit.section) if x)
        lines.append(f"\n{hit.path}#{hit.passage_id}  ({hit.score:.2f})\n  {where}\n  {hit.snippet}")
    _emit(args, data, "\n".join(lines))
    return 0


def entity_json(entity: Entity) -> dict[str, Any]:
    return {
        "name": entity.name,
        "acronym": entity.acronym,
        "kind": entity.kind,
        "aliases": list(entity.aliases),
        "mentions": len(entity.mentions),
        "documents": [{"path": path, "mentions": count} for path, count in entity.documents()],
    }


def _entities(args: argparse.Namespace) -> int:
    archive = _open(args)
    _warn_skipped(args, archive)
    found = archive.entities(kind=args.kind)
    archive.close()
    lines = [f"{len(found)} {args.kind + 's' if args.kind else 'agencies and initiatives'}"]
    for entity in found:
        label = f"{entity.name} ({entity.acronym})" if entity.acronym else entity.name
        lines.append(f"{len(entity.mentions):>5}  {entity.kind:<10}  {label}  "
                     f"[{len(entity.documents())} document{'s' if len(entity.documents()) != 1 else ''}]")
    _emit(args, {"entities": [entity_json(e) for e in found]}, "\n".join(lines))
    return 0


def _show(args: argparse.Namespace) -> int:
    archive = _open(args)
    document = archive.document(args.path)
    archive.close()
    text = document.cleaned
    if args.section is not None:
        section_text = document.section_text(args.section)
        if section_text is None:
            known = ", ".join(s.id for s in document.sections) or "none"
            raise MigarchiveError(f"no section '{args.section}' in {args.path} (sections: {known})")
        text = section_text
    meta = document.metadata
    data = document_json(_info_of(document)) | {
        "meeting": meta.meeting.number if meta.meeting else None,
        "text": text,
        "damaged_spots": document.damaged_spots,
        "warnings": list(document.source.warnings),
    }
    _emit(args, data, text.rstrip("\n"))
    return 0


def _info_of(document):  # type: ignore[no-untyped-def]
    from migarchive.core.documents import info

    return info(document)
