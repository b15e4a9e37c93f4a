"""Watching what the code under test does to the machine, through Python's audit hooks (PEP 578):
every file opened for writing, folder made, file renamed or removed, and every socket.

An audit hook cannot be removed, so one is installed once per process and does nothing unless a
`Guard` is active. A guard records; it can also refuse, raising the OSError the machine would
(a read-only file system, a full disk), to show how the app copes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_PATH_EVENTS = {"os.mkdir", "os.remove", "os.rmdir", "os.truncate", "os.chmod", "os.utime", "os.link",
                "os.symlink", "shutil.rmtree", "shutil.copyfile", "shutil.move"}
_SOCKET_EVENTS = {"socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname",
                  "socket.gethostbyname_ex", "socket.sendto", "urllib.Request", "http.client.connect"}


@dataclass
class Guard:
    """What happened while active: `writes` (event, path) and `sockets` (event, args)."""

    refuse: Callable[[str, Path], OSError | None] = lambda event, path: None
    writes: list[tuple[str, Path]] = field(default_factory=list)
    sockets: list[tuple[str, str]] = field(default_factory=list)


_active: Guard | None = None
_lock = threading.Lock()
_installed = False


def _hook(event: str, args: tuple[Any, ...]) -> None:
    guard = _active
    if guard is None:
        return
    if event in _SOCKET_EVENTS:
        guard.sockets.append((event, repr(args)[:200]))
        raise PermissionError(errno.EACCES, "migarchive must never use the network (test guard)")
    paths: list[tuple[Any, Any]] = []  # (path, the folder descriptor it is relative to, if any)
    if event == "open":
        path, mode, flags = args
        if isinstance(path, int) or not (flags or 0) & _WRITE_FLAGS and not (mode and set(mode) & set("wax+")):
            return
        paths = [(path, None)]
    elif event == "os.rename":
        paths = [(args[0], args[2]), (args[1], args[3])]
    elif event in ("os.remove", "os.rmdir"):
        paths = [(args[0], args[1])]
    elif event == "os.mkdir":
        paths = [(args[0], args[2])]
    elif event == "sqlite3.connect":
        database = os.fsdecode(args[0])
        if database.startswith("file:"):  # a URI: read-only ones change nothing
            if "mode=ro" in database:
                return
            database = database[len("file:"):].split("?")[0]
        paths = [(database, None)]
    elif event in _PATH_EVENTS:
        paths = [(args[0], None)]
    else:
        return
    for raw, dir_fd in paths:
        if isinstance(raw, int) or raw is None:
            continue
        path = _absolute(raw, dir_fd)
        guard.writes.append((event, path))
        problem = guard.refuse(event, path)
        if problem is not None:
            raise problem


def _absolute(raw: Any, dir_fd: Any) -> Path:
    path = Path(os.fsdecode(raw))
    if isinstance(dir_fd, int) and dir_fd >= 0 and not path.is_absolute():
        try:  # shutil.rmtree removes names relative to an open folder
            return Path(os.readlink(f"/proc/self/fd/{dir_fd}")) / path
        except OSError:
            return Path("/unknown-folder") / path
    return path.absolute()


@contextlib.contextmanager
def guarded(refuse: Callable[[str, Path], OSError | None] | None = None) -> Iterator[Guard]:
    """Record (and, with `refuse`, fail) writes and network use while the block runs."""
    global _active, _installed
    with _lock:
        if not _installed:
            sys.addaudithook(_hook)
            _installed = True
    guard = Guard(refuse or (lambda event, path: None))
    _active = guard
    try:
        yield guard
    finally:
        _active = None


def refuse_under(root: Path, code: int = errno.EROFS) -> Callable[[str, Path], OSError | None]:
    """A `refuse` that fails every write under `root` with `code` (EROFS: read-only, ENOSPC: full)."""
    root = root.resolve()

    def refuse(event: str, path: Path) -> OSError | None:
        if event == "sqlite3.connect":
            return None  # SQLite writes in C: the notes' own tests cover a failing disk
        if event == "os.mkdir" and path.is_dir():
            return None  # as the system does: an existing folder is "already there", not a write
        if path == root or root in path.resolve().parents:
            return OSError(code, os.strerror(code), str(path))
        return None

    return refuse
