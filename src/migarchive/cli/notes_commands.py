"""`migarchive notes …`: list, export, import, add and restore notes, all through the facade."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from migarchive.cli.common import (
    emit,
    excerpt,
    open_archive,
    progress_printer,
    write_file,
)
from migarchive.cli.values import annotation_json, bookmark_json
from migarchive.core.archive import Archive
from migarchive.core.notes.model import Annotation
from migarchive.core.wording import plural
from migarchive.errors import NotesCorrupt, UserError
from migarchive.paths import resolve_paths


def _checked_notes(archive: Archive) -> Archive:
    """The archive, once its notes database opens; a damaged one is named with the way back."""
    try:
        archive.note_tags()
    except NotesCorrupt as exc:
        if exc.backups:
            raise NotesCorrupt(f"{exc}; `migarchive notes restore` puts it back", exc.path, exc.backups) from None
        raise
    return archive


def notes_list(args: argparse.Namespace) -> int:
    archive = open_archive(args)
    try:
        _checked_notes(archive)
        annotations, bookmarks = archive.annotations(), archive.bookmarks()
    finally:
        archive.close()
    lines = [f"{plural(len(annotations), 'annotation')}, {plural(len(bookmarks), 'bookmark')}"]
    for a in annotations:
        flag = "  (orphaned)" if a.orphaned else ""
        tags = "  " + " ".join(f"#{t}" for t in a.tags) if a.tags else ""
        lines.append(f"{a.id[:8]}  {a.path}:{a.start}-{a.end}{flag}\n  “{excerpt(a.exact)}”{tags}")
        if a.note:
            lines.append(f"  {excerpt(a.note)}")
    for b in bookmarks:
        flag = "  (orphaned)" if b.orphaned else ""
        where = f"#{b.passage_id}" if b.passage_id else ""
        lines.append(f"{b.id[:8]}  bookmark {b.path}{where}{flag}  {b.label}".rstrip())
    emit(args, {"annotations": [annotation_json(a) for a in annotations],
                 "bookmarks": [bookmark_json(b) for b in bookmarks]}, "\n".join(lines))
    return 0


def notes_export(args: argparse.Namespace) -> int:
    archive = open_archive(args)
    try:
        _checked_notes(archive)
        counts = {"annotations": len(archive.annotations()), "bookmarks": len(archive.bookmarks())}
        content = archive.export_notes(args.format)
    finally:
        archive.close()
    if args.output is None:
        if args.json:
            emit(args, json.loads(content) if args.format == "json" else {"format": "markdown", "text": content}, "")
        else:
            sys.stdout.write(content)
        return 0
    target = Path(args.output).expanduser()
    write_file(target, content)
    emit(args, {"output": str(target), "format": args.format, **counts},
          f"wrote {plural(counts['annotations'], 'annotation')} and {plural(counts['bookmarks'], 'bookmark')} "
          f"to {target}")
    return 0


def notes_import(args: argparse.Namespace) -> int:
    data = Archive.read_notes_file(Path(args.file).expanduser())
    archive = open_archive(args)
    try:
        report, _change = _checked_notes(archive).import_notes(data)
    finally:
        archive.close()
    emit(args, {"added": report.added, "anchored": report.anchored, "orphaned": report.orphaned,
                 "duplicates": report.skipped_duplicates},
          f"imported {plural(report.added, 'note')}: {report.anchored} anchored, {report.orphaned} orphaned"
          f"; {report.skipped_duplicates} already there")
    return 0


def notes_add(args: argparse.Namespace) -> int:
    if args.occurrence < 1:
        raise UserError("--occurrence must be at least 1")
    if not args.exact.strip():
        raise UserError("--exact needs some text")
    archive = open_archive(args)
    try:
        text = archive.document(args.path).cleaned
        start = -1
        for _ in range(args.occurrence):
            start = text.find(args.exact, start + 1)
            if start < 0:
                break
        if start < 0:
            count = text.count(args.exact)
            where = f"only {plural(count, 'time')}" if count else "nowhere"
            raise UserError(f"'{excerpt(args.exact, 60)}' occurs {where} in the cleaned text of {args.path} "
                            f"(see `migarchive show {args.path}`)")
        annotation = _checked_notes(archive).annotate(
            args.path, start, start + len(args.exact), note=args.note, colour=args.colour,
            tags=[t for t in args.tags.split(",") if t.strip()]).note
        assert isinstance(annotation, Annotation)
    finally:
        archive.close()
    emit(args, annotation_json(annotation), f"{annotation.id}  {annotation.path}:{annotation.start}-{annotation.end}")
    return 0


def notes_restore(args: argparse.Namespace) -> int:
    paths = resolve_paths(args.corpus, args.data_dir)
    archive = Archive(paths)
    try:
        archive.sync(progress=progress_printer())  # the notes are anchored in the current documents
        try:
            restored, _change = archive.restore_notes_backup(
                Path(args.backup).expanduser() if args.backup is not None else None)
        except UserError as exc:
            if args.backup is None and "not damaged" in str(exc):
                raise UserError(f"{exc} with --backup") from None
            raise
    finally:
        archive.close()
    emit(args, {"restored": restored.backup, "previous": restored.previous, "anchored": restored.anchored,
                 "orphaned": restored.orphaned},
          f"restored {restored.backup}; the previous database is kept as {restored.previous}")
    return 0
