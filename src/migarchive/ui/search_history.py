"""The searches a researcher comes back to: the recent ones (offered by the search field's completer
and in Search › Recent searches) and named saved searches, kept in the settings."""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtCore import QSettings

RECENT_KEPT = 30  # recent queries remembered, most recent first
RECENT_SHOWN = 10  # in the Recent searches menu
_QUERY_LIMIT = 1_000  # characters: the search refuses longer queries anyway


class SearchHistory:
    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def _list(self, key: str) -> list[object]:
        raw = self.settings.value(key, "[]")
        try:
            value = json.loads(str(raw))
        except ValueError:
            return []  # written by hand or by another program: start again
        return value if isinstance(value, list) else []

    def _put(self, key: str, value: Sequence[object]) -> None:
        self.settings.setValue(key, json.dumps(value, ensure_ascii=False))

    def recent(self) -> list[str]:
        return [q for q in self._list("search/recent") if isinstance(q, str)][:RECENT_KEPT]

    def remember(self, query: str) -> bool:
        """Put `query` first among the recent ones (once, whatever its spacing); True if it changed."""
        query = " ".join(query.split())
        if not query or len(query) > _QUERY_LIMIT:
            return False
        recent = self.recent()
        if recent[:1] == [query]:
            return False
        self._put("search/recent", [query, *(q for q in recent if q != query)][:RECENT_KEPT])
        return True

    def saved(self) -> list[tuple[str, str]]:
        """(name, query) of the saved searches, by name."""
        found = [(e[0], e[1]) for e in self._list("search/saved")
                 if isinstance(e, list) and len(e) == 2 and all(isinstance(x, str) for x in e)]
        return sorted(found, key=lambda e: e[0].casefold())

    def save(self, name: str, query: str) -> None:
        """Save `query` as `name`, replacing a saved search of that name (in any case)."""
        name, query = " ".join(name.split()), " ".join(query.split())
        if not name or not query:
            return
        kept = [e for e in self.saved() if e[0].casefold() != name.casefold()]
        self._put("search/saved", [list(e) for e in sorted([*kept, (name, query)], key=lambda e: e[0].casefold())])

    def delete(self, name: str) -> None:
        self._put("search/saved", [list(e) for e in self.saved() if e[0] != name])
