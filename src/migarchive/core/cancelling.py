"""Progress and cancellation of a sync, apart from indexing: opening an unchanged archive (a
command-line search) needs these names but none of the reading and analysis indexing imports."""

from __future__ import annotations

import threading
from collections.abc import Callable

Progress = Callable[[int, int, str], None]
"""progress(done, total, message): called as each file is handled."""


class Cancelled(Exception):
    """The caller's cancel token was set; nothing was committed."""


def check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled()
