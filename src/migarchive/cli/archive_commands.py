"""The commands over the archive: about, install-desktop, index, add, meetings, search, entities, show."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from migarchive.cli.common import (
    emit,
    open_archive,
    progress_printer,
    tell,
    warn_skipped,
)
from migarchive.cli.values import (
    dates,
    describe,
    document_json,
    entity_json,
    info_of,
    meeting_json,
    results_json,
)
from migarchive.core.archive import ADDED, FAILED, Archive
from migarchive.core.changes import SyncReport
from migarchive.core.results import SearchResults
from migarchive.core.wording import plural
from migarchive.errors import MigarchiveError
from migarchive.paths import resolve_paths


def about(args: argparse.Namespace) -> int:
    from migarchive import (
        about,  # only here: reading the libraries' metadata takes 40 ms
    )

    data = about.summary(resolve_paths(args.corpus, args.data_dir))
    emit(args, data, about.summary_text(data))
    return 0


def install_desktop(args: argparse.Namespace) -> int:
    from migarchive import desktop

    if args.uninstall:
        removed = desktop.uninstall()
        emit(args, {"removed": [str(p) for p in removed]},
              "\n".join(f"removed {p}" for p in removed) or "nothing to remove: the desktop entry is not installed")
        return 0
    written = desktop.install()
    emit(args, {"installed": [str(p) for p in written], "exec": desktop.launch_command()},
          "\n".join(f"wrote {p}" for p in written) + "\nmigarchive is in the desktop menu (some desktops show it "
          "after the next login)")
    return 0


def index(args: argparse.Namespace) -> int:
    paths = resolve_paths(args.corpus, args.data_dir)
    archive = Archive(paths)
    args.opened.append(archive)
    report: SyncReport = archive.sync(rebuild=args.rebuild, progress=progress_printer())
    tell(report)
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
    emit(args, data, text)
    archive.close()
    return 0


def add(args: argparse.Namespace) -> int:
    archive = open_archive(args)
    try:
        report = archive.add([Path(f) for f in args.files], link=args.link, progress=progress_printer())
        rows = []
        lines = []
        for placed in report.placed:
            row: dict[str, Any] = {"file": str(placed.source), "status": placed.status, "path": placed.path}
            if placed.status == FAILED:
                row["reason"] = placed.reason
                lines.append(f"not added: {placed.source}: {placed.reason}")
            elif placed.path in report.unreadable:
                row.update(status=FAILED, reason=report.unreadable[placed.path])
                lines.append(f"not added: {placed.source}: {report.unreadable[placed.path]}")
            else:
                assert placed.path is not None  # placed or already there: it has its path in the archive
                info = archive.info(placed.path)
                meeting = archive.meeting_of(placed.path)
                unsure = archive.unsure_fields(placed.path)
                row.update(document=document_json(info), meeting=meeting.number if meeting else None, unsure=unsure)
                where = f"under the {meeting.title}" if meeting else "under no meeting"
                verb = "added" if placed.status == ADDED else "already in the archive"
                line = f"{verb}: {placed.path} — {info.metadata.title} ({info.metadata.kind}), {where}"
                if info.page_starts:
                    line += f", {len(info.page_starts)} pages"
                if unsure and placed.status == ADDED:
                    line += f"\n  check: {', '.join(unsure)} (correct in the app, or in {placed.path}.meta.json)"
                for warning in info.warnings:
                    line += f"\n  note: {warning}"
                lines.append(line)
            rows.append(row)
        failed = sum(1 for row in rows if row["status"] == FAILED)
        emit(args, {"files": rows}, "\n".join(lines))
        return 1 if failed else 0
    finally:
        archive.close()


def meetings(args: argparse.Namespace) -> int:
    archive = open_archive(args)
    warn_skipped(args, archive)
    meetings, unassigned = archive.meetings()
    lines = []
    for meeting in meetings:
        when = dates(meeting)
        flag = "  (referenced only)" if meeting.referenced_only else ""
        lines.append(f"{meeting.number:>2}. {meeting.title}{' · ' + when if when else ''}{flag}")
        for info in meeting.documents:
            lines.append(f"      {info.path}  {info.metadata.title}  [{describe(info)}]")
    if unassigned:
        lines.append("    Not assigned to a meeting:")
        lines.extend(f"      {info.path}  {info.metadata.title}  [{describe(info)}]" for info in unassigned)
    emit(args, {"meetings": [meeting_json(m) for m in meetings],
                 "unassigned": [document_json(d) for d in unassigned]}, "\n".join(lines))
    archive.close()
    return 0


def search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise MigarchiveError("--limit must be at least 1")
    if (args.query is None) == (args.batch is None):
        raise MigarchiveError("give either a query or --batch FILE")
    if args.batch is not None:
        return _search_batch(args)
    archive = open_archive(args)
    warn_skipped(args, archive)
    results: SearchResults = archive.search(args.query, limit=args.limit)
    archive.close()
    data = results_json(results)
    lines: list[str] = []
    notes = results.describe()
    corrected = notes[:1] if results.corrected else []  # said first: the results are for other words
    lines.extend(f"({note})" for note in corrected)
    if results.notes_only:
        lines.append(plural(len(results.notes), "note"))
    else:
        lines.append(f"{plural(results.total, 'passage')} in {plural(results.documents, 'document')}")
    lines.extend(f"({note})" for note in notes[len(corrected):])
    for hit in results.notes:
        lines.append(f"\n{hit.note_id[:8] if hit.note_id else ''}  {hit.path}  ({hit.section})\n  {hit.snippet}")
    for hit in results.hits:
        where = " › ".join(x for x in (f"meeting {hit.meeting}" if hit.meeting else None, hit.title, hit.section) if x)
        lines.append(f"\n{hit.path}#{hit.passage_id}  ({hit.score:.2f})\n  {where}\n  {hit.snippet}")
    emit(args, data, "\n".join(lines))
    return 0


def _search_batch(args: argparse.Namespace) -> int:
    """One query per line, the index opened once: query latency measured from outside, in-process."""
    try:
        source = sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise MigarchiveError(f"cannot read {args.batch}: {exc.strerror or exc}") from exc
    archive = open_archive(args)
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


def entities(args: argparse.Namespace) -> int:
    archive = open_archive(args)
    warn_skipped(args, archive)
    found = archive.entities(kind=args.kind)
    archive.close()
    bodies = [e for e in found if not e.system]
    lines = [f"{len(bodies)} {args.kind + 's' if args.kind else 'agencies and initiatives'}"]
    for number, entity in enumerate(found):
        if number == len(bodies):  # the system comes after the bodies (entities.resolve)
            lines.append("the United Nations system, apart:")
        label = f"{entity.name} ({entity.acronym})" if entity.acronym else entity.name
        lines.append(f"{len(entity.mentions):>5}  {entity.kind:<10}  {label}  "
                     f"[{plural(len(entity.documents()), 'document')}]")
    emit(args, {"entities": [entity_json(e) for e in found]}, "\n".join(lines))
    return 0


def show(args: argparse.Namespace) -> int:
    archive = open_archive(args)
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
    data = document_json(info_of(document)) | {
        "meeting": meta.meeting.number if meta.meeting else None,
        "text": text,
        "damaged_spots": document.damaged_spots,
        "warnings": list(document.source.warnings),
    }
    emit(args, data, text.rstrip("\n"))
    return 0
