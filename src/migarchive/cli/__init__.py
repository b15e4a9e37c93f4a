"""The `migarchive` command: a thin layer over `core.archive.Archive`.

With `--json` each command prints exactly one JSON object on stdout; progress and warnings go to
stderr. A user mistake prints one line on stderr and exits with status 2, without a traceback.
The commands are in `archive_commands` and `notes_commands`, the JSON shapes in `values`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from migarchive import __version__
from migarchive.cli import archive_commands as run
from migarchive.cli import notes_commands as run_notes
from migarchive.core.gazetteer import KINDS
from migarchive.core.notes.model import COLOURS
from migarchive.core.archive import SYNTAX_HELP
from migarchive.errors import MigarchiveError
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


def run_command() -> None:
    """The console script and `python -m migarchive`: `main`, then an exit that does not tear the
    interpreter down. Freeing every module's objects one by one (numpy's, Whoosh's, the archive's
    state) took 30–40 ms of every command, a fifth of re-opening an archive. `main` has closed
    what the command opened (index, notes database, worker processes), and the core keeps no
    thread, temporary file or exit handler; what is left is the output, flushed here. The window
    exits on its own, from `run_and_exit`."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass  # the reader went away (`| head`): nothing more to say to it
    logging.shutdown()  # the log file's last records
    os._exit(code)


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
    info.set_defaults(handler=run.about)

    only_json = argparse.ArgumentParser(add_help=False)
    only_json.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                           help="print one JSON object on stdout")
    desktop = commands.add_parser("install-desktop", parents=[only_json],
                                  help="put migarchive in the desktop menu (a .desktop entry and its icon)",
                                  description="Writes migarchive.desktop to $XDG_DATA_HOME/applications and the "
                                  "icon to $XDG_DATA_HOME/icons/hicolor (default ~/.local/share), for this "
                                  "user; the entry starts this installation of migarchive.")
    desktop.add_argument("--uninstall", action="store_true", help="remove what install-desktop wrote")
    desktop.set_defaults(handler=run.install_desktop)

    index = commands.add_parser("index", parents=[common], help="build or update the search index")
    index.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    index.set_defaults(handler=run.index)

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
    adding.set_defaults(handler=run.add, link=False)

    meetings = commands.add_parser("meetings", parents=[common], help="meetings and their documents")
    meetings.set_defaults(handler=run.meetings)

    search = commands.add_parser("search", parents=[common], help="full-text search",
                                 epilog=f"query syntax: {SYNTAX_HELP}")
    search.add_argument("query", nargs="?", help="the query; quote it in the shell")
    search.add_argument("--batch", metavar="FILE",
                        help="run one query per line of FILE ('-' for stdin) in one process; prints one JSON "
                        "object per line with the time each took")
    search.add_argument("--limit", type=int, default=10, metavar="N", help="results to show (default 10)")
    search.set_defaults(handler=run.search)

    entities = commands.add_parser("entities", parents=[common], help="agencies and initiatives named")
    entities.add_argument("--kind", choices=KINDS, help="only agencies, or only initiatives")
    entities.set_defaults(handler=run.entities)

    show = commands.add_parser("show", parents=[common], help="print a document's cleaned text")
    show.add_argument("path", help="document path relative to the corpus folder")
    show.add_argument("--section", metavar="ID", help="only this section (ids: see --json or meetings)")
    show.set_defaults(handler=run.show)

    notes = commands.add_parser("notes", parents=[common], help="bookmarks and annotations")
    actions = notes.add_subparsers(dest="notes_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="list annotations and bookmarks")
    listing.set_defaults(handler=run_notes.notes_list)
    export = actions.add_parser("export", parents=[common], help="export notes as Markdown or W3C JSON-LD")
    export.add_argument("--format", choices=("markdown", "json"), required=True,
                        help="markdown (to paste into a paper) or json (a W3C Web Annotation collection)")
    export.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    export.set_defaults(handler=run_notes.notes_export)
    imports = actions.add_parser("import", parents=[common], help="import a W3C Web Annotation JSON file")
    imports.add_argument("file", metavar="FILE", help="an export of `notes export --format json`, or alike")
    imports.set_defaults(handler=run_notes.notes_import)
    add = actions.add_parser("add", parents=[common], help="annotate a text of a document")
    add.add_argument("path", help="document path relative to the corpus folder")
    add.add_argument("--exact", required=True, metavar="TEXT", help="the text to annotate, as in `show`")
    add.add_argument("--occurrence", type=int, default=1, metavar="N", help="its N-th occurrence (default 1)")
    add.add_argument("--note", default="", metavar="TEXT", help="the note")
    add.add_argument("--tags", default="", metavar="A,B", help="comma-separated tags")
    add.add_argument("--colour", default="yellow", choices=COLOURS, help="highlight colour (default yellow)")
    add.set_defaults(handler=run_notes.notes_add)
    restore = actions.add_parser("restore", parents=[common],
                                 help="replace a damaged notes database by a backup (the damaged file is kept)")
    restore.add_argument("--backup", metavar="FILE", help="the backup to use (default: the newest good one)")
    restore.set_defaults(handler=run_notes.notes_restore)
    return parser
