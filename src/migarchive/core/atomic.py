"""Writing a file so that a crash, a kill or a full disk leaves the old file or the new one, never
half of one: the content goes to a temporary file beside the target, is synced, then renamed over it.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[BinaryIO]:
    """A binary file to write `target`'s new content to; it replaces `target` only if the block
    completes (temporary files are named `.NAME.xxxxxxxx.tmp`, so a clean-up can find strays)."""
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temp, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomically(target: Path, content: str | bytes) -> None:
    """`content` (text is written as UTF-8 with "\\n" line ends) as the whole of `target`."""
    with replacing(target) as handle:
        handle.write(content.encode("utf-8") if isinstance(content, str) else content)
