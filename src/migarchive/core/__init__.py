"""The Qt-free core: reading, cleaning, metadata, sections, index and search, behind `archive`."""

import functools
import sys
import types
from typing import Any


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _whoosh_without_unused_imports() -> None:
    """Whoosh imports two things at its start that it does not need, which every command-line
    search paid for: asyncio, through the `cached_property` package (35 ms), for one decorator
    that the standard library's does the same as (a frozenset cached on the reader); and
    `urllib.request` with http, email and ssl (~30 ms), for a download helper in `whoosh.compat`
    that nothing calls (the stand-in still downloads, importing the real one first). Stand-ins are
    offered only while Whoosh is imported, so anything else that imports these gets the real ones."""
    if "whoosh.reading" in sys.modules:
        return
    cached = types.ModuleType("cached_property")
    cached.cached_property = functools.cached_property  # type: ignore[attr-defined]
    request = types.ModuleType("urllib.request")
    request.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
    offered = {name: module for name, module in (("cached_property", cached), ("urllib.request", request))
               if name not in sys.modules}
    sys.modules.update(offered)
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.reading  # noqa: F401
    finally:
        for name, module in offered.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


_whoosh_without_unused_imports()
