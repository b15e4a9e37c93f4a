"""The Qt-free core: reading, cleaning, metadata, sections, index and search, behind `archive`."""

import functools
import sys
import types


def _whoosh_without_asyncio() -> None:
    """Whoosh's reader takes one decorator from the `cached_property` package, which imports asyncio:
    35 ms of every command-line search's start. The standard library's decorator does the same
    for that one use (a frozenset cached on the reader); the stand-in is offered only while Whoosh's
    reader is imported, so anything else that imports the package gets the real one."""
    if "whoosh.reading" in sys.modules or "cached_property" in sys.modules:
        return
    stand_in = types.ModuleType("cached_property")
    stand_in.cached_property = functools.cached_property  # type: ignore[attr-defined]
    sys.modules["cached_property"] = stand_in
    try:
        import whoosh.reading  # noqa: F401
    finally:
        if sys.modules.get("cached_property") is stand_in:
            del sys.modules["cached_property"]


_whoosh_without_asyncio()
