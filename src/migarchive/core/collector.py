"""Pausing Python's cyclic garbage collector over work that makes many objects and no garbage.

Loading or deriving an archive's state (records, entities, what resolution left) makes hundreds of
thousands of tuples and lists, all kept. Each time enough have been made the collector walks every
object alive, which at 2,000 documents took 30–50 ms a time, several times per open or update.
Nothing it could free is made meanwhile: the objects are the state itself, and they hold no cycles.

Pausing alone only defers the walk: what the block made is still in the youngest generation, and
the first collections after it walked all of it twice (gen0, then gen1: ~70 ms of an 0.6 s update
at 2,000 documents). So the block's objects go straight to the oldest generation, where a full
collection (rare, triggered by growth since the last one) still finds any cycle among them.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block (if it was on), on again after it however it ends; what
    the block made is then taken as old (see the top)."""
    enabled = gc.isenabled()
    # A process that froze what it holds (the window, once open) keeps it frozen: moving the
    # block's objects through the permanent generation would thaw that too.
    promote = gc.get_freeze_count() == 0
    gc.disable()
    try:
        yield
    finally:
        if promote:
            # freeze() moves every generation into the permanent one and unfreeze() that into
            # the oldest: two list splices, no walk.
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


# Young-generation threshold while documents are indexed: Python's 700 made ~4 collections per
# document, a twentieth of a build's time (each walks what the document's preparation made so far).
BUILD_YOUNG_THRESHOLD = 10_000


@contextlib.contextmanager
def fewer_collections(young: int = BUILD_YOUNG_THRESHOLD) -> Iterator[None]:
    """The youngest generation collected after `young` allocations rather than 700 for the block.
    Unlike `paused`, garbage with cycles is still collected, only in fewer, larger walks: what a
    document's preparation makes and drops is freed by reference counting, and the cycles left
    wait for at most `young` more allocations."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(young, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
