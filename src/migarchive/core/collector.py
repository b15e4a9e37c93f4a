"""Pausing Python's cyclic garbage collector over work that makes many objects and no garbage.

Loading or deriving an archive's state (records, entities, what resolution left) makes hundreds of
thousands of tuples and lists, all kept. Each time enough have been made the collector walks every
object alive, which at 2,000 documents took 30–50 ms a time, several times per open or update.
Nothing it could free is made meanwhile: the objects are the state itself, and they hold no cycles.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block (if it was on), on again after it however it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
