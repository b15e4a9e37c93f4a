"""The `migarchive` command: a thin layer over `core.archive.Archive`.

With `--json` each command prints exactly one JSON object on stdout; progress and warnings go to
stderr. A user mistake prints one line on stderr and exits with status 2, without a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from migarchive import __version__
from migarchive.core import importing
from migarchive.core.atomic import write_atomically
from migarchive.core.archive import Archive, SyncReport
from migarchive.core.meetings import Meeting
from migarchive.core.entities import Entity
from migarchive.core.gazetteer import KINDS
from migarchive.core.model import DocumentInfo
from migarchive.core.notes.model import COLOURS, Annotation, Bookmark
from migarchive.core.search import SYNTAX_HELP, SearchResults
from migarchive.errors import MigarchiveError, NotesCorrupt, UserError
from migarchive.paths import resolve_paths
from migarchive.qt_arguments import split_qt_arguments


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    # Qt's own options (`-style Fusion`, `-platform offscreen`) go to the window's QApplication.
    ours, qt_arguments = split_qt_arguments(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(ours)
    # Shared options default to "absent" on both levels, so `--corpus X search q` and
    # `search q --corpus X` both work; fill in the real defaults once here.
    for name, default in (("corpus", None), ("data_dir", None), ("json", False)):
        if not hasattr(args, name):
            setattr(args, name, default)
    if args.command in (None, "gui"):
        from migarchive.ui.app import run_and_exit  # Qt is loaded only for the window

        run_and_exit(corpus=args.corpus, data_dir=args.data_dir,
                   quit_after_start=getattr(args, "quit_after_start", False), qt_arguments=qt_arguments)
    if qt_arguments:
        parser.error(f"{' '.join(qt_arguments)}: Qt options apply to the desktop app only (migarchive gui)")
    args.opened = []  # archives the command opened, closed however it ends
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
    finally:
        for archive in args.opened:
            archive.close()


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

    info = commands.add_parser("about", parents=[common], help="version, folders, and the licences of what is bundled")
    info.set_defaults(handler=_about)

    only_json = argparse.ArgumentParser(add_help=False)
    only_json.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                           help="print one JSON object on stdout")
    desktop = commands.add_parser("install-desktop", parents=[only_json],
                                  help="put migarchive in the desktop menu (a .desktop entry and its icon)",
                                  description="Writes migarchive.desktop to $XDG_DATA_HOME/applications and the "
                                  "icon to $XDG_DATA_HOME/icons/hicolor (default ~/.local/share), for this "
                                  "user; the entry starts this installation of migarchive.")
    desktop.add_argument("--uninstall", action="store_true", help="remove what install-desktop wrote")
    desktop.set_defaults(handler=_install_desktop)

    index = commands.add_parser("index", parents=[common], help="build or update the search index")
    index.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    index.set_defaults(handler=_index)

    adding = commands.add_parser("add", parents=[common], help="add PDF, Word, HTML, text or Markdown files",
                                 description="Copies (or links) the files into the corpus folder's imported/ "
                                 "subfolder (for the bundled archive, which is read-only: the data directory's "
                                 "imported/), extracts their text and indexes them. A file whose content is "
                                 "already in the archive is not added again.")
    adding.add_argument("files", nargs="+", metavar="FILE", help="the files to add")
    how = adding.add_mutually_exclusive_group()
    how.add_argument("--copy", dest="link", action="store_false", help="copy the files (the default)")
    how.add_argument("--link", dest="link", action="store_true",
                     help="link to the files where they are instead of copying them")
    adding.set_defaults(handler=_add, link=False)

    meetings = commands.add_parser("meetings", parents=[common], help="meetings and their documents")
    meetings.set_defaults(handler=_meetings)

    search = commands.add_parser("search", parents=[common], help="full-text search",
                                 epilog=f"query syntax: {SYNTAX_HELP}")
    search.add_argument("query", nargs="?", help="the query; quote it in the shell")
    search.add_argument("--batch", metavar="FILE",
                        help="run one query per line of FILE ('-' for stdin) in one process; prints one JSON "
                        "object per line with the time each took")
    search.add_argument("--limit", type=int, default=10, metavar="N", help="results to show (default 10)")
    search.set_defaults(handler=_search)

    entities = commands.add_parser("entities", parents=[common], help="agencies and initiatives named")
    entities.add_argument("--kind", choices=KINDS, help="only agencies, or only initiatives")
    entities.set_defaults(handler=_entities)

    show = commands.add_parser("show", parents=[common], help="print a document's cleaned text")
    show.add_argument("path", help="document path relative to the corpus folder")
    show.add_argument("--section", metavar="ID", help="only this section (ids: see --json or meetings)")
    show.set_defaults(handler=_show)

    notes = commands.add_parser("notes", parents=[common], help="bookmarks and annotations")
    actions = notes.add_subparsers(dest="notes_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="list annotations and bookmarks")
    listing.set_defaults(handler=_notes_list)
    export = actions.add_parser("export", parents=[common], help="export notes as Markdown or W3C JSON-LD")
    export.add_argument("--format", choices=("markdown", "json"), required=True,
                        help="markdown (to paste into a paper) or json (a W3C Web Annotation collection)")
    export.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    export.set_defaults(handler=_notes_export)
    imports = actions.add_parser("import", parents=[common], help="import a W3C Web Annotation JSON file")
    imports.add_argument("file", metavar="FILE", help="an export of `notes export --format json`, or alike")
    imports.set_defaults(handler=_notes_import)
    add = actions.add_parser("add", parents=[common], help="annotate a text of a document")
    add.add_argument("path", help="document path relative to the corpus folder")
    add.add_argument("--exact", required=True, metavar="TEXT", help="the text to annotate, as in `show`")
    add.add_argument("--occurrence", type=int, default=1, metavar="N", help="its N-th occurrence (default 1)")
    add.add_argument("--note", default="", metavar="TEXT", help="the note")
    add.add_argument("--tags", default="", metavar="A,B", help="comma-separated tags")
    add.add_argument("--colour", default="yellow", choices=COLOURS, help="highlight colour (default yellow)")
    add.set_defaults(handler=_notes_add)
    restore = actions.add_parser("restore", parents=[common],
                                 help="replace a damaged notes database by a backup (the damaged file is kept)")
    restore.add_argument("--backup", metavar="FILE", help="the backup to use (default: the newest good one)")
    restore.set_defaults(handler=_notes_restore)
    return parser


def _open(args: argparse.Namespace, rebuild: bool = False) -> Archive:
    paths = resolve_paths(args.corpus, args.data_dir)
    archive = Archive(paths)
    args.opened.append(archive)
    archive.sync(rebuild=rebuild, progress=_progress_printer())
    _tell(archive.last_report)
    return archive


def _tell(report: SyncReport | None) -> None:
    """What the user should know about the last sync (a damaged index rebuilt), on stderr."""
    if report is not None and report.notice:
        print(f"migarchive: {report.notice}", file=sys.stderr)


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


def _about(args: argparse.Namespace) -> int:
    from migarchive import about  # only here: reading the libraries' metadata takes 40 ms

    data = about.summary(resolve_paths(args.corpus, args.data_dir))
    _emit(args, data, about.summary_text(data))
    return 0


def _install_desktop(args: argparse.Namespace) -> int:
    from migarchive import desktop

    if args.uninstall:
        removed = desktop.uninstall()
        _emit(args, {"removed": [str(p) for p in removed]},
              "\n".join(f"removed {p}" for p in removed) or "nothing to remove: the desktop entry is not installed")
        return 0
    written = desktop.install()
    _emit(args, {"installed": [str(p) for p in written], "exec": desktop.launch_command()},
          "\n".join(f"wrote {p}" for p in written) + "\nmigarchive is in the desktop menu (some desktops show it "
          "after the next login)")
    return 0


def _index(args: argparse.Namespace) -> int:
    paths = resolve_paths(args.corpus, args.data_dir)
    archive = Archive(paths)
    args.opened.append(archive)
    report: SyncReport = archive.sync(rebuild=args.rebuild, progress=_progress_printer())
    _tell(report)
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


def _add(args: argparse.Namespace) -> int:
    archive = _open(args)
    try:
        report = archive.add([Path(f) for f in args.files], link=args.link, progress=_progress_printer())
        rows = []
        lines = []
        for placed in report.placed:
            row: dict[str, Any] = {"file": str(placed.source), "status": placed.status, "path": placed.path}
            if placed.status == importing.FAILED:
                row["reason"] = placed.reason
                lines.append(f"not added: {placed.source}: {placed.reason}")
            elif placed.path in report.unreadable:
                row.update(status=importing.FAILED, reason=report.unreadable[placed.path])
                lines.append(f"not added: {placed.source}: {report.unreadable[placed.path]}")
            else:
                info = archive.info(placed.path)
                meeting = archive.meeting_of(placed.path)
                unsure = importing.unsure_fields(info)
                row.update(document=document_json(info), meeting=meeting.number if meeting else None, unsure=unsure)
                where = f"under the {meeting.title}" if meeting else "under no meeting"
                verb = "added" if placed.status == importing.ADDED else "already in the archive"
                line = f"{verb}: {placed.path} — {info.metadata.title} ({info.metadata.kind}), {where}"
                if info.page_starts:
                    line += f", {len(info.page_starts)} pages"
                if unsure and placed.status == importing.ADDED:
                    line += f"\n  check: {', '.join(unsure)} (correct in the app, or in {placed.path}.meta.json)"
                for warning in info.warnings:
                    line += f"\n  note: {warning}"
                lines.append(line)
            rows.append(row)
        failed = sum(1 for row in rows if row["status"] == importing.FAILED)
        _emit(args, {"files": rows}, "\n".join(lines))
        return 1 if failed else 0
    finally:
        archive.close()


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


def results_json(results: SearchResults) -> dict[str, Any]:
    return {
        "query": results.query,
        "corrected": results.corrected,
        "suggestion": results.suggestion,
        "loosened": results.loosened,
        "also_searched": list(results.also_searched),
        "total": results.total,
        "results": [
            {"path": h.path, "title": h.title, "meeting": h.meeting, "section": h.section,
             "passage_id": h.passage_id, "page": h.page, "score": h.score, "snippet": h.snippet}
            for h in results.hits
        ],
        **({"notes": [{"path": h.path, "title": h.title, "note_id": h.note_id, "snippet": h.snippet}
                      for h in results.notes]} if results.notes_only or results.notes else {}),
    }


def _search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise MigarchiveError("--limit must be at least 1")
    if (args.query is None) == (args.batch is None):
        raise MigarchiveError("give either a query or --batch FILE")
    if args.batch is not None:
        return _search_batch(args)
    archive = _open(args)
    _warn_skipped(args, archive)
    results: SearchResults = archive.search(args.query, limit=args.limit)
    archive.close()
    data = results_json(results)
    lines = []
    notes = results.describe()
    corrected = notes[:1] if results.corrected else []  # said first: the results are for other words
    lines.extend(f"({note})" for note in corrected)
    if results.notes_only:
        lines.append(_plural(len(results.notes), "note"))
    else:
        lines.append(f"{_plural(results.total, 'passage')} in {_plural(results.documents, 'document')}")
    lines.extend(f"({note})" for note in notes[len(corrected):])
    for hit in results.notes:
        lines.append(f"\n{hit.note_id[:8] if hit.note_id else ''}  {hit.path}  ({hit.section})\n  {hit.snippet}")
    for hit in results.hits:
        where = " › ".join(x for x in (f"meeting {hit.meeting}" if hit.meeting else None, hit.title, hit.section) if x)
        lines.append(f"\n{hit.path}#{hit.passage_id}  ({hit.score:.2f})\n  {where}\n  {hit.snippet}")
    _emit(args, data, "\n".join(lines))
    return 0


def _search_batch(args: argparse.Namespace) -> int:
    """One query per line, the index opened once: query latency measured from outside, in-process."""
    try:
        source = sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise MigarchiveError(f"cannot read {args.batch}: {exc.strerror or exc}") from exc
    archive = _open(args)
    with source:
        for line in source:
            query = line.strip()
            if not query:
                continue
            started = time.perf_counter()
            try:
                data = results_json(archive.search(query, limit=args.limit))
            except MigarchiveError as exc:
                data = {"query": query, "error": str(exc)}
            elapsed = (time.perf_counter() - started) * 1000
            if args.json:
                data = {"query": query, "ms": round(elapsed, 3), **{k: v for k, v in data.items() if k != "query"}}
                print(json.dumps(data, ensure_ascii=False), flush=True)
            else:
                print(f"{elapsed:8.2f} ms  {data.get('total', 'error'):>6}  {query}", flush=True)
    archive.close()
    return 0


def entity_json(entity: Entity) -> dict[str, Any]:
    return {
        "name": entity.name,
        "acronym": entity.acronym,
        "kind": entity.kind,
        "system": entity.system,
        "aliases": list(entity.aliases),
        "editions": list(entity.editions),
        "mentions": len(entity.mentions),
        "documents": [{"path": path, "mentions": count} for path, count in entity.documents()],
    }


def _entities(args: argparse.Namespace) -> int:
    archive = _open(args)
    _warn_skipped(args, archive)
    found = archive.entities(kind=args.kind)
    archive.close()
    bodies = [e for e in found if not e.system]
    lines = [f"{len(bodies)} {args.kind + 's' if args.kind else 'agencies and initiatives'}"]
    for number, entity in enumerate(found):
        if number == len(bodies):  # the system comes after the bodies (entities.resolve)
            lines.append("the United Nations system, apart:")
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


# -- notes -----------------------------------------------------------------------------------------


def annotation_json(annotation: Annotation) -> dict[str, Any]:
    return {"id": annotation.id, "path": annotation.path, "exact": annotation.exact, "note": annotation.note,
            "tags": list(annotation.tags), "status": annotation.status, "start": annotation.start,
            "end": annotation.end}


def bookmark_json(bookmark: Bookmark) -> dict[str, Any]:
    return {"id": bookmark.id, "path": bookmark.path, "passage_id": bookmark.passage_id, "label": bookmark.label,
            "exact": bookmark.exact, "status": bookmark.status, "start": bookmark.start, "end": bookmark.end}


def _checked_notes(archive: Archive) -> Archive:
    """The archive, once its notes database opens; a damaged one is named with the way back."""
    try:
        archive.note_tags()
    except NotesCorrupt as exc:
        if exc.backups:
            raise NotesCorrupt(f"{exc}; `migarchive notes restore` puts it back", exc.path, exc.backups) from None
        raise
    return archive


def _notes_list(args: argparse.Namespace) -> int:
    archive = _open(args)
    try:
        _checked_notes(archive)
        annotations, bookmarks = archive.annotations(), archive.bookmarks()
    finally:
        archive.close()
    lines = [f"{_plural(len(annotations), 'annotation')}, {_plural(len(bookmarks), 'bookmark')}"]
    for a in annotations:
        flag = "  (orphaned)" if a.orphaned else ""
        tags = "  " + " ".join(f"#{t}" for t in a.tags) if a.tags else ""
        lines.append(f"{a.id[:8]}  {a.path}:{a.start}-{a.end}{flag}\n  “{_excerpt(a.exact)}”{tags}")
        if a.note:
            lines.append(f"  {_excerpt(a.note)}")
    for b in bookmarks:
        flag = "  (orphaned)" if b.orphaned else ""
        where = f"#{b.passage_id}" if b.passage_id else ""
        lines.append(f"{b.id[:8]}  bookmark {b.path}{where}{flag}  {b.label}".rstrip())
    _emit(args, {"annotations": [annotation_json(a) for a in annotations],
                 "bookmarks": [bookmark_json(b) for b in bookmarks]}, "\n".join(lines))
    return 0


def _excerpt(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _notes_export(args: argparse.Namespace) -> int:
    archive = _open(args)
    try:
        _checked_notes(archive)
        counts = {"annotations": len(archive.annotations()), "bookmarks": len(archive.bookmarks())}
        content = archive.export_notes(args.format)
    finally:
        archive.close()
    if args.output is None:
        if args.json:
            _emit(args, json.loads(content) if args.format == "json" else {"format": "markdown", "text": content}, "")
        else:
            sys.stdout.write(content)
        return 0
    target = Path(args.output).expanduser()
    _write_atomically(target, content)
    _emit(args, {"output": str(target), "format": args.format, **counts},
          f"wrote {_plural(counts['annotations'], 'annotation')} and {_plural(counts['bookmarks'], 'bookmark')} "
          f"to {target}")
    return 0


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _write_atomically(target: Path, content: str) -> None:
    try:
        write_atomically(target, content)
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None


def _notes_import(args: argparse.Namespace) -> int:
    data = Archive.read_notes_file(Path(args.file).expanduser())
    archive = _open(args)
    try:
        report, _change = _checked_notes(archive).import_notes(data)
    finally:
        archive.close()
    _emit(args, {"added": report.added, "anchored": report.anchored, "orphaned": report.orphaned,
                 "duplicates": report.skipped_duplicates},
          f"imported {_plural(report.added, 'note')}: {report.anchored} anchored, {report.orphaned} orphaned"
          f"; {report.skipped_duplicates} already there")
    return 0


def _notes_add(args: argparse.Namespace) -> int:
    if args.occurrence < 1:
        raise UserError("--occurrence must be at least 1")
    if not args.exact.strip():
        raise UserError("--exact needs some text")
    archive = _open(args)
    try:
        text = archive.document(args.path).cleaned
        start = -1
        for _ in range(args.occurrence):
            start = text.find(args.exact, start + 1)
            if start < 0:
                break
        if start < 0:
            count = text.count(args.exact)
            where = f"only {count} time{'s' if count != 1 else ''}" if count else "nowhere"
            raise UserError(f"'{_excerpt(args.exact, 60)}' occurs {where} in the cleaned text of {args.path} "
                            f"(see `migarchive show {args.path}`)")
        annotation = _checked_notes(archive).annotate(
            args.path, start, start + len(args.exact), note=args.note, colour=args.colour,
            tags=[t for t in args.tags.split(",") if t.strip()]).note
        assert isinstance(annotation, Annotation)
    finally:
        archive.close()
    _emit(args, annotation_json(annotation), f"{annotation.id}  {annotation.path}:{annotation.start}-{annotation.end}")
    return 0


def _notes_restore(args: argparse.Namespace) -> int:
    paths = resolve_paths(args.corpus, args.data_dir)
    archive = Archive(paths)
    try:
        archive.sync(progress=_progress_printer())  # the notes are anchored in the current documents
        try:
            restored, _change = archive.restore_notes_backup(
                Path(args.backup).expanduser() if args.backup is not None else None)
        except UserError as exc:
            if args.backup is None and "not damaged" in str(exc):
                raise UserError(f"{exc} with --backup") from None
            raise
    finally:
        archive.close()
    _emit(args, {"restored": restored.backup, "previous": restored.previous, "anchored": restored.anchored,
                 "orphaned": restored.orphaned},
          f"restored {restored.backup}; the previous database is kept as {restored.previous}")
    return 0
