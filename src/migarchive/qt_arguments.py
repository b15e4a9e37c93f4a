"""Qt's own command-line options (`-style Fusion`, `-platform offscreen`, `-reverse`), told apart from
migarchive's before argparse sees the command line.

argparse cannot be left to ignore them: in `-style Fusion` it would take `Fusion` for the command.
So they are taken out by name, as Qt documents them (qt6options(7)), and handed to QApplication,
which applies and removes them. Qt accepts one or two dashes, and `-name=value` as well as
`-name value`; none of its names is one of ours (ours are `--corpus`, `--data-dir`, …).
"""

from __future__ import annotations

from collections.abc import Sequence

# Options followed by a value.
QT_VALUE_OPTIONS = frozenset({
    "style", "stylesheet", "platform", "platformpluginpath", "platformtheme", "plugin", "qwindowgeometry",
    "qwindowicon", "qwindowtitle", "session", "display", "geometry", "title", "name", "qmljsdebugger",
    "dialogs", "fontengine",
})
# Options standing alone.
QT_FLAG_OPTIONS = frozenset({"reverse", "widgetcount", "nograb", "dograb", "sync"})


def _qt_name(argument: str) -> str | None:
    """The Qt option `argument` names ("style" of "-style", "--style" or "-style=Fusion"), else None."""
    if not argument.startswith("-") or argument in ("-", "--"):
        return None
    name = argument.lstrip("-").split("=", 1)[0]
    dashes = len(argument) - len(argument.lstrip("-"))
    if dashes > 2 or not (name in QT_VALUE_OPTIONS or name in QT_FLAG_OPTIONS):
        return None
    return name


def split_qt_arguments(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """(migarchive's arguments, Qt's) from a command line without the program name."""
    ours: list[str] = []
    qt: list[str] = []
    arguments = iter(argv)
    for argument in arguments:
        if argument == "--":  # what follows is migarchive's, whatever it looks like
            ours.append(argument)
            ours.extend(arguments)
            break
        name = _qt_name(argument)
        if name is None:
            ours.append(argument)
            continue
        qt.append(argument)
        if name in QT_VALUE_OPTIONS and "=" not in argument:
            value = next(arguments, None)
            if value is not None:
                qt.append(value)
    return ours, qt
